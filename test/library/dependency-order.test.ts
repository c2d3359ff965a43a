import { ApiObject, App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { AppDeployment, AppService, NamespacedApp, renderFiles } from 'k8s-iac';
import { orderByDependencies } from '../../src/library/runner/dependency-order';
import { synthProblems, synthScope } from 'k8s-iac/testing';
import { LIMITS, QUOTA, SETTINGS, WEB_POD } from '../helpers';

const order = (build: (app: App) => void) => synthScope((scope) => build(scope as App)).map((m) => `${m.kind}/${m.name}`);
const ns = (app: App, name: string) => new NamespacedApp(app, name, { namespace: name, settings: SETTINGS, quota: QUOTA, limits: LIMITS });

describe('addDependency decides the apply order', () => {
  test('without dependencies the kind order holds: Service before Deployment', () => {
    const o = order((app) => {
      const shop = ns(app, 'shop');
      const d = new AppDeployment(shop, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      new AppService(shop, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
    });
    expect(o.indexOf('Service/web')).toBeLessThan(o.indexOf('Deployment/web'));
  });

  test('an object made to depend on another comes after it, the rest keeps the kind order', () => {
    const o = order((app) => {
      const shop = ns(app, 'shop');
      const d = new AppDeployment(shop, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      const svc = new AppService(shop, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
      svc.service.addDependency(d.deployment);
    });
    expect(o.indexOf('Service/web')).toBeGreaterThan(o.indexOf('Deployment/web'));
    expect(o.indexOf('Namespace/shop')).toBe(0);
  });

  test('a chart that depends on another comes after all of its objects', () => {
    const o = order((app) => {
      const backend = ns(app, 'backend');
      const front = ns(app, 'front');
      new AppDeployment(backend, 'Db', { name: 'db', version: 'v1', ...WEB_POD });
      new AppDeployment(front, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      backend.addDependency(front);
    });
    const lastFront = Math.max(...o.map((x, i) => (x.endsWith('/front') || x.endsWith('/web') ? i : -1)));
    expect(o.indexOf('Namespace/backend')).toBeGreaterThan(lastFront);
  });

  test('the kustomization lists the files in that order', () => {
    const manifests = synthScope((scope) => {
      const chart = new Chart(scope, 'raw');
      const a = new ApiObject(chart, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'x' } });
      const b = new ApiObject(chart, 'B', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'x' } });
      a.addDependency(b);
    });
    expect(renderFiles(manifests).get('kustomization.yaml')).toContain('  - x/configmap-b.yaml\n  - x/configmap-a.yaml\n');
  });

  test('a cycle is an error naming the constructs on it', () => {
    const problems = synthProblems(() =>
      synthScope((scope) => {
        const chart = new Chart(scope, 'raw');
        const a = new ApiObject(chart, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'x' } });
        const b = new ApiObject(chart, 'B', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'x' } });
        a.addDependency(b);
        b.addDependency(a);
      }),
    );
    expect(problems).toEqual([expect.stringMatching(/^\[test\] raw\/(A|B): addDependency makes a cycle among raw\/A, raw\/B, so no apply order satisfies it: remove one of the dependencies$/)]);
  });
});

describe('orderByDependencies against the plain algorithm', () => {
  /** Kahn's algorithm as written first: take the first ready item, again and again (items squared). */
  function plainOrder(items: readonly { path: string }[], after: ReadonlyMap<string, ReadonlySet<string>>): { ordered: string[]; cycle?: string[] } {
    const present = new Set(items.map((i) => i.path));
    const waitingOn = new Map(items.map((i) => [i.path, new Set([...(after.get(i.path) ?? [])].filter((p) => present.has(p) && p !== i.path))]));
    const ordered: string[] = [];
    const left = [...items];
    while (left.length > 0) {
      const index = left.findIndex((i) => waitingOn.get(i.path)?.size === 0);
      if (index === -1) return { ordered, cycle: left.map((i) => i.path) };
      const [next] = left.splice(index, 1);
      ordered.push(next.path);
      for (const set of waitingOn.values()) set.delete(next.path);
    }
    return { ordered };
  }

  test('the same order, and the same items left on a cycle, for generated graphs', () => {
    const graph = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n + 2), fc.nat(n + 2)), { maxLength: 3 * n })),
    );
    fc.assert(
      fc.property(graph, ([n, edges]) => {
        const items = Array.from({ length: n }, (_, i) => ({ path: `p${i}` }));
        const after = new Map<string, Set<string>>();
        // edges may name paths no item has (p{n}, p{n+1}), as dependencies on objects outside the environment do
        for (const [a, b] of edges) after.set(`p${a}`, (after.get(`p${a}`) ?? new Set<string>()).add(`p${b}`));
        const fast = orderByDependencies(items, after);
        const plain = plainOrder(items, after);
        expect(fast.ordered.map((i) => i.path)).toEqual(plain.ordered);
        expect(fast.cycle).toEqual(plain.cycle);
      }),
      { numRuns: 500, seed: 20261205 },
    );
  });
});
