import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { main as cli, planPromote, runPromote } from 'k8s-iac';
import { changedFiles, unifiedDiff } from '../../src/library/runner/promote';
import { ENVIRONMENT_NAMES, PROJECT, releaseCopy, synthEnvironmentFiles, tmpdir } from '../helpers';

const main = (argv: readonly string[]) => cli(['promote', ...argv], { project: PROJECT });

type Obj = Record<string, any>;

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const withoutSelector = (service: Obj) => ({ ...service, spec: { ...service.spec, selector: undefined } });

describe('promote prod go-multiroute', () => {
  const releaseDir = releaseCopy();
  const plan = planPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir });

  test('the idle colour becomes active', () => {
    expect([plan.from, plan.to]).toEqual(['blue', 'green']);
  });

  test('before is what synth makes today', () => {
    expect([...plan.before.entries()]).toEqual([...synthEnvironmentFiles('prod', { releaseDir }).entries()]);
  });

  test('only the two Services change, and in them only the selector colour', () => {
    expect(changedFiles(plan.before, plan.after)).toEqual(['go-multiroute/service-go-multiroute-preview.yaml', 'go-multiroute/service-go-multiroute.yaml']);
    for (const file of changedFiles(plan.before, plan.after)) {
      const before = YAML.parse(plan.before.get(file) ?? '');
      const after = YAML.parse(plan.after.get(file) ?? '');
      expect(withoutSelector(after)).toEqual(withoutSelector(before));
      expect(after.spec.selector['app.kubernetes.io/name']).toBe('go-multiroute');
    }
    const active = YAML.parse(plan.after.get('go-multiroute/service-go-multiroute.yaml') ?? '');
    expect(active.metadata.labels['release.k8s-iac.dev/role']).toBe('active');
    expect(active.spec.selector['release.k8s-iac.dev/colour']).toBe('green');
    const preview = YAML.parse(plan.after.get('go-multiroute/service-go-multiroute-preview.yaml') ?? '');
    expect(preview.spec.selector['release.k8s-iac.dev/colour']).toBe('blue');
  });

  test('the release file: active flipped, stable follows it, the rest as it was, 2-space JSON with a final newline', () => {
    const original = JSON.parse(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8'));
    const expected = structuredClone(original);
    expected.apps['go-multiroute'].blueGreen.active = 'green';
    expected.apps['go-multiroute'].stable = original.apps['go-multiroute'].blueGreen.green;
    expect(plan.releaseJson).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  test('a release file laid out with tabs, or on one line, is written back so: the change is the lines it changes', () => {
    const original = JSON.parse(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8'));
    for (const indent of ['\t', 4, undefined]) {
      const dir = releaseCopy();
      fs.writeFileSync(path.join(dir, 'prod.json'), `${JSON.stringify(original, null, indent)}\n`);
      const written = planPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir: dir }).releaseJson;
      expect(written).toBe(`${JSON.stringify(JSON.parse(written), null, indent)}\n`);
      expect(written.split('\n').length).toBe(`${JSON.stringify(original, null, indent)}\n`.split('\n').length);
    }
  });
});

describe('promote prod go-multiroute with a shrunk idle colour (idleReplicas 0)', () => {
  const releaseDir = releaseCopy();
  const file = path.join(releaseDir, 'prod.json');
  const shrunk = JSON.parse(fs.readFileSync(file, 'utf8'));
  shrunk.apps['go-multiroute'].blueGreen.idleReplicas = 0;
  fs.writeFileSync(file, `${JSON.stringify(shrunk, null, 2)}\n`);
  const deployment = (files: ReadonlyMap<string, string>, colour: string) => YAML.parse(files.get(`go-multiroute/deployment-go-multiroute-${colour}.yaml`) ?? '');
  const hpa = (files: ReadonlyMap<string, string>, colour: string) => files.has(`go-multiroute/horizontalpodautoscaler-go-multiroute-${colour}.yaml`);

  test('the first promote scales the idle colour to full size and switches nothing: a switch now would send users to pods still starting', () => {
    const warm = planPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir });
    expect(warm.to).toBeUndefined();
    expect(warm.description).toMatch(/^green scaled up to full size beside blue \(idleReplicas 0 keeps it smaller\), ready for the switch: apply it, check green through the preview Service/);
    expect(deployment(warm.before, 'green').spec.replicas).toBe(0);
    // at full size: as the active colour runs (the HPA's, where it has one)
    expect(hpa(warm.after, 'green')).toBe(hpa(warm.after, 'blue'));
    expect(deployment(warm.after, 'green').spec.replicas).toBe(deployment(warm.after, 'blue').spec.replicas);
    expect(changedFiles(warm.before, warm.after).filter((f) => f.startsWith('go-multiroute/service-'))).toEqual([]);
    expect(JSON.parse(warm.releaseJson).apps['go-multiroute'].blueGreen).toMatchObject({ active: 'blue', warm: true });
  });

  test('the second switches, and the colour left idle shrinks again', () => {
    fs.writeFileSync(file, planPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir }).releaseJson);
    const plan = planPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir });
    expect([plan.from, plan.to]).toEqual(['blue', 'green']);
    expect(YAML.parse(plan.after.get('go-multiroute/service-go-multiroute.yaml') ?? '').spec.selector['release.k8s-iac.dev/colour']).toBe('green');
    expect(deployment(plan.after, 'blue').spec.replicas).toBe(0);
    expect(deployment(plan.after, 'green')).toEqual(deployment(plan.before, 'green'));
    expect(JSON.parse(plan.releaseJson).apps['go-multiroute'].blueGreen.warm).toBeUndefined();
  });
});

describe('promote command', () => {
  const quiet = () => {
    const lines: string[] = [];
    return { lines, log: (l: string) => void lines.push(l) };
  };

  test('--outdir writes the promoted manifests there and touches neither release/ nor dist/', () => {
    const releaseDir = releaseCopy();
    const releaseBefore = fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8');
    const dist = tmpdir('promote-test');
    const outdir = tmpdir('promote-test');
    const { lines, log } = quiet();
    const plan = runPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir, dist, outdir }, log);
    expect([...readTree(path.join(outdir, 'prod')).entries()].sort()).toEqual([...plan.after.entries()].sort());
    expect(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).toBe(releaseBefore);
    expect(fs.readdirSync(dist)).toEqual([]);
    const output = lines.join('\n');
    expect(output).toMatch(/go-multiroute in prod: active colour blue -> green/);
    expect(output).toMatch(/^-    release.k8s-iac.dev\/colour: blue\n\+    release.k8s-iac.dev\/colour: green$/m);
    expect(output).not.toMatch(/deployment-/);
  });

  test('without --outdir: release file and dist/<env> are rewritten; promoting again rolls back', () => {
    const releaseDir = releaseCopy();
    const original = fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8');
    const dist = tmpdir('promote-test');
    const first = runPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir, dist }, quiet().log);
    expect(JSON.parse(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).apps['go-multiroute'].blueGreen.active).toBe('green');
    expect([...readTree(path.join(dist, 'prod')).entries()].sort()).toEqual([...first.after.entries()].sort());
    const back = runPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir, dist }, quiet().log);
    expect(back.to).toBe('blue');
    expect(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).toBe(original);
    expect([...back.after.entries()]).toEqual([...first.before.entries()]);
  });

  test('main: exit code 1 and the reason for an unknown env, unknown app, or an app without blueGreen', () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      expect(main(['--env', 'production', '--app', 'go-multiroute'])).toBe(1);
      expect(main(['--env', 'prod', '--app', 'shop', '--outdir', tmpdir('promote-test')])).toBe(1);
      expect(main(['--env', 'test', '--app', 'go-multiroute', '--outdir', tmpdir('promote-test')])).toBe(1);
      expect(main(['--env', 'prod'])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toMatch(`unknown environment "production": use one of ${ENVIRONMENT_NAMES.join(', ')}`);
    expect(errors[1]).toMatch(/--app shop is not an app the project releases: use one of go-multiroute, mysql, fluent-bit \(the apps of .*prod.json\)/);
    expect(errors[2]).toMatch(/app "go-multiroute" in .*test.json has no blueGreen release, so there is no colour to switch to: a canary is promoted with --canary-weight N/);
    expect(errors[3]).toMatch(/promote needs --env NAME and --app NAME/);
  });

  test('an app with only a stable release: nothing to promote, and where its release is changed, not options it cannot use', () => {
    const releaseDir = releaseCopy();
    const errors: string[] = [];
    expect(cli(['promote', '--env', 'prod', '--app', 'mysql', '--release-dir', releaseDir, '--outdir', tmpdir('promote-test')], { project: PROJECT, error: (l) => void errors.push(l), log: () => undefined })).toBe(1);
    expect(errors).toEqual([
      `error: app "mysql" in ${path.join(releaseDir, 'prod.json')} has only a stable release, so there is nothing to promote: its release is changed by editing apps.mysql.stable in ${path.join(releaseDir, 'prod.json')}`,
    ]);
  });

  test('messages name the release file relative to the working folder, as synth names it', () => {
    const cwd = process.cwd();
    const here = tmpdir('promote-cwd');
    fs.cpSync(releaseCopy(), path.join(here, 'release'), { recursive: true });
    const errors: string[] = [];
    const run = (argv: readonly string[]) => cli(['promote', '--release-dir', 'release', '--outdir', 'out', ...argv], { project: PROJECT, error: (l) => void errors.push(l), log: () => undefined });
    process.chdir(here);
    try {
      expect(run(['--env', 'prod', '--app', 'shop'])).toBe(1);
      expect(run(['--env', 'test', '--app', 'go-multiroute'])).toBe(1);
      expect(run(['--env', 'test', '--app', 'go-multiroute', '--canary-weight', '20'])).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    expect(errors[0]).toMatch(/^error: --app shop is not an app the project releases: use one of go-multiroute, mysql, fluent-bit \(the apps of release\/prod\.json\)/);
    expect(errors[1]).toMatch(/^error: app "go-multiroute" in release\/test\.json has no blueGreen release/);
    expect(errors[2]).toMatch(/^error: canary v2 weight 20 -> 20: release\/test\.json says so already/);
  });

  test('promote takes one environment; --resume asks for the one it resumes', () => {
    const errors: string[] = [];
    const run = (argv: readonly string[]) => cli(['promote', ...argv], { project: PROJECT, error: (l) => void errors.push(l), log: () => undefined });
    expect(run(['--env', 'dev', '--env', 'prod', '--app', 'go-multiroute', '--outdir', tmpdir('promote-test')])).toBe(1);
    expect(run(['--resume'])).toBe(1);
    expect(errors[0]).toMatch(/promote takes one environment: give --env NAME once/);
    expect(errors[1]).toMatch(/promote --resume needs the environment whose promote was interrupted: k8s-iac promote --env NAME --resume/);
  });

  test('a file in the folder that synth did not write stops the promote before anything changes, and leaves no journal; --delete-unknown removes it', () => {
    const releaseDir = releaseCopy();
    const release = fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8');
    const dist = tmpdir('promote-test');
    expect(cli(['synth', '--env', 'prod', '--outdir', dist, '--release-dir', releaseDir], { project: PROJECT, log: () => undefined })).toBe(0);
    fs.writeFileSync(path.join(dist, 'prod', 'notes.txt'), 'mine\n');
    const errors: string[] = [];
    const argv = ['promote', '--env', 'prod', '--app', 'go-multiroute', '--release-dir', releaseDir, '--dist', dist];
    expect(cli(argv, { project: PROJECT, log: () => undefined, error: (l) => void errors.push(l) })).toBe(1);
    expect(errors.join('\n')).toMatch(/notes\.txt/);
    expect(fs.existsSync(path.join(releaseDir, '.prod.promote.json'))).toBe(false);
    expect(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).toBe(release);
    expect(fs.existsSync(path.join(dist, 'prod', 'notes.txt'))).toBe(true);
    const said: string[] = [];
    expect(cli([...argv, '--delete-unknown'], { project: PROJECT, log: (l) => void said.push(l) })).toBe(0);
    expect(said).toContainEqual(expect.stringMatching(/^files synth did not write go with their folder when it is replaced \(--delete-unknown\): .*prod\/notes\.txt$/));
    expect(fs.existsSync(path.join(dist, 'prod', 'notes.txt'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(releaseDir, 'prod.json'), 'utf8')).apps['go-multiroute'].blueGreen.active).toBe('green');
  });

  test("a release file's temporary that a killed promote left is removed by the next promote; a running one's is kept", () => {
    const releaseDir = releaseCopy();
    const dist = tmpdir('promote-test');
    // a pid no process has: Linux hands out at most 2^22
    fs.writeFileSync(path.join(releaseDir, 'prod.json.tmp-4999999'), '{');
    fs.writeFileSync(path.join(releaseDir, `dev.json.tmp-${process.ppid}`), '{');
    runPromote(PROJECT, { env: 'prod', app: 'go-multiroute', releaseDir, dist }, () => undefined);
    expect(fs.readdirSync(releaseDir).filter((f) => f.includes('.tmp-'))).toEqual([`dev.json.tmp-${process.ppid}`]);
  });

  test('unknown arguments are named', () => {
    const errors: string[] = [];
    expect(cli(['promote', '--env', 'prod', '--app', 'go-multiroute', '--colour', 'green'], { project: PROJECT, error: (l) => void errors.push(l) })).toBe(1);
    expect(errors.join('\n')).toMatch(/Unknown option '--colour'/);
  });
});

describe('line diff', () => {
  test('a changed line reads as removal then addition, common lines kept', () => {
    expect(unifiedDiff('f', 'a\nb\nc\n', 'a\nx\nc\n')).toBe(['--- f', '+++ f', '@@ -1,3 +1,3 @@', ' a', '-b', '+x', ' c'].join('\n'));
  });

  test('hunks carry 3 lines of context and their line ranges; far changes get their own hunk', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = before.map((l) => (l === 'line 2' || l === 'line 18' ? `${l} changed` : l));
    expect(unifiedDiff('f.yaml', `${before.join('\n')}\n`, `${after.join('\n')}\n`)).toBe(
      [
        '--- f.yaml',
        '+++ f.yaml',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+line 2 changed',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -15,6 +15,6 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        '+line 18 changed',
        ' line 19',
        ' line 20',
      ].join('\n'),
    );
  });

  test('an added file diffs against /dev/null', () => {
    expect(unifiedDiff('new.yaml', undefined, 'a\nb\n')).toBe(['--- /dev/null', '+++ new.yaml', '@@ -0,0 +1,2 @@', '+a', '+b'].join('\n'));
  });
});
