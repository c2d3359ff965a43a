import { App } from 'cdk8s';
import { Chart } from 'cdk8s';
import { AppDeployment, AppGateway, type AppGatewayProps, AppHttpRoute, AppService, type GatewayRef, NamespacedApp, renderedObjects, renderManifests, routesAttach } from 'k8s-iac';
import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom, HttpRoute } from '../../imports/gateway.networking.k8s.io';
import { synthProblems } from 'k8s-iac/testing';
import { LIMITS, QUOTA, SETTINGS, WEB_POD } from '../helpers';

const GATEWAY: AppGatewayProps = { name: 'public', className: 'envoy', hostname: 'shop.example.com', routeNamespaces: ['shop'] };

/** The Gateway `gateway` in namespace edge, and an HTTPRoute of namespace shop for `host` naming `ref` (edge's "public" by default). */
function attach(gateway: Partial<AppGatewayProps> = {}, ref: Partial<GatewayRef> = {}, host = 'shop.example.com') {
  return () => {
    const app = new App({ outdir: 'unused' });
    const edge = new NamespacedApp(app, 'edge', { namespace: 'edge', settings: SETTINGS, quota: QUOTA, limits: LIMITS, defaultDeny: false });
    new AppGateway(edge, 'Gateway', { ...GATEWAY, ...gateway });
    const shop = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    const web = new AppDeployment(shop, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
    const service = new AppService(shop, 'Service', { name: 'web', selector: web.podSelector, ports: [{ name: 'http', port: 8080 }] });
    new AppHttpRoute(shop, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'edge', ...ref }, host, paths: [{ path: '/' }], service });
    return renderManifests(app, 'test');
  };
}

describe('HTTPRoutes and the Gateways this project makes', () => {
  test('a route the Gateway takes passes: its namespace listed, on the serving listener or on any', () => {
    expect(() => attach()()).not.toThrow();
    expect(() => attach({}, { sectionName: 'http' })()).not.toThrow();
    expect(() => attach({ tlsClusterIssuer: 'letsencrypt' }, { sectionName: 'https' })()).not.toThrow();
  });

  test('a Gateway name the namespace does not hold is named, with the ones it does', () => {
    expect(synthProblems(attach({}, { name: 'pubilc' }))).toEqual([
      '[test] shop/Route: HTTPRoute "web" attaches to Gateway "pubilc" of namespace edge, a namespace this project makes with no such Gateway (it makes "public" there): name one of those',
    ]);
  });

  test('a listener the Gateway does not have is named, with the ones it has', () => {
    expect(synthProblems(attach({}, { sectionName: 'https' }))).toEqual([
      '[test] shop/Route: HTTPRoute "web" attaches to listener "https" of Gateway "public", which has "http": name one of them (an AppGateway\'s servingListener)',
    ]);
  });

  test('a route of a namespace the listener does not take is named, with the namespace to list', () => {
    expect(synthProblems(attach({ routeNamespaces: ['store'] }))).toEqual([
      '[test] shop/Route: HTTPRoute "web" attaches to Gateway "public" of namespace edge, but none of its listeners ("http") takes routes of namespace shop, so the Gateway leaves the route out: let the listeners take shop (an AppGateway\'s routeNamespaces)',
    ]);
    // with TLS the plain-HTTP listener only redirects: it takes routes of the Gateway's own namespace
    expect(synthProblems(attach({ tlsClusterIssuer: 'letsencrypt' }, { sectionName: 'http' }))).toEqual(['[test] shop/Route: HTTPRoute "web" attaches to Gateway "public" of namespace edge, but its listener "http" takes no routes of namespace shop, so the Gateway leaves the route out: name listener "https" instead (an AppGateway\'s servingListener)']);
  });

  test('a Gateway of a namespace the project makes none in is someone else\'s, and is left alone', () => {
    expect(() => attach({}, { namespace: 'gateway-system', name: 'shared' })()).not.toThrow();
  });

  test('in a namespace the project does not make, another tool\'s Gateway beside the project\'s is left alone; a route namespace of unknown labels may be picked', () => {
    const app = new App({ outdir: 'unused' });
    // the Gateway in a Chart of its own: its namespace "shared" is no NamespacedApp of the project
    const shared = new Chart(app, 'shared', { namespace: 'shared' });
    new Gateway(shared, 'Internal', {
      metadata: { name: 'internal' },
      spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, selector: { matchLabels: { 'shared-gateway-access': 'true' } } } } }] },
    });
    const legacy = new Chart(app, 'legacy', { namespace: 'legacy' });
    for (const [id, gateway] of [['ToInternal', 'internal'], ['ToPublic', 'public']]) {
      new HttpRoute(legacy, id, { metadata: { name: `web-${gateway}` }, spec: { parentRefs: [{ name: gateway, namespace: 'shared' }], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } });
    }
    expect(routesAttach(renderedObjects(app))).toEqual([]);
  });

  test('a route none of whose hostnames the listener serves is named, with both hosts', () => {
    expect(synthProblems(attach({}, {}, 'other.example.com'))).toEqual([
      '[test] shop/Route: HTTPRoute "web" attaches to Gateway "public" of namespace edge, but its listener "http" serves "shop.example.com", which none of the route\'s hostnames ("other.example.com") meets, so the Gateway does not accept the route: give the route a hostname the listener serves, or attach it to a Gateway that serves "other.example.com"',
    ]);
    // with TLS the route attaches to the listener that takes its namespace
    expect(synthProblems(attach({ tlsClusterIssuer: 'letsencrypt' }, {}, 'other.example.com'))).toEqual([expect.stringMatching(/but its listener "https" serves "shop.example.com", which none of the route's hostnames \("other.example.com"\) meets/)]);
    expect(synthProblems(attach({ hostname: '*.example.com' }, {}, 'example.com'))).toEqual([expect.stringMatching(/its listener "http" serves "\*.example.com", which none of the route's hostnames \("example.com"\) meets/)]);
  });

  test.each([
    // listener, route, whether they meet (HTTPRouteSpec.hostnames)
    [undefined, 'shop.example.com', true],
    ['shop.example.com', undefined, true],
    ['shop.example.com', 'shop.example.com', true],
    ['shop.example.com', '*.example.com', true],
    ['*.example.com', 'shop.example.com', true],
    ['*.example.com', 'a.shop.example.com', true],
    ['*.example.com', '*.example.com', true],
    ['*.example.com', '*.shop.example.com', true],
    ['*.shop.example.com', '*.example.com', true],
    ['shop.example.com', 'other.example.com', false],
    ['*.example.com', 'example.com', false],
    ['example.com', '*.example.com', false],
    ['*.example.com', 'shop.example.net', false],
    ['*.example.com', '*.example.net', false],
    ['shop.example.com', '*.shop.example.com', false],
    ['*.example.com', 'shopexample.com', false],
  ])('listener hostname %s and route hostname %s meet: %s', (listener, route, meet) => {
    const app = new App({ outdir: 'unused' });
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    new Gateway(edge, 'Gateway', { metadata: { name: 'public' }, spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: listener, allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } } }] } });
    new HttpRoute(edge, 'Route', { metadata: { name: 'web' }, spec: { parentRefs: [{ name: 'public' }], hostnames: route === undefined ? undefined : [route], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } });
    expect(routesAttach(renderedObjects(app))).toHaveLength(meet ? 0 : 1);
  });

  test('one hostname the listener serves is enough; the others are ignored', () => {
    const app = new App({ outdir: 'unused' });
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    new Gateway(edge, 'Gateway', { metadata: { name: 'public' }, spec: { gatewayClassName: 'envoy', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.example.com' }] } });
    new HttpRoute(edge, 'Route', { metadata: { name: 'web' }, spec: { parentRefs: [{ name: 'public' }], hostnames: ['shop.example.net', 'shop.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }] } });
    expect(routesAttach(renderedObjects(app))).toEqual([]);
  });
});
