/**
 * The catalogue of bad inputs: every construct prop, check and quota a user can get wrong.
 * Each case is synthesized by the runner (`k8s-iac synth`) into a folder that already holds
 * a good synth; the run must exit 1, report a problem that names the construct path and the
 * fix (`[env] path: what is wrong: what to do`), and leave the folder byte for byte as it was.
 */
import * as fs from 'node:fs';
import {
  AppDeployment,
  AppDeploymentProps,
  AppGateway,
  AppHttpRoute,
  AppIngress,
  AppSecret,
  AppService,
  AppVolumeClaim,
  BlueGreen,
  CanaryIngress,
  CanaryIngressProps,
  defineEnvironments,
  defineProject,
  DeveloperAccess,
  LABELS,
  LimitRangeConfig,
  main,
  NamespacedApp,
  NamespacedAppProps,
  NetworkPolicy,
  NetworkPolicyRule,
  NodeAgent,
  PlatformSettingsInput,
  PodSecurityOptOut,
  QuotaConfig,
  RegexDialect,
  ScheduledJob,
  ScheduledJobProps,
  SecurityOptOut,
  StatefulApp,
  StatefulAppProps,
  VersionedConfigMap,
} from 'k8s-iac';
import { IMAGE, LIMITS, QUOTA, readTree, tmpdir, WEB_POD } from '../helpers';

/** One bad input: what to build into the namespace, and the problem it must give. */
interface Case {
  readonly name: string;
  readonly build: (ns: NamespacedApp) => void;
  readonly expected: RegExp;
  readonly settings?: Partial<PlatformSettingsInput>;
  readonly namespace?: Partial<NamespacedAppProps>;
}

const OWNER = { team: 'shop', email: 'shop@example.com' };

/** The setting of a dev or test environment, where a Secret may be made from a value in the project. */
const PLACEHOLDERS_TAKEN: Partial<PlatformSettingsInput> = { placeholderSecrets: true };

function project(c: Pick<Case, 'build' | 'settings' | 'namespace'>) {
  const environments = defineEnvironments<Record<string, never>>()({
    test: { settings: { owner: OWNER, requireImageDigest: false, ...c.settings }, values: {} },
  });
  return defineProject({
    environments,
    build(scope, env) {
      const ns = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, quota: QUOTA, limits: LIMITS, ...c.namespace });
      c.build(ns);
    },
  });
}


// ---------------------------------------------------------------- builders

const web = (props: Partial<AppDeploymentProps> = {}) => (ns: NamespacedApp) =>
  new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', replicas: 2, ...WEB_POD, ...props, container: { ...WEB_POD.container, ...props.container } });
const container = (c: Partial<AppDeploymentProps['container']>) => web({ container: { ...WEB_POD.container, ...c } });
const resources = (requests: Partial<{ cpu: string; memory: string }>, limits: Partial<{ cpu: string; memory: string }> = {}) =>
  container({ resources: { requests: { ...WEB_POD.container.resources.requests, ...requests }, limits: { ...WEB_POD.container.resources.limits, ...limits } } });
const probe = (readinessProbe: NonNullable<AppDeploymentProps['container']['readinessProbe']>) => container({ readinessProbe });

const withService = (build: (ns: NamespacedApp) => AppDeployment, service: Partial<ConstructorParameters<typeof AppService>[2]> = {}) => (ns: NamespacedApp) => {
  const d = build(ns);
  return new AppService(ns, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }], ...service });
};
const ingress = (props: Partial<ConstructorParameters<typeof AppIngress>[2]> = {}) => (ns: NamespacedApp) => {
  const svc = withService(web())(ns);
  return new AppIngress(ns, 'Ing', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service: svc, ...props });
};
const canary = (props: Partial<CanaryIngressProps> = {}, canaryReplicas = 2) => (ns: NamespacedApp) => {
  const stable = web({ selectorLabels: { 'release.k8s-iac.dev/track': 'stable' } })(ns);
  const svc = new AppService(ns, 'Svc', { name: 'web', selector: stable.podSelector, ports: [{ name: 'http', port: 8080 }] });
  const primary = new AppIngress(ns, 'Ing', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service: svc });
  const c = new AppDeployment(ns, 'Canary', { name: 'web-canary', appName: 'web', version: 'v2', replicas: canaryReplicas, disruptionBudget: canaryReplicas < 2 ? false : undefined, selectorLabels: { 'release.k8s-iac.dev/track': 'canary' }, ...WEB_POD });
  const csvc = new AppService(ns, 'CanarySvc', { name: 'web-canary', selector: c.podSelector, ports: [{ name: 'http', port: 8080 }] });
  new CanaryIngress(ns, 'CanaryIng', { primary, service: csvc, weight: 10, ...props });
};
const route = (props: Partial<ConstructorParameters<typeof AppHttpRoute>[2]> = {}) => (ns: NamespacedApp) => {
  const svc = withService(web())(ns);
  new AppHttpRoute(ns, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'gateway-system' }, host: 'shop.example.com', paths: [{ path: '/' }], service: svc, ...props });
};
const gateway = (props: Partial<ConstructorParameters<typeof AppGateway>[2]> = {}) => (ns: NamespacedApp) =>
  void new AppGateway(ns, 'Gateway', { name: 'public', className: 'envoy', hostname: 'shop.example.com', routeNamespaces: ['shop'], ...props });
const policy = (props: { ingress?: NetworkPolicyRule[]; egress?: NetworkPolicyRule[]; podSelector?: Record<string, string>; name?: string }) => (ns: NamespacedApp) => {
  web()(ns);
  new NetworkPolicy(ns, 'Policy', { name: props.name ?? 'allow', podSelector: props.podSelector ?? { 'app.kubernetes.io/name': 'web' }, ingress: props.ingress, egress: props.egress });
};
const peer = (p: NetworkPolicyRule['peers'][number]) => policy({ ingress: [{ peers: [p] }] });
const port = (p: NonNullable<NetworkPolicyRule['ports']>[number]) => policy({ ingress: [{ peers: [{ pods: { app: 'client' } }], ports: [p] }] });
const DB: StatefulAppProps = {
  name: 'db',
  version: '8.0',
  replicas: 3,
  volumeClaims: [{ name: 'data', size: '5Gi' }],
  container: {
    image: IMAGE,
    ports: [{ name: 'mysql', port: 3306 }],
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    readinessProbe: { tcpSocket: { port: 'mysql' } },
    mounts: [{ name: 'data', mountPath: '/var/lib/data', claim: true }],
  },
};
const db = (props: Partial<StatefulAppProps> = {}) => (ns: NamespacedApp) => new StatefulApp(ns, 'Db', { ...DB, ...props, container: { ...DB.container, ...props.container } });
const quota = (q: Partial<QuotaConfig>): Partial<NamespacedAppProps> => ({ quota: { ...QUOTA, ...q } });
const limits = (container: Partial<LimitRangeConfig['container']>, rest: Partial<LimitRangeConfig> = {}): Partial<NamespacedAppProps> => ({ limits: { ...LIMITS, ...rest, container: { ...LIMITS.container, ...container } } });
const blueGreen = (props: Partial<ConstructorParameters<typeof BlueGreen>[2]> = {}) => (ns: NamespacedApp) =>
  new BlueGreen(ns, 'Pair', { name: 'api', active: 'blue', ports: [{ name: 'http', port: 8080 }], blue: { version: 'v1', ...WEB_POD }, green: { version: 'v2', ...WEB_POD }, ...props });
const JOB: ScheduledJobProps = { name: 'report', version: 'v1', schedule: '30 2 * * *', container: { image: IMAGE, command: ['report'], resources: WEB_POD.container.resources } };
const job = (props: Partial<ScheduledJobProps> = {}) => (ns: NamespacedApp) => new ScheduledJob(ns, 'Job', { ...JOB, ...props, container: { ...JOB.container, ...props.container } });
const MIB = 1024 * 1024;

// ---------------------------------------------------------------- the cases

const cases: Case[] = [
  // names and labels of a Deployment
  { name: 'Deployment name with capitals', build: web({ name: 'Web' }), expected: /shop\/Web: Deployment name "Web" is not a valid DNS-1123 subdomain: use at most 253 lower-case/ },
  { name: 'Deployment name with an underscore', build: web({ name: 'my_web' }), expected: /Deployment name "my_web" is not a valid DNS-1123 subdomain/ },
  { name: 'Deployment name over 253 characters', build: web({ name: 'a'.repeat(254) }), expected: /Deployment name "a{254}" is not a valid DNS-1123 subdomain/ },
  { name: 'Deployment name starting with a dash', build: web({ name: '-web' }), expected: /Deployment name "-web" is not a valid DNS-1123 subdomain/ },
  { name: 'app name (the container name) with a dot', build: web({ appName: 'web.v1' }), expected: /shop\/Web: container name \(appName\) "web.v1" is not a valid DNS-1123 label/ },
  { name: 'version with a space', build: web({ version: 'v 1' }), expected: /shop\/Web: version "v 1" is not a valid label value: use at most 63/ },
  { name: 'version over 63 characters', build: web({ version: 'v'.repeat(64) }), expected: /version "v{64}" is not a valid label value/ },
  { name: 'version ending in a dot', build: web({ version: 'v1.' }), expected: /version "v1." is not a valid label value/ },
  { name: 'pod label key with two slashes', build: web({ podLabels: { 'a/b/c': 'x' } }), expected: /shop\/Web: podLabels key "a\/b\/c" is not a valid key: use an optional DNS prefix/ },
  { name: 'pod label key starting with a dash', build: web({ podLabels: { '-team': 'x' } }), expected: /podLabels key "-team" is not a valid key/ },
  { name: 'pod label key with an upper-case prefix', build: web({ podLabels: { 'Example.com/team': 'x' } }), expected: /podLabels key "Example.com\/team" is not a valid key/ },
  { name: 'pod label value over 63 characters', build: web({ podLabels: { team: 'x'.repeat(64) } }), expected: /podLabels team "x{64}" is not a valid label value/ },
  { name: 'pod label value with a slash', build: web({ podLabels: { team: 'a/b' } }), expected: /podLabels team "a\/b" is not a valid label value/ },
  // replicas
  { name: 'negative replicas', build: web({ replicas: -1 }), expected: /shop\/Web: replicas is -1: use a whole number of 0 or more/ },
  { name: 'fractional replicas', build: web({ replicas: 1.5 }), expected: /replicas is 1.5: use a whole number of 0 or more/ },
  { name: 'NaN replicas', build: web({ replicas: NaN }), expected: /replicas is NaN: use a whole number of 0 or more/ },
  { name: 'infinite replicas', build: web({ replicas: Infinity }), expected: /replicas is Infinity: use a whole number/ },
  // images
  { name: 'image without a tag', build: container({ image: 'registry.example.com/web' }), expected: /shop\/Web: container web: image "registry.example.com\/web" has no tag: pin a versioned tag/ },
  { name: 'image tagged latest', build: container({ image: 'nginx:latest' }), expected: /container web: image "nginx:latest" uses the tag "latest", which moves under you: pin a versioned tag/ },
  { name: 'image with capitals', build: container({ image: 'Registry/Web:1' }), expected: /container web: image "Registry\/Web:1" is not an image reference: use registry\/repository:tag/ },
  { name: 'image with a short digest', build: container({ image: 'nginx:1.25@sha256:abc' }), expected: /is not an image reference/ },
  { name: 'empty image', build: container({ image: '' }), expected: /container web: image "" is not an image reference/ },
  { name: 'image without a digest where digests are required', build: web(), settings: { requireImageDigest: true }, expected: /container web: image ".*" has no digest, and this environment requires one: append @sha256/ },
  { name: 'digest only, no tag', build: container({ image: `nginx@sha256:${'a'.repeat(64)}` }), expected: /has no tag: pin a versioned tag/ },
  // container ports
  { name: 'port 0', build: container({ ports: [{ name: 'http', port: 0 }] }), expected: /shop\/Web: container port http 0 is outside 1-65535: use a TCP\/UDP port number/ },
  { name: 'port 70000', build: container({ ports: [{ name: 'http', port: 70000 }] }), expected: /container port http 70000 is outside 1-65535/ },
  { name: 'NaN port', build: container({ ports: [{ name: 'http', port: NaN }] }), expected: /container port http NaN is outside 1-65535/ },
  { name: 'fractional port', build: container({ ports: [{ name: 'http', port: 80.5 }] }), expected: /container port http 80.5 is outside 1-65535/ },
  { name: 'port name in capitals', build: container({ ports: [{ name: 'HTTP', port: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'HTTP' } } }), expected: /container port name "HTTP" is not a valid port name: use at most 15 lower-case/ },
  { name: 'port name over 15 characters', build: container({ ports: [{ name: 'a'.repeat(16), port: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }), expected: /container port name "a{16}" is not a valid port name/ },
  { name: 'port name with two dashes', build: container({ ports: [{ name: 'web--http', port: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }), expected: /container port name "web--http" is not a valid port name/ },
  { name: 'port name of digits only', build: container({ ports: [{ name: '8080', port: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }), expected: /container port name "8080" is not a valid port name/ },
  { name: 'port name ending with a dash', build: container({ ports: [{ name: 'http-', port: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } } }), expected: /container port name "http-" is not a valid port name/ },
  { name: 'two ports of one name', build: container({ ports: [{ name: 'http', port: 8080 }, { name: 'http', port: 9090 }] }), expected: /container port name "http" is used more than once: give each a name of its own/ },
  { name: 'one port number twice', build: container({ ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 8080 }] }), expected: /container port "8080\/TCP" is used more than once/ },
  // resources
  { name: 'cpu request with a double suffix', build: resources({ cpu: '10Mii' }), expected: /shop\/Web: container web: cpu request "10Mii" is not a Kubernetes quantity: use forms like 100m/ },
  { name: 'cpu request with a leading space', build: resources({ cpu: ' 100m' }), expected: /cpu request " 100m" is not a Kubernetes quantity: use forms like 100m, 0.5, 64Mi, 1Gi \(no spaces/ },
  { name: 'cpu request with a trailing space', build: resources({ cpu: '100m ' }), expected: /cpu request "100m " is not a Kubernetes quantity/ },
  { name: 'negative cpu request', build: resources({ cpu: '-100m' }), expected: /cpu request "-100m" is negative: use 0 or more/ },
  { name: 'cpu request in words', build: resources({ cpu: 'one' }), expected: /cpu request "one" is not a Kubernetes quantity/ },
  { name: 'empty cpu request', build: resources({ cpu: '' }), expected: /cpu request "" is not a Kubernetes quantity/ },
  { name: 'memory request with an unknown suffix', build: resources({ memory: '64MB' }), expected: /memory request "64MB" is not a Kubernetes quantity/ },
  { name: 'memory request with a lower-case suffix', build: resources({ memory: '64mi' }), expected: /memory request "64mi" is not a Kubernetes quantity/ },
  { name: 'negative memory request', build: resources({ memory: '-1Mi' }), expected: /memory request "-1Mi" is negative/ },
  { name: 'cpu limit malformed', build: resources({}, { cpu: '2 cores' }), expected: /cpu limit "2 cores" is not a Kubernetes quantity/ },
  { name: 'memory limit malformed', build: resources({}, { memory: '1 GB' }), expected: /memory limit "1 GB" is not a Kubernetes quantity/ },
  { name: 'negative memory limit', build: resources({}, { memory: '-128Mi' }), expected: /memory limit "-128Mi" is negative/ },
  { name: 'a quantity too large to be finite', build: resources({ cpu: '1e400' }), expected: /cpu request "1e400" is not a Kubernetes quantity/ },
  { name: 'cpu request above its limit', build: resources({ cpu: '300m' }, { cpu: '200m' }), expected: /shop\/Web: container web: cpu request 300m is above its limit 200m: a request cannot exceed the limit/ },
  { name: 'memory request above its limit', build: resources({ memory: '256Mi' }, { memory: '128Mi' }), expected: /memory request 256Mi is above its limit 128Mi/ },
  { name: 'cpu limit/request ratio above the LimitRange', build: resources({ cpu: '10m' }, { cpu: '200m' }), expected: /cpu limit\/request ratio 20.00 is above the LimitRange maxLimitRequestRatio 4: raise the request to at least 50m/ },
  { name: 'cpu request below the LimitRange minimum', build: resources({ cpu: '5m' }, { cpu: '10m' }), expected: /cpu request 5m is below the LimitRange minimum 10m: raise the request or lower limits.container.min.cpu/ },
  { name: 'memory limit above the LimitRange maximum', build: resources({ memory: '2Gi' }, { memory: '3Gi' }), expected: /memory limit 3Gi is above the LimitRange maximum 2Gi: lower the limit or raise limits.container.max.memory/ },
  { name: 'guaranteed QoS with unequal requests and limits', build: web({ qos: 'guaranteed' }), expected: /qos 'guaranteed' needs requests equal to limits .*: set them equal, or use qos 'burstable'/ },
  { name: 'ephemeral storage request above its limit', build: web({ ephemeralStorage: { request: '2Gi', limit: '1Gi' } }), expected: /ephemeralStorage.request 2Gi is above its limit 1Gi: a request cannot exceed the limit/ },
  { name: 'ephemeral storage malformed', build: web({ ephemeralStorage: { request: 'lots', limit: '1Gi' } }), expected: /ephemeralStorage.request "lots" is not a Kubernetes quantity/ },
  { name: '/tmp larger than the ephemeral storage limit', build: web({ tmpSizeLimit: '2Gi', ephemeralStorage: { request: '64Mi', limit: '1Gi' } }), expected: /the emptyDir volumes may hold 2Gi, more than ephemeralStorage.limit 1Gi.*: raise the limit or lower the size limits/ },
  // probes
  { name: 'readiness probe without a handler', build: probe({}), expected: /readinessProbe needs exactly one of httpGet, tcpSocket or exec \(has 0\)/ },
  { name: 'readiness probe with two handlers', build: probe({ httpGet: { path: '/', port: 'http' }, tcpSocket: { port: 'http' } }), expected: /readinessProbe needs exactly one of httpGet, tcpSocket or exec \(has 2\)/ },
  { name: 'probe on an undeclared port name', build: probe({ httpGet: { path: '/', port: 'admin' } }), expected: /readinessProbe uses port "admin", which the container does not declare: use one of http/ },
  { name: 'probe on port 0', build: probe({ tcpSocket: { port: 0 } }), expected: /readinessProbe port 0 is outside 1-65535/ },
  { name: 'probe period 0', build: probe({ httpGet: { path: '/', port: 'http' }, periodSeconds: 0 }), expected: /readinessProbe.periodSeconds is 0: use a whole number from 1 to 2147483647/ },
  { name: 'probe period NaN', build: probe({ httpGet: { path: '/', port: 'http' }, periodSeconds: NaN }), expected: /readinessProbe.periodSeconds is NaN: use a whole number from 1 to 2147483647/ },
  { name: 'probe timeout negative', build: probe({ httpGet: { path: '/', port: 'http' }, timeoutSeconds: -1 }), expected: /readinessProbe.timeoutSeconds is -1/ },
  { name: 'probe failure threshold fractional', build: probe({ httpGet: { path: '/', port: 'http' }, failureThreshold: 1.5 }), expected: /readinessProbe.failureThreshold is 1.5/ },
  { name: 'probe initial delay negative', build: probe({ httpGet: { path: '/', port: 'http' }, initialDelaySeconds: -5 }), expected: /readinessProbe.initialDelaySeconds is -5: use a whole number of 0 or more/ },
  { name: 'liveness probe without a handler', build: container({ livenessProbe: {} }), expected: /livenessProbe needs exactly one of httpGet, tcpSocket or exec/ },
  { name: 'startup probe on an undeclared port', build: container({ startupProbe: { tcpSocket: { port: 'db' } } }), expected: /startupProbe uses port "db", which the container does not declare/ },
  { name: 'no readiness probe behind a Service', build: withService(container({ readinessProbe: undefined })), expected: /shop\/Web: Service "web" routes to the pods of Deployment web, which have no readiness probe: add container.readinessProbe/ },
  // graceful stop and security
  { name: 'negative grace period', build: web({ terminationGracePeriodSeconds: -1 }), expected: /terminationGracePeriodSeconds is -1: use a whole number of 0 or more/ },
  { name: 'NaN grace period', build: web({ terminationGracePeriodSeconds: NaN }), expected: /terminationGracePeriodSeconds is NaN/ },
  { name: 'preStop pause as long as the grace period', build: web({ preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 }), expected: /preStopSleepSeconds 30 leaves no time to shut down within terminationGracePeriodSeconds 30: make the grace period longer/ },
  { name: 'negative preStop pause', build: web({ preStopSleepSeconds: -1 }), expected: /preStopSleepSeconds is -1: use a whole number of 0 or more/ },
  { name: 'root user', build: web({ runAsUser: 0 }), expected: /runAsUser 0 is root: Pod Security restricted needs a non-zero user id/ },
  { name: 'root opt-out in a restricted namespace', build: web({ securityOptOut: { runAsRoot: true, reason: 'legacy image' } }), expected: /shop\/Web: securityOptOut.runAsRoot runs the container as root, which Pod Security restricted forbids \(Running as Non-root\): give the namespace a podSecurityOptOut \{ level: 'baseline', reason \}/ },
  { name: 'negative user', build: web({ runAsUser: -7 }), expected: /runAsUser -7 is not a whole number above 0: Pod Security restricted needs a non-zero user id/ },
  { name: 'security opt-out without a reason', build: web({ securityOptOut: { reason: ' ', writableRootFilesystem: true } }), expected: /securityOptOut has no reason: say why the restricted security context does not fit this app/ },
  // env and mounts
  { name: 'env var name starting with a digit', build: container({ env: { '1PASS': 'x' } }), expected: /environment variable name "1PASS" is invalid: use letters, digits/ },
  { name: 'env var name with a space', build: container({ env: { 'DB PASS': 'x' } }), expected: /environment variable name "DB PASS" is invalid/ },
  { name: 'env var of NaN', build: container({ env: { RATIO: NaN as unknown as string } }), expected: /shop\/Web: environment variable RATIO is NaN, not text: give its value as a string/ },
  { name: 'two mounts at one path', build: container({ mounts: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] }), expected: /mount path "\/data" is used more than once: give each a name of its own/ },
  { name: 'a mount over /tmp, which the scratch volume takes', build: container({ mounts: [{ name: 'scratch', mountPath: '/tmp' }] }), expected: /mount path "\/tmp" is used more than once/ },
  { name: 'a mount path equal but for a trailing slash', build: container({ mounts: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data/' }] }), expected: /mount path "\/data" is used more than once/ },
  { name: 'two volumes of one name', build: container({ mounts: [{ name: 'data', mountPath: '/a' }, { name: 'data', mountPath: '/b' }] }), expected: /volume name "data" is used more than once/ },
  { name: 'volume name in capitals', build: container({ mounts: [{ name: 'Data', mountPath: '/data' }] }), expected: /volume name "Data" is not a valid DNS-1123 label/ },
  { name: 'volume named tmp, which the scratch volume takes', build: container({ mounts: [{ name: 'tmp', mountPath: '/scratch' }] }), expected: /volume name "tmp" is used more than once/ },
  { name: 'emptyDir size malformed', build: container({ mounts: [{ name: 'cache', mountPath: '/cache', emptyDirSizeLimit: '1 GB' }] }), expected: /volume cache emptyDirSizeLimit "1 GB" is not a Kubernetes quantity/ },
  { name: '/tmp size malformed', build: web({ tmpSizeLimit: 'big' }), expected: /volume tmp emptyDirSizeLimit "big" is not a Kubernetes quantity/ },
  // autoscaling and budgets
  { name: 'autoscaling minimum 0', build: web({ replicas: undefined, autoscaling: { minReplicas: 0, maxReplicas: 3, cpuUtilization: 70 } }), expected: /autoscaling.minReplicas is 0: use a whole number of 1 or more/ },
  { name: 'autoscaling maximum below the minimum', build: web({ replicas: undefined, autoscaling: { minReplicas: 3, maxReplicas: 2, cpuUtilization: 70 } }), expected: /autoscaling.maxReplicas 2 is below minReplicas 3: raise it/ },
  { name: 'autoscaling maximum not a number (types not checked)', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 'x' as unknown as number, cpuUtilization: 70 } }), expected: /shop\/Web: autoscaling.maxReplicas is "x": use a whole number, at least minReplicas/ },
  { name: 'autoscaling maximum infinite', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: Infinity, cpuUtilization: 70 } }), expected: /shop\/Web: autoscaling.maxReplicas is Infinity, not a finite number: use a whole number, at least minReplicas/ },
  { name: 'autoscaling without a target', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3 } }), expected: /autoscaling has no target: set cpuUtilization and\/or memoryUtilization/ },
  { name: 'autoscaling target of 0', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 0 } }), expected: /autoscaling.cpuUtilization is 0: use a whole percentage of the request, 1 or more/ },
  { name: 'autoscaling target NaN', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3, memoryUtilization: NaN } }), expected: /autoscaling.memoryUtilization is NaN/ },
  { name: 'autoscaling target over an int32', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 2 ** 31 } }), expected: /shop\/Web: autoscaling.cpuUtilization is 2147483648, over the 2147483647 the field holds: use a percentage of the request such as 70/ },
  { name: 'autoscaling maximum over an int32, said once (not also as pods over the quota)', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 2 ** 31, cpuUtilization: 70 } }), expected: /^error: synth failed with 1 error; nothing was written:\n {2}\[test\] shop\/Web: autoscaling.maxReplicas is 2147483648, over the 2147483647 the field holds: use a smaller number$/ },
  { name: 'selector label key with a space', build: web({ selectorLabels: { 'bad key': 'x' } }), expected: /shop\/Web: selectorLabels key "bad key" is not a valid key/ },
  { name: 'selector label value with a space', build: web({ selectorLabels: { track: 'a b' } }), expected: /shop\/Web: selectorLabels track "a b" is not a valid label value/ },
  { name: 'replicas and autoscaling both set', build: web({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 70 } }), expected: /replicas 2 and autoscaling are both set: the HPA owns the replica count, so drop replicas/ },
  { name: 'no budget at 3 replicas', build: web({ replicas: 3, disruptionBudget: false }), expected: /disruptionBudget is false but the Deployment runs up to 3 replicas: keep a budget/ },
  { name: 'a budget that blocks every drain', build: web({ replicas: 2, disruptionBudget: { minAvailable: '100%' } }), expected: /allows no voluntary disruption at 2 replicas, which blocks node drains: loosen it, add replicas, or set disruptionBudget.allowZeroDisruptions/ },
  { name: 'maxUnavailable 0 budget', build: web({ replicas: 3, disruptionBudget: { maxUnavailable: 0 } }), expected: /allows no voluntary disruption at 3 replicas/ },
  // vertical autoscaling
  { name: 'VPA minimum above maximum', build: web({ verticalAutoscaling: { mode: 'Off', minAllowed: { cpu: '2' }, maxAllowed: { cpu: '1' } } }), expected: /verticalAutoscaling.minAllowed.cpu 2 is above maxAllowed.cpu 1: lower the minimum or raise the maximum/ },
  { name: 'VPA bound malformed', build: web({ verticalAutoscaling: { mode: 'Off', maxAllowed: { memory: '1 GB' } } }), expected: /verticalAutoscaling.maxAllowed.memory "1 GB" is not a Kubernetes quantity/ },
  { name: 'VPA without resources', build: web({ verticalAutoscaling: { mode: 'Off', controlledResources: [] } }), expected: /verticalAutoscaling.controlledResources is empty: list cpu and\/or memory/ },
  { name: 'VPA listing a resource twice', build: web({ verticalAutoscaling: { mode: 'Off', controlledResources: ['cpu', 'cpu'] } }), expected: /lists a resource twice: list each once/ },
  { name: 'VPA resizing without a ceiling', build: web({ verticalAutoscaling: { mode: 'Auto' } }), expected: /verticalAutoscaling mode 'Auto' controls cpu without maxAllowed.cpu: .*set maxAllowed.cpu/ },
  {
    name: 'VPA and HPA on one resource',
    build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 70 }, verticalAutoscaling: { mode: 'Auto', maxAllowed: { cpu: '400m', memory: '256Mi' } } }),
    expected: /both act on the cpu of Deployment web: .*drop cpu from one of them/,
  },
  // NamespacedApp
  { name: 'namespace default', build: () => undefined, namespace: { namespace: 'default' }, expected: /\[test\] shop: namespace "default" mixes unrelated apps and cannot be isolated: give the app a namespace of its own/ },
  { name: 'namespace in capitals', build: () => undefined, namespace: { namespace: 'Shop' }, expected: /shop: namespace "Shop" is not a valid DNS-1123 label/ },
  { name: 'namespace over 63 characters', build: () => undefined, namespace: { namespace: 'n'.repeat(64) }, expected: /namespace "n{64}" is not a valid DNS-1123 label/ },
  { name: 'empty namespace', build: () => undefined, namespace: { namespace: '' }, expected: /namespace "" is not a valid DNS-1123 label/ },
  { name: 'namespace kube-system', build: () => undefined, namespace: { namespace: 'kube-system' }, expected: /^error: synth failed with 1 error; nothing was written:\n {2}\[test\] shop: namespace "kube-system" has the kube- prefix, which Kubernetes keeps for its own namespaces .*: give the app a namespace of its own$/ },
  { name: 'Pod Security opt-out to a level that is none (types not checked)', build: () => undefined, namespace: { podSecurityOptOut: { level: 'Baseline' as 'baseline', reason: 'legacy' } }, expected: /\[test\] shop: podSecurityOptOut.level "Baseline" is not one of the values it takes: use 'baseline', 'privileged'/ },
  { name: 'Pod Security opt-out with no reason at all (types not checked)', build: () => undefined, namespace: { podSecurityOptOut: { level: 'baseline' } as PodSecurityOptOut }, expected: /\[test\] shop: podSecurityOptOut has no reason/ },
  { name: 'security opt-out with no reason at all (types not checked)', build: web({ securityOptOut: { writableRootFilesystem: true } as SecurityOptOut }), expected: /shop\/Web: securityOptOut has no reason: say why/ },
  { name: 'Pod Security opt-out without a reason', build: () => undefined, namespace: { podSecurityOptOut: { level: 'baseline', reason: '' } }, expected: /podSecurityOptOut has no reason: say why this namespace cannot run Pod Security restricted/ },
  { name: 'quota cpu with a space', build: () => undefined, namespace: quota({ requests: { cpu: '4 ', memory: '4Gi' } }), expected: /shop: quota.requests.cpu "4 " is not a Kubernetes quantity/ },
  { name: 'quota memory negative', build: () => undefined, namespace: quota({ limits: { cpu: '8', memory: '-8Gi' } }), expected: /quota.limits.memory "-8Gi" is negative/ },
  { name: 'quota storage malformed', build: () => undefined, namespace: quota({ storage: '50 Gi' }), expected: /quota.storage "50 Gi" is not a Kubernetes quantity/ },
  { name: 'quota pods negative', build: () => undefined, namespace: quota({ pods: -1 }), expected: /quota.pods is -1: use a whole number of 0 or more/ },
  { name: 'quota services fractional', build: () => undefined, namespace: quota({ services: 2.5 }), expected: /quota.services is 2.5/ },
  { name: 'quota secrets NaN', build: () => undefined, namespace: quota({ secrets: NaN }), expected: /quota.secrets is NaN/ },
  { name: 'quota claims infinite', build: () => undefined, namespace: quota({ persistentVolumeClaims: Infinity }), expected: /quota.persistentVolumeClaims is Infinity/ },
  { name: 'LimitRange default malformed', build: () => undefined, namespace: limits({ default: { cpu: '200mm', memory: '100Mi' } }), expected: /limits.container.default.cpu "200mm" is not a Kubernetes quantity/ },
  { name: 'LimitRange ratio malformed', build: () => undefined, namespace: limits({ maxLimitRequestRatio: { cpu: 'four', memory: '10' } }), expected: /limits.container.maxLimitRequestRatio.cpu "four"/ },
  { name: 'LimitRange ratio below 1', build: () => undefined, namespace: limits({ maxLimitRequestRatio: { cpu: '4', memory: '0.5' } }), expected: /shop: limits.container.maxLimitRequestRatio.memory 0.5 is below 1, which the API server refuses/ },
  { name: 'LimitRange ratio above max/min', build: () => undefined, namespace: limits({ min: { cpu: '10m', memory: '1Gi' }, defaultRequest: { cpu: '100m', memory: '1Gi' }, default: { cpu: '200m', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '4', memory: '10' } }), expected: /shop: limits.container.maxLimitRequestRatio.memory 10 is above limits.container.max.memory 2Gi \/ limits.container.min.memory 1Gi = 2, which the API server refuses/ },
  { name: 'LimitRange PVC bound malformed', build: () => undefined, namespace: limits({}, { persistentVolumeClaim: { min: '1Gi', max: 'ten' } }), expected: /limits.persistentVolumeClaim.max "ten"/ },
  { name: 'quota too small for the pods', build: web({ replicas: 10 }), namespace: quota({ pods: 5 }), expected: /shop: ResourceQuota pods is 5 but the workloads need 13 at their largest \[Deployment web: 13 pods \(10 replicas \+ surge 3\)\]: raise quota.pods to at least 13/ },
  { name: 'quota too small for the cpu requests', build: web({ replicas: 10 }), namespace: quota({ requests: { cpu: '1', memory: '4Gi' } }), expected: /ResourceQuota requests.cpu is 1 but the workloads need 1300m at their largest.*raise quota.requests.cpu to at least 1300m/ },
  { name: 'quota too small for the memory limits', build: web({ replicas: 10 }), namespace: quota({ limits: { cpu: '8', memory: '1Gi' } }), expected: /ResourceQuota limits.memory is 1Gi but the workloads need 1664Mi/ },
  { name: 'quota too small for a surge at the HPA maximum', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 40, cpuUtilization: 70 } }), expected: /ResourceQuota pods is 40 but the workloads need 50 at their largest \[Deployment web: 50 pods \(HPA max 40 \+ surge 10\)\]/ },
  { name: 'quota too small for Services', build: (ns) => {
      const d = web()(ns);
      [1, 2, 3].forEach((i) => new AppService(ns, `Svc${i}`, { name: `web${i}`, selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] }));
    }, namespace: quota({ services: 2 }), expected: /ResourceQuota services is 2 but the namespace holds 3: raise quota.services to at least 3/ },
  { name: 'quota too small for ConfigMaps (the cluster adds kube-root-ca.crt)', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { a: 'b' } }), namespace: quota({ configMaps: 1 }), expected: /ResourceQuota configmaps is 1 but the namespace holds 2, the kube-root-ca.crt every namespace gets included/ },
  { name: 'quota too small for Secrets', build: (ns) => new AppSecret(ns, 'S', { name: 's', key: 'k', source: { kind: 'placeholder', value: 'v' } }), settings: PLACEHOLDERS_TAKEN, namespace: quota({ secrets: 0 }), expected: /ResourceQuota secrets is 0 but the namespace holds 1: raise quota.secrets to at least 1/ },
  { name: 'quota too small for claims', build: db(), namespace: quota({ persistentVolumeClaims: 2 }), expected: /ResourceQuota persistentvolumeclaims is 2 but the workloads need 3/ },
  { name: 'quota too small for storage', build: db({ volumeClaims: [{ name: 'data', size: '10Gi' }] }), namespace: quota({ storage: '20Gi' }), expected: /ResourceQuota requests.storage is 20Gi but the workloads need 30Gi/ },
  { name: 'pod limits above the LimitRange pod maximum', build: resources({ cpu: '1' }, { cpu: '2' }), namespace: limits({}, { pod: { max: { cpu: '1', memory: '2Gi' } } }), expected: /the pod's cpu limits add up to 2, above the LimitRange pod maximum 1: lower the limits or raise limits.pod.max.cpu/ },
  { name: 'claim outside the LimitRange PVC bounds', build: db({ volumeClaims: [{ name: 'data', size: '20Gi' }] }), expected: /volume claim data asks for 20Gi, outside the LimitRange PVC bounds 1Gi-10Gi: pick a size within them/ },
  // Services
  { name: 'Service name in capitals', build: withService(web(), { name: 'Web' }), expected: /shop\/Svc: Service name "Web" is not a valid DNS-1035 label/ },
  { name: 'Service with a dot in its name', build: withService(web(), { name: 'web.v1' }), expected: /Service name "web.v1" is not a valid DNS-1035 label/ },
  { name: 'Service without ports', build: withService(web(), { ports: [] }), expected: /Service "web" has no ports: a Service needs at least one/ },
  { name: 'Service with an empty selector', build: withService(web(), { selector: {} }), expected: /shop\/Svc: Service "web" has an empty selector, so it selects no pods and Kubernetes keeps no endpoints for it: give the labels of the pods it serves/ },
  { name: 'Service port 0', build: withService(web(), { ports: [{ name: 'http', port: 0 }] }), expected: /Service port http 0 is outside 1-65535/ },
  { name: 'Service port name in capitals', build: withService(web(), { ports: [{ name: 'Http', port: 80 }] }), expected: /Service port name "Http" is not a valid port name/ },
  { name: 'Service with two ports of one name', build: withService(web(), { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }), expected: /Service "web" port name "http" is used more than once/ },
  { name: 'Service with one port twice', build: withService(web(), { ports: [{ name: 'http', port: 80 }, { name: 'web', port: 80 }] }), expected: /Service "web" port "80\/TCP" is used more than once/ },
  { name: 'Service selector with a bad key', build: withService(web(), { selector: { 'bad key': 'web' } }), expected: /Service selector key "bad key" is not a valid key/ },
  { name: 'Service selector with a bad value', build: withService(web(), { selector: { app: 'web!' } }), expected: /Service selector app "web!" is not a valid label value/ },
  { name: 'Service selecting no pods', build: withService(web(), { selector: { 'app.kubernetes.io/name': 'wbe' } }), expected: /shop\/Svc\/Resource: Service "web" selects no pods: selector \{"app.kubernetes.io\/name":"wbe"\} matches no workload in the namespace .*: fix the selector labels/ },
  { name: 'Service targeting a port no pod declares', build: withService(web(), { ports: [{ name: 'admin', port: 9090 }] }), expected: /Service "web" targets port "admin", which no pod it selects declares \(they declare "http"\): target one of theirs, or name the container port "admin"/ },
  { name: 'Service label with a bad key', build: withService(web(), { labels: { '/x': 'y' } }), expected: /Service labels key "\/x" is not a valid key/ },
  // Ingress
  { name: 'Ingress name in capitals', build: ingress({ name: 'Web' }), expected: /shop\/Ing: Ingress name "Web" is not a valid DNS-1123 subdomain/ },
  { name: 'Ingress host with a space', build: ingress({ host: 'shop example.com' }), expected: /Ingress host "shop example.com" is not a DNS name: use at most 253 characters/ },
  { name: 'Ingress host in capitals', build: ingress({ host: 'Shop.example.com' }), expected: /Ingress host "Shop.example.com" is not a DNS name/ },
  { name: 'Ingress host over 253 characters', build: ingress({ host: `${'a.'.repeat(127)}com` }), expected: /Ingress host "(a\.)+com" is not a DNS name: use at most 253 characters/ },
  { name: 'empty Ingress host', build: ingress({ host: '' }), expected: /Ingress host "" is not a DNS name/ },
  { name: 'Ingress host with a port', build: ingress({ host: 'shop.example.com:443' }), expected: /Ingress host "shop.example.com:443" is not a DNS name/ },
  { name: 'empty IngressClass', build: ingress({ className: '' }), expected: /IngressClass name "" is not a valid DNS-1123 subdomain/ },
  { name: 'IngressClass in capitals', build: ingress({ className: 'NGINX' }), expected: /IngressClass name "NGINX" is not a valid DNS-1123 subdomain/ },
  { name: 'Ingress path without a slash', build: ingress({ paths: [{ path: 'api' }] }), expected: /Ingress path "api" must start with '\/'/ },
  { name: 'Ingress without paths', build: ingress({ paths: [] }), expected: /Ingress has no paths: list at least one path/ },
  // canaries
  { name: 'canary weight over 100', build: canary({ weight: 101 }), expected: /shop\/CanaryIng: canary weight 101 is outside 0-100 \(percent of requests\): use a whole number in that range, or set weightTotal/ },
  { name: 'negative canary weight', build: canary({ weight: -1 }), expected: /canary weight -1 is outside 0-100/ },
  { name: 'fractional canary weight', build: canary({ weight: 2.5 }), expected: /canary weight 2.5 is not a whole number on the scale 0-100 \(percent of requests\): use a whole number in that range/ },
  { name: 'NaN canary weight', build: canary({ weight: NaN }), expected: /canary weight NaN is not a whole number on the scale 0-100/ },
  { name: 'canary weight over its total', build: canary({ weight: 1001, weightTotal: 1000 }), expected: /canary weight 1001 is outside 0-1000 \(a share of weightTotal 1000\)/ },
  { name: 'canary weight total 0', build: canary({ weight: 0, weightTotal: 0 }), expected: /canary weightTotal is 0: use a whole number of 1 or more/ },
  { name: 'canary weight total without a weight', build: canary({ weight: undefined, weightTotal: 1000, header: 'X-Canary' }), expected: /canary weightTotal 1000 is set without weight/ },
  { name: 'canary header that is no header name', build: canary({ header: 'X Canary' }), expected: /canary header "X Canary" is not an HTTP header name/ },
  { name: 'canary header value without a header', build: canary({ headerValue: 'gray' }), expected: /canary headerValue "gray" is set without header: name the request header/ },
  { name: 'canary header pattern without a header', build: canary({ headerPattern: '^g' }), expected: /canary headerPattern "\^g" is set without header/ },
  { name: 'canary header pattern that does not compile', build: canary({ header: 'X-Build', headerPattern: '[gray' }), expected: /canary headerPattern "\[gray" is not a regular expression \(Unterminated character class\): write \\ before each of/ },
  { name: 'canary header value empty', build: canary({ header: 'X-Build', headerValue: '' }), expected: /shop\/CanaryIng: canary headerValue is empty, so ingress-nginx routes by always\/never instead/ },
  { name: 'canary header value and pattern both', build: canary({ header: 'X-Build', headerValue: 'gray', headerPattern: '^g' }), expected: /canary sets both headerValue "gray" and headerPattern "\^g": .*keep one of them/ },
  { name: 'canary cookie that is no cookie name', build: canary({ cookie: 'my cookie' }), expected: /canary cookie "my cookie" is not a cookie name/ },
  { name: 'canary without a rule', build: canary({ weight: undefined }), expected: /canary has no routing rule, so no request would reach it: set weight, header or cookie/ },
  { name: 'canary with weight and no pods', build: canary({ weight: 20 }, 0), expected: /shop\/CanaryIng: canary weight 20 sends requests to Service "web-canary", which has no pods to serve them \(its workloads run 0 replicas\): run the canary's pods, or set the weight to 0/ },
  { name: 'canary on a path the primary does not route', build: canary({ paths: [{ path: '/admin' }] }), expected: /"\/admin" \(Prefix\)/ },
  // HTTPRoute
  { name: 'HTTPRoute host with a space', build: route({ host: 'a b' }), expected: /shop\/Route: HTTPRoute host "a b" is not a DNS name/ },
  { name: 'HTTPRoute with nine paths', build: route({ paths: Array.from({ length: 9 }, (_, i) => ({ path: `/p${i}` })) }), expected: /HTTPRoute has 9 paths, but a rule takes at most 8 matches: split the paths over several routes/ },
  { name: 'HTTPRoute path without a slash', build: route({ paths: [{ path: 'p' }] }), expected: /HTTPRoute path "p" must start with '\/'/ },
  { name: 'HTTPRoute without paths', build: route({ paths: [] }), expected: /HTTPRoute has no paths/ },
  { name: 'ClusterIssuer name in capitals', build: gateway({ tlsClusterIssuer: 'LetsEncrypt' }), expected: /shop\/Gateway: tlsClusterIssuer \(a ClusterIssuer name\) "LetsEncrypt" is not a valid DNS-1123 subdomain: use at most 253 lower-case letters/ },
  {
    name: 'Gateway name too long for its redirect HTTPRoute',
    build: gateway({ name: 'g'.repeat(240), tlsClusterIssuer: 'letsencrypt', tlsSecretName: 'cert' }),
    expected: /shop\/Gateway: Gateway name "g{240}" has 240 characters, and with TLS it names the redirect HTTPRoute "g{240}-https-redirect" \(255\), over the 253 an object name may have: use at most 238 characters/,
  },
  { name: 'GatewayClass with a space', build: (ns) => void new AppGateway(ns, 'Gateway', { name: 'public', className: 'Envoy Gateway', hostname: 'shop.example.com', routeNamespaces: ['shop'] }), expected: /shop\/Gateway: GatewayClass name "Envoy Gateway" is not a valid DNS-1123 subdomain/ },
  { name: 'Gateway name in capitals', build: route({ gateway: { name: 'Public', namespace: 'gateway-system' } }), expected: /Gateway name "Public" is not a valid DNS-1123 subdomain/ },
  { name: 'Gateway namespace with a dot', build: route({ gateway: { name: 'public', namespace: 'gw.system' } }), expected: /Gateway namespace "gw.system" is not a valid DNS-1123 label/ },
  { name: 'HTTPRoute name in capitals', build: route({ name: 'Web' }), expected: /HTTPRoute name "Web" is not a valid DNS-1123 subdomain/ },
  {
    name: 'Gateway header pattern dialect in lower case',
    build: route({ gateway: { name: 'public', namespace: 'gateway-system', headerPatternDialect: 'pcre' as RegexDialect } }),
    expected: /shop\/Route: Gateway headerPatternDialect "pcre" is not one of the values it takes: use 'PCRE', 'RE2'/,
  },
  {
    name: 'HTTPRoute canary header pattern with a look-ahead, which RE2 gateways cannot compile',
    build: (ns) => {
      const svc = withService(web())(ns);
      const canary = new AppDeployment(ns, 'Canary', { name: 'web-canary', appName: 'web', version: 'v2', replicas: 2, ...WEB_POD, selectorLabels: { [LABELS.track]: 'canary' } });
      const canaryService = new AppService(ns, 'CanarySvc', { name: 'web-canary', selector: canary.podSelector, ports: [{ name: 'http', port: 8080 }] });
      new AppHttpRoute(ns, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'gateway-system' }, host: 'shop.example.com', paths: [{ path: '/' }], service: svc, canary: { service: canaryService, header: 'X-Build', headerPattern: 'gray(?!-old)' } });
    },
    expected: /shop\/Route: canary headerPattern "gray\(\?!-old\)" is not an RE2 regular expression \(invalid or unsupported Perl syntax: `\(\?!`\): RE2 has no look-arounds.*name it as the Gateway's headerPatternDialect/,
  },
  {
    name: 'HTTPRoute canary with weight and no pods',
    build: (ns) => {
      const svc = withService(web())(ns);
      const canary = new AppDeployment(ns, 'Canary', { name: 'web-canary', appName: 'web', version: 'v2', replicas: 0, disruptionBudget: false, ...WEB_POD, selectorLabels: { [LABELS.track]: 'canary' } });
      const canaryService = new AppService(ns, 'CanarySvc', { name: 'web-canary', selector: canary.podSelector, ports: [{ name: 'http', port: 8080 }] });
      new AppHttpRoute(ns, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'gateway-system' }, host: 'shop.example.com', paths: [{ path: '/' }], service: svc, canary: { service: canaryService, weight: 20 } });
    },
    expected: /shop\/Route: canary weight 20 sends requests to Service "web-canary", which has no pods to serve them \(its workloads run 0 replicas\): run the canary's pods, or set the weight to 0/,
  },
  // NetworkPolicy
  { name: 'policy name in capitals', build: policy({ name: 'Allow', ingress: [] }), expected: /shop\/Policy: NetworkPolicy name "Allow" is not a valid DNS-1123 subdomain/ },
  { name: 'policy governing nothing', build: policy({}), expected: /NetworkPolicy "allow" governs neither ingress nor egress: pass ingress and\/or egress/ },
  {
    name: 'allowTo on an ingress-only policy',
    build: (ns) => {
      web()(ns);
      new NetworkPolicy(ns, 'Policy', { name: 'allow', podSelector: { 'app.kubernetes.io/name': 'web' }, ingress: [] }).allowTo({ cidr: '10.0.0.0/8' });
    },
    expected: /shop\/Policy: allowTo\(\{"cidr":"10.0.0.0\/8"\}\) needs a policy that governs egress, and NetworkPolicy "allow" does not: pass egress: \[\] in its props/,
  },
  { name: 'policy selecting no pods', build: policy({ podSelector: { app: 'nothing' }, ingress: [] }), expected: /shop\/Policy\/Resource: NetworkPolicy "allow" selects no pods: selector \{"app":"nothing"\}/ },
  { name: 'policy selector with a bad key', build: policy({ podSelector: { 'a b': 'x' }, ingress: [] }), expected: /NetworkPolicy podSelector key "a b" is not a valid key/ },
  { name: 'CIDR with host bits', build: peer({ cidr: '10.0.0.1/16' }), expected: /ipBlock cidr "10.0.0.1\/16" is not in canonical form: write 10.0.0.0\/16/ },
  { name: 'IPv6 CIDR with host bits', build: peer({ cidr: '2001:db8::1/32' }), expected: /ipBlock cidr "2001:db8::1\/32" is not in canonical form: write 2001:db8::\/32/ },
  { name: 'CIDR with leading zeros', build: peer({ cidr: '010.000.000.000/8' }), expected: /ipBlock cidr "010.000.000.000\/8" is not in canonical form: write 10.0.0.0\/8 / },
  { name: 'CIDR without a prefix', build: peer({ cidr: '10.0.0.0' }), expected: /ipBlock cidr "10.0.0.0" is not a CIDR: write an address with a prefix length/ },
  { name: 'CIDR prefix too long', build: peer({ cidr: '10.0.0.0/33' }), expected: /ipBlock cidr "10.0.0.0\/33" is not a valid CIDR/ },
  { name: 'CIDR that is a name', build: peer({ cidr: 'intranet/8' }), expected: /ipBlock cidr "intranet\/8" is not a valid CIDR/ },
  { name: 'except outside the CIDR', build: peer({ cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }), expected: /ipBlock except "10.1.0.0\/24" is not strictly inside cidr "10.0.0.0\/16": list only smaller sub-ranges/ },
  { name: 'except equal to the CIDR', build: peer({ cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] }), expected: /ipBlock except "10.0.0.0\/16" is not strictly inside cidr "10.0.0.0\/16"/ },
  { name: 'except of the other family', build: peer({ cidr: '10.0.0.0/8', except: ['2001:db8::/64'] }), expected: /ipBlock except "2001:db8::\/64" is not strictly inside cidr "10.0.0.0\/8"/ },
  { name: 'except with host bits', build: peer({ cidr: '10.0.0.0/8', except: ['10.0.0.1/24'] }), expected: /ipBlock except "10.0.0.1\/24" is not in canonical form: write 10.0.0.0\/24/ },
  { name: 'peer pod label with a bad value', build: peer({ pods: { app: 'a b' } }), expected: /peer pods app "a b" is not a valid label value/ },
  { name: 'peer namespace in capitals', build: peer({ namespace: 'Monitoring' }), expected: /peer namespace "Monitoring" is not a valid DNS-1123 label/ },
  { name: 'peer namespaces selector with a bad key', build: peer({ namespaces: { 'team name': 'x' } }), expected: /peer namespaces key "team name" is not a valid key/ },
  { name: 'policy port 0', build: port({ port: 0 }), expected: /NetworkPolicy port 0 is outside 1-65535/ },
  { name: 'policy port name in capitals', build: port({ port: 'HTTP' }), expected: /NetworkPolicy port name "HTTP" is not a valid port name/ },
  { name: 'policy port number written as text', build: port({ port: '8080' }), expected: /shop\/Policy: NetworkPolicy port "8080" is a number written as text, which the API server reads as a port name \(and a port name needs a letter\): give it as a number, port: 8080/ },
  {
    name: 'policy port name the pods declare over another protocol',
    build: port({ port: 'http', protocol: 'UDP' }),
    expected: /shop\/Policy\/Resource: NetworkPolicy "allow" opens port "http" over UDP, but the pods it selects declare "http" over TCP only, and a rule matches its protocol and port together, so it opens nothing: set protocol 'TCP'/,
  },
  {
    name: 'egress to a port name the destination pods declare over another protocol',
    build: policy({ egress: [{ peers: [{ pods: { 'app.kubernetes.io/name': 'web' } }], ports: [{ port: 'http', protocol: 'SCTP' }] }] }),
    expected: /NetworkPolicy "allow" allows egress to port "http" over SCTP, but the pods it sends to declare "http" over TCP only, .*: set protocol 'TCP'/,
  },
  { name: 'Service targeting a port name the pods declare over another protocol', build: withService(web(), { ports: [{ name: 'http', port: 8080, protocol: 'UDP' }] }), expected: /shop\/Svc\/Resource: Service "web" targets port "http" over UDP, but the pods it selects declare "http" over TCP only, so it has no endpoints there: give the Service port protocol 'TCP'/ },
  { name: 'policy port name no selected pod declares', build: port({ port: 'metrics' }), expected: /NetworkPolicy "allow" opens port "metrics", which no pod it selects declares \(they declare "http"\): open one of theirs, or use a port number/ },
  {
    name: 'egress to a port name the destination pods do not declare',
    build: policy({ egress: [{ peers: [{ pods: { 'app.kubernetes.io/name': 'web' } }], ports: [{ port: 'pgsql' }] }] }),
    expected: /NetworkPolicy "allow" allows egress to port "pgsql", which none of the pods it sends to declares \(they declare "http"\): use one of theirs, or a port number/,
  },
  {
    name: 'egress by allowTo({ workload }) to a port name the workload does not declare',
    build: (ns) => {
      const d = web()(ns);
      new NetworkPolicy(ns, 'Allow', { name: 'allow', podSelector: d.podSelector, egress: [] }).allowTo({ workload: d }, { port: 'pgsql' });
    },
    expected: /shop\/Allow\/Resource: NetworkPolicy "allow" allows egress to port "pgsql", which none of the pods it sends to declares \(they declare "http"\)/,
  },
  { name: 'peer pods no workload of the namespace has', build: peer({ pods: { 'app.kubernetes.io/name': 'wbe' } }), expected: /NetworkPolicy "allow" allows ingress from pods \{"app.kubernetes.io\/name":"wbe"\}, which no workload in the namespace has/ },
  { name: 'endPort below port', build: port({ port: 5000, endPort: 4000 }), expected: /endPort 4000 is below port 5000: the range runs from port up to endPort/ },
  { name: 'endPort with a named port', build: port({ port: 'http', endPort: 9000 }), expected: /endPort 9000 needs a numeric port, not "http"/ },
  { name: 'endPort over 65535', build: port({ port: 5000, endPort: 70000 }), expected: /NetworkPolicy endPort 70000 is outside 1-65535/ },
  // StatefulApp
  { name: 'StatefulSet name over 52 characters', build: db({ name: 'd'.repeat(53) }), expected: /shop\/Db: StatefulSet name "d{53}" has 53 characters: .*use at most 52/ },
  { name: 'StatefulSet name with a dot', build: db({ name: 'db.v1' }), expected: /shop\/Db: StatefulSet name "db.v1" is not a valid DNS-1035 label, as the Services named after it \("db.v1", "db.v1-headless"\) need: use at most 52/ },
  { name: 'StatefulSet replicas negative', build: db({ replicas: -1 }), expected: /replicas is -1: use a whole number of 0 or more/ },
  { name: 'StatefulSet without a readiness probe', build: db({ container: { ...DB.container, readinessProbe: undefined } }), expected: /container.readinessProbe is missing: StatefulSet pods start one after another/ },
  { name: 'negative partition', build: db({ partition: -1 }), expected: /partition is -1: use a whole number from 0/ },
  { name: 'claim size malformed', build: db({ volumeClaims: [{ name: 'data', size: '5 GB' }] }), expected: /"5 GB" is not a Kubernetes quantity/ },
  { name: 'client Service without ports', build: db({ container: { ...DB.container, ports: [], readinessProbe: { exec: { command: ['true'] } } } }), expected: /the client Service has no ports to expose: declare the container ports clients use, or set clientService false/ },
  { name: 'single instance with the drain block not accepted', build: db({ replicas: 1 }), expected: /blocks|maxUnavailable 0/ },
  { name: 'no budget at 3 StatefulSet replicas', build: db({ disruptionBudget: false }), expected: /disruptionBudget is false but the StatefulSet runs 3 replicas: keep a budget/ },
  // ConfigMaps, Secrets, access, blue-green
  { name: 'ConfigMap over 1 MiB', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { big: 'x'.repeat(MIB + 1) } }), expected: /shop\/Cfg: ConfigMap "cfg-[0-9a-f]+" holds 1048577 bytes, over the 1048576 bytes \(1 MiB\) the API server accepts: split it/ },
  { name: 'ConfigMap key with a slash', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { 'a/b': 'x' } }), expected: /ConfigMap key "a\/b" is not a valid key: use at most 253 letters, digits, '-', '_' or '.'/ },
  { name: 'ConfigMap base name in capitals', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'Cfg', data: { a: 'x' } }), expected: /ConfigMap name "Cfg-[0-9a-f]+" is not a valid DNS-1123 subdomain/ },
  { name: 'Secret over 1 MiB', build: (ns) => new AppSecret(ns, 'S', { name: 's', key: 'k', source: { kind: 'placeholder', value: 'x'.repeat(MIB + 1) } }), settings: PLACEHOLDERS_TAKEN, expected: /shop\/S: Secret "s" holds 1048577 bytes, over the 1048576 bytes/ },
  { name: 'Secret key with a space', build: (ns) => new AppSecret(ns, 'S', { name: 's', key: 'db pass', source: { kind: 'placeholder', value: 'x' } }), settings: PLACEHOLDERS_TAKEN, expected: /Secret key "db pass" is not a valid key/ },
  { name: 'ConfigMap key starting with ..', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { '..data': 'x' } }), expected: /shop\/Cfg: ConfigMap key "\.\.data" is not a valid key: .*not starting with '\.\.'/ },
  { name: 'ConfigMap of exactly 1 MiB beside a long key', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { ['k'.repeat(254)]: 'x'.repeat(MIB - 1) } }), expected: /shop\/Cfg: ConfigMap key "k{254}" is not a valid key: use at most 253/ },
  { name: 'ConfigMap value that is a number (types not checked)', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: 'cfg', data: { port: 8080 as unknown as string } }), expected: /shop\/Cfg: ConfigMap "cfg-[0-9a-f]+" data key "port" is 8080, not text: give the value as a string, e.g. "8080"/ },
  { name: 'placeholder Secret without a value (types not checked)', build: (ns) => new AppSecret(ns, 'S', { name: 's', key: 'k', source: { kind: 'placeholder', value: undefined as unknown as string } }), settings: PLACEHOLDERS_TAKEN, expected: /shop\/S: Secret "s" placeholder value \(source.value\) of key "k" is undefined, not text/ },
  { name: 'placeholder Secret in an environment that does not take placeholders', build: (ns) => new AppSecret(ns, 'S', { name: 'db', key: 'password', source: { kind: 'placeholder', value: 'not-a-secret' } }), expected: /shop\/S: Secret "db" would be made from a placeholder value written in the project, which environment test does not take \(its placeholderSecrets setting is false\): name a Secret made outside the repository \(source: \{ kind: 'existing', secretName: 'db' \}\), or, for a dev or test cluster, set placeholderSecrets: true in the environment's settings/ },
  { name: 'existing Secret name in capitals', build: (ns) => new AppSecret(ns, 'S', { name: 's', key: 'k', source: { kind: 'existing', secretName: 'DB' } }), expected: /Secret name "DB" is not a valid DNS-1123 subdomain/ },
  // scheduled jobs
  {
    name: 'scheduled job with a starting deadline of 0, which no run meets',
    build: job({ startingDeadlineSeconds: 0 }),
    expected: /^ {2}\[test\] shop\/Job: startingDeadlineSeconds 0 lets no run start: the CronJob controller takes a run only within that many seconds after its time, so it never makes a Job: give the seconds a late run may still start, e.g. 300 \(the default\)$/m,
  },
  {
    name: 'scheduled job with a readiness probe',
    build: job({ container: { ...JOB.container, livenessProbe: { exec: { command: ['test', '-f', '/tmp/alive'] } }, readinessProbe: { exec: { command: ['true'] } } } }),
    expected: /^ {2}\[test\] shop\/Job: a scheduled job has no readiness probe to answer \(nothing routes to it, and it ends by itself\): drop readinessProbe; a livenessProbe restarts a run that hangs, and activeDeadlineSeconds bounds it$/m,
  },
  // node agents
  {
    name: 'node agent maxUnavailable of 0 written with leading zeros',
    build: (ns) => new NodeAgent(ns, 'Agent', { name: 'agent', version: 'v1', maxUnavailable: '000%', container: JOB.container }),
    settings: { nodeCount: 3 },
    expected: /^ {2}\[test\] shop\/Agent: maxUnavailable "000%" is not a count of 1 or more or a percentage 1%-100%: a rollout needs at least one node's agent to be replaced at a time$/m,
  },
  {
    name: 'node agent hostPath type in lower case (types not checked)',
    build: (ns) => new NodeAgent(ns, 'Agent', { name: 'agent', version: 'v1', container: { ...JOB.container, mounts: [{ name: 'machine-id', mountPath: '/etc/machine-id', hostPath: '/etc/machine-id', hostPathType: 'file' as 'File' }] } }),
    settings: { nodeCount: 3 },
    namespace: { podSecurityOptOut: { level: 'privileged', reason: 'the agent reads the node identity' } },
    expected: /^ {2}\[test\] shop\/Agent: volume machine-id hostPathType "file" is not one of the values it takes: use '', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'$/m,
  },
  {
    name: 'hostPath type without a hostPath',
    build: container({ mounts: [{ name: 'cache', mountPath: '/cache', hostPathType: 'Directory' }] }),
    expected: /^ {2}\[test\] shop\/Web: volume cache gives hostPathType but no hostPath, and only a hostPath volume has a type: give hostPath, or drop hostPathType$/m,
  },
  // values of a typed choice that a JavaScript project can still give
  { name: 'StatefulSet pod management in lower case (types not checked)', build: db({ podManagementPolicy: 'parallel' as 'Parallel' }), expected: /shop\/Db: podManagementPolicy "parallel" is not one of the values it takes: use 'OrderedReady', 'Parallel'/ },
  { name: 'claim retention in lower case (types not checked)', build: db({ claimRetention: { whenDeleted: 'delete' as 'Delete' } }), expected: /shop\/Db: claimRetention.whenDeleted "delete" is not one of the values it takes: use 'Retain', 'Delete'/ },
  { name: 'Deployment strategy in lower case (types not checked)', build: web({ strategy: { type: 'recreate' as 'Recreate' } }), expected: /shop\/Web: strategy.type "recreate" is not one of the values it takes: use 'RollingUpdate', 'Recreate'/ },
  { name: 'VPA controlled values of another case (types not checked)', build: web({ verticalAutoscaling: { mode: 'Off', controlledValues: 'requestsOnly' as 'RequestsOnly' } }), expected: /verticalAutoscaling.controlledValues "requestsOnly" is not one of the values it takes: use 'RequestsAndLimits', 'RequestsOnly'/ },
  { name: 'access preset that is none (types not checked)', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'dev', subject: { user: 'a@example.com' }, preset: 'admin' as 'edit' }), expected: /shop\/Access: preset "admin" is not one of the values it takes: use 'view', 'edit'/ },
  { name: 'QoS class in capitals (types not checked)', build: web({ qos: 'Guaranteed' as 'guaranteed' }), expected: /shop\/Web: qos "Guaranteed" is not one of the values it takes: use 'burstable', 'guaranteed'/ },
  { name: 'exec probe command as one string (types not checked)', build: probe({ exec: { command: 'cat /tmp/ready' as unknown as string[] } }), expected: /readinessProbe.exec.command is "cat \/tmp\/ready", not a list: give the program and its arguments as a list/ },
  { name: 'an annotation value that is a number (types not checked)', build: ingress({ annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': 8 as unknown as string } }), expected: /Ingress annotations nginx.ingress.kubernetes.io\/proxy-body-size is 8, not a string: write it in quotes, e.g. "8"/ },
  { name: 'ipBlock except as one string (types not checked)', build: peer({ cidr: '10.0.0.0/8', except: '10.1.0.0/16' as unknown as string[] }), expected: /^ {2}\[test\] shop\/Policy: ipBlock except is "10.1.0.0\/16", not a list: give the ranges as a list, e.g. except: \['10.1.0.0\/16'\]$/m },
  { name: 'a cpu request that is missing (types not checked)', build: withService(resources({ cpu: undefined as unknown as string })), expected: /shop\/Web\/Resource: cannot render: .*: a value of the construct that made it is missing or not of its type/ },
  { name: 'versioned ConfigMap without a base name (types not checked)', build: (ns) => new VersionedConfigMap(ns, 'Cfg', { baseName: undefined as unknown as string, data: { a: 'b' } }), expected: /shop\/Cfg: baseName is undefined: give the name the ConfigMap's is made from/ },
  { name: 'a scratch volume limit of 0, which the kubelet reads as none', build: container({ mounts: [{ name: 'cache', mountPath: '/cache', emptyDirSizeLimit: '0' }] }), expected: /shop\/Web: volume cache emptyDirSizeLimit "0" sets no limit \(the kubelet reads 0 as none\): give the most the volume may hold/ },
  { name: 'pod labels over a label the workload sets', build: web({ podLabels: { 'app.kubernetes.io/name': 'other' } }), expected: /shop\/Web: podLabels app.kubernetes.io\/name "other" is a label the workload sets itself \(to "web", .*\): drop it, or set what it comes from \(appName for app.kubernetes.io\/name\)/ },
  { name: 'VPA mode in lower case (types not checked)', build: web({ verticalAutoscaling: { mode: 'initial' as 'Initial', maxAllowed: { cpu: '1', memory: '1Gi' } } }), expected: /verticalAutoscaling.mode "initial" is not one of the values it takes: use 'Off', 'Initial', 'Recreate', 'Auto'/ },
  { name: 'VPA resource in capitals (types not checked)', build: web({ verticalAutoscaling: { mode: 'Off', controlledResources: ['CPU' as 'cpu'] } }), expected: /verticalAutoscaling.controlledResources entry "CPU" is not one of the values it takes: use 'cpu', 'memory'/ },
  { name: 'replicas as text (types not checked)', build: web({ replicas: '2' as unknown as number }), expected: /shop\/Web: replicas is "2": use a whole number of 0 or more/ },
  { name: 'access name with a slash', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'team/view', subject: { user: 'a@example.com' }, preset: 'view' }), expected: /shop\/Access: Role name "team\/view" is not a name the API server takes for it: use any name but '\.' or '\.\.', without '\/' or '%'/ },
  {
    name: 'two access names that differ in case only, one file where case is not told apart',
    build: (ns) => {
      new DeveloperAccess(ns, 'Dev', { name: 'Dev', subject: { user: 'a@example.com' }, preset: 'view' });
      new DeveloperAccess(ns, 'DevLower', { name: 'dev', subject: { user: 'b@example.com' }, preset: 'view' });
    },
    expected: /shop\/DevLower\/Role: Role "dev" is written to shop\/role-dev.yaml, and shop\/Dev\/Role to shop\/role-Dev.yaml, one file on a file system that does not tell case apart \(macOS, Windows\): give one of them a name that differs by more than case/,
  },
  { name: 'access name too long for its file', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'a'.repeat(239), subject: { user: 'a@example.com' }, preset: 'view' }), expected: /shop\/Access: Role name "a{239}" makes the file name of the RoleBinding synth writes 256 bytes, over the 255 a file system holds: use a name of at most 238 bytes/ },
  { name: 'access subject of no kind (types not checked)', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'dev', subject: {} as { user: string }, preset: 'view' }), expected: /shop\/Access: subject gives none of user, group or serviceAccount: give one of \{ user: 'alice@example.com' \}, \{ group: 'shop-devs' \} or \{ serviceAccount: 'deployer', namespace: 'ci' \}/ },
  { name: 'access subject missing (types not checked)', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'dev', subject: undefined as unknown as { user: string }, preset: 'view' }), expected: /shop\/Access: subject is undefined: give who gets the access, one of \{ user: 'alice@example.com' \}/ },
  { name: 'access subject user and group at once', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'dev', subject: { user: 'a@example.com', group: 'devs' } as { user: string }, preset: 'view' }), expected: /shop\/Access: subject gives user and group, and a subject is one of them: give one of/ },
  { name: 'access subject name that is no text (types not checked)', build: (ns) => new DeveloperAccess(ns, 'Access', { name: 'dev', subject: { group: 7 as unknown as string }, preset: 'view' }), expected: /shop\/Access: access subject group is 7, not text: name the user, group or ServiceAccount/ },
  { name: 'blue-green with a bad version label', build: blueGreen({ green: { version: 'v 2', ...WEB_POD } }), expected: /shop\/Pair\/Green: version "v 2" is not a valid label value/ },
  { name: 'blue-green idle replicas negative', build: blueGreen({ idleReplicas: -1 }), expected: /replicas is -1|idleReplicas/ },
  {
    name: 'blue-green ports without names the pods declare',
    build: blueGreen({ ports: [{ name: 'admin', port: 9090 }] }),
    expected: /^error: synth failed with 1 error[^\n]*\n {2}\[test\] shop\/Pair: blue-green "api" port "admin" targets the container port of that name, which neither colour declares \(they declare "http"\): use one of theirs, or name the container port "admin" in blue and green$/,
  },
  {
    name: 'blue-green port one colour does not declare',
    build: blueGreen({ ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }], blue: { version: 'v1', ...WEB_POD, container: { ...WEB_POD.container, ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }] } } }),
    expected: /^error: synth failed with 1 error[^\n]*\n {2}\[test\] shop\/Pair: blue-green "api" port "grpc" targets the container port of that name, which the green colour does not declare \(they declare "http"\): use one of theirs, or name the container port "grpc" in green$/,
  },
  { name: 'standalone claim above the LimitRange PVC maximum', build: (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '20Gi' }), expected: /shop\/Data\/Resource: volume claim data asks for 20Gi, outside the LimitRange PVC bounds 1Gi-10Gi/ },
  { name: 'standalone claim below the LimitRange PVC minimum', build: (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '500Mi' }), expected: /volume claim data asks for 500Mi, outside the LimitRange PVC bounds 1Gi-10Gi/ },
  // what the API server's own validation refuses, beside the patterns' rules
  { name: 'Ingress path with an empty segment', build: ingress({ paths: [{ path: '/api//v1' }] }), expected: /shop\/Ing: Ingress path "\/api\/\/v1" must not contain '\/\/': write the path as a proxy reads it once normalized/ },
  { name: 'Ingress path ending in a dot segment', build: ingress({ paths: [{ path: '/static/..', pathType: 'Exact' }] }), expected: /Ingress path "\/static\/\.\." must not end with '\/\.\.'/ },
  { name: 'Ingress path with an encoded slash', build: ingress({ paths: [{ path: '/a%2Fb' }] }), expected: /Ingress path "\/a%2Fb" must not contain '%2F'/ },
  { name: 'HTTPRoute path with a fragment', build: route({ paths: [{ path: '/docs#top' }] }), expected: /shop\/Route: HTTPRoute path "\/docs#top" holds characters an HTTPRoute path cannot/ },
  { name: 'HTTPRoute path with a dot segment', build: route({ paths: [{ path: '/a/./b' }] }), expected: /HTTPRoute path "\/a\/\.\/b" must not contain '\/\.\/'/ },
  { name: 'scale-down stabilization over an hour', build: web({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 70, scaleDownStabilizationSeconds: 7200 } }), expected: /autoscaling.scaleDownStabilizationSeconds is 7200: use a whole number of seconds from 0 to 3600/ },
  { name: "maxSurge '00%' with maxUnavailable 0", build: web({ strategy: { type: 'RollingUpdate', maxSurge: '00%', maxUnavailable: 0 } }), expected: /strategy.maxSurge and maxUnavailable are both 0/ },
  { name: 'environment variable name starting with ..', build: container({ env: { '..X': 'v' } }), expected: /shop\/Web: environment variable name "\.\.X" is invalid: .*not '\.', or starting with '\.\.'/ },
  { name: 'runAsUser past an int32', build: web({ runAsUser: 2 ** 31 }), expected: /runAsUser 2147483648 is over 2147483647, the largest user id the API server takes/ },
  { name: 'probe period past an int32', build: probe({ httpGet: { path: '/ready', port: 'http' }, periodSeconds: 2 ** 31 }), expected: /readinessProbe.periodSeconds is 2147483648: use a whole number from 1 to 2147483647/ },
  { name: 'replicas past an int32', build: web({ replicas: 2 ** 31 }), expected: /replicas is 2147483648, over the 2147483647 the field holds/ },
  { name: 'container without resources (types not checked)', build: container({ resources: undefined as unknown as AppDeploymentProps['container']['resources'] }), expected: /shop\/Web: container.resources is missing: give requests and limits of cpu and memory/ },
  { name: 'name that is a subdomain, taken as the container name', build: web({ name: 'web.v1' }), expected: /shop\/Web: container name \(appName\) "web.v1", taken from the name, is not a valid DNS-1123 label: set appName .*\(e.g. "web-v1"\)/ },
];

const GOOD: Case = { name: 'good', build: (ns) => void withService(web())(ns), expected: /./ };

describe('catalogue of bad inputs', () => {
  const good = tmpdir('catalogue-good');
  let before: Record<string, string>;

  beforeAll(() => {
    expect(main(['synth', '--outdir', good], { project: project(GOOD), log: () => undefined })).toBe(0);
    before = readTree(good);
  });

  test('holds at least 200 cases, each with its own name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = tmpdir('catalogue');
    fs.cpSync(good, out, { recursive: true });
    const errors: string[] = [];
    const code = main(['synth', '--outdir', out], { project: project(c), log: () => undefined, error: (l) => void errors.push(l) });
    const message = errors.join('\n');
    expect(code).toBe(1);
    expect(message).toMatch(c.expected);
    // every problem names the environment, a construct path, what is wrong and what to do
    const problems = message.split('\n').slice(1).map((l) => l.trim());
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^\[test\] shop(\/[\w-]+)*: (container [\w-]+:? )?.+: .+/);
    expect(readTree(out)).toEqual(before);
  });
});

