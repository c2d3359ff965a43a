/**
 * fast-check arbitraries for every public construct's props and for release files: mostly
 * valid values, with a share of the invalid ones users write (malformed quantities, bad
 * names, out-of-range numbers, NaN, empty lists), so a run explores both sides.
 */
import fc from 'fast-check';
import type { Construct } from 'constructs';
import {
  AccessMode,
  AccessPreset,
  AppDeployment,
  AppDeploymentProps,
  AppGateway,
  AppHttpRoute,
  AppIngress,
  AppSecret,
  AppService,
  BlueGreen,
  CanaryIngress,
  CanaryRouting,
  ComputeResources,
  DeploymentStrategy,
  DeveloperAccess,
  EnvValue,
  MountProps,
  NamespacedApp,
  NetworkPolicy,
  NetworkPolicyRule,
  NodeAgent,
  PlatformSettings,
  ProbeProps,
  RegexDialect,
  ReleasedService,
  ScheduledJob,
  SecurityOptOut,
  StatefulApp,
  VersionedConfigMap,
} from 'k8s-iac';
import { LIMITS, QUOTA } from '../helpers';
import { KubeServiceAccount, type Toleration } from '../../imports/k8s';

/** A ServiceAccount every generated namespace renders, which generated workloads may run as. */
const RUNNER_ACCOUNT = 'web-runner';

/**
 * Mostly `valid`, now and then `invalid`: one field in 30, so that with the 20-odd fields of
 * a workload about half the cases are valid throughout and render, and half are refused.
 */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 29, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const name = mostly(label, fc.oneof(fc.constantFrom('', 'Web', 'my_app', '-x', 'a.b', 'x'.repeat(64)), fc.string({ maxLength: 8 })));
const version = mostly(fc.stringMatching(/^v[0-9]{1,2}\.[0-9]{1,2}$/), fc.constantFrom('v 1', '', 'v'.repeat(64), 'v1.'));
const cpu = mostly(fc.constantFrom('10m', '50m', '100m', '250m', '500m', '1'), fc.constantFrom('10Mii', ' 100m', '-1', 'one', '', '1e400', '1 core'));
const memory = mostly(fc.constantFrom('16Mi', '64Mi', '128Mi', '256Mi', '1Gi'), fc.constantFrom('64MB', '64mi', '-1Mi', '1 GB', ''));
const storage = mostly(fc.constantFrom('1Gi', '2Gi', '5Gi', '10Gi'), fc.constantFrom('5 GB', '-1Gi', 'big', '0.5Ti'));
const count = (min: number, max: number) => mostly(fc.integer({ min, max }), fc.oneof(fc.constantFrom(-1, 1.5, NaN, Infinity), fc.integer({ min: -5, max: 100 })));
const portNumber = mostly(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, -1, 70000, NaN, 80.5));
const portName = mostly(fc.constantFrom('http', 'grpc', 'metrics', 'admin'), fc.constantFrom('HTTP', 'a'.repeat(16), 'web--x', '8080', 'http-', ''));
const image = mostly(
  fc.constantFrom('registry.example.com/shop/web:v1.2.3', `registry.example.com/shop/web:v1@sha256:${'a'.repeat(64)}`, 'nginx:1.25.3'),
  fc.constantFrom('nginx', 'nginx:latest', 'Web:1', '', 'x@sha256:abc'),
);
const host = mostly(fc.constantFrom('shop.example.com', 'api.shop.example.com', '*.example.com'), fc.constantFrom('', 'Shop.example.com', 'a b', `${'a.'.repeat(127)}com`, 'x:443'));
const path = mostly(fc.constantFrom('/', '/api', '/route1', '/v1/items'), fc.constantFrom('api', '', 'x/y'));
const labels = mostly(
  fc.dictionary(fc.constantFrom('team', 'tier', 'example.com/owner', 'access-db', 'a.b_c-d', 'sub.example.com/a.b'), fc.oneof(label, fc.constantFrom('', 'A.b_C-1', 'x'.repeat(63))), { maxKeys: 3 }),
  fc.constantFrom<Record<string, string>>({ 'a b': 'x' }, { team: 'a/b' }, { '-x': 'y' }, { team: 'x'.repeat(64) }, { 'a/b/c': 'x' }, { [`${'a'.repeat(64)}`]: 'x' }, { '/x': 'y' }, { team: '-a' }),
);
/** A claim's access modes: unset, each mode alone, or a subset (ReadWriteOncePod beside another, or none, is refused). */
const accessModes = fc.option(mostly(fc.constantFrom<AccessMode[]>(['ReadWriteOnce'], ['ReadWriteOncePod'], ['ReadWriteMany'], ['ReadOnlyMany', 'ReadWriteMany']), fc.subarray<AccessMode>(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])), { nil: undefined });
const cidr = mostly(fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/24', '2001:db8::/32'), fc.constantFrom('10.0.0.1/16', '10.0.0.0', '10.0.0.0/33', 'intranet/8', ''));

/** Requests and limits: valid ones keep the limit within 1-4 times the request (the LimitRange's ratio). */
const resources = mostly<ComputeResources>(
  fc.tuple(fc.constantFrom(['50m', '100m', '200m'], ['100m', '200m', '400m'], ['250m', '500m', '1']), fc.constantFrom(['32Mi', '64Mi', '128Mi'], ['64Mi', '128Mi', '256Mi'])).chain(([cpus, mems]) =>
    fc.record({ requests: fc.record({ cpu: fc.constant(cpus[0]), memory: fc.constant(mems[0]) }), limits: fc.record({ cpu: fc.constantFrom(cpus[1], cpus[2]), memory: fc.constantFrom(mems[1], mems[2]) }) }),
  ),
  fc.record({ requests: fc.record({ cpu, memory }), limits: fc.record({ cpu, memory }) }),
);
/** Probe timings: mostly whole seconds in range, now and then 0, negative or fractional. */
const seconds = (min: number, max: number) => fc.option(mostly(fc.integer({ min, max }), fc.constantFrom(0, -1, 1.5, NaN, 2 ** 31)), { nil: undefined, freq: 2 });
const probePort = mostly(fc.constantFrom<string | number>('http', 8080, 'http', 9090), fc.constantFrom<string | number>('admin', 0, 70000, 'HTTP', 'a'.repeat(16), -1));
const probeTimings = { initialDelaySeconds: seconds(0, 60), periodSeconds: seconds(1, 30), timeoutSeconds: seconds(1, 10), failureThreshold: seconds(1, 10) };
const probe = mostly<ProbeProps | undefined>(
  fc.oneof(
    fc.record({ httpGet: fc.record({ path, port: probePort }), ...probeTimings }, { requiredKeys: ['httpGet'] }),
    fc.record({ tcpSocket: fc.record({ port: probePort }), ...probeTimings }, { requiredKeys: ['tcpSocket'] }),
    fc.record({ exec: fc.record({ command: mostly(fc.constantFrom<string[]>(['cat', '/tmp/healthy'], ['/bin/check']), fc.constant<string[]>([])) }), ...probeTimings }, { requiredKeys: ['exec'] }),
  ),
  fc.constantFrom<ProbeProps | undefined>({}, undefined, { httpGet: { path: '/', port: 'http' }, tcpSocket: { port: 'http' } }),
);
const configMounts = fc.constantFrom<MountProps[]>(
  [{ name: 'config', mountPath: '/etc/app', configMap: 'web-config' }],
  [{ name: 'creds', mountPath: '/var/run/secrets/app', secret: 'db-creds' }],
  [{ name: 'data', mountPath: '/data', persistentVolumeClaim: 'web-data', readOnly: false }],
  [{ name: 'config', mountPath: '/etc/app', configMap: 'web-config', readOnly: false }, { name: 'cache', mountPath: '/cache', emptyDirSizeLimit: '32Mi' }],
);
const mounts = mostly<MountProps[]>(
  fc.oneof(fc.constantFrom<MountProps[]>([], [{ name: 'cache', mountPath: '/cache', emptyDirSizeLimit: '32Mi' }], [{ name: 'data', mountPath: '/data', emptyDirSizeLimit: '16Mi' }]), configMounts),
  fc.oneof(
    fc.array(fc.record({ name: mostly(label, fc.constantFrom('Data', 'tmp')), mountPath: fc.constantFrom('/data', '/cache', '/tmp', '/data/'), emptyDirSizeLimit: fc.option(storage, { nil: undefined }) }), { maxLength: 2 }),
    fc.constantFrom<MountProps[]>(
      [{ name: 'config', mountPath: 'etc/app', configMap: 'web-config' }],
      [{ name: 'config', mountPath: '/etc/app', configMap: 'Web_Config' }],
      [{ name: 'creds', mountPath: '/creds', secret: '' }],
      [{ name: 'creds', mountPath: '/tmp', secret: 'db-creds' }],
      [{ name: 'a', mountPath: '/etc/app', configMap: 'x' }, { name: 'b', mountPath: '/etc/app/', secret: 'y' }],
      [{ name: 'data', mountPath: '/data', persistentVolumeClaim: 'data..x' }],
      [{ name: 'conf', mountPath: '/etc/a:b', configMap: 'c' }],
    ),
  ),
);

/** Environment values: text, a Secret's key, a pod field (Downward API); now and then what the API refuses. */
const envValue = mostly<EnvValue>(
  fc.oneof(
    fc.string({ maxLength: 5 }),
    fc.record({ secret: fc.record({ name: fc.constantFrom('db-creds', 'web.tls'), key: fc.constantFrom('password', 'tls.crt', 'DB_PASS', 'a-b_c.d') }) }),
    fc.record({
      fieldPath: fc.constantFrom(
        'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs',
        "metadata.labels['app.kubernetes.io/name']", "metadata.annotations['example.com/owner']", "metadata.annotations['Example.com/Owner']", "metadata.labels['team']",
      ),
    }),
  ),
  fc.constantFrom<EnvValue>(
    { secret: { name: 'DB', key: 'password' } },
    { secret: { name: 'db', key: 'a/b' } },
    { secret: { name: 'db', key: '..' } },
    { secret: { name: 'db', key: '' } },
    { fieldPath: 'status.phase' },
    { fieldPath: 'status.hostIPs' },
    { fieldPath: 'spec.hostname' },
    { fieldPath: 'metadata.labels' },
    { fieldPath: "metadata.labels['a b']" },
    { fieldPath: 'metadata.labels["team"]' },
    { fieldPath: "metadata.annotations['Example.com/A_']" },
    { resourceFieldRef: { resource: 'limits.cpu' } } as unknown as EnvValue,
    8080 as unknown as EnvValue,
    null as unknown as EnvValue,
  ),
);
const envName = mostly(fc.constantFrom('A', 'DB_HOST', 'LOG_LEVEL', 'POD_IP', 'my.var', 'x-y', '_X', 'a'.repeat(100)), fc.constantFrom('1BAD', 'with space', '', 'A=B', '.', '..'));

const tolerationsArb = mostly<Toleration[]>(
  fc.array(
    fc.constantFrom<Toleration>(
      { key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'shop' },
      { operator: 'Exists' },
      { key: 'example.com/gpu', operator: 'Exists', effect: 'PreferNoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -1 },
      { key: 'spot', operator: 'Equal', value: '', effect: 'NoExecute', tolerationSeconds: 0 },
      { key: 'x', operator: '', value: 'y' },
    ),
    { maxLength: 3 },
  ),
  fc.constantFrom<Toleration[]>(
    [{ key: 'a b', operator: 'Exists' }],
    [{ key: 'dedicated', operator: 'In', value: 'shop' }],
    [{ key: 'dedicated', operator: 'Exists', value: 'shop' }],
    [{ value: 'shop' }],
    [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoRun' }],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
    [{ key: 'dedicated', operator: 'Equal', value: 'a b' }],
    [{ key: 'dedicated', operator: 'Equal', value: 'x'.repeat(64) }],
    [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1.5 }],
  ),
);

const intOrPercentArb = (valid: Array<number | string>) => mostly(fc.constantFrom<number | string>(...valid), fc.constantFrom<number | string>(-1, 1.5, '150%', 'x', '25 %', '%', '-10%', '1.5%', NaN, ''));
const strategy = fc.option(
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<DeploymentStrategy>({ type: 'Recreate' }) },
    {
      weight: 5,
      arbitrary: fc.record(
        { type: fc.constant('RollingUpdate' as const), maxSurge: intOrPercentArb([0, 1, 2, 10, '0%', '25%', '50%', '100%', '200%']), maxUnavailable: intOrPercentArb([0, 1, 3, '0%', '10%', '25%', '100%']) },
        { requiredKeys: ['type'] },
      ),
    },
  ),
  { nil: undefined },
);

/** Pod template props the workloads share beyond the container: placement, priority, security, scratch space. */
const podExtras = fc.record(
  {
    tolerations: tolerationsArb,
    priorityClassName: mostly(fc.constantFrom('shop-high', 'system-cluster-critical', 'batch.low'), fc.constantFrom('High', 'a_b', '', 'x'.repeat(254))),
    spread: fc.boolean(),
    qos: fc.constantFrom<'burstable' | 'guaranteed'>('burstable', 'guaranteed'),
    runAsUser: mostly(fc.integer({ min: 10000, max: 65534 }), fc.constantFrom(0, -1, 2 ** 31, 1.5)),
    tmpSizeLimit: mostly(fc.constantFrom('16Mi', '64Mi', '128Mi'), fc.constantFrom('64MB', '1Ti', '-1Mi')),
    ephemeralStorage: mostly(fc.constantFrom<{ request: string; limit: string }>({ request: '64Mi', limit: '512Mi' }, { request: '1Gi', limit: '2Gi' }), fc.constantFrom({ request: '1Gi', limit: '256Mi' }, { request: 'x', limit: '1Gi' })),
    automountServiceAccountToken: fc.boolean(),
    securityOptOut: mostly(fc.constant<SecurityOptOut>({ writableRootFilesystem: true, reason: 'the app writes its cache under /var' }), fc.constantFrom({ writableRootFilesystem: true, reason: ' ' }, { runAsRoot: true, reason: 'needs root' })),
    // web-runner is the namespace's own (buildNamespace); ci-runner is rendered nowhere
    serviceAccountName: mostly(fc.constantFrom(RUNNER_ACCOUNT, 'default'), fc.constantFrom('Web', 'a_b', 'ci-runner')),
    appName: mostly(fc.constantFrom('web', 'shop-web'), fc.constantFrom('Web App', 'x'.repeat(64))),
  },
  { requiredKeys: [] },
);

/**
 * Now and then a Deployment name the API server admits with a warning (a DNS subdomain that
 * is no DNS label: `web.v2`), with the container's name given apart: synth warns of it, and
 * the fuzz's dry run compares that with the API server's own warnings.
 */
const warnedName = fc.oneof(
  { weight: 24, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.record({ name: fc.tuple(label, label).map(([a, b]) => `${a}.${b}`), appName: label }) },
);

/** An AppDeployment's props (with the http port its probes name). */
export const deploymentProps: fc.Arbitrary<AppDeploymentProps> = fc.tuple(fc.record({
  name: name,
  version,
  replicas: fc.option(count(2, 6), { nil: undefined }),
  podLabels: fc.option(labels, { nil: undefined }),
  strategy,
  container: fc.record({
    image,
    ports: fc.array(fc.record({ name: portName, port: portNumber }), { minLength: 1, maxLength: 2 }).map((ps) => [{ name: 'http', port: 8080 }, ...ps.slice(1)]),
    resources,
    readinessProbe: probe,
    livenessProbe: fc.option(probe, { nil: undefined, freq: 2 }),
    startupProbe: fc.option(probe, { nil: undefined, freq: 3 }),
    env: fc.option(fc.dictionary(envName, envValue, { maxKeys: 3 }), { nil: undefined }),
    mounts: fc.option(mounts, { nil: undefined }),
  }),
  autoscaling: fc.option(
    mostly(
      fc.record(
        {
          minReplicas: fc.integer({ min: 2, max: 3 }),
          maxReplicas: fc.integer({ min: 3, max: 8 }),
          cpuUtilization: fc.integer({ min: 1, max: 300 }),
          memoryUtilization: fc.option(fc.integer({ min: 1, max: 150 }), { nil: undefined }),
          scaleDownStabilizationSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
        },
        { requiredKeys: ['minReplicas', 'maxReplicas'] },
      ).map((a) => (a.cpuUtilization === undefined && a.memoryUtilization === undefined ? { ...a, cpuUtilization: 70 } : a)),
      fc.record({
        minReplicas: count(1, 3),
        maxReplicas: count(1, 8),
        cpuUtilization: fc.option(count(1, 100), { nil: undefined }),
        memoryUtilization: fc.option(fc.constantFrom(0, -5, 1.5, 101), { nil: undefined }),
        scaleDownStabilizationSeconds: fc.option(fc.constantFrom(-1, 3601, 1.5, 0, 3600), { nil: undefined }),
      }),
    ),
    { nil: undefined, freq: 3 },
  ),
  terminationGracePeriodSeconds: fc.option(count(15, 60), { nil: undefined }),
  preStopSleepSeconds: fc.option(count(0, 10), { nil: undefined }),
}), podExtras, warnedName).map(([p, extras, warned]) => {
  // guaranteed QoS takes requests equal to limits: valid cases get them, a few keep the burstable pair
  const guaranteed = extras.qos === 'guaranteed' && p.container.resources.requests.cpu !== p.container.resources.limits.cpu && p.container.resources.limits.cpu !== '1' ? { ...p.container, resources: { requests: p.container.resources.requests, limits: p.container.resources.requests } } : p.container;
  const q = { ...extras, ...p, ...warned, container: guaranteed };
  return q.autoscaling ? { ...q, replicas: undefined } : q;
});

const anyCanaryRouting: fc.Arbitrary<CanaryRouting> = fc.record({
  weight: fc.option(count(0, 100), { nil: undefined }),
  weightTotal: fc.option(count(1, 1000), { nil: undefined }),
  header: fc.option(mostly(fc.constantFrom('X-Canary', 'X-Client-Build'), fc.constantFrom('X Canary', '')), { nil: undefined }),
  headerValue: fc.option(fc.constantFrom('always', 'gray'), { nil: undefined }),
  cookie: fc.option(mostly(fc.constant('canary'), fc.constant('my cookie')), { nil: undefined }),
});

/** A canary's routing: mostly one well-formed rule (weight, header or cookie), now and then anything. */
const canaryRouting: fc.Arbitrary<CanaryRouting> = mostly<CanaryRouting>(
  fc.oneof(fc.record({ weight: fc.integer({ min: 0, max: 100 }) }), fc.record({ header: fc.constantFrom('X-Canary', 'X-Client-Build'), headerValue: fc.option(fc.constant('gray'), { nil: undefined }) }), fc.record({ cookie: fc.constant('canary') })),
  anyCanaryRouting,
);

/** The Gateway's dialect: unnamed, named, or (as a JavaScript caller may pass) a string that is neither. */
const headerPatternDialect: fc.Arbitrary<RegexDialect | undefined> = mostly(fc.constantFrom(undefined, 'PCRE' as const, 'RE2' as const), fc.constantFrom('pcre', 'Re2', '') as unknown as fc.Arbitrary<RegexDialect>);

const rule: fc.Arbitrary<NetworkPolicyRule> = fc.record({
  peers: fc.array(
    fc.oneof(
      fc.record({ pods: labels }),
      fc.record({ namespace: mostly(label, fc.constant('Monitoring')) }),
      fc.record({ namespaces: labels }),
      fc.record({ cidr, except: fc.option(fc.array(cidr, { maxLength: 1 }), { nil: undefined }) }),
    ),
    { maxLength: 2 },
  ),
  ports: fc.option(fc.array(fc.record({ port: fc.oneof(portNumber, portName) }), { maxLength: 2 }), { nil: undefined }),
});

/** A construct under test: the generated props (for the report of a failing case) and what it adds to a namespace. */
export interface Scenario {
  readonly props: unknown;
  build(ns: NamespacedApp): void;
}

/** Maps generated props to a scenario that keeps them for the report. */
const scenario = <T>(arb: fc.Arbitrary<T>, build: (props: T, ns: NamespacedApp) => void): fc.Arbitrary<Scenario> =>
  arb.map((props) => ({ props, build: (ns: NamespacedApp) => build(props, ns), toString: () => fc.stringify(props) }));

/** The namespace every scenario runs in, from generated tenancy. */
export const namespace = fc.record({ namespace: mostly(label, fc.constantFrom('default', 'Shop', '')), pods: count(40, 80), cpu: mostly(fc.constantFrom('16', '32'), fc.constantFrom('1', '4 ', '-1', 'x')) });

/** Builds the NamespacedApp of a generated namespace, with a ServiceAccount the workloads may name (RUNNER_ACCOUNT). */
export function buildNamespace(scope: Construct, settings: PlatformSettings, ns: { namespace: string; pods: number; cpu: string }): NamespacedApp {
  const quota = { ...QUOTA, pods: ns.pods, services: 20, requests: { cpu: ns.cpu, memory: '64Gi' }, limits: { cpu: '64', memory: '128Gi' } };
  const app = new NamespacedApp(scope, 'shop', { namespace: ns.namespace, settings, quota, limits: LIMITS });
  new KubeServiceAccount(app, 'Runner', { metadata: { name: RUNNER_ACCOUNT }, automountServiceAccountToken: false });
  return app;
}

/** Every public construct, each with the arbitrary of its props. */
export const SCENARIOS: Readonly<Record<string, fc.Arbitrary<Scenario>>> = {
  AppDeployment: scenario(deploymentProps, (p, ns) => void new AppDeployment(ns, 'Web', p)),
  AppService: scenario(
    fc.tuple(deploymentProps, mostly<Array<{ name: string; port: number }>>(fc.constant([{ name: 'http', port: 80 }]), fc.array(fc.record({ name: portName, port: portNumber }), { maxLength: 2 })), mostly(fc.constant({}), labels)),
    ([p, ports, selector], ns) => {
      const d = new AppDeployment(ns, 'Web', p);
      new AppService(ns, 'Svc', { name: 'web', selector: { ...d.podSelector, ...selector }, ports: ports.map((port, i) => (i === 0 ? { ...port, name: 'http' } : port)) });
    },
  ),
  AppIngress: scenario(fc.tuple(deploymentProps, host, fc.array(fc.record({ path }), { maxLength: 3 }), mostly(fc.constant('nginx'), fc.constantFrom('', 'NGINX'))), ([p, h, paths, className], ns) => {
    const d = new AppDeployment(ns, 'Web', p);
    const svc = new AppService(ns, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
    new AppIngress(ns, 'Ing', { name: 'web', className, host: h, paths, service: svc });
  }),
  CanaryIngress: scenario(fc.tuple(deploymentProps, canaryRouting, count(0, 3)), ([p, routing, canaryReplicas], ns) => {
    const stable = new AppDeployment(ns, 'Web', { ...p, selectorLabels: { 'release.k8s-iac.dev/track': 'stable' } });
    const svc = new AppService(ns, 'Svc', { name: 'web', selector: stable.podSelector, ports: [{ name: 'http', port: 8080 }] });
    const primary = new AppIngress(ns, 'Ing', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service: svc });
    const c = new AppDeployment(ns, 'Canary', { ...p, name: 'web-canary', appName: 'web', replicas: canaryReplicas, disruptionBudget: false, autoscaling: undefined, selectorLabels: { 'release.k8s-iac.dev/track': 'canary' } });
    const csvc = new AppService(ns, 'CanarySvc', { name: 'web-canary', selector: c.podSelector, ports: [{ name: 'http', port: 8080 }] });
    new CanaryIngress(ns, 'CanaryIng', { primary, service: csvc, ...routing });
  }),
  AppHttpRoute: scenario(fc.tuple(deploymentProps, host, mostly(fc.array(fc.record({ path }), { minLength: 1, maxLength: 3 }), fc.array(fc.record({ path }), { maxLength: 9 })), mostly(fc.constant(undefined), canaryRouting), headerPatternDialect), ([p, h, paths, routing, dialect], ns) => {
    const d = new AppDeployment(ns, 'Web', p);
    const svc = new AppService(ns, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
    const canary = routing && { service: svc, ...routing };
    new AppHttpRoute(ns, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'gateway-system', headerPatternDialect: dialect }, host: h, paths, service: svc, canary });
  }),
  AppGateway: scenario(
    fc.record({
      name,
      className: mostly(fc.constantFrom('platform', 'istio'), fc.constantFrom('', ' ')),
      hostname: host,
      routeNamespaces: mostly(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom<string[]>([], ['Shop'], ['a_b'])),
      tlsClusterIssuer: fc.option(mostly(fc.constant('platform-issuer'), fc.constant('')), { nil: undefined }),
    }),
    (p, ns) => void new AppGateway(ns, 'Gateway', p),
  ),
  NetworkPolicy: scenario(fc.tuple(deploymentProps, fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }), fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined })), ([p, ingress, egress], ns) => {
    const d = new AppDeployment(ns, 'Web', p);
    new NetworkPolicy(ns, 'Policy', { name: 'allow', podSelector: d.podSelector, ingress, egress });
  }),
  StatefulApp: scenario(fc
    .record({ name, version, replicas: count(0, 4), size: storage, partition: fc.option(count(0, 4), { nil: undefined }), accessModes, resources, image }), (p, ns) =>
      void new StatefulApp(ns, 'Db', {
        name: p.name,
        version: p.version,
        replicas: p.replicas,
        partition: p.partition,
        volumeClaims: [{ name: 'data', size: p.size, accessModes: p.accessModes }],
        disruptionBudget: { allowZeroDisruptions: true },
        container: { image: p.image, ports: [{ name: 'db', port: 5432 }], resources: p.resources, readinessProbe: { tcpSocket: { port: 'db' } }, mounts: [{ name: 'data', mountPath: '/data', claim: true }] },
      }),
    ),
  ScheduledJob: scenario(
    fc.record({
      name,
      version,
      schedule: mostly(
        fc.constantFrom('0 3 * * *', '*/15 * * * *', '@daily', '30 2 * * 1-5', '0 */6 * * *', '@hourly', '@every 90m', '0 0 1 jan *', '0 3 * * MON-FRI', '0 3 ? * *', '5,35 9-17 * * *', '0 0 29 2 *'),
        fc.constantFrom('0 3 * *', 'nightly', '', 'TZ=UTC 0 3 * * *', 'CRON_TZ=Europe/Berlin 0 3 * * *', '0 3 * * 7', '60 * * * *', '0 3 L * *', ' @daily', '@every 0s', '0 3 * * * *', '*/0 * * * *', '0 24 * * *'),
      ),
      timeZone: fc.option(
        mostly(
          fc.constantFrom('Europe/Berlin', 'America/New_York', 'Etc/UTC', 'UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'Etc/GMT+2', 'EST5EDT'),
          fc.constantFrom('europe/berlin', 'Mars/Olympus', 'Local', 'GMT+2', '', ' Europe/Berlin', 'CET ', 'Europe/Kyiv'),
        ),
        { nil: undefined },
      ),
      concurrencyPolicy: fc.option(mostly(fc.constantFrom<'Forbid' | 'Replace' | 'Allow'>('Forbid', 'Replace', 'Allow'), fc.constant('forbid' as 'Forbid')), { nil: undefined }),
      startingDeadlineSeconds: fc.option(count(10, 600), { nil: undefined }),
      successfulJobsHistoryLimit: fc.option(count(0, 10), { nil: undefined }),
      failedJobsHistoryLimit: fc.option(count(0, 10), { nil: undefined }),
      backoffLimit: fc.option(count(0, 6), { nil: undefined }),
      activeDeadlineSeconds: fc.option(count(60, 7200), { nil: undefined }),
      ttlSecondsAfterFinished: fc.option(count(0, 86400), { nil: undefined }),
      resources,
      image,
      env: fc.option(fc.dictionary(envName, envValue, { maxKeys: 3 }), { nil: undefined }),
      mounts: fc.option(mounts, { nil: undefined }),
      extras: podExtras,
      podLabels: fc.option(labels, { nil: undefined }),
    }),
    (p, ns) =>
      void new ScheduledJob(ns, 'Job', {
        ...p.extras,
        name: p.name,
        version: p.version,
        schedule: p.schedule,
        timeZone: p.timeZone,
        concurrencyPolicy: p.concurrencyPolicy,
        startingDeadlineSeconds: p.startingDeadlineSeconds,
        successfulJobsHistoryLimit: p.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: p.failedJobsHistoryLimit,
        backoffLimit: p.backoffLimit,
        activeDeadlineSeconds: p.activeDeadlineSeconds,
        ttlSecondsAfterFinished: p.ttlSecondsAfterFinished,
        podLabels: p.podLabels,
        container: { image: p.image, command: ['run'], resources: p.resources, env: p.env, mounts: p.mounts },
      }),
  ),
  NodeAgent: scenario(
    fc.record({ name, version, resources, image, hostPath: mostly(fc.constant(false), fc.constant(true)), maxUnavailable: fc.option(mostly(fc.constantFrom<number | string>(1, 2, '10%', '100%', '0%', 0), fc.constantFrom<number | string>(-1, 'x', '150%', 1.5)), { nil: undefined }) }),
    (p, ns) =>
      void new NodeAgent(ns, 'Agent', {
        name: p.name,
        version: p.version,
        maxUnavailable: p.maxUnavailable,
        container: { image: p.image, resources: p.resources, mounts: p.hostPath ? [{ name: 'varlog', mountPath: '/var/log', hostPath: '/var/log' }] : [] },
      }),
  ),
  DeveloperAccess: scenario(
    fc.record({
      name,
      preset: fc.constantFrom<AccessPreset>('view', 'edit'),
      includeSecrets: fc.option(fc.boolean(), { nil: undefined }),
      subject: fc.oneof(
        fc.record({ user: mostly(fc.constantFrom('jane@example.com', 'ci-bot'), fc.constantFrom('', ' ')) }),
        fc.record({ group: mostly(fc.constantFrom('shop-developers', 'system:authenticated'), fc.constantFrom('', ' ')) }),
        fc.record({ serviceAccount: name, namespace: name }),
      ),
    }),
    (p, ns) => void new DeveloperAccess(ns, 'Access', p),
  ),
  VersionedConfigMap: scenario(fc
    .record({ baseName: name, data: fc.dictionary(mostly(fc.constantFrom('config.yml', 'a.json'), fc.constantFrom('a/b', 'a b')), fc.string({ maxLength: 20 }), { maxKeys: 3 }) }), (p, ns) => void new VersionedConfigMap(ns, 'Cfg', p)),
  AppSecret: scenario(fc
    .record({ name, key: mostly(fc.constantFrom('password', 'db_pass'), fc.constantFrom('a b', 'a/b')), existing: fc.boolean(), value: fc.string({ maxLength: 10 }) }), (p, ns) =>
      void new AppSecret(ns, 'Secret', { name: p.name, key: p.key, source: p.existing ? { kind: 'existing', secretName: p.name } : { kind: 'placeholder', value: p.value } }),
    ),
  BlueGreen: scenario(fc.tuple(deploymentProps, fc.constantFrom<'blue' | 'green'>('blue', 'green'), fc.option(count(0, 3), { nil: undefined })), ([p, active, idleReplicas], ns) => {
    // the colours take the pod template; the Deployment's own fields are the pair's
    const { name, version: v, replicas, autoscaling, ...pod } = p;
    void name;
    new BlueGreen(ns, 'Pair', { name: 'api', active, idleReplicas, replicas, autoscaling, ports: [{ name: 'http', port: 8080 }], blue: { version: v, ...pod }, green: { version: 'v2', ...pod } });
  }),
  ReleasedService: scenario(
    fc
      .tuple(deploymentProps, fc.constantFrom<'rolling' | 'canary' | 'blue-green'>('rolling', 'canary', 'blue-green'), canaryRouting, host, fc.integer({ min: 0, max: 29 }))
      .map(([p, strategy, routing, h, mismatch]) => ({ p, strategy, routing, h, canary: strategy === 'canary' || mismatch === 0, blueGreen: strategy === 'blue-green' ? mismatch !== 1 : mismatch === 2 })),
    ({ p, strategy, routing, h, canary, blueGreen }, ns) => {
      const stable = { version: p.version, image: p.container.image };
      new ReleasedService(ns, 'Release', {
        name: 'web',
        strategy,
        release: { stable, canary: canary ? { ...stable, ...routing } : undefined, blueGreen: blueGreen ? { active: 'blue', blue: stable, green: stable } : undefined },
        ports: [{ name: 'http', port: 8080 }],
        replicas: p.replicas,
        autoscaling: p.autoscaling,
        pod: (v) => ({ ...p, container: { ...p.container, image: v.image } }),
        routing: { traffic: { kind: 'ingress-nginx', className: 'nginx' }, host: h, paths: [{ path: '/' }] },
      });
    },
  ),
};

/** Release files: well-formed ones, ones with wrong types and unknown keys, and values that are no release at all. */
export const releaseFile: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    apps: fc.dictionary(
      fc.constantFrom('web', 'db', '__proto__', '../..', 'Web'),
      fc.record(
        {
          stable: fc.oneof(fc.record({ version: version, image }), fc.constant({ version: 1 }), fc.constant(null)),
          canary: fc.record({ version, image, weight: fc.oneof(fc.integer({ min: -10, max: 200 }), fc.constant('ten' as unknown as number)) }, { requiredKeys: ['version', 'image'] }),
          blueGreen: fc.record({ active: fc.constantFrom('blue', 'green', 'red'), blue: fc.record({ version, image }), green: fc.record({ version, image }) }, { requiredKeys: ['active'] }),
          colour: fc.constant('blue'),
        },
        { requiredKeys: [] },
      ),
      { maxKeys: 3 },
    ),
  }),
  fc.jsonValue(),
);
