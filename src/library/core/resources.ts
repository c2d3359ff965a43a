/**
 * Compute and storage amounts as the pattern constructs take them, and the per-namespace
 * budget types (ResourceQuota, LimitRange) the environments size.
 */
import * as k8s from '../../../imports/k8s';

/** CPU and memory amounts, as Kubernetes quantities (`100m`, `15Mi`). */
export interface ComputeAmount {
  readonly cpu: string;
  readonly memory: string;
}

/** Container requests and limits; always both (000:L852-856: a quota rejects pods without them). */
export interface ComputeResources {
  readonly requests: ComputeAmount;
  readonly limits: ComputeAmount;
}

/** A namespace's ResourceQuota: the ceiling on the sum of what its objects ask for. */
export interface QuotaConfig {
  readonly requests: ComputeAmount;
  readonly limits: ComputeAmount;
  /** Sum of PVC storage requests. */
  readonly storage: string;
  readonly persistentVolumeClaims: number;
  readonly pods: number;
  readonly services: number;
  readonly configMaps: number;
  readonly secrets: number;
}

/**
 * A ResourceQuota scoped to the pods of one PriorityClass (000 §6.8): caps what work of
 * that class may take of the namespace, e.g. batch work that must leave room for the
 * service, or a high class only a few pods may use.
 */
export interface PriorityQuotaConfig {
  /** The PriorityClass whose pods the quota counts. */
  readonly priorityClassName: string;
  /** Most pods of the class at once. */
  readonly pods: number;
  /** Sum of the requests of the class's pods. */
  readonly requests: ComputeAmount;
  /** Sum of the limits of the class's pods. */
  readonly limits: ComputeAmount;
}

/** A namespace's LimitRange: per-object bounds and the defaults for containers that omit them. */
export interface LimitRangeConfig {
  readonly container: {
    readonly defaultRequest: ComputeAmount;
    readonly default: ComputeAmount;
    readonly min: ComputeAmount;
    readonly max: ComputeAmount;
    /** Largest limit/request ratio, e.g. `{ cpu: '4', memory: '10' }`. */
    readonly maxLimitRequestRatio: ComputeAmount;
  };
  readonly pod: { readonly max: ComputeAmount };
  readonly persistentVolumeClaim: { readonly min: string; readonly max: string };
}

/** Renders an amount as the L1 `{ cpu, memory }` quantity map. */
export function quantities(amount: ComputeAmount): Record<string, k8s.Quantity> {
  return { cpu: k8s.Quantity.fromString(amount.cpu), memory: k8s.Quantity.fromString(amount.memory) };
}

/** Sizing of one namespace: its ResourceQuota and its LimitRange. */
export interface TenancyConfig {
  readonly quota: QuotaConfig;
  readonly limits: LimitRangeConfig;
  /** Quotas scoped to one PriorityClass each. @default - none */
  readonly priorityQuotas?: readonly PriorityQuotaConfig[];
}
