#!/usr/bin/env node
/**
 * The CronJob schedule check (checkCronSchedule) against the parser that reads schedules:
 * robfig/cron v3.0.1, which kube-apiserver 1.28 validates a schedule with and its CronJob
 * controller schedules by (scripts/cron-evaluate, run by `go run` into Go's build cache,
 * outside the clone). For generated schedules (fields of values, names, ranges and steps,
 * written as the parser takes them and as it does not; lists with empty parts; days at
 * the ends of months; descriptors), the check must refuse exactly those the server
 * refuses or the controller would never run: a refusal of a schedule that runs would block
 * a release, and a miss would write a CronJob that never starts a Job. Schedules that name
 * a time zone (TZ=) are left out: the check refuses them on purpose, for the timeZone field.
 * scripts/fuzz.sh runs it.
 *
 *   node scripts/cron-agreement.js [COUNT] [SEED]   (needs lib/ compiled and go)
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const fc = require('fast-check');
const { checkCronSchedule } = require('../lib/src/library/index.js');

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20261123);

/** Text no field takes in place of a number: signs, leading zeros and numbers past an int are taken. */
const NOT_NUMBERS = ['-1', '-0', '', 'x', '1.5', '99999999999999999999'];

/**
 * One field's parts: `*`, `?`, a value, a name or a range, each with or without a step.
 * `values` and `names` are what the field is given; a noisy field also gets text the
 * parser refuses, and steps of 0, negative or none.
 */
function field(values, names, noisy) {
  // as Go's strconv.Atoi reads them: with a leading zero or a plus sign too
  const numbers = fc.constantFrom(...values).chain((v) => fc.constantFrom(String(v), String(v), `0${v}`, `+${v}`));
  const value = fc.oneof({ weight: 6, arbitrary: names.length > 0 ? fc.oneof(numbers, fc.constantFrom(...names)) : numbers }, { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom(...NOT_NUMBERS) });
  const range = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('*', '?') },
    { weight: 3, arbitrary: value },
    { weight: 2, arbitrary: fc.tuple(value, value).map(([a, b]) => `${a}-${b}`) },
    { weight: noisy ? 1 : 0, arbitrary: fc.tuple(value, value, value).map((parts) => parts.join('-')) },
    // a star before '-' is the whole field to the parser, whatever follows
    { weight: noisy ? 1 : 0, arbitrary: fc.tuple(fc.constantFrom('*', '?'), value).map(([star, v]) => `${star}-${v}`) },
  );
  const step = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom('/1', '/2', '/3', '/7', '/01', '/+1', '/40') }, { weight: noisy ? 1 : 0, arbitrary: fc.constantFrom('/0', '/-1', '/', '/x', '/1/2', '/9223372036854775807', '/9223372036854775808') });
  const part = fc.tuple(range, step).map(([r, s]) => r + s);
  const list = fc.array(fc.oneof({ weight: 6, arbitrary: part }, { weight: 1, arbitrary: fc.constant('') }), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(','));
  return fc.oneof({ weight: 5, arbitrary: part }, { weight: 2, arbitrary: list });
}

/** A schedule's five fields: each field's values in bounds, at its ends and, when noisy, past them. */
function fiveFields(noisy) {
  const past = (inBounds, outside) => (noisy ? [...inBounds, ...outside] : inBounds);
  return fc
    .tuple(
      field(past([0, 5, 30, 59], [60]), [], noisy),
      field(past([0, 2, 23], [24]), [], noisy),
      field(past([1, 15, 28, 29, 30, 31], [0, 32]), [], noisy),
      field(past([1, 2, 4, 6, 9, 11, 12], [0, 13]), past(['jan', 'FEB', 'apr', 'Jun', 'sep', 'nov', 'dec'], ['feb2']), noisy),
      field(past([0, 1, 5, 6], [7]), past(['sun', 'MON', 'Fri', 'sat'], ['sunday']), noisy),
    )
    .chain((fields) => fc.tuple(...fields.slice(1).map(() => GAP)).map((gaps) => fields.map((f, i) => (i === 0 ? f : gaps[i - 1] + f)).join('')));
}

/** What stands between fields: spaces and other white space, some of which Go and JavaScript count differently. */
const GAP = fc.constantFrom(' ', ' ', ' ', ' ', '  ', '\t', '\u00a0', '\u0085', '\ufeff');

/** Days that may never come, with the other fields plain: the controller's side of the check. */
const DAYS_AT_MONTH_ENDS = fc.tuple(field([28, 29, 30, 31], [], false), field([2, 4, 6, 9, 11], ['feb', 'apr', 'jun', 'SEP', 'nov'], false), field([0, 1, 6], ['mon'], false)).map(([d, m, w]) => `0 0 ${d} ${m} ${w}`);
const otherForms = fc.constantFrom('@daily', '@hourly', '@yearly', '@annually', '@monthly', '@weekly', '@midnight', '@every 90m', '@every 1h30m', '@every 0', '@every .5h', '@every 1', '@every', '@fortnightly', ' @daily', '@daily ', '', '  ', '0 0 * *', '0 0 * * * *', '* * * * *');

const schedules = fc.sample(fc.oneof({ weight: 3, arbitrary: fiveFields(true) }, { weight: 3, arbitrary: fiveFields(false) }, { weight: 3, arbitrary: DAYS_AT_MONTH_ENDS }, { weight: 1, arbitrary: otherForms }), { numRuns: count, seed });

/** The parser's verdict on each schedule, in one run of scripts/cron-evaluate. */
function parserVerdicts(list) {
  const result = spawnSync('go', ['run', '.'], { cwd: path.join(__dirname, 'cron-evaluate'), input: JSON.stringify(list), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) throw new Error(`go run scripts/cron-evaluate failed (Go is needed here): ${result.error?.message ?? result.stderr}`);
  const verdicts = JSON.parse(result.stdout);
  if (verdicts.length !== list.length) throw new Error(`scripts/cron-evaluate answered ${verdicts.length} of ${list.length} schedules`);
  return verdicts;
}

const verdicts = parserVerdicts(schedules);
const disagreements = schedules.flatMap((schedule, i) => {
  const problem = checkCronSchedule(schedule, 'schedule');
  const { taken, runs, error } = verdicts[i];
  return (problem !== undefined) === (taken && runs) ? [{ schedule, check: problem ?? 'passes', parser: taken ? (runs ? 'runs' : 'taken, never runs') : `refused: ${error}` }] : [];
});
const taken = verdicts.filter((v) => v.taken).length;
const never = verdicts.filter((v) => v.taken && !v.runs).length;
console.log(`cron: ${count} schedules (seed ${seed}), ${taken} taken by robfig/cron v3.0.1 (${never} of them never run); the check agrees on ${count - disagreements.length}`);
if (disagreements.length > 0) {
  for (const d of disagreements.slice(0, 8)) console.error(JSON.stringify(d));
  console.error(`cron: FAILED: the check and the parser disagree on ${disagreements.length} schedules`);
  process.exit(1);
}
