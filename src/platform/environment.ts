/**
 * The reference platform's per-environment values: everything that differs between its
 * environments besides the platform settings, in one type. Every field is required, so
 * an environment that forgets a value, or misspells one, is a compile error
 * (`defineEnvironments<PlatformValues>()` in environments.ts).
 *
 * Release state that CD flips often (image, canary weight, active colour) is not here:
 * it lives in release/<env>.json.
 */
import type { ComputeResources, Environment, ReleaseStrategy, SecretSource, TenancyConfig, TrafficApi } from 'k8s-iac';

/** A developer given a namespace of their own in a shared cluster (000 §2.2, new_user.sh). */
export interface DeveloperConfig {
  /** DNS-1123 label; the namespace is `dev-<name>`. */
  readonly name: string;
  /** The Kubernetes user (as the cluster's authenticator names it). */
  readonly user: string;
  readonly access: 'view' | 'edit';
}

/** Autoscaling bounds for the reference app where an HPA owns its replicas. */
export interface AutoscalingConfig {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization: number;
}

/** The reference app's values in one environment. */
export interface GoMultirouteConfig {
  readonly namespace: string;
  readonly host: string;
  readonly replicas: number;
  readonly resources: ComputeResources;
  readonly secret: SecretSource;
  /** An HPA owns the replicas when set; `false` keeps a fixed replica count. */
  readonly autoscaling: AutoscalingConfig | false;
  /** How releases reach users: rolling update, a canary beside the stable version, or blue-green. */
  readonly releaseStrategy: ReleaseStrategy;
  readonly tenancy: TenancyConfig;
}

/** The MySQL StatefulSet's values in one environment. */
export interface MysqlConfig {
  readonly namespace: string;
  readonly replicas: number;
  readonly resources: ComputeResources;
  readonly storageSize: string;
  readonly secret: SecretSource;
  readonly tenancy: TenancyConfig;
}

/** Everything the reference platform's blueprints read from one environment. */
/** Where the log collector sends the logs. */
export type LogStore =
  /** Its own output, read with `kubectl logs` (dev and test: nothing to keep). */
  | { readonly kind: 'stdout' }
  /** A Fluentd (or fluent-bit) aggregator outside the cluster, over the forward protocol. */
  | { readonly kind: 'forward'; readonly host: string; readonly port: number };

/** The log collector of every node (log-collector.ts). */
export interface LoggingConfig {
  readonly namespace: string;
  readonly store: LogStore;
  readonly resources: ComputeResources;
  readonly tenancy: TenancyConfig;
}

export interface PlatformValues {
  readonly traffic: TrafficApi;
  readonly developers: readonly DeveloperConfig[];
  readonly developerTenancy: TenancyConfig;
  readonly apps: {
    readonly goMultiroute: GoMultirouteConfig;
    readonly mysql: MysqlConfig;
  };
  readonly logging: LoggingConfig;
}

/** One environment of the reference platform. */
export type PlatformEnvironment = Environment<PlatformValues>;
