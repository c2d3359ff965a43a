/**
 * The generated L1 code as `npm run import` rewrites it (scripts/import.js): its
 * conversions keep the defined members of a map, in order, exactly as the generator's
 * spread-per-member reduce did, and no such reduce is left in imports/.
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

  test('no spread reduce is left in the generated files', () => {
    for (const file of fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'))) {
      expect(fs.readFileSync(path.join(IMPORTS, file), 'utf8')).not.toContain('.reduce((r, i) =>');
    }
  });
});
