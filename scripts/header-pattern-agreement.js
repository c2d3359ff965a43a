#!/usr/bin/env node
/**
 * The canary header pattern checks against the parsers that read the patterns:
 * - PCRE: ingress-nginx matches `canary-by-header-pattern` with PCRE (`ngx.re.match`), and
 *   GNU grep -P compiles a pattern with PCRE2;
 * - RE2: Envoy-based gateways match an HTTPRoute's RegularExpression header match with RE2,
 *   and Go's regexp.Compile reads RE2 syntax (scripts/re2-compile, built by `go run` into
 *   Go's build cache, outside the clone).
 * For generated patterns (pieces strung at random, and patterns built by each dialect's
 * grammar), every one a check refuses must be refused by the parser too (a refusal of a
 * valid pattern would block a release); how many it lets through that the parser refuses
 * is reported. scripts/fuzz.sh runs it.
 *
 *   node scripts/header-pattern-agreement.js [COUNT] [SEED]   (needs lib/ compiled, grep -P and go)
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const fc = require('fast-check');
const { checkRegularExpression, checkRe2Expression } = require('../lib/src/library/index.js');

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20261123);

/** Patterns built by a grammar from its atoms, groups and quantifiers, so mostly valid ones: the ones a refusal must never hit. */
function grammar({ atoms, groups, quantifiers }) {
  return fc.letrec((tie) => ({
    item: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...quantifiers)).map(([a, q]) => a + q) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...groups), tie('alternation'), fc.constantFrom(...quantifiers)).map(([g, body, q]) => `${g}${body})${q}`) },
    ),
    sequence: fc.array(tie('item'), { minLength: 1, maxLength: 4 }).map((items) => items.join('')),
    alternation: fc.array(tie('sequence'), { minLength: 1, maxLength: 3 }).map((branches) => branches.join('|')),
  })).alternation;
}

/** Pieces strung together at random: mostly patterns no parser takes. */
function strung(pieces) {
  return fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((list) => list.join(''));
}

/** Pieces of both dialects: literals, metacharacters, groups, quantifiers in and out of order. */
const COMMON_PIECES = [
  ...['a', 'b', '-', '0', '.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\', '\\d', '\\w', ',', ':', '<', '>', '#', "'", '='],
  ...['(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '(?<m>', '\\k<n>', '\\1', '{2}', '{1,3}', '{3,1}', '[[:alpha:]]', '[^', '[a-'],
  // PCRE's own syntax
  ...['(?i)', '(?-i)', '(?J)', '(?i:', '(?>', '(?|', '(?P<n>', "(?'n'", '(?P=n)', '(?P>n)', '(?&n)', '(?R)', '(?1)', '(?-1)', '(?#c)', '\\Q', '\\E', '(*UCP)', '(*F)', '(*MARK:x)', '(*pla:', '(?(1)', '(?C1)', '++', '*+', '?+'],
];

/** PCRE patterns: the common pieces, and PCRE's grammar with an option or reference around it. */
const PCRE_GRAMMAR = grammar({
  atoms: ['a', 'b', '.', '\\d', '\\w', '\\.', '\\(', '[a-z]', '[^0-9]', '[]a]', '[[:alpha:]-]', '\\Q(*\\E', '\\x{41}', '\\p{L}', '(*F)', '(*ACCEPT)', '(?C1)'],
  groups: ['(', '(?:', '(?i:', '(?>', '(?|', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '(?P<p>', "(?'q'", '(*pla:', '(*atomic:'],
  quantifiers: ['', '', '*', '+', '?', '{2}', '{1,3}', '*?', '+?', '*+', '++', '?+', '{2,}+'],
});
const PCRE_PATTERNS = fc.oneof(
  strung(COMMON_PIECES),
  fc.tuple(fc.constantFrom('', '^', '(*UCP)', '(?i)', '(?J)', '(?#note)'), PCRE_GRAMMAR, fc.constantFrom('', '$', '(?1)', '\\1', '\\k<n>', '(?P=p)', '(?&n)', '(?-1)', '\\g{-2}', '(?+1)', '(?0)', '\\g0')).map((parts) => parts.join('')),
);

/** RE2 patterns: the common pieces with RE2's own escapes, classes and counts, and RE2's grammar. */
const RE2_PIECES = [
  ...COMMON_PIECES,
  ...['\\pL', '\\p{Greek}', '\\PN', '\\p{^Lu}', '\\p', '\\p{', '[[:^digit:]]', '[[:foo:]]', '(?U)', '(?s-i:', '(?-)', '(?)', '\\x{10FFFF}', '\\x{110000}', '\\x41', '\\x4'],
  ...['\\C', '\\z', '\\Z', '\\A', '\\b', '\\B', '{1001}', '{0,1000}', '{01}', '{,3}', '\\8', '\\12', '\\0', '\\177', '\\.', '\\_', '\\ ', '\\e', '\\G', '\\K', 'é', '\\é'],
  ...['[]', '[]a]', '[^]a]', '\\]', '[\\d-z]', '[a-\\d]', '[\\b]', '[z-a]', '[\\x41-\\x40]'],
];
const RE2_PATTERNS = fc.oneof(
  strung(RE2_PIECES),
  grammar({
    atoms: ['a', 'b', '.', '\\d', '\\w', '\\.', '\\(', '[a-z]', '[^0-9]', '[]a]', '[[:alpha:]-]', '\\Q(*\\E', '\\Q\\E', '\\x{41}', '\\p{L}', '\\pN', '[\\p{Greek}\\d-]', '^', '$', '\\b', '\\z', '(?i)', '\\141', 'é'],
    groups: ['(', '(?:', '(?i:', '(?s-i:', '(?P<p>', '(?<n>', '(?U:'],
    quantifiers: ['', '', '*', '+', '?', '{2}', '{1,3}', '*?', '+?', '{2,}', '{0}', '{1000}', '{2,}?', '**', '*+'],
  }),
);

/** Whether PCRE2 compiles each pattern: grep exits 2 on a pattern it cannot compile, 1 when it only finds no line in the empty file. */
function pcreCompiles(patterns) {
  const probe = spawnSync('grep', ['-P', '--', 'a', '/dev/null']);
  if (probe.status !== 1) throw new Error('grep -P (PCRE2) is not available here; install GNU grep built with PCRE');
  return patterns.map((p) => {
    const result = spawnSync('grep', ['-P', '--', p, '/dev/null'], { encoding: 'utf8' });
    if (result.error) throw result.error;
    // a limit met while matching is no compile error
    return result.status !== 2 || /exceeded PCRE's/.test(result.stderr);
  });
}

/** Whether Go's regexp (RE2 syntax) compiles each pattern, all in one run of scripts/re2-compile. */
function re2Compiles(patterns) {
  const result = spawnSync('go', ['run', path.join(__dirname, 're2-compile', 'main.go')], {
    input: patterns.map((p) => JSON.stringify(p)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.error || result.status !== 0) throw new Error(`go run scripts/re2-compile failed (Go is needed here): ${result.error?.message ?? result.stderr}`);
  const verdicts = result.stdout.trim().split('\n').map((line) => JSON.parse(line).ok);
  if (verdicts.length !== patterns.length) throw new Error(`scripts/re2-compile answered ${verdicts.length} of ${patterns.length} patterns`);
  return verdicts;
}

/** Compares one check with one parser on `count` generated patterns; false when the check refused a pattern the parser compiles. */
function agree({ dialect, parser, patterns, check, compiles }) {
  const sample = fc.sample(patterns, { numRuns: count, seed });
  const verdicts = compiles(sample);
  const falseRefusals = [];
  let refused = 0;
  let letThrough = 0;
  sample.forEach((p, i) => {
    const problem = check(p, 'canary headerPattern');
    if (problem) {
      refused++;
      if (verdicts[i]) falseRefusals.push(`${JSON.stringify(p)}: ${problem}`);
    } else if (!verdicts[i]) {
      letThrough++;
    }
  });
  console.log(`header-pattern-agreement: ${dialect}: ${count} patterns, seed ${seed}: ${refused} refused, ${falseRefusals.length} of them compiled by ${parser}; ${letThrough} let through that ${parser} refuses`);
  if (falseRefusals.length === 0) return true;
  console.error(`header-pattern-agreement: FAILED: ${falseRefusals.length} patterns ${parser} compiles were refused:\n  ${falseRefusals.slice(0, 20).join('\n  ')}`);
  return false;
}

const pcre = agree({ dialect: 'PCRE', parser: 'PCRE2', patterns: PCRE_PATTERNS, check: checkRegularExpression, compiles: pcreCompiles });
const re2 = agree({ dialect: 'RE2', parser: "Go's regexp", patterns: RE2_PATTERNS, check: checkRe2Expression, compiles: re2Compiles });
if (!pcre || !re2) process.exit(1);
