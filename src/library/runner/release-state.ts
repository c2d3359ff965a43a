/**
 * Release state: the values CD changes between releases (image, canary split, active
 * colour), kept per environment in `<releaseDir>/<env>.json` so a command can change them
 * without touching code. Validated at load; every error names the file and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { AppRelease, BlueGreenRelease, CanaryRelease, COLOURS, Colour, VersionRelease } from '../core/release';
import { checkImage, checkLabelValue, checkNonNegativeInteger, describeValue } from '../core/validation';
import { checkCanaryRouting } from '../patterns/canary-ingress';
import { shown } from './paths';
import type { Release } from './project';

/** A release file's content, parsed. */
export interface ReleaseState {
  /** Each app's release (image, canary or colours), by the app's name in the file. */
  readonly apps: Readonly<Record<string, AppRelease>>;
}

/** The file of environment `env` in `dir`. */
export function releaseFile(env: string, dir: string): string {
  return path.join(dir, `${env}.json`);
}

/**
 * The journal of a promote in progress, beside the release file: written before the first
 * change, removed after the last. While it exists the release file and the environment's
 * folder may disagree, so synth and promote refuse to run until it is resumed or dropped.
 */
export function promoteJournal(releaseDir: string, env: string): string {
  return path.join(releaseDir, `.${env}.promote.json`);
}

/** What a promote journal holds: enough to finish the promote with `--resume`. */
export interface Journal {
  /** The app being promoted. */
  readonly app: string;
  /** What the promote changes, for people. */
  readonly description: string;
  /** The release file's text after the promote. */
  readonly releaseJson: string;
}

/** The fields a promote journal holds, each a string. */
const JOURNAL_FIELDS = ['app', 'description', 'releaseJson'] as const;

/**
 * The journal in `file`, or an error naming it when it is not one a promote wrote (a
 * promote writes it whole, so only a hand edit or a damaged disk gets here).
 */
export function readJournal(file: string): Journal {
  const way = `delete it to keep the release file as it is, then run the promote again`;
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${shown(file)}: is not a promote journal (${(err as Error).message}): ${way}`);
  }
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Readonly<Record<string, unknown>>) : {};
  const wrong = JOURNAL_FIELDS.filter((field) => typeof record[field] !== 'string');
  if (wrong.length > 0) throw new Error(`${shown(file)}: is not a promote journal (${wrong.join(', ')} ${wrong.length === 1 ? 'must be a string' : 'must be strings'}): ${way}`);
  const journal = record as unknown as Journal;
  try {
    JSON.parse(journal.releaseJson);
  } catch (err) {
    throw new Error(`${shown(file)}: releaseJson, the release file the promote writes, is not JSON (${(err as Error).message}): ${way}`);
  }
  return journal;
}

/** An error when an interrupted promote left a journal for `env`. */
export function checkNoInterruptedPromote(releaseDir: string, env: string): void {
  const journal = promoteJournal(releaseDir, env);
  if (fs.existsSync(journal)) {
    throw new Error(
      `${shown(journal)}: a promote of ${env} was interrupted, so ${shown(releaseFile(env, releaseDir))} and the ${env} folder may disagree: run \`k8s-iac promote --env ${env} --resume\` to finish it, or delete the journal to keep the release file as it is`,
    );
  }
}

/** The release state of a file, as raw JSON; an error naming the file when it cannot be read. */
export function readReleaseJson(file: string): unknown {
  return readReleaseFile(file).json;
}

/** A release file read: its raw JSON, and the indentation it is laid out with (JSON.stringify's argument). */
export interface ReleaseFileContent {
  readonly json: unknown;
  readonly indent: string | number | undefined;
}

/** How a release file with lines but no indented one is written: as promote writes a file it made. */
const DEFAULT_JSON_INDENT = 2;

/** The indentation of a release file's text: its first indented line's, none for a file on one line. */
function jsonIndent(text: string): string | number | undefined {
  const indented = /\n([ \t]+)"/.exec(text);
  if (indented) return indented[1].startsWith('\t') ? '\t' : indented[1].length;
  return text.trim().includes('\n') ? DEFAULT_JSON_INDENT : undefined;
}

/** readReleaseJson's JSON, with the layout promote writes the file back in. */
export function readReleaseFile(file: string): ReleaseFileContent {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new Error(`${shown(file)}: is a folder, where the release file of the environment goes: move it away, or pass --release-dir the folder that holds <env>.json`);
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : (err as Error).message;
    throw new Error(`${shown(file)}: ${why}: create it with an "apps" object holding each app's stable { version, image }`);
  }
  const json = text.replace(/^\uFEFF/, ''); // a byte-order mark some editors write
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`${shown(file)}${placeOfJsonError(json, (err as Error).message)}: is not JSON (${(err as Error).message}): fix the syntax`);
  }
  // JSON.parse keeps the last of two equal keys without a word: a YAML 1.2 reader (JSON is a subset) names them.
  const doc = YAML.parseDocument(json, { uniqueKeys: true });
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (duplicates.length > 0) {
    const fields = duplicates.map((e) => `${fieldAt(doc, e.pos[0]) ?? 'a key'} (line ${e.linePos?.[0].line ?? '?'})`).join(', ');
    throw new Error(`${shown(file)}: ${fields} written twice in one object, and only the last would count: keep one of them`);
  }
  return { json: value, indent: jsonIndent(json) };
}

/** `:line:column` of the offset a JSON.parse message names (`... in JSON at position 399`), for editors to jump to; empty without one. */
function placeOfJsonError(text: string, message: string): string {
  const offset = /at position (\d+)/.exec(message)?.[1];
  if (offset === undefined) return '';
  const before = text.slice(0, Number(offset)).split('\n');
  return `:${before.length}:${before[before.length - 1].length + 1}`;
}

/** The field path (`apps.web.stable.version`) of the key that starts at `offset` of a parsed file. */
function fieldAt(doc: YAML.Document, offset: number): string | undefined {
  let field: string | undefined;
  YAML.visit(doc, {
    Pair(_key, pair, path) {
      if (!YAML.isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      field = [...path.filter(YAML.isPair), pair].map((p) => String((p.key as YAML.Scalar).value)).join('.');
      return YAML.visit.BREAK;
    },
  });
  return field;
}

/** What a release file is checked against beyond its shape: the rules of the environment it releases to. */
export interface ReleaseRules {
  /** Every image must carry a digest (the environment's requireImageDigest). */
  readonly requireImageDigest: boolean;
}

/** Reads and validates environment `env`'s release file; `knownApps`, and only they, must appear in it. */
export function loadReleaseState(env: string, dir: string, knownApps: readonly string[], rules?: ReleaseRules): ReleaseState {
  const file = releaseFile(env, dir);
  return parseReleaseState(readReleaseJson(file), shown(file), knownApps, rules);
}

/** The typed view `build` gets of a release state. */
export function releaseOf<App extends string>(state: ReleaseState, file: string): Release<App> {
  return {
    file,
    app(app: App): AppRelease {
      if (!Object.prototype.hasOwnProperty.call(state.apps, app)) throw new Error(`${file}: no release for app "${app}": add apps.${app}.stable { version, image }`);
      return state.apps[app];
    },
  };
}

/** How problems of the file's top level name their place. */
const TOP_LEVEL = '(top level)';

/** Strings that JSON would read as the number or flag a field wants, had they no quotes. */
const QUOTED_VALUE: Readonly<Record<string, RegExp>> = { 'a whole number': /^-?[0-9]+$/, 'true or false': /^(true|false)$/ };

/** A field's problem: what it must be, and what it is (missing, empty, or its value; "50" is text to JSON, not the number). */
function mustBe(what: string, value: unknown): string {
  if (value === undefined) return `must be ${what} (it is missing)`;
  if (value === '') return `must be ${what}, not empty`;
  if (typeof value === 'string' && QUOTED_VALUE[what]?.test(value)) return `must be ${what}, not the string ${JSON.stringify(value)}: write it without quotes`;
  return `must be ${what}, not ${describeValue(value)}`;
}

class Reader {
  readonly problems: string[] = [];
  constructor(
    private readonly file: string,
    readonly rules: ReleaseRules | undefined,
  ) {}

  /** A problem whose message names its field itself. */
  report(message: string | undefined): void {
    if (message !== undefined) this.problems.push(`${this.file}: ${message}`);
  }

  fail(where: string, message: string): undefined {
    this.problems.push(`${this.file}: ${where} ${message}`);
    return undefined;
  }

  object(value: unknown, where: string): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(where, mustBe('an object', value));
    return value as Record<string, unknown>;
  }

  string(value: unknown, where: string): string | undefined {
    if (typeof value !== 'string' || value === '') return this.fail(where, mustBe('a non-empty string', value));
    return value;
  }

  optionalString(value: unknown, where: string): string | undefined {
    return value === undefined ? undefined : this.string(value, where);
  }

  optionalBoolean(value: unknown, where: string): boolean | undefined {
    if (value === undefined || typeof value === 'boolean') return value;
    return this.fail(where, mustBe('true or false', value));
  }

  optionalInteger(value: unknown, where: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(where, mustBe('a whole number', value));
    return value;
  }

  onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      // a key that would not read as a field path is quoted: "" or "a b" or "x.y"
      const field = /^[A-Za-z_][\w-]*$/.test(key) && where !== TOP_LEVEL ? `${where}.${key}` : `${where} key ${JSON.stringify(key)}`;
      this.fail(field, `is not a known field: use one of ${allowed.join(', ')}`);
    }
  }
}

/** The fields of every version entry. */
const VERSION_KEYS: readonly string[] = ['version', 'image'];

function readVersion(r: Reader, value: unknown, where: string, extra: readonly string[] = []): VersionRelease | undefined {
  const obj = r.object(value, where);
  if (!obj) return undefined;
  r.onlyKeys(obj, [...VERSION_KEYS, ...extra], where);
  const version = r.string(obj.version, `${where}.version`);
  const image = r.string(obj.image, `${where}.image`);
  // the version becomes the pods' version label: named here with its file and field, not at the construct it reaches
  if (version) r.report(checkLabelValue(version, `${where}.version`));
  // checked here, where the message can name the file and field, rather than at the workload the image ends up in
  if (image && r.rules) r.report(checkImage(image, `${where}.image`, r.rules.requireImageDigest));
  return version && image ? { version, image } : undefined;
}

const CANARY_KEYS = ['weight', 'weightTotal', 'header', 'headerValue', 'headerPattern', 'cookie', 'replicas'] as const;

function readCanary(r: Reader, value: unknown, where: string): CanaryRelease | undefined {
  const base = readVersion(r, value, where, CANARY_KEYS);
  if (!base) return undefined;
  const obj = value as Record<string, unknown>;
  const canary: CanaryRelease = {
    ...base,
    weight: r.optionalInteger(obj.weight, `${where}.weight`),
    weightTotal: r.optionalInteger(obj.weightTotal, `${where}.weightTotal`),
    header: r.optionalString(obj.header, `${where}.header`),
    headerValue: r.optionalString(obj.headerValue, `${where}.headerValue`),
    headerPattern: r.optionalString(obj.headerPattern, `${where}.headerPattern`),
    cookie: r.optionalString(obj.cookie, `${where}.cookie`),
    replicas: r.optionalInteger(obj.replicas, `${where}.replicas`),
  };
  // the routing's own rules (weight on its scale, header with its value), named by the file; a header
  // pattern's dialect is the traffic API's, which the file does not know, so the pattern is checked where it routes.
  // A misspelt field, or one that could not be read, is its own problem: the rules would judge a routing the file does not hold
  const partlyRead = Object.keys(obj).some((key) => !VERSION_KEYS.includes(key) && !(CANARY_KEYS as readonly string[]).includes(key)) || CANARY_KEYS.some((key) => obj[key] !== undefined && canary[key] === undefined);
  if (!partlyRead) for (const problem of checkCanaryRouting({ ...canary, settingsSource: where }, () => undefined)) r.report(problem);
  if (canary.replicas !== undefined) r.report(checkNonNegativeInteger(canary.replicas, `${where}.replicas`));
  return canary;
}

function readBlueGreen(r: Reader, value: unknown, where: string): BlueGreenRelease | undefined {
  const obj = r.object(value, where);
  if (!obj) return undefined;
  r.onlyKeys(obj, ['active', 'blue', 'green', 'idleReplicas', 'warm'], where);
  const active = obj.active;
  const isColour = COLOURS.includes(active as Colour);
  if (!isColour) r.fail(`${where}.active`, `is ${JSON.stringify(active)}: use "blue" or "green"`);
  const blue = readVersion(r, obj.blue, `${where}.blue`);
  const green = readVersion(r, obj.green, `${where}.green`);
  const idleReplicas = r.optionalInteger(obj.idleReplicas, `${where}.idleReplicas`);
  if (idleReplicas !== undefined) r.report(checkNonNegativeInteger(idleReplicas, `${where}.idleReplicas`));
  const warm = r.optionalBoolean(obj.warm, `${where}.warm`);
  if (warm !== undefined && idleReplicas === undefined) r.fail(`${where}.warm`, 'does nothing without idleReplicas (the idle colour runs at full size already): remove it');
  if (!blue || !green || !isColour) return undefined;
  return { active: active as Colour, blue, green, idleReplicas, warm };
}

/**
 * Validates a release file's content. With `knownApps` (the project's releaseApps), each
 * of them must have an entry and any other app is an error: a misspelled name would
 * otherwise be ignored, and a missing app would be found only when the build asks for it,
 * one app at a time and hiding the file's other problems. With `rules`, every image is
 * checked as the environment pins images. Problems name the file as `file` (as it is shown).
 */
export function parseReleaseState(raw: unknown, file: string, knownApps?: readonly string[], rules?: ReleaseRules): ReleaseState {
  const r = new Reader(file, rules);
  const root = r.object(raw, TOP_LEVEL);
  if (root) r.onlyKeys(root, ['apps'], TOP_LEVEL);
  const apps: Record<string, AppRelease> = {};
  const appsObj = root ? r.object(root.apps, 'apps') : undefined;
  const given = Object.keys(appsObj ?? {});
  // only where there is an apps object: without one, its own problem says what to write
  const missing = appsObj && knownApps ? knownApps.filter((name) => !Object.prototype.hasOwnProperty.call(appsObj, name)) : [];
  const unknown = knownApps ? given.filter((name) => !knownApps.includes(name)) : [];
  // one unknown key where one app has none is most likely that app misspelt: one problem, not two
  const misspelt = unknown.length === 1 && missing.length === 1 ? { key: unknown[0], app: missing[0] } : undefined;
  if (misspelt) r.fail(`apps.${misspelt.key}`, `is not an app of this project, and apps.${misspelt.app} has no entry: if it is ${misspelt.app} misspelt, rename the key to ${misspelt.app}`);
  for (const [name, value] of Object.entries(appsObj ?? {})) {
    const where = `apps.${name}`;
    if (unknown.includes(name)) {
      if (!misspelt) r.fail(where, `is not an app of this project: use one of ${knownApps?.join(', ') || '(none)'}`);
      continue;
    }
    const obj = r.object(value, where);
    if (!obj) continue;
    r.onlyKeys(obj, ['stable', 'canary', 'blueGreen'], where);
    const stable = readVersion(r, obj.stable, `${where}.stable`);
    const canary = obj.canary === undefined ? undefined : readCanary(r, obj.canary, `${where}.canary`);
    const blueGreen = obj.blueGreen === undefined ? undefined : readBlueGreen(r, obj.blueGreen, `${where}.blueGreen`);
    if (stable) Object.defineProperty(apps, name, { value: { stable, canary, blueGreen }, enumerable: true });
  }
  if (!misspelt) for (const name of missing) r.fail(`apps.${name}`, `is missing: add apps.${name}.stable { version, image } (every app of the project's releaseApps has an entry)`);
  if (r.problems.length > 0) throw new Error(r.problems.join('\n'));
  return { apps };
}
