/**
 * A Service, NetworkPolicy or PodDisruptionBudget whose selector matches no pod of its
 * namespace does nothing, and is nearly always a mistyped label: the Service has no
 * endpoints, the policy protects nothing. Empty selectors (every pod) are exempt: the
 * default-deny policies apply to the namespace, pods or not.
 */
import { jsonObjects, type JsonObject } from '../core/json-fields';
import { type Labels, NAMESPACE_NAME_LABEL } from '../core/labels';
import { checkLabels } from '../core/validation';
import { podLabelSets, RenderedObject, WorkloadFootprint, selects } from '../core/workloads';

/** An object that selects pods of its namespace by labels. */
export interface PodSelector {
  /** Construct path of the object, for messages. */
  readonly path: string;
  /** Kind of the object, e.g. `Service` or `NetworkPolicy`. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /** Labels a pod must carry, all of them, to be selected. */
  readonly selector: Labels;
  /** For a NetworkPolicy's peer in its own namespace: the direction of the rule it is in. @default - the object's own selector */
  readonly peer?: 'ingress from' | 'egress to';
}

type Json = Readonly<Record<string, unknown>>;
const asLabels = (value: unknown): Labels | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string') ? (value as Labels) : undefined;

/**
 * The label selectors of the rendered Services, NetworkPolicies and budgets. A selector
 * with matchExpressions is left out: label equality alone cannot tell what it matches.
 */
export function renderedSelectors(rendered: readonly RenderedObject[]): PodSelector[] {
  return rendered.flatMap(({ path, object }) => {
    const spec = (object.spec ?? {}) as Json;
    const name = object.metadata?.name ?? '';
    const selector =
      object.kind === 'Service'
        ? asLabels(spec.selector)
        : object.kind === 'NetworkPolicy'
          ? plainSelector(spec.podSelector)
          : object.kind === 'PodDisruptionBudget'
            ? plainSelector(spec.selector)
            : undefined;
    const own: PodSelector[] = selector === undefined || object.kind === undefined ? [] : [{ path, kind: object.kind, name, selector }];
    return object.kind === 'NetworkPolicy' ? [...own, ...peerSelectors(spec, path, name, object.metadata?.namespace)] : own;
  });
}

/** Whether a peer's namespaceSelector picks `namespace` alone, by its name label (as allowTo({ workload }) writes it), or is absent. */
function inNamespace(peer: Json, namespace: string | undefined): boolean {
  if (peer.namespaceSelector === undefined) return true;
  const selector = plainSelector(peer.namespaceSelector);
  return namespace !== undefined && selector !== undefined && Object.keys(selector).length === 1 && selector[NAMESPACE_NAME_LABEL] === namespace;
}

/**
 * The peers of a NetworkPolicy's rules that pick pods of its own namespace, `namespace`, by
 * labels: no ipBlock, and no namespaceSelector or one naming this namespace alone.
 */
export function sameNamespacePeers(rule: Json, direction: 'ingress' | 'egress', namespace: string | undefined): Labels[] {
  const peers = (rule[direction === 'ingress' ? 'from' : 'to'] ?? []) as unknown;
  if (!Array.isArray(peers)) return [];
  return peers.flatMap((peer: Json) => {
    if (typeof peer !== 'object' || peer === null || !inNamespace(peer, namespace) || peer.ipBlock !== undefined || peer.podSelector === undefined) return [];
    const selector = plainSelector(peer.podSelector);
    return selector === undefined ? [] : [selector];
  });
}

function peerSelectors(spec: Json, path: string, name: string, namespace: string | undefined): PodSelector[] {
  return (['ingress', 'egress'] as const).flatMap((direction) => {
    const rules = Array.isArray(spec[direction]) ? (spec[direction] as Json[]) : [];
    return rules.flatMap((rule) => sameNamespacePeers(rule, direction, namespace).map((selector) => ({ path, kind: 'NetworkPolicy', name, selector, peer: direction === 'ingress' ? ('ingress from' as const) : ('egress to' as const) })));
  });
}

function plainSelector(value: unknown): Labels | undefined {
  const selector = (value ?? {}) as Json;
  if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0) return undefined;
  return asLabels(selector.matchLabels ?? {});
}

/** How many workloads a message about an unmatched selector shows. */
const NEAREST_SHOWN = 3;

/** Edits (insert, delete, replace one character) that turn `a` into `b`, stopping once past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Edits within which a label value reads as a typo of another: two, or one for values of up to four characters. */
function typoLimit(value: string): number {
  return value.length <= 4 ? 1 : 2;
}

/**
 * How near a workload's pod labels come to `selector`: two points for each entry they hold,
 * one for an entry they hold with a typo in the value or under another key (the usual ways a
 * selector misses), so the workload meant ranks first.
 */
function closeness(selector: Labels, podLabels: Labels): number {
  const values = Object.values(podLabels);
  return Object.entries(selector).reduce((points, [k, v]) => {
    const held = podLabels[k];
    if (held === v) return points + 2;
    const nearMiss = (held !== undefined && editDistance(v, held, typoLimit(v)) <= typoLimit(v)) || values.includes(v);
    return points + (nearMiss ? 1 : 0);
  }, 0);
}

/** What a message names of a workload: its kind, name and pod labels. */
type NamedPods = Pick<WorkloadFootprint, 'kind' | 'name' | 'podLabels'>;

/** The workloads whose pod labels come nearest to `selector`, as a message shows them. */
function nearestWorkloads(selector: Labels, workloads: readonly NamedPods[]): string {
  if (workloads.length === 0) return 'no workloads';
  const points = new Map(workloads.map((w) => [w, closeness(selector, w.podLabels)]));
  const nearest = [...workloads].sort((a, b) => (points.get(b) ?? 0) - (points.get(a) ?? 0)).slice(0, NEAREST_SHOWN);
  const more = workloads.length - nearest.length;
  return `${nearest.map((w) => `${w.kind} ${w.name} has ${JSON.stringify(w.podLabels)}`).join('; ')}${more > 0 ? `; ${more} more` : ''}`;
}

/** Selectors that match no workload's pods, each named by the object's construct path. */
export function selectorsMatchPods(selectors: readonly PodSelector[], workloads: readonly WorkloadFootprint[]): string[] {
  return selectors
    .filter((s) => Object.keys(s.selector).length > 0)
    .filter((s) => !workloads.some((w) => selects(s.selector, w.podLabels)))
    // a label Kubernetes refuses is the problem its construct reports, not a second one here
    .filter((s) => checkLabels(s.selector, 'selector').length === 0)
    .map((s) => {
      const nearest = nearestWorkloads(s.selector, workloads);
      if (s.peer) {
        return `${s.path}: ${s.kind} "${s.name}" allows ${s.peer} pods ${JSON.stringify(s.selector)}, which no workload in the namespace has (nearest: ${nearest}): fix the peer's labels to match the pods', or name their namespace if they live elsewhere`;
      }
      return `${s.path}: ${s.kind} "${s.name}" selects no pods: selector ${JSON.stringify(s.selector)} matches no workload in the namespace (nearest: ${nearest}): fix the selector labels to match the pods'`;
    });
}

/**
 * Pods behind a Service need a readiness probe: without one, a pod gets traffic the
 * moment its process starts, and a rollout sends requests to pods that cannot answer.
 */
export function servicedPodsHaveReadiness(selectors: readonly PodSelector[], workloads: readonly WorkloadFootprint[]): string[] {
  return selectors
    .filter((s) => s.kind === 'Service' && Object.keys(s.selector).length > 0)
    .flatMap((s) =>
      workloads
        .filter((w) => selects(s.selector, w.podLabels) && w.containers.some((c) => !c.readinessProbe))
        .map((w) => `${w.path}: Service "${s.name}" routes to the pods of ${w.kind} ${w.name}, which have no readiness probe: add container.readinessProbe (an HTTP check of the app, not just the port)`),
    );
}

/** The peers of every rule of a NetworkPolicy spec in `direction`: its ingress rules' `from`, or its egress rules' `to`. */
export function policyPeers(spec: JsonObject, direction: 'ingress' | 'egress'): JsonObject[] {
  return jsonObjects(spec[direction]).flatMap((rule) => jsonObjects(rule[direction === 'ingress' ? 'from' : 'to']));
}

/** The namespace a peer names alone, by its name label (as `{ namespace }` and `{ workload }` write it), and its pods' labels; undefined for any other peer. */
export function namedNamespacePeer(peer: Json): { readonly namespace: string; readonly pods: Labels } | undefined {
  if (typeof peer !== 'object' || peer === null || peer.ipBlock !== undefined || peer.podSelector === undefined) return undefined;
  const namespaces = plainSelector(peer.namespaceSelector);
  const pods = plainSelector(peer.podSelector);
  const namespace = namespaces?.[NAMESPACE_NAME_LABEL];
  if (namespace === undefined || Object.keys(namespaces ?? {}).length !== 1 || pods === undefined || Object.keys(pods).length === 0) return undefined;
  return { namespace, pods };
}

/**
 * NetworkPolicy peers that pick pods of another namespace this synth renders, by its name
 * and their labels, where no workload of that namespace has those labels: the rule admits
 * nothing, as a mistyped label or a pod moved elsewhere leaves it. A namespace the synth
 * does not render (the cluster's, another team's) may hold any pods, and is not judged.
 */
export function otherNamespacePeersMatchPods(rendered: readonly RenderedObject[], namespaces: ReadonlySet<string>): string[] {
  const peers = rendered.flatMap(({ path, object }) => {
    if (object.kind !== 'NetworkPolicy') return [];
    const spec = (object.spec ?? {}) as JsonObject;
    return (['ingress', 'egress'] as const).flatMap((direction) =>
      policyPeers(spec, direction).flatMap((peer) => {
        const named = namedNamespacePeer(peer);
        if (named === undefined || named.namespace === object.metadata?.namespace || !namespaces.has(named.namespace)) return [];
        return [{ path, name: object.metadata?.name ?? '', way: direction === 'ingress' ? 'ingress from' : 'egress to', ...named }];
      }),
    );
  });
  // most projects have no such peer: the workloads are read only for the namespaces peers name
  if (peers.length === 0) return [];
  const pods = new Map<string, NamedPods[]>(
    [...new Set(peers.map((p) => p.namespace))].map((namespace) => [
      namespace,
      podLabelSets(rendered.filter((r) => r.object.metadata?.namespace === namespace)).map((set) => ({ kind: set.kind, name: set.name, podLabels: set.labels })),
    ]),
  );
  return peers.flatMap((peer) => {
    const there = pods.get(peer.namespace) ?? [];
    // a namespace with no workload holds pods a controller makes (a Gateway's proxies), whose labels synth does not know;
    // a label Kubernetes refuses is the problem its construct reports, not a second one here
    if (there.length === 0 || there.some((w) => selects(peer.pods, w.podLabels)) || checkLabels(peer.pods, 'selector').length > 0) return [];
    return [
      `${peer.path}: NetworkPolicy "${peer.name}" allows ${peer.way} pods ${JSON.stringify(peer.pods)} of namespace ${peer.namespace}, which no workload there has (nearest: ${nearestWorkloads(peer.pods, there)}): fix the peer's labels to match the pods', or name the namespace they run in`,
    ];
  });
}
