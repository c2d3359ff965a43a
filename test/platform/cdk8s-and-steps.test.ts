import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { main as cli, planPromote } from 'k8s-iac';
import { PROJECT, readTree, releaseCopy, synthEnvironmentFiles, tmpdir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = cli(argv, { project: PROJECT, env, log: (l) => void out.push(l), error: (l) => void err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The cdk8s CLI, as a cdk8s user runs it from the repository. */
function cdk8s(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const bin = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
  return spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}


describe('cdk8s synth', () => {
  jest.setTimeout(120_000);

  test('--stdout prints exactly the objects of dist/, as valid multi-document YAML, and writes nothing', () => {
    const before = readTree(path.join(ROOT, 'dist'));
    const result = cdk8s(['synth', '--stdout']);
    expect(result.status).toBe(0);
    const docs = YAML.parseAllDocuments(result.stdout);
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    const printed = docs.map((d) => d.toJS()).filter((o) => o !== null);
    const expected = PROJECT.environments.names.flatMap((env) =>
      [...synthEnvironmentFiles(env)].filter(([file]) => file !== 'kustomization.yaml').map(([, text]) => YAML.parse(text)),
    );
    // cdk8s prints its output files in name order; each environment's objects keep their apply order
    const byText = (objects: unknown[]) => objects.map((o) => JSON.stringify(o)).sort();
    expect(byText(printed)).toEqual(byText(expected));
    expect(printed.length).toBe(expected.length);
    expect(printed.some((o) => o.kind === 'Kustomization')).toBe(false);
    expect(readTree(path.join(ROOT, 'dist'))).toEqual(before);
  });

  test('K8S_IAC_ENV picks one environment for --stdout', () => {
    const result = cdk8s(['synth', '--stdout'], { K8S_IAC_ENV: 'prod' });
    expect(result.status).toBe(0);
    const namespaces = new Set(YAML.parseAllDocuments(result.stdout).map((d) => d.toJS()?.metadata?.labels?.['k8s-iac.dev/environment']));
    expect([...namespaces].filter(Boolean)).toEqual(['prod']);
  });

  test('a failing app leaves the committed dist/ as it was', () => {
    const before = readTree(path.join(ROOT, 'dist'));
    const result = cdk8s(['synth'], { K8S_IAC_ENV: 'production' });
    expect(result.status).not.toBe(0);
    expect(result.stderr + result.stdout).toMatch(/unknown environment "production"/);
    expect(readTree(path.join(ROOT, 'dist'))).toEqual(before);
  });
});

describe('diff: what a synth would change', () => {
  test('no change against a fresh synth; a changed release shows as a unified diff of the files, and nothing is written', () => {
    const out = tmpdir('diff');
    expect(run(['synth', '--outdir', out]).code).toBe(0);
    const same = run(['diff', '--env', 'prod', '--outdir', out]);
    expect(same.out).toMatch(/prod: no change$/);
    expect(same.code).toBe(0);
    const releases = releaseCopy();
    const prod = JSON.parse(fs.readFileSync(path.join(releases, 'prod.json'), 'utf8'));
    prod.apps['go-multiroute'].blueGreen.idleReplicas = 1;
    fs.writeFileSync(path.join(releases, 'prod.json'), JSON.stringify(prod));
    const before = readTree(out);
    const result = run(['diff', '--env', 'prod', '--outdir', out, '--release-dir', releases]);
    // a difference is exit 1, as diff and kubectl diff: CI can fail on a stale folder
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^--- .*prod\/go-multiroute\/deployment-go-multiroute-green.yaml\n\+\+\+ .*deployment-go-multiroute-green.yaml\n@@ /m);
    // the idle colour shrinks to one replica: its HPA goes and the Deployment states its replicas
    expect(result.out).toMatch(/^\+  replicas: 1$/m);
    expect(result.out).toMatch(/horizontalpodautoscaler-go-multiroute-green.yaml\n\+\+\+ \/dev\/null/);
    expect(readTree(out)).toEqual(before);
  });

  test('a synth with problems is exit 2, and its message says diff compared nothing (synth\'s says it wrote nothing)', () => {
    const out = tmpdir('diff');
    const releases = releaseCopy();
    const prod = JSON.parse(fs.readFileSync(path.join(releases, 'prod.json'), 'utf8'));
    prod.apps['go-multiroute'].stable.image = 'docker.io/leigg/go_multiroute:latest';
    fs.writeFileSync(path.join(releases, 'prod.json'), JSON.stringify(prod));
    const result = run(['diff', '--env', 'prod', '--outdir', out, '--release-dir', releases]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: synth failed with 1 error; nothing was compared:\n  \[prod\] \S*prod\.json: apps\.go-multiroute\.stable\.image .* uses the tag "latest"/);
    expect(result.out).toBe('');
    expect(run(['synth', '--env', 'prod', '--outdir', out, '--release-dir', releases]).err).toMatch(/^error: synth failed with 1 error; nothing was written:/);
  });

  test('an --outdir that does not exist is exit 2, not every file shown as new; a new environment in an existing folder is', () => {
    const out = tmpdir('diff');
    const missing = run(['diff', '--env', 'prod', '--outdir', path.join(out, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: \S*nope does not exist, so there is nothing to compare with: give the folder synth writes with --outdir, or synth first$/);
    expect(missing.out).toBe('');
    const fresh = run(['diff', '--env', 'prod', '--outdir', out]);
    expect(fresh.code).toBe(1);
    expect(fresh.out).toMatch(/^--- \/dev\/null\n\+\+\+ .*prod\//m);
  });

  test('a file synth did not write is named, not shown as deleted, and the diff exits 1: a synth would stop on it', () => {
    const out = tmpdir('diff');
    expect(run(['synth', '--outdir', out]).code).toBe(0);
    fs.writeFileSync(path.join(out, 'prod', 'notes.txt'), 'mine\n');
    const result = run(['diff', '--env', 'prod', '--outdir', out]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/prod: no change to the files synth writes\n.*prod: holds files synth did not write, which stop a synth: notes\.txt \(move them out, or synth with --delete-unknown\)/);
    expect(result.out).not.toMatch(/\/dev\/null/);
  });
});

describe('canary steps', () => {
  const releases = () => releaseCopy();

  test('--canary-weight sets the share and changes only the canary Route', () => {
    const plan = planPromote(PROJECT, { env: 'test', app: 'go-multiroute', releaseDir: releases(), step: { kind: 'canary-weight', weight: 50 } });
    expect(plan.description).toBe('canary v2 weight 20 -> 50');
    expect([...plan.before.keys()].filter((f) => plan.before.get(f) !== plan.after.get(f))).toEqual(['go-multiroute/httproute-go-multiroute.yaml']);
    expect(JSON.parse(plan.releaseJson).apps['go-multiroute'].canary.weight).toBe(50);
  });

  test('--canary-finish makes the canary stable and removes its objects; --canary-abort removes them and keeps stable', () => {
    const finish = planPromote(PROJECT, { env: 'test', app: 'go-multiroute', releaseDir: releases(), step: { kind: 'canary-finish' } });
    const finished = JSON.parse(finish.releaseJson).apps['go-multiroute'];
    expect(finished.canary).toBeUndefined();
    expect(finished.stable.version).toBe('v2');
    expect([...finish.after.keys()].some((f) => f.includes('canary'))).toBe(false);
    const abort = planPromote(PROJECT, { env: 'test', app: 'go-multiroute', releaseDir: releases(), step: { kind: 'canary-abort' } });
    const aborted = JSON.parse(abort.releaseJson).apps['go-multiroute'];
    expect(aborted.canary).toBeUndefined();
    expect(aborted.stable.version).toBe('v1');
  });

  test('the command writes the release file and the folder, with the same diff and journal as a switch', () => {
    const releaseDir = releases();
    const dist = tmpdir('canary-dist');
    const result = run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', '35', '--release-dir', releaseDir, '--dist', dist]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/go-multiroute in test: canary v2 weight 20 -> 35/);
    expect(result.out).toMatch(/^\+\s+weight: 35$/m);
    expect(JSON.parse(fs.readFileSync(path.join(releaseDir, 'test.json'), 'utf8')).apps['go-multiroute'].canary.weight).toBe(35);
    expect(fs.readFileSync(path.join(dist, 'test', 'go-multiroute', 'httproute-go-multiroute.yaml'), 'utf8')).toMatch(/weight: 35/);
  });

  test('bad steps are named: two at once, a weight that is no number, a weight out of range, a step without a canary', () => {
    expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-finish', '--canary-abort']).err).toMatch(/one step each: give one of them/);
    expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', 'half']).err).toMatch(/--canary-weight "half" is not a whole number/);
    // JavaScript's Number() reads these as 16, 10 and 3: a typo must not move live traffic
    for (const typo of ['0x10', '1e1', '0b11', '2.5']) expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', typo]).err).toMatch(`--canary-weight "${typo}" is not a whole number`);
    expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', '150', '--release-dir', releases()]).err).toMatch(/^error: --canary-weight 150 is outside 0-100 \(percent of requests\): give a whole number in that range$/);
    expect(run(['promote', '--env', 'dev', '--app', 'go-multiroute', '--canary-finish', '--release-dir', releases()]).err).toMatch(/has no canary release: start one by adding a canary entry/);
    // prod releases blue-green: a canary entry would be refused there, so the colour switch is what it is told
    expect(run(['promote', '--env', 'prod', '--app', 'go-multiroute', '--canary-weight', '20', '--release-dir', releases()]).err).toMatch(
      /^error: app "go-multiroute" in .*prod\.json is released blue-green, which has no canary to step: switch its colour by running the same promote without --canary-weight, --canary-finish or --canary-abort$/,
    );
    expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', '20', '--release-dir', releases()]).err).toMatch(/^error: canary v2 weight 20 -> 20: .*test\.json says so already, so there is nothing to promote$/);
    expect(run(['promote', '--env', 'test', '--app', 'go-multiroute', '--canary-weight', '-5']).err).toMatch(/^error: --canary-weight needs a value: give it after the option, or as --canary-weight=VALUE where the value starts with '-'$/);
  });
});
