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
import { exitCode, lastOption, parseOptions } from './command';

export interface SynthArgs {
  readonly envs: readonly string[];
  readonly outdir: string;
  readonly releaseDir?: string;
}

export function parseSynthArgs(argv: readonly string[], defaults: { outdir: string }): SynthArgs {
  const options = parseOptions(argv, ['--env', '--outdir', '--release-dir']);
  const envs = options.get('--env') ?? [];
  const outdir = lastOption(options, '--outdir') ?? defaults.outdir;
  const releaseDir = lastOption(options, '--release-dir');
  for (const env of envs) environmentByName(env);
  return { envs: envs.length ? envs : [...ENVIRONMENT_NAMES], outdir: path.resolve(outdir), releaseDir: releaseDir && path.resolve(releaseDir) };
}

export function runSynth(args: SynthArgs): void {
  const rendered = args.envs.map((env) => [env, synthEnvironmentFiles(env, { releaseDir: args.releaseDir })] as const);
  for (const [env, files] of rendered) {
    writeTreeAtomically(args.outdir, env, files);
    console.log(`${path.relative(process.cwd(), path.join(args.outdir, env)) || '.'}: ${files.size - 1} objects`);
  }
}

export function main(argv: readonly string[]): number {
  return exitCode(() => runSynth(parseSynthArgs(argv, { outdir: process.env.CDK8S_OUTDIR ?? 'dist' })));
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
