/**
 * Synthesis of one environment to plain YAML, in memory. The kustomization lists the
 * objects in apply order: what `addDependency` asks for, then the kind order.
 *
 * cdk8s's own `App.synth()` re-resolves dependencies and re-validates the whole app for
 * every chart (`Chart.toJson` -> `App._synthChart`), so its cost grows with
 * charts x constructs. Here the tree is walked once: every construct is validated once,
 * every ApiObject rendered once; output order comes from a stable sort, not from the
 * dependency graph, so the cost is linear in the number of objects.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import YAML from 'yaml';
import { KubeObject, RenderedObject, nonFiniteFields } from '../core/workloads';
import { checkNamespacedApps } from '../checks/namespace-checks';
import { dependencyEdges, orderByDependencies } from './dependency-order';

/** One rendered object and the file it goes to. */
export interface Manifest {
  /** Path inside dist/<env>/, e.g. `go-multiroute/deployment-go-multiroute.yaml`. */
  readonly file: string;
  readonly kind: string;
  /** @default - none: a cluster-scoped object */
  readonly namespace?: string;
  readonly name: string;
  /** Construct path of the ApiObject that made it. */
  readonly path: string;
  readonly object: KubeObject;
}

/** All validation errors of one synth, each naming the construct path and the fix. */
export class SynthError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`synth failed with ${problems.length} error${problems.length === 1 ? '' : 's'}; nothing was written:\n  ${problems.join('\n  ')}`);
    this.name = 'SynthError';
  }
}

/** Apply order: what others depend on first (kubectl and kustomize accept any order, people read this one). */
const KIND_ORDER = [
  'CustomResourceDefinition',
  'PriorityClass',
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'NetworkPolicy',
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
  'HorizontalPodAutoscaler',
  'VerticalPodAutoscaler',
  'PodDisruptionBudget',
  'Ingress',
  'HTTPRoute',
];

function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank === -1 ? KIND_ORDER.length : rank;
}

/** Walks the tree once, depth first, in creation order. */
function allConstructs(root: IConstruct): IConstruct[] {
  return root.node.findAll();
}

/** The problems of every construct's own validations, each naming its path; a validation that throws is one of them. */
export function validateTree(constructs: readonly IConstruct[], label: string): string[] {
  const problems: string[] = [];
  for (const c of constructs) {
    try {
      for (const message of c.node.validate()) problems.push(`[${label}] ${c.node.path}: ${message}`);
    } catch (err) {
      problems.push(`[${label}] ${c.node.path}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** The file of an object inside dist/<env>/: `<namespace>/<kind>-<name>.yaml`, `_cluster/` for cluster-scoped ones. */
export function fileFor(kind: string, name: string, namespace: string | undefined): string {
  return `${namespace ?? '_cluster'}/${kind.toLowerCase()}-${name}.yaml`;
}

/**
 * Validates and renders the tree under `root` to manifests, sorted by kind rank, namespace
 * and name, then runs the cross-resource checks on what was rendered. Every problem (a
 * construct's validation, an object that cannot render, a duplicate file, a check) is
 * collected, and all are thrown together as one SynthError labelled with `label`.
 */
export function renderManifests(root: IConstruct, label: string): Manifest[] {
  const constructs = allConstructs(root);
  const problems = validateTree(constructs, label);
  const manifests: Manifest[] = [];
  const seen = new Map<string, string>();
  for (const c of constructs) {
    if (!ApiObject.isApiObject(c)) continue;
    let object: KubeObject;
    try {
      object = c.toJson() as KubeObject;
    } catch (err) {
      problems.push(`[${label}] ${c.node.path}: cannot render: ${(err as Error).message}`);
      continue;
    }
    for (const bad of nonFiniteFields(object)) problems.push(`[${label}] ${c.node.path}: ${c.kind} field ${bad} is not a finite number: give a whole or decimal number`);
    const metadata = object.metadata ?? {};
    const name = metadata.name ?? c.name;
    const file = fileFor(c.kind, name, metadata.namespace);
    const previous = seen.get(file);
    if (previous) {
      problems.push(`[${label}] ${c.node.path}: ${c.kind} "${name}" in ${metadata.namespace ?? 'the cluster scope'} is also made by ${previous}: give one of them another name`);
    }
    seen.set(file, c.node.path);
    manifests.push({ file, kind: c.kind, namespace: metadata.namespace, name, path: c.node.path, object });
  }
  const rendered: RenderedObject[] = manifests.map((m) => ({ path: m.path, object: m.object }));
  problems.push(...checkNamespacedApps(root, rendered).map((p) => `[${label}] ${p}`));
  const sorted = manifests.sort(
    (a, b) => kindRank(a.kind) - kindRank(b.kind) || byCodeUnits(a.namespace ?? '', b.namespace ?? '') || byCodeUnits(a.name, b.name) || byCodeUnits(a.kind, b.kind),
  );
  const { ordered, cycle } = orderByDependencies(sorted, dependencyEdges(constructs));
  if (cycle) {
    problems.push(`[${label}] ${cycle[0]}: addDependency makes a cycle among ${cycle.join(', ')}, so no apply order satisfies it: remove one of the dependencies`);
  }
  if (problems.length > 0) throw new SynthError(problems);
  return ordered;
}

/** Plain string order: unlike `localeCompare`, it cannot change with the machine's locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Plain scalars a YAML 1.1 reader (kubectl and the API machinery read YAML 1.1 through
 * sigs.k8s.io/yaml) takes for something other than a string: booleans (`y`, `no`, `on`),
 * nulls (`~`), ints with underscores, octal, binary, hex or sexagesimal (`12:30`), floats
 * (`.inf`, `1_0.5`) and timestamps (`2001-12-14`), per the YAML 1.1 type repository.
 * The YAML 1.2 writer already quotes what a 1.2 reader would misread (`0o17`, `true`).
 */
const YAML11_NON_STRING = new RegExp(
  [
    'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF',
    '~|null|Null|NULL|',
    '[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+',
    // one decimal point, as the readers' float parsers take it (the type repository's `[0-9.]*` would also take 8.0.35)
    '[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)',
    '[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?',
    '<<|=',
  ]
    .map((alternatives) => `(${alternatives})`)
    .join('|')
    .replace(/^/, '^(')
    .concat(')$'),
);

/** Whether a YAML 1.1 reader would take plain `value` for anything but this string. */
export function readsAsNonStringInYaml11(value: string): boolean {
  return YAML11_NON_STRING.test(value);
}

/**
 * One object as a YAML document that YAML 1.1 and 1.2 readers read the same: every string,
 * key or value, that either would take for a boolean, null, number or date is quoted; every
 * other scalar is written as before. Long strings stay on one line, so diffs stay small.
 * `directives: false` writes the same bytes (our documents carry no tags or %YAML line)
 * but skips the walk over every node that looks for tags to declare.
 */
export function toYaml(object: object): string {
  const doc = new YAML.Document(object);
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonStringInYaml11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, directives: false });
}

/** The kustomization that lets `kubectl apply -k dist/<env>` apply the folder. */
export function kustomization(manifests: readonly Manifest[]): string {
  return toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: manifests.map((m) => m.file),
  });
}

/** The files of dist/<env>/ as path -> content, kustomization.yaml included. */
export function renderFiles(manifests: readonly Manifest[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of manifests) files.set(m.file, toYaml(m.object));
  files.set('kustomization.yaml', kustomization(manifests));
  return files;
}
