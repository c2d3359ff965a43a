/**
 * Property-based fuzzing of every public construct and of the release file (fast-check,
 * fixed seed). The property: synth either fails with a SynthError whose every problem names
 * the environment and a construct path (or the file and field), or it renders objects with
 * nothing but finite numbers; never a TypeError or another unhandled throw.
 *
 * A warning names the construct path of an object it rendered.
 *
 * FUZZ_RUNS (default 1000 per construct) and FUZZ_SEED change the run; FUZZ_OUT=DIR writes
 * every rendered object there, for kubeconform's strict 1.28 schemas and the API server's
 * dry run (`npm run fuzz`), and lists in DIR/synth-warnings.txt the files of the objects
 * synth warned of, which the dry run compares with the API server's own warnings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { nonFiniteFields, parseReleaseState, SynthError, toYaml } from 'k8s-iac';
import { synthScope } from 'k8s-iac/testing';
import { buildNamespace, namespace, releaseFile, SCENARIOS } from '../fuzz/arbitraries';
import { SETTINGS } from '../helpers';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const OUT = process.env.FUZZ_OUT;
/** The list of warned-of files in FUZZ_OUT, which server-dry-run.sh reads (dry-run-inputs.js). */
const WARNED_FILES = 'synth-warnings.txt';
const LOCATED = /^\[test\] shop(\/[\w-]+)*(: container (\(unnamed\)|[\w-]+))?:? \S.*/;

jest.setTimeout(600_000);

/** Counts of how the cases ended, per construct, printed for the README's fuzz figures. */
const outcomes: Record<string, { rendered: number; refused: number }> = {};

afterAll(() => {
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ runs: RUNS, seed: SEED, outcomes }, null, 2));
});

describe.each(Object.keys(SCENARIOS))('%s', (construct) => {
  test(`${RUNS} generated props: a located SynthError or finite, checked objects`, () => {
    const counts = (outcomes[construct] = { rendered: 0, refused: 0 });
    fc.assert(
      fc.property(namespace, SCENARIOS[construct], (ns, scenario) => {
        let manifests;
        const warnings: string[] = [];
        try {
          manifests = synthScope((scope) => scenario.build(buildNamespace(scope, { ...SETTINGS, nodeCount: 3, placeholderSecrets: true }, ns)), 'test', (w) => warnings.push(w));
        } catch (err) {
          if (!(err instanceof SynthError)) throw err;
          for (const problem of err.problems) expect(problem).toMatch(LOCATED);
          counts.refused++;
          return;
        }
        counts.rendered++;
        const caseDir = path.join(construct, `${counts.rendered}`);
        for (const m of manifests) {
          expect(nonFiniteFields(m.object)).toEqual([]);
          if (OUT) {
            const file = path.join(OUT, caseDir, m.file);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, toYaml(m.object));
          }
        }
        for (const warning of warnings) {
          const warned = manifests.find((m) => warning.startsWith(`[test] ${m.path}: `));
          if (!warned) throw new Error(`a warning names no rendered object: ${warning}`);
          if (OUT) fs.appendFileSync(path.join(OUT, WARNED_FILES), `${path.join(caseDir, warned.file)}\n`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // both sides of the property are exercised: some cases render, some are refused
    expect(counts.rendered).toBeGreaterThan(RUNS / 20);
    expect(counts.refused).toBeGreaterThan(RUNS / 20);
  });
});

describe('release files', () => {
  test(`${RUNS} generated files: parsed, or an error naming the file and the field`, () => {
    fc.assert(
      fc.property(releaseFile, (raw) => {
        try {
          const state = parseReleaseState(raw, 'release/test.json', ['web', 'db']);
          expect(Object.keys(state.apps).every((app) => ['web', 'db'].includes(app))).toBe(true);
        } catch (err) {
          if (!(err instanceof Error) || err instanceof TypeError) throw err;
          for (const line of err.message.split('\n')) expect(line).toMatch(/^release\/test\.json: (\(top level\)|apps(\.[^ ]+)?)( key "[^"]*")? \S/);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
