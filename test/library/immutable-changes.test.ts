import { AppDeployment, defineEnvironments, defineProject, LABELS, main, NamespacedApp } from 'k8s-iac';
import { LIMITS, QUOTA, tmpdir, WEB_POD } from '../helpers';

const environments = defineEnvironments<Record<string, never>>()({
  qa: { settings: { owner: { team: 'shop', email: 'shop@example.com' }, requireImageDigest: false }, values: {} },
});

/** A project of one Deployment, its selector with or without a track label, as a switch from rolling to canary changes it; in a namespace named like a manifest file. */
const project = (track: boolean) =>
  defineProject({
    environments,
    build(scope, env) {
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'service-shop', settings: env.settings, quota: QUOTA, limits: LIMITS });
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, selectorLabels: track ? { [LABELS.track]: 'stable' } : {} });
    },
  });

/** A command (synth or diff) of the project against `outdir`: its exit status, and what it printed to each stream. */
function run(command: 'synth' | 'diff', track: boolean, outdir: string): { code: number; lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = main([command, '--outdir', outdir], { project: project(track), log: (l) => void lines.push(l), error: (l) => void errors.push(l) });
  return { code, lines, errors };
}
const synth = (track: boolean, outdir: string) => run('synth', track, outdir);

const SELECTOR_WARNING =
  /^warning: .*qa\/service-shop\/deployment-web\.yaml: spec\.selector of Deployment web changes, which the API server refuses on an existing Deployment: the apply will fail until the old one is deleted \(kubectl delete deployment web -n service-shop, a moment without it\) or the new one takes another name$/;

describe('a change the API server refuses on an existing object', () => {
  test('a Deployment whose selector changes is named with the way through, and the synth still writes', () => {
    const out = tmpdir('immutable');
    expect(synth(false, out).code).toBe(0);
    const again = synth(true, out);
    expect(again.code).toBe(0);
    // on the error stream, beside the objects' count on the output
    expect(again.errors).toContainEqual(expect.stringMatching(SELECTOR_WARNING));
    expect(again.errors.filter((l) => l.startsWith('warning:'))).toHaveLength(1);
    expect(again.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  test('a synth that changes no immutable field says nothing of it', () => {
    const out = tmpdir('immutable');
    synth(true, out);
    const again = synth(true, out);
    expect(again.code).toBe(0);
    expect([...again.lines, ...again.errors].filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  test('diff warns of the same change, on the error stream, beside the diff that shows it', () => {
    const out = tmpdir('immutable');
    synth(false, out);
    const diff = run('diff', true, out);
    expect(diff.code).toBe(1);
    expect(diff.lines.join('\n')).toContain('+      release.k8s-iac.dev/track: stable');
    expect(diff.errors.filter((l) => l.startsWith('warning:'))).toEqual([expect.stringMatching(SELECTOR_WARNING)]);
    // and of nothing where the selector stays
    expect(run('diff', false, out).errors).toEqual([]);
  });
});
