import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main as cli, USAGE } from 'k8s-iac';
import { LIMITS, PROJECT, QUOTA, releaseCopy, tmpdir } from '../helpers';

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

  test('--project=FILE counts as given, like --project FILE: package.json\'s project is not run instead', () => {
    const root = projectFolder({ project: 'lib/elsewhere.js' });
    fs.cpSync(releaseCopy(), path.join(root, 'release'), { recursive: true });
    for (const [argv, outdir] of [[['--project', COMPILED_PROJECT], 'spaced'], [[`--project=${COMPILED_PROJECT}`], 'joined']] as const) {
      const result = bin(['synth', '--env', 'dev', '--outdir', outdir, ...argv], root);
      expect({ argv, stderr: result.stderr, status: result.status }).toEqual({ argv, stderr: '', status: 0 });
      expect(fs.existsSync(path.join(root, outdir, 'dev', 'kustomization.yaml'))).toBe(true);
    }
  });

  test('a --project that does not exist is named in one line with the fix, not as a require stack', () => {
    const root = projectFolder({ project: COMPILED_PROJECT });
    for (const argv of [['--project', 'lib/project.js'], ['--project=lib/project.js']]) {
      const result = bin(['synth', ...argv], root);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('error: --project lib/project.js does not exist: compile the project (e.g. tsc) so that it writes that file, or point --project at the compiled module\n');
    }
    // a module the project imports is missing, not the project: node's own message names that one
    fs.mkdirSync(path.join(root, 'lib'));
    fs.writeFileSync(path.join(root, 'lib', 'project.js'), "require('./settings');\n");
    const result = bin(['synth', '--project', 'lib/project.js'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot find module '\.\/settings'/);
    // a folder, or the TypeScript source instead of what it compiles to
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'project.ts'), 'export default 1;\n');
    for (const [argv, said] of [[['--project=lib'], 'lib is a folder'], [['--project', 'src/project.ts'], 'src/project.ts is TypeScript source, which Node does not run']] as const) {
      expect(bin(['synth', ...argv], root).stderr).toBe(`error: --project ${said}: point --project at the module tsc compiles the project to (e.g. lib/project.js)\n`);
    }
  });

  test('a JavaScript project in CommonJS may be the module itself (module.exports = defineProject(...))', () => {
    const root = projectFolder({ project: 'project.js' });
    const library = JSON.stringify(path.join(ROOT, 'lib', 'src', 'library', 'index.js'));
    const environments = "defineEnvironments()({ dev: { settings: { owner: { team: 'shop', email: 'shop@example.com' } }, values: {} } })";
    const build = `build(scope, env) { new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: ${JSON.stringify(QUOTA)}, limits: ${JSON.stringify(LIMITS)} }); }`;
    fs.writeFileSync(path.join(root, 'project.js'), `const { defineEnvironments, defineProject, NamespacedApp } = require(${library});\nmodule.exports = defineProject({ environments: ${environments}, ${build} });\n`);
    const result = bin(['synth'], root);
    expect({ stderr: result.stderr, status: result.status }).toEqual({ stderr: '', status: 0 });
    expect(fs.existsSync(path.join(root, 'dist', 'dev', '_cluster', 'namespace-shop.yaml'))).toBe(true);
    // a module exporting something else is told both ways to export a project
    fs.writeFileSync(path.join(root, 'project.js'), 'module.exports = {};\n');
    expect(bin(['synth'], root).stderr).toMatch(/exports no project: end it with `export default defineProject\(\{ environments, build \}\)` \(in CommonJS JavaScript, `module.exports = defineProject\(\{ environments, build \}\)`\)/);
  });

  test('package.json\'s project, where it does not exist and there is no build to write it, is named in one line with the fix', () => {
    const root = projectFolder({ project: 'lib/project.js' });
    const result = bin(['synth'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: lib/project.js does not exist, the "project" of package.json\'s "k8s-iac" field: compile the project (e.g. tsc) so that it writes that file, or point "project" at the compiled module\n');
  });

  test('without a build entry, a source changed since the project was compiled is said, and the compiled project runs', () => {
    const root = projectFolder({ project: 'lib/project.js' });
    fs.mkdirSync(path.join(root, 'src'));
    const library = JSON.stringify(path.join(ROOT, 'lib', 'src', 'library'));
    const source = path.join(root, 'src', 'project.ts');
    fs.writeFileSync(
      source,
      `import { defineEnvironments, defineProject } from ${library};\n` +
        `export default defineProject({ environments: defineEnvironments<Record<string, never>>()({ qa: { settings: { owner: { team: 'shop', email: 'shop@example.com' } }, values: {} } }), build() {} });\n`,
    );
    const options = { module: 'commonjs', target: 'es2022', strict: true, outDir: 'lib', rootDir: 'src', sourceMap: true };
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src'] }));
    expect(spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root }).status).toBe(0);
    const fresh = bin(['synth', '--outdir', 'out'], root);
    expect({ status: fresh.status, stderr: fresh.stderr }).toEqual({ status: 0, stderr: '' });
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(source, later, later);
    const stale = bin(['synth', '--outdir', 'out'], root);
    expect(stale.status).toBe(0);
    expect(stale.stderr).toMatch(/^warning: lib\/project\.js \(src\/project\.ts\) compiled before its source last changed: this run uses the older code; compile the project first \(tsc\), or add "build"/);
  }, 60_000);

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

describe("an error thrown in a compiled project's build", () => {
  /** A project whose build throws on line 6 of src/project.ts, compiled with `compilerOptions`. */
  function throwingProject(compilerOptions: object): string {
    const root = projectFolder({ project: 'lib/project.js', build: { tsconfig: 'tsconfig.json', sources: ['src'] } });
    fs.mkdirSync(path.join(root, 'src'));
    const library = JSON.stringify(path.join(ROOT, 'lib', 'src', 'library'));
    const owner = "{ team: 'shop', email: 'shop@example.com' }";
    fs.writeFileSync(
      path.join(root, 'src', 'project.ts'),
      [
        `import { defineEnvironments, defineProject } from ${library};`,
        `const environments = defineEnvironments<Record<string, never>>()({ qa: { settings: { owner: ${owner} }, values: {} } });`,
        'export default defineProject({',
        '  environments,',
        '  build() {',
        "    throw new Error('boom');",
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    const options = { module: 'commonjs', target: 'es2022', strict: true, outDir: 'lib', rootDir: 'src', ...compilerOptions };
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src'] }));
    return root;
  }

  test('names the line of the TypeScript source where the project has source maps, as its tests do', () => {
    const result = bin(['synth', '--outdir', 'out'], throwingProject({ sourceMap: true }));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\[qa\] boom \(thrown in the project's build at src\/project\.ts:6:\d+\)/);
  }, 60_000);

  test('names the compiled line where it has none', () => {
    const result = bin(['synth', '--outdir', 'out'], throwingProject({}));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\[qa\] boom \(thrown in the project's build at lib\/project\.js:\d+:\d+\)/);
  }, 60_000);
});

describe('a checkout of this package without lib/ (after a clean)', () => {
  /** The package's sources, bin and config copied to a folder of their own, with no lib/. */
  function checkoutWithoutLib(): string {
    const root = tmpdir('checkout');
    for (const entry of ['bin', 'src', 'imports', 'release', 'package.json', 'tsconfig.json', 'cdk8s.yaml']) fs.cpSync(path.join(ROOT, entry), path.join(root, entry), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    return root;
  }

  /** The bin of the copy in `root`, run there. */
  function copiedBin(root: string, args: readonly string[]) {
    return spawnSync(process.execPath, [path.join(root, 'bin', 'k8s-iac.js'), ...args], { cwd: root, encoding: 'utf8' });
  }

  test('synth compiles the package through the checkout\'s build entry, then runs', () => {
    const root = checkoutWithoutLib();
    const result = copiedBin(root, ['synth', '--env', 'dev', '--outdir', 'out']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(root, 'lib', 'src', 'library', 'runner', 'cli.js'))).toBe(true);
    expect(fs.readFileSync(path.join(root, 'out', 'dev', 'kustomization.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'dist', 'dev', 'kustomization.yaml'), 'utf8'));
  }, 120_000);

  test('outside any project, the missing command line is named with the fix', () => {
    const root = tmpdir('bare-bin');
    fs.cpSync(path.join(ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
    const result = copiedBin(root, ['synth']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*lib\/src\/library\/runner\/cli.js does not exist: the k8s-iac package is not compiled; run npm run build in /);
  });
});

describe('synth --watch, through the bin', () => {
  /** A project of its own whose TypeScript the bin compiles; it imports the library by path, as its package would. */
  function sourceProject(): string {
    const root = projectFolder({ project: 'lib/project.js', build: { tsconfig: 'tsconfig.json', sources: ['src'] } });
    fs.mkdirSync(path.join(root, 'src'));
    const library = JSON.stringify(path.join(ROOT, 'lib', 'src', 'library'));
    fs.writeFileSync(
      path.join(root, 'src', 'project.ts'),
      `import { defineEnvironments, defineProject, NamespacedApp } from ${library};
const environments = defineEnvironments<Record<string, never>>()({ qa: { settings: { owner: { team: 'shop', email: 'shop@example.com' } }, values: {} } });
const QUOTA = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, storage: '1Gi', persistentVolumeClaims: 1, pods: 4, services: 2, configMaps: 2, secrets: 2 };
const LIMITS = { container: { defaultRequest: { cpu: '100m', memory: '64Mi' }, default: { cpu: '200m', memory: '128Mi' }, min: { cpu: '10m', memory: '16Mi' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '4', memory: '4' } }, pod: { max: { cpu: '1', memory: '1Gi' } }, persistentVolumeClaim: { min: '1Gi', max: '1Gi' } };
export default defineProject({ environments, build(scope, env) { new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS }); } });
`,
    );
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, outDir: 'lib', rootDir: 'src', skipLibCheck: true }, include: ['src'] }));
    return root;
  }

  test('a source added while it runs, and a syntax error, are reported, and the watch goes on', async () => {
    const root = sourceProject();
    const child = spawn(process.execPath, [BIN, 'synth', '--watch'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    const seen = async (pattern: RegExp, after: number): Promise<void> => {
      const deadline = Date.now() + 40_000;
      while (!pattern.test(output.slice(after))) {
        if (exited !== undefined || Date.now() > deadline) throw new Error(`no ${pattern} (exit ${exited}) in: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await seen(/watch: watching src/, 0);
      let mark = output.length;
      // a new file: its own compile, where the config read at start did not list it
      fs.writeFileSync(path.join(root, 'src', 'extra.ts'), 'export const extra = 1;\n');
      await seen(/watch: no change to qa/, mark);
      expect(fs.existsSync(path.join(root, 'lib', 'extra.js'))).toBe(true);
      mark = output.length;
      const good = fs.readFileSync(path.join(root, 'src', 'project.ts'), 'utf8');
      fs.writeFileSync(path.join(root, 'src', 'project.ts'), good.replace("namespace: 'shop',", "namespace: ('shop',"));
      await seen(/watch: nothing written: src\/project\.ts\(\d+,\d+\): error TS\d+: /, mark);
      mark = output.length;
      fs.writeFileSync(path.join(root, 'src', 'project.ts'), good.replace("namespace: 'shop'", "namespace: 'shop2'"));
      await seen(/watch: wrote qa \d+ ms after the change/, mark);
      expect(exited).toBeUndefined();
      // transpiled without a type check, the module is dated before its source: the next plain synth runs tsc
      expect(fs.statSync(path.join(root, 'lib', 'project.js')).mtimeMs).toBeLessThan(fs.statSync(path.join(root, 'src', 'project.ts')).mtimeMs);
    } finally {
      child.kill('SIGINT');
    }
  }, 90_000);

  test('a first synth with problems is reported, and the watch starts: the fix is a change like any other', async () => {
    const root = sourceProject();
    const good = fs.readFileSync(path.join(root, 'src', 'project.ts'), 'utf8');
    fs.writeFileSync(path.join(root, 'src', 'project.ts'), good.replace("namespace: 'shop'", "namespace: 'Shop'"));
    const child = spawn(process.execPath, [BIN, 'synth', '--watch'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const seen = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 40_000;
      while (!pattern.test(output)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} (exit ${child.exitCode}) in: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await seen(/watch: watching src/);
      expect(output).toMatch(/watch: nothing written: synth failed with \d+ errors?; .*\n.*\[qa\] shop: .*"Shop"/);
      expect(fs.existsSync(path.join(root, 'dist', 'qa'))).toBe(false);
      fs.writeFileSync(path.join(root, 'src', 'project.ts'), good);
      await seen(/watch: wrote qa \d+ ms after the change/);
      expect(fs.existsSync(path.join(root, 'dist', 'qa', 'kustomization.yaml'))).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
  }, 90_000);
});
