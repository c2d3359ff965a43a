/**
 * Release state: the values CD changes between releases (image, canary split, active
 * colour), kept per environment in release/<env>.json so a command can change them
 * without touching code. Validated at load; every error names the file and the field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CanaryRouting } from '../patterns/canary-ingress';

/** One version of an app: the version label and its pinned image. */
export interface VersionRelease {
  readonly version: string;
  readonly image: string;
}

/** A canary: its version, which requests reach it (header, then cookie, then weight), and its size. */
export interface CanaryRelease extends VersionRelease, CanaryRouting {
  /** Pods of the canary Deployment; unset runs two, so one pod is never a single point of failure for the requests sent to it. */
  readonly replicas?: number;
}

export type Colour = 'blue' | 'green';

export interface BlueGreenRelease {
  readonly active: Colour;
  readonly blue: VersionRelease;
  readonly green: VersionRelease;
  /** Replicas of the idle colour; unset keeps it at full size for instant rollback. */
  readonly idleReplicas?: number;
}

export interface AppRelease {
  readonly stable: VersionRelease;
  readonly canary?: CanaryRelease;
  readonly blueGreen?: BlueGreenRelease;
}

export interface ReleaseState {
  readonly apps: Readonly<Record<string, AppRelease>>;
}

/** The repository root: the nearest folder above this file with a package.json (from src/ or lib/src/). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The folder holding release/<env>.json, next to src/ in the repository. */
export const RELEASE_DIR = path.join(repositoryRoot(__dirname), 'release');

export function releaseFile(env: string, dir = RELEASE_DIR): string {
  return path.join(dir, `${env}.json`);
}

export function loadReleaseState(env: string, dir = RELEASE_DIR): ReleaseState {
  const file = releaseFile(env, dir);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read release state (${(err as Error).message}): create it with an "apps" object`);
  }
  return parseReleaseState(raw, file);
}

/** The release of one app, or an error naming the missing entry. */
export function appRelease(state: ReleaseState, app: string, source: string): AppRelease {
  const release = state.apps[app];
  if (!release) throw new Error(`${source}: no release for app "${app}": add apps.${app}.stable { version, image }`);
  return release;
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly file: string) {}

  fail(where: string, message: string): undefined {
    this.problems.push(`${this.file}: ${where} ${message}`);
    return undefined;
  }

  object(value: unknown, where: string): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(where, 'must be an object');
    return value as Record<string, unknown>;
  }

  string(value: unknown, where: string): string | undefined {
    if (typeof value !== 'string' || value === '') return this.fail(where, 'must be a non-empty string');
    return value;
  }

  optionalString(value: unknown, where: string): string | undefined {
    return value === undefined ? undefined : this.string(value, where);
  }

  optionalInteger(value: unknown, where: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(where, 'must be a whole number');
    return value;
  }

  onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(`${where}.${key}`, `is not a known field: use one of ${allowed.join(', ')}`);
    }
  }
}

function readVersion(r: Reader, value: unknown, where: string, extra: readonly string[] = []): VersionRelease | undefined {
  const obj = r.object(value, where);
  if (!obj) return undefined;
  r.onlyKeys(obj, ['version', 'image', ...extra], where);
  const version = r.string(obj.version, `${where}.version`);
  const image = r.string(obj.image, `${where}.image`);
  return version && image ? { version, image } : undefined;
}

const CANARY_KEYS = ['weight', 'weightTotal', 'header', 'headerValue', 'headerPattern', 'cookie', 'replicas'] as const;

function readCanary(r: Reader, value: unknown, where: string): CanaryRelease | undefined {
  const base = readVersion(r, value, where, CANARY_KEYS);
  if (!base) return undefined;
  const obj = value as Record<string, unknown>;
  return {
    ...base,
    weight: r.optionalInteger(obj.weight, `${where}.weight`),
    weightTotal: r.optionalInteger(obj.weightTotal, `${where}.weightTotal`),
    header: r.optionalString(obj.header, `${where}.header`),
    headerValue: r.optionalString(obj.headerValue, `${where}.headerValue`),
    headerPattern: r.optionalString(obj.headerPattern, `${where}.headerPattern`),
    cookie: r.optionalString(obj.cookie, `${where}.cookie`),
    replicas: r.optionalInteger(obj.replicas, `${where}.replicas`),
  };
}

function readBlueGreen(r: Reader, value: unknown, where: string): BlueGreenRelease | undefined {
  const obj = r.object(value, where);
  if (!obj) return undefined;
  r.onlyKeys(obj, ['active', 'blue', 'green', 'idleReplicas'], where);
  const active = obj.active;
  if (active !== 'blue' && active !== 'green') r.fail(`${where}.active`, `is ${JSON.stringify(active)}: use "blue" or "green"`);
  const blue = readVersion(r, obj.blue, `${where}.blue`);
  const green = readVersion(r, obj.green, `${where}.green`);
  const idleReplicas = r.optionalInteger(obj.idleReplicas, `${where}.idleReplicas`);
  if (!blue || !green || (active !== 'blue' && active !== 'green')) return undefined;
  return { active, blue, green, idleReplicas };
}

export function parseReleaseState(raw: unknown, file: string): ReleaseState {
  const r = new Reader(file);
  const root = r.object(raw, '(top level)');
  const apps: Record<string, AppRelease> = {};
  const appsObj = root ? r.object(root.apps, 'apps') : undefined;
  for (const [name, value] of Object.entries(appsObj ?? {})) {
    const where = `apps.${name}`;
    const obj = r.object(value, where);
    if (!obj) continue;
    r.onlyKeys(obj, ['stable', 'canary', 'blueGreen'], where);
    const stable = readVersion(r, obj.stable, `${where}.stable`);
    const canary = obj.canary === undefined ? undefined : readCanary(r, obj.canary, `${where}.canary`);
    const blueGreen = obj.blueGreen === undefined ? undefined : readBlueGreen(r, obj.blueGreen, `${where}.blueGreen`);
    if (stable) apps[name] = { stable, canary, blueGreen };
  }
  if (r.problems.length > 0) throw new Error(r.problems.join('\n'));
  return { apps };
}
