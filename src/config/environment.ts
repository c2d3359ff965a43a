/**
 * The typed environment model: everything that differs between environments, in one
 * type. Every field is required, so a new environment that forgets a value, or a
 * misspelled key, is a compile error (`satisfies` in environments.ts).
 *
 * Release state that CD flips often (image, canary weight, active colour) is not here:
 * it lives in release/<env>.json, validated at load (release-state.ts).
 */

import type { PlatformSettings } from '../patterns/platform-settings';
import type { ComputeResources, LimitRangeConfig, QuotaConfig } from '../patterns/resources';

export type { ComputeResources, LimitRangeConfig, QuotaConfig };

/** The environments the blueprint is synthesized for, in promotion order. */
export const ENVIRONMENT_NAMES = ['dev', 'test', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Sizing of one namespace of the platform. */
export interface TenancyConfig {
  readonly quota: QuotaConfig;
  readonly limits: LimitRangeConfig;
}

/** How the app's database password reaches the cluster. */
export type SecretSource =
  /** dev/test: the Secret is created from a non-sensitive placeholder value. */
  | { readonly kind: 'placeholder'; readonly value: string }
  /** staging/prod: a Secret made outside the repo (000:L110-111), referenced by name only. */
  | { readonly kind: 'existing'; readonly secretName: string };

/** Which API carries HTTP routing and canary traffic splits in this environment. */
export type TrafficApi =
  | { readonly kind: 'ingress-nginx'; readonly className: string }
  | { readonly kind: 'gateway-api'; readonly gatewayName: string; readonly gatewayNamespace: string };

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
  readonly releaseStrategy: 'rolling' | 'canary' | 'blue-green';
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

export interface EnvironmentConfig extends PlatformSettings {
  readonly name: EnvironmentName;
  readonly traffic: TrafficApi;
  readonly developers: readonly DeveloperConfig[];
  readonly developerTenancy: TenancyConfig;
  readonly apps: {
    readonly goMultiroute: GoMultirouteConfig;
    readonly mysql: MysqlConfig;
  };
}
