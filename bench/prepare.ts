/**
 * The untimed inputs of one platform size, in a process of its own:
 * `node lib/bench/prepare.js N WORKDIR [check]`. Renders the 4 environments as our synth
 * does (the project's ApplySet included), saves the final objects as JSON (the floor's input), writes the kustomize base and
 * overlays, and with `check` (the benchmark passes it at its smallest N) verifies that
 * `kustomize build` of each overlay gives exactly our objects, so the kustomize timing is
 * of the same output. The tree is made the same way at every N; checking a large N would
 * take longer than the benchmark, kustomize being superlinear.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { differingObjects, parseBuildOutput, RenderedObject, writeKustomizeTree } from './kustomize';
import { kustomizeBinFile, kustomizeDir, objectsFile } from './measure';
import { synthManifests } from 'k8s-iac';
import benchProject, { SERVICES_VARIABLE } from './bench-project';
import { BENCH_ENVIRONMENTS } from './platform';

/** Renders every environment as `k8s-iac synth` does and returns its objects, by environment. */
export function renderBenchObjects(count: number): Map<string, RenderedObject[]> {
  process.env[SERVICES_VARIABLE] = String(count);
  return new Map(BENCH_ENVIRONMENTS.map((env) => [env, synthManifests(benchProject, env).map((m) => ({ file: m.file, object: m.object }))]));
}

/** Builds each overlay and lists what differs from our objects (empty when all match). */
export function checkKustomizeOutput(bin: string, overlays: ReadonlyMap<string, string>, envs: ReadonlyMap<string, readonly RenderedObject[]>): string[] {
  const problems: string[] = [];
  for (const [env, overlay] of overlays) {
    const result = spawnSync(bin, ['build', overlay], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    if (result.status !== 0) {
      problems.push(`${env}: kustomize build failed: ${result.stderr.trim()}`);
      continue;
    }
    const differing = differingObjects(parseBuildOutput(result.stdout), envs.get(env) ?? []);
    if (differing.length > 0) problems.push(`${env}: ${differing.length} objects differ from the synth's, e.g. ${differing.slice(0, 3).join(', ')}`);
  }
  return problems;
}

function main(count: number, workdir: string, check: boolean): void {
  const envs = renderBenchObjects(count);
  fs.writeFileSync(objectsFile(workdir, count), JSON.stringify(Object.fromEntries(envs)));
  const overlays = writeKustomizeTree(kustomizeDir(workdir, count), BENCH_ENVIRONMENTS[0], envs);
  const binFile = kustomizeBinFile(workdir);
  if (!check || !fs.existsSync(binFile)) return;
  const problems = checkKustomizeOutput(fs.readFileSync(binFile, 'utf8').trim(), overlays, envs);
  if (problems.length > 0) throw new Error(`kustomize does not rebuild the synth's output at N=${count}:\n  ${problems.join('\n  ')}`);
}

if (require.main === module) {
  const [count, workdir, check] = process.argv.slice(2);
  if (!count || !workdir || (check !== undefined && check !== 'check')) {
    console.error('usage: prepare.js N WORKDIR [check]');
    process.exit(2);
  }
  main(Number(count), workdir, check === 'check');
}
