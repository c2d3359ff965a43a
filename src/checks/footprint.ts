/**
 * What a workload asks of its namespace at its largest: the cross-resource checks add
 * these up against the namespace's ResourceQuota and LimitRange.
 */
import type { ComputeResources } from '../patterns/resources';
import type { Labels } from '../patterns/labels';

export interface ContainerFootprint {
  readonly name: string;
  readonly resources: ComputeResources;
}

export interface ClaimFootprint {
  /** volumeClaimTemplate name. */
  readonly name: string;
  readonly size: string;
}

export interface WorkloadFootprint {
  /** Construct path, for error messages. */
  readonly path: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  /** Labels on the pods (a NetworkPolicy selects pods by these). */
  readonly podLabels: Labels;
  /**
   * Most pods that can exist at once: replicas (or the HPA maximum where an HPA owns
   * them) plus the rolling-update surge.
   */
  readonly maxPods: number;
  /** How maxPods was reached, e.g. "HPA max 6 + surge 2". */
  readonly maxPodsReason: string;
  readonly containers: readonly ContainerFootprint[];
  /** Whether the pods declare a readiness probe (a Service must only route to ready pods). */
  readonly readinessProbe: boolean;
  /** Volume claims each pod gets (StatefulSet volumeClaimTemplates). */
  readonly claims: readonly ClaimFootprint[];
}

/** A construct that runs pods in a NamespacedApp and reports its footprint at synth. */
export interface ResourceConsumer {
  footprint(): WorkloadFootprint;
}
