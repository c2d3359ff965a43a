import { App } from 'cdk8s';
import { AppDeployment, NamespacedApp, NamespacedAppProps, NetworkPolicy, renderManifests } from 'k8s-iac';
import { synthProblems } from 'k8s-iac/testing';
import { LIMITS, QUOTA, SETTINGS, WEB_POD } from '../helpers';

/** Two namespaces, front (web) and back (api), each as `props` make it, and `connect` between them. */
function twoNamespaces(connect: (front: NamespacedApp, web: AppDeployment, back: NamespacedApp, api: AppDeployment) => void, backProps: Partial<NamespacedAppProps> = {}, beside?: (app: App) => void) {
  const app = new App({ outdir: 'unused' });
  beside?.(app);
  const front = new NamespacedApp(app, 'front', { namespace: 'front', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
  const back = new NamespacedApp(app, 'back', { namespace: 'back', settings: SETTINGS, quota: QUOTA, limits: LIMITS, ...backProps });
  const web = new AppDeployment(front, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
  const api = new AppDeployment(back, 'Api', { name: 'api', version: 'v1', ...WEB_POD });
  connect(front, web, back, api);
  return () => renderManifests(app, 'test');
}

const egressToApi = (front: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
  new NetworkPolicy(front, 'WebToApi', { name: 'web-to-api', podSelector: web.podSelector, egress: [] }).allowTo({ workload: api }, { port: 'http' });
const ingressFromWeb = (back: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
  new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [] }).allowFrom({ workload: web }, { port: 'http' });

describe('a namespace of pods a controller runs (a Gateway\'s proxies)', () => {
  /** An app admitting every pod of namespace edge, where no workload is rendered, as a route admits its Gateway's proxies. */
  const admitEdge = (edgeProps: Partial<NamespacedAppProps>, edgeRules?: (edge: NamespacedApp, web: AppDeployment) => void) => () => {
    const app = new App({ outdir: 'unused' });
    const edge = new NamespacedApp(app, 'edge', { namespace: 'edge', settings: SETTINGS, quota: QUOTA, limits: LIMITS, ...edgeProps });
    const front = new NamespacedApp(app, 'front', { namespace: 'front', settings: SETTINGS, quota: QUOTA, limits: LIMITS });
    const web = new AppDeployment(front, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
    new NetworkPolicy(front, 'FromEdge', { name: 'allow-edge-to-web', podSelector: web.podSelector, ingress: [] }).allowFrom({ namespace: 'edge' }, { port: 'http' });
    edgeRules?.(edge, web);
    return renderManifests(app, 'test');
  };

  test('admitting them from a namespace whose default-deny drops their egress is named, with both ends of the fix', () => {
    expect(synthProblems(admitEdge({}))).toEqual([
      `[test] front/FromEdge/Resource: NetworkPolicy "allow-edge-to-web" admits the pods of namespace edge on port http, but edge's policy "default-deny" isolates the pods for egress and none of edge's policies allows that egress, so the connection is dropped: add allowTo({ workload: <Deployment web of front> }, { port: "http" }) on a policy of that namespace over all its pods (podSelector: {}); a namespace whose pods a controller makes (a Gateway's proxies) is cut off both ways by its default-deny, clients included: give its NamespacedApp defaultDeny: false, or run those pods elsewhere (a route's proxyNamespace)`,
    ]);
  });

  test('a namespace without default-deny passes, and so does one whose policy over all its pods lets them out', () => {
    expect(() => admitEdge({ defaultDeny: false })()).not.toThrow();
    expect(() => admitEdge({}, (edge, web) => void new NetworkPolicy(edge, 'ProxiesOut', { name: 'proxies-out', podSelector: {}, egress: [] }).allowTo({ workload: web }, { port: 'http' }))()).not.toThrow();
  });
});

describe('a connection between two default-deny namespaces', () => {
  test('allowTo a workload of another namespace whose policies do not admit it is named, with the other end to add', () => {
    const problems = synthProblems(twoNamespaces((front, web, _back, api) => egressToApi(front, web, api)));
    expect(problems).toEqual([
      `[test] front/WebToApi/Resource: NetworkPolicy "web-to-api" lets Deployment web reach Deployment api of namespace back on port http, but back's policy "default-deny" isolates Deployment api for ingress and none of back's policies allows that ingress, so the connection is dropped: add allowFrom({ workload: <Deployment web of front> }, { port: "http" }) on a policy of that namespace selecting them`,
    ]);
  });

  test('every workload of the policy the other end drops is named in one problem, each with its fix', () => {
    const problems = synthProblems(
      twoNamespaces((front, web, _back, api) => {
        new AppDeployment(front, 'Canary', { name: 'web-canary', appName: 'web', version: 'v2', ...WEB_POD });
        egressToApi(front, web, api);
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^\[test\] front\/WebToApi\/Resource: NetworkPolicy "web-to-api" lets Deployment web, Deployment web-canary reach Deployment api of namespace back on port http, .* add allowFrom\(\{ workload: <Deployment web of front> \}, \{ port: "http" \}\) on a policy of that namespace selecting them, and allowFrom\(\{ workload: <Deployment web-canary of front> \}, \{ port: "http" \}\) on a policy of that namespace selecting them$/,
      ),
    ]);
  });

  test('allowFrom a workload of another namespace that denies its egress is named the same way', () => {
    const problems = synthProblems(twoNamespaces((_front, web, back, api) => ingressFromWeb(back, web, api)));
    expect(problems).toEqual([expect.stringMatching(/^\[test\] back\/ApiFromWeb\/Resource: NetworkPolicy "api-from-web" admits Deployment web of namespace front on port http, but front's policy "default-deny" isolates Deployment web for egress .* add allowTo\(\{ workload: <Deployment api of back> \}, \{ port: "http" \}\)/)]);
  });

  test('both ends together pass; so does one end where the other namespace does not deny by default', () => {
    expect(() => twoNamespaces((front, web, back, api) => (egressToApi(front, web, api), ingressFromWeb(back, web, api)))()).not.toThrow();
    expect(() => twoNamespaces((front, web, _back, api) => egressToApi(front, web, api), { defaultDeny: false })()).not.toThrow();
  });

  test('an ingress rule on another port does not count; one that opens every port does', () => {
    const otherPort = (back: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [] }).allowFrom({ workload: web }, { port: 9090 });
    // each end opens a port the other does not: one problem for the pair, naming both ends and the ports the destination declares
    expect(synthProblems(twoNamespaces((front, web, back, api) => (egressToApi(front, web, api), otherPort(back, web, api))))).toEqual([
      `[test] front/WebToApi/Resource: NetworkPolicy "web-to-api" lets Deployment web reach Deployment api of namespace back on port http/TCP, but back's policy "api-from-web" admits that connection only on port 9090/TCP, so the connection is dropped: give both rules the port and protocol the connection uses (Deployment api declares http 8080/TCP)`,
    ]);
    // a range meets the port in it: api serves http on 8080
    const range = (front: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(front, 'WebToApi', { name: 'web-to-api', podSelector: web.podSelector, egress: [] }).allowTo({ workload: api }, { port: 8000, endPort: 8100 });
    expect(() => twoNamespaces((front, web, back, api) => (range(front, web, api), ingressFromWeb(back, web, api)))()).not.toThrow();
    expect(synthProblems(twoNamespaces((front, web, back, api) => (range(front, web, api), otherPort(back, web, api))))).toEqual([
      expect.stringMatching(/"web-to-api" lets Deployment web reach Deployment api of namespace back on port 8000-8100\/TCP, but back's policy "api-from-web" admits that connection only on port 9090\/TCP, /),
    ]);
    const everyPort = (back: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [] }).allowFrom({ workload: web });
    expect(() => twoNamespaces((front, web, back, api) => (egressToApi(front, web, api), everyPort(back, web, api)))()).not.toThrow();
  });

  test('a protocol written differently at the two ends is one problem for the pair, naming both protocols', () => {
    const udpOut = (front: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(front, 'WebToApi', { name: 'web-to-api', podSelector: web.podSelector, egress: [] }).allowTo({ workload: api }, { port: 8080, protocol: 'UDP' });
    const tcpIn = (back: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [] }).allowFrom({ workload: web }, { port: 8080 });
    expect(synthProblems(twoNamespaces((front, web, back, api) => (udpOut(front, web, api), tcpIn(back, web, api))))).toEqual([
      `[test] front/WebToApi/Resource: NetworkPolicy "web-to-api" lets Deployment web reach Deployment api of namespace back on port 8080/UDP, but back's policy "api-from-web" admits that connection only on port 8080/TCP, so the connection is dropped: give both rules the port and protocol the connection uses (Deployment api declares http 8080/TCP)`,
    ]);
    // told from the admitting end where only it names the other namespace (the sending end's peer is every namespace)
    const udpOutAnywhere = (front: NamespacedApp, web: AppDeployment, api: AppDeployment) =>
      new NetworkPolicy(front, 'WebOut', { name: 'web-out', podSelector: web.podSelector, egress: [] }).allowTo({ namespaces: {}, pods: api.podSelector }, { port: 8080, protocol: 'UDP' });
    const app = twoNamespaces((front, web, back, api) => (udpOutAnywhere(front, web, api), tcpIn(back, web, api)));
    expect(synthProblems(app)).toEqual([expect.stringMatching(/^\[test\] back\/ApiFromWeb\/Resource: NetworkPolicy "api-from-web" admits Deployment web of namespace front on port 8080\/TCP, but front's policy "web-out" lets that connection out only on port 8080\/UDP, .*\(Deployment api declares http 8080\/TCP\)$/)]);
  });
});

describe('a peer of another namespace the synth renders', () => {
  /** A rule of back admitting pods of front by `pods` labels, with front's own rule to api or without. */
  const admitFront = (pods: Record<string, string>, counterpart: boolean) =>
    twoNamespaces((front, web, back, api) => {
      if (counterpart) egressToApi(front, web, api);
      new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [{ peers: [{ namespace: 'front', pods }], ports: [{ port: 'http' }] }] });
    });
  const unmatched = expect.stringMatching(
    /^\[test\] back\/ApiFromWeb\/Resource: NetworkPolicy "api-from-web" allows ingress from pods \{"app.kubernetes.io\/name":"wbe"\} of namespace front, which no workload there has \(nearest: Deployment web has \{"app.kubernetes.io\/name":"web",.*\}\): fix the peer's labels to match the pods', or name the namespace they run in$/,
  );

  test('with labels no workload there has is named, whether or not the other end has its rule', () => {
    expect(synthProblems(admitFront({ 'app.kubernetes.io/name': 'wbe' }, false))).toEqual([unmatched]);
    // the other end's rule is not said to be missing: the mistyped label is the one mistake
    expect(synthProblems(admitFront({ 'app.kubernetes.io/name': 'wbe' }, true))).toEqual([unmatched]);
  });

  test("a mistyped peer hides no other end's missing rule: one of another workload's policy, or one naming more than the namespace", () => {
    const missingRule = expect.stringMatching(/^\[test\] front\/WebToApi\/Resource: .* none of back's policies allows that ingress/);
    // the typo is in a policy of db, not of api: api's missing rule is still said
    const ofAnotherWorkload = twoNamespaces((front, web, back, api) => {
      egressToApi(front, web, api);
      const db = new AppDeployment(back, 'Db', { name: 'db', version: 'v1', ...WEB_POD });
      new NetworkPolicy(back, 'DbFromWeb', { name: 'db-from-web', podSelector: db.podSelector, ingress: [{ peers: [{ namespace: 'front', pods: { 'app.kubernetes.io/name': 'wbe' } }] }] });
    });
    expect(synthProblems(ofAnotherWorkload)).toEqual([missingRule, expect.stringMatching(/^\[test\] back\/DbFromWeb\/Resource: .* of namespace front, which no workload there has/)]);
    // a peer naming the namespace with more labels is not judged for its pods, so the missing rule is said
    const narrowed = twoNamespaces((front, web, back, api) => {
      egressToApi(front, web, api);
      new NetworkPolicy(back, 'ApiFromWeb', { name: 'api-from-web', podSelector: api.podSelector, ingress: [{ peers: [{ namespaces: { 'kubernetes.io/metadata.name': 'front', team: 'shop' }, pods: { 'app.kubernetes.io/name': 'wbe' } }] }] });
    });
    expect(synthProblems(narrowed)).toEqual([missingRule]);
  });

  test('a namespace the synth renders without workloads holds pods a controller makes, whose labels a peer may name', () => {
    expect(() =>
      twoNamespaces(
        (_front, _web, back, api) =>
          void new NetworkPolicy(back, 'FromProxies', { name: 'from-proxies', podSelector: api.podSelector, ingress: [{ peers: [{ namespace: 'edge', pods: { 'gateway.networking.k8s.io/gateway-name': 'public' } }] }] }),
        {},
        (app) => new NamespacedApp(app, 'edge', { namespace: 'edge', settings: SETTINGS, quota: QUOTA, limits: LIMITS, defaultDeny: false }),
      )(),
    ).not.toThrow();
  });

  test('with labels a workload there has passes, and a namespace the synth does not render is not judged', () => {
    expect(() => admitFront({ 'app.kubernetes.io/name': 'web' }, true)()).not.toThrow();
    expect(() =>
      twoNamespaces((_front, _web, back, api) => void new NetworkPolicy(back, 'FromMonitoring', { name: 'from-monitoring', podSelector: api.podSelector, ingress: [{ peers: [{ namespace: 'monitoring', pods: { app: 'prometheus' } }] }] }))(),
    ).not.toThrow();
  });
});
