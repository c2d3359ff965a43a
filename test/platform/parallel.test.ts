/**
 * `synth --parallel` (worker threads) against a synth on one thread: the same files, and
 * on failure the same problems in the same order. Runs the bin, as the workers load the
 * compiled project module.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTree, releaseCopy, tmpdir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

jest.setTimeout(120_000);

function synth(args: readonly string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'k8s-iac.js'), 'synth', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('synth --parallel', () => {
  test('writes the same files as synth on one thread', () => {
    const one = tmpdir('parallel-test');
    const many = tmpdir('parallel-test');
    expect(synth(['--outdir', one]).status).toBe(0);
    const result = synth(['--parallel', '--outdir', many]);
    expect(result.status).toBe(0);
    expect(readTree(many)).toEqual(readTree(one));
  });

  test('reports the same problems in the same order, and writes nothing', () => {
    const releases = releaseCopy();
    for (const env of ['dev', 'prod']) {
      const file = path.join(releases, `${env}.json`);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"image": "docker\.io\/leigg\/go_multiroute:[^"]*"/g, '"image": "docker.io/leigg/go_multiroute:latest"'));
    }
    const one = synth(['--release-dir', releases, '--outdir', tmpdir('parallel-test')]);
    const out = tmpdir('parallel-test');
    const many = synth(['--parallel', '--release-dir', releases, '--outdir', out]);
    expect(one.status).toBe(1);
    expect(many.status).toBe(1);
    expect(many.stderr).toContain('[dev]');
    expect(many.stderr).toContain('[prod]');
    expect(many.stderr).toBe(one.stderr);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
