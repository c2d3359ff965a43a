/**
 * The generated L1 code as `npm run import` rewrites it (scripts/import.js): its
 * conversions keep the defined members of a map, in order, exactly as the generator's
 * spread-per-member reduce did, and no such reduce is left in imports/; a struct's
 * conversion keeps its defined fields (null ones too), in the order of the type, as the
 * generator's whole result filtered by definedMembers did.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as k8s from '../../imports/k8s';

const IMPORTS = path.resolve(__dirname, '..', '..', 'imports');

/** The generator's own code, as it was before the rewrite. */
function spreadReduce<T>(obj: Record<string, T>, convert: (value: T) => unknown = (v) => v): Record<string, unknown> {
  return Object.entries(obj).reduce((r, i) => (i[1] === undefined ? r : { ...r, [i[0]]: convert(i[1]) }), {});
}

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '0', '10', 'a.b/c'));
const record = <T>(value: fc.Arbitrary<T>) => fc.array(fc.tuple(key, fc.option(value, { nil: undefined })), { maxLength: 8 }).map((entries) => {
  const out: Record<string, T | undefined> = {};
  // defineProperty: "__proto__" becomes a member here too, as JSON.parse would make it
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
});

describe('generated conversions after the rewrite', () => {
  test('a map of strings keeps its defined members, in order', () => {
    fc.assert(
      fc.property(record(fc.string()), (labels) => {
        const converted = k8s.toJson_ObjectMeta({ labels: labels as Record<string, string> })?.labels as Record<string, unknown>;
        expect(Object.entries(converted)).toEqual(Object.entries(spreadReduce(labels)));
      }),
      { numRuns: 500, seed: 20261205 },
    );
  });

  test('a map of quantities is converted member by member, in order', () => {
    fc.assert(
      fc.property(record(fc.oneof(fc.string(), fc.integer())), (amounts) => {
        const quantities = Object.fromEntries(Object.entries(amounts).map(([k, v]) => [k, v === undefined ? undefined : typeof v === 'number' ? k8s.Quantity.fromNumber(v) : k8s.Quantity.fromString(v)]));
        const converted = k8s.toJson_ResourceRequirements({ limits: quantities as Record<string, k8s.Quantity> })?.limits as Record<string, unknown>;
        expect(Object.entries(converted)).toEqual(Object.entries(spreadReduce(quantities, (q) => q?.value)));
      }),
      { numRuns: 500, seed: 20261205 },
    );
  });

  test('a struct keeps its defined fields, null ones too, in the order of its type', () => {
    // Container's plain fields in the order of the type; each has the same name in the props and on the wire
    const fields = ['args', 'command', 'image', 'imagePullPolicy', 'name', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'workingDir'];
    // a list is converted by `?.map`, which reads null as undefined: lists are given or left out
    const lists = new Set(['args', 'command']);
    const value = fc.option(fc.oneof(fc.string(), fc.boolean(), fc.constant(null)), { nil: undefined });
    fc.assert(
      fc.property(fc.array(value, { minLength: fields.length, maxLength: fields.length }), fc.shuffledSubarray([...fields.keys()]), (values, order) => {
        // the props are written in any order: the result follows the type's
        const props: Record<string, unknown> = {};
        for (const i of order) props[fields[i]] = !lists.has(fields[i]) ? values[i] : values[i] == null ? undefined : [String(values[i])];
        const expected = fields.filter((name) => props[name] !== undefined).map((name) => [name, props[name]]);
        expect(Object.entries(k8s.toJson_Container(props as unknown as k8s.Container) ?? {})).toEqual(expected);
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });

  test('a struct with nothing defined converts to an empty object, and an undefined one to undefined', () => {
    expect(k8s.toJson_PodSpec({ containers: undefined as unknown as k8s.Container[] })).toEqual({});
    expect(k8s.toJson_PodSpec(undefined)).toBeUndefined();
  });

  test('no spread reduce, and no whole result filtered afterwards, is left in the generated files', () => {
    for (const file of fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(IMPORTS, file), 'utf8');
      expect(source).not.toContain('.reduce((r, i) =>');
      expect(source).not.toContain('return definedMembers(result)');
    }
  });
});
