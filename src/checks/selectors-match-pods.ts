/**
 * A Service or NetworkPolicy whose selector matches no pod of its namespace does
 * nothing, and is nearly always a mistyped label: the Service has no endpoints, the
 * policy protects nothing. Empty selectors (every pod) are exempt: the default-deny
 * policies apply to the namespace, pods or not.
 */
import type { Labels } from '../patterns/labels';
import type { WorkloadFootprint } from './footprint';

/** An object that selects pods of its namespace by labels. */
export interface PodSelector {
  readonly kind: 'Service' | 'NetworkPolicy' | 'PodDisruptionBudget';
  readonly name: string;
  readonly selector: Labels;
}

export function selects(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function selectorsMatchPods(selectors: readonly PodSelector[], workloads: readonly WorkloadFootprint[]): string[] {
  return selectors
    .filter((s) => Object.keys(s.selector).length > 0)
    .filter((s) => !workloads.some((w) => selects(s.selector, w.podLabels)))
    .map((s) => {
      const nearest = workloads.map((w) => `${w.kind} ${w.name} has ${JSON.stringify(w.podLabels)}`).join('; ');
      return `${s.kind} "${s.name}" selects no pods: selector ${JSON.stringify(s.selector)} matches no workload in the namespace (${nearest || 'no workloads'}): fix the selector labels to match the pods'`;
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
        .filter((w) => selects(s.selector, w.podLabels) && !w.readinessProbe)
        .map((w) => `${w.path}: Service "${s.name}" routes to the pods of ${w.kind} ${w.name}, which have no readiness probe: add container.readinessProbe (an HTTP check of the app, not just the port)`),
    );
}
