#!/usr/bin/env node
/**
 * The canary header pattern check against the parser that reads the pattern: ingress-nginx
 * matches `canary-by-header-pattern` with PCRE (`ngx.re.match`), and GNU grep -P compiles
 * a pattern with PCRE2. For generated patterns (pieces strung at random, and patterns built
 * by PCRE's grammar), every one `checkRegularExpression` refuses must be refused by PCRE2
 * too (a refusal of a valid pattern would block a release); how many it lets through that
 * PCRE2 refuses is reported. scripts/fuzz.sh runs it.
 *
 *   node scripts/header-pattern-agreement.js [COUNT] [SEED]   (needs lib/ compiled and grep -P)
 */
const { spawnSync } = require('node:child_process');
const fc = require('fast-check');
const { checkRegularExpression } = require('../lib/src/library/index.js');

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20261123);

/** Pieces of patterns: literals, metacharacters, groups of both syntaxes, quantifiers in and out of order. */
const PIECES = [
  ...['a', 'b', '-', '0', '.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\', '\\d', '\\w', ',', ':', '<', '>', '#', "'", '='],
  ...['(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '(?<m>', '\\k<n>', '\\1', '{2}', '{1,3}', '{3,1}', '[[:alpha:]]', '[^', '[a-'],
  // PCRE's own syntax
  ...['(?i)', '(?-i)', '(?J)', '(?i:', '(?>', '(?|', '(?P<n>', "(?'n'", '(?P=n)', '(?P>n)', '(?&n)', '(?R)', '(?1)', '(?-1)', '(?#c)', '\\Q', '\\E', '(*UCP)', '(*F)', '(*MARK:x)', '(*pla:', '(?(1)', '(?C1)', '++', '*+', '?+'],
];
/** Pieces strung together at random: mostly patterns no parser takes. */
const pieces = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((list) => list.join(''));
/** Patterns built by PCRE's grammar, so mostly valid ones: the ones a refusal must never hit. */
const QUANTIFIERS = ['', '', '*', '+', '?', '{2}', '{1,3}', '*?', '+?', '*+', '++', '?+', '{2,}+'];
const ATOMS = ['a', 'b', '.', '\\d', '\\w', '\\.', '\\(', '[a-z]', '[^0-9]', '[]a]', '[[:alpha:]-]', '\\Q(*\\E', '\\x{41}', '\\p{L}', '(*F)'];
const GROUPS = ['(', '(?:', '(?i:', '(?>', '(?|', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '(?P<p>', "(?'q'", '(*pla:', '(*atomic:'];
const grammar = fc.letrec((tie) => ({
  item: fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...GROUPS), tie('alternation'), fc.constantFrom(...QUANTIFIERS)).map(([g, body, q]) => `${g}${body})${q}`) },
  ),
  sequence: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
  alternation: fc.array(tie('sequence'), { minLength: 1, maxLength: 3 }).map((branches) => branches.join('|')),
}));
const built = fc.tuple(fc.constantFrom('', '^', '(*UCP)', '(?i)', '(?#note)'), grammar.alternation, fc.constantFrom('', '$', '(?1)', '\\1', '\\k<n>', '(?P=p)', '(?&n)')).map((parts) => parts.join(''));
const pattern = fc.oneof(pieces, built);

/** Whether PCRE2 compiles `p`: grep exits 2 on a pattern it cannot compile, 1 when it only finds no line (an empty file, so no input to write). */
function pcreCompiles(p) {
  const result = spawnSync('grep', ['-P', '--', p, '/dev/null'], { encoding: 'utf8' });
  if (result.error) throw result.error;
  // a limit met while matching is no compile error
  return result.status !== 2 || /exceeded PCRE's/.test(result.stderr);
}

const probe = spawnSync('grep', ['-P', '--', 'a', '/dev/null']);
if (probe.status !== 1) {
  console.error('header-pattern-agreement: grep -P (PCRE2) is not available here; install GNU grep built with PCRE');
  process.exit(1);
}

const falseRefusals = [];
let refused = 0;
let passedButInvalid = 0;
for (const p of fc.sample(pattern, { numRuns: count, seed })) {
  const problem = checkRegularExpression(p, 'canary headerPattern');
  const compiles = pcreCompiles(p);
  if (problem) {
    refused++;
    if (compiles) falseRefusals.push(`${JSON.stringify(p)}: ${problem}`);
  } else if (!compiles) {
    passedButInvalid++;
  }
}
console.log(`header-pattern-agreement: ${count} patterns, seed ${seed}: ${refused} refused, ${falseRefusals.length} of them compiled by PCRE2; ${passedButInvalid} let through that PCRE2 refuses`);
if (falseRefusals.length > 0) {
  console.error(`header-pattern-agreement: FAILED: ${falseRefusals.length} patterns PCRE2 compiles were refused:\n  ${falseRefusals.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
