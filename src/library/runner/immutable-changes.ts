/**
 * Fields the API server refuses to change on an object that exists: a Deployment's
 * selector (a release strategy switched between rolling and canary adds the track label to
 * it), a StatefulSet's selector, governing Service, claim templates and pod management,
 * a Service's clusterIP (headless or not). The YAML is valid either way, so synth takes it
 * and the apply fails with "field is immutable". Comparing an environment's new files with
 * the folder they replace names the change before that, with the way through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

/** The fields of each kind the API server will not change once the object exists. */
const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['selector'],
  ReplicaSet: ['selector'],
  DaemonSet: ['selector'],
  StatefulSet: ['selector', 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy'],
  Job: ['selector', 'template'],
  Service: ['clusterIP'],
};

type Json = Readonly<Record<string, unknown>>;

/** The kind, name, namespace and spec of a manifest's text; undefined where it does not parse. */
function read(text: string): { kind: string; name: string; namespace?: string; spec: Json } | undefined {
  try {
    const object = YAML.parse(text) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: Json } | null;
    if (typeof object?.kind !== 'string' || typeof object.metadata?.name !== 'string') return undefined;
    return { kind: object.kind, name: object.metadata.name, namespace: typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined, spec: object.spec ?? {} };
  } catch {
    return undefined;
  }
}

/** Whether a path of the environment folder may be a manifest of a kind with immutable fields: a YAML file named after the kind, lower-cased (a namespace folder may be named `service-mesh`). */
function mayHoldImmutable(file: string): boolean {
  const base = path.basename(file);
  return base.endsWith('.yaml') && Object.keys(IMMUTABLE_FIELDS).some((kind) => base.startsWith(`${kind.toLowerCase()}-`));
}

/**
 * The change of immutable fields between a file's text before and after (`shownAs`, its
 * path as shown) for an object that keeps its kind and name, naming the file, the field and
 * what to do; undefined when there is none.
 */
function immutableChange(shownAs: string, oldText: string, newText: string): string | undefined {
  if (oldText === newText) return undefined;
  const old = read(oldText);
  const now = read(newText);
  if (!old || !now || old.kind !== now.kind || old.name !== now.name) return undefined;
  const changed = (IMMUTABLE_FIELDS[now.kind] ?? []).filter((field) => JSON.stringify(old.spec[field]) !== JSON.stringify(now.spec[field]));
  if (changed.length === 0) return undefined;
  const deletion = `kubectl delete ${now.kind.toLowerCase()} ${now.name}${now.namespace === undefined ? '' : ` -n ${now.namespace}`}`;
  // a StatefulSet's pods keep their names and claims: orphaned, they run on until the new set adopts (or replaces) them
  const how = now.kind === 'StatefulSet' ? `${deletion} --cascade=orphan, which leaves its pods and claims running for the new one` : `${deletion}, a moment without it`;
  return `${shownAs}: ${changed.map((f) => `spec.${f}`).join(', ')} of ${now.kind} ${now.name} changes, which the API server refuses on an existing ${now.kind}: the apply will fail until the old one is deleted (${how}) or the new one takes another name`;
}

/**
 * The changes of immutable fields between the files of `before` (an environment folder)
 * and `after` (its replacement, staged), for objects that keep their kind and name; each
 * names the file under `shownAs`, the field and what to do.
 */
export function immutableChanges(before: string, after: string, files: Iterable<string>, shownAs: string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (!mayHoldImmutable(file)) continue;
    const oldFile = path.join(before, file);
    const newFile = path.join(after, file);
    const oldStat = fs.statSync(oldFile, { throwIfNoEntry: false });
    const newStat = fs.statSync(newFile);
    // an unchanged file is staged as a hard link to the one it replaces: nothing to read
    if (!oldStat?.isFile() || !newStat.isFile() || oldStat.ino === newStat.ino) continue;
    const problem = immutableChange(path.join(shownAs, file), fs.readFileSync(oldFile, 'utf8'), fs.readFileSync(newFile, 'utf8'));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The same for two sets of files in memory (relative path, content), as diff holds them. */
export function immutableChangesOfFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, shownAs: string): string[] {
  const problems: string[] = [];
  for (const [file, newText] of after) {
    const oldText = before.get(file);
    if (oldText === undefined || !mayHoldImmutable(file)) continue;
    const problem = immutableChange(path.join(shownAs, file), oldText, newText);
    if (problem) problems.push(problem);
  }
  return problems;
}
