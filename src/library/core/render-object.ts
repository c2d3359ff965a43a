/**
 * An ApiObject's manifest, the same value `toJson()` returns, made in one walk.
 *
 * cdk8s's `toJson()` resolves the props value by value (for each: `App.of` up the tree,
 * a context object, three resolvers, a copied key path), sanitizes the result in a second
 * walk, resolves and sanitizes the metadata twice, and the generated L1 class then
 * converts it with spreads per field. At 70,000 objects that is most of a synth. Here the
 * resolving and sanitizing are one walk that knows the three built-in resolvers, and the
 * L1 conversion is the generated `toJson_<Class>Props` function the class itself calls.
 *
 * Only what the walk knows gets the fast path: an object of a plain `ApiObject` or of a
 * generated class in `imports/` (not a subclass that may override `toJson`), in an App
 * with the built-in resolvers only, whose values are plain data, `Lazy` values, implicit
 * tokens (a `resolve()` method) or number/string unions; its JSON patches are applied after
 * the walk, as `toJson()` applies them. Anything else (a custom resolver, a class instance
 * the walk does not know, a hole in an array, a patch that fails) is rendered by
 * `toJson()` itself, so the result is always cdk8s's own; the tests
 * compare the two on every object of the reference platform and of the fuzzed constructs.
 */
import { ApiObject, App, ImplicitTokenResolver, JsonPatch, LazyResolver, Lazy, NumberStringUnionResolver } from 'cdk8s';
import type { IConstruct } from 'constructs';
import * as crdAutoscaling from '../../../imports/autoscaling.k8s.io';
import * as crdGateway from '../../../imports/gateway.networking.k8s.io';
import * as k8s from '../../../imports/k8s';
import type { KubeObject } from './workloads';

/** Converts resolved camelCase props to the wire form, as a generated class's `toJson()` does. */
type PropsToJson = (props: unknown) => Record<string, unknown> | undefined;

/** A generated class and what its `toJson()` adds to `ApiObject.toJson()`. */
interface GeneratedClass {
  readonly gvk: { readonly apiVersion: string; readonly kind: string };
  readonly propsToJson: PropsToJson;
}

/** The generated classes of the imported modules the library renders, by prototype. */
const GENERATED = generatedClasses([k8s, crdGateway, crdAutoscaling]);

function generatedClasses(modules: readonly object[]): Map<object, GeneratedClass> {
  const out = new Map<object, GeneratedClass>();
  for (const module of modules) {
    const exports = module as Readonly<Record<string, unknown>>;
    for (const [name, value] of Object.entries(exports)) {
      const propsToJson = exports[`toJson_${name}Props`];
      if (typeof value !== 'function' || typeof propsToJson !== 'function') continue;
      const gvk = (value as { GVK?: { apiVersion: string; kind: string } }).GVK;
      if (gvk && ApiObject.prototype.isPrototypeOf(value.prototype)) out.set(value.prototype as object, { gvk, propsToJson: propsToJson as PropsToJson });
    }
  }
  return out;
}

/** Thrown inside the walk when a value needs cdk8s's own resolving. */
class NeedsCdk8s extends Error {}

/** cdk8s's `sanitizeValue` options: metadata drops empty lists and maps, the rest keeps them. */
type DropEmpty = boolean;

/**
 * `sanitizeValue(resolve(value))` for the built-in resolvers: tokens replaced by what they
 * produce, keys sorted, null and undefined members dropped (and, with `dropEmpty`, empty
 * lists and maps). The result shares nothing with the input.
 */
function resolvedCopy(value: unknown, dropEmpty: DropEmpty): unknown {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      throw new NeedsCdk8s();
  }
  if (Array.isArray(value)) return resolvedList(value, dropEmpty);
  // the built-in resolvers in cdk8s's order: Lazy, an implicit token (even a plain object with a resolve()), a number/string union
  if (value instanceof Lazy) return resolvedCopy(value.produce(), dropEmpty);
  const record = value as Readonly<Record<string, unknown>>;
  if (typeof record.resolve === 'function') return resolvedCopy((record.resolve as () => unknown).call(value), dropEmpty);
  if (Object.getPrototypeOf(value) === Object.prototype) return resolvedMap(record, dropEmpty);
  const union = record.value;
  if (typeof union === 'number' || typeof union === 'string') return { value: union };
  throw new NeedsCdk8s();
}

function resolvedList(list: readonly unknown[], dropEmpty: DropEmpty): unknown[] | undefined {
  if (dropEmpty && list.length === 0) return undefined;
  const out = new Array<unknown>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = resolvedCopy(list[i], dropEmpty);
    // cdk8s keeps a hole where an item resolves to nothing: left to it
    if (item === undefined) throw new NeedsCdk8s();
    out[i] = item;
  }
  return out;
}

function resolvedMap(record: Readonly<Record<string, unknown>>, dropEmpty: DropEmpty): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let size = 0;
  for (const key of sortedKeys(record)) {
    const item = resolvedCopy(record[key], dropEmpty);
    if (item === undefined) continue;
    out[key] = item;
    size++;
  }
  return dropEmpty && size === 0 ? undefined : out;
}

/** Lists up to this long are sorted in place by insertion: nearly every map of a manifest, most of them in order already. */
const INSERTION_SORT_MAX = 16;

/**
 * `Object.keys(record).sort()`. Short lists are sorted by insertion, which compares code
 * units as `sort()` does for strings but allocates nothing and touches a list in order once;
 * `sort()` copies every list into a work array, a tenth of a synth's allocations.
 */
function sortedKeys(record: object): string[] {
  return sortedInPlace(Object.keys(record));
}

/** `keys.sort()`, by insertion for short lists (see sortedKeys). */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** The fields of ApiObject and its metadata that `toJson()` reads; private in cdk8s's types. */
interface ApiObjectState {
  readonly props?: Readonly<Record<string, unknown>>;
  readonly patches?: readonly JsonPatch[];
}
interface MetadataState {
  readonly _additionalAttributes?: Readonly<Record<string, unknown>>;
  readonly labels?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
}

/** Top-level keys `ApiObject.toJson()` puts first, in this order. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

/** The metadata fields `toJson()` takes from the metadata object, over what the ApiObject was given. */
const OWN_METADATA_FIELDS: ReadonlySet<string> = new Set(['annotations', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences']);

/**
 * The metadata `toJson()` resolves: what the ApiObject was given, its own fields replaced by
 * the metadata object's. Made in one shape, the own fields in order, with any other given
 * field added after them: a spread of what was given made a shape per object.
 */
function unresolvedMetadata(object: ApiObject, meta: MetadataState, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    annotations: meta.annotations,
    finalizers: meta.finalizers,
    labels: meta.labels,
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    ownerReferences: meta.ownerReferences,
  };
  for (const key in given) if (Object.hasOwn(given, key) && !OWN_METADATA_FIELDS.has(key)) metadata[key] = given[key];
  return metadata;
}

/**
 * `resolvedCopy({ ...props, metadata })` for `metadata` resolved already: it is not copied
 * again, and no object of the props' shape with the metadata in it is made.
 */
function resolvedProps(props: Readonly<Record<string, unknown>>, metadata: unknown): Record<string, unknown> {
  // props that are an implicit token themselves: resolving them is left to cdk8s
  if (typeof props.resolve === 'function') throw new NeedsCdk8s();
  const out: Record<string, unknown> = {};
  const keys = Object.keys(props);
  if (!Object.hasOwn(props, 'metadata')) keys.push('metadata');
  for (const key of sortedInPlace(keys)) {
    const item = key === 'metadata' ? metadata : resolvedCopy(props[key], false);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

/**
 * `ApiObject.toJson()` of `object` but for the order of its top-level keys (`withLeadingKeys`),
 * or undefined when the walk does not know something in it.
 */
function fastApiObjectJson(object: ApiObject): Record<string, unknown> | undefined {
  const state = object as unknown as ApiObjectState;
  const meta = object.metadata as unknown as MetadataState;
  if (!state.props || !Array.isArray(state.patches) || !meta._additionalAttributes) return undefined;
  try {
    const metadata = resolvedCopy(unresolvedMetadata(object, meta, meta._additionalAttributes), true);
    const resolved = resolvedProps(state.props, metadata);
    // patches apply to the resolved value, as in toJson(); the copy is this walk's own, so patching it in place is safe
    return state.patches.length === 0 ? resolved : (JsonPatch.apply(resolved, ...state.patches) as Record<string, unknown>);
  } catch {
    // a value the walk does not know, or a producer that throws: toJson() renders it, or fails with its own message
    return undefined;
  }
}

/** `json` with the keys `ApiObject.toJson()` puts first (LEADING_KEYS) first. */
function withLeadingKeys(json: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of LEADING_KEYS) if (key in json) result[key] = json[key];
  for (const key of Object.keys(json)) if (!(key in result)) result[key] = json[key];
  return result;
}

/** Whether `resolvers` are exactly cdk8s's built-in three (an App given custom ones resolves its own way). */
function builtInResolversOnly(root: IConstruct): boolean {
  const resolvers = (root as Partial<App>).resolvers;
  return (
    Array.isArray(resolvers) &&
    resolvers.length === 3 &&
    resolvers[0] instanceof LazyResolver &&
    resolvers[1] instanceof ImplicitTokenResolver &&
    resolvers[2] instanceof NumberStringUnionResolver
  );
}

/** Renders the ApiObjects of one tree; made once per tree, since the App's resolvers decide the path. */
export type ObjectRenderer = (object: ApiObject) => KubeObject;

/**
 * A renderer for the ApiObjects under `root`'s App: each call returns what `object.toJson()`
 * returns, by the one-walk path where that is known to give the same, otherwise by
 * `toJson()` itself (whose errors it throws).
 */
export function objectRenderer(root: IConstruct): ObjectRenderer {
  const fast = builtInResolversOnly(root.node.root);
  return (object) => {
    const proto = Object.getPrototypeOf(object) as object;
    const generated = GENERATED.get(proto);
    if (!fast || (!generated && proto !== ApiObject.prototype)) return object.toJson() as KubeObject;
    const json = fastApiObjectJson(object);
    if (!json) return object.toJson() as KubeObject;
    // a generated class's conversion reads the fields by name: the order toJson() gives them first is lost on it
    if (!generated) return withLeadingKeys(json) as KubeObject;
    return { ...generated.gvk, ...generated.propsToJson(json) } as KubeObject;
  };
}
