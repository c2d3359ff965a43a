import { ApiObject, App, Chart } from 'cdk8s';
import { AppDeployment, AppService, NamespacedApp, renderFiles } from 'k8s-iac';
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
