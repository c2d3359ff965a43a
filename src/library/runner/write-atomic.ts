/**
 * Replaces dist/<env>/ whole or not at all. The new tree is written to a sibling
 * temporary folder, then swapped in with two renames; a run killed between the renames
 * leaves `.<env>.old`, which the next run puts back (or removes) before doing anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function oldDir(outdir: string, env: string): string {
  return path.join(outdir, `.${env}.old`);
}

/** Puts back an environment folder a killed run had moved aside, and drops stale temp folders. */
export function recoverInterrupted(outdir: string, env: string): void {
  const target = path.join(outdir, env);
  const old = oldDir(outdir, env);
  if (fs.existsSync(old)) {
    if (fs.existsSync(target)) fs.rmSync(old, { recursive: true, force: true });
    else fs.renameSync(old, target);
  }
  if (!fs.existsSync(outdir)) return;
  for (const entry of fs.readdirSync(outdir)) {
    if (entry.startsWith(`.${env}.tmp-`)) fs.rmSync(path.join(outdir, entry), { recursive: true, force: true });
  }
}

/** Writes `files` (relative path -> content) as outdir/env, replacing what was there. */
export function writeTreeAtomically(outdir: string, env: string, files: ReadonlyMap<string, string>): void {
  fs.mkdirSync(outdir, { recursive: true });
  recoverInterrupted(outdir, env);
  const target = path.join(outdir, env);
  const tmp = path.join(outdir, `.${env}.tmp-${process.pid}`);
  fs.mkdirSync(tmp);
  try {
    const dirs = new Set([...files.keys()].map((f) => path.dirname(f)));
    for (const dir of dirs) fs.mkdirSync(path.join(tmp, dir), { recursive: true });
    for (const [file, content] of files) fs.writeFileSync(path.join(tmp, file), content);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = oldDir(outdir, env);
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  fs.renameSync(tmp, target);
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}
