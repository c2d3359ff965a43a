/**
 * Pod Security admission, as the API server applies it to the pods of every workload in a
 * namespace: a controller's pod that breaks the level the namespace enforces is refused,
 * and the workload waits without pods. Our patterns set the restricted security context
 * themselves; this check holds everything else rendered into the namespace (cdk8s-plus,
 * raw `Kube*` objects, `Include`d YAML) to the same rule.
 *
 * The controls are those of the Pod Security Standards at version v1.28, the version the
 * NamespacedApp's `enforce-version` label pins, read from their implementation
 * (k8s.io/pod-security-admission v0.28, `policy/check_*.go`); each problem uses its
 * reason and detail, so it reads as the API server's own refusal would.
 */
import { jsonObjects } from '../core/json-fields';
import type { NamespaceContext } from '../core/namespace-context';
import { podTemplate, RenderedObject, workloadPath } from '../core/workloads';

type Json = Readonly<Record<string, unknown>>;
type PodSecurityLevel = NamespaceContext['podSecurityLevel'];

/** One control a pod breaks: the API server's reason and what it names. */
interface Violation {
  readonly reason: string;
  readonly detail: string;
}

/** A pod as the controls read it: its annotations, its spec and every container of it. */
interface PodView {
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly spec: Json;
  readonly containers: readonly Json[];
  readonly windows: boolean;
}

type Control = (pod: PodView) => Violation | undefined;

/** Capabilities baseline lets a container add (check_capabilities_baseline.go). */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
/** The sysctls baseline allows from v1.27 (check_sysctls.go). */
const BASELINE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
]);
/** SELinux types baseline allows; user and role must stay unset (check_seLinuxOptions.go). */
const BASELINE_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
/** Seccomp profile types that confine the container (validSeccomp). */
const CONFINING_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
/** The pod annotation prefix of a container's AppArmor profile in Kubernetes 1.28. */
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** Volume sources restricted allows (check_restrictedVolumes.go); a volume with no source is defaulted to an emptyDir. */
const RESTRICTED_VOLUME_SOURCES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** The one capability restricted lets a container add. */
const RESTRICTED_ADDABLE_CAPABILITY = 'NET_BIND_SERVICE';

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function securityContext(holder: Json): Json {
  return object(holder.securityContext);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function containersNamed(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
}

/** The containers whose own security context breaks `bad`, or a violation naming them. */
function containerControl(pod: PodView, reason: string, bad: (container: Json) => boolean, detail: (named: string) => string): Violation | undefined {
  const names = pod.containers.filter(bad).map((c) => String(c.name));
  return names.length === 0 ? undefined : { reason, detail: detail(containersNamed(names)) };
}

/** A pod-or-container setting that restricted requires (runAsNonRoot, seccomp): set on the pod, or on every container, and nowhere set wrong. */
function requiredSetting(pod: PodView, reason: string, field: (context: Json) => unknown, good: (value: unknown) => boolean, wrong: string, unset: string): Violation | undefined {
  const podValue = field(securityContext(pod.spec));
  const setters: string[] = podValue !== undefined && !good(podValue) ? ['pod'] : [];
  const explicit = pod.containers.filter((c) => field(securityContext(c)) !== undefined && !good(field(securityContext(c)))).map((c) => String(c.name));
  if (explicit.length > 0) setters.push(containersNamed(explicit));
  if (setters.length > 0) return { reason, detail: `${setters.join(' and ')} must not set ${wrong}` };
  const podSet = podValue !== undefined && good(podValue);
  const implicit = pod.containers.filter((c) => field(securityContext(c)) === undefined && !podSet).map((c) => String(c.name));
  return implicit.length === 0 ? undefined : { reason, detail: `pod or ${containersNamed(implicit)} must set ${unset}` };
}

/** Capabilities a container adds beyond the default set (check_capabilities_baseline.go). */
const baselineCapabilities: Control = (pod) => {
  const nonDefault = (c: Json) => strings(object(securityContext(c).capabilities).add).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
  const added = [...new Set(pod.containers.flatMap(nonDefault))].sort();
  return containerControl(pod, 'non-default capabilities', (c) => nonDefault(c).length > 0, (named) => `${named} must not include ${quoted(added)} in securityContext.capabilities.add`);
};

/** A folder of the node mounted (check_hostPathVolumes.go). */
const hostPathVolumes: Control = (pod) => {
  const names = jsonObjects(pod.spec.volumes).filter((v) => v.hostPath !== undefined).map((v) => String(v.name));
  return names.length === 0 ? undefined : { reason: 'hostPath volumes', detail: `volumes ${quoted(names)}` };
};

/** A seccomp profile that does not confine (check_seccompProfile_baseline.go). */
const baselineSeccomp: Control = (pod) => {
  const type = (context: Json) => object(context.seccompProfile).type;
  const bad = [securityContext(pod.spec), ...pod.containers.map(securityContext)].some((s) => type(s) !== undefined && !CONFINING_SECCOMP.has(String(type(s))));
  return bad ? { reason: 'seccompProfile', detail: 'pod and containers must not set securityContext.seccompProfile.type to "Unconfined"' } : undefined;
};

const BASELINE: readonly Control[] = [
  (pod) => {
    const set = [securityContext(pod.spec), ...pod.containers.map(securityContext)].some((s) => object(s.windowsOptions).hostProcess === true);
    return set ? { reason: 'hostProcess', detail: 'pod and containers must not set securityContext.windowsOptions.hostProcess=true' } : undefined;
  },
  (pod) => {
    const shared = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true);
    return shared.length === 0 ? undefined : { reason: 'host namespaces', detail: shared.map((f) => `${f}=true`).join(', ') };
  },
  (pod) => containerControl(pod, 'privileged', (c) => securityContext(c).privileged === true, (named) => `${named} must not set securityContext.privileged=true`),
  baselineCapabilities,
  hostPathVolumes,
  (pod) => {
    const ports = pod.containers.flatMap((c) => jsonObjects(c.ports).map((p) => p.hostPort)).filter((p) => typeof p === 'number' && p !== 0);
    return ports.length === 0 ? undefined : { reason: 'hostPort', detail: `hostPorts ${ports.join(', ')}: use a Service` };
  },
  (pod) => {
    const bad = Object.entries(pod.annotations).filter(([key, value]) => key.startsWith(APPARMOR_ANNOTATION_PREFIX) && typeof value === 'string' && !(value === '' || value === 'runtime/default' || value.startsWith('localhost/')));
    return bad.length === 0 ? undefined : { reason: 'forbidden AppArmor profile', detail: bad.map(([k, v]) => `${k}="${String(v)}"`).sort().join(', ') };
  },
  (pod) => {
    const contexts = [securityContext(pod.spec), ...pod.containers.map(securityContext)].map((s) => object(s.seLinuxOptions));
    const badType = contexts.some((o) => typeof o.type === 'string' && !BASELINE_SELINUX_TYPES.has(o.type));
    const userOrRole = contexts.some((o) => (typeof o.user === 'string' && o.user !== '') || (typeof o.role === 'string' && o.role !== ''));
    return badType || userOrRole ? { reason: 'seLinuxOptions', detail: 'seLinuxOptions.type must be container_t, container_init_t or container_kvm_t, and user and role unset' } : undefined;
  },
  (pod) => containerControl(pod, 'procMount', (c) => securityContext(c).procMount !== undefined && securityContext(c).procMount !== 'Default', (named) => `${named} must not set securityContext.procMount to anything but "Default"`),
  baselineSeccomp,
  (pod) => {
    const names = jsonObjects(securityContext(pod.spec).sysctls).map((s) => String(s.name)).filter((n) => !BASELINE_SYSCTLS.has(n));
    return names.length === 0 ? undefined : { reason: 'forbidden sysctls', detail: names.join(', ') };
  },
];

const RESTRICTED: readonly Control[] = [
  (pod) => {
    const names = jsonObjects(pod.spec.volumes).filter((v) => Object.keys(v).some((k) => k !== 'name' && !RESTRICTED_VOLUME_SOURCES.has(k))).map((v) => String(v.name));
    return names.length === 0 ? undefined : { reason: 'restricted volume types', detail: `volumes ${quoted(names)}: use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral or csi` };
  },
  (pod) =>
    pod.windows ? undefined : containerControl(pod, 'allowPrivilegeEscalation != false', (c) => securityContext(c).allowPrivilegeEscalation !== false, (named) => `${named} must set securityContext.allowPrivilegeEscalation=false`),
  (pod) => requiredSetting(pod, 'runAsNonRoot != true', (s) => s.runAsNonRoot, (v) => v === true, 'securityContext.runAsNonRoot=false', 'securityContext.runAsNonRoot=true'),
  (pod) => {
    const setters = [...(securityContext(pod.spec).runAsUser === 0 ? ['pod'] : [])];
    const containers = pod.containers.filter((c) => securityContext(c).runAsUser === 0).map((c) => String(c.name));
    if (containers.length > 0) setters.push(containersNamed(containers));
    return setters.length === 0 ? undefined : { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` };
  },
  (pod) =>
    pod.windows
      ? undefined
      : requiredSetting(pod, 'seccompProfile', (s) => object(s.seccompProfile).type, (v) => CONFINING_SECCOMP.has(String(v)), 'securityContext.seccompProfile.type to "Unconfined"', 'securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'),
  (pod) => {
    if (pod.windows) return undefined;
    const capabilities = (c: Json) => object(securityContext(c).capabilities);
    const noDrop = pod.containers.filter((c) => !strings(capabilities(c).drop).includes('ALL')).map((c) => String(c.name));
    const adds = pod.containers.filter((c) => strings(capabilities(c).add).some((cap) => cap !== RESTRICTED_ADDABLE_CAPABILITY)).map((c) => String(c.name));
    const details = [
      ...(noDrop.length > 0 ? [`${containersNamed(noDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
      ...(adds.length > 0 ? [`${containersNamed(adds)} must not include capabilities other than "${RESTRICTED_ADDABLE_CAPABILITY}" in securityContext.capabilities.add`] : []),
    ];
    return details.length === 0 ? undefined : { reason: 'unrestricted capabilities', detail: details.join('; ') };
  },
];

/** Baseline controls a stricter restricted one takes the place of (their OverrideCheckIDs): reported once, in restricted's words. */
const OVERRIDDEN_BY_RESTRICTED: ReadonlySet<Control> = new Set([baselineCapabilities, hostPathVolumes, baselineSeccomp]);

/** The controls of each level: restricted holds baseline's too, but for those it overrides. */
const CONTROLS: Readonly<Record<PodSecurityLevel, readonly Control[]>> = {
  privileged: [],
  baseline: BASELINE,
  restricted: [...BASELINE.filter((c) => !OVERRIDDEN_BY_RESTRICTED.has(c)), ...RESTRICTED],
};

function podView(template: Json): PodView {
  const spec = object(template.spec);
  return {
    annotations: object(object(template.metadata).annotations),
    spec,
    containers: [...jsonObjects(spec.initContainers), ...jsonObjects(spec.containers), ...jsonObjects(spec.ephemeralContainers)],
    windows: object(spec.os).name === 'windows',
  };
}

/**
 * The workloads among `rendered` (one namespace's objects) whose pods the namespace's Pod
 * Security `level` refuses, one problem each naming every control they break. A workload
 * whose construct has refused its own input (`refused` holds its path) is not judged again.
 */
export function podSecurityAdmitsWorkloads(rendered: readonly RenderedObject[], level: PodSecurityLevel, namespace: string, refused: ReadonlySet<string> = new Set()): string[] {
  // a level that is none (from JavaScript) is the namespace's own problem
  const controls = CONTROLS[level] ?? [];
  if (controls.length === 0) return [];
  return rendered.flatMap(({ path, object: workload }) => {
    const template = podTemplate(workload);
    if (!template) return [];
    const owner = workloadPath(path);
    if (refused.has(path) || refused.has(owner)) return [];
    const pod = podView(template);
    const violations = controls.map((control) => control(pod)).filter((v): v is Violation => v !== undefined);
    if (violations.length === 0) return [];
    const broken = violations.map((v) => `${v.reason} (${v.detail})`).join(', ');
    return [
      `${owner}: Pod Security "${level}:v1.28", which namespace ${namespace} enforces, would refuse the pods of ${workload.kind} "${workload.metadata?.name ?? ''}": ${broken}: set these in its pod template, or, where the app needs them, give the NamespacedApp a podSecurityOptOut { level, reason }`,
    ];
  });
}
