/**
 * Compute and storage amounts as the pattern constructs take them, and the per-namespace
 * budget types (ResourceQuota, LimitRange) the environments size.
 */
import * as k8s from '../../../imports/k8s';

/** CPU and memory amounts, as Kubernetes quantities (`100m`, `15Mi`). */
export interface ComputeAmount {
  /** CPU in cores or millicores, e.g. `100m` or `2`. */
  readonly cpu: string;
  /** Memory in bytes with a binary or decimal suffix, e.g. `128Mi`. */
  readonly memory: string;
}

/** Container requests and limits; always both (000:L852-856: a quota rejects pods without them). */
export interface ComputeResources {
  /** What the scheduler reserves for the container and the quota counts. */
  readonly requests: ComputeAmount;
  /** The most the container may use: throttled above the CPU limit, killed above the memory limit. */
  readonly limits: ComputeAmount;
}

/** A namespace's ResourceQuota: the ceiling on the sum of what its objects ask for. */
export interface QuotaConfig {
  /** Sum of the requests of all pods. */
  readonly requests: ComputeAmount;
  /** Sum of the limits of all pods. */
  readonly limits: ComputeAmount;
  /** Sum of PVC storage requests. */
  readonly storage: string;
  /** Most PersistentVolumeClaims, those of StatefulSets included. */
  readonly persistentVolumeClaims: number;
  /** Most pods at once, rollout surge and autoscaling maximum included. */
  readonly pods: number;
  /** Most Services. */
  readonly services: number;
  /** Most ConfigMaps. */
  readonly configMaps: number;
  /** Most Secrets. */
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
  /** Bounds and defaults of each container. */
  readonly container: {
    /** Requests of a container that declares none. */
    readonly defaultRequest: ComputeAmount;
    /** Limits of a container that declares none. */
    readonly default: ComputeAmount;
    /** Smallest request a container may declare. */
    readonly min: ComputeAmount;
    /** Largest limit a container may declare. */
    readonly max: ComputeAmount;
    /** Largest limit/request ratio, e.g. `{ cpu: '4', memory: '10' }`. */
    readonly maxLimitRequestRatio: ComputeAmount;
  };
  /** Largest sum of the limits of one pod's containers. */
  readonly pod: { readonly max: ComputeAmount };
  /** Smallest and largest storage request of one PersistentVolumeClaim. */
  readonly persistentVolumeClaim: { readonly min: string; readonly max: string };
}

/**
 * Relative slack for comparing sums, products and ratios of quantities: decimal amounts
 * (`0.1`, `100m`) are not exact in binary floating point, so 3 x 0.1 would read as above 0.3.
 */
export const QUANTITY_SLACK = 1 + 1e-9;

/** Renders an amount as the L1 `{ cpu, memory }` quantity map. */
export function quantities(amount: ComputeAmount): Record<string, k8s.Quantity> {
  return { cpu: k8s.Quantity.fromString(amount.cpu), memory: k8s.Quantity.fromString(amount.memory) };
}

/** Sizing of one namespace: its ResourceQuota and its LimitRange. */
export interface TenancyConfig {
  /** The namespace's ResourceQuota. */
  readonly quota: QuotaConfig;
  /** The namespace's LimitRange. */
  readonly limits: LimitRangeConfig;
  /** Quotas scoped to one PriorityClass each. @default - none */
  readonly priorityQuotas?: readonly PriorityQuotaConfig[];
}
