import { CanaryRouting, NamespacedApp, NetworkPolicy, ReleasedService, ReleaseStrategy } from 'k8s-iac';
import { findObjects, synthProblems, synthScope, testSettings } from 'k8s-iac/testing';
import { DIGEST_IMAGE, LIMITS, QUOTA } from '../helpers';

const STABLE = { version: 'v1', image: DIGEST_IMAGE };

/** What else a test's ReleasedService is given or built beside. */
interface BuildOptions {
  /** The container's CPU request. @default '500m' */
  readonly cpuRequest?: string;
  /** The port's name. @default 'http' */
  readonly port?: string;
  /** The Service's ports. @default - the one port */
  readonly ports?: readonly { name: string; port: number }[];
  /** A second ReleasedService's name, built beside it. @default - none */
  readonly beside?: string;
  /** Which requests reach the canary. @default - weight 10 */
  readonly canaryRouting?: CanaryRouting;
  /** Where the release state was read from. @default - not said */
  readonly releaseSource?: string;
  /** The one dialect the Gateway reads header patterns in. @default - both */
  readonly headerPatternDialect?: 'PCRE' | 'RE2';
}

/** A ReleasedService of `name` in a namespace, with a canary running or both colours, routed through ingress-nginx or a Gateway. */
function build(name: string, strategy: ReleaseStrategy, gateway: boolean, options: BuildOptions = {}) {
  return () =>
    synthScope((scope) => {
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: testSettings(), quota: QUOTA, limits: LIMITS });
      for (const [id, app] of [['Web', name], ...(options.beside === undefined ? [] : [['Beside', options.beside]])]) service(ns, id, app, strategy, gateway, options);
    });
}

function service(ns: NamespacedApp, id: string, name: string, strategy: ReleaseStrategy, gateway: boolean, { cpuRequest = '500m', port = 'http', ports, canaryRouting = { weight: 10 }, releaseSource, headerPatternDialect }: BuildOptions) {
      return new ReleasedService(ns, id, {
        name,
        strategy,
        releaseSource,
        release: {
          stable: STABLE,
          canary: strategy === 'canary' ? { version: 'v2', image: DIGEST_IMAGE, ...canaryRouting } : undefined,
          blueGreen: strategy === 'blue-green' ? { active: 'blue', blue: STABLE, green: { version: 'v2', image: DIGEST_IMAGE } } : undefined,
        },
        ports: ports ?? [{ name: port, port: 8080 }],
        pod: (v) => ({
          container: {
            image: v.image,
            ports: [{ name: port, port: 8080 }],
            resources: { requests: { cpu: cpuRequest, memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/ready', port } },
          },
        }),
        routing: {
          traffic: gateway ? { kind: 'gateway-api', gatewayName: 'public', gatewayNamespace: 'gateway', headerPatternDialect } : { kind: 'ingress-nginx', className: 'nginx' },
          host: 'shop.example.com',
          paths: [{ path: '/' }],
        },
      });
}

const CASES = (['rolling', 'canary', 'blue-green'] as const).flatMap((strategy) => [false, true].map((gateway) => [strategy, gateway ? 'Gateway' : 'ingress-nginx', gateway] as const));

describe('ReleasedService app name', () => {
  test.each(CASES)('a bad name is one problem at the ReleasedService, not one per object named from it (%s, %s)', (strategy, _traffic, gateway) => {
    expect(synthProblems(build('Web', strategy, gateway))).toEqual([expect.stringMatching(/^\[test\] shop\/Web: app name "Web" is not a valid DNS-1035 label: it names every object of the service.*: use at most \d+ lower-case letters/)]);
  });

  test("the limit is the longest Service name the strategy makes: <name>-canary and <name>-preview stay within 63 characters", () => {
    const name = (n: number) => `a${'b'.repeat(n - 1)}`;
    expect(synthProblems(build(name(57), 'canary', false))).toEqual([
      `[test] shop/Web: app name "${name(57)}" has 57 characters, so the Service "${name(57)}-canary" named from it is over the 63 a Service name may have: use at most 56 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`,
    ]);
    expect(synthProblems(build(name(56), 'blue-green', true))).toEqual([expect.stringContaining(`so the Service "${name(56)}-preview" named from it is over the 63 a Service name may have: use at most 55 lower-case letters`)]);
    expect(findObjects(build(name(56), 'canary', false)(), { kind: 'Service' }).map((s) => s.metadata?.name)).toEqual([name(56), `${name(56)}-canary`].sort());
    expect(findObjects(build(name(63), 'rolling', true)(), { kind: 'Service' }).map((s) => s.metadata?.name)).toEqual([name(63)]);
  });

  test("the objects' own problems are still reported beside a bad name, once each", () => {
    const problems = synthProblems(build('Web', 'canary', false, { cpuRequest: '100m' }));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/shop\/Web: app name "Web"/);
    expect(problems.slice(1)).toEqual([expect.stringMatching(/shop\/Web\/App: container web-[0-9a-f]{8}: cpu limit\/request ratio 10\.00 is above/), expect.stringMatching(/shop\/Web\/Canary: container web-[0-9a-f]{8}: cpu limit\/request ratio 10\.00 is above/)]);
  });

  test('the objects of a bad name are built under a name no other service has: beside a service "web", "Web" is still one problem', () => {
    expect(synthProblems(build('Web', 'rolling', true, { beside: 'web' }))).toEqual([expect.stringMatching(/^\[test\] shop\/Web: app name "Web" is not a valid DNS-1035 label/)]);
  });

  test('a name that is no string (from JavaScript) is one problem, and the messages of the ports name what was given', () => {
    expect(synthProblems(build(undefined as unknown as string, 'rolling', false))).toEqual([expect.stringMatching(/^\[test\] shop\/Web: app name is undefined, not a string: it names every object of the service: use at most 63/)]);
    expect(synthProblems(build('Web', 'rolling', false, { ports: [] }))).toContain('[test] shop/Web: Service "Web" has no ports: a Service needs at least one (name it after the container port it targets)');
    expect(synthProblems(build('Web', 'blue-green', false, { ports: [] }))).toContain('[test] shop/Web/BlueGreen: blue-green "Web" has no ports: list the container ports both Services expose');
  });

  test('two services given the same bad name are built under stand-ins of their own: the name is said for each, no duplicate objects', () => {
    const problems = synthProblems(build('Web', 'rolling', false, { beside: 'Web' }));
    expect(problems).toEqual([expect.stringMatching(/^\[test\] shop\/Web: app name "Web" is not/), expect.stringMatching(/^\[test\] shop\/Beside: app name "Web" is not/)]);
  });
});

describe('ReleasedService ports', () => {
  test.each(CASES)('a bad Service port name is one problem where the ports were given, beside each Deployment container that names it (%s, %s)', (strategy, _traffic, gateway) => {
    const problems = synthProblems(build('web', strategy, gateway, { port: 'HTTP_port' }));
    const where = strategy === 'blue-green' ? 'shop/Web/BlueGreen' : 'shop/Web';
    const deployments = { rolling: ['App'], canary: ['App', 'Canary'], 'blue-green': ['BlueGreen/Blue', 'BlueGreen/Green'] }[strategy];
    const invalid = ' is not a valid port name: ';
    expect(problems.every((p) => p.includes(invalid))).toBe(true);
    expect(problems.map((p) => p.slice(0, p.indexOf(invalid)))).toEqual([`[test] ${where}: Service port name "HTTP_port"`, ...deployments.map((d) => `[test] shop/Web/${d}: container port name "HTTP_port"`)]);
  });
});

describe('ReleasedService canary routing', () => {
  test.each([
    ['ingress-nginx', false],
    ['Gateway', true],
  ] as const)('a routing setting off its rules is named by the release file entry it was read from (%s)', (_traffic, gateway) => {
    const releaseSource = 'release/prod.json';
    const problems = (canaryRouting: CanaryRouting) => synthProblems(build('web', 'canary', gateway, { canaryRouting, releaseSource }));
    expect(problems({ weight: 150 })).toEqual([
      expect.stringMatching(/^\[test\] shop\/Web\/\w+: release\/prod.json: apps.web.canary.weight 150 is outside 0-100 \(percent of requests\): use a whole number in that range, or set weightTotal for a finer scale$/),
    ]);
    expect(problems({ header: 'X-Build', headerPattern: '(' })).toEqual([expect.stringMatching(/: release\/prod.json: apps.web.canary.headerPattern "\(" is not a regular expression/)]);
    expect(problems({ header: 'X-Build', headerValue: 'a', headerPattern: 'b' })).toEqual([expect.stringMatching(/: release\/prod.json: apps.web.canary sets both headerValue "a" and headerPattern "b"/)]);
    // without a source, the settings are named as the canary's
    expect(synthProblems(build('web', 'canary', gateway, { canaryRouting: { weight: 150 } }))).toEqual([expect.stringMatching(/: canary weight 150 is outside 0-100/)]);
  });
});

describe('ReleasedService through a Gateway', () => {
  test('a header pattern only PCRE reads is refused unless the traffic names the Gateway\'s dialect, as the message says', () => {
    const canaryRouting = { header: 'X-Build', headerPattern: 'gray(?!-old)' };
    expect(synthProblems(build('web', 'canary', true, { canaryRouting }))).toEqual([expect.stringMatching(/routing.traffic.headerPatternDialect of a ReleasedService/)]);
    expect(() => build('web', 'canary', true, { canaryRouting, headerPatternDialect: 'PCRE' })()).not.toThrow();
  });
});

describe('ReleasedService as a policy peer', () => {
  test.each(['rolling', 'canary', 'blue-green'] as const)('{ workload: service } admits every pod of it, whatever version, track or colour (%s)', (strategy) => {
    const manifests = synthScope((scope) => {
      // no default-deny on either side: the policy's rendering is what is tested here
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: testSettings(), quota: QUOTA, limits: LIMITS, defaultDeny: false });
      const data = new NamespacedApp(scope, 'data', { namespace: 'data', settings: testSettings(), quota: QUOTA, limits: LIMITS, defaultDeny: false });
      const web = service(ns, 'Web', 'web', strategy, false, {});
      new NetworkPolicy(data, 'FromWeb', { name: 'from-web', podSelector: {}, ingress: [] }).allowFrom({ workload: web });
      expect(web.namespaceName).toBe('shop');
    });
    const policy = findObjects(manifests, { kind: 'NetworkPolicy', namespace: 'data', name: 'from-web' })[0] as { spec: { ingress: unknown[] } };
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }] }]);
    const pods = findObjects(manifests, { kind: 'Deployment', namespace: 'shop' }).map((d) => (d as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels['app.kubernetes.io/name']);
    expect(new Set(pods)).toEqual(new Set(['web']));
  });
});

describe('ReleasedService ports', () => {
  test.each(CASES)('a port its pods do not declare is one problem, not one per Service, Ingress and policy made from it (%s, %s)', (strategy, _traffic, gateway) => {
    const problems = synthProblems(build('web', strategy, gateway, { ports: [{ name: 'htp', port: 8080 }] }));
    expect(problems).toEqual([
      strategy === 'blue-green'
        ? expect.stringMatching(/^\[test\] shop\/Web\/BlueGreen: blue-green "web" port "htp" targets the container port of that name, which neither colour declares \(they declare "http"\)/)
        : `[test] shop/Web: port "htp" targets the container port of that name, which the ${strategy === 'canary' ? 'stable (v1) and canary (v2)' : 'stable (v1)'} pods do not declare (they declare "http"): use one of theirs, or name the container port "htp"`,
    ]);
  });
});
