/**
 * `npm run synth [-- --env NAME ...] [--outdir DIR] [--release-dir DIR]`
 * Synthesizes every environment (or the named ones) to DIR/<env>/ (default dist/, or
 * CDK8S_OUTDIR under `cdk8s synth`). All environments are rendered and validated in
 * memory first; only then is anything written, each folder replaced whole.
 */
import * as path from 'node:path';
import { ENVIRONMENT_NAMES } from '../config/environment';
import { environmentByName } from '../config/environments';
import { synthEnvironmentFiles } from '../synth/environment-app';
import { writeTreeAtomically } from '../synth/write-atomic';

export interface SynthArgs {
  readonly envs: readonly string[];
  readonly outdir: string;
  readonly releaseDir?: string;
}

export function parseSynthArgs(argv: readonly string[], defaults: { outdir: string }): SynthArgs {
  const envs: string[] = [];
  let outdir = defaults.outdir;
  let releaseDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--env') envs.push(value());
    else if (arg === '--outdir') outdir = value();
    else if (arg === '--release-dir') releaseDir = path.resolve(value());
    else throw new Error(`unknown argument "${arg}": use --env NAME, --outdir DIR or --release-dir DIR`);
  }
  for (const env of envs) environmentByName(env);
  return { envs: envs.length ? envs : [...ENVIRONMENT_NAMES], outdir: path.resolve(outdir), releaseDir };
}

export function runSynth(args: SynthArgs): void {
  const rendered = args.envs.map((env) => [env, synthEnvironmentFiles(env, { releaseDir: args.releaseDir })] as const);
  for (const [env, files] of rendered) {
    writeTreeAtomically(args.outdir, env, files);
    console.log(`${path.relative(process.cwd(), path.join(args.outdir, env)) || '.'}: ${files.size - 1} objects`);
  }
}

export function main(argv: readonly string[]): number {
  try {
    runSynth(parseSynthArgs(argv, { outdir: process.env.CDK8S_OUTDIR ?? 'dist' }));
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
