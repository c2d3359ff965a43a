/**
 * `k8s-iac promote --env NAME --app NAME [--outdir DIR] [--release-dir DIR]`
 * Switches a blue-green app to its idle colour: flips `blueGreen.active` in
 * `<releaseDir>/<env>.json` (and `stable` with it: in a blue-green environment stable is
 * the release users get), re-synthesizes the environment into `<dist>/<env>`, and prints
 * what changed in its files. Only the Services' selectors change: the Deployments, their
 * selectors and the policies stay as they are, so the switch (and a rollback, which is
 * the same command again) is instant.
 *
 * Where `idleReplicas` shrinks the idle colour, a switch in the same step as its scale-up
 * would send users to pods that are still starting; so promote goes in two steps: the
 * first sets `blueGreen.warm` (the idle colour at full size), the second switches, once
 * that is applied and the preview Service answers, and clears it.
 *
 * With `--outdir DIR` the promoted manifests go to DIR/<env>, and neither the release
 * file nor dist/ is touched: a dry run, or manifests for a pipeline to apply.
 *
 * Both states are synthesized and validated in memory first; on any error nothing is
 * written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { structuredPatch } from 'diff';
import { AppRelease, Colour, otherColour } from '../core/release';
import { canaryWeightOffScale } from '../patterns/canary-ingress';
import { shown } from './paths';
import type { Project } from './project';
import { Journal, checkNoInterruptedPromote, parseReleaseState, promoteJournal, readJournal, readReleaseFile, releaseFile } from './release-state';
import { synthEnvironmentFiles } from './synth-project';
import { removeLeftTemporaries, writeFileAtomically, writeTreeAtomically } from './write-atomic';

/** What a promote does to an app's release. */
export type PromoteStep =
  /** Blue-green: the idle colour becomes active (and `stable` with it). */
  | { readonly kind: 'switch' }
  /** Canary: send this share of requests to it. */
  | { readonly kind: 'canary-weight'; readonly weight: number }
  /** Canary: it becomes the stable release, and the canary entry goes. */
  | { readonly kind: 'canary-finish' }
  /** Canary: it goes; stable stays as it is. */
  | { readonly kind: 'canary-abort' };

/** What promote is asked to do. */
export interface PromoteArgs {
  /** Environment whose release file changes. */
  readonly env: string;
  /** App of the release file to promote. */
  readonly app: string;
  /** The change. @default - switch the active colour of a blue-green app */
  readonly step?: PromoteStep;
  /** Write the promoted manifests to outdir/<env> only (release file and dist/ untouched). @default - dist, and the release file */
  readonly outdir?: string;
  /** Folder of the release files. */
  readonly releaseDir: string;
  /** Folder whose <env>/ is re-synthesized when there is no outdir. */
  readonly dist: string;
  /** Delete files in the environment's folder that synth did not write (else the promote stops, naming them). @default false */
  readonly deleteUnknown?: boolean;
}

/** What a promote changes: the release file's new text and the environment's files before and after. */
export interface PromotePlan {
  /** The release file that changes. */
  readonly file: string;
  /** What changes, for people: e.g. "active colour blue -> green". */
  readonly description: string;
  /** The colours before and after, for a blue-green switch. @default - not a switch */
  readonly from?: Colour;
  /** The colour users get after the switch. @default - not a switch */
  readonly to?: Colour;
  /** The release file's new text. */
  readonly releaseJson: string;
  /** The environment's files (path -> content) as the current release file renders them. */
  readonly before: ReadonlyMap<string, string>;
  /** The environment's files as the promoted release file renders them. */
  readonly after: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

/** Edits app `app`'s entry of the raw release JSON in place for `step`; returns what changed, for people. `file` names the release file in messages. */
function applyStep(entry: Json, release: AppRelease, step: PromoteStep, app: string, file: string): { description: string; from?: Colour; to?: Colour } {
  const where = `app "${app}" in ${file}`;
  if (step.kind === 'switch') {
    const blueGreen = release.blueGreen;
    // neither colours nor a canary: the options of either would be no use to this app
    if (!blueGreen && !release.canary) {
      throw new Error(`${where} has only a stable release, so there is nothing to promote: its release is changed by editing apps.${app}.stable in ${file}`);
    }
    if (!blueGreen) {
      throw new Error(`${where} has no blueGreen release, so there is no colour to switch to: a canary is promoted with --canary-weight N, --canary-finish or --canary-abort`);
    }
    const to = otherColour(blueGreen.active);
    const bg = entry.blueGreen as Json;
    if (blueGreen.idleReplicas !== undefined && !blueGreen.warm) {
      // the idle colour is shrunk: switching now would send users to pods that are still starting
      bg.warm = true;
      return {
        description: `${to} scaled up to full size beside ${blueGreen.active} (idleReplicas ${blueGreen.idleReplicas} keeps it smaller), ready for the switch: apply it, check ${to} through the preview Service once its pods are Ready, then promote again to switch`,
      };
    }
    bg.active = to;
    // the colour left idle shrinks to idleReplicas again once users are on the other one
    delete bg.warm;
    entry.stable = { ...(bg[to] as Json) };
    return { description: `active colour ${blueGreen.active} -> ${to}`, from: blueGreen.active, to };
  }
  const canary = release.canary;
  // a blue-green app takes no canary entry: the advice to add one would only be refused by synth
  if (!canary && release.blueGreen) throw new Error(`${where} is released blue-green, which has no canary to step: switch its colour by running the same promote without --canary-weight, --canary-finish or --canary-abort`);
  if (!canary) throw new Error(`${where} has no canary release: start one by adding a canary entry { version, image, weight }`);
  const canaryEntry = entry.canary as Json;
  switch (step.kind) {
    case 'canary-weight': {
      // checked here, so the message names the option: the file still holds the weight it had
      const scale = canaryWeightOffScale(step.weight, canary.weightTotal);
      if (scale !== undefined) throw new Error(`--canary-weight ${step.weight} is outside ${scale}${canary.weightTotal === undefined ? '' : ` of ${where}`}: give a whole number in that range`);
      canaryEntry.weight = step.weight;
      return { description: `canary ${canary.version} weight ${canary.weight ?? 0} -> ${step.weight}` };
    }
    case 'canary-finish':
      entry.stable = { version: canary.version, image: canary.image };
      delete entry.canary;
      return { description: `canary ${canary.version} becomes stable (was ${release.stable.version}), the canary entry goes` };
    case 'canary-abort':
      delete entry.canary;
      return { description: `canary ${canary.version} removed, stable stays ${release.stable.version}` };
  }
}

/** Reads and validates the release file, applies the step to the app, and synthesizes both states. */
export function planPromote(project: Project, args: Pick<PromoteArgs, 'env' | 'app' | 'releaseDir' | 'step'>): PromotePlan {
  const env = project.environments.get(args.env);
  const file = releaseFile(env.name, args.releaseDir);
  // messages name the file as synth's do: from the project's root when inside it
  const shownFile = shown(file);
  const { json: raw, indent } = readReleaseFile(file);
  const state = parseReleaseState(raw, shownFile, project.releaseApps);
  const release = state.apps[args.app];
  if (!release) {
    throw new Error(`--app ${args.app} is not an app the project releases: use one of ${Object.keys(state.apps).join(', ') || '(none)'} (the apps of ${shownFile})`);
  }
  // Edit the parsed JSON in place, so every other key keeps its value and order.
  const promoted = structuredClone(raw) as { apps: Record<string, Json> };
  const change = applyStep(promoted.apps[args.app], release, args.step ?? { kind: 'switch' }, args.app, shownFile);
  // the same text: the step sets what the file holds already (the clone keeps every key in its order)
  if (JSON.stringify(promoted) === JSON.stringify(raw)) throw new Error(`${change.description}: ${shownFile} says so already, so there is nothing to promote`);
  const before = synthEnvironmentFiles(project, env.name, { releaseDir: args.releaseDir, releaseState: state });
  const after = synthEnvironmentFiles(project, env.name, { releaseDir: args.releaseDir, releaseState: parseReleaseState(promoted, shownFile, project.releaseApps) });
  if (changedFiles(before, after).length === 0) {
    throw new Error(`${change.description} for ${args.app} in ${env.name} changes no manifest: ${env.name} does not release ${args.app} that way`);
  }
  return { file, ...change, releaseJson: `${JSON.stringify(promoted, null, indent)}\n`, before, after };
}

/** Files added, removed or changed between two trees, sorted. */
export function changedFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((f) => before.get(f) !== after.get(f)).sort();
}

/**
 * A unified diff of one file (jsdiff's Myers diff), `context` unchanged lines around each
 * change; an added or removed file diffs against /dev/null.
 */
export function unifiedDiff(file: string, before: string | undefined, after: string | undefined, context = 3): string {
  const patch = structuredPatch(file, file, before ?? '', after ?? '', undefined, undefined, { context });
  const out = [`--- ${before === undefined ? '/dev/null' : file}`, `+++ ${after === undefined ? '/dev/null' : file}`];
  for (const h of patch.hunks) {
    // an empty side starts at the line before, as GNU diff writes it (@@ -0,0 +1,2 @@)
    const start = (line: number, count: number) => (count === 0 ? line - 1 : line);
    out.push(`@@ -${start(h.oldStart, h.oldLines)},${h.oldLines} +${start(h.newStart, h.newLines)},${h.newLines} @@`, ...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return out.join('\n');
}

/** Unified diffs of the files that differ between two trees, under a folder name. */
export function diffTrees(folder: string, before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string {
  return changedFiles(before, after)
    .map((f) => unifiedDiff(`${folder}/${f}`, before.get(f), after.get(f)))
    .join('\n');
}

/** Writes the promoted folder, then the release file, with the journal around both. */
function commit(args: PromoteArgs, journal: Journal, after: ReadonlyMap<string, string>, log: (line: string) => void): void {
  const file = releaseFile(args.env, args.releaseDir);
  const journalFile = promoteJournal(args.releaseDir, args.env);
  // a release file a killed promote was writing: its temporary, never renamed into place
  removeLeftTemporaries(args.releaseDir);
  const resuming = fs.existsSync(journalFile);
  writeFileAtomically(journalFile, `${JSON.stringify(journal, null, 2)}\n`);
  try {
    writeTreeAtomically(args.dist, args.env, after, { deleteUnknown: args.deleteUnknown, notice: log });
  } catch (err) {
    // the folder write is all or nothing and the release file is not written yet: a new promote changed nothing
    if (!resuming) fs.rmSync(journalFile, { force: true });
    throw err;
  }
  writeFileAtomically(file, journal.releaseJson);
  fs.rmSync(journalFile);
  log(`${shown(file)}: ${journal.description}`);
}

/** Finishes a promote that was interrupted: the folder and the release file as the journal says. */
export function resumePromote(project: Project, args: Pick<PromoteArgs, 'env' | 'releaseDir' | 'dist' | 'deleteUnknown'>, log: (line: string) => void = console.log): void {
  const journalFile = promoteJournal(args.releaseDir, args.env);
  if (!fs.existsSync(journalFile)) throw new Error(`${shown(journalFile)} does not exist: there is no interrupted promote of ${args.env} to resume`);
  const journal = readJournal(journalFile);
  // what the journal would write to the release file: its problems are the journal's, named as its field
  const state = parseReleaseState(JSON.parse(journal.releaseJson), `${shown(journalFile)}: releaseJson`, project.releaseApps);
  const after = synthEnvironmentFiles(project, args.env, { releaseDir: args.releaseDir, releaseState: state });
  log(`${journal.app} in ${args.env}: finishing the interrupted promote (${journal.description})`);
  commit({ ...args, app: journal.app }, journal, after, log);
  log(`${shown(path.join(args.dist, args.env))}: ${after.size - 1} objects`);
}

/**
 * Promotes: prints the diff, then writes the environment's folder and the release file,
 * or, with `outdir`, only the promoted folder there. A kill or a write fault in between
 * leaves a journal that synth and promote report until `--resume` finishes the promote.
 */
export function runPromote(project: Project, args: PromoteArgs, log: (line: string) => void = console.log): PromotePlan {
  checkNoInterruptedPromote(args.releaseDir, args.env);
  const plan = planPromote(project, args);
  const outdir = args.outdir ?? args.dist;
  const folder = shown(path.join(outdir, args.env));
  log(`${args.app} in ${args.env}: ${plan.description}`);
  log(diffTrees(folder, plan.before, plan.after));
  if (args.outdir) writeTreeAtomically(args.outdir, args.env, plan.after, { deleteUnknown: args.deleteUnknown, notice: log });
  else commit(args, { app: args.app, description: plan.description, releaseJson: plan.releaseJson }, plan.after, log);
  log(`${folder}: ${plan.after.size - 1} objects`);
  return plan;
}
