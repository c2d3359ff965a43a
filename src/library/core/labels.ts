/**
 * The label set every object carries (001:L4514-4518), and the few that select pods.
 * Selectors are immutable on Deployments and StatefulSets, so they only hold labels that
 * never change for the life of the object: the app name, and the release track or colour.
 */

export const LABELS = {
  name: 'app.kubernetes.io/name',
  version: 'app.kubernetes.io/version',
  partOf: 'app.kubernetes.io/part-of',
  /** The workload object's own name: tells apart the Deployments of one app (stable, canary, colours). */
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  environment: 'k8s-iac.dev/environment',
  owner: 'owner',
  /** Release track of a Deployment: stable or canary. */
  track: 'release.k8s-iac.dev/track',
  /** Colour of one half of a blue-green pair. */
  colour: 'release.k8s-iac.dev/colour',
  /** Role of a blue-green Service: active (serves users) or preview (the idle colour). */
  role: 'release.k8s-iac.dev/role',
} as const;

/** The `app.kubernetes.io/managed-by` value of every object this library makes. */
export const MANAGED_BY = 'k8s-iac';

/** The label every namespace carries with its own name (Kubernetes sets it): how a selector names one namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The annotation kube-linter and people read to reach an object's owners. */
export const OWNER_EMAIL_ANNOTATION = 'email';

/** Kubernetes labels (or a label selector of equalities): key to value. */
export type Labels = Readonly<Record<string, string>>;
