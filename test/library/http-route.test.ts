import { AppDeployment, AppHttpRoute, AppHttpRouteProps, AppIngress, AppService, headerPatternForRoute, HttpRouteCanary, LABELS, type NamespacedApp, type RegexDialect, type ServicePortProps } from 'k8s-iac';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthProblems } from 'k8s-iac/testing';
import { find, releaseCopy, synth, synthErrors, synthManifests, WEB_POD as POD } from '../helpers';


const GATEWAY = { name: 'public', namespace: 'gateway-system' };

/** Stable and canary tracks of `api` and a route to them; `canary` gets the canary Service. */
const route =
  (canary?: Omit<HttpRouteCanary, 'service'> & { port?: number; ports?: ServicePortProps[] }, extra: Partial<AppHttpRouteProps> = {}) =>
  (ns: NamespacedApp) => {
    const stable = new AppDeployment(ns, 'Stable', { ...POD, name: 'api', version: 'v1', selectorLabels: { [LABELS.track]: 'stable' } });
    const service = new AppService(ns, 'Service', { name: 'api', selector: stable.podSelector, ports: [{ name: 'http', port: 8080 }] });
    let canaryRoute: HttpRouteCanary | undefined;
    if (canary) {
      const { port, ports, ...routing } = canary;
      const app = new AppDeployment(ns, 'CanaryApp', { ...POD, name: 'api-canary', appName: 'api', version: 'v2', replicas: 1, selectorLabels: { [LABELS.track]: 'canary' } });
      const canaryService = new AppService(ns, 'CanaryService', { name: 'api-canary', selector: app.podSelector, ports: ports ?? [{ name: 'http', port: port ?? 8080 }] });
      canaryRoute = { service: canaryService, ...routing };
    }
    new AppHttpRoute(ns, 'Route', {
      name: 'api',
      gateway: GATEWAY,
      host: 'api.example.com',
      paths: [{ path: '/api' }, { path: '/health', pathType: 'Exact' }],
      service,
      canary: canaryRoute,
      ...extra,
    });
  };

const PATHS = [
  { path: { type: 'PathPrefix', value: '/api' } },
  { path: { type: 'Exact', value: '/health' } },
];

describe('HTTPRoute', () => {
  test('a canary Service named as the stable one is the duplicate it is, not a construct that cannot be made', () => {
    const problems = synthErrors((ns) => {
      const stable = new AppDeployment(ns, 'Stable', { ...POD, name: 'api', version: 'v1', selectorLabels: { [LABELS.track]: 'stable' } });
      const canary = new AppDeployment(ns, 'CanaryApp', { ...POD, name: 'api-canary', appName: 'api', version: 'v2', replicas: 1, selectorLabels: { [LABELS.track]: 'canary' } });
      const service = new AppService(ns, 'Service', { name: 'api', selector: stable.podSelector, ports: [{ name: 'http', port: 8080 }] });
      const twin = new AppService(ns, 'Twin', { name: 'api', selector: canary.podSelector, ports: [{ name: 'http', port: 8080 }] });
      new AppHttpRoute(ns, 'Route', { name: 'api', gateway: GATEWAY, host: 'api.example.com', paths: [{ path: '/api' }], service, canary: { service: twin, weight: 10 } });
    });
    expect(problems).toMatch(/Service "api" in shop is also made by shop\/Service/);
    expect(problems).not.toMatch(/There is already a Construct/);
  });

  test('two routes of one Service (two hosts) share the policy admitting the Gateway', () => {
    const ms = synth((ns) => {
      route()(ns);
      const service = ns.node.findChild('Service') as AppService;
      new AppHttpRoute(ns, 'WwwRoute', { name: 'api-www', gateway: GATEWAY, host: 'www.example.com', paths: [{ path: '/api' }], service });
    });
    expect(ms.filter((m) => m.kind === 'HTTPRoute').map((m) => m.name)).toEqual(['api', 'api-www']);
    expect(find(ms, 'NetworkPolicy', 'allow-gateway-to-api').spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  test('two routes of one Service admitting the Gateway from other namespaces are the duplicate they are', () => {
    const problems = synthErrors((ns) => {
      route()(ns);
      const service = ns.node.findChild('Service') as AppService;
      new AppHttpRoute(ns, 'Other', { name: 'api-other', gateway: { name: 'internal', namespace: 'internal-gateway' }, host: 'api.internal', paths: [{ path: '/api' }], service });
    });
    expect(problems).toMatch(/shop\/Other\/AllowGateway-api\/Resource: NetworkPolicy "allow-gateway-to-api" in shop is also made by shop\/Route\/AllowGateway-api\/Resource/);
  });

  test('without a canary: the Gateway as parent, every path to the stable Service', () => {
    const r = find(synth(route()), 'HTTPRoute', 'api');
    expect(r.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(r.metadata.namespace).toBe('shop');
    expect(r.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system' }]);
    expect(r.spec.hostnames).toEqual(['api.example.com']);
    expect(r.spec.rules).toEqual([{ matches: PATHS, backendRefs: [{ name: 'api', port: 8080 }] }]);
  });

  test('weighted canary: stable and canary backends splitting the total', () => {
    const r = find(synth(route({ weight: 20 })), 'HTTPRoute', 'api');
    expect(r.spec.rules).toEqual([
      {
        matches: PATHS,
        backendRefs: [
          { name: 'api', port: 8080, weight: 80 },
          { name: 'api-canary', port: 8080, weight: 20 },
        ],
      },
    ]);
    const finer = find(synth(route({ weight: 5, weightTotal: 1000 })), 'HTTPRoute', 'api');
    expect(finer.spec.rules[0].backendRefs.map((b: { weight: number }) => b.weight)).toEqual([995, 5]);
  });

  test('header canary: requests with the header value go to the canary, the rest to stable', () => {
    const r = find(synth(route({ header: 'X-Client-Build', headerValue: 'gray' })), 'HTTPRoute', 'api');
    const header = { name: 'X-Client-Build', type: 'Exact', value: 'gray' };
    expect(r.spec.rules).toEqual([
      { matches: PATHS.map((m) => ({ ...m, headers: [header] })), backendRefs: [{ name: 'api-canary', port: 8080 }] },
      { matches: PATHS, backendRefs: [{ name: 'api', port: 8080 }] },
    ]);
  });

  test("a header pattern routes the values ingress-nginx's search routes, whether the Gateway searches the value or matches it whole (Envoy)", () => {
    const values = ['gray', 'x-gray-1', 'grey', 'a1', 'zb', 'ab', '', 'GRAY'];
    for (const pattern of ['gray', '^gray$', '^a|b$', 'gr[ae]y', '^a', 'b$', '(?:x-)?gray-\\d']) {
      const written = headerPatternForRoute(pattern);
      for (const value of values) {
        const search = new RegExp(pattern).test(value);
        expect({ pattern, value, whole: new RegExp(`^(?:${written})$`).test(value) }).toEqual({ pattern, value, whole: search });
        expect({ pattern, value, searched: new RegExp(written).test(value) }).toEqual({ pattern, value, searched: search });
      }
    }
  });

  test('header pattern matches by regular expression; a bare header means always/never beside a weight', () => {
    const byPattern = find(synth(route({ header: 'X-Client-Build', headerPattern: '^gray-.*' })), 'HTTPRoute', 'api');
    expect(byPattern.spec.rules[0].matches[0].headers).toEqual([{ name: 'X-Client-Build', type: 'RegularExpression', value: '.*(?:^gray-.*).*' }]);
    const bare = find(synth(route({ header: 'X-Canary', weight: 10 })), 'HTTPRoute', 'api');
    expect(bare.spec.rules.map((rule: { matches: { headers?: { value: string }[] }[]; backendRefs: { name: string }[] }) => [rule.matches[0].headers?.[0].value, rule.backendRefs.map((b) => b.name)])).toEqual([
      ['always', ['api-canary']],
      ['never', ['api']],
      [undefined, ['api', 'api-canary']],
    ]);
  });

  test("the Gateway's namespace is admitted to both tracks' pods, on the named port", () => {
    const ms = synth(route({ weight: 20 }));
    for (const [name, track] of [['api', 'stable'], ['api-canary', 'canary']]) {
      const policy = find(ms, 'NetworkPolicy', `allow-gateway-to-${name}`);
      expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', [LABELS.track]: track });
      expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
    }
  });

  test("where the proxies run apart from the Gateway (Envoy Gateway's controller namespace), their namespace is admitted instead", () => {
    const ms = synth(route({ weight: 20 }, { gateway: { ...GATEWAY, proxyNamespace: 'envoy-gateway-system' } }));
    for (const name of ['api', 'api-canary']) {
      expect(find(ms, 'NetworkPolicy', `allow-gateway-to-${name}`).spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
    }
    expect(synthErrors(route(undefined, { gateway: { ...GATEWAY, proxyNamespace: 'Envoy' } }))).toMatch(/shop\/Route: Gateway proxyNamespace "Envoy" is not a valid DNS-1123 label/);
  });

  test('policySelector: one policy for every backend pod', () => {
    const ms = synth(route(undefined, { policySelector: { 'app.kubernetes.io/name': 'api' } }));
    expect(find(ms, 'NetworkPolicy', 'allow-gateway-to-api').spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(ms.filter((m) => m.kind === 'NetworkPolicy' && m.name.startsWith('allow-gateway-to-'))).toHaveLength(1);
  });
});

describe('HTTPRoute errors', () => {
  test('the shared canary checks: weight range, header value without header', () => {
    expect(synthErrors(route({ weight: 150 }))).toMatch(/Route: canary weight 150 is outside 0-100/);
    expect(synthErrors(route({ headerValue: 'gray', weight: 1 }))).toMatch(/canary headerValue "gray" is set without header/);
    expect(synthErrors(route({ header: 'X-B', headerValue: 'a', headerPattern: 'b' }))).toMatch(/canary sets both headerValue "a" and headerPattern "b"/);
    expect(synthErrors(route({}))).toMatch(/canary has no routing rule/);
  });

  test('a header pattern must compile in the dialect of the Gateway: PCRE and RE2 unless it is named', () => {
    const lookahead = { header: 'X-B', headerPattern: 'gray(?!-old)' };
    expect(synthErrors(route(lookahead))).toMatch(/canary headerPattern "gray\(\?!-old\)" is not an RE2 regular expression .*; or, where the Gateway's implementation reads one dialect only, name it as the Gateway's headerPatternDialect \('PCRE' or 'RE2': gateway.headerPatternDialect here, routing.traffic.headerPatternDialect of a ReleasedService\)/);
    expect(synthErrors(route(lookahead, { gateway: { ...GATEWAY, headerPatternDialect: 'RE2' } }))).toMatch(/is not an RE2 regular expression \(invalid or unsupported Perl syntax: `\(\?!`\): RE2 has no look-arounds[^;]*$/m);
    expect(find(synth(route(lookahead, { gateway: { ...GATEWAY, headerPatternDialect: 'PCRE' } })), 'HTTPRoute', 'api').spec.rules[0].matches[0].headers[0].value).toBe('.*(?:gray(?!-old)).*');
    // RE2 repeats an anchor, PCRE does not
    expect(synthErrors(route({ header: 'X-B', headerPattern: '^*gray' }))).toMatch(/canary headerPattern "\^\*gray" is not a regular expression \(Nothing to repeat\)/);
    expect(find(synth(route({ header: 'X-B', headerPattern: '^*gray' }, { gateway: { ...GATEWAY, headerPatternDialect: 'RE2' } })), 'HTTPRoute', 'api')).toBeDefined();
  });

  test('a dialect the checks do not know is one problem, the pattern left unchecked', () => {
    // a JavaScript caller, or a value read from a file, may pass any string
    const message = synthErrors(route({ header: 'X-B', headerPattern: 'gray(' }, { gateway: { ...GATEWAY, headerPatternDialect: 'pcre' as RegexDialect } }));
    expect(message).toMatch(/shop\/Route: Gateway headerPatternDialect "pcre" is not one of the values it takes: use 'PCRE', 'RE2'/);
    expect(message).not.toMatch(/TypeError|headerPattern "gray\("/);
  });

  test('the limits of the HTTPRoute CRD: a header value of 1-4096 characters, a backend weight of at most 1000000', () => {
    expect(synthErrors(route({ header: 'X-B', headerValue: '' }))).toMatch(/shop\/Route: canary headerValue is empty/);
    expect(synthErrors(route({ header: 'X-B', headerValue: 'a'.repeat(4097) }))).toMatch(
      /shop\/Route: canary headerValue has 4097 characters, over the 4096 an HTTPRoute header match takes: shorten it/,
    );
    // the pattern is written inside .*(?:...).*, which counts too
    expect(synthErrors(route({ header: 'X-B', headerPattern: 'a'.repeat(4089) }))).toMatch(
      /shop\/Route: canary headerPattern has 4089 characters, written as a header match of 4097, over the 4096 an HTTPRoute header match takes: shorten it/,
    );
    expect(synthErrors(route({ weight: 1, weightTotal: 10_000_000 }))).toMatch(
      /shop\/Route: canary weightTotal 10000000 gives the stable backend weight 9999999, over the 1000000 an HTTPRoute backend weight takes: use a weightTotal of at most 1000000/,
    );
    expect(synthErrors(route({ weight: 2_000_000, weightTotal: 2_000_000 }))).toMatch(/canary weightTotal 2000000 gives the canary backend weight 2000000, over the 1000000/);
    // at the limits, they pass
    const header = find(synth(route({ header: 'X-B', headerValue: 'a'.repeat(4096) })), 'HTTPRoute', 'api').spec.rules[0].matches[0].headers[0];
    expect(header.value).toHaveLength(4096);
    expect(find(synth(route({ weight: 1, weightTotal: 1_000_000 })), 'HTTPRoute', 'api').spec.rules[0].backendRefs.map((b: { weight: number }) => b.weight)).toEqual([999_999, 1]);
  });

  test('a canary read from release/<env>.json is held to them too, its problems named by file and field', () => {
    const dir = releaseCopy();
    const file = path.join(dir, 'test.json');
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    state.apps['go-multiroute'].canary = { ...state.apps['go-multiroute'].canary, weight: 1, weightTotal: 10_000_000, header: 'X-Canary', headerValue: 'a'.repeat(5000) };
    fs.writeFileSync(file, JSON.stringify(state));
    const problems = synthProblems(() => synthManifests('test', { releaseDir: dir }));
    // named by the file and field they were written in
    expect(problems).toContainEqual(expect.stringContaining(`[test] go-multiroute/Release/Route: ${file}: apps.go-multiroute.canary.headerValue has 5000 characters, over the 4096`));
    expect(problems).toContainEqual(expect.stringContaining(`[test] go-multiroute/Release/Route: ${file}: apps.go-multiroute.canary.weightTotal 10000000 gives the stable backend weight 9999999`));
  });

  test('a cookie canary cannot be expressed', () => {
    expect(synthErrors(route({ cookie: 'canary' }))).toMatch(/canary cookie "canary" cannot be routed: HTTPRoute has no cookie match, so route the canary by header or weight/);
  });

  test('a canary Service with no port is its own problem only, said once', () => {
    expect(synthProblems(() => synth(route({ weight: 10, ports: [] })))).toEqual([expect.stringMatching(/^\[test\] shop\/CanaryService: Service "api-canary" has no ports: a Service needs at least one/)]);
  });

  test('canary Service port differs from the stable one', () => {
    expect(synthErrors(route({ weight: 10, port: 9090 }))).toMatch(/canary Service "api-canary" port 9090 differs from the stable Service "api" port 8080/);
  });

  test('bad host, no paths, too many paths, path without a slash', () => {
    expect(synthErrors(route(undefined, { host: 'API_example' }))).toMatch(/HTTPRoute host "API_example" is not a DNS name/);
    expect(synthErrors(route(undefined, { paths: [] }))).toMatch(/HTTPRoute has no paths: list at least one path/);
    const nine = Array.from({ length: 9 }, (_, i) => ({ path: `/p${i}` }));
    expect(synthErrors(route(undefined, { paths: nine }))).toMatch(/HTTPRoute has 9 paths, but a rule takes at most 8 matches/);
    expect(synthErrors(route(undefined, { paths: [{ path: 'api' }] }))).toMatch(/HTTPRoute path "api" must start with '\/'/);
  });

  test('a Gateway namespace that is not a namespace name', () => {
    expect(synthErrors(route(undefined, { gateway: { name: 'public', namespace: 'Gateway_System' } }))).toMatch(/Gateway namespace "Gateway_System" is not a valid DNS-1123 label/);
  });
});

describe('go-multiroute in test (traffic through the Gateway API)', () => {
  const ms = synthManifests('test').filter((m) => m.namespace === 'go-multiroute');

  test('an HTTPRoute on the env Gateway splits 80/20 between v1 and the v2 canary; no Ingress', () => {
    const r = find(ms, 'HTTPRoute', 'go-multiroute');
    expect(r.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(r.spec.hostnames).toEqual(['go-multiroute.test.example.com']);
    expect(r.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/route1' } }],
        backendRefs: [
          { name: 'go-multiroute', port: 3000, weight: 80 },
          { name: 'go-multiroute-canary', port: 3000, weight: 20 },
        ],
      },
    ]);
    expect(ms.filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  test('the gateway namespace, not the ingress controller, is admitted to both tracks', () => {
    const policies = ms.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.name);
    expect(policies).toEqual(expect.arrayContaining(['allow-gateway-to-go-multiroute', 'allow-gateway-to-go-multiroute-canary']));
    expect(policies.filter((p) => p.startsWith('allow-ingress-to-'))).toEqual([]);
  });
});

describe('a Service with no port behind an Ingress or an HTTPRoute', () => {
  const routes = {
    Ingress: (ns: NamespacedApp, service: AppService) => new AppIngress(ns, 'Ingress', { name: 'api', className: 'nginx', host: 'api.example.com', paths: [{ path: '/' }], service }),
    HTTPRoute: (ns: NamespacedApp, service: AppService) => new AppHttpRoute(ns, 'Route', { name: 'api', gateway: GATEWAY, host: 'api.example.com', paths: [{ path: '/' }], service }),
  };
  const behind = (kind: keyof typeof routes, headless: boolean) => () =>
    synth((ns) => {
      const app = new AppDeployment(ns, 'App', { ...POD, name: 'api', version: 'v1' });
      routes[kind](ns, new AppService(ns, 'Service', { name: 'api', selector: app.podSelector, ports: [], headless }));
    });

  test.each(Object.keys(routes) as (keyof typeof routes)[])('is one problem, the Service\'s own, and a headless one the route\'s (%s)', (kind) => {
    expect(synthProblems(behind(kind, false))).toEqual([expect.stringMatching(/^\[test\] shop\/Service: Service "api" has no ports: a Service needs at least one/)]);
    expect(synthProblems(behind(kind, true))).toEqual([`[test] shop/${kind === 'Ingress' ? 'Ingress' : 'Route'}: Service "api" is headless with no port, so there is nothing to route to: give it a port`]);
  });
});
