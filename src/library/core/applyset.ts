/**
 * The ApplySet of an environment (kubectl's pruning, KEP-3659): one parent object names
 * the set, every member carries the parent's id, so `kubectl apply --prune --applyset`
 * deletes the members a new apply no longer holds and nothing else. The names and formats
 * are kubectl 1.28's (k8s.io/kubectl/pkg/cmd/apply/applyset.go), which checks them.
 */
import { createHash } from 'node:crypto';

/** The labels and annotations of the ApplySet specification. */
export const APPLYSET = {
  /** On every member: the id of its set's parent. */
  partOf: 'applyset.kubernetes.io/part-of',
  /** On the parent: its own id. */
  id: 'applyset.kubernetes.io/id',
  /** On the parent: the tool that applies the set, `<name>/<version>`. */
  tooling: 'applyset.kubernetes.io/tooling',
  /** On the parent: the members' resources, `<plural>.<group>`, sorted; kubectl 1.28 reads only this form. */
  containsGroupResources: 'applyset.kubernetes.io/contains-group-resources',
  /** On a CRD: its custom resources may be parents. */
  isParentType: 'applyset.kubernetes.io/is-parent-type',
} as const;

/** What identifies a parent object: the id hashes these four. */
export interface ApplySetParentRef {
  /** Name of the parent object. */
  readonly name: string;
  /** @default - none: a cluster-scoped parent */
  readonly namespace?: string;
  /** Kind of the parent object, e.g. `Secret` or `ConfigMap`. */
  readonly kind: string;
  /** API group; '' for the core group. */
  readonly group: string;
}

/** kubectl's id of a parent: `applyset-` + base64url(sha256(`<name>.<namespace>.<kind>.<group>`)) + `-v1`. */
export function applySetId(parent: ApplySetParentRef): string {
  const hash = createHash('sha256').update([parent.name, parent.namespace ?? '', parent.kind, parent.group].join('.')).digest('base64url');
  return `applyset-${hash}-v1`;
}

/** The API group of an `apiVersion`: '' for the core group's `v1`. */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * The resource of a kind as `<plural>[.<group>]`, pluralized as the API machinery guesses
 * it (apimachinery's meta.UnsafeGuessKindToResource), which gives the plural of every
 * built-in kind, except that a vowel before the final `y` takes an `s`: the guess says
 * `gatewaies`, the Gateway API CRD names `gateways`, and kubectl resolves the annotation
 * through the cluster's real resources.
 */
export function groupResource(kind: string, group: string): string {
  const singular = kind.toLowerCase();
  const plural = singular.endsWith('endpoints')
    ? singular
    : singular.endsWith('s')
      ? `${singular}es`
      : /[^aeiou]y$/.test(singular)
        ? `${singular.slice(0, -1)}ies`
        : `${singular}s`;
  return group === '' ? plural : `${plural}.${group}`;
}
