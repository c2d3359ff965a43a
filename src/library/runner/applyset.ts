/**
 * Every environment is one ApplySet (KEP-3659), written into its folder: a cluster-scoped
 * parent of the library's own type (with the CRD that makes the type a parent type), and
 * the parent's id on every other object. kubectl's pruning deletes the members a new
 * apply no longer holds; the labels in the files make objects applied by any tool
 * (kubectl -k, Argo CD, Flux) members that a later prune sees.
 */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { APPLYSET, applySetId, groupOf, groupResource } from '../core/applyset';
import { APPLYSET_GROUP, APPLYSET_KIND, APPLYSET_TOOLING } from '../core/defaults';
import { LABELS, MANAGED_BY } from '../core/labels';
import type { KubeObject } from '../core/workloads';
import { fileFor, Manifest } from './synthesize';

/** Version of the parent type. */
const APPLYSET_VERSION = 'v1';
/** Plural of the parent type, also its CRD's name prefix. */
const APPLYSET_PLURAL = 'applysets';
/** The parent type as kubectl's `--applyset` takes it: `<plural>.<group>`. */
export const APPLYSET_RESOURCE = `${APPLYSET_PLURAL}.${APPLYSET_GROUP}`;
/** Annotation on the parent: the namespaces of its members (kubectl 1.28 prunes only in these). */
const ADDITIONAL_NAMESPACES = 'applyset.kubernetes.io/additional-namespaces';

/** The id every member of the set named `parentName` carries. */
export function environmentApplySetId(parentName: string): string {
  return applySetId({ name: parentName, kind: APPLYSET_KIND, group: APPLYSET_GROUP });
}

/** Whether a rendered object is the parent of an ApplySet. */
export function isApplySetParent(object: KubeObject): boolean {
  return object.metadata?.labels?.[APPLYSET.id] !== undefined;
}

/** Whether a rendered object is the CRD of the parent type. */
export function isApplySetParentType(object: KubeObject): boolean {
  return object.kind === 'CustomResourceDefinition' && object.metadata?.labels?.[APPLYSET.isParentType] !== undefined;
}

/** The CRD that makes ApplySet a cluster-scoped type kubectl accepts as a parent. */
function parentTypeDefinition(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { labels: sortedKeys({ [APPLYSET.isParentType]: 'true', [LABELS.managedBy]: MANAGED_BY }), name: APPLYSET_RESOURCE },
    spec: {
      group: APPLYSET_GROUP,
      names: { kind: APPLYSET_KIND, listKind: `${APPLYSET_KIND}List`, plural: APPLYSET_PLURAL, singular: APPLYSET_KIND.toLowerCase() },
      scope: 'Cluster',
      versions: [
        {
          name: APPLYSET_VERSION,
          // the parent is all metadata: its labels and annotations name the set
          schema: { openAPIV3Schema: { description: 'The parent of an ApplySet: its labels and annotations name the set and its members.', type: 'object' } },
          served: true,
          storage: true,
        },
      ],
    },
  };
}

/** Sorted, de-duplicated, comma-separated: the form of the parent's list annotations. */
function list(values: readonly string[]): string {
  return [...new Set(values)].sort().join(',');
}

function parentObject(name: string, members: readonly Manifest[]): KubeObject {
  const namespaces = members.flatMap((m) => (m.namespace === undefined ? [] : [m.namespace]));
  return {
    apiVersion: `${APPLYSET_GROUP}/${APPLYSET_VERSION}`,
    kind: APPLYSET_KIND,
    metadata: {
      annotations: {
        [ADDITIONAL_NAMESPACES]: list(namespaces),
        [APPLYSET.containsGroupResources]: list(members.map((m) => groupResource(m.kind, groupOf(m.object.apiVersion ?? '')))),
        [APPLYSET.tooling]: APPLYSET_TOOLING,
      },
      labels: sortedKeys({ [APPLYSET.id]: environmentApplySetId(name), [LABELS.managedBy]: MANAGED_BY }),
      name,
    },
  };
}

/** `record` with its keys in code-unit order, the order of every rendered object's keys. */
function sortedKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `object` with the member label: itself where it has the label already (labelApplySetMembers put it on before rendering). */
function labelled(object: KubeObject, id: string): KubeObject {
  if (object.metadata?.labels?.[APPLYSET.partOf] === id) return object;
  return { ...object, metadata: sortedKeys({ ...object.metadata, labels: sortedKeys({ ...object.metadata?.labels, [APPLYSET.partOf]: id }) }) };
}

/**
 * Puts the member label of the set named `parentName` on every ApiObject under `root`,
 * before rendering: the renderer then sorts it in with the other labels, and withApplySet
 * copies no object to add it.
 */
export function labelApplySetMembers(root: IConstruct, parentName: string): void {
  const id = environmentApplySetId(parentName);
  for (const c of root.node.findAll()) if (ApiObject.isApiObject(c)) c.metadata.addLabel(APPLYSET.partOf, id);
}

/** A cluster-scoped object as a manifest; `path` stands for the construct path it has none of. */
function manifest(object: KubeObject, path: string): Manifest {
  const name = object.metadata?.name ?? '';
  const kind = object.kind ?? '';
  return { file: fileFor(kind, name, undefined), kind, name, path, object };
}

/**
 * The manifests of one environment as an ApplySet named `parentName`: the parent type's
 * CRD and the parent first (kubectl needs both before the members), then every member
 * with the `applyset.kubernetes.io/part-of` label.
 */
export function withApplySet(manifests: readonly Manifest[], parentName: string): Manifest[] {
  const id = environmentApplySetId(parentName);
  return [
    manifest(parentTypeDefinition(), 'ApplySet/Definition'),
    manifest(parentObject(parentName, manifests), 'ApplySet/Parent'),
    ...manifests.map((m) => ({ ...m, object: labelled(m.object, id) })),
  ];
}
