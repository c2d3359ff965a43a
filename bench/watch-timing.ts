/**
 * `node lib/bench/watch-timing.js ROOT REPS`: the time from saving a one-line change of the
 * reference platform to `synth --watch` having written its files. Runs on a copy of the
 * project (sources, compiled lib/, release files; node_modules linked), so the clone is
 * never edited: starts the watch, then REPS times changes the dev host of go-multiroute in
 * src/platform/environments.ts (one line, back and forth) and waits for the watch's
 * "wrote" line. Prints `{"samples_s": [...]}`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** What the copy needs to build and synth the reference platform. */
const PROJECT_ENTRIES = ['package.json', 'tsconfig.json', 'cdk8s.yaml', 'bin', 'src', 'imports', 'lib', 'release'];

const CHANGED_FILE = path.join('src', 'platform', 'environments.ts');
const LINE = "host: 'go-multiroute.dev.example.com',";
const CHANGED_LINE = "host: 'go-multiroute-2.dev.example.com',";

/** How long one step (the start, or one change) may take before the measurement gives up. */
const STEP_TIMEOUT_MS = 60_000;

/** Pause between changes, so each is its own save and not part of the previous batch. */
const BETWEEN_CHANGES_MS = 300;

function copyProject(root: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-iac-bench-watch-'));
  for (const entry of PROJECT_ENTRIES) fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  return copy;
}

/** Resolves with the first stdout line of `child` matching `pattern` from now on. */
function nextLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) done(undefined, found);
    };
    const onExit = (code: number | null) => done(new Error(`synth --watch exited (${code}) before a line matching ${pattern}`));
    const done = (err?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line ?? '');
    };
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

export async function measureWatch(root: string, reps: number): Promise<number[]> {
  const copy = copyProject(root);
  const outdir = path.join(copy, 'dist');
  const file = path.join(copy, CHANGED_FILE);
  const original = fs.readFileSync(file, 'utf8');
  if (!original.includes(LINE)) throw new Error(`${CHANGED_FILE} no longer holds the line the watch timing changes (${LINE}): pick another`);
  const child = spawn(process.execPath, [path.join(copy, 'bin', 'k8s-iac.js'), 'synth', '--watch', '--outdir', outdir], { cwd: copy, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await nextLine(child, /^watch: watching /);
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      await new Promise((resolve) => setTimeout(resolve, BETWEEN_CHANGES_MS));
      const written = nextLine(child, /^watch: wrote /);
      const start = performance.now();
      fs.writeFileSync(file, i % 2 === 0 ? original.replace(LINE, CHANGED_LINE) : original);
      await written;
      samples.push((performance.now() - start) / 1000);
    }
    return samples;
  } finally {
    child.kill();
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [root, reps] = process.argv.slice(2);
  if (!root || !reps) {
    console.error('usage: watch-timing.js ROOT REPS');
    process.exit(2);
  }
  measureWatch(path.resolve(root), Number(reps)).then(
    (samples) => process.stdout.write(`${JSON.stringify({ samples_s: samples })}\n`),
    (err: Error) => {
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
