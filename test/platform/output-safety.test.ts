import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main as cli, writeEnvironments, writeTreeAtomically } from 'k8s-iac';
import { promoteJournal } from '../../src/library/runner/release-state';
import { checkOutputFolder, describeFsError, holdOutput, KUSTOMIZATION, stageEnvironment, swapInStaged } from '../../src/library/runner/write-atomic';
import { PROJECT, readTree, releaseCopy, tmpdir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

function run(argv: readonly string[]): { code: number; stderr: string } {
  const errors: string[] = [];
  const code = cli(argv, { project: PROJECT, log: () => undefined, error: (l) => void errors.push(l) });
  return { code, stderr: errors.join('\n') };
}


describe('output folders', () => {
  test('a run that finds the output locked says that it waits, and gives up with who holds it', () => {
    const out = tmpdir('locked');
    const first = holdOutput(out, ['a']);
    const notices: string[] = [];
    try {
      expect(() => holdOutput(out, ['a'], { lockWaitMs: 1_500, notice: (m) => void notices.push(m) })).toThrow(/another run is writing .*: wait for it to finish; a lock left by a killed run is taken over after 30s/);
    } finally {
      first.release();
    }
    expect(notices).toEqual([expect.stringMatching(/^waiting for another run writing .*locked.* \(its lock was refreshed \d+s ago; a lock left by a killed run is taken over after 30s\)$/)]);
    // free again once released
    holdOutput(out, ['a']).release();
  });

  test('a fault while swapping one environment in puts back the ones swapped before it: all or nothing', () => {
    const out = tmpdir('swap-fault');
    const files = (text: string) => new Map([['a/configmap-o.yaml', text], ['kustomization.yaml', 'resources:\n  - a/configmap-o.yaml\n']]);
    writeEnvironments(out, new Map([['a', files('a1\n')], ['b', files('b1\n')]]));
    const before = { a: readTree(path.join(out, 'a')), b: readTree(path.join(out, 'b')) };
    const staged = new Map([['a', stageEnvironment(out, 'a', files('a2\n'))], ['b', stageEnvironment(out, 'b', files('b2\n'))]]);
    // b's folder cannot be moved aside: a non-empty folder already stands where it goes
    fs.mkdirSync(path.join(out, '.b.old', 'x'), { recursive: true });
    expect(() => swapInStaged(out, staged)).toThrow(/cannot write .*\bb\b/);
    expect({ a: readTree(path.join(out, 'a')), b: readTree(path.join(out, 'b')) }).toEqual(before);
    expect(fs.readdirSync(out).sort()).toEqual(['.b.old', 'a', 'b']);
  });

  test('a held output counts the objects its environment folders hold, unknown while one is missing', () => {
    const out = tmpdir('synth-held');
    const tree = (n: number) => new Map([...Array.from({ length: n }, (_, i) => [`a/configmap-o${i}.yaml`, 'x\n'] as [string, string]), ['kustomization.yaml', `resources:\n${Array.from({ length: n }, (_, i) => `  - a/configmap-o${i}.yaml\n`).join('')}`]]);
    const first = holdOutput(out, ['a', 'b']);
    expect(first.objectsBefore).toBeUndefined();
    first.release();
    writeEnvironments(out, new Map([['a', tree(3)]]));
    const one = holdOutput(out, ['a', 'b']);
    expect(one.objectsBefore).toBeUndefined();
    one.release();
    writeEnvironments(out, new Map([['b', tree(5)]]));
    const both = holdOutput(out, ['a', 'b']);
    expect(both.objectsBefore).toBe(8);
    both.release();
  });

  test.each([
    ['the file-system root', '/', /refusing to write to \/, the file-system root/],
    ['the home folder', os.homedir(), /the home folder/],
    ['the repository root', ROOT, /: it is .*, which synth did not make/],
    ['a folder above the repository', path.dirname(ROOT), /it holds /],
    ['an empty name', '', /the output folder is empty/],
  ])('refuses %s', (_what, outdir, message) => {
    expect(() => checkOutputFolder(outdir, [ROOT])).toThrow(message);
  });

  test('a symbolic link to a refused folder is refused too: the check is of where the writes land', () => {
    const links = tmpdir('outdir-links');
    for (const [name, target] of [['root', '/'], ['home', os.homedir()], ['repo', ROOT]] as const) fs.symlinkSync(target, path.join(links, name));
    expect(() => checkOutputFolder(path.join(links, 'root'), [ROOT])).toThrow(/refusing to write to .*root \(\/ through a symbolic link\), the file-system root/);
    expect(() => checkOutputFolder(path.join(links, 'home'), [ROOT])).toThrow(/through a symbolic link\), the home folder/);
    expect(() => checkOutputFolder(path.join(links, 'repo'), [ROOT])).toThrow(/through a symbolic link\): it is /);
    // a folder below the link that does not exist yet still lands inside the target
    expect(() => checkOutputFolder(path.join(links, 'repo', 'no-such-folder', '..'), [ROOT])).toThrow(/: it is /);
    expect(() => checkOutputFolder(path.join(links, 'repo', 'dist'), [ROOT])).not.toThrow();
  });

  test('--outdir . from the repository root is refused before anything is written, and the test folder survives', () => {
    const before = fs.readdirSync(path.join(ROOT, 'test')).sort();
    const { code, stderr } = run(['synth', '--outdir', '.']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/refusing to write to .*: it is /);
    expect(fs.readdirSync(path.join(ROOT, 'test')).sort()).toEqual(before);
    expect(fs.existsSync(path.join(ROOT, 'dev'))).toBe(false);
  });

  test('an empty CDK8S_OUTDIR means the default, not the working folder', () => {
    const errors: string[] = [];
    const cwd = process.cwd();
    const out = tmpdir('outdir-env');
    process.chdir(out);
    try {
      fs.writeFileSync(path.join(out, 'package.json'), '{}');
      expect(cli(['synth', '--env', 'dev', '--release-dir', path.join(ROOT, 'release')], { project: PROJECT, env: { CDK8S_OUTDIR: '' }, log: () => undefined, error: (l) => void errors.push(l) })).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(path.join(out, 'dist'))).toEqual(['dev']);
  });

  test('a file a user put into dist/<env> is named and kept, and nothing is replaced; --delete-unknown removes it', () => {
    const out = tmpdir('synth-foreign');
    expect(run(['synth', '--outdir', out]).code).toBe(0);
    const notes = path.join(out, 'prod', 'notes.md');
    fs.writeFileSync(notes, 'my notes');
    const before = readTree(out);
    const { code, stderr } = run(['synth', '--outdir', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`these files in it were not written by synth: ${notes}: move them out, or run with --delete-unknown to delete them`);
    expect(readTree(out)).toEqual(before);
    expect(run(['synth', '--outdir', out, '--delete-unknown']).code).toBe(0);
    expect(fs.existsSync(notes)).toBe(false);
  });

  test('files a person listed in the kustomization beside what synth wrote are named and kept, not replaced', () => {
    const out = tmpdir('synth-listed');
    expect(run(['synth', '--outdir', out, '--env', 'prod']).code).toBe(0);
    const secret = path.join(out, 'prod', 'hand-written-secret.yaml');
    fs.writeFileSync(secret, 'kind: Secret\n');
    fs.appendFileSync(path.join(out, 'prod', 'kustomization.yaml'), '  - hand-written-secret.yaml\n');
    const before = readTree(out);
    const { code, stderr } = run(['synth', '--outdir', out, '--env', 'prod']);
    expect(code).toBe(1);
    expect(stderr).toContain(`these files in it were not written by synth: ${secret}: move them out`);
    expect(readTree(out)).toEqual(before);
  });

  test('the writer itself keeps a file listed by hand, whatever folder it writes (a GitOps folder as much as an environment)', () => {
    const out = tmpdir('writer-listed');
    const files = new Map([['argocd/application-shop-prod.yaml', 'kind: Application\n'], ['kustomization.yaml', 'resources:\n  - argocd/application-shop-prod.yaml\n']]);
    writeEnvironments(out, new Map([['prod', files]]));
    fs.writeFileSync(path.join(out, 'prod', 'extra.yaml'), 'kind: AppProject\n');
    fs.appendFileSync(path.join(out, 'prod', 'kustomization.yaml'), '  - extra.yaml\n');
    const before = readTree(out);
    expect(() => writeEnvironments(out, new Map([['prod', files]]))).toThrow(`these files in it were not written by synth: ${path.join(out, 'prod', 'extra.yaml')}: move them out`);
    expect(readTree(out)).toEqual(before);
  });

  test('a kustomize folder given as an environment folder is not taken for synth output: every file of it is named and kept', () => {
    const out = tmpdir('synth-kustomize');
    fs.mkdirSync(path.join(out, 'prod'));
    // a plain kustomization (only resources) listing files named as synth never names them, and one with a field synth never writes
    fs.writeFileSync(path.join(out, 'prod', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
    fs.writeFileSync(path.join(out, 'prod', 'deployment.yaml'), 'kind: Deployment\n');
    fs.mkdirSync(path.join(out, 'staging'));
    fs.writeFileSync(path.join(out, 'staging', 'kustomization.yaml'), 'namePrefix: staging-\nresources:\n  - shop/deployment-web.yaml\n');
    fs.mkdirSync(path.join(out, 'staging', 'shop'));
    fs.writeFileSync(path.join(out, 'staging', 'shop', 'deployment-web.yaml'), 'kind: Deployment\n');
    const before = readTree(out);
    const { code, stderr } = run(['synth', '--outdir', out, '--env', 'prod']);
    expect(code).toBe(1);
    expect(stderr).toContain(`not written by synth: ${path.join(out, 'prod', 'deployment.yaml')}: move them out`);
    const staging = run(['synth', '--outdir', out, '--env', 'staging']);
    expect(staging.stderr).toContain(`not written by synth: ${path.join(out, 'staging', 'kustomization.yaml')}, ${path.join(out, 'staging', 'shop', 'deployment-web.yaml')}: move them out`);
    expect(readTree(out)).toEqual(before);
  });

  test('a file where an environment folder goes is named', () => {
    const out = tmpdir('synth-file');
    fs.writeFileSync(path.join(out, 'prod'), 'not a folder');
    const { code, stderr } = run(['synth', '--outdir', out, '--env', 'prod']);
    expect(code).toBe(1);
    expect(stderr).toContain(`not written by synth: ${path.join(out, 'prod')}`);
    expect(fs.readFileSync(path.join(out, 'prod'), 'utf8')).toBe('not a folder');
  });

  test('file-system faults are one line with the path, the cause and the fix', () => {
    const fault = (code: string) => Object.assign(new Error(`${code}: failed`), { code, path: '/srv/dist/prod/x.yaml' });
    expect(describeFsError(fault('ENOSPC'), '/srv/dist').message).toBe('cannot write /srv/dist/prod/x.yaml (ENOSPC): the disk is full: free space and run again; nothing there was changed');
    expect(describeFsError(fault('EROFS'), '/srv/dist').message).toMatch(/\(EROFS\): the file system is read-only: write to a writable folder \(--outdir\)/);
    expect(describeFsError(fault('EACCES'), '/srv/dist').message).toMatch(/\(EACCES\): permission denied/);
    expect(describeFsError(fault('EFBIG'), '/srv/dist').message).toMatch(/\(EFBIG\)/);
    expect(describeFsError(new TypeError('x'), '/srv').message).toBe('x');
  });

  test('a write that fails part-way keeps the old tree and leaves no temporary folder', () => {
    const out = tmpdir('synth-fault');
    const files = (n: string) => new Map([['a/configmap-a.yaml', n], ['kustomization.yaml', 'resources:\n  - a/configmap-a.yaml\n']]);
    writeTreeAtomically(out, 'prod', files('1'));
    // a file name that cannot be created: a path component is a file written just before
    const broken = new Map([...files('2'), ['a/configmap-a.yaml/b.yaml', 'x']]);
    expect(() => writeTreeAtomically(out, 'prod', broken)).toThrow(`cannot write ${path.join(out, 'prod', 'a', 'configmap-a.yaml')} (EEXIST): something already exists there`);
    expect(readTree(path.join(out, 'prod'))['a/configmap-a.yaml']).toBe('1');
    expect(fs.readdirSync(out)).toEqual(['prod']);
  });

  describe('staged folders reach the disk before they are swapped in', () => {
    const files = { 'a/configmap-a.yaml': '1', '_cluster/namespace-a.yaml': '1', 'kustomization.yaml': 'resources:\n  - _cluster/namespace-a.yaml\n  - a/configmap-a.yaml\n' };
    /** In a process of its own (the compiled library, whose fs is the one patched here): what `sync` and fsync were called on while writing `files`. */
    function writeRecorded(out: string, syncfs: 'real' | 'missing', fsyncFault = false, written: Record<string, string> = files): { readonly syncs: string[][]; readonly fsynced: string[]; readonly error?: string } {
      const script = `
        const fs = require('node:fs');
        const childProcess = require('node:child_process');
        const record = { syncs: [], fsynced: [] };
        const opened = new Map();
        const { openSync, fsyncSync } = fs;
        fs.openSync = (file, ...rest) => { const fd = openSync(file, ...rest); opened.set(fd, String(file)); return fd; };
        fs.fsyncSync = (fd) => {
          if (${fsyncFault}) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
          record.fsynced.push(opened.get(fd));
          fsyncSync(fd);
        };
        const { spawnSync } = childProcess;
        childProcess.spawnSync = (command, args, options) => {
          if (command === 'sync') record.syncs.push(args);
          return ${syncfs === 'missing'} && command === 'sync' ? { status: null, error: new Error('spawnSync sync ENOENT') } : spawnSync(command, args, options);
        };
        const { writeTreeAtomically } = require(${JSON.stringify(path.join(ROOT, 'lib', 'src', 'library', 'index.js'))});
        try {
          writeTreeAtomically(process.argv[1], 'prod', new Map(Object.entries(${JSON.stringify(written)})));
        } catch (err) {
          record.error = err.message;
        }
        process.stdout.write(JSON.stringify(record));`;
      const result = childProcess.spawnSync(process.execPath, ['-e', script, out], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(result.stderr);
      return JSON.parse(result.stdout);
    }

    test('with one syncfs of their file system (coreutils sync --file-system) on Linux: no fsync per file', () => {
      if (process.platform !== 'linux') return;
      const out = tmpdir('flush-syncfs');
      const recorded = writeRecorded(out, 'real');
      expect(recorded).toEqual({ syncs: [['--file-system', out]], fsynced: [out] });
      expect(readTree(path.join(out, 'prod'))).toEqual(files);
    });

    test('without syncfs, every file and folder is flushed on its own, then the output folder for the swap', () => {
      const out = tmpdir('flush-each');
      const { fsynced } = writeRecorded(out, 'missing');
      const staged = path.dirname(fsynced.find((p) => p.endsWith(KUSTOMIZATION))!);
      expect(path.basename(staged)).toMatch(/^\.prod\.tmp-\d+$/);
      expect(fsynced.slice(0, -1).map((p) => path.relative(staged, p) || '.').sort()).toEqual(['.', '_cluster', '_cluster/namespace-a.yaml', 'a', 'a/configmap-a.yaml', KUSTOMIZATION]);
      expect(fsynced[fsynced.length - 1]).toBe(out);
      expect(readTree(path.join(out, 'prod'))).toEqual(files);
    });

    test('without syncfs, a file the current folder holds unchanged is linked, and only its name is flushed, with its folder', () => {
      const out = tmpdir('flush-changed');
      writeTreeAtomically(out, 'prod', new Map(Object.entries(files)));
      const { fsynced } = writeRecorded(out, 'missing', false, { ...files, 'a/configmap-a.yaml': '2' });
      const staged = path.dirname(path.dirname(fsynced.find((p) => p.endsWith('configmap-a.yaml'))!));
      expect(fsynced.slice(0, -1).map((p) => path.relative(staged, p) || '.').sort()).toEqual(['.', '_cluster', 'a', 'a/configmap-a.yaml']);
      expect(readTree(path.join(out, 'prod'))['a/configmap-a.yaml']).toBe('2');
    });

    test('a fault while flushing keeps the old tree, leaves no temporary folder, and is named', () => {
      const out = tmpdir('flush-fault');
      writeTreeAtomically(out, 'prod', new Map(Object.entries({ ...files, 'a/configmap-a.yaml': 'old' })));
      expect(writeRecorded(out, 'missing', true).error).toBe(`cannot write ${out} (EIO): EIO: i/o error, fsync: fix the cause and run again; nothing there was changed`);
      expect(readTree(path.join(out, 'prod'))['a/configmap-a.yaml']).toBe('old');
      expect(fs.readdirSync(out)).toEqual(['prod']);
    });
  });
});

describe('concurrent runs', () => {
  jest.setTimeout(120_000);

  /** Runs the shipped bin; resolves with its exit code and stderr. */
  function bin(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = childProcess.spawn(process.execPath, [path.join(ROOT, 'bin', 'k8s-iac.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  test('four synths into one folder all succeed, one at a time, and leave every environment complete', async () => {
    // compile once first, so the four runs do not race to build lib/
    expect((await bin(['synth', '--outdir', tmpdir('warm')])).code).toBe(0);
    const out = tmpdir('synth-concurrent');
    const results = await Promise.all([1, 2, 3, 4].map(() => bin(['synth', '--outdir', out])));
    expect(results.map((r) => [r.code, r.stderr])).toEqual([1, 2, 3, 4].map(() => [0, '']));
    for (const env of PROJECT.environments.names) {
      const files = readTree(path.join(out, env));
      const listed = (files['kustomization.yaml'].match(/^ {2}- (.*)$/gm) ?? []).map((l) => l.slice(4));
      expect(listed.sort()).toEqual(Object.keys(files).filter((f) => f !== 'kustomization.yaml').sort());
    }
    expect(fs.readdirSync(out).sort()).toEqual([...PROJECT.environments.names].sort());
  });
});

describe('promote is one step or none', () => {
  test('an interrupted promote is reported by synth and promote, and --resume finishes it', () => {
    const releaseDir = releaseCopy();
    const dist = tmpdir('promote-dist');
    expect(run(['synth', '--outdir', dist, '--release-dir', releaseDir]).code).toBe(0);
    const original = fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8');
    // the state a kill between the two writes leaves: the journal, the release file still blue
    const promoted = JSON.parse(original);
    promoted.apps['go-multiroute'].blueGreen.active = 'green';
    promoted.apps['go-multiroute'].stable = promoted.apps['go-multiroute'].blueGreen.green;
    const releaseJson = `${JSON.stringify(promoted, null, 2)}\n`;
    fs.writeFileSync(promoteJournal(releaseDir, 'prod'), JSON.stringify({ app: 'go-multiroute', description: 'blue -> green', releaseJson }));
    const synth = run(['synth', '--outdir', dist, '--release-dir', releaseDir]);
    expect(synth.code).toBe(1);
    expect(synth.stderr).toMatch(/\[prod\] .*\.prod\.promote\.json: a promote of prod was interrupted, .* run `k8s-iac promote --env prod --resume` to finish it, or delete the journal/);
    expect(run(['promote', '--env', 'prod', '--app', 'go-multiroute', '--release-dir', releaseDir]).stderr).toMatch(/a promote of prod was interrupted/);
    const resumed = cli(['promote', '--env', 'prod', '--resume', '--release-dir', releaseDir, '--dist', dist], { project: PROJECT, log: () => undefined });
    expect(resumed).toBe(0);
    expect(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).toBe(releaseJson);
    expect(fs.existsSync(promoteJournal(releaseDir, 'prod'))).toBe(false);
    expect(fs.readFileSync(path.join(dist, 'prod', 'go-multiroute', 'service-go-multiroute.yaml'), 'utf8')).toMatch(/release.k8s-iac.dev\/colour: green/);
  });

  test.each([
    ['cut short', '{"app": "go-multi', /\.prod\.promote\.json: is not a promote journal \(.*JSON.*\): delete it to keep the release file as it is/],
    ['not an object', '[]', /\.prod\.promote\.json: is not a promote journal \(app, description, releaseJson must be strings\)/],
    ['a field missing', '{"app": "go-multiroute", "releaseJson": "{}"}', /\.prod\.promote\.json: is not a promote journal \(description must be a string\)/],
    ['releaseJson not JSON', '{"app": "go-multiroute", "description": "d", "releaseJson": "{"}', /\.prod\.promote\.json: releaseJson, the release file the promote writes, is not JSON/],
    ['releaseJson not a release state', '{"app": "go-multiroute", "description": "d", "releaseJson": "{}"}', /\.prod\.promote\.json: releaseJson: apps must be an object/],
  ])('--resume of a journal %s names the journal and changes nothing', (_case, journal, message) => {
    const releaseDir = releaseCopy();
    const dist = tmpdir('promote-dist');
    expect(run(['synth', '--outdir', dist, '--release-dir', releaseDir]).code).toBe(0);
    const before = fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8');
    const service = path.join(dist, 'prod', 'go-multiroute', 'service-go-multiroute.yaml');
    const serviceBefore = fs.readFileSync(service, 'utf8');
    fs.writeFileSync(promoteJournal(releaseDir, 'prod'), journal);
    const resumed = run(['promote', '--env', 'prod', '--resume', '--release-dir', releaseDir, '--dist', dist]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(message);
    expect(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).toBe(before);
    expect(fs.readFileSync(service, 'utf8')).toBe(serviceBefore);
    expect(fs.readFileSync(promoteJournal(releaseDir, 'prod'), 'utf8')).toBe(journal);
  });
});
