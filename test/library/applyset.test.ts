import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { APPLYSET, applySetId, defineEnvironments, defineProject, gitOpsFiles, type GitOpsTool, groupOf, groupResource, KubeObject, main, NamespacedApp, resolveGitOps } from 'k8s-iac';
import { environmentApplySetId } from '../../src/library/runner/applyset';
import { packageRepositoryUrl } from '../../src/library/runner/gitops';
import { findObject, synthEnvironment } from 'k8s-iac/testing';
import { LIMITS, QUOTA, tmpdir } from '../helpers';

const OWNER = { team: 'shop', email: 'shop@example.com' };
const environments = defineEnvironments<Record<string, never>>()({
  qa: { settings: { owner: OWNER, requireImageDigest: false }, values: {} },
  live: { settings: { owner: OWNER }, values: {} },
});

/** Two namespaces and nothing else: the ApplySet spans both. */
function project(props: { name?: string; repoURL?: string; path?: string; tools?: GitOpsTool[] } = {}) {
  return defineProject({
    environments,
    name: props.name,
    gitops: props.repoURL === undefined && props.tools === undefined ? undefined : { repoURL: props.repoURL, path: props.path, tools: props.tools },
    build(scope, env) {
      new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS });
      new NamespacedApp(scope, 'jobs', { namespace: 'jobs', settings: env.settings, quota: QUOTA, limits: LIMITS });
    },
  });
}

describe('the ApplySet id and resources, as kubectl computes them', () => {
  test('the id of kubectl 1.28\'s own tests: a Secret parent and a cluster-scoped custom one', () => {
    // k8s.io/kubectl v0.28.15 pkg/cmd/apply/apply_test.go
    expect(applySetId({ name: 'my-set', namespace: 'test', kind: 'Secret', group: '' })).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
    expect(applySetId({ name: 'my-set', kind: 'ApplySet', group: 'company.com' })).toBe('applyset-rhp1a-HVAVT_dFgyEygyA1BEB82HPp2o10UiFTpqtAs-v1');
  });

  test('an id is a valid label value for any parent name', () => {
    for (const name of ['a', 'prod', 'x'.repeat(253)]) expect(environmentApplySetId(name)).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
  });

  test('resources are pluralized as the API machinery guesses them', () => {
    expect(groupResource('Deployment', 'apps')).toBe('deployments.apps');
    expect(groupResource('NetworkPolicy', 'networking.k8s.io')).toBe('networkpolicies.networking.k8s.io');
    expect(groupResource('Ingress', 'networking.k8s.io')).toBe('ingresses.networking.k8s.io');
    expect(groupResource('Endpoints', '')).toBe('endpoints');
    expect(groupResource('Gateway', 'gateway.networking.k8s.io')).toBe('gateways.gateway.networking.k8s.io');
    expect(groupResource('HTTPRoute', 'gateway.networking.k8s.io')).toBe('httproutes.gateway.networking.k8s.io');
    expect(groupResource('ConfigMap', '')).toBe('configmaps');
    expect(groupOf('v1')).toBe('');
    expect(groupOf('gateway.networking.k8s.io/v1')).toBe('gateway.networking.k8s.io');
  });
});

describe('every environment is one ApplySet', () => {
  const manifests = synthEnvironment(project(), 'live');
  const id = environmentApplySetId('live');

  test('the parent: cluster-scoped, its id, kubectl as its tool, every member\'s resource and namespace, sorted', () => {
    const parent = findObject(manifests, { kind: 'ApplySet', name: 'live' });
    expect(parent.apiVersion).toBe('k8s-iac.dev/v1');
    expect(parent.metadata?.namespace).toBeUndefined();
    expect(parent.metadata?.labels?.[APPLYSET.id]).toBe(id);
    expect(parent.metadata?.annotations?.[APPLYSET.tooling]).toMatch(/^kubectl\//);
    expect(parent.metadata?.annotations?.[APPLYSET.containsGroupResources]).toBe(
      'limitranges,namespaces,networkpolicies.networking.k8s.io,resourcequotas',
    );
    expect(parent.metadata?.annotations?.['applyset.kubernetes.io/additional-namespaces']).toBe('jobs,shop');
  });

  test('its type is a CRD kubectl accepts as a parent type, applied before it', () => {
    const crd = findObject(manifests, { kind: 'CustomResourceDefinition', name: 'applysets.k8s-iac.dev' });
    expect(crd.metadata?.labels?.[APPLYSET.isParentType]).toBe('true');
    expect(crd.spec).toMatchObject({ group: 'k8s-iac.dev', scope: 'Cluster', names: { kind: 'ApplySet', plural: 'applysets' } });
    expect(manifests.slice(0, 2).map((m) => m.kind)).toEqual(['CustomResourceDefinition', 'ApplySet']);
  });

  test('every other object carries the parent\'s id, its other labels unchanged and sorted', () => {
    const members = manifests.slice(2);
    expect(members.length).toBeGreaterThan(0);
    for (const m of members) {
      const labels = Object.keys(m.object.metadata?.labels ?? {});
      expect(m.object.metadata?.labels?.[APPLYSET.partOf]).toBe(id);
      expect(labels).toEqual([...labels].sort());
    }
    expect(findObject(manifests, { kind: 'Namespace', name: 'shop' }).metadata?.labels).toMatchObject({ 'k8s-iac.dev/environment': 'live' });
  });

  test('a project name goes into the parent\'s name, so projects sharing a cluster keep apart', () => {
    const named = synthEnvironment(project({ name: 'shop' }), 'qa');
    expect(findObject(named, { kind: 'ApplySet' }).metadata?.name).toBe('shop-qa');
    expect(findObject(named, { kind: 'Namespace', name: 'jobs' }).metadata?.labels?.[APPLYSET.partOf]).toBe(environmentApplySetId('shop-qa'));
    expect(() => project({ name: 'Shop Team' })).toThrow('defineProject: name "Shop Team" is not a valid DNS-1123 label');
  });
});

/** A stand-in kubectl that records each call and its input, and exits as DIFF_EXIT says for diff. */
function fakeKubectl(): { kubectl: string; calls: () => Array<{ args: string; input: string }> } {
  const dir = tmpdir('kubectl');
  const kubectl = path.join(dir, 'kubectl');
  fs.writeFileSync(
    kubectl,
    `#!/bin/sh
n=$(ls "${dir}" | grep -c '^call-')
echo "$*" > "${dir}/call-$n.args"
[ -t 0 ] || cat > "${dir}/call-$n.input"
case "$1 $2 $3" in
  "--context"*) shift 2 ;;
esac
case "$1" in
  diff) echo "diff -u live merged"; exit "\${DIFF_EXIT:-0}" ;;
  get) exit 0 ;;
  *) echo "applied"; exit 0 ;;
esac
`,
    { mode: 0o755 },
  );
  const calls = () =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.args'))
      .sort((a, b) => Number(a.split(/[-.]/)[1]) - Number(b.split(/[-.]/)[1]))
      .map((f) => ({ args: fs.readFileSync(path.join(dir, f), 'utf8').trim(), input: fs.readFileSync(path.join(dir, f.replace('.args', '.input')), 'utf8') }));
  return { kubectl, calls };
}

describe('k8s-iac apply and diff --cluster', () => {
  const shop = project();
  const out = tmpdir('applyset-dist');
  beforeAll(() => expect(main(['synth', '--outdir', out, '--env', 'live'], { project: shop, log: () => undefined })).toBe(0));

  function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const lines: string[] = [];
    const errors: string[] = [];
    const status = main(argv, { project: shop, log: (l) => void lines.push(l), error: (l) => void errors.push(l), env: { ...process.env, ...env } });
    return { status, lines, errors };
  }

  test('apply: the parent type, its establishment, the parent when missing, then the members with kubectl\'s pruning', () => {
    const { kubectl, calls } = fakeKubectl();
    expect(run(['apply', '--env', 'live', '--outdir', out, '--context', 'staging-cluster'], { KUBECTL: kubectl }).status).toBe(0);
    const made = calls();
    expect(made.map((c) => c.args.replace('--context staging-cluster ', ''))).toEqual([
      'apply --server-side --field-manager k8s-iac --force-conflicts -f -',
      'wait --for condition=Established --timeout 60s customresourcedefinition/applysets.k8s-iac.dev',
      'get applysets.k8s-iac.dev/live --ignore-not-found -o name',
      'apply --server-side --field-manager k8s-iac --force-conflicts -f -',
      'apply --server-side --field-manager k8s-iac --force-conflicts --prune --applyset=applysets.k8s-iac.dev/live -f -',
    ]);
    expect(made.every((c) => c.args.startsWith('--context staging-cluster '))).toBe(true);
    const members = YAML.parseAllDocuments(made[4].input).map((d) => d.toJS() as KubeObject);
    // kubectl 1.28 refuses input that already carries the member label, and adds it itself
    expect(made[4].input).not.toContain(APPLYSET.partOf);
    expect(members.map((o) => o.kind)).not.toContain('ApplySet');
    expect(members.length).toBe(fs.readFileSync(path.join(out, 'live', 'kustomization.yaml'), 'utf8').split('\n  - ').length - 1 - 2);
  });

  test('diff --cluster: exit 0 without differences, 1 with them, and kubectl\'s text', () => {
    const { kubectl, calls } = fakeKubectl();
    const same = run(['diff', '--env', 'live', '--cluster', '--outdir', out], { KUBECTL: kubectl, DIFF_EXIT: '0' });
    expect(same.status).toBe(0);
    expect(same.lines.join('\n')).toContain('no differences with the cluster');
    const changed = run(['diff', '--env', 'live', '--cluster', '--outdir', out], { KUBECTL: kubectl, DIFF_EXIT: '1' });
    expect(changed.status).toBe(1);
    expect(changed.lines).toEqual(['diff -u live merged']);
    expect(calls()[0].args).toBe('diff --server-side --field-manager k8s-iac --force-conflicts -f -');
    // the members as the folder holds them, labels included; kubectl keeps the parent
    expect(calls()[0].input).toContain(APPLYSET.partOf);
    expect(calls()[0].input).not.toMatch(/^kind: ApplySet$/m);
    const broken = run(['diff', '--env', 'live', '--cluster', '--outdir', out], { KUBECTL: kubectl, DIFF_EXIT: '2' });
    // apart from 1, a difference: CI can tell a stale folder from a diff that could not run
    expect(broken.status).toBe(2);
    expect(broken.errors[0]).toMatch(/^error: kubectl diff failed \(exit 2\)/);
  });

  test.each([
    [['apply'], 'apply takes one environment: give --env NAME once, e.g. k8s-iac apply --env prod'],
    [['apply', '--env', 'qa', '--env', 'live'], 'apply takes one environment'],
    [['diff', '--cluster'], 'diff --cluster takes one environment: give --env NAME once, e.g. k8s-iac diff --env prod --cluster'],
    [['synth', '--cluster'], '--cluster is an option of diff'],
    // an option of another command would change nothing: refused, not ignored
    [['synth', '--canary-weight', '5'], '--canary-weight is an option of promote, not of synth: drop it'],
    [['synth', '--app', 'web'], '--app is an option of promote, not of synth'],
    [['diff', '--env', 'live', '--watch'], '--watch is an option of synth, not of diff'],
    [['apply', '--env', 'live', '--threads', '2'], '--threads is an option of synth, not of apply'],
    [['diff', '--env', 'live', '--context', 'x'], '--context is for apply and diff --cluster'],
    [['apply', '--env', 'prod'], 'unknown environment "prod": use one of qa, live'],
    [['apply', '--env', 'qa', '--outdir', '/nonexistent'], '/nonexistent/qa holds no kustomization.yaml: synthesize the environment first (k8s-iac synth --env qa)'],
  ])('%j is refused: %s', (argv, message) => {
    const { status, errors } = run(argv);
    expect(status).toBe(argv[0] === 'diff' ? 2 : 1);
    expect(errors.join('\n')).toContain(message);
  });

  test("an environment naming its kubeContext is applied there, and a --context of another cluster is refused before kubectl runs", () => {
    const pinned = defineProject({
      environments: defineEnvironments<Record<string, never>>()({ live: { settings: { owner: OWNER }, values: {}, kubeContext: 'live-admin' } }),
      build: (scope, env) => void new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS }),
    });
    const dir = tmpdir('pinned-dist');
    expect(main(['synth', '--outdir', dir], { project: pinned, log: () => undefined })).toBe(0);
    const live = (argv: string[], kubectl: string) => {
      const errors: string[] = [];
      const status = main(argv, { project: pinned, log: () => undefined, error: (l) => void errors.push(l), env: { ...process.env, KUBECTL: kubectl } });
      return { status, errors };
    };
    const pinnedRun = fakeKubectl();
    expect(live(['apply', '--env', 'live', '--outdir', dir], pinnedRun.kubectl).status).toBe(0);
    expect(live(['apply', '--env', 'live', '--outdir', dir, '--context', 'live-admin'], pinnedRun.kubectl).status).toBe(0);
    expect(pinnedRun.calls().length).toBeGreaterThan(0);
    expect(pinnedRun.calls().every((c) => c.args.startsWith('--context live-admin '))).toBe(true);
    const elsewhere = fakeKubectl();
    for (const [argv, status] of [[['apply', '--env', 'live', '--outdir', dir, '--context', 'dev-admin'], 1], [['diff', '--env', 'live', '--cluster', '--outdir', dir, '--context', 'dev-admin'], 2]] as const) {
      const refused = live([...argv], elsewhere.kubectl);
      expect(refused.status).toBe(status);
      expect(refused.errors).toEqual([
        "error: --context dev-admin is not the cluster of environment live, whose kubeContext is live-admin: drop --context (the environment's is used), or change its kubeContext in defineEnvironments if the cluster moved",
      ]);
    }
    expect(elsewhere.calls()).toEqual([]);
    expect(() => defineEnvironments<Record<string, never>>()({ live: { settings: { owner: OWNER }, values: {}, kubeContext: ' ' } })).toThrow(
      "defineEnvironments: the kubeContext of live is no context name: give the kubeconfig context of the environment's cluster (kubectl config get-contexts lists them), or leave it out",
    );
  });

  test('without kubectl: a clear error, not a stack', () => {
    for (const argv of [['apply', '--env', 'live', '--outdir', out], ['diff', '--env', 'live', '--cluster', '--outdir', out]]) {
      const { status, errors } = run(argv, { KUBECTL: path.join(tmpdir('empty'), 'kubectl') });
      expect(status).toBe(argv[0] === 'diff' ? 2 : 1);
      expect(errors).toEqual([expect.stringMatching(/^error: kubectl not found \(.*\): install kubectl 1\.28 or newer, or set KUBECTL to its path$/)]);
    }
  });
});

describe('GitOps objects', () => {
  test('the repository comes from the settings, else package.json, else there is none and why', () => {
    expect(packageRepositoryUrl({ repository: { type: 'git', url: 'git+https://example.com/shop.git' } })).toBe('https://example.com/shop.git');
    expect(packageRepositoryUrl({ repository: 'https://example.com/shop.git' })).toBe('https://example.com/shop.git');
    expect(packageRepositoryUrl({})).toBeUndefined();
    expect(resolveGitOps(undefined, undefined, 'dist')).toMatch(/^no repository to fetch from: set "repository" in package.json, or gitops.repoURL in defineProject$/);
    expect(resolveGitOps({ repoURL: 'ssh://git@example.com/shop.git' }, 'https://example.com/other.git', 'dist')).toMatchObject({ repoURL: 'ssh://git@example.com/shop.git', branch: 'main', path: 'dist' });
    // what package.json gives (npm takes shorthands and http) is no reason to fail the synth: no GitOps objects, and why
    expect(resolveGitOps(undefined, 'github:org/shop', 'dist')).toMatch(/^package.json's repository "github:org\/shop" is not an https:\/\/ or ssh:\/\/ URL, the forms fetched from: set gitops.repoURL/);
    expect(resolveGitOps(undefined, 'http://example.com/shop.git', 'dist')).toMatch(/is not an https:\/\/ or ssh:\/\/ URL/);
    // a repoURL the settings name is an error: it was asked for
    expect(() => resolveGitOps({ repoURL: 'http://example.com/shop.git' }, undefined, 'dist')).toThrow('gitops repository "http://example.com/shop.git" is not an https:// or ssh:// URL');
    // an output folder outside the package has no path in the repository, unless the settings give one
    expect(resolveGitOps(undefined, 'https://example.com/shop.git', '../out')).toMatch(/^the output folder is outside the package \(\.\.\/out\), so no path in the repository reaches it/);
    expect(resolveGitOps({ path: 'deploy' }, 'https://example.com/shop.git', '../out')).toMatchObject({ path: 'deploy' });
  });

  test('an Argo CD Application and a Flux Kustomization per environment, prune on, on the environment\'s folder', () => {
    const gitops = resolveGitOps({ repoURL: 'https://example.com/shop.git', branch: 'release', path: './deploy/' }, undefined, 'dist');
    if (typeof gitops !== 'object') throw new Error(gitops);
    const files = gitOpsFiles(project({ name: 'shop' }), ['qa', 'live'], gitops);
    const argo = YAML.parse(files.get('argocd')!.get('live')!.get('argocd/application-shop-live.yaml')!) as KubeObject;
    expect(argo).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      metadata: { name: 'shop-live', namespace: 'argocd' },
      spec: { source: { repoURL: 'https://example.com/shop.git', targetRevision: 'release', path: 'deploy/live' }, syncPolicy: { automated: { prune: true } } },
    });
    const flux = files.get('flux')!.get('qa')!;
    expect(YAML.parse(flux.get('flux-system/kustomization-shop-qa.yaml')!)).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      spec: { path: './deploy/qa', prune: true, sourceRef: { kind: 'GitRepository', name: 'shop-qa' } },
    });
    expect(YAML.parse(flux.get('flux-system/gitrepository-shop-qa.yaml')!)).toMatchObject({ spec: { url: 'https://example.com/shop.git', ref: { branch: 'release' } } });
    expect(YAML.parse(flux.get('kustomization.yaml')!).resources).toEqual(['flux-system/gitrepository-shop-qa.yaml', 'flux-system/kustomization-shop-qa.yaml']);
  });

  test('the settings name the tools written for: one of them, or none at all and nothing said of it', () => {
    const argoOnly = resolveGitOps({ repoURL: 'https://example.com/shop.git', tools: ['argocd'] }, undefined, 'dist');
    if (typeof argoOnly !== 'object') throw new Error(argoOnly);
    expect([...gitOpsFiles(project({ name: 'shop' }), ['qa'], argoOnly).keys()]).toEqual(['argocd']);
    // no tool asked for: no reason to give either, even without a repository
    expect(resolveGitOps({ tools: [] }, undefined, 'dist')).toBeUndefined();
    expect(() => resolveGitOps({ tools: ['helm' as 'flux'] }, 'https://example.com/shop.git', 'dist')).toThrow(`gitops.tools "helm" is not a GitOps tool synth writes for: use 'argocd', 'flux', or [] for none`);
    const lines: string[] = [];
    const out = tmpdir('no-tools');
    expect(main(['synth', '--outdir', out], { project: project({ tools: [] }), log: (l) => void lines.push(l) })).toBe(0);
    expect(lines.filter((l) => l.includes('/gitops'))).toEqual([]);
    expect(fs.existsSync(path.join(out, 'gitops'))).toBe(false);
  });

  test('synth writes them into <outdir>/gitops/<tool>/<env>, or says why not', () => {
    const out = tmpdir('gitops-dist');
    const lines: string[] = [];
    // the folder is outside this package, so the path in the repository is given
    expect(main(['synth', '--outdir', out], { project: project({ repoURL: 'https://example.com/shop.git', path: 'dist' }), log: (l) => void lines.push(l) })).toBe(0);
    expect(fs.readdirSync(path.join(out, 'gitops', 'argocd')).sort()).toEqual(['live', 'qa']);
    const outside: string[] = [];
    expect(main(['synth', '--outdir', tmpdir('gitops-outside')], { project: project({ repoURL: 'https://example.com/shop.git' }), log: (l) => void outside.push(l) })).toBe(0);
    expect(outside.at(-1)).toMatch(/gitops: not written: the output folder is outside the package/);
    // a folder an earlier synth wrote is kept, and the message says so
    const kept: string[] = [];
    expect(main(['synth', '--outdir', out], { project: project(), log: (l) => void kept.push(l) })).toBe(0);
    expect(kept.at(-1)).toMatch(/gitops: not written: no repository to fetch from: .* \(the one an earlier synth wrote is kept: delete it if its objects no longer apply\)$/);
    expect(fs.existsSync(path.join(out, 'gitops', 'argocd', 'qa'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'gitops', 'flux', 'qa', 'flux-system', 'kustomization-qa.yaml'))).toBe(true);
    const without: string[] = [];
    const bare = tmpdir('gitops-none');
    expect(main(['synth', '--outdir', bare], { project: project(), log: (l) => void without.push(l) })).toBe(0);
    expect(without.at(-1)).toMatch(/gitops: not written: no repository to fetch from/);
    expect(fs.existsSync(path.join(bare, 'gitops'))).toBe(false);
  });
});
