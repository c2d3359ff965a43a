/**
 * The one-walk renderer (core/render-object.ts) against cdk8s's own `toJson()`: the same
 * value, keys in the same order, for every object of the reference platform, of the
 * fuzzed constructs and of the cases the walk leaves to cdk8s.
 */
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import type { IConstruct } from 'constructs';
import fc from 'fast-check';
import { objectRenderer } from 'k8s-iac';
import { releaseOf } from '../../src/library/runner/release-state';
import * as k8s from '../../imports/k8s';
import { buildNamespace, namespace, SCENARIOS } from '../fuzz/arbitraries';
import { ENVIRONMENT_NAMES, PROJECT, RELEASE_DIR, SETTINGS } from '../helpers';
import { loadReleaseState } from 'k8s-iac';

/** Every ApiObject under `root`. */
function apiObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/** How many objects the renderer left to `toJson()`, and whether each rendered the same, key order included. */
function compare(root: IConstruct): { objects: number; toJsonCalls: number } {
  const render = objectRenderer(root);
  let toJsonCalls = 0;
  const objects = apiObjects(root);
  for (const o of objects) {
    const expected = JSON.stringify(o.toJson());
    const own = o.toJson.bind(o);
    o.toJson = () => {
      toJsonCalls++;
      return own();
    };
    expect(JSON.stringify(render(o))).toBe(expected);
  }
  return { objects: objects.length, toJsonCalls };
}

jest.setTimeout(300_000);

describe.each(ENVIRONMENT_NAMES)('reference platform, %s', (envName) => {
  test('every object renders as toJson() does, nearly all without it', () => {
    const env = PROJECT.environments.get(envName);
    const app = new App({ outdir: 'unused' });
    PROJECT.build(app, env, releaseOf(loadReleaseState(env.name, RELEASE_DIR, PROJECT.releaseApps), `release/${env.name}.json`));
    // the Namespaces carry a JSON patch, applied after the walk as toJson() applies it
    const patched = apiObjects(app).filter((o) => (o as unknown as { patches: unknown[] }).patches.length > 0).length;
    const { objects, toJsonCalls } = compare(app);
    expect(objects).toBeGreaterThan(40);
    expect(patched).toBeGreaterThan(0);
    expect(toJsonCalls).toBe(0);
  });
});

describe('fuzzed constructs', () => {
  test.each(Object.keys(SCENARIOS))('%s: every object that builds renders as toJson() does', (construct) => {
    fc.assert(
      fc.property(namespace, SCENARIOS[construct], (ns, scenario) => {
        const app = new App({ outdir: 'unused' });
        try {
          scenario.build(buildNamespace(app, { ...SETTINGS, nodeCount: 3 }, ns));
        } catch {
          return; // refused at build: nothing to render
        }
        for (const o of apiObjects(app)) {
          let expected: string;
          try {
            expected = JSON.stringify(o.toJson());
          } catch (err) {
            expect(() => objectRenderer(app)(o)).toThrow((err as Error).message);
            continue;
          }
          expect(JSON.stringify(objectRenderer(app)(o))).toBe(expected);
        }
      }),
      { numRuns: 200, seed: 20261205 },
    );
  });
});

describe('values the walk knows, and what it leaves to cdk8s', () => {
  function object(props: Record<string, unknown>, app = new App()): { app: App; chart: Chart; o: ApiObject } {
    const chart = new Chart(app, 'c');
    return { app, chart, o: new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: {} }, ...props }) };
  }

  test('Lazy values, implicit tokens and number/string unions resolve as cdk8s resolves them', () => {
    const { app } = object({});
    const chart = Chart.of(apiObjects(app)[0]);
    const svc = new k8s.KubeService(chart, 's', {
      metadata: { name: 's', annotations: { late: Lazy.any({ produce: () => 'yes' }) as string } },
      spec: { ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }], selector: { b: '2', a: '1' } },
    });
    const limits = new k8s.KubeLimitRange(chart, 'l', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: k8s.Quantity.fromString('1') } }] } });
    const token = new ApiObject(chart, 't', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't' }, data: { v: { resolve: () => 'resolved' } } });
    expect(compare(app).toJsonCalls).toBe(0);
    expect(objectRenderer(app)(svc).metadata?.annotations).toEqual({ late: 'yes' });
    expect(JSON.stringify(objectRenderer(app)(svc))).toContain('"selector":{"a":"1","b":"2"}');
    expect(JSON.stringify(objectRenderer(app)(limits))).toContain('"max":{"cpu":"1"}');
    expect(JSON.stringify(objectRenderer(app)(token))).toContain('"data":{"v":"resolved"}');
  });

  test('a "__proto__" key renders as cdk8s renders it (dropped: its assignment sets no member)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const data = JSON.parse('{"__proto__": "a", "b": "c"}') as Record<string, string>;
    const map = new k8s.KubeConfigMap(chart, 'm', { metadata: { name: 'm' }, data });
    expect(compare(app).toJsonCalls).toBe(0);
    expect(Object.keys(objectRenderer(app)(map).data as object)).toEqual(['b']);
  });

  test('JSON patches apply to the walked value, as toJson() applies them; a patch that fails is left to toJson()', () => {
    const patched = object({ data: { b: 'x', a: Lazy.any({ produce: () => 'late' }) } });
    patched.o.addJsonPatch(JsonPatch.add('/data/c', { z: 1, y: 2 }), JsonPatch.remove('/metadata/namespace'), JsonPatch.replace('/kind', 'Secret'));
    expect(compare(patched.app).toJsonCalls).toBe(0);
    expect(objectRenderer(patched.app)(patched.o)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'late', b: 'x', c: { z: 1, y: 2 } } });

    const failing = object({ data: { a: 'b' } });
    failing.o.addJsonPatch(JsonPatch.test('/data/a', 'other'));
    expect(() => failing.o.toJson()).toThrow(/Failed serializing construct at path 'c\/o'/);
    expect(() => objectRenderer(failing.app)(failing.o)).toThrow(/Failed serializing construct at path 'c\/o'/);
  });

  test('custom resolvers and holes are rendered by toJson() itself', () => {
    class Upper implements IResolver {
      resolve(context: ResolutionContext): void {
        if (typeof context.value === 'string' && context.value === 'lower') context.replaceValue('UPPER');
      }
    }
    const custom = object({ data: { a: 'lower' } }, new App({ resolvers: [new Upper()] }));
    expect(compare(custom.app).toJsonCalls).toBe(1);
    expect(objectRenderer(custom.app)(custom.o).data).toEqual({ a: 'UPPER' });

    const hole = object({ list: ['a', undefined, 'b'] });
    expect(compare(hole.app).toJsonCalls).toBe(1);
  });

  test('a value cdk8s cannot render fails with cdk8s own message', () => {
    class Opaque {
      readonly x = 1;
    }
    const { app, o } = object({ data: { a: new Opaque() } });
    expect(() => o.toJson()).toThrow(/non-simple object of type 'Opaque'/);
    expect(() => objectRenderer(app)(o)).toThrow(/non-simple object of type 'Opaque'/);
  });

  test('a Lazy that throws fails with cdk8s own message, naming the construct', () => {
    const { app, o } = object({ data: { a: Lazy.any({ produce: () => { throw new Error('no value yet'); } }) } });
    expect(() => o.toJson()).toThrow(/Failed serializing construct at path 'c\/o'.*no value yet/);
    expect(() => objectRenderer(app)(o)).toThrow(/Failed serializing construct at path 'c\/o'.*no value yet/);
  });

  test('a subclass that overrides toJson keeps its own', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    class Stamped extends k8s.KubeConfigMap {
      override toJson(): Record<string, unknown> {
        return { ...(super.toJson() as Record<string, unknown>), stamped: true };
      }
    }
    const s = new Stamped(chart, 's', { metadata: { name: 's' } });
    expect(objectRenderer(app)(s)).toMatchObject({ stamped: true });
  });
});
