import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addWarning, AppDeployment, defineEnvironments, defineProject, main, NamespacedApp, podNamingWarning, Watch, watchProject, warningsOf } from 'k8s-iac';
import { scopeWarnings, synthProblems, synthScope, synthWarnings } from 'k8s-iac/testing';
import { KubeCronJob, KubeDaemonSet, KubeDeployment, KubePod } from '../../imports/k8s';
import { LIMITS, QUOTA, tmpdir, WEB_POD } from '../helpers';

const POD_SPEC = { containers: [{ name: 'c', image: 'nginx' }] };
const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: POD_SPEC };

const environments = defineEnvironments<Record<string, never>>()({
  qa: { settings: { owner: { team: 'shop', email: 'shop@example.com' }, requireImageDigest: false }, values: {} },
  live: { settings: { owner: { team: 'shop', email: 'shop@example.com' }, requireImageDigest: false }, values: {} },
});

/** A project of one AppDeployment named `name` in each environment, and a refused one in `live` when `brokenLive`. */
const project = (name: string, brokenLive = false) =>
  defineProject({
    environments,
    build(scope, env) {
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS });
      new AppDeployment(ns, 'Web', { name, appName: 'web', version: 'v1', ...WEB_POD });
      if (brokenLive && env.name === 'live') new AppDeployment(ns, 'Broken', { name: 'broken', version: 'v1', ...WEB_POD, replicas: -1 });
    },
  });

describe('the API server warning for a name used in Pod names', () => {
  test.each(['Deployment', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'])('a %s named with a dot is warned of, one named as a DNS label is not', (kind) => {
    expect(podNamingWarning(kind, 'web.v2')).toMatch(new RegExp(`^${kind} "web\\.v2" is not a DNS label, and the name is used in .*a DNS label is recommended.*use at most 63 lower-case letters`));
    expect(podNamingWarning(kind, 'web-v2')).toBeUndefined();
  });

  test('a name longer than a DNS label is warned of too', () => {
    expect(podNamingWarning('Deployment', 'a'.repeat(64))).toMatch(/is not a DNS label/);
    expect(podNamingWarning('Deployment', 'a'.repeat(63))).toBeUndefined();
  });

  test('kinds the API server admits silently with such a name are not warned of', () => {
    // kube-apiserver 1.28 admits a DaemonSet named a.b without a warning, and refuses a StatefulSet so named
    for (const kind of ['DaemonSet', 'StatefulSet', 'Service', 'ConfigMap']) expect(podNamingWarning(kind, 'a.b')).toBeUndefined();
  });

  test('synth says it for any object of those kinds, a generated class included, with its construct path', () => {
    const warnings = scopeWarnings((app) => {
      const chart = new Chart(app, 'c', { namespace: 'shop' });
      new KubeDeployment(chart, 'web', { metadata: { name: 'web.v2' }, spec: { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } });
      new KubePod(chart, 'pod', { metadata: { name: 'debug.shell' }, spec: POD_SPEC });
      new KubeCronJob(chart, 'job', { metadata: { name: 'nightly' }, spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: POD_SPEC } } } } });
      new KubeDaemonSet(chart, 'agent', { metadata: { name: 'node.agent' }, spec: { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } });
    });
    expect(warnings).toEqual([expect.stringMatching(/^\[test\] c\/web: Deployment "web\.v2" is not a DNS label/), expect.stringMatching(/^\[test\] c\/pod: Pod "debug\.shell" is not a DNS label, and the name is used in its hostname/)]);
  });

  test('an AppDeployment named with a dot renders, and its synth says the warning once per environment', () => {
    expect(synthWarnings(project('web.v2'), 'qa')).toEqual([expect.stringMatching(/^\[qa\] shop\/Web\/Resource: Deployment "web\.v2" is not a DNS label/)]);
    expect(synthWarnings(project('web-v2'), 'qa')).toEqual([]);
  });
});

describe('addWarning', () => {
  class Legacy extends Construct {
    constructor(scope: Construct, id: string) {
      super(scope, id);
      addWarning(this, 'kept for the old clients: remove it once they moved');
    }
  }

  test("a construct's own warning is said after its path, in the tree's order, and the synth goes on", () => {
    const warnings = scopeWarnings((app) => {
      new Legacy(app, 'first');
      new Legacy(new Construct(app, 'group'), 'second');
    });
    expect(warnings).toEqual(['[test] first: kept for the old clients: remove it once they moved', '[test] group/second: kept for the old clients: remove it once they moved']);
    // a warning is no problem: the synth renders what there is
    expect(synthScope((app) => void new Legacy(app, 'only'))).toEqual([]);
  });

  test('warningsOf reads a construct\'s own warnings, not its children\'s', () => {
    const app = new App();
    const parent = new Legacy(app, 'parent');
    new Legacy(parent, 'child');
    expect(warningsOf(parent)).toEqual(['kept for the old clients: remove it once they moved']);
  });
});

describe('synth says the warnings', () => {
  /** A command of `proj` against `outdir`: its exit status and the lines of each stream. */
  function run(command: 'synth' | 'diff', proj: ReturnType<typeof project>, outdir: string): { code: number; lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = main([command, '--outdir', outdir], { project: proj, log: (l) => void lines.push(l), error: (l) => void errors.push(l) });
    return { code, lines, errors };
  }
  const synth = (proj: ReturnType<typeof project>, outdir: string) => run('synth', proj, outdir);

  test('on the error stream, in the order of the environments, and writes the files all the same', () => {
    const out = tmpdir('warnings');
    const result = synth(project('web.v2'), out);
    expect(result.code).toBe(0);
    expect(result.errors).toEqual([expect.stringMatching(/^warning: \[qa\] shop\/Web\/Resource: Deployment "web\.v2"/), expect.stringMatching(/^warning: \[live\] shop\/Web\/Resource: Deployment "web\.v2"/)]);
    expect(result.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
    expect(fs.existsSync(path.join(out, 'qa', 'shop', 'deployment-web.v2.yaml'))).toBe(true);
  });

  test('beside the problems of a synth that fails, which writes nothing', () => {
    const out = tmpdir('warnings');
    const result = synth(project('web.v2', true), out);
    expect(result.code).not.toBe(0);
    expect(result.errors.filter((l) => l.startsWith('warning:'))).toHaveLength(2);
    expect(result.errors.join('\n')).toMatch(/live\] shop\/Broken/);
    expect(fs.existsSync(path.join(out, 'qa'))).toBe(false);
  });

  test('diff says them too, beside its diff', () => {
    const out = tmpdir('warnings');
    synth(project('web-v2'), out);
    const diff = run('diff', project('web.v2'), out);
    expect(diff.code).toBe(1);
    expect(diff.errors).toEqual([expect.stringMatching(/^warning: \[qa\] shop\/Web\/Resource: Deployment "web\.v2"/), expect.stringMatching(/^warning: \[live\] /)]);
  });

  test('synth --watch says them with each synth of the environment', async () => {
    const out = tmpdir('warnings');
    const releases = tmpdir('warnings-release');
    const errors: string[] = [];
    const logs: string[] = [];
    let watch: Watch | undefined;
    try {
      watch = watchProject(project('web.v2'), new Map(), { envs: ['qa', 'live'], outdir: out, releaseDir: releases, write: {}, load: () => project('web.v2'), log: (l) => logs.push(l), error: (l) => errors.push(l) });
      // any change synthesizes the environments not written since the watch started
      fs.writeFileSync(path.join(releases, 'qa.json'), '{}');
      const deadline = Date.now() + 20_000;
      while (!logs.some((l) => l.startsWith('watch: wrote')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      watch?.close();
    }
    expect(logs).toContainEqual(expect.stringMatching(/^watch: wrote qa, live /));
    expect(errors).toEqual([expect.stringMatching(/^watch: warning: \[qa\] shop\/Web\/Resource: Deployment "web\.v2"/), expect.stringMatching(/^watch: warning: \[live\] /)]);
  });

  test('a project without warnings says none', () => {
    const out = tmpdir('warnings');
    expect(synth(project('web'), out).errors).toEqual([]);
    expect(synthProblems(() => synthWarnings(project('web', true), 'live'))).toContainEqual(expect.stringMatching(/Broken/));
  });
});
