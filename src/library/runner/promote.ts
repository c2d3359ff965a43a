/**
 * `k8s-iac promote --env NAME --app NAME [--outdir DIR] [--release-dir DIR]`
 * Switches a blue-green app to its idle colour: flips `blueGreen.active` in
 * `<releaseDir>/<env>.json` (and `stable` with it: in a blue-green environment stable is
 * the release users get), re-synthesizes the environment into `<dist>/<env>`, and prints
 * what changed in its files. Only the Services' selectors change: the Deployments, their
 * selectors and the policies stay as they are, so the switch (and a rollback, which is
 * the same command again) is instant.
 *
 * With `--outdir DIR` the promoted manifests go to DIR/<env>, and neither the release
 * file nor dist/ is touched: a dry run, or manifests for a pipeline to apply.
 *
 * Both states are synthesized and validated in memory first; on any error nothing is
 * written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Colour, otherColour } from '../core/release';
import type { Project } from './project';
import { parseReleaseState, readReleaseJson, releaseFile } from './release-state';
import { synthEnvironmentFiles } from './synth-project';
import { writeTreeAtomically } from './write-atomic';

/** What promote is asked to do. */
export interface PromoteArgs {
  readonly env: string;
  readonly app: string;
  /** Write the promoted manifests to outdir/<env> only (release file and dist/ untouched). @default - dist, and the release file */
  readonly outdir?: string;
  /** Folder of the release files. */
  readonly releaseDir: string;
  /** Folder whose <env>/ is re-synthesized when there is no outdir. */
  readonly dist: string;
}

/** What a promote changes: the release file's new text and the environment's files before and after. */
export interface PromotePlan {
  readonly file: string;
  readonly from: Colour;
  readonly to: Colour;
  readonly releaseJson: string;
  readonly before: ReadonlyMap<string, string>;
  readonly after: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

/** Reads and validates the release file, flips the app's colour, and synthesizes both states. */
export function planPromote(project: Project, args: Pick<PromoteArgs, 'env' | 'app' | 'releaseDir'>): PromotePlan {
  const env = project.environments.get(args.env);
  const file = releaseFile(env.name, args.releaseDir);
  const raw = readReleaseJson(file);
  const state = parseReleaseState(raw, file, project.releaseApps);
  const release = state.apps[args.app];
  if (!release) {
    throw new Error(`unknown app "${args.app}" in ${file}: use one of ${Object.keys(state.apps).join(', ') || '(none)'}`);
  }
  const blueGreen = release.blueGreen;
  if (!blueGreen) {
    throw new Error(`app "${args.app}" has no blueGreen release in ${file}, so there is no colour to switch to: promote switches blue-green apps; a canary is promoted by making it the stable entry`);
  }
  const to = otherColour(blueGreen.active);
  // Edit the parsed JSON in place, so every other key keeps its value and order.
  const promoted = structuredClone(raw) as { apps: Record<string, { stable: Json; blueGreen: Json }> };
  const entry = promoted.apps[args.app];
  entry.blueGreen.active = to;
  entry.stable = { ...(entry.blueGreen[to] as Json) };
  const before = synthEnvironmentFiles(project, env.name, { releaseDir: args.releaseDir, releaseState: state });
  const after = synthEnvironmentFiles(project, env.name, { releaseDir: args.releaseDir, releaseState: parseReleaseState(promoted, file, project.releaseApps) });
  if (changedFiles(before, after).length === 0) {
    throw new Error(`promoting ${args.app} in ${env.name} changes no manifest: ${env.name} does not release ${args.app} blue-green`);
  }
  return { file, from: blueGreen.active, to, releaseJson: `${JSON.stringify(promoted, null, 2)}\n`, before, after };
}

/** Files added, removed or changed between two trees, sorted. */
export function changedFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((f) => before.get(f) !== after.get(f)).sort();
}

type Edit = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** The shortest edit from `a` to `b`, line by line (longest common subsequence). */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // removals first, so a changed line reads as - old, + new
      edits.push({ op: '-', line: a[i++] });
    } else {
      edits.push({ op: '+', line: b[j++] });
    }
  }
  return edits;
}

function splitLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

/** A unified diff of one file, `context` unchanged lines around each change. */
export function unifiedDiff(file: string, before: string | undefined, after: string | undefined, context = 3): string {
  const edits = diffLines(splitLines(before), splitLines(after));
  const out = [`--- ${before === undefined ? '/dev/null' : file}`, `+++ ${after === undefined ? '/dev/null' : file}`];
  const changed = edits.map((e, k) => (e.op === ' ' ? -1 : k)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    // A hunk grows while at most 2 x context unchanged lines separate the next change from the last.
    let last = k;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] - 1 <= 2 * context) last++;
    const start = Math.max(0, changed[k] - context);
    const end = Math.min(edits.length, changed[last] + context + 1);
    const lineOf = (op: ' ' | '-' | '+') => 1 + edits.slice(0, start).filter((e) => e.op === ' ' || e.op === op).length;
    const hunk = edits.slice(start, end);
    const oldCount = hunk.filter((e) => e.op !== '+').length;
    const newCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${oldCount ? lineOf('-') : lineOf('-') - 1},${oldCount} +${newCount ? lineOf('+') : lineOf('+') - 1},${newCount} @@`);
    out.push(...hunk.map((e) => `${e.op}${e.line}`));
    k = last + 1;
  }
  return out.join('\n');
}

/** Unified diffs of the files that differ between two trees, under a folder name. */
export function diffTrees(folder: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string {
  return changedFiles(before, after)
    .map((f) => unifiedDiff(`${folder}/${f}`, before.get(f), after.get(f)))
    .join('\n');
}

/** Writes a file whole or not at all: a temporary sibling renamed into place. */
function writeFileAtomically(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/** A path as people read it: relative to the working folder when inside it. */
function shown(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative === '' ? '.' : relative.startsWith('..') ? p : relative;
}

/** Promotes: prints the diff, then writes the release file (unless to `outdir`) and the environment's folder. */
export function runPromote(project: Project, args: PromoteArgs, log: (line: string) => void = console.log): PromotePlan {
  const plan = planPromote(project, args);
  const outdir = args.outdir ?? args.dist;
  const folder = shown(path.join(outdir, args.env));
  log(`${args.app} in ${args.env}: active colour ${plan.from} -> ${plan.to}`);
  log(diffTrees(folder, plan.before, plan.after));
  if (!args.outdir) {
    writeFileAtomically(plan.file, plan.releaseJson);
    log(`${shown(plan.file)}: blueGreen.active is now ${plan.to}`);
  }
  writeTreeAtomically(outdir, args.env, plan.after);
  log(`${folder}: ${plan.after.size - 1} objects`);
  return plan;
}
