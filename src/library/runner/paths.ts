/**
 * Paths as the runner's messages and checks use them. Internal to the runner: not part of
 * the package's public entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project's root: the nearest folder at or above `from` whose package.json has a
 * "k8s-iac" field, as bin/k8s-iac.js finds it. The command runs there whatever subfolder it
 * is started in, so the project's own paths (release/, the compiled project) are read from
 * it. Undefined outside a project.
 */
export function projectRoot(from: string = process.cwd()): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (hasProjectField(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether `file` is a package.json with a "k8s-iac" field; one that cannot be read or parsed has none. */
function hasProjectField(file: string): boolean {
  try {
    return Boolean((JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | null)?.['k8s-iac']);
  } catch {
    return false;
  }
}

/** The folder the project's paths are relative to: its root, as the command runs there; outside a project, the working folder. */
export function baseFolder(): string {
  return projectRoot() ?? process.cwd();
}

/**
 * A path as people read it: relative to the project's root, where the command runs (the
 * working folder outside a project), when inside it; so a test run from a subfolder names
 * files as the command does.
 */
export function shown(p: string): string {
  const relative = path.relative(baseFolder(), p);
  return relative === '' ? '.' : relative.startsWith('..') ? p : relative;
}

/** Whether `ancestor` is `dir` or a folder above it. */
export function contains(ancestor: string, dir: string): boolean {
  const relative = path.relative(ancestor, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
