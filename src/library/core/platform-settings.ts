/**
 * The environment-wide settings the pattern constructs read from the NamespacedApp they
 * live in: who owns the objects, how strict image pinning is, where pods may run.
 * An environment gives them as a PlatformSettingsInput: only the owner is required, every
 * other setting has the safe default of PLATFORM_DEFAULTS.
 */
import * as k8s from '../../../imports/k8s';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, checkLabelValue, checkNonNegativeInteger, checkTolerations, describeValue, errors } from './validation';

/** Who to call about an object: the `owner` label and the `email` annotation. */
export interface Owner {
  /** Team name, a label value. */
  readonly team: string;
  /** Address people and kube-linter read from the `email` annotation. */
  readonly email: string;
}

/** Every platform setting, resolved. */
export interface PlatformSettings {
  /** Environment name, written to every object's `k8s-iac.dev/environment` label. */
  readonly name: string;
  /** Team that owns the objects: `owner` label and `email` annotation. */
  readonly owner: Owner;
  /** DNS suffix of the cluster (for stable pod DNS names). */
  readonly clusterDomain: string;
  /** Images must carry a digest as well as a tag. */
  readonly requireImageDigest: boolean;
  /**
   * AppSecret may make a Secret from a value written in the project (its `placeholder`
   * source): for dev and test clusters, where the value guards nothing. Elsewhere a Secret
   * is made outside the repository and only named, so no credential is ever committed.
   * @default false
   */
  readonly placeholderSecrets: boolean;
  /** Namespace of the ingress controller, admitted into exposed apps by NetworkPolicy. */
  readonly ingressControllerNamespace: string;
  /** Spread replicas across zones as well as nodes (ScheduleAnyway: never blocks scheduling). */
  readonly spreadAcrossZones: boolean;
  /** Node labels every pod must match. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Taints every pod tolerates. */
  readonly tolerations: readonly k8s.Toleration[];
  /** StorageClass of volume claims. @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** PriorityClass of every pod that does not name its own. @default - none: the cluster's default priority */
  readonly priorityClassName?: string;
  /** Nodes a DaemonSet runs one pod on each of; the quota check counts that many pods. @default - not stated: a DaemonSet in a namespace with a quota is an error until it is */
  readonly nodeCount?: number;
  /**
   * cert-manager ClusterIssuer that issues the certificates of the Ingresses (and of an
   * AppGateway given it); unset serves plain HTTP. It must solve DNS-01 challenges: an
   * HTTP-01 solver is a pod and a Service cert-manager makes in the app's namespace, where
   * default-deny keeps the ingress controller from it (and the quota and LimitRange may
   * refuse it). @default - no TLS
   */
  readonly tlsClusterIssuer?: string;
}

/** An environment's settings as written: the owner, and any default it changes. */
export type PlatformSettingsInput = { readonly owner: Owner } & Partial<Omit<PlatformSettings, 'name' | 'owner'>>;

/** The safe value of every setting that has one. */
export const PLATFORM_DEFAULTS = {
  /** The kubeadm and managed-cluster default. */
  clusterDomain: 'cluster.local',
  /** A tag can be moved to other bytes; a digest cannot (000 §2.5.2). */
  requireImageDigest: true,
  /** A value committed to the repository is no secret (000:L110-111): an environment says it takes placeholders. */
  placeholderSecrets: false,
  /** Where the ingress-nginx chart installs its controller. */
  ingressControllerNamespace: 'ingress-nginx',
  /** Zone spreading is a preference (ScheduleAnyway), so a one-zone cluster still schedules. */
  spreadAcrossZones: true,
  nodeSelector: {},
  tolerations: [],
} as const satisfies Omit<PlatformSettings, 'name' | 'owner'>;

/**
 * What the API server would refuse of an environment's settings, on every object or pod
 * that carries them: the owner label, names of cluster objects the pods refer to, the node
 * selector and the tolerations. Each problem names the setting.
 */
export function checkPlatformSettings(settings: PlatformSettings): string[] {
  const optional = (value: string | undefined, what: string) => (value === undefined ? undefined : checkDnsSubdomain(value, what));
  return [
    ...errors(
      checkLabelValue(settings.name, 'name (the environment label of every object)'),
      ...checkOwner(settings.owner),
      checkDnsSubdomain(settings.clusterDomain, 'clusterDomain'),
      checkDnsLabel(settings.ingressControllerNamespace, 'ingressControllerNamespace'),
      checkBoolean(settings.requireImageDigest, 'requireImageDigest'),
      checkBoolean(settings.placeholderSecrets, 'placeholderSecrets'),
      checkBoolean(settings.spreadAcrossZones, 'spreadAcrossZones'),
      optional(settings.storageClass, 'storageClass'),
      optional(settings.priorityClassName, 'priorityClassName'),
      optional(settings.tlsClusterIssuer, 'tlsClusterIssuer'),
      settings.nodeCount === undefined ? undefined : checkNonNegativeInteger(settings.nodeCount, 'nodeCount'),
    ),
    ...checkLabels(settings.nodeSelector, 'nodeSelector'),
    ...checkTolerations(settings.tolerations, 'tolerations'),
  ];
}

/** Every setting, so that a misspelt one is named rather than dropped without a word. */
const SETTING_NAMES: Readonly<Record<keyof PlatformSettings, true>> = {
  name: true,
  owner: true,
  clusterDomain: true,
  requireImageDigest: true,
  placeholderSecrets: true,
  ingressControllerNamespace: true,
  spreadAcrossZones: true,
  nodeSelector: true,
  tolerations: true,
  storageClass: true,
  priorityClassName: true,
  nodeCount: true,
  tlsClusterIssuer: true,
};

/**
 * A warning for each key of `settings` that is no setting: nothing reads it. A warning, not a
 * problem: TypeScript takes extra keys of an object passed in a variable (shared settings may
 * carry a project's own), and only a literal's misspelling is caught by the compiler.
 */
export function unknownSettings(settings: PlatformSettings): string[] {
  const known = Object.keys(SETTING_NAMES).filter((k) => k !== 'name');
  return Object.keys(settings)
    .filter((key) => !Object.prototype.hasOwnProperty.call(SETTING_NAMES, key))
    .map((key) => `${key} is not a setting, so nothing reads it: if it is one misspelt, use one of ${known.join(', ')}`);
}

/** The owner's team (the owner label of every object) and email (the annotation people and kube-linter read). */
function checkOwner(owner: Owner | undefined): (string | undefined)[] {
  if (typeof owner !== 'object' || owner === null) return [`owner is ${describeValue(owner)}: give the team that owns the objects and its address, e.g. owner: { team: 'shop', email: 'shop@example.com' }`];
  return [checkLabelValue(owner.team, 'owner.team (the owner label of every object)'), checkOwnerEmail(owner.email)];
}

/** What kube-linter's required-annotation-email looks for in the email annotation (v0.8.3, unanchored: the value must hold such an address). */
const LINTED_EMAIL = /[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+/;

/** The owner's address: text holding an address, which the email annotation of every object carries and kube-linter requires. */
function checkOwnerEmail(email: unknown): string | undefined {
  const fix = 'give the address people reach the owning team at (the email annotation of every object), e.g. shop@example.com';
  if (typeof email !== 'string' || email.trim() === '') return `owner.email is ${describeValue(email)}: ${fix}`;
  return LINTED_EMAIL.test(email) ? undefined : `owner.email ${JSON.stringify(email)} is not an email address (name@domain.tld), which kube-linter's required-annotation-email asks of the annotation: ${fix}`;
}

/** A flag, which a JavaScript project may give as text ("false" is true to JavaScript). */
function checkBoolean(value: boolean, what: string): string | undefined {
  return typeof value === 'boolean' ? undefined : `${what} is ${describeValue(value)}: use true or false`;
}

/**
 * Tree context under which the synth runner puts the settings of the environment it
 * builds, having checked them itself: a NamespacedApp given those very settings leaves
 * them to that one check (one message per environment, not one per namespace), and checks
 * any other settings it is given.
 */
export const CHECKED_SETTINGS_CONTEXT = 'k8s-iac:checked-settings';

/** The settings of environment `name`: the input over PLATFORM_DEFAULTS. */
export function platformSettings(name: string, input: PlatformSettingsInput): PlatformSettings {
  return { name, ...PLATFORM_DEFAULTS, ...input };
}
