import { App } from 'cdk8s';
import { AppDeployment, configMapsMounted, NamespacedApp, renderedObjects, renderManifests, VersionedConfigMap } from 'k8s-iac';
import { KubeDeployment } from '../../imports/k8s';
import { synthProblems } from 'k8s-iac/testing';
import { LIMITS, QUOTA, SETTINGS, WEB_POD } from '../helpers';

/** Namespaces orders (with the VersionedConfigMap "orders-config") and shop, whose Deployment mounts `mounted`. */
function mounting(mounted: (config: VersionedConfigMap) => string) {
  return () => {
    const app = new App({ outdir: 'unused' });
    const orders = new NamespacedApp(app, 'orders', { namespace: 'orders', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    const shop = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    const config = new VersionedConfigMap(orders, 'Config', { baseName: 'orders-config', data: { 'app.yml': 'port: 8080\n' } });
    const mount = (ns: NamespacedApp) =>
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, container: { ...WEB_POD.container, mounts: [{ name: 'config', mountPath: '/etc/app', configMap: mounted(config) }] } });
    mount(orders);
    mount(shop);
    return renderManifests(app, 'test');
  };
}

describe('ConfigMaps a pod mounts', () => {
  test('the base name of a VersionedConfigMap in place of its name is named, with the name to mount', () => {
    const problems = synthProblems(mounting(() => 'orders-config'));
    // shop holds no version of it: there, "orders-config" may be a ConfigMap another tool makes
    expect(problems).toEqual([
      expect.stringMatching(/^\[test\] orders\/Web: volume config mounts ConfigMap "orders-config" is the base name of "orders-config-[0-9a-f]{10}" \(a VersionedConfigMap, named by its content\), and no ConfigMap has it: mount the VersionedConfigMap's name$/),
    ]);
  });

  test('a ConfigMap the project makes in another namespace only is named; in its own namespace it passes', () => {
    const problems = synthProblems(mounting((config) => config.name));
    expect(problems).toEqual([
      expect.stringMatching(/^\[test\] shop\/Web: volume config mounts ConfigMap "orders-config-[0-9a-f]{10}" is made in namespace orders, not in shop, and a pod mounts ConfigMaps of its own namespace only: make it in shop too$/),
    ]);
  });

  test('an optional ConfigMap that is not there is an empty folder to the pod, and passes', () => {
    const app = new App({ outdir: 'unused' });
    const orders = new NamespacedApp(app, 'orders', { namespace: 'orders', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    const shop = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    new VersionedConfigMap(orders, 'Flags', { baseName: 'flags', data: { on: 'x' } });
    const template = { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'raw', image: 'r/raw:v1' }], volumes: [{ name: 'flags', configMap: { name: 'flags', optional: true } }] } };
    new KubeDeployment(shop, 'Raw', { metadata: { name: 'raw' }, spec: { selector: { matchLabels: { app: 'raw' } }, template } });
    expect(configMapsMounted(renderedObjects(app))).toEqual([]);
    const required = { ...template, spec: { ...template.spec, volumes: [{ name: 'flags', configMap: { name: 'flags' } }] } };
    new KubeDeployment(orders, 'Raw', { metadata: { name: 'raw' }, spec: { selector: { matchLabels: { app: 'raw' } }, template: required } });
    expect(configMapsMounted(renderedObjects(app))).toEqual([expect.stringMatching(/^orders\/Raw: volume flags mounts ConfigMap "flags" is the base name of "flags-[0-9a-f]{10}"/)]);
  });

  test('a ConfigMap the project does not make at all may be the cluster\'s or another tool\'s, and passes', () => {
    expect(() => mounting(() => 'kube-root-ca.crt')()).not.toThrow();
  });
});
