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

export const MANAGED_BY = 'k8s-iac';

/** The annotation kube-linter and people read to reach an object's owners. */
export const OWNER_EMAIL_ANNOTATION = 'email';

export type Labels = Readonly<Record<string, string>>;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label values are at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
export function checkLabelValue(value: string, what: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `${what} "${value}" is not a valid label value: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}
