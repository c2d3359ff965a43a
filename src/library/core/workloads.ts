/**
 * Workloads as the cluster will see them, read from rendered objects rather than from the
 * constructs that made them: our patterns, cdk8s-plus, raw `Kube*` objects and `Include`d
 * YAML all look the same here. The cross-resource checks (quota, LimitRange, selectors,
 * image pinning) and the patterns' own relation checks read these footprints.
 *
 * Each footprint follows what the API server and controllers do with the object:
 * - pods at their largest: replicas (1 when unset), or the HPA maximum where an HPA
 *   targets the workload, plus a Deployment's rolling-update surge (25% when unset);
 * - container resources as admission sees them: an unset request takes the limit (API
 *   defaulting), then the LimitRange fills what is still unset; a VPA that may resize the
 *   container raises them to what it may give (maxAllowed, limits in proportion, capped by
 *   the LimitRange maximum), so the quota holds pods it resized.
 */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { jsonObjects } from './json-fields';
import { type Labels, NAMESPACE_NAME_LABEL } from '../core/labels';
import { parseQuantity } from './quantity';
import { objectRenderer } from './render-object';
import { checkFinite, checkMemoryUnit, checkQuantity, MAX_INT32, percentValue } from './validation';
import type { ComputeAmount, LimitRangeConfig } from '../core/resources';

/** One rendered object and the construct path that made it. */
export interface RenderedObject {
  /** Construct path of the ApiObject (for messages). */
  readonly path: string;
  /** The object as it is written to YAML. */
  readonly object: KubeObject;
}

/** The fields of a rendered object this module reads; everything else is kept as is. */
export interface KubeObject {
  /** @default - none, in an object that is not a Kubernetes object */
  readonly apiVersion?: string;
  /** @default - none, in an object that is not a Kubernetes object */
  readonly kind?: string;
  /** Name, namespace, labels and annotations. @default - none */
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Labels; readonly annotations?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** CPU (cores) and memory (bytes) of one container; undefined where unset. */
export interface ResourceAmounts {
  /** @default - unset */
  readonly cpu?: number;
  /** @default - unset */
  readonly memory?: number;
}

/** A container's image and the resources admission will give it. */
export interface ContainerFootprint {
  /** Name of the container. */
  readonly name: string;
  /** Image reference as written. */
  readonly image: string;
  /** Requests after the LimitRange's defaults. */
  readonly requests: ResourceAmounts;
  /** Limits after the LimitRange's defaults. */
  readonly limits: ResourceAmounts;
  /** Whether the container declares a readiness probe. */
  readonly readinessProbe: boolean;
}

/** A volume claim each pod of a StatefulSet gets. */
export interface ClaimFootprint {
  /** volumeClaimTemplate name. */
  readonly name: string;
  /** Requested storage in bytes. @default - unset or malformed */
  readonly size?: number;
}

/** What one workload asks of its namespace at its largest. */
export interface WorkloadFootprint {
  /** Construct path of the workload, for messages. */
  readonly path: string;
  /** Kind of the workload, e.g. `Deployment`. */
  readonly kind: string;
  /** Name of the workload. */
  readonly name: string;
  /** Labels on the pods (Services, policies and budgets select by these). */
  readonly podLabels: Labels;
  /** The pods' PriorityClass (priority-scoped quotas count by it). @default - none */
  readonly priorityClassName?: string;
  /** The ServiceAccount the pods run as. @default - none: the namespace's `default` */
  readonly serviceAccountName?: string;
  /** Most pods that can exist at once. */
  readonly maxPods: number;
  /** How maxPods was reached, e.g. "HPA max 6 + surge 2". */
  readonly maxPodsReason: string;
  /** The pod's containers. */
  readonly containers: readonly ContainerFootprint[];
  /** The pod's init containers, which run one at a time before the containers. */
  readonly initContainers: readonly ContainerFootprint[];
  /** The claims each pod gets from volumeClaimTemplates (StatefulSets only). */
  readonly claims: readonly ClaimFootprint[];
  /** Values that are not Kubernetes quantities, each naming the field. */
  readonly malformed: readonly string[];
}

/** Every ApiObject under `scope`, rendered once each. */
export function renderedObjects(scope: IConstruct): RenderedObject[] {
  const render = objectRenderer(scope);
  return scope.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => ({ path: o.node.path, object: render(o) }));
}

/** The kinds that run pods, and where their pod template is. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The maxSurge the API server gives a Deployment's rolling update that sets none (apps/v1 defaulting). */
const API_DEFAULT_MAX_SURGE = '25%';

type Json = Readonly<Record<string, unknown>>;

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function field(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function labels(value: unknown): Labels {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * A replica or parallelism count (int32 fields), or `fallback` where it is none the API server
 * could read: not a finite number, or past an int32. That value is its construct's problem;
 * sizing the quota with it would only add problems about a number the API never takes.
 */
function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value <= MAX_INT32 ? value : fallback;
}

/** The path people know a workload by: its construct, not the L1 object inside it. */
export function workloadPath(path: string): string {
  return path.endsWith('/Resource') ? path.slice(0, -'/Resource'.length) : path;
}

/** The pod template of a rendered workload, or undefined for kinds that run no pods. */
export function podTemplate(object: KubeObject): Json | undefined {
  if (object.kind === 'Pod') return object;
  const at = object.kind === undefined ? undefined : POD_TEMPLATE_PATHS[object.kind];
  if (!at) return undefined;
  const template = field(object, ...at);
  return typeof template === 'object' && template !== null ? (template as Json) : undefined;
}

/** The labels of the pods of every workload among `rendered`, and how many replicas it asks for (1 where the kind has no replica count). */
export function podLabelSets(rendered: readonly RenderedObject[]): Array<{ readonly kind: string; readonly name: string; readonly labels: Labels; readonly replicas: number }> {
  return rendered.flatMap(({ object }) => {
    const template = podTemplate(object);
    if (!template) return [];
    return [{ kind: object.kind ?? '', name: object.metadata?.name ?? '', labels: labels(field(template, 'metadata', 'labels')), replicas: count(field(object, 'spec', 'replicas'), 1) }];
  });
}

/** The fields of `object` that hold a number JSON cannot (NaN, Infinity), as dotted paths. */
export function nonFiniteFields(object: unknown, at = ''): string[] {
  return holdsNonFinite(object) ? nonFiniteFieldsAt(object, at) : [];
}

/** Whether a number anywhere in `object` is NaN or infinite; a walk that allocates nothing, since nearly every object holds none. */
function holdsNonFinite(object: unknown): boolean {
  if (typeof object === 'number') return !Number.isFinite(object);
  if (typeof object !== 'object' || object === null) return false;
  if (Array.isArray(object)) {
    for (const item of object) if (holdsNonFinite(item)) return true;
    return false;
  }
  for (const key in object) if (holdsNonFinite((object as Json)[key])) return true;
  return false;
}

function nonFiniteFieldsAt(object: unknown, at: string): string[] {
  if (typeof object === 'number') return Number.isFinite(object) ? [] : [`${at || '(value)'} = ${object}`];
  if (Array.isArray(object)) return object.flatMap((v, i) => nonFiniteFieldsAt(v, `${at}[${i}]`));
  if (typeof object === 'object' && object !== null) return Object.entries(object).flatMap(([k, v]) => nonFiniteFieldsAt(v, at ? `${at}.${k}` : k));
  return [];
}

/** The labels of the Namespaces among `rendered`, each with the name label the API server adds (`kubernetes.io/metadata.name`). */
export function renderedNamespaceLabels(rendered: readonly RenderedObject[]): Map<string, Labels> {
  return new Map(
    rendered
      .filter((r) => r.object.kind === 'Namespace' && r.object.metadata?.name !== undefined)
      .map((r) => [r.object.metadata?.name ?? '', { ...(r.object.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: r.object.metadata?.name ?? '' }]),
  );
}

/** Whether every label of `selector` is on `podLabels` (an empty selector selects every pod). */
export function selects(selector: Labels, podLabels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

/** `n` or `n%` of `total`, rounded as the controller rounds it. */
export function scaled(value: number | string, total: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return value;
  // values reaching here were checked, so a percentage is one: a malformed value counts as 0%
  const share = ((percentValue(value) ?? 0) / 100) * total;
  return round === 'up' ? Math.ceil(share) : Math.floor(share);
}

interface Target {
  readonly kind: string;
  readonly name: string;
}

const sameTarget = (ref: unknown, kind: string, name: string) => field(ref, 'kind') === kind && field(ref, 'name') === name;

function hpaMax(rendered: readonly RenderedObject[], target: Target): number | undefined {
  const hpa = rendered.find(({ object }) => object.kind === 'HorizontalPodAutoscaler' && sameTarget(field(object, 'spec', 'scaleTargetRef'), target.kind, target.name));
  return hpa ? count(field(hpa.object, 'spec', 'maxReplicas'), 1) : undefined;
}

/** `1 replica`, `3 replicas`: the count in the quota check's breakdown. */
function replicaCount(n: number): string {
  return `${n} replica${n === 1 ? '' : 's'}`;
}

function pods(rendered: readonly RenderedObject[], object: KubeObject, target: Target, nodeCount: number | undefined): { maxPods: number; reason: string } {
  const replicas = count(field(object, 'spec', 'replicas'), 1);
  switch (object.kind) {
    case 'Deployment': {
      const max = hpaMax(rendered, target);
      const base = max ?? replicas;
      const strategy = field(object, 'spec', 'strategy', 'type') ?? 'RollingUpdate';
      const surgeValue = field(object, 'spec', 'strategy', 'rollingUpdate', 'maxSurge') ?? API_DEFAULT_MAX_SURGE;
      const surge = strategy === 'Recreate' ? 0 : scaled(typeof surgeValue === 'number' || typeof surgeValue === 'string' ? surgeValue : API_DEFAULT_MAX_SURGE, base, 'up');
      return { maxPods: base + surge, reason: `${max === undefined ? replicaCount(base) : `HPA max ${base}`}${surge ? ` + surge ${surge}` : ''}` };
    }
    case 'StatefulSet':
    case 'ReplicaSet': {
      const max = hpaMax(rendered, target);
      return max === undefined ? { maxPods: replicas, reason: replicaCount(replicas) } : { maxPods: max, reason: `HPA max ${max}` };
    }
    case 'Job':
      return { maxPods: count(field(object, 'spec', 'parallelism'), 1), reason: 'parallelism' };
    case 'CronJob':
      return { maxPods: count(field(object, 'spec', 'jobTemplate', 'spec', 'parallelism'), 1), reason: 'parallelism of one run' };
    case 'DaemonSet':
      return nodeCount === undefined ? { maxPods: 1, reason: 'one per node, nodeCount not stated' } : { maxPods: nodeCount, reason: `one on each of ${nodeCount} node${nodeCount === 1 ? '' : 's'}` };
    default:
      return { maxPods: 1, reason: 'one pod' };
  }
}

type Resource = 'cpu' | 'memory';
const RESOURCES: readonly Resource[] = ['cpu', 'memory'];

function quantity(value: unknown, what: string, malformed: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  const problem = typeof value === 'number' ? checkFinite(value, what) : checkQuantity(value as string, what);
  if (problem) {
    malformed.push(problem);
    return undefined;
  }
  return typeof value === 'number' ? value : parseQuantity(value as string);
}

/** An amount of bytes (memory, storage): `quantity`, and malformed too in thousandths of a byte, which no one sizes anything in. */
function byteQuantity(value: unknown, what: string, malformed: string[]): number | undefined {
  const unit = checkMemoryUnit(value, what);
  if (unit === undefined) return quantity(value, what, malformed);
  malformed.push(unit);
  return undefined;
}

function amount(value: ComputeAmount | undefined, resource: Resource): number | undefined {
  return value === undefined ? undefined : parseQuantity(value[resource]);
}

/** A VPA's ceiling for one container, as it would resize it. */
interface VerticalPolicy {
  readonly maxAllowed: Partial<Record<Resource, number>>;
  readonly controlled: readonly Resource[];
  readonly proportional: boolean;
}

function verticalPolicy(rendered: readonly RenderedObject[], target: Target, container: string): VerticalPolicy | undefined {
  const vpa = rendered.find(({ object }) => object.kind === 'VerticalPodAutoscaler' && sameTarget(field(object, 'spec', 'targetRef'), target.kind, target.name));
  if (!vpa || field(vpa.object, 'spec', 'updatePolicy', 'updateMode') === 'Off') return undefined;
  const policies = jsonObjects(field(vpa.object, 'spec', 'resourcePolicy', 'containerPolicies'));
  const policy = policies.find((p) => p.containerName === container) ?? policies.find((p) => p.containerName === '*');
  if (!policy || policy.mode === 'Off') return undefined;
  const maxAllowed: Partial<Record<Resource, number>> = {};
  for (const r of RESOURCES) {
    const value = field(policy, 'maxAllowed', r);
    const parsed = typeof value === 'string' ? parseQuantity(value) : typeof value === 'number' ? value : undefined;
    if (parsed !== undefined) maxAllowed[r] = parsed;
  }
  const controlled = Array.isArray(policy.controlledResources) ? RESOURCES.filter((r) => (policy.controlledResources as unknown[]).includes(r)) : RESOURCES;
  return { maxAllowed, controlled, proportional: (policy.controlledValues ?? 'RequestsAndLimits') === 'RequestsAndLimits' };
}

/**
 * The most a VPA may give a container: the request raised to maxAllowed, the limit raised
 * in proportion (RequestsAndLimits), both capped where the LimitRange maximum caps them.
 */
export function verticalCeiling(
  request: number,
  limit: number,
  maxAllowed: number,
  proportional: boolean,
  limitRangeMax: number | undefined,
): { readonly request: number; readonly limit: number } {
  if (request <= 0) return { request, limit };
  let top = Math.max(request, maxAllowed);
  let topLimit = proportional ? Math.max(limit, (top * limit) / request) : limit;
  if (!proportional) top = Math.min(top, limit); // a request never exceeds its limit
  if (limitRangeMax !== undefined && topLimit > limitRangeMax && limit <= limitRangeMax) {
    top = Math.max(request, (top * limitRangeMax) / topLimit);
    topLimit = limitRangeMax;
  }
  return { request: top, limit: topLimit };
}

interface ContainerContext {
  readonly where: string;
  readonly limitRange?: LimitRangeConfig;
  readonly vertical?: VerticalPolicy;
  readonly malformed: string[];
}

function container(spec: Json, context: ContainerContext): ContainerFootprint {
  const name = typeof spec.name === 'string' && spec.name !== '' ? spec.name : '(unnamed)';
  const where = `${context.where}: container ${name}:`;
  const requests: Partial<Record<Resource, number>> = {};
  const limits: Partial<Record<Resource, number>> = {};
  for (const r of RESOURCES) {
    const read = r === 'memory' ? byteQuantity : quantity;
    const limit = read(field(spec, 'resources', 'limits', r), `${where} ${r} limit`, context.malformed) ?? amount(context.limitRange?.container.default, r);
    // API defaulting copies a set limit into an unset request, before the LimitRange default applies.
    const declaredLimit = read(field(spec, 'resources', 'limits', r), `${where} ${r} limit`, []);
    const request = read(field(spec, 'resources', 'requests', r), `${where} ${r} request`, context.malformed) ?? declaredLimit ?? amount(context.limitRange?.container.defaultRequest, r);
    const vertical = context.vertical;
    const maxAllowed = vertical?.maxAllowed[r];
    if (vertical && maxAllowed !== undefined && vertical.controlled.includes(r) && request !== undefined && limit !== undefined) {
      const ceiling = verticalCeiling(request, limit, maxAllowed, vertical.proportional, amount(context.limitRange?.container.max, r));
      requests[r] = ceiling.request;
      limits[r] = ceiling.limit;
    } else {
      requests[r] = request;
      limits[r] = limit;
    }
  }
  return { name, image: typeof spec.image === 'string' ? spec.image : '', requests, limits, readinessProbe: spec.readinessProbe !== undefined };
}

function claims(object: KubeObject, where: string, malformed: string[]): ClaimFootprint[] {
  if (object.kind !== 'StatefulSet') return [];
  return jsonObjects(field(object, 'spec', 'volumeClaimTemplates')).map((t) => {
    const name = String(field(t, 'metadata', 'name') ?? '(unnamed)');
    return { name, size: byteQuantity(field(t, 'spec', 'resources', 'requests', 'storage'), `${where}: volume claim ${name} storage`, malformed) };
  });
}

/**
 * The footprint of every workload among `rendered` (one namespace's objects), with the
 * namespace's LimitRange defaults applied to containers that leave resources unset and a
 * DaemonSet counted once on each of `nodeCount` nodes.
 */
export function workloadFootprints(rendered: readonly RenderedObject[], limitRange?: LimitRangeConfig, nodeCount?: number): WorkloadFootprint[] {
  return rendered.flatMap(({ path, object }) => {
    const template = podTemplate(object);
    if (!template) return [];
    const kind = object.kind ?? '';
    const name = object.metadata?.name ?? '';
    const target = { kind, name };
    const where = workloadPath(path);
    const malformed: string[] = [];
    const spec = object.kind === 'Pod' ? field(object, 'spec') : field(template, 'spec');
    const { maxPods, reason } = pods(rendered, object, target, nodeCount);
    if (kind === 'DaemonSet' && nodeCount === undefined && limitRange) {
      malformed.push(`${where}: a DaemonSet runs one pod on every node, and the environment does not state how many nodes it has: set settings.nodeCount, so the quota check can count them`);
    }
    const containerOf = (c: Json) => container(c, { where, limitRange, malformed, vertical: verticalPolicy(rendered, target, String(c.name)) });
    return [
      {
        path: where,
        kind,
        name,
        podLabels: labels(field(template, 'metadata', 'labels')),
        priorityClassName: stringOrUndefined(field(spec, 'priorityClassName')),
        // serviceAccount is the field's deprecated name, which the API server still reads
        serviceAccountName: stringOrUndefined(field(spec, 'serviceAccountName')) ?? stringOrUndefined(field(spec, 'serviceAccount')),
        maxPods,
        maxPodsReason: reason,
        containers: jsonObjects(field(spec, 'containers')).map(containerOf),
        initContainers: jsonObjects(field(spec, 'initContainers')).map((c) => container(c, { where, limitRange, malformed })),
        claims: claims(object, where, malformed),
        malformed,
      },
    ];
  });
}

/** What one pod asks for: the app containers' sum, or the largest init container if more. */
export function podResources(w: WorkloadFootprint, kind: 'requests' | 'limits', resource: Resource): number | undefined {
  let sum = 0;
  for (const c of w.containers) {
    const value = c[kind][resource];
    if (value === undefined) return undefined;
    sum += value;
  }
  const init = Math.max(0, ...w.initContainers.map((c) => c[kind][resource] ?? 0));
  return Math.max(sum, init);
}
