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
import { manifestFileName } from '../core/validation';
import { objectRenderer } from '../core/render-object';
import { isNamespaceContext } from '../core/namespace-context';
import { podNamingWarning, warningsOf } from '../core/warnings';
import { checkNamespacedApps } from '../checks/namespace-checks';
import { dependencyEdges, orderByDependencies } from './dependency-order';
import { readsAsNonStringInYaml11, writeBlockYaml } from './yaml-writer';

/** One rendered object and the file it goes to. */
export interface Manifest {
  /** Path inside dist/<env>/, e.g. `go-multiroute/deployment-go-multiroute.yaml`. */
  readonly file: string;
  /** Kind of the object. */
  readonly kind: string;
  /** @default - none: a cluster-scoped object */
  readonly namespace?: string;
  /** Name of the object. */
  readonly name: string;
  /** Construct path of the ApiObject that made it. */
  readonly path: string;
  /** The rendered object, as it is written. */
  readonly object: KubeObject;
}

/** All validation errors of one synth, each naming the construct path and the fix. */
export class SynthError extends Error {
  /**
   * @param outcome what the command that synthesized did not do for it, in the message:
   * a command that writes nothing (diff) says what it did not do instead.
   */
  constructor(
    readonly problems: readonly string[],
    outcome = 'nothing was written',
  ) {
    const lines = groupedByEnvironment(problems);
    super(`synth failed with ${lines.length} error${lines.length === 1 ? '' : 's'}; ${outcome}:\n  ${lines.join('\n  ')}`);
    this.name = 'SynthError';
  }
}

/** A problem as the runner words it: `[env] what is wrong`. */
const ENVIRONMENT_PROBLEM = /^\[([^\]]+)\] ([\s\S]*)$/;

/**
 * The problems as people read them: one mistake of a construct every environment builds is
 * the same problem in each, said once with the environments it holds in (`[qa, live] ...`),
 * where the first of them has it.
 */
function groupedByEnvironment(problems: readonly string[]): string[] {
  const environments = new Map<string, string[]>();
  for (const problem of problems) {
    const match = ENVIRONMENT_PROBLEM.exec(problem);
    const [key, env] = match ? [match[2], match[1]] : [problem, undefined];
    const envs = environments.get(key) ?? [];
    if (env !== undefined && !envs.includes(env)) envs.push(env);
    environments.set(key, envs);
  }
  return [...environments].map(([problem, envs]) => (envs.length === 0 ? problem : `[${envs.join(', ')}] ${problem}`));
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

/** Each kind's place in KIND_ORDER, looked up once per comparison of the sort instead of searched. */
const KIND_RANK = new Map(KIND_ORDER.map((kind, rank) => [kind, rank]));

function kindRank(kind: string): number {
  return KIND_RANK.get(kind) ?? KIND_ORDER.length;
}

/** Walks the tree once, depth first, in creation order. */
function allConstructs(root: IConstruct): IConstruct[] {
  return root.node.findAll();
}

/**
 * The problems of every construct's own validations, each naming its path; a validation that
 * throws is one of them. A construct that finds one mistake twice (a label written in an
 * ingress and an egress rule) reports it once.
 */
export function validateTree(constructs: readonly IConstruct[], label: string): string[] {
  return validateConstructs(constructs, label).problems;
}

/** What a problem that only a missing or mistyped value causes adds: what to do about `what`. */
function missingValueHint(what: string): string {
  return `: ${what} is missing or not of its type (a JavaScript project has no compiler to catch it): give it as its type in the API documentation says`;
}

/**
 * What to add to the message of an error a check or a build threw. A TypeError there is a
 * value of the wrong type or a missing one (`what`) that no compiler checked: a JavaScript
 * project's, or JSON's.
 */
export function typeErrorHint(err: unknown, what: string): string {
  return err instanceof TypeError ? missingValueHint(what) : '';
}

/** validateTree's problems, and the paths of the constructs that have any. */
function validateConstructs(constructs: readonly IConstruct[], label: string): { problems: string[]; failing: Set<string> } {
  const problems: string[] = [];
  const failing = new Set<string>();
  for (const c of constructs) {
    const before = problems.length;
    try {
      for (const message of new Set(c.node.validate())) problems.push(`[${label}] ${c.node.path}: ${message}`);
    } catch (err) {
      problems.push(`[${label}] ${c.node.path}: ${(err as Error).message}${typeErrorHint(err, 'a prop of this construct')}`);
    }
    if (problems.length > before) failing.add(c.node.path);
  }
  return { problems, failing };
}

/** An object whose file another object of the tree already takes. */
interface Duplicate {
  readonly path: string;
  readonly previous: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The other object's file differs from this one's in case only: one file where case is not told apart. */
  readonly previousFile?: string;
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * One message per pair of constructs whose objects collide: a workload made twice under one
 * name collides in its Deployment, ServiceAccount and budget, which is one mistake.
 */
function duplicateProblems(duplicates: readonly Duplicate[], label: string): string[] {
  const groups = new Map<string, Duplicate[]>();
  for (const d of duplicates) {
    const key = `${parentOf(d.path)}\0${parentOf(d.previous)}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    if (first.previousFile !== undefined) {
      return `[${label}] ${first.path}: ${first.kind} "${first.name}" is written to ${fileFor(first.kind, first.name, first.namespace)}, and ${first.previous} to ${first.previousFile}, one file on a file system that does not tell case apart (macOS, Windows): give one of them a name that differs by more than case`;
    }
    const scope = first.namespace ?? 'the cluster scope';
    if (group.length === 1) return `[${label}] ${first.path}: ${first.kind} "${first.name}" in ${scope} is also made by ${first.previous}: give one of them another name`;
    const objects = group.map((d) => `${d.kind} "${d.name}"`).join(', ');
    return `[${label}] ${parentOf(first.path)}: ${objects} in ${scope} are also made by ${parentOf(first.previous)}: give one of them another name`;
  });
}

/** The file of an object inside dist/<env>/: `<namespace>/<kind>-<name>.yaml`, `_cluster/` for cluster-scoped ones. */
export function fileFor(kind: string, name: string, namespace: string | undefined): string {
  return `${namespace ?? '_cluster'}/${manifestFileName(kind, name)}`;
}

/** A path `fileFor` makes: a namespace (a DNS label) or `_cluster`, then `<kind>-<name>.yaml`. */
const SYNTH_FILE = /^(?:_cluster|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\/[a-z0-9]+-[^/]+\.yaml$/;

/** Whether synth names a file this way (`fileFor`): what it may replace of what an environment's kustomization lists. */
export function isSynthFile(file: string): boolean {
  return SYNTH_FILE.test(file);
}

/**
 * Validates and renders the tree under `root` to manifests, sorted by kind rank, namespace
 * and name, then runs the cross-resource checks on what was rendered. Every problem (a
 * construct's validation, an object that cannot render, a duplicate file, a check) is
 * collected, and all are thrown together as one SynthError labelled with `label`. Each
 * warning (a construct's own, `addWarning`, or the API server's for an object's name) is
 * given to `warn`, labelled the same way, in the tree's order.
 */
export function renderManifests(root: IConstruct, label: string, warn?: (message: string) => void): Manifest[] {
  const constructs = allConstructs(root);
  const { problems, failing } = validateConstructs(constructs, label);
  const manifests: Manifest[] = [];
  // by the file's name in lower case: on macOS and Windows, names that differ in case only are one file
  const seen = new Map<string, { readonly path: string; readonly file: string }>();
  const duplicates: Duplicate[] = [];
  const render = objectRenderer(root);
  let unrendered = false;
  for (const c of constructs) {
    if (warn) for (const warning of warningsOf(c)) warn(`[${label}] ${c.node.path}: ${warning}`);
    if (!ApiObject.isApiObject(c)) continue;
    let object: KubeObject;
    try {
      object = render(c);
    } catch (err) {
      // a typed prop cannot make an object that does not render: a value is missing or of another type
      problems.push(`[${label}] ${c.node.path}: cannot render: ${(err as Error).message}${missingValueHint('a value of the construct that made it')}`);
      unrendered = true;
      continue;
    }
    // node.path walks up the tree and joins the ids each time it is read
    const path = c.node.path;
    // a value the construct that made the object refused already (replicas NaN) is not reported again as the field it renders to;
    // a namespace's own problems do not hide those of what is in it
    const maker = c.node.scope;
    const refused = failing.size > 0 && (failing.has(path) || (maker !== undefined && !isNamespaceContext(maker) && failing.has(maker.node.path)));
    if (!refused) {
      for (const bad of nonFiniteFields(object)) problems.push(`[${label}] ${path}: ${c.kind} field ${bad} is not a finite number: give a whole or decimal number`);
    }
    const metadata = object.metadata ?? {};
    const name = metadata.name ?? c.name;
    const namingWarning = refused ? undefined : podNamingWarning(c.kind, name);
    if (warn && namingWarning) warn(`[${label}] ${path}: ${namingWarning}`);
    const file = fileFor(c.kind, name, metadata.namespace);
    const previous = seen.get(file.toLowerCase());
    if (previous) duplicates.push({ path, previous: previous.path, kind: c.kind, name, namespace: metadata.namespace, previousFile: previous.file === file ? undefined : previous.file });
    seen.set(file.toLowerCase(), { path, file });
    manifests.push({ file, kind: c.kind, namespace: metadata.namespace, name, path, object });
  }
  problems.push(...duplicateProblems(duplicates, label));
  const rendered: RenderedObject[] = manifests.map((m) => ({ path: m.path, object: m.object }));
  // the namespace checks judge what was rendered: an object that could not be would be judged missing (a budget selecting no pods)
  if (!unrendered) problems.push(...checkNamespacedApps(constructs, rendered, failing).map((p) => `[${label}] ${p}`));
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
 * One object as a YAML document that YAML 1.1 and 1.2 readers read the same: every string,
 * key or value, that either would take for a boolean, null, number or date is quoted; every
 * other scalar is written as before. Long strings stay on one line, so diffs stay small.
 * The block writer covers what synth renders; a document outside its subset (a multi-line
 * config file, a non-ASCII string) goes through the `yaml` library, which writes the same
 * bytes for the subset.
 */
export function toYaml(object: object): string {
  return writeBlockYaml(object) ?? toYamlWithLibrary(object);
}

/**
 * A multi-line string whose first lines are blank and one of them holds a space: the `yaml`
 * library writes it as a block scalar without an indentation indicator, and readers drop
 * those spaces (`" \n"` reads back as `"\n"`), so it is double-quoted instead.
 */
const BLANK_LINE_WITH_SPACES_FIRST = /^[ \t\n]* [ \t]*\n/;

/**
 * `toYaml` by the `yaml` library, for any object. An object met twice is written out twice,
 * as the block writer does, not as an anchor and alias. `directives: false` writes the same
 * bytes (our documents carry no tags or %YAML line) but skips the walk over every node that
 * looks for tags to declare.
 */
export function toYamlWithLibrary(object: object): string {
  const doc = new YAML.Document(object, { aliasDuplicateObjects: false });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (readsAsNonStringInYaml11(node.value) || BLANK_LINE_WITH_SPACES_FIRST.test(node.value))) node.type = 'QUOTE_DOUBLE';
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
  return new Map(renderedFiles(manifests));
}

/** The files of dist/<env>/ (path, content), each made as it is taken: a writer holds one at a time. */
export function* renderedFiles(manifests: readonly Manifest[]): Generator<readonly [string, string]> {
  for (const m of manifests) yield [m.file, toYaml(m.object)];
  yield ['kustomization.yaml', kustomization(manifests)];
}
