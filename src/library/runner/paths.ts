/**
 * Paths as the runner's messages and checks use them. Internal to the runner: not part of
 * the package's public entry.
 */
import * as path from 'node:path';

/** A path as people read it: relative to the working folder when inside it. */
export function shown(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative === '' ? '.' : relative.startsWith('..') ? p : relative;
}

/** Whether `ancestor` is `dir` or a folder above it. */
export function contains(ancestor: string, dir: string): boolean {
  const relative = path.relative(ancestor, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
