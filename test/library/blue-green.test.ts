import { App } from 'cdk8s';
import { GoMultiroute } from '../../src/platform/go-multiroute';
import { Mysql } from '../../src/platform/mysql';
import { ENVIRONMENTS } from '../../src/platform/environments';
import { BlueGreen, BlueGreenColourProps, BlueGreenProps, checkReleaseFitsStrategy, LABELS, loadReleaseState, renderManifests, type Manifest, type NamespacedApp } from 'k8s-iac';
import { DIGEST_IMAGE, find, PROJECT, QUOTA, RELEASE_DIR, synth, synthErrors, synthManifests } from '../helpers';

const colour = (version: string, image: string): BlueGreenColourProps => ({
  version,
  container: {
    image,
    ports: [{ name: 'http', port: 8080 }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
  },
});

const V2_IMAGE = 'registry.example.com/shop/api:v2.0.0';

const BASE: BlueGreenProps = {
  name: 'api',
  active: 'blue',
  blue: colour('v1', DIGEST_IMAGE),
  green: colour('v2', V2_IMAGE),
  ports: [{ name: 'http', port: 8080 }],
  replicas: 3,
};

const pair = (props: Partial<BlueGreenProps> = {}) => (ns: NamespacedApp) => void new BlueGreen(ns, 'Api', { ...BASE, ...props });

const ofKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind).map((m) => m.object as Record<string, any>);

describe('blue-green', () => {
  const ms = synth(pair());
  const blue = find(ms, 'Deployment', 'api-blue');
  const green = find(ms, 'Deployment', 'api-green');

  test('two Deployments of one app, told apart by the colour label in their selectors', () => {
    expect(blue.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.colour]: 'blue' });
    expect(green.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.colour]: 'green' });
    expect(green.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/version': 'v2', [LABELS.colour]: 'green' });
    expect(blue.spec.template.spec.containers[0].image).toBe(DIGEST_IMAGE);
    expect(green.spec.template.spec.containers[0].image).toBe(V2_IMAGE);
  });

  test('same size by default, one shared ServiceAccount', () => {
    expect(blue.spec.replicas).toBe(3);
    expect(green.spec.replicas).toBe(3);
    expect(ofKind(ms, 'ServiceAccount').map((s) => s.metadata.name)).toEqual(['api']);
    expect(blue.spec.template.spec.serviceAccountName).toBe('api');
    expect(green.spec.template.spec.serviceAccountName).toBe('api');
    expect(ofKind(ms, 'PodDisruptionBudget').map((p) => p.metadata.name).sort()).toEqual(['api-blue', 'api-green']);
  });

  test('active Service on the active colour, preview Service on the idle one, by name and colour only', () => {
    const active = find(ms, 'Service', 'api');
    const preview = find(ms, 'Service', 'api-preview');
    expect(active.spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.colour]: 'blue' });
    expect(active.metadata.labels[LABELS.role]).toBe('active');
    expect(preview.spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.colour]: 'green' });
    expect(preview.metadata.labels[LABELS.role]).toBe('preview');
    expect(active.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('switching colour changes the Service selectors only: Deployment selectors are immutable and stay', () => {
    const toGreen = synth(pair({ active: 'green' }));
    const selectors = (m: Manifest[]) => ofKind(m, 'Deployment').map((d) => [d.metadata.name, d.spec.selector]);
    expect(selectors(toGreen)).toEqual(selectors(ms));
    expect(find(toGreen, 'Service', 'api').spec.selector[LABELS.colour]).toBe('green');
    expect(find(toGreen, 'Service', 'api-preview').spec.selector[LABELS.colour]).toBe('blue');
    const changed = ms.filter((m, i) => JSON.stringify(m.object) !== JSON.stringify(toGreen[i].object)).map((m) => `${m.kind}/${m.name}`);
    expect(changed).toEqual(['Service/api', 'Service/api-preview']);
  });

  test('idleReplicas shrinks the idle colour only; 0 drops its budget', () => {
    const shrunk = synth(pair({ idleReplicas: 0 }));
    expect(find(shrunk, 'Deployment', 'api-blue').spec.replicas).toBe(3);
    expect(find(shrunk, 'Deployment', 'api-green').spec.replicas).toBe(0);
    expect(ofKind(shrunk, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['api-blue']);
  });

  test('with autoscaling, each full-size colour has its HPA; a shrunk idle colour has fixed replicas', () => {
    const autoscaling = { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 };
    const full = synth(pair({ replicas: undefined, autoscaling }));
    expect(ofKind(full, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['api-blue', 'api-green']);
    const shrunk = synth(pair({ replicas: undefined, autoscaling, idleReplicas: 1 }));
    expect(ofKind(shrunk, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).toEqual(['api-blue']);
    expect(find(shrunk, 'Deployment', 'api-green').spec.replicas).toBe(1);
  });
});

describe('blue-green and the quota', () => {
  // Each colour at 3 replicas + surge 1 asks 4 x 100m: one colour fits 500m, both do not.
  const small = { quota: { ...QUOTA, requests: { cpu: '500m', memory: '4Gi' } } };

  test('the quota must hold both colours at once: the error names both Deployments', () => {
    const message = synthErrors(pair(), small);
    expect(message).toMatch(/ResourceQuota requests.cpu is 500m but the workloads need 800m at their largest/);
    expect(message).toMatch(/Deployment api-blue: 4 pods \(3 replicas \+ surge 1\); Deployment api-green: 4 pods \(3 replicas \+ surge 1\)/);
  });

  test('an idle colour at 0 replicas takes no quota', () => {
    const ms = synth(pair({ idleReplicas: 0 }), small);
    expect(find(ms, 'Deployment', 'api-green').spec.replicas).toBe(0);
  });
});

describe('blue-green errors', () => {
  test('a bad name is one problem at the pair, not one per object named from it; the limit leaves room for -preview', () => {
    const bad = synthErrors(pair({ name: 'Api' }));
    expect(bad).toMatch(/synth failed with 1 error/);
    expect(bad).toMatch(/shop\/Api: name "Api" is not a valid DNS-1035 label: it names every object of the blue-green pair, the Services "Api" and "Api-preview" among them: use at most 55 lower-case letters/);
    const long = `a${'b'.repeat(55)}`;
    expect(synthErrors(pair({ name: long }))).toMatch(/synth failed with 1 error;[^]*use at most 55/);
    expect(find(synth(pair({ name: long.slice(0, 55) })), 'Service', `${long.slice(0, 55)}-preview`).spec.selector).toEqual({ [LABELS.name]: long.slice(0, 55), [LABELS.colour]: 'green' });
  });

  test('the active colour with 0 replicas', () => {
    expect(synthErrors(pair({ replicas: 0 }))).toMatch(/the active colour blue runs 0 replicas, so the active Service "api" has no endpoints: set replicas to 1 or more/);
  });

  test('negative idleReplicas', () => {
    expect(synthErrors(pair({ idleReplicas: -1 }))).toMatch(/shop\/Api: idleReplicas is -1: use 0 to free the idle colour's capacity/);
  });

  test('no ports', () => {
    expect(synthErrors(pair({ ports: [] }))).toMatch(/blue-green "api" has no ports/);
  });

  test("each colour's pod template is checked: a latest tag in the idle colour", () => {
    expect(synthErrors(pair({ green: colour('v2', 'registry.example.com/shop/api:latest') }))).toMatch(/Api\/Green.*uses the tag "latest"/);
  });
});

describe('go-multiroute in prod (blue-green)', () => {
  const prod = synthManifests('prod').filter((m) => m.namespace === 'go-multiroute');

  test('v1 blue active, v2 green idle at full size, preview Service on green', () => {
    const blue = find(prod, 'Deployment', 'go-multiroute-blue');
    const green = find(prod, 'Deployment', 'go-multiroute-green');
    expect(blue.spec.template.spec.containers[0].image).toBe('docker.io/leigg/go_multiroute:v1@sha256:74bf6d94ea9af3e700dfd9fe64e1cc6a04cd75fb792d994c63bbc6d69de9b7ee');
    // the notes' v2 runs the v1 image with VERSION=v2
    expect(green.spec.template.spec.containers[0].image).toBe(blue.spec.template.spec.containers[0].image);
    expect(green.spec.template.spec.containers[0].env).toContainEqual({ name: 'VERSION', value: 'v2' });
    expect(ofKind(prod, 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas])).toEqual([
      ['go-multiroute-blue', 2],
      ['go-multiroute-green', 2],
    ]);
    expect(find(prod, 'Service', 'go-multiroute').spec.selector).toEqual({ 'app.kubernetes.io/name': 'go-multiroute', [LABELS.colour]: 'blue' });
    expect(find(prod, 'Service', 'go-multiroute-preview').spec.selector).toEqual({ 'app.kubernetes.io/name': 'go-multiroute', [LABELS.colour]: 'green' });
  });

  test('the Ingress goes to the active Service; its policy selects the app, whatever the colour', () => {
    expect(find(prod, 'Ingress', 'go-multiroute').spec.rules[0].http.paths[0].backend.service.name).toBe('go-multiroute');
    expect(find(prod, 'NetworkPolicy', 'allow-ingress-to-go-multiroute').spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'go-multiroute' });
  });
});

describe('go-multiroute release state and strategy', () => {
  const v1 = { version: 'v1', image: 'docker.io/leigg/go_multiroute:v1' };
  const v2 = { version: 'v2', image: 'docker.io/leigg/go_multiroute:v2' };

  test('in a blue-green environment stable must be the active colour', () => {
    expect(checkReleaseFitsStrategy('go-multiroute', 'blue-green', { stable: v1, blueGreen: { active: 'blue', blue: v1, green: v2 } }, 'release/prod.json')).toEqual([]);
    expect(checkReleaseFitsStrategy('go-multiroute', 'blue-green', { stable: v1, blueGreen: { active: 'green', blue: v1, green: v2 } }, 'release/prod.json')).toEqual([
      expect.stringMatching(/release\/prod.json: apps.go-multiroute.stable \(v1 .*\) is not the active colour's release blueGreen.green \(v2 .*\): .*set stable to the active colour's version and image/),
    ]);
  });

  test('blueGreen in an environment that does not release blue-green is an error', () => {
    expect(checkReleaseFitsStrategy('go-multiroute', 'canary', { stable: v1, blueGreen: { active: 'blue', blue: v1, green: v2 } }, 'release/staging.json')).toEqual([
      expect.stringMatching(/release\/staging.json has apps.go-multiroute.blueGreen, but go-multiroute is released by canary: remove the blueGreen entry/),
    ]);
  });

  test('a blue-green environment without blueGreen release data fails and says what to add', () => {
    const app = new App({ outdir: 'unused' });
    const mysql = new Mysql(app, 'mysql', { env: ENVIRONMENTS.get('prod'), release: loadReleaseState('prod', RELEASE_DIR, PROJECT.releaseApps).apps.mysql, clientNamespaces: ['go-multiroute'] });
    new GoMultiroute(app, 'go-multiroute', { env: ENVIRONMENTS.get('prod'), release: { stable: v1 }, releaseSource: 'release/prod.json', mysql });
    expect(() => renderManifests(app, 'prod')).toThrow(
      /\[prod\] go-multiroute\/Release: go-multiroute is released blue-green but release\/prod.json has no apps.go-multiroute.blueGreen: add blueGreen \{ active, blue, green \}/,
    );
  });
});
