/**
 * The apply order of an environment's objects: what `addDependency` asks for (an object or
 * chart after the objects of the constructs it depends on), then the kind order, namespace
 * and name as the tie-break. A cycle of dependencies cannot be ordered and is reported,
 * naming the constructs on it.
 */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** An object to order: the construct path of its ApiObject, and its place without dependencies. */
export interface Orderable {
  readonly path: string;
}

/** The ApiObjects at or below `c`, by path. */
function objectPaths(c: IConstruct): string[] {
  return c.node
    .findAll()
    .filter((x) => ApiObject.isApiObject(x))
    .map((x) => x.node.path);
}

/** For each object path, the object paths it must come after. */
export function dependencyEdges(constructs: readonly IConstruct[]): Map<string, Set<string>> {
  const after = new Map<string, Set<string>>();
  for (const c of constructs) {
    const targets = c.node.dependencies;
    if (targets.length === 0) continue;
    const before = targets.flatMap(objectPaths);
    for (const object of objectPaths(c)) {
      const set = after.get(object) ?? new Set<string>();
      for (const b of before) if (b !== object) set.add(b);
      after.set(object, set);
    }
  }
  return after;
}

/**
 * `items` (already in tie-break order) reordered so that every item comes after the items
 * it depends on, keeping the tie-break order wherever dependencies allow (Kahn's algorithm,
 * always taking the first ready item). Returns the cycle's paths when there is one.
 */
export function orderByDependencies<T extends Orderable>(items: readonly T[], after: ReadonlyMap<string, ReadonlySet<string>>): { ordered: T[]; cycle?: string[] } {
  if (after.size === 0) return { ordered: [...items] };
  const present = new Set(items.map((i) => i.path));
  const waitingOn = new Map(items.map((i) => [i.path, new Set([...(after.get(i.path) ?? [])].filter((p) => present.has(p)))]));
  const ordered: T[] = [];
  const left = [...items];
  while (left.length > 0) {
    const index = left.findIndex((i) => waitingOn.get(i.path)?.size === 0);
    if (index === -1) return { ordered, cycle: left.map((i) => i.path) };
    const [next] = left.splice(index, 1);
    ordered.push(next);
    for (const set of waitingOn.values()) set.delete(next.path);
  }
  return { ordered };
}
