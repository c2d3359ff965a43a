/**
 * The block YAML writer against the `yaml` library (same bytes wherever it answers) and
 * against readers of both YAML versions (what is written reads back as the same object).
 */
import fc from 'fast-check';
import YAML from 'yaml';
import { toYaml } from 'k8s-iac';
import { toYamlWithLibrary } from '../../src/library/runner/synthesize';
import { readsAsNonStringInYaml11, writeBlockYaml } from '../../src/library/runner/yaml-writer';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

/** Strings each reader or the writer's rules treat specially: YAML 1.1 and 1.2 non-strings, indicators, quotes, markers, escapes. */
const TRICKY = [
  ...['y', 'Y', 'yes', 'No', 'NO', 'on', 'On', 'OFF', 'true', 'False', 'TRUE', '~', 'null', 'Null', 'NULL', ''],
  ...['0', '-0', '+12', '012', '09', '0o17', '0x1F', '0b101', '1_000', '12:30', '-1:20:30.5', '190:20:30'],
  ...['1.5', '.5', '1.', '1e3', '1.5E-3', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '8.0.35', '1_0.5', 'e3', '.'],
  ...['2001-12-14', '2001-1-1 1:02:03', '2001-12-14T21:59:43.10-05:00', '2001-12-14 21:59:43.10 Z', '<<', '='],
  ...['-', '- a', '--flag', '?', '? a', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#a', 'a ', ' a', '&a', '*a', '!a', '|a', '>a'],
  ...["'a", '"a', 'a"b', "a'b", 'a\\b', '"', "'", '%a', '@a', '`a', '[a]', '{a}', 'a,b', ',a'],
  ...['---', '--- a', '...', '..a', 'a\nb', 'a\n', ' \n', '\n \t\n', 'a\tb', '\t', 'é', 'a\u0085b', 'a\u007fb', 'x'.repeat(1025)],
  ...['nginx:1.25.3', 'app.kubernetes.io/name', '500m', '1Gi', 'http://a.b/c?d=e&f', '10.0.0.0/8', '*.example.com'],
];

const CHARS = ['a', 'y', 'n', 'e', 'x', 'o', 'T', 'Z', '0', '1', '9', '.', '-', '+', '_', ':', ' ', '#', '"', "'", '\\', '~', ',', '[', '\n', '\t', 'é'];

const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 10 }), fc.string({ maxLength: 6 }));

const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
}));

const document = fc.dictionary(text, value, { maxKeys: 6 });

/** Objects of the shape synth renders, mostly inside the writer's subset. */
const manifestLike = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1'),
  kind: fc.constantFrom('ConfigMap', 'Deployment'),
  metadata: fc.record({ name: fc.constantFrom('web', 'on', 'y', '0755'), labels: fc.dictionary(fc.constantFrom('app', 'tier', 'no', '1.0'), text, { maxKeys: 3 }) }),
  spec: fc.record({ replicas: fc.integer({ min: 0, max: 50 }), ports: fc.array(fc.record({ name: text, port: fc.integer({ min: 1, max: 65535 }) }), { maxLength: 3 }), args: fc.array(text, { maxLength: 3 }) }),
});

function property(objects: fc.Arbitrary<Record<string, unknown>>, check: (object: Record<string, unknown>) => void): void {
  fc.assert(fc.property(objects, check), { numRuns: RUNS, seed: SEED });
}

describe('writeBlockYaml', () => {
  test('writes the bytes of the yaml library, or declines', () => {
    for (const objects of [document, manifestLike]) {
      property(objects, (object) => {
        const written = writeBlockYaml(object);
        if (written !== undefined) expect(written).toBe(toYamlWithLibrary(object));
      });
    }
  });

  test('covers objects of the shape synth renders whose strings are single-line printable ASCII without "', () => {
    const simple = fc.record({
      metadata: fc.record({ name: fc.constantFrom('web', 'on', '0755', '12:30', 'a: b', '-'), labels: fc.dictionary(fc.constantFrom('y', 'app'), fc.constantFrom('no', '1.0', 'x #y', ''), { maxKeys: 2 }) }),
      spec: fc.record({ ports: fc.array(fc.record({ port: fc.integer(), empty: fc.constant({}), none: fc.constant([]) }), { maxLength: 2 }), nested: fc.array(fc.array(fc.boolean(), { maxLength: 2 }), { maxLength: 2 }) }),
    });
    property(simple, (object) => expect(writeBlockYaml(object)).toBe(toYamlWithLibrary(object)));
  });

  test('declines what it does not cover', () => {
    for (const object of [{ a: 'x\ny' }, { a: '"hi" she said' }, { a: 'é' }, { a: '--- x' }, { ['k'.repeat(1025)]: 1 }, { a: Infinity }, { a: undefined }, { a: new Date(0) }]) {
      expect(writeBlockYaml(object)).toBeUndefined();
    }
  });
});

describe('toYaml', () => {
  test('a YAML 1.1 and a YAML 1.2 reader both read the same object back', () => {
    property(document, (object) => {
      const written = toYaml(object);
      expect(YAML.parse(written)).toEqual(object);
      expect(YAML.parse(written, { version: '1.1' })).toEqual(object);
    });
  });

  test('quotes every string YAML 1.1 reads as another type, and only those beyond what 1.2 needs', () => {
    expect(toYaml({ a: 'on', b: '12:30', c: '2001-1-1', h: '0_9', i: 'e3', d: '1_000', e: '.inf', f: 'web', g: '0o17', y: 'n' })).toBe(
      'a: "on"\nb: "12:30"\nc: "2001-1-1"\nh: "0_9"\ni: "e3"\nd: "1_000"\ne: ".inf"\nf: web\ng: "0o17"\n"y": "n"\n',
    );
    expect(readsAsNonStringInYaml11('8.0.35')).toBe(false);
  });
});
