/**
 * A block-style YAML writer for what synth renders: plain objects and arrays of strings,
 * finite numbers, booleans and null. It writes the same bytes as the `yaml` library
 * (`lineWidth: 0`, every string a YAML 1.1 reader would misread double-quoted) with a
 * fraction of its work: no document model, no styles we never emit. Anything outside that
 * subset (a string holding a newline, a `"` where quotes are needed, a control or non-ASCII
 * character, a document marker, a key longer than 1024 characters, a number that is not
 * finite, an undefined, a class instance) makes it answer `undefined`, and the caller uses
 * the `yaml` library for that document. The tests compare the two writers on generated
 * objects and read the output back with YAML 1.1 and 1.2 readers.
 */

/**
 * Plain scalars a YAML 1.1 reader (kubectl and the API machinery read YAML 1.1 through
 * sigs.k8s.io/yaml) takes for something other than a string: booleans (`y`, `no`, `on`),
 * nulls (`~`), ints with underscores, octal, binary, hex or sexagesimal (`12:30`), floats
 * (`.inf`, `1_0.5`) and timestamps (`2001-12-14`), per the YAML 1.1 type repository, widened
 * to what the readers take beyond it: ints with a leading zero and a digit above 7 (`0_9`,
 * which go-yaml reads as the float 9), an exponent without digits before it (`e3`), and
 * dates and times with one-digit parts (`2001-1-1`, `2001-1-1 1:2:3`).
 */
const YAML11_NON_STRING = new RegExp(
  [
    'y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF',
    '~|null|Null|NULL|',
    '[-+]?0b[0-1_]+|[-+]?[0-9][0-9_]*|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+',
    // one decimal point, as the readers' float parsers take it (the type repository's `[0-9.]*` would also take 8.0.35)
    '[-+]?([0-9][0-9_]*)?\\.[0-9_]*|[-+]?([0-9][0-9_]*)?(\\.[0-9_]*)?[eE][-+]?[0-9]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)',
    '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]*)?([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?',
    '<<|=',
  ]
    .map((alternatives) => `(${alternatives})`)
    .join('|')
    .replace(/^/, '^(')
    .concat(')$'),
);

/** Whether a YAML 1.1 reader would take plain `value` for anything but this string. */
export function readsAsNonStringInYaml11(value: string): boolean {
  return YAML11_NON_STRING.test(value);
}

/**
 * Plain scalars the YAML 1.2 core schema resolves to something other than a string (the
 * `yaml` library quotes these by itself): null, booleans, ints (decimal, `0o`, `0x`) and
 * floats, as that library's core schema tests them.
 */
const YAML12_NON_STRING =
  /^(?:(?:~|[Nn]ull|NULL)?|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+)$/;

/** What the `yaml` library does not write plain: an indicator first, `: ` or ` #` inside, a space or `:` last. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/** Printable ASCII only: everything else has escapes, block styles or folding rules we do not copy. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A document marker at a line start, which the `yaml` library writes in other styles. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;

/** Longer keys are written as explicit `? key` entries. */
const MAX_IMPLICIT_KEY = 1024;

/** One indentation step, as the `yaml` library's default (`indent: 2`, sequences indented too). */
const INDENT = '  ';

/** Thrown inside the writer when a value is outside the subset; caught by `writeBlockYaml`. */
class OutsideSubset extends Error {}

/**
 * Written forms of strings met before, each `value` -> its scalar (or OUTSIDE_SUBSET). Keys and
 * most values repeat across thousands of objects (`apiVersion`, label keys, `ClusterIP`), and
 * four regular expressions per string were a fifth of writing a file. Emptied when full.
 */
const scalarCache = new Map<string, string>();
const SCALAR_CACHE_SIZE = 50_000;
const OUTSIDE_SUBSET = '';

/** A string scalar: plain when both readers take it as this string, else double-quoted. */
function scalarString(value: string): string {
  let written = scalarCache.get(value);
  if (written === undefined) {
    written = writtenScalar(value);
    if (scalarCache.size >= SCALAR_CACHE_SIZE) scalarCache.clear();
    scalarCache.set(value, written);
  }
  if (written === OUTSIDE_SUBSET) throw new OutsideSubset();
  return written;
}

/** `scalarString` without the cache; OUTSIDE_SUBSET (no scalar is written as nothing) for what the `yaml` library writes. */
function writtenScalar(value: string): string {
  if (!PRINTABLE_ASCII.test(value) || DOCUMENT_MARKER.test(value)) return OUTSIDE_SUBSET;
  if (!NOT_PLAIN.test(value) && !YAML12_NON_STRING.test(value) && !YAML11_NON_STRING.test(value)) return value;
  // with a `"` inside, the `yaml` library picks single quotes
  if (value.includes('"')) return OUTSIDE_SUBSET;
  return JSON.stringify(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A scalar, `{}` or `[]` on the current line; undefined for a non-empty map or list. */
function inline(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return scalarString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new OutsideSubset();
      return Object.is(value, -0) ? '-0' : String(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      if (!isPlainObject(value)) throw new OutsideSubset();
      return hasKeys(value) ? undefined : '{}';
    default:
      throw new OutsideSubset();
  }
}

/** Whether `value` has an own key, without listing its keys. */
function hasKeys(value: object): boolean {
  for (const name in value) if (Object.hasOwn(value, name)) return true;
  return false;
}

/**
 * The start of a line at one nesting depth: its indentation, and the `- ` or `key: ` that
 * opens it. Made once per depth and key and reused, so a scalar entry is three pieces of
 * the output (its start, its value, the line end) rather than six, and joining them copies less.
 */
interface Depth {
  /** The indentation. */
  readonly indent: string;
  /** `<indent>- `, a list item's start. */
  readonly item: string;
  /** `<indent><key>: ` by key, for a value on the same line. */
  readonly scalarEntry: Map<string, string>;
  /** `<indent><key>:\n` by key, for a map or list on the lines below. */
  readonly blockEntry: Map<string, string>;
}

/** Line starts by nesting depth; depth 0 has no indentation, so it also starts what follows a `- `. */
const DEPTHS: Depth[] = [];

function depth(level: number): Depth {
  while (DEPTHS.length <= level) {
    const indent = INDENT.repeat(DEPTHS.length);
    DEPTHS.push({ indent, item: `${indent}- `, scalarEntry: new Map(), blockEntry: new Map() });
  }
  return DEPTHS[level];
}

/** Keys a depth remembers; its maps are emptied when full, like the scalar cache. */
const ENTRY_CACHE_SIZE = 10_000;

/** `<indent><key>` followed by `suffix`, from `cache` where it was made before. */
function entryStart(at: Depth, cache: Map<string, string>, name: string, suffix: string): string {
  let start = cache.get(name);
  if (start === undefined) {
    if (name.length > MAX_IMPLICIT_KEY) throw new OutsideSubset();
    start = `${at.indent}${scalarString(name)}${suffix}`;
    if (cache.size >= ENTRY_CACHE_SIZE) cache.clear();
    cache.set(name, start);
  }
  return start;
}

/**
 * Appends the lines of a non-empty map at depth `level` to `out`; its first line starts at
 * depth `firstLevel` (0 right after a `- `, else `level`).
 */
function map(object: Record<string, unknown>, level: number, firstLevel: number, out: string[]): void {
  const at = depth(level);
  let lineAt = depth(firstLevel);
  for (const name in object) {
    if (!Object.hasOwn(object, name)) continue;
    const value = object[name];
    if (value === undefined) throw new OutsideSubset();
    const scalar = inline(value);
    if (scalar !== undefined) out.push(entryStart(lineAt, lineAt.scalarEntry, name, ': '), scalar, '\n');
    else {
      out.push(entryStart(lineAt, lineAt.blockEntry, name, ':\n'));
      block(value as object, level + 1, level + 1, out);
    }
    lineAt = at;
  }
}

/** Appends the lines of a non-empty list at depth `level` to `out`; its first line starts at depth `firstLevel`. */
function list(items: readonly unknown[], level: number, firstLevel: number, out: string[]): void {
  const at = depth(level);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) throw new OutsideSubset();
    out.push(i === 0 ? depth(firstLevel).item : at.item);
    const scalar = inline(item);
    if (scalar !== undefined) out.push(scalar, '\n');
    // what follows `- ` is on the same line, its later lines one step deeper
    else block(item as object, level + 1, 0, out);
  }
}

function block(value: object, level: number, firstLevel: number, out: string[]): void {
  if (Array.isArray(value)) list(value, level, firstLevel, out);
  else map(value as Record<string, unknown>, level, firstLevel, out);
}

/**
 * `object` as one block-style YAML document, byte for byte what the `yaml` library writes
 * with `lineWidth: 0` and every YAML 1.1 non-string double-quoted; undefined when the
 * object holds something outside the subset this writer covers. The pieces are joined once
 * at the end: a string grown by `+=` is a tree of pieces that holds several times the
 * memory of its text until something flattens it, and synth keeps every file until all are
 * written.
 */
export function writeBlockYaml(object: object): string | undefined {
  try {
    const scalar = inline(object);
    if (scalar !== undefined) return `${scalar}\n`;
    const out: string[] = [];
    block(object, 0, 0, out);
    return out.join('');
  } catch (err) {
    if (err instanceof OutsideSubset) return undefined;
    throw err;
  }
}
