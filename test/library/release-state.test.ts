import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadReleaseState, parseReleaseState } from 'k8s-iac';
import { readReleaseJson } from '../../src/library/runner/release-state';
import { tmpdir } from '../helpers';

const parse = (raw: unknown) => () => parseReleaseState(raw, 'release/prod.json');

describe('release state', () => {
  test('a valid file', () => {
    const state = parseReleaseState(
      {
        apps: {
          api: {
            stable: { version: 'v1', image: 'r/api:v1' },
            canary: { version: 'v2', image: 'r/api:v2', weight: 10, header: 'X-Canary' },
            blueGreen: { active: 'green', blue: { version: 'v1', image: 'r/api:v1' }, green: { version: 'v2', image: 'r/api:v2' }, idleReplicas: 0 },
          },
        },
      },
      'f',
    );
    expect(state.apps.api.canary).toMatchObject({ weight: 10, header: 'X-Canary' });
    expect(state.apps.api.blueGreen?.active).toBe('green');
  });

  test('every problem is listed with the file and the field', () => {
    let message = '';
    try {
      parse({ apps: { api: { stable: { version: 'v1' }, canary: { version: 'v2', image: 'x:v2', weight: 'ten' }, blueGreen: { active: 'red' }, extra: 1 } } })();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/release\/prod.json: apps.api.stable.image must be a non-empty string/);
    expect(message).toMatch(/apps.api.canary.weight must be a whole number, not "ten"\n/);
    expect(message).toMatch(/apps.api.blueGreen.active is "red": use "blue" or "green"/);
    expect(message).toMatch(/apps.api.extra is not a known field: use one of stable, canary, blueGreen/);
  });

  test("the canary's routing and the environment's image rules are checked where the values are written", () => {
    const file = {
      apps: {
        api: {
          stable: { version: 'v1', image: 'r/api:v1' },
          canary: { version: 'v2', image: 'r/api:latest', weight: 150, headerValue: 'always', replicas: -1 },
          blueGreen: { active: 'blue', blue: { version: 'v1', image: 'r/api:v1' }, green: { version: 'v2', image: 'r/api:v2' }, idleReplicas: -1, warm: 'yes' },
        },
      },
    };
    let message = '';
    try {
      parseReleaseState(file, 'release/prod.json', ['api'], { requireImageDigest: true });
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.canary.weight 150 is outside 0-100 \(percent of requests\): use a whole number in that range/));
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.canary.headerValue "always" is set without header/));
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.canary.replicas is -1: use a whole number of 0 or more/));
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.blueGreen.idleReplicas is -1/));
    expect(lines).toContainEqual('release/prod.json: apps.api.blueGreen.warm must be true or false, not "yes"');
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.stable.image "r\/api:v1" has no digest, and this environment requires one/));
    expect(lines).toContainEqual(expect.stringMatching(/^release\/prod.json: apps.api.canary.image "r\/api:latest" uses the tag "latest"/));
    const warmOnly = { apps: { api: { stable: { version: 'v1', image: 'r/api:v1' }, blueGreen: { active: 'blue', blue: { version: 'v1', image: 'r/api:v1' }, green: { version: 'v2', image: 'r/api:v2' }, warm: true } } } };
    expect(() => parseReleaseState(warmOnly, 'release/prod.json', ['api'])).toThrow('release/prod.json: apps.api.blueGreen.warm does nothing without idleReplicas (the idle colour runs at full size already): remove it');
    // without the environment's rules (as promote reads a file it then synthesizes), images are left to the workloads
    expect(() => parseReleaseState({ apps: { api: { stable: { version: 'v1', image: 'r/api:v1' } } } }, 'f', ['api'])).not.toThrow();
  });

  test('a key written twice is named by its field and line (JSON.parse would keep the last without a word)', () => {
    const file = path.join(tmpdir('release-dup'), 'live.json');
    fs.writeFileSync(file, '{\n  "apps": {\n    "web": { "stable": { "version": "v1",\n      "version": "v2", "image": "r/web:v1" } },\n    "web": {}\n  }\n}\n');
    expect(() => readReleaseJson(file)).toThrow(/live\.json: apps\.web\.stable\.version \(line 4\), apps\.web \(line 5\) written twice in one object, and only the last would count: keep one of them/);
  });

  test('a syntax error is named by its line and column', () => {
    const file = path.join(tmpdir('release-syntax'), 'live.json');
    fs.writeFileSync(file, '{\n  "apps": {\n    "web": { stable: {} }\n  }\n}\n');
    expect(() => readReleaseJson(file)).toThrow(/live\.json:3:14: is not JSON \(.*position 27.*\): fix the syntax$/);
  });

  test('a folder where the release file goes is named as one', () => {
    const dir = tmpdir('release-folder');
    fs.mkdirSync(path.join(dir, 'live.json'));
    expect(() => readReleaseJson(path.join(dir, 'live.json'))).toThrow(/live\.json: is a folder, where the release file of the environment goes: move it away, or pass --release-dir/);
  });

  test("a release file inside the project is named from the project's root, however the folder was given", () => {
    expect(() => loadReleaseState('nowhere', path.resolve('release'), ['api'])).toThrow(/^release\/nowhere\.json: does not exist: create it/);
    const file = path.resolve('release', 'nowhere.json');
    expect(() => readReleaseJson(file)).toThrow(/^release\/nowhere\.json: does not exist/);
    // outside the project, the whole path
    const outside = path.join(tmpdir('release-outside'), 'live.json');
    expect(() => readReleaseJson(outside)).toThrow(new RegExp(`^${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: does not exist`));
  });

  test('a number or flag written in quotes is said to be one, and a routing field that cannot be read is not also judged by the routing rules', () => {
    const canary = (fields: Record<string, unknown>) => () => parseReleaseState({ apps: { api: { stable: { version: 'v1', image: 'r/api:v1' }, canary: { version: 'v2', image: 'r/api:v2', ...fields } } } }, 'release/prod.json', ['api']);
    expect(canary({ weight: '50' })).toThrow(/^release\/prod.json: apps.api.canary.weight must be a whole number, not the string "50": write it without quotes$/);
    expect(canary({ wieght: 30 })).toThrow(/^release\/prod.json: apps.api.canary.wieght is not a known field: use one of version, image, weight, weightTotal, header, headerValue, headerPattern, cookie, replicas$/);
    // read whole, the routing's rules still apply
    expect(canary({})).toThrow(/^release\/prod.json: apps.api.canary has no routing rule, so no request would reach it: set weight, header or cookie$/);
  });

  test('a missing apps object', () => {
    expect(parse({ app: {} })).toThrow(/release\/prod.json: apps must be an object/);
    // the apps object's own problem, not one more for each app the project releases
    expect(() => parseReleaseState({ app: {} }, 'release/prod.json', ['api', 'db'])).toThrow(/^release\/prod.json: \(top level\) key "app" is not a known field: use one of apps\nrelease\/prod.json: apps must be an object \(it is missing\)$/);
  });

  test('each app the project releases must have an entry, listed with the other problems of the file', () => {
    const raw = { apps: { api: { stable: { version: 'v1' } } } };
    expect(() => parseReleaseState(raw, 'release/prod.json', ['api', 'db', 'web'])).toThrow(
      /^release\/prod.json: apps.api.stable.image must be a non-empty string \(it is missing\)\nrelease\/prod.json: apps.db is missing: add apps.db.stable \{ version, image \}.*\nrelease\/prod.json: apps.web is missing: add apps.web.stable \{ version, image \}.*$/,
    );
    // without knownApps (a file read on its own), no app is required
    expect(() => parseReleaseState({ apps: {} }, 'f')).not.toThrow();
  });

  test('a key that is one app misspelt, where that app has no entry, is one problem; more than one of each keeps them apart', () => {
    const entry = { stable: { version: 'v1', image: 'registry.example.com/api:v1' } };
    expect(() => parseReleaseState({ apps: { api: entry, dbb: entry } }, 'release/prod.json', ['api', 'db'])).toThrow(
      /^release\/prod.json: apps.dbb is not an app of this project, and apps.db has no entry: if it is db misspelt, rename the key to db$/,
    );
    expect(() => parseReleaseState({ apps: { dbb: entry, webb: entry } }, 'release/prod.json', ['db', 'web'])).toThrow(
      /^release\/prod.json: apps.dbb is not an app of this project: use one of db, web\nrelease\/prod.json: apps.webb is not an app .*\nrelease\/prod.json: apps.db is missing: .*\nrelease\/prod.json: apps.web is missing: .*$/,
    );
  });

  test('a version that cannot be the pods\' version label is named with its file and field', () => {
    expect(() => parseReleaseState({ apps: { api: { stable: { version: 'v 1', image: 'registry.example.com/api:v1' } } } }, 'release/prod.json', ['api'])).toThrow(
      /^release\/prod.json: apps.api.stable.version "v 1" is not a valid label value: /,
    );
  });
});
