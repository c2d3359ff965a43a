/**
 * Writing synthesized folders safely:
 * - **Whole or not at all.** Each `<outdir>/<env>/` is written to a temporary sibling (every
 *   new file flushed to disk; a file the current folder holds unchanged is linked from it),
 *   then swapped in with two renames (the folder flushed after); a run killed between the
 *   renames leaves `.<env>.old`, which the next run puts back (or removes) before doing
 *   anything; one whose environment is gone is put back by any run, whatever it writes.
 * - **One writer per output folder.** A lock (proper-lockfile, stale after 30 s without a
 *   refresh) is held while writing; a second run waits for it, then says who holds it.
 *   Leftover temporary folders are removed only when the process that made them is gone.
 * - **Only what synth made is replaced.** An existing `<outdir>/<env>/` must hold nothing
 *   but its `kustomization.yaml` and the files that lists (those the writer `ownsFile`, for
 *   synth the names it gives); anything else, a kustomization with fields no writer here
 *   makes included, is named and kept, unless the run is told to delete it. The output folder may not be `/`, the home folder,
 *   or a folder holding the project.
 * - **File-system faults** (no space, read-only, permission, a file where a folder goes)
 *   are one line naming the path, the cause and what to do; the old tree stays.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import YAML from 'yaml';
import { contains } from './paths';
import { isSynthFile } from './synthesize';

/** The file synth writes into each environment folder; it lists every other file there. */
export const KUSTOMIZATION = 'kustomization.yaml';

/** Name of the lock inside the output folder. */
const LOCK_NAME = '.k8s-iac.lock';

/** A lock not refreshed for this long belongs to a dead run and is taken over. */
const LOCK_STALE_MS = 30_000;

/** How long a run waits for another run's lock before it gives up. @default 120 s */
const LOCK_WAIT_MS = 120_000;

/** How to write. */
export interface WriteOptions {
  /** Delete files in an environment folder that synth did not write (they are named either way). @default false */
  readonly deleteUnknown?: boolean;
  /**
   * Which of the files a folder's kustomization lists this writer made, and so replaces; a
   * listed file it did not make (one a person listed by hand) is kept and named like any
   * other file it did not write. @default isSynthFile: the names synth gives (`fileFor`),
   * which every writer here uses, GitOps folders included
   */
  readonly ownsFile?: (file: string) => boolean;
  /** Milliseconds to wait for another run's lock on the output folder. @default 120000 */
  readonly lockWaitMs?: number;
  /**
   * Told what the run does beyond writing: that it waits for another run's lock (so it does
   * not look hung), and which files deleteUnknown deletes. @default - told nothing
   */
  readonly notice?: (message: string) => void;
}

/** How long a run waits for the lock before it says that it waits. */
const LOCK_WAIT_NOTICE_MS = 1_000;

const FS_FIXES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free space and run again',
  EDQUOT: 'the disk quota is used up: free space and run again',
  EFBIG: 'a file is larger than this file system allows: write to another file system',
  EROFS: 'the file system is read-only: write to a writable folder (--outdir)',
  EACCES: 'permission denied: make the folder writable for this user, or write elsewhere (--outdir)',
  EPERM: 'the operation is not permitted: make the folder writable for this user, or write elsewhere (--outdir)',
  ENOTDIR: 'a file stands where a folder goes: move the file away, or write elsewhere (--outdir)',
  EISDIR: 'a folder stands where a file goes: move the folder away, or write elsewhere (--outdir)',
  EEXIST: 'something already exists there: move it away, or write elsewhere (--outdir)',
  EMFILE: 'too many open files: raise the limit (ulimit -n) and run again',
};

/** An error about a file-system fault: one line naming the path, the cause and what to do. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * Rewrites a file-system error as an OutputError naming `where` (or the error's own path,
 * with a temporary folder `staging` shown as the folder it stands in for); anything else
 * passes through.
 */
export function describeFsError(err: unknown, where: string, staging?: { readonly tmp: string; readonly target: string }): Error {
  const e = err as NodeJS.ErrnoException;
  if (err instanceof OutputError || typeof e?.code !== 'string') return err as Error;
  const fix = FS_FIXES[e.code] ?? `${e.message}: fix the cause and run again`;
  const at = e.path === undefined ? where : staging && e.path.startsWith(staging.tmp) ? staging.target + e.path.slice(staging.tmp.length) : e.path;
  return new OutputError(`cannot write ${at} (${e.code}): ${fix}; nothing there was changed`);
}

/**
 * Refuses output folders whose replacement would destroy what synth did not make: the
 * file-system root, the home folder, and any folder that holds one of `protectedDirs`
 * (the project's root and sources).
 */
export function checkOutputFolder(outdir: string, protectedDirs: readonly string[] = []): void {
  if (outdir.trim() === '') throw new OutputError('the output folder is empty: pass --outdir DIR (default dist)');
  const resolved = path.resolve(outdir);
  // a symbolic link on the way leads the writes elsewhere: the checks are of where they land
  const real = realFolder(resolved);
  const shownDir = real === resolved ? resolved : `${resolved} (${real} through a symbolic link)`;
  if (real === path.parse(real).root) throw new OutputError(`refusing to write to ${shownDir}, the file-system root: pass --outdir DIR, e.g. dist`);
  if (real === realFolder(os.homedir())) throw new OutputError(`refusing to write to ${shownDir}, the home folder: pass --outdir DIR, e.g. dist`);
  for (const dir of protectedDirs) {
    const protectedReal = realFolder(dir);
    if (contains(real, protectedReal)) {
      const what = real === protectedReal ? `it is ${path.resolve(dir)}` : `it holds ${path.resolve(dir)}`;
      throw new OutputError(`refusing to write to ${shownDir}: ${what}, which synth did not make; pass --outdir DIR to a folder of its own, e.g. dist`);
    }
  }
}

/** `dir` resolved, with the symbolic links of the part of it that exists followed: where writing into it would land. */
function realFolder(dir: string): string {
  const missing: string[] = [];
  let existing = path.resolve(dir);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(fs.realpathSync(existing), ...missing);
}

/** Every file under `dir`, relative to it, with '/' separators. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * The fields of the kustomization a writer makes, and their values where fixed: one with
 * any other field (a patch, a namePrefix) was written by hand.
 */
const WRITTEN_KUSTOMIZATION: Readonly<Record<string, string | undefined>> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: undefined };

/**
 * The files the writer wrote into `target`, as its kustomization lists them: undefined where
 * no kustomization of the writer's is there (none, one that does not parse, or one written
 * by hand, as in a kustomize folder given as the output folder). Only listed files it `owns`
 * count: a file listed by hand beside them is not its to replace.
 */
function listedFiles(target: string, owns: (file: string) => boolean = isSynthFile): string[] | undefined {
  const kustomization = path.join(target, KUSTOMIZATION);
  if (!fs.existsSync(kustomization)) return undefined;
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(kustomization, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Readonly<Record<string, unknown>>;
  const written = Object.entries(fields).every(([key, value]) => key in WRITTEN_KUSTOMIZATION && (WRITTEN_KUSTOMIZATION[key] === undefined || WRITTEN_KUSTOMIZATION[key] === value));
  if (!written) return undefined;
  return Array.isArray(fields.resources) ? fields.resources.filter((r): r is string => typeof r === 'string' && owns(r)) : [];
}

/**
 * The files of `target` that synth did not write: all of them where it holds no kustomization
 * of synth's, else those its kustomization does not list as files synth `owns`.
 */
export function filesNotWrittenBySynth(target: string, owns: (file: string) => boolean = isSynthFile): string[] {
  return unlistedFiles(target, listedFiles(target, owns));
}

/** The files of `target` outside `listed` (its kustomization's own files) and that kustomization. */
function unlistedFiles(target: string, listed: readonly string[] | undefined): string[] {
  if (!fs.existsSync(target)) return [];
  if (!fs.statSync(target).isDirectory()) return [''];
  const known = new Set(listed === undefined ? [] : [KUSTOMIZATION, ...listed]);
  return filesUnder(target).filter((f) => !known.has(f));
}

function oldDir(outdir: string, env: string): string {
  return path.join(outdir, `.${env}.old`);
}

/** Whether process `pid` runs (on this machine). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts back an environment folder a killed run had moved aside, and drops temporary folders of runs that are gone. */
export function recoverInterrupted(outdir: string, env: string): void {
  const target = path.join(outdir, env);
  const old = oldDir(outdir, env);
  if (fs.existsSync(old)) {
    if (fs.existsSync(target)) fs.rmSync(old, { recursive: true, force: true });
    else fs.renameSync(old, target);
  }
  removeLeftTemporaries(outdir, `.${env}`);
}

/**
 * The environment folders of `outdir` a killed run moved aside and never replaced: each
 * `.<env>.old` that holds its kustomization where `<env>` is gone. Those are put back by any
 * run that holds the folder, whichever environments it writes; anything else left (an old
 * folder beside its replacement, temporaries) waits for the run that writes that environment.
 */
function movedAsideFolders(outdir: string): string[] {
  if (!fs.existsSync(outdir)) return [];
  return fs.readdirSync(outdir).flatMap((entry) => {
    const env = /^\.(.+)\.old$/.exec(entry)?.[1];
    return env !== undefined && !fs.existsSync(path.join(outdir, env)) && fs.existsSync(path.join(outdir, entry, KUSTOMIZATION)) ? [env] : [];
  });
}

/**
 * Removes the temporaries `<name>.tmp-<pid>` in `dir` that runs which are gone left (a kill
 * between writing one and renaming it into place): of `name` only, or of any name.
 */
export function removeLeftTemporaries(dir: string, name?: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const match = /^(.*)\.tmp-(\d+)$/.exec(entry);
    if (!match || (name !== undefined && match[1] !== name)) continue;
    const pid = Number(match[2]);
    if (!alive(pid) || pid === process.pid) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** Sleeps `ms` without an event loop (the runner is synchronous). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the lock of `outdir`, waiting up to `waitMs` for another run's; returns how to release it. */
function takeLock(outdir: string, waitMs: number, onWait: (message: string) => void = () => undefined): () => void {
  const lockfilePath = path.join(outdir, LOCK_NAME);
  const started = Date.now();
  const deadline = started + waitMs;
  let told = false;
  const since = () => (fs.existsSync(lockfilePath) ? Math.round((Date.now() - fs.statSync(lockfilePath).mtimeMs) / 1000) : 0);
  for (;;) {
    try {
      return lockfile.lockSync(outdir, { lockfilePath, realpath: false, stale: LOCK_STALE_MS, onCompromised: () => undefined });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw describeFsError(err, lockfilePath);
      if (Date.now() >= deadline) {
        throw new OutputError(
          `another run is writing ${outdir} (its lock ${lockfilePath} was refreshed ${since()}s ago): wait for it to finish; a lock left by a killed run is taken over after ${LOCK_STALE_MS / 1000}s`,
        );
      }
      if (!told && Date.now() - started >= LOCK_WAIT_NOTICE_MS) {
        told = true;
        onWait(`waiting for another run writing ${outdir} (its lock was refreshed ${since()}s ago; a lock left by a killed run is taken over after ${LOCK_STALE_MS / 1000}s)`);
      }
      sleep(100);
    }
  }
}

/** Writes a file and flushes it to disk, so a crash after the rename cannot leave it empty. */
function writeDurably(file: string, content: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a file whole or not at all: a temporary sibling, flushed to disk, renamed into place. */
export function writeFileAtomically(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeDurably(tmp, content);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw describeFsError(err, file);
  }
}

/** Flushes a folder's entries (the names of what was created or renamed in it), or a file's bytes, to disk. */
function fsyncPath(target: string, flags: 'r' | 'r+' = 'r'): void {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes every folder of a staged tree and every file written into it to disk, one by one.
 * A file linked from the current folder (more than one link) was flushed by the synth that
 * wrote it: its name is flushed with its folder.
 */
function fsyncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(entryPath);
    else if (fs.statSync(entryPath).nlink === 1) fsyncPath(entryPath, 'r+');
  }
  fsyncPath(dir);
}

/**
 * syncfs(2) of the file system holding `dir`, through coreutils' `sync --file-system`
 * (Linux): every file and folder written there reaches the disk in one journal commit.
 * False where it is not to be had or reports a fault.
 */
function syncFileSystem(dir: string): boolean {
  if (process.platform !== 'linux') return false;
  return spawnSync('sync', ['--file-system', dir], { stdio: 'ignore' }).status === 0;
}

/**
 * Flushes the staged trees to disk before they are swapped in, so a crash after the swap
 * cannot leave a file empty. One syncfs of their file system does it at once (it also waits
 * for what other programs wrote there and has not reached the disk yet); an fsync of each
 * file costs a journal commit apiece, which on ext4 took the benchmark's 69,600 files from
 * 5 s to 36 s. Where syncfs is not to be had, or reports a fault, each folder and each file
 * written is flushed on its own (and a fault is then named with its file).
 */
function flushStaged(outdir: string, staged: Iterable<string>): void {
  if (syncFileSystem(outdir)) return;
  for (const tmp of staged) fsyncTree(tmp);
}

/** Whether `file` exists and holds exactly `content`. */
function holds(file: string, content: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === content;
  } catch {
    return false;
  }
}

/** Links `existing` as `file`; false where the file system has no hard links (the file is then written). */
function linked(existing: string, file: string): boolean {
  try {
    fs.linkSync(existing, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes one environment's files (relative path, content) into a fresh temporary sibling of
 * `<outdir>/<env>` while the output is held; returns the folder for `swapInStaged`, which
 * flushes it to disk before the swap, and removes it on failure. A generator's files are
 * written as it makes them, none kept. A file the current folder already holds with the
 * same content is linked from there instead (the synth that wrote it flushed it), so an
 * unchanged file costs a read, not a write: most of a synth after a small change is
 * unchanged files.
 */
export function stageEnvironment(outdir: string, env: string, files: Iterable<readonly [string, string]>): string {
  const tmp = path.join(outdir, `.${env}.tmp-${process.pid}`);
  const current = path.join(outdir, env);
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(tmp);
    const dirs = new Set<string>();
    const hasCurrent = fs.existsSync(current);
    // files may be made as they are taken: each is written, then dropped
    for (const [file, content] of files) {
      const dir = path.dirname(file);
      if (!dirs.has(dir)) {
        fs.mkdirSync(path.join(tmp, dir), { recursive: true });
        dirs.add(dir);
      }
      if (!(hasCurrent && holds(path.join(current, file), content) && linked(path.join(current, file), path.join(tmp, file)))) fs.writeFileSync(path.join(tmp, file), content);
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw describeFsError(err, tmp, { tmp, target: path.join(outdir, env) });
  }
  return tmp;
}

/**
 * Swaps a written temporary tree in for `<outdir>/<env>`, keeping the folder it replaces as
 * `.<env>.old` until every environment is swapped; true when there was one. On a fault the
 * folder is as it was.
 */
function swapIn(outdir: string, env: string, tmp: string): boolean {
  const target = path.join(outdir, env);
  const old = oldDir(outdir, env);
  const hadTarget = fs.existsSync(target);
  try {
    if (hadTarget) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
  } catch (err) {
    if (hadTarget && !fs.existsSync(target) && fs.existsSync(old)) fs.renameSync(old, target);
    throw describeFsError(err, target);
  }
  return hadTarget;
}

/** Undoes a swapIn: the new tree back to its temporary folder, the old one back in place. */
function swapBack(outdir: string, env: string, tmp: string, hadTarget: boolean): void {
  const target = path.join(outdir, env);
  fs.renameSync(target, tmp);
  if (hadTarget) fs.renameSync(oldDir(outdir, env), target);
}

/**
 * An output folder held for writing environment folders: created, locked, its interrupted
 * runs recovered and its environment folders checked to hold only what synth wrote. Stage
 * each environment, then swap all in; release it either way.
 */
export interface HeldOutput {
  /** The output folder the lock is held on. */
  readonly outdir: string;
  /** Objects the environment folders to be replaced hold now. @default - unknown: one of them does not exist yet */
  readonly objectsBefore?: number;
  /** Marks the lock as alive: a lock not refreshed for 30 s is taken over by the next run. */
  refresh(): void;
  /** Releases the lock; after a failed run (`failed`), also removes the folders holding made, where they are still empty. */
  release(failed?: boolean): void;
}

/** Holds `outdir` for replacing the folders of `envs` (see HeldOutput); refuses folders holding files synth did not write. */
export function holdOutput(outdir: string, envs: readonly string[], options: WriteOptions = {}): HeldOutput {
  let created: string | undefined;
  try {
    created = fs.mkdirSync(outdir, { recursive: true });
  } catch (err) {
    throw describeFsError(err, outdir);
  }
  const unlock = takeLock(outdir, options.lockWaitMs ?? LOCK_WAIT_MS, options.notice);
  const release = (failed = false) => {
    unlock();
    if (failed && created !== undefined) removeEmptyFolders(outdir, created);
  };
  // each kustomization is read once: for the files synth did not write, and for how many objects there are
  let listings: (string[] | undefined)[];
  try {
    // not only the folders this run replaces: `synth --env live` after a kill mid-swap of qa puts qa back too
    for (const env of new Set([...envs, ...movedAsideFolders(outdir)])) recoverInterrupted(outdir, env);
    listings = envs.map((env) => listedFiles(path.join(outdir, env), options.ownsFile));
    const foreign = envs.flatMap((env, i) => unlistedFiles(path.join(outdir, env), listings[i]).map((f) => (f === '' ? path.join(outdir, env) : path.join(outdir, env, f))));
    if (foreign.length > 0 && !options.deleteUnknown) {
      throw new OutputError(
        `synth replaces each environment folder whole, and these files in it were not written by synth: ${foreign.join(', ')}: move them out, or run with --delete-unknown to delete them`,
      );
    }
    // the swap replaces each folder whole, so they go with it: named, as they were asked for only as "unknown"
    if (foreign.length > 0) options.notice?.(`files synth did not write go with their folder when it is replaced (--delete-unknown): ${foreign.join(', ')}`);
  } catch (err) {
    release(true);
    throw err;
  }
  const lockfilePath = path.join(outdir, LOCK_NAME);
  return {
    outdir,
    objectsBefore: listings.includes(undefined) ? undefined : listings.reduce((sum, listed) => sum + (listed?.length ?? 0), 0),
    refresh: () => {
      const now = new Date();
      fs.utimesSync(lockfilePath, now, now);
    },
    release,
  };
}

/** Removes `dir` and the folders above it up to `top`, each only while it is empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; contains(top, d); d = path.dirname(d)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

/** Removes staged folders: a run that fails changes nothing. */
export function discardStaged(staged: Iterable<string>): void {
  for (const tmp of staged) fs.rmSync(tmp, { recursive: true, force: true });
}

/**
 * Flushes the staged folders to disk, then swaps each (env -> folder) in for
 * `<outdir>/<env>`, in order; on a fault the ones swapped before it are put back and every
 * staged folder is removed, so no folder changes.
 */
export function swapInStaged(outdir: string, staged: ReadonlyMap<string, string>): void {
  try {
    flushStaged(outdir, staged.values());
  } catch (err) {
    discardStaged(staged.values());
    throw describeFsError(err, outdir);
  }
  const swapped: Array<{ readonly env: string; readonly tmp: string; readonly hadTarget: boolean }> = [];
  try {
    for (const [env, tmp] of staged) swapped.push({ env, tmp, hadTarget: swapIn(outdir, env, tmp) });
  } catch (err) {
    // all or nothing: a fault on one environment puts back the ones swapped before it
    for (const s of swapped.reverse()) swapBack(outdir, s.env, s.tmp, s.hadTarget);
    discardStaged(staged.values());
    throw err;
  }
  fsyncPath(outdir);
  for (const s of swapped) if (s.hadTarget) fs.rmSync(oldDir(outdir, s.env), { recursive: true, force: true });
}

/**
 * Replaces `<outdir>/<env>/` for every environment of `trees`, under the output folder's
 * lock. Every folder is checked first (only synth's own files may be replaced) and every
 * tree written to its temporary sibling before the first swap, so a refusal or a write
 * fault changes nothing.
 */
export function writeEnvironments(outdir: string, trees: ReadonlyMap<string, ReadonlyMap<string, string>>, options: WriteOptions = {}): void {
  const held = holdOutput(outdir, [...trees.keys()], options);
  try {
    const staged = new Map<string, string>();
    try {
      for (const [env, files] of trees) staged.set(env, stageEnvironment(outdir, env, files));
    } catch (err) {
      discardStaged(staged.values());
      throw err;
    }
    swapInStaged(outdir, staged);
  } catch (err) {
    held.release(true);
    throw err;
  }
  held.release();
}

/** Writes `files` (relative path -> content) as `<outdir>/<env>`, replacing what synth wrote there before. */
export function writeTreeAtomically(outdir: string, env: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): void {
  writeEnvironments(outdir, new Map([[env, files]]), options);
}
