import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main as cli, USAGE } from 'k8s-iac';
import { PROJECT, releaseCopy, tmpdir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'k8s-iac.js');
/** The reference platform, compiled: what a project's package.json points the bin at. */
const COMPILED_PROJECT = path.join(ROOT, 'lib', 'src', 'platform', 'project.js');

function bin(args: readonly string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
}

/** A project folder of its own: package.json with a "k8s-iac" field, and the repository's node_modules (TypeScript). */
function projectFolder(config: object): string {
  const root = tmpdir('bin-project');
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'shop', private: true, 'k8s-iac': config }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

describe('usage', () => {
  test('--help and help print the commands and every option, exit 0', () => {
    for (const argv of [['--help'], ['help'], ['synth', '--help'], ['-h']]) {
      const out: string[] = [];
      expect(cli(argv, { project: PROJECT, log: (l) => void out.push(l), error: () => undefined })).toBe(0);
      expect(out.join('\n')).toBe(USAGE);
    }
    for (const option of ['--env', '--outdir', '--dist', '--release-dir', '--project', '--delete-unknown', '--watch', '--threads', '--canary-weight', '--canary-finish', '--canary-abort', '--resume', '--cluster', '--context']) {
      expect(USAGE).toContain(`  ${option}`);
    }
  });

  test('the bin with no command names none, not the --project it adds itself', () => {
    const result = bin([], ROOT);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: no command given: use one of synth, diff, apply, promote, .*k8s-iac --help lists the options/);
    expect(result.stderr).not.toMatch(/--project/);
  });
});

describe('cdk8s synth with its output where the environment folders are', () => {
  test('is refused with the fix, and writes nothing', () => {
    const out = tmpdir('cdk8s-output');
    const errors: string[] = [];
    const code = cli(['synth', '--outdir', out], { project: PROJECT, env: { CDK8S_OUTDIR: out }, log: () => undefined, error: (l) => void errors.push(l) });
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/cdk8s synth empties its output folder .* before it runs the app, .* set output: lib\/cdk8s.out .* in cdk8s.yaml/);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

describe('the bin, in a project of its own', () => {
  test('run from a subfolder, it reads release/ and writes dist/ at the project root', () => {
    const root = projectFolder({ project: COMPILED_PROJECT });
    fs.cpSync(releaseCopy(), path.join(root, 'release'), { recursive: true });
    const sub = path.join(root, 'src');
    fs.mkdirSync(sub);
    const result = bin(['synth', '--env', 'dev'], sub);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(root, 'dist', 'dev', 'kustomization.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(sub, 'dist'))).toBe(false);
  });

  test('a path option stays relative to the folder it was typed in', () => {
    const root = projectFolder({ project: COMPILED_PROJECT });
    fs.cpSync(releaseCopy(), path.join(root, 'release'), { recursive: true });
    const sub = path.join(root, 'ops');
    fs.mkdirSync(sub);
    expect(bin(['synth', '--env', 'dev', '--outdir', 'out'], sub).status).toBe(0);
    expect(fs.existsSync(path.join(sub, 'out', 'dev', 'kustomization.yaml'))).toBe(true);
  });

  test('a build entry without a tsconfig says which file to create', () => {
    const root = projectFolder({ project: 'lib/project.js', build: { tsconfig: 'tsconfig.json', sources: ['src'] } });
    const result = bin(['synth'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*tsconfig.json does not exist: create it .*"outDir": "lib"/);
  });

  test('a tsconfig that writes the project elsewhere says to set outDir, instead of failing on a missing file', () => {
    const root = projectFolder({ project: 'lib/project.js', build: { tsconfig: 'tsconfig.json', sources: ['src'] } });
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'project.ts'), 'export const answer = 42;\n');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true }, include: ['src'] }));
    const result = bin(['synth'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: tsc -p tsconfig.json did not write lib\/project.js, .* set compilerOptions.outDir \(and rootDir\) in tsconfig.json/);
  });

  test('a type error fails every run until it is fixed: nothing compiled is left for the next run to take', () => {
    const root = projectFolder({ project: 'lib/project.js', build: { tsconfig: 'tsconfig.json', sources: ['src'] } });
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'project.ts'), 'export const replicas: number = "two";\n');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, outDir: 'lib', rootDir: 'src' }, include: ['src'] }));
    for (const run of [1, 2]) {
      const result = bin(['synth'], root);
      expect({ run, status: result.status }).toEqual({ run, status: 1 });
      expect(result.stdout).toMatch(/src\/project.ts\(1,14\): error TS2322/);
      expect(fs.existsSync(path.join(root, 'lib', 'project.js'))).toBe(false);
      expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
    }
  });
});
