/**
 * `synth --watch` on the reference platform: a release file change re-synthesizes its
 * environment only, a failing change writes nothing, and the watch goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthProjectFiles, Watch, watchProject, writeEnvironments } from 'k8s-iac';
import { PROJECT, readTree, releaseCopy, tmpdir } from '../helpers';

const ENVS = ['dev', 'prod'];

jest.setTimeout(60_000);

/** Waits until `lines` holds a line matching `pattern`. */
async function lineMatching(lines: readonly string[], pattern: RegExp, also: readonly string[] = [], timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = lines.find((l) => pattern.test(l));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in: ${[...lines, ...also].join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('synth --watch', () => {
  let watch: Watch | undefined;
  afterEach(() => watch?.close());

  function start() {
    const out = tmpdir('watch-test');
    const releases = releaseCopy();
    const written = synthProjectFiles(PROJECT, ENVS, { releaseDir: releases });
    writeEnvironments(out, written);
    const logs: string[] = [];
    const errors: string[] = [];
    watch = watchProject(PROJECT, written, { envs: ENVS, outdir: out, releaseDir: releases, write: {}, load: () => PROJECT, log: (l) => logs.push(l), error: (l) => errors.push(l) });
    return { out, releases, logs, errors };
  }

  type Version = { version: string; image: string };
  function editRelease(releases: string, env: string, edit: (state: { apps: Record<string, { stable: Version; blueGreen: { active: string; green: Version } }> }) => void): void {
    const file = path.join(releases, `${env}.json`);
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(state);
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
  }

  test('a release file change writes its environment only', async () => {
    const { out, releases, logs, errors } = start();
    const dev = readTree(path.join(out, 'dev'));
    const prod = readTree(path.join(out, 'prod'));
    editRelease(releases, 'prod', (s) => {
      const app = s.apps['go-multiroute'];
      app.blueGreen.active = 'green';
      app.stable = app.blueGreen.green;
    });
    expect(await lineMatching(logs, /^watch: wrote /, errors)).toMatch(/^watch: wrote prod \d+ ms after the change$/);
    expect(readTree(path.join(out, 'dev'))).toEqual(dev);
    expect(readTree(path.join(out, 'prod'))).not.toEqual(prod);
    expect(readTree(path.join(out, 'prod'))).toEqual(Object.fromEntries(synthProjectFiles(PROJECT, ['prod'], { releaseDir: releases }).get('prod') ?? []));
  });

  test('after a first synth that wrote nothing, the next change synthesizes every environment', async () => {
    const out = tmpdir('watch-test');
    const releases = releaseCopy();
    const logs: string[] = [];
    const errors: string[] = [];
    watch = watchProject(PROJECT, new Map(), { envs: ENVS, outdir: out, releaseDir: releases, write: {}, load: () => PROJECT, log: (l) => logs.push(l), error: (l) => errors.push(l) });
    fs.copyFileSync(path.join(releases, 'prod.json'), path.join(releases, 'prod.json.copy'));
    fs.renameSync(path.join(releases, 'prod.json.copy'), path.join(releases, 'prod.json'));
    expect(await lineMatching(logs, /^watch: wrote /, errors)).toMatch(/^watch: wrote dev, prod \d+ ms after the change$/);
    expect(readTree(path.join(out, 'dev'))).toEqual(Object.fromEntries(synthProjectFiles(PROJECT, ['dev'], { releaseDir: releases }).get('dev') ?? []));
  });

  test('a failing change writes nothing and the watch goes on', async () => {
    const { out, releases, logs, errors } = start();
    const prod = readTree(path.join(out, 'prod'));
    fs.writeFileSync(path.join(releases, 'prod.json'), '{ "apps": ');
    expect(await lineMatching(errors, /^watch: nothing written: /)).toMatch(/prod\.json/);
    expect(readTree(path.join(out, 'prod'))).toEqual(prod);
    fs.copyFileSync(path.join(releaseCopy(), 'prod.json'), path.join(releases, 'prod.json'));
    expect(await lineMatching(logs, /^watch: no change to prod/)).toBeDefined();
  });
});
