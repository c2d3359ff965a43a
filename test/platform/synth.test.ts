import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { AppDeployment, AppDeploymentProps, defineEnvironments, defineProject, main as cli, NamespacedApp, recoverInterrupted, writeTreeAtomically } from 'k8s-iac';
import { ENVIRONMENT_NAMES, LIMITS, PROJECT, QUOTA, readTree, releaseCopy, synthEnvironmentFiles, tmpdir } from '../helpers';

const main = (argv: readonly string[]) => cli(['synth', ...argv], { project: PROJECT });

function quiet<T>(fn: () => T): { result: T; stderr: string } {
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
  try {
    return { result: fn(), stderr: errors.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}


describe('synth command', () => {
  test('writes every environment, each with a kustomization listing its files', () => {
    const out = tmpdir('synth-test');
    expect(quiet(() => main(['--outdir', out])).result).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([...ENVIRONMENT_NAMES].sort());
    const prod = readTree(path.join(out, 'prod'));
    const listed = (prod['kustomization.yaml'].match(/^ {2}- (.*)$/gm) ?? []).map((l) => l.slice(4));
    expect(listed.sort()).toEqual(Object.keys(prod).filter((f) => f !== 'kustomization.yaml').sort());
  });

  test('--env writes only that environment', () => {
    const out = tmpdir('synth-test');
    quiet(() => main(['--env', 'prod', '--outdir', out]));
    expect(fs.readdirSync(out)).toEqual(['prod']);
  });

  test('keys in one order in every file: apiVersion, kind and metadata first, every other key sorted, at every level', () => {
    const LEADING = ['apiVersion', 'kind', 'metadata'];
    const misordered: string[] = [];
    const check = (value: unknown, where: string, top: boolean): void => {
      if (Array.isArray(value)) return value.forEach((item, i) => check(item, `${where}[${i}]`, false));
      if (typeof value !== 'object' || value === null) return;
      const keys = Object.keys(value);
      const want = top ? [...LEADING.filter((k) => keys.includes(k)), ...keys.filter((k) => !LEADING.includes(k)).sort()] : [...keys].sort();
      if (want.join() !== keys.join()) misordered.push(`${where}: ${keys.join(', ')}`);
      for (const k of keys) check((value as Record<string, unknown>)[k], `${where}.${k}`, false);
    };
    for (const env of ENVIRONMENT_NAMES) {
      for (const [file, text] of synthEnvironmentFiles(env)) check(YAML.parse(text), `${env}/${file}`, file !== 'kustomization.yaml');
    }
    expect(misordered).toEqual([]);
  });

  test('same input, same bytes', () => {
    const a = synthEnvironmentFiles('prod');
    const b = synthEnvironmentFiles('prod');
    expect([...a.entries()]).toEqual([...b.entries()]);
  });

  test('a folder of an environment the project no longer has is named and left as it was', () => {
    const out = tmpdir('synth-test');
    fs.mkdirSync(path.join(out, 'qa'));
    fs.writeFileSync(path.join(out, 'qa', 'kustomization.yaml'), 'resources: []\n');
    fs.mkdirSync(path.join(out, 'notes'));
    const lines: string[] = [];
    expect(cli(['synth', '--env', 'dev', '--outdir', out], { project: PROJECT, log: (l) => void lines.push(l), error: () => undefined })).toBe(0);
    expect(lines.filter((l) => l.includes('not an environment'))).toEqual([`${out}/qa: not an environment of this project (${ENVIRONMENT_NAMES.join(', ')}), left as it was: delete it if that environment is gone`]);
    expect(fs.readFileSync(path.join(out, 'qa', 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
  });

  test('unknown environment fails with the known names, and writes nothing', () => {
    const out = tmpdir('synth-test');
    const { result, stderr } = quiet(() => main(['--env', 'production', '--outdir', out]));
    expect(result).toBe(1);
    expect(stderr).toMatch(`unknown environment "production": use one of ${ENVIRONMENT_NAMES.join(', ')}`);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test('unknown argument and unknown command are named', () => {
    const { result, stderr } = quiet(() => main(['--environment', 'prod']));
    expect(result).toBe(1);
    expect(stderr).toMatch(/Unknown option '--environment'/);
    expect(quiet(() => cli(['sinth'], { project: PROJECT })).stderr).toMatch(/unknown command "sinth": use one of synth, diff, apply, promote/);
  });

  test('an error in one environment leaves every previous folder intact', () => {
    const out = tmpdir('synth-test');
    quiet(() => main(['--outdir', out]));
    const before = { dev: readTree(path.join(out, 'dev')), prod: readTree(path.join(out, 'prod')) };
    const releases = releaseCopy();
    const prodRelease = JSON.parse(fs.readFileSync(path.join(releases, 'prod.json'), 'utf8'));
    prodRelease.apps['go-multiroute'].stable.image = 'docker.io/leigg/go_multiroute:latest';
    fs.writeFileSync(path.join(releases, 'prod.json'), JSON.stringify(prodRelease));
    const { result, stderr } = quiet(() => main(['--outdir', out, '--release-dir', releases]));
    expect(result).toBe(1);
    // named by the release file and field it came from, not by the workload it would have reached
    expect(stderr).toMatch(/\[prod\] \S*prod\.json: apps\.go-multiroute\.stable\.image "docker.io\/leigg\/go_multiroute:latest" uses the tag "latest"/);
    expect(stderr).toMatch(/nothing was written/);
    expect(readTree(path.join(out, 'dev'))).toEqual(before.dev);
    expect(readTree(path.join(out, 'prod'))).toEqual(before.prod);
  });

  test('a malformed release file is reported with file and field', () => {
    const releases = releaseCopy();
    fs.writeFileSync(path.join(releases, 'test.json'), JSON.stringify({ apps: { 'go-multiroute': { stable: { version: 'v1' }, canary: { weight: 'ten' } } } }));
    expect(() => synthEnvironmentFiles('test', { releaseDir: releases })).toThrow(/test.json: apps.go-multiroute.stable.image must be a non-empty string/);
  });
});

/** A folder's files as synth writes them: the given ones and the kustomization listing them. */
function tree(files: Record<string, string>): Map<string, string> {
  return new Map([...Object.entries(files), ['kustomization.yaml', `resources:\n${Object.keys(files).map((f) => `  - ${f}\n`).join('')}`]]);
}

describe("an error thrown in the project's build", () => {
  const environments = defineEnvironments<Record<string, never>>()({ qa: { settings: { owner: { team: 'shop', email: 'shop@example.com' } }, values: {} } });
  function synthErrors(build: (ns: NamespacedApp) => void): string {
    const errors: string[] = [];
    const project = defineProject({ environments, build: (scope, env) => build(new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS })) });
    expect(cli(['synth', '--outdir', tmpdir('thrown')], { project, log: () => undefined, error: (l) => void errors.push(l) })).toBe(1);
    return errors.join('\n');
  }

  test("is named with the place in the project's code it came from, its own or a call that hit the library", () => {
    expect(
      synthErrors(() => {
        throw new Error('runtime boom');
      }),
    ).toMatch(/\[qa\] runtime boom \(thrown in the project's build at test\/platform\/synth\.test\.ts:\d+:\d+\)/);
    // a value the types would refuse, passed where they were not checked: the library's TypeError, placed at the call
    const untyped = { name: 'web', version: 'v1' } as unknown as AppDeploymentProps;
    expect(synthErrors((ns) => void new AppDeployment(ns, 'Web', untyped))).toMatch(/\[qa\] Cannot read properties of undefined \(reading '[a-zA-Z]+'\) \(thrown in the project's build at test\/platform\/synth\.test\.ts:\d+:\d+\)/);
  });
});

describe('atomic replacement', () => {
  test('replaces the folder whole: files no longer made are gone', () => {
    const out = tmpdir('synth-test');
    writeTreeAtomically(out, 'prod', tree({ 'a/configmap-one.yaml': '1', 'b/configmap-two.yaml': '2' }));
    writeTreeAtomically(out, 'prod', tree({ 'b/configmap-two.yaml': '22' }));
    expect(readTree(path.join(out, 'prod'))).toEqual(Object.fromEntries(tree({ 'b/configmap-two.yaml': '22' })));
    expect(fs.readdirSync(out)).toEqual(['prod']);
  });

  test('a run killed between the two renames is recovered by the next', () => {
    const out = tmpdir('synth-test');
    writeTreeAtomically(out, 'prod', tree({ 'a/configmap-x.yaml': 'old' }));
    // the state a kill leaves: the old tree moved aside, the new one not yet in place
    fs.renameSync(path.join(out, 'prod'), path.join(out, '.prod.old'));
    fs.mkdirSync(path.join(out, '.prod.tmp-999'));
    recoverInterrupted(out, 'prod');
    expect(readTree(path.join(out, 'prod'))).toEqual(Object.fromEntries(tree({ 'a/configmap-x.yaml': 'old' })));
    expect(fs.readdirSync(out)).toEqual(['prod']);
  });

  test('a folder a killed run moved aside is put back by the next run, whichever environment it writes', () => {
    const out = tmpdir('synth-test');
    writeTreeAtomically(out, 'qa', tree({ 'a/configmap-x.yaml': 'qa' }));
    const qa = readTree(path.join(out, 'qa'));
    fs.renameSync(path.join(out, 'qa'), path.join(out, '.qa.old'));
    // a dotted folder of the user's that is no moved-aside environment (no kustomization): left as it is
    fs.mkdirSync(path.join(out, '.notes.old'));
    writeTreeAtomically(out, 'live', tree({ 'a/configmap-y.yaml': 'live' }));
    expect(readTree(path.join(out, 'qa'))).toEqual(qa);
    expect(fs.readdirSync(out).sort()).toEqual(['.notes.old', 'live', 'qa']);
  });

  test('an unchanged file is linked from the current folder, a changed one written anew', () => {
    const out = tmpdir('synth-test');
    writeTreeAtomically(out, 'prod', tree({ 'a/configmap-same.yaml': 'a', 'a/configmap-changed.yaml': 'b' }));
    const inode = (file: string) => fs.statSync(path.join(out, 'prod', file)).ino;
    const before = { same: inode('a/configmap-same.yaml'), changed: inode('a/configmap-changed.yaml') };
    writeTreeAtomically(out, 'prod', tree({ 'a/configmap-same.yaml': 'a', 'a/configmap-changed.yaml': 'c' }));
    expect(inode('a/configmap-same.yaml')).toBe(before.same);
    expect(inode('a/configmap-changed.yaml')).not.toBe(before.changed);
    expect(readTree(path.join(out, 'prod'))).toEqual(Object.fromEntries(tree({ 'a/configmap-same.yaml': 'a', 'a/configmap-changed.yaml': 'c' })));
  });
});
