/**
 * The pod every workload construct runs, with the hygiene the notes teach applied by
 * default (000 §5.8.1, §6; 001:L4395-4500; 003:L249-275, L805-814):
 * - requests and limits always, Guaranteed QoS on request;
 * - readiness (and optional liveness/startup) probes;
 * - graceful stop: a preStop pause so endpoints are removed before SIGTERM, and a
 *   termination grace period that covers it;
 * - security context `restricted`: non-root, no privilege escalation, drop ALL,
 *   read-only root filesystem with a size-limited emptyDir at /tmp, seccomp RuntimeDefault;
 * - no service account token unless asked;
 * - replicas spread across nodes (and zones where the environment says so).
 * Each default is a prop; turning a safety default off is visible in the props.
 */
import * as k8s from '../../../imports/k8s';
import { DEFAULT_EPHEMERAL_STORAGE, DEFAULT_GRACE_SECONDS, DEFAULT_PRESTOP_SECONDS, DEFAULT_PROBE_PERIOD_SECONDS, DEFAULT_SCRATCH_SIZE, DEFAULT_UID } from '../core/defaults';
import { formatBytes, parseQuantity } from '../core/quantity';
import {
  checkByteQuantity,
  checkConfigKey,
  checkEnvVarName,
  MAX_INT32,
  MAX_INT64_CHECKED,
  checkDnsLabel,
  checkDnsSubdomain,
  checkLabels,
  checkNonNegativeInteger,
  checkOneOf,
  checkPathNoBacksteps,
  checkPort,
  checkPortName,
  checkQualifiedName,
  checkTolerations,
  checkUnique,
  describeValue,
  errors,
  hasReason,
  PORT_PROTOCOLS,
} from '../core/validation';
import type { Labels } from '../core/labels';
import type { PlatformSettings } from '../core/platform-settings';
import { ComputeResources, quantities } from '../core/resources';

/** A probe: exactly one of httpGet, tcpSocket, exec. */
export interface ProbeProps {
  /** HTTP GET on a path of a container port (number or name). @default - not an HTTP probe */
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  /** TCP connect to a container port. @default - not a TCP probe */
  readonly tcpSocket?: { readonly port: number | string };
  /** A command in the container. @default - not a command probe */
  readonly exec?: { readonly command: readonly string[] };
  /** Seconds after the container starts before the first probe (a startup probe is the better wait for a slow start). @default 0 */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes. @default 10 */
  readonly periodSeconds?: number;
  /** Seconds a probe may take before it counts as failed. @default 1 */
  readonly timeoutSeconds?: number;
  /** Failures in a row that mark the container unready (readiness) or restart it (liveness, startup). @default 3 */
  readonly failureThreshold?: number;
}

/** A value for a container environment variable. */
export type EnvValue =
  | string
  /** A key of a Secret (secretKeyRef). */
  | { readonly secret: { readonly name: string; readonly key: string } }
  /** A field of the pod (Downward API), e.g. status.podIP. */
  | { readonly fieldPath: string };

/** A named container port. */
export interface ContainerPortProps {
  /** Port name (IANA_SVC_NAME: at most 15 characters). */
  readonly name: string;
  /** Port number the container listens on, 1-65535. */
  readonly port: number;
  /** Transport protocol of the port. @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/**
 * What the kubelet checks a hostPath to be before it mounts it (HostPathType, Kubernetes 1.28):
 * '' checks nothing; the `OrCreate` kinds make an empty folder or file where there is none.
 */
export const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

/** One of HOST_PATH_TYPES. */
export type HostPathType = (typeof HOST_PATH_TYPES)[number];

/** The hostPath type a mount gets unless it names one: a folder that must exist. */
const DEFAULT_HOST_PATH_TYPE: HostPathType = 'Directory';

/** A volume mounted into the container. */
export interface MountProps {
  /** Volume name, a DNS-1123 label. */
  readonly name: string;
  /** Absolute path in the container where the volume appears. */
  readonly mountPath: string;
  /** ConfigMap whose keys become files. @default - not a ConfigMap volume */
  readonly configMap?: string;
  /** Secret whose keys become files. @default - not a Secret volume */
  readonly secret?: string;
  /** A per-pod claim: one of a StatefulApp's volumeClaims, by this mount's name (only a StatefulApp has them). @default - not a claim */
  readonly claim?: boolean;
  /** Size limit of a scratch emptyDir. @default - not an emptyDir */
  readonly emptyDirSizeLimit?: string;
  /** A PersistentVolumeClaim of the namespace, by name. @default - not a claim */
  readonly persistentVolumeClaim?: string;
  /**
   * A folder of the node (node agents reading its logs), or a file, socket or device of it
   * with hostPathType: only in a namespace whose Pod Security opt-out is `privileged`, since
   * hostPath reaches outside the pod. @default - not a host folder
   */
  readonly hostPath?: string;
  /**
   * What the hostPath must be on the node, checked by the kubelet before the pod starts:
   * 'File' for a file such as /etc/machine-id, 'Socket' for a Unix socket such as
   * /var/run/containerd/containerd.sock, '' for no check. Only with hostPath. @default 'Directory'
   */
  readonly hostPathType?: HostPathType;
  /** Mount read-only. @default - read-only for ConfigMaps, Secrets and host folders */
  readonly readOnly?: boolean;
}

/** The app container: image, command, ports, env, resources, probes and mounts. */
export interface ContainerProps {
  /** Image pinned by tag (and digest where the environment requires one); never `latest`. */
  readonly image: string;
  /** The program to run, replacing the image's entrypoint. @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** Its arguments, replacing the image's. @default - the image's arguments */
  readonly args?: readonly string[];
  /** Ports the container listens on, each named so Services and probes can refer to it. @default [] */
  readonly ports?: readonly ContainerPortProps[];
  /** Environment variables, in the order given. @default {} */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Requests and limits, both required. */
  readonly resources: ComputeResources;
  /** Required when a Service selects the pods. @default - none */
  readonly readinessProbe?: ProbeProps;
  /** Keep it cheap and without auth: a failing liveness probe restarts the container. @default - none */
  readonly livenessProbe?: ProbeProps;
  /** For slow starters: holds liveness off until the app is up. @default - none */
  readonly startupProbe?: ProbeProps;
  /** Volumes to mount. @default [] */
  readonly mounts?: readonly MountProps[];
}

/** A visible, reasoned loosening of the restricted security context. */
export interface SecurityOptOut {
  /** Let the container write its root filesystem. @default false */
  readonly writableRootFilesystem?: boolean;
  /**
   * Run as root (user and group 0), still without capabilities or privilege escalation:
   * for node agents that read the node's root-owned files (container logs are 0640
   * root:root). Pod Security restricted forbids it (Running as Non-root), baseline does
   * not, so only in a namespace whose opt-out is `baseline` or `privileged`. @default false
   */
  readonly runAsRoot?: boolean;
  /** Why the defaults do not fit this app; reviewers read it in the props. */
  readonly reason: string;
}

/** The pod of a workload: its container and the hygiene settings around it. */
export interface PodTemplateProps {
  /** The one container of the pod: image, ports, probes, resources and environment. */
  readonly container: ContainerProps;
  /**
   * Labels on the pods outside the (immutable) selector: what NetworkPolicies pick pods
   * by, e.g. `access-db: mysql`. Changing them rolls the pods, never recreates the workload.
   * @default {}
   */
  readonly podLabels?: Labels;
  /** `guaranteed` requires requests == limits, so the pod is evicted last. @default 'burstable' */
  readonly qos?: 'burstable' | 'guaranteed';
  /** Seconds between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the preStop hook waits before SIGTERM, so kube-proxy and the ingress drop the
   * pod from their endpoints first (001:L4447-4500). Runs `sleep` in the image; `false`
   * removes it (for images without `sleep`). @default 5
   */
  readonly preStopSleepSeconds?: number | false;
  /** User and group the container runs as; above 10000 so they match no host user. @default 10001 */
  readonly runAsUser?: number;
  /** Size limit of the emptyDir mounted at /tmp (the root filesystem is read-only). @default '64Mi' */
  readonly tmpSizeLimit?: string;
  /**
   * Local disk the container may use (logs, emptyDirs): without a limit, one pod can fill
   * the node's disk and get every pod on it evicted. @default - request 64Mi, limit 256Mi
   */
  readonly ephemeralStorage?: { readonly request: string; readonly limit: string };
  /** Mount the service account token (only apps that call the API need it). @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Loosen the restricted security context, with a reason. @default - restricted */
  readonly securityOptOut?: SecurityOptOut;
  /** Spread replicas over nodes (and zones, where the environment says so). @default true */
  readonly spread?: boolean;
  /** PriorityClass of the pods (000 §6.8): who is preempted first when nodes are full. @default - the environment's priorityClassName, else none */
  readonly priorityClassName?: string;
  /** Taints the pods tolerate. @default - the environment's tolerations */
  readonly tolerations?: readonly k8s.Toleration[];
}

/** What the pod template needs from its workload. */
export interface PodIdentity {
  /** Name of the container: the app's name, which both workloads of a canary or blue-green pair share. */
  readonly name: string;
  /** Every label of the pods: the selector's, the common ones and the workload's own. */
  readonly podLabels: Labels;
  /** The workload's selector: spreading and anti-affinity group the pods by it. */
  readonly selectorLabels: Labels;
  /** ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /** Annotations of the pods: the namespace owner's, so whoever reads a pod knows whom to call. */
  readonly annotations: Record<string, string>;
  /** The environment's settings: zones to spread over, PriorityClass and tolerations. */
  readonly settings: PlatformSettings;
  /** What the kubelet does when the container exits: Always for services and agents, OnFailure or Never for jobs. @default 'Always' */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}


function renderProbe(probe: ProbeProps | undefined): k8s.Probe | undefined {
  if (!probe) return undefined;
  const port = (p: number | string) => (typeof p === 'number' ? k8s.IntOrString.fromNumber(p) : k8s.IntOrString.fromString(p));
  return {
    httpGet: probe.httpGet ? { path: probe.httpGet.path, port: port(probe.httpGet.port) } : undefined,
    tcpSocket: probe.tcpSocket ? { port: port(probe.tcpSocket.port) } : undefined,
    exec: probe.exec ? { command: [...probe.exec.command] } : undefined,
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds ?? DEFAULT_PROBE_PERIOD_SECONDS,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

function renderEnv(env: Readonly<Record<string, EnvValue>>): k8s.EnvVar[] {
  return Object.entries(env).map(([name, value]) => {
    // anything but a Secret or field reference renders as its text; checkPodTemplate names a value that is not a string
    if (typeof value !== 'object' || value === null) return { name, value: String(value) };
    if ('secret' in value) return { name, valueFrom: { secretKeyRef: { name: value.secret.name, key: value.secret.key } } };
    return { name, valueFrom: { fieldRef: { fieldPath: value.fieldPath } } };
  });
}

function renderVolume(mount: MountProps): k8s.Volume | undefined {
  if (mount.claim) return undefined; // provided by the StatefulSet's volumeClaimTemplates
  if (mount.configMap) return { name: mount.name, configMap: { name: mount.configMap } };
  if (mount.secret) return { name: mount.name, secret: { secretName: mount.secret } };
  if (mount.persistentVolumeClaim) return { name: mount.name, persistentVolumeClaim: { claimName: mount.persistentVolumeClaim } };
  if (mount.hostPath) return { name: mount.name, hostPath: { path: mount.hostPath, type: mount.hostPathType ?? DEFAULT_HOST_PATH_TYPE } };
  return { name: mount.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(mount.emptyDirSizeLimit ?? DEFAULT_SCRATCH_SIZE) } };
}

function tolerations(list: readonly k8s.Toleration[]): k8s.Toleration[] | undefined {
  return list.length ? [...list] : undefined;
}

function spreadConstraints(identity: PodIdentity): k8s.TopologySpreadConstraint[] {
  const selector = { matchLabels: { ...identity.selectorLabels } };
  const keys = ['kubernetes.io/hostname', ...(identity.settings.spreadAcrossZones ? ['topology.kubernetes.io/zone'] : [])];
  // ScheduleAnyway: a cluster with fewer nodes than replicas still runs them all.
  return keys.map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector }));
}

function antiAffinity(identity: PodIdentity): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...identity.selectorLabels } } },
        },
      ],
    },
  };
}

/** The container's mounts, with the /tmp scratch volume the read-only root filesystem needs. */
export function containerMounts(props: PodTemplateProps): MountProps[] {
  return [...(props.container.mounts ?? []), { name: 'tmp', mountPath: '/tmp', emptyDirSizeLimit: props.tmpSizeLimit ?? DEFAULT_SCRATCH_SIZE }];
}

const ROOT_UID = 0;

/** The user the container runs as: root only through the securityOptOut, else runAsUser. */
function runAsUid(props: PodTemplateProps): number {
  return props.securityOptOut?.runAsRoot ? ROOT_UID : (props.runAsUser ?? DEFAULT_UID);
}

/** The L1 pod template: the container with its security context and probes, spreading, graceful stop. */
export function renderPodTemplate(identity: PodIdentity, props: PodTemplateProps): k8s.PodTemplateSpec {
  const c = props.container;
  const uid = runAsUid(props);
  const mounts = containerMounts(props);
  const preStop = props.preStopSleepSeconds ?? DEFAULT_PRESTOP_SECONDS;
  const ephemeral = props.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE;
  const container: k8s.Container = {
    name: identity.name,
    image: c.image,
    // With a digest the image cannot change under a tag; Always re-checks it at every start.
    imagePullPolicy: 'Always',
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    ports: c.ports?.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
    env: c.env && Object.keys(c.env).length ? renderEnv(c.env) : undefined,
    resources: {
      // missing only where the types were not checked (JavaScript, a watch-mode compile): checkPodTemplate says so
      requests: { ...(c.resources?.requests && quantities(c.resources.requests)), 'ephemeral-storage': k8s.Quantity.fromString(ephemeral.request) },
      limits: { ...(c.resources?.limits && quantities(c.resources.limits)), 'ephemeral-storage': k8s.Quantity.fromString(ephemeral.limit) },
    },
    readinessProbe: renderProbe(c.readinessProbe),
    livenessProbe: renderProbe(c.livenessProbe),
    startupProbe: renderProbe(c.startupProbe),
    lifecycle: preStop === false ? undefined : { preStop: { exec: { command: ['sleep', String(preStop)] } } },
    securityContext: {
      runAsNonRoot: uid !== ROOT_UID,
      runAsUser: uid,
      runAsGroup: uid,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: !props.securityOptOut?.writableRootFilesystem,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: (m.readOnly ?? Boolean(m.configMap || m.secret || m.hostPath)) || undefined })),
  };
  const spread = props.spread ?? true;
  return {
    metadata: { labels: { ...identity.podLabels }, annotations: { ...identity.annotations } },
    spec: {
      serviceAccountName: identity.serviceAccountName,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      restartPolicy: identity.restartPolicy ?? 'Always',
      priorityClassName: props.priorityClassName ?? identity.settings.priorityClassName,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
      securityContext: {
        runAsNonRoot: uid !== ROOT_UID,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid === ROOT_UID ? undefined : uid,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes: mounts.map(renderVolume).filter((v): v is k8s.Volume => v !== undefined),
      topologySpreadConstraints: spread ? spreadConstraints(identity) : undefined,
      affinity: spread ? antiAffinity(identity) : undefined,
      nodeSelector: Object.keys(identity.settings.nodeSelector).length ? { ...identity.settings.nodeSelector } : undefined,
      tolerations: tolerations(props.tolerations ?? identity.settings.tolerations),
    },
  };
}

/** Probe timings the API takes: whole seconds, at least 1 (0 for the initial delay). */
function checkProbeTimings(probe: ProbeProps, what: string): string[] {
  const positive = (value: number | undefined, field: string) =>
    value === undefined || (Number.isInteger(value) && value >= 1 && value <= MAX_INT32) ? undefined : `${what}.${field} is ${value}: use a whole number from 1 to ${MAX_INT32}`;
  return errors(
    probe.initialDelaySeconds === undefined ? undefined : checkNonNegativeInteger(probe.initialDelaySeconds, `${what}.initialDelaySeconds`),
    positive(probe.periodSeconds, 'periodSeconds'),
    positive(probe.timeoutSeconds, 'timeoutSeconds'),
    positive(probe.failureThreshold, 'failureThreshold'),
  );
}

function checkProbe(probe: ProbeProps | undefined, what: string, portNames: readonly string[]): string[] {
  if (!probe) return [];
  const handlers = [probe.httpGet, probe.tcpSocket, probe.exec].filter((h) => h !== undefined).length;
  const problems: string[] = checkProbeTimings(probe, what);
  if (handlers !== 1) problems.push(`${what} needs exactly one of httpGet, tcpSocket or exec (has ${handlers}): keep one of them`);
  if (probe.exec && (probe.exec.command ?? []).length === 0) problems.push(`${what}.exec has no command: give the command to run, e.g. ['cat', '/tmp/healthy']`);
  // a JavaScript string here would be written out one character per argument
  else if (probe.exec && !Array.isArray(probe.exec.command)) problems.push(`${what}.exec.command is ${describeValue(probe.exec.command)}, not a list: give the program and its arguments as a list, e.g. ['cat', '/tmp/healthy'] (no shell runs it)`);
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'number') problems.push(...errors(checkPort(port, `${what} port`)));
  if (typeof port === 'string' && !portNames.includes(port)) {
    problems.push(`${what} uses port "${port}", which the container does not declare: use one of ${portNames.join(', ') || '(no named ports)'}`);
  }
  return problems;
}

function checkEphemeralStorage(props: PodTemplateProps): string[] {
  const e = props.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE;
  const problems = errors(checkByteQuantity(e.request, 'ephemeralStorage.request'), checkByteQuantity(e.limit, 'ephemeralStorage.limit'));
  if (problems.length) return problems;
  const request = parseQuantity(e.request) ?? 0;
  const limit = parseQuantity(e.limit) ?? 0;
  const scratch = containerMounts(props).reduce((sum, m) => sum + (m.emptyDirSizeLimit ? parseQuantity(m.emptyDirSizeLimit) ?? 0 : 0), 0);
  if (request > limit) problems.push(`ephemeralStorage.request ${e.request} is above its limit ${e.limit}: a request cannot exceed the limit`);
  if (scratch > limit) {
    problems.push(`the emptyDir volumes may hold ${formatBytes(scratch)}, more than ephemeralStorage.limit ${e.limit}, so a full /tmp gets the pod evicted: raise the limit or lower the size limits`);
  }
  return problems;
}

/** The pod fields the Downward API gives an environment variable (validEnvDownwardAPIFieldPathExpressions, Kubernetes 1.28). */
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs'];

/** A label or annotation by key: `metadata.labels['key']`. */
const ENV_FIELD_SUBSCRIPT = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** What the API refuses in one environment variable's value: a Secret reference's name or key, or a pod field it cannot give. */
function checkEnvValue(name: string, value: EnvValue): string[] {
  if (typeof value === 'string') return [];
  if (typeof value !== 'object' || value === null) {
    return [`environment variable ${name} is ${String(value)}, not text: give its value as a string (environment variables are text), e.g. '${String(value)}'`];
  }
  if ('secret' in value) return errors(checkDnsSubdomain(value.secret.name, `environment variable ${name}: Secret name`), checkConfigKey(value.secret.key, `environment variable ${name}: Secret key`));
  const subscript = ENV_FIELD_SUBSCRIPT.exec(value.fieldPath);
  // an annotation's key is checked lower-cased, as the API does (validateDownwardAPIFieldPath), a label's as written
  const key = subscript && (subscript[1] === 'annotations' ? subscript[2].toLowerCase() : subscript[2]);
  if (ENV_FIELD_PATHS.includes(value.fieldPath) || (key && checkQualifiedName(key, 'key') === undefined)) return [];
  return [`environment variable ${name}: fieldPath ${JSON.stringify(value.fieldPath)} is not a pod field the Downward API gives: use one of ${ENV_FIELD_PATHS.join(', ')}, or metadata.labels['<key>'] / metadata.annotations['<key>']`];
}

/** The props of a mount that each say where its volume comes from, in the order MountProps lists them. */
const VOLUME_SOURCES = ['configMap', 'secret', 'claim', 'emptyDirSizeLimit', 'persistentVolumeClaim', 'hostPath'] as const;

/** The sources a mount gives (`claim: false` is none). */
function volumeSources(m: MountProps): string[] {
  return VOLUME_SOURCES.filter((source) => m[source] !== undefined && m[source] !== false);
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A volume of several sources: the API server refuses one (validateVolumeSource: "may not
 * specify more than 1 volume type"), and the pod would only get the one renderVolume picks.
 */
function checkOneSource(m: MountProps): string | undefined {
  const sources = volumeSources(m);
  if (sources.length <= 1) return undefined;
  const rest = sources.length > 2 ? 'each of the others' : 'the other';
  return `volume ${m.name} gives ${listed(sources)}, but a volume has exactly one source (the API server refuses more: may not specify more than 1 volume type): keep one, and mount ${rest} as a volume of its own`;
}

/**
 * A folder of the node as validateHostPathVolumeSource takes it: given, and without '..'
 * elements. An empty one would otherwise be lost: renderVolume makes it an emptyDir.
 */
function checkHostPath(path: string, what: string): string | undefined {
  if (typeof path !== 'string' || path === '') {
    return `${what} is ${path === '' ? 'empty' : `${JSON.stringify(path)}, not text`}, which the API server refuses (hostPath.path: Required value): give the node's folder, e.g. "/var/log"`;
  }
  return checkPathNoBacksteps(path, what);
}

/**
 * The hostPath type: one validateHostPathType takes (HostPathType), for JavaScript callers,
 * and only beside a hostPath, since no other volume reads it.
 */
function checkHostPathType(m: MountProps): string | undefined {
  if (m.hostPathType === undefined) return undefined;
  if (m.hostPath === undefined) return `volume ${m.name} gives hostPathType but no hostPath, and only a hostPath volume has a type: give hostPath, or drop hostPathType`;
  return checkOneOf(m.hostPathType, HOST_PATH_TYPES, `volume ${m.name} hostPathType`);
}

/**
 * What makes a mount fail when the pod starts, though the API server takes it: a path that
 * is not absolute (the runtime refuses it), or a ConfigMap, Secret or claim named in a way
 * no such object can be (object names are DNS-1123 subdomains), so the pod waits forever;
 * and what the API server refuses: a volume of more than one source, a host folder that is
 * empty or steps up with '..', a hostPath type it does not know.
 */
function checkMount(m: MountProps): string[] {
  const problems = errors(
    checkOneSource(m),
    m.configMap === undefined ? undefined : checkDnsSubdomain(m.configMap, `volume ${m.name}: ConfigMap name`),
    m.secret === undefined ? undefined : checkDnsSubdomain(m.secret, `volume ${m.name}: Secret name`),
    m.persistentVolumeClaim === undefined ? undefined : checkDnsSubdomain(m.persistentVolumeClaim, `volume ${m.name}: PersistentVolumeClaim name`),
    m.hostPath === undefined ? undefined : checkHostPath(m.hostPath, `volume ${m.name} hostPath`),
    checkHostPathType(m),
  );
  if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) {
    problems.push(`volume ${m.name} mountPath ${JSON.stringify(m.mountPath)} is not an absolute path, which the container runtime refuses when the pod starts: write it from the root, e.g. "/${m.mountPath ?? 'data'}"`);
  }
  return problems;
}

/**
 * A scratch volume's size limit: a quantity, and above zero, since the kubelet reads a limit of
 * zero as none (it evicts a pod over its emptyDir limit only where the limit is positive:
 * `size.Sign() == 1` in emptyDirLimitEviction, pkg/kubelet/eviction/eviction_manager.go).
 */
function checkScratchSize(size: string, what: string): string | undefined {
  return checkByteQuantity(size, what) ?? (parseQuantity(size) === 0 ? `${what} "${size}" sets no limit (the kubelet reads 0 as none): give the most the volume may hold, e.g. 64Mi` : undefined);
}

/** Everything wrong with the pod template's props, each with its fix. */
export function checkPodTemplate(props: PodTemplateProps): string[] {
  const c = props.container;
  const portNames = (c.ports ?? []).map((p) => p.name);
  const problems = errors(
    // cpu and memory requests and limits are checked on the rendered pods (checks/), as every workload's are
    ...(c.ports ?? []).flatMap((p) => [
      checkPort(p.port, `container port ${p.name}`),
      checkPortName(p.name, 'container port name'),
      p.protocol === undefined ? undefined : checkOneOf(p.protocol, PORT_PROTOCOLS, `container port ${p.name} protocol`),
    ]),
    ...containerMounts(props).flatMap((m) => [checkDnsLabel(m.name, m.claim ? 'volume and claim name' : 'volume name'), m.emptyDirSizeLimit === undefined ? undefined : checkScratchSize(m.emptyDirSizeLimit, `volume ${m.name} emptyDirSizeLimit`)]),
  );
  problems.push(
    ...checkUnique(portNames, 'container port name'),
    ...checkUnique((c.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`), 'container port', 'give each port its own number'),
    ...(c.mounts ?? []).flatMap(checkMount),
    ...checkUnique(containerMounts(props).map((m) => m.name), 'volume name'),
    ...checkUnique(containerMounts(props).map((m) => m.mountPath.replace(/\/+$/, '') || '/'), 'mount path'),
    ...checkLabels(props.podLabels ?? {}, 'podLabels'),
    ...Object.entries(c.env ?? {}).flatMap(([name, value]) => checkEnvValue(name, value)),
    ...errors(props.priorityClassName === undefined ? undefined : checkDnsSubdomain(props.priorityClassName, 'priorityClassName')),
    ...checkTolerations(props.tolerations ?? [], 'tolerations'),
    ...errors(props.qos === undefined ? undefined : checkOneOf(props.qos, ['burstable', 'guaranteed'], 'qos')),
  );
  problems.push(
    ...checkProbe(c.readinessProbe, 'readinessProbe', portNames),
    ...checkProbe(c.livenessProbe, 'livenessProbe', portNames),
    ...checkProbe(c.startupProbe, 'startupProbe', portNames),
  );
  const missing = (['requests', 'limits'] as const).filter((k) => !c.resources?.[k]);
  if (missing.length > 0) {
    problems.push(`container.resources ${c.resources ? `has no ${missing.join(' and ')}` : 'is missing'}: give requests and limits of cpu and memory, e.g. { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }`);
  } else if (props.qos === 'guaranteed' && (c.resources.requests.cpu !== c.resources.limits.cpu || c.resources.requests.memory !== c.resources.limits.memory)) {
    problems.push(`qos 'guaranteed' needs requests equal to limits (requests ${c.resources.requests.cpu}/${c.resources.requests.memory}, limits ${c.resources.limits.cpu}/${c.resources.limits.memory}): set them equal, or use qos 'burstable'`);
  }
  const grace = props.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const preStop = props.preStopSleepSeconds ?? DEFAULT_PRESTOP_SECONDS;
  problems.push(...errors(checkNonNegativeInteger(grace, 'terminationGracePeriodSeconds', MAX_INT64_CHECKED), preStop === false ? undefined : checkNonNegativeInteger(preStop, 'preStopSleepSeconds')));
  if (preStop !== false && preStop >= grace) {
    problems.push(`preStopSleepSeconds ${preStop} leaves no time to shut down within terminationGracePeriodSeconds ${grace}: make the grace period longer than the preStop pause`);
  }
  problems.push(...checkEphemeralStorage(props));
  const uid = props.runAsUser ?? DEFAULT_UID;
  if (props.securityOptOut?.runAsRoot && props.runAsUser !== undefined) {
    problems.push(`runAsUser ${props.runAsUser} and securityOptOut.runAsRoot contradict each other: keep one`);
  } else if (!Number.isInteger(uid) || uid < 1) {
    problems.push(`runAsUser ${uid} is ${uid === 0 ? 'root' : 'not a whole number above 0'}: Pod Security restricted needs a non-zero user id (default ${DEFAULT_UID})`);
  } else if (uid > MAX_INT32) {
    problems.push(`runAsUser ${uid} is over ${MAX_INT32}, the largest user id the API server takes: use a smaller id (default ${DEFAULT_UID})`);
  }
  if (props.securityOptOut && !hasReason(props.securityOptOut.reason)) {
    problems.push('securityOptOut has no reason: say why the restricted security context does not fit this app');
  }
  problems.push(...errors(...Object.keys(c.env ?? {}).map((name) => checkEnvVarName(name, 'environment variable name'))));
  return problems;
}
