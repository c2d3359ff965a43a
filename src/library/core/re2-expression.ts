/**
 * Regular expressions as RE2 reads them. Gateways built on Envoy match an HTTPRoute's
 * `RegularExpression` header match with RE2, which refuses what it cannot run in linear
 * time (look-arounds, back references, atomic groups, possessive quantifiers) and a few
 * spellings PCRE and JavaScript take. The checker below follows RE2's grammar as Go's
 * `regexp/syntax` parses it with Perl flags (scripts/header-pattern-agreement.js holds it
 * against Go's `regexp.Compile`), and answers with the parser's own reason.
 */
import { matchAt } from './sticky-match';

/** The most a counted repetition (`{n,m}`) may count, in RE2 and Go. */
const MAX_REPEAT = 1000;

/** POSIX classes RE2 knows inside `[...]`, e.g. `[[:alpha:]]` or `[[:^digit:]]`. */
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);

/** `\d \D \s \S \w \W`: Perl classes, in and out of `[...]`. */
const PERL_CLASS = /\\[dDsSwW]/y;

/** `\pL`, `\p{Greek}`, `\P{^Lu}`: a Unicode class (its name is not checked against the Unicode tables). */
const UNICODE_CLASS = /\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])/y;

/** The start of a Unicode class whose name or braces are wrong. */
const UNICODE_CLASS_START = /\\[pP]/y;

/**
 * A character escape: octal (not a lone `\1`-`\7`, which would be a back reference), hex,
 * a control letter, or any ASCII character but a letter or digit.
 */
const CHARACTER_ESCAPE = /\\(?:[1-7][0-7]{1,2}|0[0-7]{0,2}|x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[afnrtv]|[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])/y;

/** The largest code point, past which `\x{...}` is refused. */
const MAX_CODE_POINT = 0x10ffff;

/** Escapes that are assertions outside `[...]`: text start and end, word boundaries. */
const ASSERTION_ESCAPE = /\\[AbBz]/y;

/** A counted repetition as RE2 reads one: no leading zeros; anything else in braces is literal text. */
const COUNTED_REPEAT = /\{(0|[1-9]\d*)(?:(,)(0|[1-9]\d*)?)?\}/y;

/** Flags RE2 sets for the rest of a group, `(?i)`, or for a group of their own, `(?i-s:`. */
const FLAG_GROUP = /\(\?(?:[imsU]*(?:-[imsU]+)?)([:)])/y;

/** A named capture, `(?P<name>` or `(?<name>`; any other group starting `(?` is refused. */
const NAMED_GROUP = /\(\?P?<([^>]*)>/y;

/** Code points of the escapes that name a control character. */
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** How to mend a pattern, by what RE2 found wrong with it. */
const FIX = {
  syntax: 'write \\ before each of ( ) [ ] { } * + ? | ^ $ . \\ meant as itself',
  perl: 'RE2 has no look-arounds, back references, atomic groups, possessive quantifiers or other PCRE-only syntax: write the pattern without them',
  escape: 'RE2 knows the escapes \\a \\f \\t \\n \\r \\v, octal and \\x{...} codes, \\d \\s \\w, \\p{...}, \\A \\b \\B \\z and \\ before punctuation, and no back references: write the character itself or its \\x{...} code',
  nested: 'RE2 takes one quantifier per item and no possessive ones (a*+): drop the second, or group the item before quantifying it again',
  count: 'RE2 repeats at most 1000 copies, nested counts multiplied: count fewer, or use * or +',
  name: 'name the group with letters, digits and _ only',
} as const;

/** Why RE2 refuses a pattern: its parser's wording, the piece it names, and the fix. */
class Re2SyntaxError extends Error {
  constructor(
    message: string,
    readonly fix: string = FIX.syntax,
  ) {
    super(message);
  }
}

/** What the parser met last, for deciding whether a repetition has something to repeat. */
type Previous = 'nothing' | 'item' | 'repeat';

/** An item of the pattern as far as counts go: a counted repetition's count, and what it holds. */
interface Item {
  /** The count of `{n,m}`: m, or n when m is unbounded. @default - not a counted repetition */
  readonly count?: number;
  readonly subs: readonly Item[];
}

/** A character, class or assertion: nothing inside to count. */
const LEAF: Item = { subs: [] };

/**
 * Whether the counts along every path down from `item` multiply to at most `limit` copies
 * of what is innermost, the way Go's parser tests it (`repeatIsValid`, integer division).
 */
function countsWithin(item: Item, limit: number): boolean {
  let left = limit;
  if (item.count !== undefined) {
    if (item.count === 0) return true;
    if (item.count > left) return false;
    left = Math.floor(left / item.count);
  }
  return item.subs.every((sub) => countsWithin(sub, left));
}

/** Reads one pattern by RE2's grammar, throwing Re2SyntaxError at the first piece it refuses. */
class Re2Reader {
  private index = 0;
  private previous: Previous = 'nothing';
  /** Where the repetition read last starts. */
  private lastRepeat = 0;
  /** The items of each group open at the reader's index, the whole pattern's first. */
  private readonly open: Item[][] = [[]];

  constructor(private readonly pattern: string) {}

  read(): void {
    while (this.index < this.pattern.length) this.step();
    if (this.open.length > 1) throw new Re2SyntaxError(`missing closing ): \`${this.pattern}\``);
  }

  private step(): void {
    const c = this.pattern[this.index];
    switch (c) {
      case '(':
        return this.group();
      case ')':
        if (this.open.length === 1) throw new Re2SyntaxError(`unexpected ): \`${this.pattern}\``);
        return this.item(1, { subs: this.open.pop() as Item[] });
      case '|':
        return this.advance(1, 'nothing');
      case '*':
      case '+':
      case '?':
        return this.repeat(1, {});
      case '{': {
        const counted = matchAt(COUNTED_REPEAT, this.pattern, this.index);
        if (!counted) return this.item(1);
        const min = Number(counted[1]);
        const max = counted[2] === undefined ? min : counted[3] === undefined ? undefined : Number(counted[3]);
        if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) throw new Re2SyntaxError(`invalid repeat count: \`${counted[0]}\``, FIX.count);
        return this.repeat(counted[0].length, { count: max ?? min, checked: min >= 2 || (max ?? 0) >= 2 });
      }
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      default:
        // ^ $ . and literals, one code point each
        return this.item(String.fromCodePoint(this.pattern.codePointAt(this.index) as number).length);
    }
  }

  /** Reads past an item (`length` characters) of the group open last. */
  private item(length: number, item: Item = LEAF): void {
    this.open[this.open.length - 1].push(item);
    this.advance(length, 'item');
  }

  /** Reads past a `(` that opens a group (`length` characters). */
  private openGroup(length: number): void {
    this.open.push([]);
    this.advance(length, 'nothing');
  }

  private advance(length: number, previous: Previous): void {
    this.index += length;
    this.previous = previous;
  }

  /**
   * Reads past what adds no item (flags, an empty `\Q\E`): a repetition after it repeats the
   * item before, and is no longer one repetition written right after another.
   */
  private skip(length: number): void {
    this.advance(length, this.previous === 'repeat' ? 'item' : this.previous);
  }

  /**
   * `*`, `+`, `?` or `{n,m}` (`length` characters, `count` for a counted one, `checked` when
   * Go tests its nested counts), and the `?` that makes it lazy.
   */
  private repeat(length: number, { count, checked }: { count?: number; checked?: boolean }): void {
    const lazy = this.pattern[this.index + length] === '?' ? 1 : 0;
    const operator = this.pattern.slice(this.index, this.index + length + lazy);
    if (this.previous === 'repeat') throw new Re2SyntaxError(`invalid nested repetition operator: \`${this.pattern.slice(this.lastRepeat, this.index + length + lazy)}\``, FIX.nested);
    if (this.previous === 'nothing') throw new Re2SyntaxError(`missing argument to repetition operator: \`${operator}\``);
    const items = this.open[this.open.length - 1];
    const repeated: Item = { count, subs: [items.pop() as Item] };
    if (checked && !countsWithin(repeated, MAX_REPEAT)) throw new Re2SyntaxError(`invalid repeat count: \`${this.pattern.slice(this.index, this.index + length)}\``, FIX.count);
    items.push(repeated);
    this.lastRepeat = this.index;
    this.advance(length + lazy, 'repeat');
  }

  private group(): void {
    if (this.pattern[this.index + 1] !== '?') return this.openGroup(1);
    const flags = matchAt(FLAG_GROUP, this.pattern, this.index);
    if (flags) {
      // (?i) changes flags and repeats nothing; (?i: opens a group
      return flags[1] === ':' ? this.openGroup(flags[0].length) : this.skip(flags[0].length);
    }
    const named = matchAt(NAMED_GROUP, this.pattern, this.index);
    const lookbehind = /^\(\?<[=!]/.test(this.pattern.slice(this.index, this.index + 4));
    if (named && !lookbehind) {
      // a name used twice is left alone: Go takes it (its SubexpIndex answers the leftmost)
      if (!/^\w+$/.test(named[1])) throw new Re2SyntaxError(`invalid named capture: \`${named[0]}\``, FIX.name);
      return this.openGroup(named[0].length);
    }
    const piece = /^\(\?(?:P?<[=!]?|.)?/.exec(this.pattern.slice(this.index))?.[0] ?? '(?';
    throw new Re2SyntaxError(`invalid or unsupported Perl syntax: \`${piece}\``, FIX.perl);
  }

  private escape(): void {
    if (this.index + 1 >= this.pattern.length) throw new Re2SyntaxError('trailing backslash at end of expression');
    if (this.pattern[this.index + 1] === 'Q') {
      const end = this.pattern.indexOf('\\E', this.index + 2);
      const literal = end < 0 ? this.pattern.length - this.index - 2 : end - this.index - 2;
      // an empty \Q\E quotes nothing: what comes before is still what a repetition repeats
      const length = end < 0 ? this.pattern.length - this.index : end + 2 - this.index;
      return literal > 0 ? this.item(length) : this.skip(length);
    }
    const assertion = matchAt(ASSERTION_ESCAPE, this.pattern, this.index);
    if (assertion) return this.item(2);
    this.item(this.classOrCharacterEscape());
  }

  /** The length of the Perl class, Unicode class or character escape at the reader's index; refuses any other escape. */
  private classOrCharacterEscape(): number {
    return this.classEscape() ?? this.characterEscape().length;
  }

  /**
   * The length of the Perl or Unicode class escape at the reader's index, if one is there;
   * refuses a `\p` or `\P` whose name is missing or not in braces that close.
   */
  private classEscape(): number | undefined {
    const match = matchAt(PERL_CLASS, this.pattern, this.index) ?? matchAt(UNICODE_CLASS, this.pattern, this.index);
    if (match) return match[0].length;
    if (matchAt(UNICODE_CLASS_START, this.pattern, this.index)) throw new Re2SyntaxError(`invalid character class range: \`${this.pattern.slice(this.index, this.index + 3)}\``);
    return undefined;
  }

  /** The character escape at the reader's index (not read past); refuses any other escape. */
  private characterEscape(): string {
    const escape = matchAt(CHARACTER_ESCAPE, this.pattern, this.index)?.[0];
    if (escape !== undefined && escapedCodePoint(escape) <= MAX_CODE_POINT) return escape;
    throw new Re2SyntaxError(`invalid escape sequence: \`${this.pattern.slice(this.index, this.index + 1 + String.fromCodePoint(this.pattern.codePointAt(this.index + 1) as number).length)}\``, FIX.escape);
  }

  /** `[...]`: `]` first is literal, `[:name:]` is a POSIX class, `-` between two characters is a range. */
  private characterClass(): void {
    const start = this.index;
    this.index += this.pattern[this.index + 1] === '^' ? 2 : 1;
    let first = true;
    while (first || this.pattern[this.index] !== ']') {
      if (this.index >= this.pattern.length) throw new Re2SyntaxError(`missing closing ]: \`${this.pattern.slice(start)}\``);
      first = false;
      if (this.posixClass()) continue;
      const classEscape = this.classEscape();
      if (classEscape !== undefined) {
        this.index += classEscape;
        continue;
      }
      const rangeStart = this.index;
      const low = this.classCharacter(start);
      if (this.pattern[this.index] === '-' && this.index + 1 < this.pattern.length && this.pattern[this.index + 1] !== ']') {
        this.index++;
        const high = this.classCharacter(start);
        if (high < low) throw new Re2SyntaxError(`invalid character class range: \`${this.pattern.slice(rangeStart, this.index)}\``);
      }
    }
    this.item(1);
  }

  /** A `[:name:]` at the reader's index, read past; false where there is none (then `[` is a character). */
  private posixClass(): boolean {
    if (!this.pattern.startsWith('[:', this.index)) return false;
    const end = this.pattern.indexOf(':]', this.index + 2);
    if (end < 0) return false;
    const name = this.pattern.slice(this.index + 2, end).replace(/^\^/, '');
    if (!POSIX_CLASSES.has(name)) throw new Re2SyntaxError(`invalid character class range: \`${this.pattern.slice(this.index, end + 2)}\``);
    this.index = end + 2;
    return true;
  }

  /** One character of a class, read past: its code point. */
  private classCharacter(classStart: number): number {
    if (this.index >= this.pattern.length) throw new Re2SyntaxError(`missing closing ]: \`${this.pattern.slice(classStart)}\``);
    if (this.pattern[this.index] !== '\\') {
      const point = this.pattern.codePointAt(this.index) as number;
      this.index += String.fromCodePoint(point).length;
      return point;
    }
    if (this.index + 1 >= this.pattern.length) throw new Re2SyntaxError('trailing backslash at end of expression');
    // a class (\d, \pL) cannot end a range, and assertions (\b) are no characters
    const escape = this.characterEscape();
    this.index += escape.length;
    return escapedCodePoint(escape);
  }
}

/** The code point a character escape stands for. */
function escapedCodePoint(escape: string): number {
  const body = escape.slice(1);
  if (/^[0-7]/.test(body)) return parseInt(body, 8);
  if (body.startsWith('x')) return parseInt(body.replace(/^x\{?|\}$/g, ''), 16);
  return CONTROL_ESCAPES[body] ?? (body.codePointAt(0) as number);
}

/**
 * A regular expression that RE2 cannot compile (gateways built on Envoy match HTTPRoute
 * header patterns with it): a look-around, a back reference, an atomic group or a possessive
 * quantifier, an escape RE2 does not know, counts above 1000 (nested counts multiplied), and
 * the syntax errors every dialect refuses. Where Go and C++ RE2 differ, Go is followed: a
 * group name used twice is taken, `\C` (any byte) refused. A Unicode class name
 * (`\p{Greek}`) is not checked against the Unicode tables.
 */
export function checkRe2Expression(pattern: string, what: string): string | undefined {
  try {
    new Re2Reader(pattern).read();
    return undefined;
  } catch (err) {
    if (!(err instanceof Re2SyntaxError)) throw err;
    return `${what} ${JSON.stringify(pattern)} is not an RE2 regular expression (${err.message}): ${err.fix}`;
  }
}
