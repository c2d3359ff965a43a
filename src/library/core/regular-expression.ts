/**
 * Regular expressions as PCRE reads them, checked with JavaScript's own parser: ingress-nginx
 * matches a canary's `canary-by-header-pattern` with PCRE (`ngx.re.match`), and a pattern
 * that does not compile there sends every request carrying the header to stable. PCRE's
 * syntax is a superset of what JavaScript reads for the questions asked here, so the
 * pattern's PCRE-only pieces are replaced by JavaScript stand-ins first; a refusal is then
 * one PCRE makes too (scripts/header-pattern-agreement.js holds this against PCRE2).
 */

import { checkRe2Expression } from './re2-expression';
import { matchAt } from './sticky-match';

/** A group of the pattern that PCRE syntax refers to: by number (absolute) or by name. */
type GroupReference = number | string;

/** A group referred to by its distance from the reference: `-1` the group opened last before it, `+1` the next one. */
interface RelativeReference {
  readonly relative: number;
}

/** A PCRE piece at a group's start, its JavaScript stand-in, and the group it refers to, if any. */
interface PcreGroupSyntax {
  readonly syntax: RegExp;
  readonly standIn: string | ((match: RegExpExecArray) => string);
  readonly refersTo?: (match: RegExpExecArray) => GroupReference | RelativeReference | undefined;
}

/** The name or number a reference names: digits are a number. */
function referenceOf(text: string | undefined): GroupReference | undefined {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** PCRE's backtracking verbs other than (*ACCEPT), as alternatives of a regular expression. */
const VERBS = 'FAIL|F|COMMIT|PRUNE|SKIP|THEN|MARK';

/** A stand-in that matches nothing's worth of text and, like the PCRE piece, takes no quantifier. */
const NOT_REPEATABLE = '\\b';

/**
 * PCRE syntax JavaScript lacks, tried where a `(` opens outside character classes and
 * escapes, each with a JavaScript stand-in that compiles wherever the PCRE piece does:
 * comments, recursion and back references by group, option settings, backtracking verbs,
 * callouts, conditions, option, atomic, branch-reset and alpha-named groups, Python-style
 * and quoted group names. A recursion or back reference is an item a quantifier may
 * follow, so it stands in as an empty group; an option setting, a verb or a callout is not,
 * so it stands in as an assertion.
 */
const PCRE_GROUP_SYNTAX: readonly PcreGroupSyntax[] = [
  { syntax: /\(\?#[^)]*\)/y, standIn: '' },
  { syntax: /\(\?R\)/y, standIn: '(?:)' },
  { syntax: /\(\?([-+][1-9]\d*)\)/y, standIn: '(?:)', refersTo: (m) => ({ relative: Number(m[1]) }) },
  // (?0) recurses into the whole pattern, not a group
  { syntax: /\(\?(?:(\d+)|&(\w+)|P>(\w+)|P=(\w+))\)/y, standIn: '(?:)', refersTo: (m) => (m[1] === '0' ? undefined : referenceOf(m[1] ?? m[2] ?? m[3] ?? m[4])) },
  // no quantifier may follow an option setting, a verb other than (*ACCEPT) or a callout: \b takes none either
  { syntax: /\(\?[a-zA-Z^-]*\)/y, standIn: NOT_REPEATABLE },
  { syntax: /\(\*ACCEPT(?::[^)]*)?\)/y, standIn: '(?:)' },
  { syntax: new RegExp(`\\(\\*(?:${VERBS})?(?::[^)]*)?\\)`, 'y'), standIn: NOT_REPEATABLE },
  { syntax: /\(\?C(?:\d*|"[^"]*"|'[^']*'|`[^`]*`|\{[^}]*\})\)/y, standIn: NOT_REPEATABLE },
  { syntax: /\(\?\((?:(\d+)|<(\w+)>|'(\w+)'|R\d*|R&\w+|DEFINE|VERSION>?=[\d.]+|\w+)\)/y, standIn: '(?:', refersTo: (m) => referenceOf(m[1] ?? m[2] ?? m[3]) },
  // JavaScript quantifies a lookahead only; the length limits of a lookbehind are PCRE's own
  { syntax: /\(\?<([=!])/y, standIn: (m) => `(?${m[1]}` },
  // a condition that is an assertion: the assertion stays, inside a plain group
  { syntax: /\(\?\((?=\?)/y, standIn: '(?:(' },
  { syntax: /\(\?(?:[a-zA-Z^-]+:|[>|])|\(\*[a-z_]+:/y, standIn: '(?:' },
  { syntax: /\(\?P<|\(\?'(\w+)'/y, standIn: (m) => (m[1] === undefined ? '(?<' : `(?<${m[1]}>`) },
];

/** An option PCRE takes at the start of a pattern only, e.g. `(*UCP)` or `(*LIMIT_MATCH=100)`; not a verb such as `(*F)`. */
const START_OPTION = new RegExp(`\\(\\*(?!(?:ACCEPT|${VERBS})\\))[A-Z_]+(?:=\\d+)?\\)`, 'y');

/** Back references and subroutine calls written as escapes: `\1`-`\9`, `\k<n>` and its PCRE spellings, `\g`. */
const ESCAPE_REFERENCE = /\\(?:([1-9])(?!\d)|k<(\w+)>|k'(\w+)'|k\{(\w+)\}|g\{(\w+)\}|g(\d+)|g<(\w+)>|g'(\w+)')/y;

/** Back references and subroutine calls by relative number written as escapes: `\g-1`, `\g{-1}`, `\g<+1>`, `\g'-1'`. */
const RELATIVE_ESCAPE_REFERENCE = /\\g(?:([-+][1-9]\d*)|\{([-+][1-9]\d*)\}|<([-+][1-9]\d*)>|'([-+][1-9]\d*)')/y;

/** A subroutine call written as an escape, `\g<...>` or `\g'...'`: a call of 0 runs the whole pattern, no group. */
const ESCAPE_CALL = /^\\g[<']/;

/** Where a capture group opens: a `(` not followed by `?`, or a named group (not a lookbehind). */
const CAPTURE_OPENING = /^\((?![?*])|^\(\?<(?![=!])/;

/** An escape whose value is in braces: `\x{41}`, `\o{101}`, `\p{L}`, `\P{Lu}`, `\N{U+41}`. */
const BRACED_ESCAPE = /\\[xopPN]\{[^}]*\}/y;

/** A POSIX class inside a character class, e.g. `[:alpha:]`: its `]` does not end the class. */
const POSIX_CLASS = /\[:\^?[a-z]+:\]/y;

/** Characters `\Q...\E` makes literal, escaped for JavaScript. */
const QUOTED_LITERAL = /[\\^$.*+?()[\]{}|/-]/g;

/** A PCRE pattern as JavaScript can compile it, and the groups it refers to. */
interface JavascriptStandIn {
  readonly javascript: string;
  readonly references: readonly GroupReference[];
  /** The first range in a character class with a set at an end (`\w-.`), as written. */
  readonly setInRange?: string;
}

/** An escape that stands for a set of characters inside a class (`\d`, `\w`, `\p{L}`), not for one. */
const SET_ESCAPE = /^\\(?:[dDsSwWhHvV]|[pP]\{)/;

/**
 * The items of one character class as PCRE2 pairs them into ranges: a set (`\d`,
 * `[:alpha:]`) at either end of a range is an error to PCRE2 ("invalid range in character
 * class"), though PCRE1, JavaScript and RE2 read its `-` as itself.
 */
class ClassRanges {
  private previous: 'character' | 'set' | 'range' | undefined;
  private previousText = '';
  private hyphen = false;
  /** The first range with a set at an end, as written. */
  setInRange?: string;

  /** A class opens: no item yet. */
  open(): void {
    this.previous = undefined;
    this.hyphen = false;
  }

  /** One item: a character, or a set of them; it ends a range where a `-` came before it. */
  item(kind: 'character' | 'set', text: string): void {
    if (this.hyphen) {
      this.hyphen = false;
      if ((kind === 'set' || this.previous === 'set') && this.setInRange === undefined) this.setInRange = `${this.previousText}-${text}`;
      this.previous = 'range';
      return;
    }
    this.previous = kind;
    this.previousText = text;
  }

  /** A `-`: itself first in the class or right after a range; else the middle of a range (or itself, last). */
  dash(): void {
    if (this.previous === undefined || this.previous === 'range' || this.hyphen) this.item('character', '-');
    else this.hyphen = true;
  }
}

/** The largest code point JavaScript writes as one `\\uHHHH` escape outside Unicode mode. */
const MAX_BMP = 0xffff;

/**
 * A JavaScript stand-in for a braced escape: the character itself for `\\x{hh}` and
 * `\\o{ooo}` (so a range ending in one is ordered as PCRE orders it; one past U+FFFF, which
 * JavaScript cannot write outside Unicode mode, as U+FFFF, still after every other), else a letter.
 */
function bracedStandIn(escape: string): string {
  const digits = escape.slice(3, -1);
  const point = escape[1] === 'x' ? parseInt(digits, 16) : escape[1] === 'o' ? parseInt(digits, 8) : NaN;
  return Number.isInteger(point) ? `\\u${Math.min(point, MAX_BMP).toString(16).padStart(4, '0')}` : 'a';
}

/**
 * `pattern` with its PCRE-only syntax replaced by JavaScript stand-ins, read as PCRE reads it:
 * options such as `(*UCP)` lead it, `\Q...\E` is literal text, an escape is one item
 * (`\x{41}` too), a character class runs to its first `]` (one right after `[` or `[^` is
 * literal), a possessive quantifier loses its `+`, and every reference to a group becomes
 * an empty group, listed in `references`.
 */
function javascriptStandIn(pattern: string): JavascriptStandIn {
  const references: GroupReference[] = [];
  const ranges = new ClassRanges();
  let javascript = '';
  let inClass = false;
  let i = 0;
  // capture groups opened so far, which a relative reference counts from
  let opened = 0;
  const refer = (reference: GroupReference | RelativeReference) => references.push(absolute(reference, opened));
  // where the options at the start of the pattern end
  let optionsEnd = 0;
  const emit = (text: string, length: number) => {
    javascript += text;
    i += length;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    const reference = c === '\\' && !inClass ? (matchAt(ESCAPE_REFERENCE, pattern, i) ?? matchAt(RELATIVE_ESCAPE_REFERENCE, pattern, i)) : null;
    const braced = c === '\\' ? matchAt(BRACED_ESCAPE, pattern, i) : null;
    const startOption = c === '(' && i === optionsEnd ? matchAt(START_OPTION, pattern, i) : null;
    if (startOption) {
      optionsEnd += startOption[0].length;
      emit('', startOption[0].length);
    } else if (c === '\\' && pattern[i + 1] === 'E') {
      // an \E that ends no \Q is ignored
      emit('', 2);
    } else if (c === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      const literal = pattern.slice(i + 2, end < 0 ? undefined : end);
      if (inClass && literal !== '') ranges.item('character', literal);
      emit(literal.replace(QUOTED_LITERAL, '\\$&'), end < 0 ? pattern.length - i : end + 2 - i);
    } else if (braced) {
      if (inClass) ranges.item(SET_ESCAPE.test(braced[0]) ? 'set' : 'character', braced[0]);
      // one character (or one class of them) to PCRE; JavaScript would read a quantifier in the braces
      emit(bracedStandIn(braced[0]), braced[0].length);
    } else if (reference) {
      const target = reference.slice(1).find((group) => group !== undefined) as string;
      if (/^[-+]/.test(target)) refer({ relative: Number(target) });
      else if (!(target === '0' && ESCAPE_CALL.test(reference[0]))) refer(referenceOf(target) as GroupReference);
      emit('(?:)', reference[0].length);
    } else if (c === '\\') {
      if (inClass) ranges.item(SET_ESCAPE.test(pattern.slice(i, i + 3)) ? 'set' : 'character', pattern.slice(i, i + 2));
      emit(pattern.slice(i, i + 2), 2);
    } else if (inClass) {
      const posix = matchAt(POSIX_CLASS, pattern, i);
      if (!posix && c === ']') inClass = false;
      else if (posix) ranges.item('set', posix[0]);
      else if (c === '-') ranges.dash();
      else ranges.item('character', c);
      emit(posix ? posix[0] : c, posix ? posix[0].length : 1);
    } else if (c === '[') {
      inClass = true;
      ranges.open();
      const negated = pattern[i + 1] === '^' ? '^' : '';
      const literalBracket = pattern[i + 1 + negated.length] === ']';
      if (literalBracket) ranges.item('character', ']');
      emit(`[${negated}${literalBracket ? '\\]' : ''}`, 1 + negated.length + (literalBracket ? 1 : 0));
    } else if ('*+?}'.includes(c) && pattern[i + 1] === '+') {
      emit(c, 2);
    } else {
      const group = c === '(' ? pcreGroupAt(pattern, i) : undefined;
      if (group?.reference !== undefined) refer(group.reference);
      if (c === '(' && CAPTURE_OPENING.test(group?.standIn ?? pattern.slice(i, i + 4))) opened++;
      emit(group ? group.standIn : c, group ? group.length : 1);
    }
  }
  return { javascript, references, setInRange: ranges.setInRange };
}

/**
 * A reference by the group's number as PCRE counts it: a relative one from the `opened`
 * capture groups before it (0 where it reaches back past the first group).
 */
function absolute(reference: GroupReference | RelativeReference, opened: number): GroupReference {
  if (typeof reference !== 'object') return reference;
  return Math.max(0, reference.relative < 0 ? opened + reference.relative + 1 : opened + reference.relative);
}

/** The PCRE-only group syntax at `index` of `pattern`, if any: its stand-in, length and reference. */
function pcreGroupAt(pattern: string, index: number): { standIn: string; length: number; reference?: GroupReference | RelativeReference } | undefined {
  for (const { syntax, standIn, refersTo } of PCRE_GROUP_SYNTAX) {
    const match = matchAt(syntax, pattern, index);
    if (match) return { standIn: typeof standIn === 'string' ? standIn : standIn(match), length: match[0].length, reference: refersTo?.(match) };
  }
  return undefined;
}

/** The numbered and named capture groups of a JavaScript pattern that compiles. */
function captureGroups(javascript: string): { count: number; names: ReadonlySet<string> } {
  // the empty alternative first matches at once, so the pattern itself never runs, and the match still lists every group
  const match = new RegExp(`(?:|${javascript})`).exec('') as RegExpExecArray;
  return { count: match.length - 1, names: new Set(Object.keys(match.groups ?? {})) };
}

/** JavaScript's refusal of a group name used twice, which PCRE takes under (?J) or in a branch-reset group. */
const DUPLICATE_NAME = /Duplicate capture group name/;

/** The J option (names may repeat) set anywhere, or a branch-reset group, where PCRE may take a name twice. */
const NAMES_MAY_REPEAT = /\(\?[a-zA-Z^-]*J[a-zA-Z^-]*[:)]|\(\?\|/;

/**
 * A regular expression that PCRE cannot compile (ingress-nginx matches canary header
 * patterns with it). The pattern, its PCRE-only syntax replaced by JavaScript stand-ins, is
 * refused where JavaScript's parser refuses it too (an unbalanced `(` or `[`, a quantifier
 * with nothing to repeat, a range out of order), where it refers to a group it does not
 * have, or where it names two groups alike with neither (?J) nor a branch-reset group in
 * it. The stand-ins never make a valid PCRE pattern invalid, so a valid pattern is never
 * refused (scripts/header-pattern-agreement.js holds this against PCRE2 itself).
 */
export function checkRegularExpression(pattern: string, what: string): string | undefined {
  const { javascript, references, setInRange } = javascriptStandIn(pattern);
  const fix = 'write \\ before each of ( ) [ ] { } * + ? | ^ $ . \\ meant as itself';
  try {
    new RegExp(javascript);
  } catch (err) {
    const reason = (err as Error).message.split(': ').pop() ?? '';
    if (!DUPLICATE_NAME.test(reason)) return `${what} ${JSON.stringify(pattern)} is not a regular expression (${reason}): ${fix}`;
    if (NAMES_MAY_REPEAT.test(pattern)) return undefined;
    return `${what} ${JSON.stringify(pattern)} is not a regular expression (two groups have the same name): give each group its own name, or set (?J) before them where PCRE should take a name twice`;
  }
  if (setInRange !== undefined) {
    return `${what} ${JSON.stringify(pattern)} is not a regular expression (invalid range ${setInRange} in a character class: a set such as \\d cannot end a range): write \\- for a '-' meant as itself, or put it last in the class`;
  }
  const groups = captureGroups(javascript);
  const missing = references.find((r) => (typeof r === 'number' ? r < 1 || r > groups.count : !groups.names.has(r)));
  if (missing === undefined) return undefined;
  const group =
    typeof missing === 'string' ? `a group named "${missing}", which it does not define` : missing === 0 ? 'a group before its first one' : `group ${missing}, and it has ${groups.count}`;
  return `${what} ${JSON.stringify(pattern)} is not a regular expression (it refers to ${group}): refer only to groups it defines, or ${fix}`;
}

/**
 * A dialect of regular expressions a traffic controller matches header patterns in:
 * ingress-nginx and other NGINX-based controllers read PCRE, Envoy-based gateways RE2.
 */
export type RegexDialect = 'PCRE' | 'RE2';

/** The check of each dialect, in the order problems are looked for. */
const DIALECT_CHECKS: Readonly<Record<RegexDialect, (pattern: string, what: string) => string | undefined>> = {
  PCRE: checkRegularExpression,
  RE2: checkRe2Expression,
};

/**
 * A regular expression that one of `dialects` cannot compile: the first dialect's problem,
 * since a pattern every dialect refuses has one fault, not one per dialect.
 */
export function checkRegularExpressionIn(pattern: string, what: string, dialects: readonly RegexDialect[]): string | undefined {
  for (const dialect of dialects) {
    const problem = DIALECT_CHECKS[dialect](pattern, what);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
