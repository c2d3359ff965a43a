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
  /** Construct path of the object's ApiObject, as `addDependency` edges name it. */
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
 * always taking the first ready item: a heap of ready places, so the cost grows with
 * items x log items, not items squared). Returns the paths of the items left unordered, in
 * tie-break order, when a cycle holds them.
 */
export function orderByDependencies<T extends Orderable>(items: readonly T[], after: ReadonlyMap<string, ReadonlySet<string>>): { ordered: T[]; cycle?: string[] } {
  if (after.size === 0) return { ordered: [...items] };
  const place = new Map(items.map((item, i) => [item.path, i]));
  const waitingOn = new Array<number>(items.length).fill(0);
  const unblocks: number[][] = items.map(() => []);
  items.forEach((item, i) => {
    for (const path of after.get(item.path) ?? []) {
      const j = place.get(path);
      if (j === undefined || j === i) continue;
      waitingOn[i]++;
      unblocks[j].push(i);
    }
  });
  const ready = new PlaceHeap();
  waitingOn.forEach((count, i) => count === 0 && ready.push(i));
  const ordered: T[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    ordered.push(items[i]);
    for (const j of unblocks[i]) if (--waitingOn[j] === 0) ready.push(j);
  }
  if (ordered.length === items.length) return { ordered };
  return { ordered, cycle: items.filter((_, i) => waitingOn[i] > 0).map((item) => item.path) };
}

/** A binary min-heap of places in the tie-break order. */
class PlaceHeap {
  private readonly heap: number[] = [];

  push(place: number): void {
    const h = this.heap;
    h.push(place);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent] <= h[i]) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  pop(): number | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as number;
    if (h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < h.length && h[left] < h[least]) least = left;
      if (right < h.length && h[right] < h[least]) least = right;
      if (least === i) break;
      [h[least], h[i]] = [h[i], h[least]];
      i = least;
    }
    return top;
  }
}
