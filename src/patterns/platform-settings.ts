/**
 * The environment-wide settings the pattern constructs read from the NamespacedApp they
 * live in: who owns the objects, how strict image pinning is, where pods may run.
 * The blueprint's EnvironmentConfig carries them (and more); constructs need only these.
 */
import * as k8s from '../../imports/k8s';

export interface PlatformSettings {
  /** Environment name, written to every object's `k8s-iac.dev/environment` label. */
  readonly name: string;
  /** Team that owns the objects: `owner` label and `email` annotation. */
  readonly owner: { readonly team: string; readonly email: string };
  /** DNS suffix of the cluster (for stable pod DNS names). */
  readonly clusterDomain: string;
  /** Images must carry a digest as well as a tag. */
  readonly requireImageDigest: boolean;
  /** Namespace of the ingress controller, admitted into exposed apps by NetworkPolicy. */
  readonly ingressControllerNamespace: string;
  /** Spread replicas across zones as well as nodes. */
  readonly spreadAcrossZones: boolean;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly k8s.Toleration[];
  /** StorageClass of volume claims. */
  readonly storageClass: string;
}
