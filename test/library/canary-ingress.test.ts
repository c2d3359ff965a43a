import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppDeployment, AppIngress, AppService, CanaryIngress, CanaryIngressProps, LABELS, type NamespacedApp, type ServicePortProps } from 'k8s-iac';
import { synthProblems } from 'k8s-iac/testing';
import { find, RELEASE_DIR, synth, synthErrors, synthManifests, tmpdir, WEB_POD as POD } from '../helpers';


interface Tracks {
  readonly primary: AppIngress;
  readonly canaryService: AppService;
}

/** A stable and a canary track of `api`, each selected by its track, and the primary Ingress. */
function tracks(ns: NamespacedApp, options: { canaryPorts?: ServicePortProps[]; trackLabels?: boolean } = {}): Tracks {
  const track = (t: string): Record<string, string> => (options.trackLabels ?? true ? { [LABELS.track]: t } : {});
  const stable = new AppDeployment(ns, 'Stable', { ...POD, name: 'api', version: 'v1', selectorLabels: track('stable') });
  const canary = new AppDeployment(ns, 'CanaryApp', { ...POD, name: 'api-canary', appName: 'api', version: 'v2', replicas: 1, selectorLabels: track('canary') });
  const stableService = new AppService(ns, 'Service', { name: 'api', selector: stable.podSelector, ports: [{ name: 'http', port: 8080 }] });
  const canaryService = new AppService(ns, 'CanaryService', { name: 'api-canary', selector: canary.podSelector, ports: options.canaryPorts ?? [{ name: 'http', port: 8080 }] });
  const primary = new AppIngress(ns, 'Ingress', {
    name: 'api',
    className: 'nginx',
    host: 'api.example.com',
    paths: [{ path: '/api' }, { path: '/health', pathType: 'Exact' }],
    service: stableService,
  });
  return { primary, canaryService };
}

const withCanary = (rule: Partial<CanaryIngressProps>) => (ns: NamespacedApp) => {
  const { primary, canaryService } = tracks(ns);
  new CanaryIngress(ns, 'Canary', { primary, service: canaryService, ...rule });
};

describe('two Ingresses of one Service', () => {
  const second = (everyTrack = false) => (ns: NamespacedApp) => {
    const { primary } = tracks(ns);
    new AppIngress(ns, 'WwwIngress', { name: 'api-www', className: 'nginx', host: 'www.example.com', paths: [{ path: '/api' }], service: primary.service, policySelector: everyTrack ? { [LABELS.name]: 'api' } : undefined });
  };

  test('share the policy admitting the controller (one host each)', () => {
    const ms = synth(second());
    expect(ms.filter((m) => m.kind === 'Ingress').map((m) => m.name)).toEqual(['api', 'api-www']);
    expect(find(ms, 'NetworkPolicy', 'allow-ingress-to-api').spec.podSelector).toEqual({ matchLabels: { [LABELS.name]: 'api', [LABELS.track]: 'stable' } });
  });

  test('a policySelector given for the policy is still checked by it', () => {
    const problems = synthErrors((ns) => {
      const { primary } = tracks(ns);
      new AppIngress(ns, 'WwwIngress', { name: 'api-www', className: 'nginx', host: 'www.example.com', paths: [{ path: '/api' }], service: primary.service, policySelector: { [LABELS.name]: 'api!' } });
    });
    expect(problems).toMatch(/shop\/WwwIngress\/AllowController: NetworkPolicy podSelector app.kubernetes.io\/name "api!" is not a valid label value/);
  });

  test('admitting the controller to other pods under one policy name are the duplicate they are', () => {
    const problems = synthErrors(second(true));
    expect(problems).toMatch(/shop\/WwwIngress\/AllowController\/Resource: NetworkPolicy "allow-ingress-to-api" in shop is also made by shop\/Ingress\/AllowController\/Resource: give one of them another name/);
    expect(problems).toMatch(/synth failed with 1 error/);
  });
});

describe('canary Ingress', () => {
  test('weight: same host, paths and class as the primary, to the canary Service', () => {
    const ms = synth(withCanary({ weight: 20 }));
    const canary = find(ms, 'Ingress', 'api-canary');
    const primary = find(ms, 'Ingress', 'api');
    expect(canary.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    expect(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-by-header']).toBeUndefined();
    expect(primary.metadata.annotations['nginx.ingress.kubernetes.io/canary']).toBeUndefined();
    expect(canary.spec.ingressClassName).toBe('nginx');
    expect(canary.spec.rules[0].host).toBe(primary.spec.rules[0].host);
    expect(canary.spec.rules[0].http.paths).toEqual([
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api-canary', port: { number: 8080 } } } },
      { path: '/health', pathType: 'Exact', backend: { service: { name: 'api-canary', port: { number: 8080 } } } },
    ]);
  });

  test('the controller is admitted to the canary pods, and the stable Service does not select them', () => {
    const ms = synth(withCanary({ weight: 20 }));
    expect(find(ms, 'NetworkPolicy', 'allow-ingress-to-api-canary').spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.track]: 'canary' });
    expect(find(ms, 'Service', 'api').spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.track]: 'stable' });
  });

  test('header with a value, header with a pattern, cookie, weight out of a total', () => {
    const byValue = find(synth(withCanary({ header: 'X-Client-Build', headerValue: 'gray' })), 'Ingress', 'api-canary').metadata.annotations;
    expect(byValue).toMatchObject({ 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Client-Build', 'nginx.ingress.kubernetes.io/canary-by-header-value': 'gray' });
    expect(byValue['nginx.ingress.kubernetes.io/canary-weight']).toBeUndefined();
    const byPattern = find(synth(withCanary({ header: 'X-Client-Build', headerPattern: '^gray-.*' })), 'Ingress', 'api-canary').metadata.annotations;
    expect(byPattern['nginx.ingress.kubernetes.io/canary-by-header-pattern']).toBe('^gray-.*');
    const byCookie = find(synth(withCanary({ cookie: 'canary', weight: 5, weightTotal: 1000 })), 'Ingress', 'api-canary').metadata.annotations;
    expect(byCookie).toMatchObject({
      'nginx.ingress.kubernetes.io/canary-by-cookie': 'canary',
      'nginx.ingress.kubernetes.io/canary-weight': '5',
      'nginx.ingress.kubernetes.io/canary-weight-total': '1000',
    });
  });

  test('the canary lists every path of the primary by default', () => {
    const ms = synth(withCanary({ weight: 10 }));
    expect(find(ms, 'Ingress', 'api-canary').spec.rules[0].http.paths.map((p: { path: string }) => p.path)).toEqual(['/api', '/health']);
  });
});

describe('canary Ingress errors', () => {
  test('weight above 100', () => {
    expect(synthErrors(withCanary({ weight: 150 }))).toMatch(/canary weight 150 is outside 0-100 \(percent of requests\): use a whole number in that range, or set weightTotal/);
  });

  test('weight above weightTotal, and a weightTotal of 0', () => {
    expect(synthErrors(withCanary({ weight: 1500, weightTotal: 1000 }))).toMatch(/canary weight 1500 is outside 0-1000 \(a share of weightTotal 1000\)/);
    expect(synthErrors(withCanary({ weight: 0, weightTotal: 0 }))).toMatch(/canary weightTotal is 0: use a whole number of 1 or more/);
  });

  test('header value or pattern without a header name', () => {
    expect(synthErrors(withCanary({ headerValue: 'gray', weight: 1 }))).toMatch(/canary headerValue "gray" is set without header: name the request header/);
    expect(synthErrors(withCanary({ headerPattern: 'gr.*', weight: 1 }))).toMatch(/canary headerPattern "gr\.\*" is set without header/);
  });

  test('an empty header value or pattern: ingress-nginx would read always/never instead (balancer.lua skips an empty one)', () => {
    expect(synthErrors(withCanary({ header: 'X-Client-Build', headerValue: '' }))).toMatch(
      /shop\/Canary: canary headerValue is empty, so ingress-nginx routes by always\/never instead and an HTTPRoute takes no empty header value: give the value that routes to the canary, or drop headerValue for always\/never/,
    );
    expect(synthErrors(withCanary({ header: 'X-Client-Build', headerPattern: '' }))).toMatch(/shop\/Canary: canary headerPattern is empty, so ingress-nginx routes by always\/never instead/);
  });

  test('a header pattern that does not compile', () => {
    expect(synthErrors(withCanary({ header: 'X-Client-Build', headerPattern: '^gray-(' }))).toMatch(/canary headerPattern "\^gray-\(" is not a regular expression \(Unterminated group\)/);
  });

  test('both headerValue and headerPattern', () => {
    expect(synthErrors(withCanary({ header: 'X-Client-Build', headerValue: 'gray', headerPattern: 'gr.*' }))).toMatch(
      /canary sets both headerValue "gray" and headerPattern "gr\.\*": one of them goes unread \(ingress-nginx reads the value, an HTTPRoute the pattern\), so keep one of them/,
    );
  });

  test('no routing rule at all', () => {
    expect(synthErrors(withCanary({}))).toMatch(/canary has no routing rule, so no request would reach it: set weight, header or cookie/);
  });

  test('two canaries of one primary Service, whatever their paths', () => {
    const message = synthErrors((ns) => {
      const { primary, canaryService } = tracks(ns);
      new CanaryIngress(ns, 'CanaryA', { primary, service: canaryService, weight: 10 });
      new CanaryIngress(ns, 'CanaryB', { primary, service: canaryService, name: 'api-canary-b', header: 'X-Canary' });
    });
    expect(message).toMatch(/CanaryB: canary Ingresses "api-canary" and "api-canary-b" both attach to Service "api" port 8080: ingress-nginx uses only the first canary of a Service's upstream, whatever their hosts and paths, so merge their rules into one CanaryIngress/);
    // reported once, by the later canary
    expect(message.match(/both attach to/g)).toHaveLength(1);
  });

  test('a canary on some of the primary paths only: the others route to the same Service, so they get its share too', () => {
    expect(synthErrors(withCanary({ weight: 10, paths: [{ path: '/api' }] }))).toMatch(
      /shop\/Canary: the canary leaves out "\/health" \(Exact\) of Ingress "api", which routes it to the same Service "api" port 8080, so it gets the canary's share too: ingress-nginx attaches a canary to the upstream of the primary's Service "api" port 8080, not to a path or host; list every path of the primary \(the default\)/,
    );
  });

  test('another Ingress on the primary Service gets the canary too', () => {
    const message = synthErrors((ns) => {
      const { primary, canaryService } = tracks(ns);
      new AppIngress(ns, 'Admin', { name: 'api-admin', className: 'nginx', host: 'admin.example.com', paths: [{ path: '/' }], service: primary.service });
      new CanaryIngress(ns, 'Canary', { primary, service: canaryService, weight: 10 });
    });
    expect(message).toMatch(/shop\/Canary: Ingress "api-admin" \(host admin.example.com\) routes to the primary's Service "api" port 8080 too, so its requests get the canary's share: .* give one of them a Service of its own/);
  });

  test('a canary path the primary does not route', () => {
    expect(synthErrors(withCanary({ weight: 10, paths: [{ path: '/admin' }] }))).toMatch(
      /canary path "\/admin" \(Prefix\) on host api.example.com has no primary: Ingress "api" does not route it.*add the path to the primary or drop it/,
    );
  });

  test('a canary used as the primary of another canary', () => {
    const message = synthErrors((ns) => {
      const { primary, canaryService } = tracks(ns);
      const first = new CanaryIngress(ns, 'Canary', { primary, service: canaryService, weight: 10 });
      new CanaryIngress(ns, 'Nested', { primary: first.ingress, service: canaryService, name: 'nested', header: 'X-Canary' });
    });
    expect(message).toMatch(/the primary Ingress "api-canary" is itself a canary: pass the stable version's Ingress as primary/);
  });

  test('canary Service port differs from the primary Service port', () => {
    const message = synthErrors((ns) => {
      const { primary, canaryService } = tracks(ns, { canaryPorts: [{ name: 'http', port: 9090 }] });
      new CanaryIngress(ns, 'Canary', { primary, service: canaryService, weight: 10 });
    });
    expect(message).toMatch(/canary Service "api-canary" port 9090 differs from the primary's Service "api" port 8080: serve the canary on the same port/);
  });

  test('a canary Service with no port is its own problem only, said once', () => {
    const problems = synthProblems(() =>
      synth((ns) => {
        const { primary, canaryService } = tracks(ns, { canaryPorts: [] });
        new CanaryIngress(ns, 'Canary', { primary, service: canaryService, weight: 10 });
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/^\[test\] shop\/CanaryService: Service "api-canary" has no ports: a Service needs at least one/)]);
  });

  test('a stable Service that also selects the canary pods', () => {
    const message = synthErrors((ns) => {
      const { primary, canaryService } = tracks(ns, { trackLabels: false });
      new CanaryIngress(ns, 'Canary', { primary, service: canaryService, weight: 10 });
    });
    expect(message).toMatch(/the stable Service "api" also selects the canary's pods \(Deployment api-canary\).*add a release track label/);
  });

  test('the canary routed to the primary Service itself', () => {
    const message = synthErrors((ns) => {
      const { primary } = tracks(ns);
      new CanaryIngress(ns, 'Canary', { primary, service: primary.service, weight: 10 });
    });
    expect(message).toMatch(/the canary and the primary both route to Service "api"/);
  });
});

describe('go-multiroute canary environments', () => {
  const staging = synthManifests('staging');
  const ofApp = (kind: string, name: string) => find(staging.filter((m) => m.namespace === 'go-multiroute'), kind, name);

  test('staging: v2 beside v1, reached only with the gray build header (000:L628)', () => {
    const canary = ofApp('Ingress', 'go-multiroute-canary');
    expect(canary.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-by-header': 'X-Client-Build',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'gray',
    });
    expect(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBeUndefined();
    expect(canary.spec.rules[0].host).toBe('go-multiroute.staging.example.com');
    expect(canary.spec.rules[0].http.paths.map((p: { backend: { service: { name: string } } }) => p.backend.service.name)).toEqual(['go-multiroute-canary']);
  });

  test('staging: each track selected by its track label, so the stable Service never reaches canary pods', () => {
    const stable = ofApp('Deployment', 'go-multiroute');
    const canary = ofApp('Deployment', 'go-multiroute-canary');
    expect(stable.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'go-multiroute', [LABELS.track]: 'stable' });
    expect(canary.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'go-multiroute', [LABELS.track]: 'canary' });
    expect(canary.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('v2');
    // the notes' v2 runs the v1 image with VERSION=v2
    expect(canary.spec.template.spec.containers[0].image).toBe('docker.io/leigg/go_multiroute:v1@sha256:74bf6d94ea9af3e700dfd9fe64e1cc6a04cd75fb792d994c63bbc6d69de9b7ee');
    expect(canary.spec.template.spec.containers[0].env).toContainEqual({ name: 'VERSION', value: 'v2' });
    expect(canary.spec.replicas).toBe(2);
    expect(ofApp('Service', 'go-multiroute').spec.selector[LABELS.track]).toBe('stable');
    expect(ofApp('Service', 'go-multiroute-canary').spec.selector[LABELS.track]).toBe('canary');
  });

  test('dev stays a rolling update: one Deployment selected by app name alone', () => {
    const dev = synthManifests('dev').filter((m) => m.namespace === 'go-multiroute');
    expect(dev.filter((m) => m.kind === 'Deployment').map((m) => m.name)).toEqual(['go-multiroute']);
    expect(find(dev, 'Deployment', 'go-multiroute').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'go-multiroute' });
    expect(dev.filter((m) => m.kind === 'Ingress').map((m) => m.name)).toEqual(['go-multiroute']);
  });

  test('a canary in the release of a rolling environment is an error, not ignored', () => {
    const releaseDir = tmpdir('canary-test');
    const dev = JSON.parse(fs.readFileSync(path.join(RELEASE_DIR, 'dev.json'), 'utf8'));
    dev.apps['go-multiroute'].canary = { version: 'v2', image: 'docker.io/leigg/go_multiroute:v2', weight: 10 };
    fs.writeFileSync(path.join(releaseDir, 'dev.json'), JSON.stringify(dev));
    expect(() => synthManifests('dev', { releaseDir })).toThrow(/\[dev\] go-multiroute\/Release: .*dev.json has apps.go-multiroute.canary, but go-multiroute is released by rolling: remove the canary entry, or release it by 'canary'/);
  });
});
