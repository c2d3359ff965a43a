import { parseReleaseState } from 'k8s-iac';

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
    expect(message).toMatch(/apps.api.canary.weight must be a whole number/);
    expect(message).toMatch(/apps.api.blueGreen.active is "red": use "blue" or "green"/);
    expect(message).toMatch(/apps.api.extra is not a known field: use one of stable, canary, blueGreen/);
  });

  test('a missing apps object', () => {
    expect(parse({ app: {} })).toThrow(/release\/prod.json: apps must be an object/);
  });
});
