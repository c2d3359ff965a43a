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
export interface PlatformValues {
  readonly traffic: TrafficApi;
  readonly developers: readonly DeveloperConfig[];
  readonly developerTenancy: TenancyConfig;
  readonly apps: {
    readonly goMultiroute: GoMultirouteConfig;
    readonly mysql: MysqlConfig;
  };
}

/** One environment of the reference platform. */
export type PlatformEnvironment = Environment<PlatformValues>;
