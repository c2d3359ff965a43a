/**
 * The kustomize way to the same four folders: a base per service holding that service's
 * objects of one environment, and per environment an overlay per service whose patches
 * turn the base into that environment's objects, under an environment overlay listing them.
 * The patches are computed from our own output (a JSON diff per object) and grouped as a
 * person would write them: what changes the same way in every object of a kind is one
 * patch for that kind, in the environment overlay; the rest is one patch per object, in
 * its service's overlay. Objects only some environments have are resources of their
 * service overlays; objects an environment lacks are deleted by a `$patch: delete` patch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { toYaml } from 'k8s-iac';

/** One object of one environment, as the synth rendered it. */
export interface RenderedObject {
  readonly file: string;
  readonly object: Record<string, unknown>;
}

/** A JSON Patch (RFC 6902) operation. */
export interface PatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The operations that turn `from` into `to`; arrays of different length are replaced whole. */
export function jsonDiff(from: unknown, to: unknown, at = ''): PatchOp[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const ops: PatchOp[] = [];
    for (const key of Object.keys(from)) {
      if (!(key in to)) ops.push({ op: 'remove', path: pointer(at, key) });
    }
    for (const key of Object.keys(to)) {
      if (key in from) ops.push(...jsonDiff(from[key], to[key], pointer(at, key)));
      else ops.push({ op: 'add', path: pointer(at, key), value: to[key] });
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, i) => jsonDiff(item, to[i], pointer(at, i)));
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ op: 'replace', path: at, value: to }];
}

function idOf(object: Record<string, unknown>): ObjectId {
  const metadata = object.metadata as { name: string; namespace?: string };
  return { apiVersion: String(object.apiVersion), kind: String(object.kind), name: metadata.name, namespace: metadata.namespace };
}

/** The key objects are matched by across environments. */
export function objectKey(object: Record<string, unknown>): string {
  const id = idOf(object);
  return `${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

/** The service (folder) an object belongs to: its namespace, or the Namespace it is. */
function serviceOfId(id: ObjectId): string {
  return id.namespace ?? (id.kind === 'Namespace' ? id.name : '_cluster');
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function target(id: ObjectId, exact: boolean): Record<string, string> {
  const [group, version] = id.apiVersion.includes('/') ? id.apiVersion.split('/') : ['', id.apiVersion];
  const gvk = { ...(group ? { group } : {}), version, kind: id.kind };
  if (!exact) return gvk;
  return { ...gvk, name: id.name, ...(id.namespace ? { namespace: id.namespace } : {}) };
}

interface KustomizePatch {
  readonly target: Record<string, string>;
  readonly patch: string;
}

/**
 * Splits each object's ops into those every object of its kind shares (one patch per
 * kind) and its own (one patch per object, by service).
 */
function groupPatches(
  diffs: ReadonlyMap<string, { id: ObjectId; ops: PatchOp[] }>,
  kindCounts: ReadonlyMap<string, number>,
): { shared: KustomizePatch[]; own: Map<string, KustomizePatch[]> } {
  const byKind = new Map<string, { id: ObjectId; ops: PatchOp[] }[]>();
  for (const d of diffs.values()) pushTo(byKind, d.id.kind, d);
  const shared: KustomizePatch[] = [];
  const own = new Map<string, KustomizePatch[]>();
  for (const list of byKind.values()) {
    const counts = new Map<string, number>();
    for (const d of list) for (const op of new Set(d.ops.map((o) => JSON.stringify(o)))) counts.set(op, (counts.get(op) ?? 0) + 1);
    const allOfKind = list.length === kindCounts.get(list[0].id.kind);
    const common = allOfKind ? new Set([...counts].filter(([, n]) => n === list.length).map(([op]) => op)) : new Set<string>();
    if (common.size > 0) shared.push({ target: target(list[0].id, false), patch: `[${[...common].join(',')}]` });
    for (const d of list) {
      const ops = d.ops.map((o) => JSON.stringify(o)).filter((o) => !common.has(o));
      if (ops.length === 0) continue;
      pushTo(own, serviceOfId(d.id), { target: target(d.id, true), patch: `[${ops.join(',')}]` });
    }
  }
  return { shared, own };
}

function writeFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function writeKustomization(dir: string, resources: readonly string[], patches: readonly KustomizePatch[] = []): void {
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources, ...(patches.length ? { patches } : {}) };
  writeFile(path.join(dir, 'kustomization.yaml'), toYaml(kustomization));
}

function byService(objects: readonly RenderedObject[]): Map<string, RenderedObject[]> {
  const groups = new Map<string, RenderedObject[]>();
  for (const o of objects) pushTo(groups, serviceOfId(idOf(o.object)), o);
  return groups;
}

function deletion(object: Record<string, unknown>): KustomizePatch {
  const id = idOf(object);
  const metadata = { name: id.name, ...(id.namespace ? { namespace: id.namespace } : {}) };
  return { target: target(id, true), patch: toYaml({ $patch: 'delete', apiVersion: id.apiVersion, kind: id.kind, metadata }) };
}

/**
 * Writes a base per service (`dir/base/<service>`: that service's objects of `baseEnv`)
 * and per environment an overlay per service (`dir/overlays/<env>/<service>`: its own
 * patches, added and deleted objects) under an environment overlay that lists them and
 * holds the patches shared by every object of a kind. Keeping each patch next to the
 * few objects it targets is how kustomize stays linear: a patch is matched against every
 * resource of the kustomization it is in. Returns the environment overlays, by name.
 */
export function writeKustomizeTree(dir: string, baseEnv: string, envs: ReadonlyMap<string, readonly RenderedObject[]>): Map<string, string> {
  const base = envs.get(baseEnv);
  if (!base) throw new Error(`no objects for the base environment ${baseEnv}`);
  const baseByKey = new Map(base.map((o) => [objectKey(o.object), o]));
  const baseServices = byService(base);
  for (const [service, objects] of baseServices) {
    for (const o of objects) writeFile(path.join(dir, 'base', service, o.file), toYaml(o.object));
    writeKustomization(path.join(dir, 'base', service), objects.map((o) => o.file));
  }
  const kindCounts = new Map<string, number>();
  for (const o of base) kindCounts.set(String(o.object.kind), (kindCounts.get(String(o.object.kind)) ?? 0) + 1);

  const overlays = new Map<string, string>();
  for (const [env, objects] of envs) {
    const overlay = path.join(dir, 'overlays', env);
    const diffs = new Map<string, { id: ObjectId; ops: PatchOp[] }>();
    for (const o of objects) {
      const from = baseByKey.get(objectKey(o.object));
      const ops = from ? jsonDiff(from.object, o.object) : [];
      if (ops.length > 0) diffs.set(objectKey(o.object), { id: idOf(o.object), ops });
    }
    const { shared, own } = groupPatches(diffs, kindCounts);
    const services = byService(objects);
    for (const service of new Set([...baseServices.keys(), ...services.keys()])) {
      const serviceDir = path.join(overlay, service);
      const present = new Set((services.get(service) ?? []).map((o) => objectKey(o.object)));
      const added = (services.get(service) ?? []).filter((o) => !baseByKey.has(objectKey(o.object)));
      for (const o of added) writeFile(path.join(serviceDir, 'resources', o.file), toYaml(o.object));
      const resources = [...(baseServices.has(service) ? [path.relative(serviceDir, path.join(dir, 'base', service))] : []), ...added.map((o) => `resources/${o.file}`)];
      const deleted = (baseServices.get(service) ?? []).filter((o) => !present.has(objectKey(o.object))).map((o) => deletion(o.object));
      writeKustomization(serviceDir, resources, [...(own.get(service) ?? []), ...deleted]);
    }
    writeKustomization(overlay, [...new Set([...baseServices.keys(), ...services.keys()])], shared);
    overlays.set(env, overlay);
  }
  return overlays;
}

/** Objects of a `kustomize build` stream, by key, for comparing with the synth's. */
export function parseBuildOutput(stream: string): Map<string, unknown> {
  const objects = new Map<string, unknown>();
  for (const doc of YAML.parseAllDocuments(stream)) {
    const object = doc.toJS() as Record<string, unknown> | null;
    if (object) objects.set(objectKey(object), object);
  }
  return objects;
}

/** Keys of the objects that differ between what kustomize built and what the synth rendered. */
export function differingObjects(built: ReadonlyMap<string, unknown>, expected: readonly RenderedObject[]): string[] {
  const differing: string[] = [];
  for (const o of expected) {
    const key = objectKey(o.object);
    if (jsonDiff(plainJson(o.object), plainJson(built.get(key))).length > 0) differing.push(key);
  }
  if (built.size !== expected.length) differing.push(`(kustomize built ${built.size} objects, the synth ${expected.length})`);
  return differing;
}

function plainJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
