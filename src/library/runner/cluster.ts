/**
 * An environment folder against a live cluster, through kubectl:
 * - `applyEnvironment`: server-side apply with pruning. The folder is one ApplySet
 *   (applyset.ts); kubectl 1.28 applies its members and deletes the members of an earlier
 *   apply the folder no longer holds, and nothing else.
 * - `diffEnvironment`: `kubectl diff --server-side`, what an apply would change.
 *
 * The folder, as synth wrote and people reviewed it, is what reaches the cluster: it is
 * read, not synthesized again. The folder is the truth, so both take over fields another
 * manager changed (`--force-conflicts`); diff shows such a change before apply undoes it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { APPLYSET } from '../core/applyset';
import type { KubeObject } from '../core/workloads';
import { APPLYSET_RESOURCE, isApplySetParent, isApplySetParentType } from './applyset';
import { toYaml } from './synthesize';
import { KUSTOMIZATION } from './write-atomic';

/** The kubectl run when KUBECTL does not name another: the one on PATH. */
export const DEFAULT_KUBECTL = 'kubectl';

/** The field manager of every apply: the fields the folder sets are this manager's. */
const FIELD_MANAGER = 'k8s-iac';

/** How long apply waits for the parent type's CRD to be served. */
const CRD_ESTABLISHED_TIMEOUT = '60s';

/**
 * Environment variables as `process.env` holds them. Declared here rather than as
 * `NodeJS.ProcessEnv`, so the package's types compile without `@types/node`.
 */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** How kubectl is run. */
export interface KubectlOptions {
  /** The kubectl binary. @default DEFAULT_KUBECTL */
  readonly kubectl?: string;
  /** The kubeconfig context. @default - kubeconfig's current context */
  readonly context?: string;
  /** The variables kubectl runs with. @default process.env */
  readonly env?: EnvironmentVariables;
}

interface KubectlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with `args` (and `input` on stdin); an error when there is no kubectl to run. */
function kubectl(options: KubectlOptions, args: readonly string[], input?: string, extraEnv: EnvironmentVariables = {}): KubectlResult {
  const binary = options.kubectl ?? DEFAULT_KUBECTL;
  const context = options.context === undefined ? [] : ['--context', options.context];
  const result = spawnSync(binary, [...context, ...args], { input, encoding: 'utf8', env: { ...(options.env ?? process.env), ...extraEnv }, maxBuffer: 1 << 30 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw new Error(`kubectl not found (${binary}): install kubectl 1.28 or newer, or set KUBECTL to its path`);
    throw result.error;
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs kubectl; a non-zero exit is an error quoting what kubectl said. */
function kubectlOk(options: KubectlOptions, args: readonly string[], input?: string, extraEnv?: EnvironmentVariables): string {
  const result = kubectl(options, args, input, extraEnv);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim() || result.stdout.trim()}`);
  return result.stdout;
}

/** The objects of an environment folder, in its kustomization's order; an error when it has none. */
export function readEnvironmentObjects(folder: string): KubeObject[] {
  const kustomization = path.join(folder, KUSTOMIZATION);
  if (!fs.existsSync(kustomization)) throw new Error(`${folder} holds no ${KUSTOMIZATION}: synthesize the environment first (k8s-iac synth --env ${path.basename(folder)})`);
  const resources = (YAML.parse(fs.readFileSync(kustomization, 'utf8')) as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources)) throw new Error(`${kustomization} lists no resources: synthesize the environment again`);
  return resources.map((file) => YAML.parse(fs.readFileSync(path.join(folder, String(file)), 'utf8')) as KubeObject);
}

/** Objects as one multi-document YAML stream, for kubectl's stdin. */
function stream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${toYaml(o)}`).join('');
}

/** `object` without the member label: kubectl 1.28 refuses input that carries it ("ApplySet label ... already set in input data") and adds it itself. */
function withoutMemberLabel(object: KubeObject): KubeObject {
  const labels = Object.fromEntries(Object.entries(object.metadata?.labels ?? {}).filter(([key]) => key !== APPLYSET.partOf));
  return { ...object, metadata: { ...object.metadata, labels } };
}

/** The parent type's CRD, the parent and the members of an environment's objects; an error when the folder is no ApplySet. */
function splitApplySet(folder: string, objects: readonly KubeObject[]): { definition: KubeObject; parent: KubeObject; members: KubeObject[] } {
  const definition = objects.find(isApplySetParentType);
  const parent = objects.find(isApplySetParent);
  if (!definition || !parent) throw new Error(`${folder} holds no ApplySet parent: synthesize the environment again with this version (k8s-iac synth --env ${path.basename(folder)})`);
  return { definition, parent, members: objects.filter((o) => o !== definition && o !== parent) };
}

/**
 * Applies an environment folder with pruning: the parent type's CRD, then the parent if the
 * cluster has none yet (kubectl creates no custom parent), then the members with
 * `kubectl apply --server-side --prune --applyset`, which deletes the members of the
 * previous apply that the folder no longer holds. kubectl's output goes to `log`.
 */
export function applyEnvironment(folder: string, options: KubectlOptions, log: (line: string) => void): void {
  const { definition, parent, members } = splitApplySet(folder, readEnvironmentObjects(folder));
  const apply = ['apply', '--server-side', '--field-manager', FIELD_MANAGER, '--force-conflicts', '-f', '-'];
  log(kubectlOk(options, apply, stream([definition])).trimEnd());
  kubectlOk(options, ['wait', '--for', 'condition=Established', '--timeout', CRD_ESTABLISHED_TIMEOUT, `customresourcedefinition/${definition.metadata?.name}`]);
  const parentRef = `${APPLYSET_RESOURCE}/${parent.metadata?.name}`;
  // after its creation kubectl keeps the parent's annotations: applying ours again would undo its bookkeeping
  if (kubectlOk(options, ['get', parentRef, '--ignore-not-found', '-o', 'name']).trim() === '') log(kubectlOk(options, apply, stream([parent])).trimEnd());
  const prune = [...apply.slice(0, -2), '--prune', `--applyset=${parentRef}`, '-f', '-'];
  log(kubectlOk(options, prune, stream(members.map(withoutMemberLabel)), { KUBECTL_APPLYSET: 'true' }).trimEnd());
}

/**
 * What applying an environment folder would change on the cluster (`kubectl diff
 * --server-side`), printed as kubectl gives it; true when anything would change. The
 * parent is left out: kubectl keeps its annotations.
 */
export function diffEnvironment(folder: string, options: KubectlOptions, log: (line: string) => void): boolean {
  const objects = readEnvironmentObjects(folder).filter((o) => !isApplySetParent(o));
  const result = kubectl(options, ['diff', '--server-side', '--field-manager', FIELD_MANAGER, '--force-conflicts', '-f', '-'], stream(objects));
  // kubectl diff: 0 no differences, 1 differences, anything else an error
  if (result.status > 1) throw new Error(`kubectl diff failed (exit ${result.status}): ${result.stderr.trim()}`);
  log(result.status === 0 ? `${folder}: no differences with the cluster` : result.stdout.trimEnd());
  return result.status === 1;
}
