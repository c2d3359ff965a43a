/**
 * synth on worker threads (the default on more than one core; `--threads 2` here, so the
 * test needs no second core) against `--threads 1`: the same files, and on failure the same
 * problems in the same order, nothing written and no output folder made. Runs the bin, as
 * the workers load the compiled project module.
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

describe('synth on worker threads', () => {
  test('writes the same files as synth on one thread', () => {
    const one = tmpdir('parallel-test');
    const many = tmpdir('parallel-test');
    expect(synth(['--threads', '1', '--outdir', one]).status).toBe(0);
    const result = synth(['--threads', '2', '--outdir', many]);
    expect(result.status).toBe(0);
    expect(readTree(many)).toEqual(readTree(one));
  });

  test('reports the same problems in the same order, and writes nothing', () => {
    const releases = releaseCopy();
    for (const env of ['dev', 'prod']) {
      const file = path.join(releases, `${env}.json`);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"image": "docker\.io\/leigg\/go_multiroute:[^"]*"/g, '"image": "docker.io/leigg/go_multiroute:latest"'));
    }
    const one = synth(['--threads', '1', '--release-dir', releases, '--outdir', tmpdir('parallel-test')]);
    const out = tmpdir('parallel-test');
    const many = synth(['--threads', '4', '--release-dir', releases, '--outdir', out]);
    const missing = path.join(tmpdir('parallel-test'), 'not', 'there');
    const intoMissing = synth(['--threads', '2', '--release-dir', releases, '--outdir', missing]);
    expect(one.status).toBe(1);
    expect(many.status).toBe(1);
    expect(many.stderr).toContain('[dev]');
    expect(many.stderr).toContain('[prod]');
    expect(many.stderr).toBe(one.stderr);
    expect(fs.readdirSync(out)).toEqual([]);
    expect(intoMissing.status).toBe(1);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  test('a file where an environment folder goes is refused before any thread renders, and nothing changes', () => {
    const out = tmpdir('parallel-test');
    expect(synth(['--threads', '2', '--outdir', out]).status).toBe(0);
    fs.rmSync(path.join(out, 'prod'), { recursive: true });
    fs.writeFileSync(path.join(out, 'prod'), 'not a folder');
    const before = readTree(out);
    const result = synth(['--threads', '2', '--outdir', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`not written by synth: ${path.join(out, 'prod')}`);
    expect(readTree(out)).toEqual(before);
  });

  test('an environment named twice is rendered once', () => {
    const out = tmpdir('parallel-test');
    const result = synth(['--threads', '2', '--env', 'dev', '--env', 'dev', '--outdir', out]);
    expect(result.status).toBe(0);
    expect(result.stdout.match(/dev: \d+ objects/g)).toHaveLength(1);
    expect(fs.readdirSync(out)).toEqual(['dev']);
  });

  test('--threads takes a whole number of 1 or more', () => {
    const result = synth(['--threads', '0', '--outdir', tmpdir('parallel-test')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--threads "0" is not a whole number of 1 or more');
  });
});
