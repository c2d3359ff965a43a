/**
 * A Service, NetworkPolicy or PodDisruptionBudget whose selector matches no pod of its
 * namespace does nothing, and is nearly always a mistyped label: the Service has no
 * endpoints, the policy protects nothing. Empty selectors (every pod) are exempt: the
 * default-deny policies apply to the namespace, pods or not.
 */
import type { Labels } from '../core/labels';
import { RenderedObject, WorkloadFootprint, selects } from '../core/workloads';

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
    return object.kind === 'NetworkPolicy' ? [...own, ...peerSelectors(spec, path, name)] : own;
  });
}

/** The peers of a NetworkPolicy's rules that pick pods of its own namespace by labels (no namespaceSelector, no ipBlock). */
export function sameNamespacePeers(rule: Json, direction: 'ingress' | 'egress'): Labels[] {
  const peers = (rule[direction === 'ingress' ? 'from' : 'to'] ?? []) as unknown;
  if (!Array.isArray(peers)) return [];
  return peers.flatMap((peer: Json) => {
    if (typeof peer !== 'object' || peer === null || peer.namespaceSelector !== undefined || peer.ipBlock !== undefined || peer.podSelector === undefined) return [];
    const selector = plainSelector(peer.podSelector);
    return selector === undefined ? [] : [selector];
  });
}

function peerSelectors(spec: Json, path: string, name: string): PodSelector[] {
  return (['ingress', 'egress'] as const).flatMap((direction) => {
    const rules = Array.isArray(spec[direction]) ? (spec[direction] as Json[]) : [];
    return rules.flatMap((rule) => sameNamespacePeers(rule, direction).map((selector) => ({ path, kind: 'NetworkPolicy', name, selector, peer: direction === 'ingress' ? ('ingress from' as const) : ('egress to' as const) })));
  });
}

function plainSelector(value: unknown): Labels | undefined {
  const selector = (value ?? {}) as Json;
  if (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0) return undefined;
  return asLabels(selector.matchLabels ?? {});
}

/** How many workloads a message about an unmatched selector shows. */
const NEAREST_SHOWN = 3;

/** The workloads whose pod labels share the most entries with `selector`, as a message shows them. */
function nearestWorkloads(selector: Labels, workloads: readonly WorkloadFootprint[]): string {
  if (workloads.length === 0) return 'no workloads';
  const shared = (w: WorkloadFootprint) => Object.entries(selector).filter(([k, v]) => w.podLabels[k] === v).length;
  const nearest = [...workloads].sort((a, b) => shared(b) - shared(a)).slice(0, NEAREST_SHOWN);
  const more = workloads.length - nearest.length;
  return `${nearest.map((w) => `${w.kind} ${w.name} has ${JSON.stringify(w.podLabels)}`).join('; ')}${more > 0 ? `; ${more} more` : ''}`;
}

/** Selectors that match no workload's pods, each named by the object's construct path. */
export function selectorsMatchPods(selectors: readonly PodSelector[], workloads: readonly WorkloadFootprint[]): string[] {
  return selectors
    .filter((s) => Object.keys(s.selector).length > 0)
    .filter((s) => !workloads.some((w) => selects(s.selector, w.podLabels)))
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
