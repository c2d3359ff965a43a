import YAML from 'yaml';
import { AppDeployment, type NamespacedApp, NetworkPolicy, type Peer } from 'k8s-iac';
import { find, IMAGE, synth, synthErrors } from '../helpers';

/** A small workload whose pods carry `labels`, so policies have pods to select. */
function workload(ns: NamespacedApp, name: string, labels: Record<string, string>): AppDeployment {
  return new AppDeployment(ns, name, {
    name,
    version: 'v1',
    replicas: 1,
    selectorLabels: labels,
    container: { image: IMAGE, resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
  });
}

describe('the notes example (000 §7.1.3): four policies with the typed API', () => {
  // What the notes describe, written out as the manifests a person would apply.
  const expected = YAML.parseAllDocuments(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all-ingress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-access-db-to-mysql, namespace: shop }
spec:
  podSelector: { matchLabels: { db: mysql } }
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: { matchLabels: { access-db: mysql } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-internal-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { internal: "true" } }
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-internal-to-cidr, namespace: shop }
spec:
  podSelector: { matchLabels: { internal: "true" } }
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock: { cidr: 10.0.0.0/24 }
      ports:
        - { protocol: TCP, port: 5978 }
`).map((d) => d.toJSON());

  test('renders exactly the expected YAML', () => {
    const manifests = synth(
      (ns) => {
        workload(ns, 'mysql', { db: 'mysql' });
        workload(ns, 'api', { 'access-db': 'mysql' });
        workload(ns, 'batch', { internal: 'true' });
        new NetworkPolicy(ns, 'DenyAllIngress', { name: 'deny-all-ingress', podSelector: {}, ingress: [] });
        new NetworkPolicy(ns, 'AllowDb', { name: 'allow-access-db-to-mysql', podSelector: { db: 'mysql' }, ingress: [] }).allowFrom({ pods: { 'access-db': 'mysql' } });
        new NetworkPolicy(ns, 'DenyInternalEgress', { name: 'deny-internal-egress', podSelector: { internal: 'true' }, egress: [] });
        new NetworkPolicy(ns, 'AllowInternalCidr', { name: 'allow-internal-to-cidr', podSelector: { internal: 'true' }, egress: [] }).allowTo({ cidr: '10.0.0.0/24' }, { port: 5978, protocol: 'TCP' });
      },
      { defaultDeny: false },
    );
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.object);
    const strip = (o: Record<string, any>) => ({ ...o, metadata: { name: o.metadata.name, namespace: o.metadata.namespace } });
    expect(policies.map(strip).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))).toEqual(
      expected.sort((a: any, b: any) => a.metadata.name.localeCompare(b.metadata.name)),
    );
  });
});

describe('peers and ports', () => {
  test('namespace, workload-style and ipBlock peers with except and endPort', () => {
    const manifests = synth((ns) => {
      new NetworkPolicy(ns, 'P', { name: 'p', podSelector: {}, ingress: [], egress: [] })
        .allowFrom({ namespace: 'ingress-nginx' }, { port: 'http' })
        .allowFrom({ namespaces: { team: 'data' }, pods: { app: 'etl' } })
        .allowTo({ cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] }, { port: 30000, endPort: 32767, protocol: 'UDP' })
        .allowTo({ workload: { podSelector: { app: 'db' }, namespaceName: 'backend' } }, { port: 3306 });
    });
    const spec = find(manifests, 'NetworkPolicy', 'p').spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] });
    expect(spec.ingress[1].from[0]).toEqual({ namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchLabels: { app: 'etl' } } });
    expect(spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }], ports: [{ port: 30000, endPort: 32767, protocol: 'UDP' }] });
    expect(spec.egress[1].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } },
      podSelector: { matchLabels: { app: 'db' } },
    });
  });
});

describe('errors', () => {
  const policy = (rule: Parameters<NetworkPolicy['allowTo']>) => (ns: any) => new NetworkPolicy(ns, 'P', { name: 'p', podSelector: {}, egress: [] }).allowTo(...rule);

  test('a label Kubernetes refuses in a selector or a peer is one problem, not also a selector that matches no pods', () => {
    const bad = (podSelector: Record<string, string>, peer: Peer) => (ns: NamespacedApp) => {
      workload(ns, 'web', { app: 'web' });
      new NetworkPolicy(ns, 'P', { name: 'p', podSelector, ingress: [{ peers: [peer] }] });
    };
    expect(synthErrors(bad({ app: 'a b' }, { pods: { app: 'web' } }))).toBe(
      'synth failed with 1 error; nothing was written:\n  [test] shop/P: NetworkPolicy podSelector app "a b" is not a valid label value: use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit',
    );
    expect(synthErrors(bad({ app: 'web' }, { pods: { 'a b': 'x' } }))).toMatch(/^synth failed with 1 error; nothing was written:\n {2}\[test\] shop\/P: peer pods key "a b" is not a valid key/);
  });

  test('invalid CIDR', () => {
    expect(synthErrors(policy([{ cidr: '10.0.0.300/24' }]))).toMatch(/shop\/P: ipBlock cidr "10.0.0.300\/24" is not a valid CIDR: write an address with a prefix length/);
  });
  test('except outside the cidr', () => {
    expect(synthErrors(policy([{ cidr: '10.0.0.0/24', except: ['10.1.0.0/24'] }]))).toMatch(/except "10.1.0.0\/24" is not strictly inside cidr "10.0.0.0\/24"/);
  });
  test('endPort below port', () => {
    expect(synthErrors(policy([{ cidr: '10.0.0.0/8' }, { port: 5000, endPort: 4000 }]))).toMatch(/endPort 4000 is below port 5000/);
  });
  test('endPort with a named port', () => {
    expect(synthErrors(policy([{ cidr: '10.0.0.0/8' }, { port: 'http', endPort: 4000 }]))).toMatch(/endPort 4000 needs a numeric port/);
  });
  test('port out of range', () => {
    expect(synthErrors(policy([{ cidr: '10.0.0.0/8' }, { port: 70000 }]))).toMatch(/NetworkPolicy port 70000 is outside 1-65535/);
  });
  test('a peer of two selectors that one peer cannot hold is refused, not rendered as one of them', () => {
    // 'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer' (ValidateNetworkPolicyPeer)
    expect(synthErrors(policy([{ cidr: '10.0.0.0/8', pods: { app: 'db' } }]))).toMatch(
      /shop\/P: a peer \{ pods, cidr \} combines an ipBlock with a selector, which the API server refuses \(may not specify both ipBlock and another peer\): list them as two peers of the rule \(traffic matching either is allowed\)/,
    );
    expect(synthErrors(policy([{ cidr: '10.0.0.0/8', namespaces: { team: 'data' } }]))).toMatch(/a peer \{ namespaces, cidr \} combines an ipBlock with a selector/);
    // both are the peer's namespaceSelector: only one could be rendered
    expect(synthErrors(policy([{ namespace: 'billing', namespaces: { team: 'data' } }]))).toMatch(
      /shop\/P: a peer \{ namespace, namespaces \} gives selectors one peer cannot hold together, and only one would be rendered: keep one \(pods may go with namespace or namespaces, for the pods of those namespaces\), or list each as a peer of its own/,
    );
    expect(synthErrors(policy([{ workload: { podSelector: { app: 'db' }, namespaceName: 'backend' }, pods: { app: 'cache' } }]))).toMatch(/a peer \{ pods, workload \} gives selectors one peer cannot hold together/);
    // except only carves ranges out of a cidr
    expect(synthErrors(policy([{ pods: { app: 'db' }, except: ['10.0.1.0/24'] } as Peer]))).toMatch(/a peer \{ pods, except \} gives except without cidr: except carves ranges out of a cidr; give the cidr, or drop except/);
    // from JavaScript or JSON: no selector at all would select every pod of the namespace
    expect(synthErrors(policy([{} as Peer]))).toMatch(/a peer \{\} gives no selector, and would be rendered as every pod of the namespace: give pods, workload, namespace, namespaces or cidr \(pods: \{\} selects every pod of the namespace on purpose\)/);
  });
  test('a policy that selects no pods', () => {
    const message = synthErrors((ns) => new NetworkPolicy(ns, 'P', { name: 'allow-db', podSelector: { db: 'mysqll' }, ingress: [] }));
    expect(message).toMatch(/NetworkPolicy "allow-db" selects no pods: selector \{"db":"mysqll"\} matches no workload/);
  });
  test('allowFrom on an egress-only policy and allowTo on an ingress-only one are reported at synth, with the other problems', () => {
    const message = synthErrors((ns) => {
      new NetworkPolicy(ns, 'Out', { name: 'out', podSelector: {}, egress: [] }).allowFrom({ pods: { a: 'b' } });
      new NetworkPolicy(ns, 'In', { name: 'in', podSelector: {}, ingress: [] }).allowTo({ cidr: '10.0.0.0/8' }, { port: 5432 });
      new NetworkPolicy(ns, 'Bad', { name: 'Bad_Name', podSelector: {}, ingress: [] });
    });
    expect(message).toMatch(/shop\/Out: allowFrom\(\{"pods":\{"a":"b"\}\}\) needs a policy that governs ingress, and NetworkPolicy "out" does not: pass ingress: \[\] in its props/);
    expect(message).toMatch(/shop\/In: allowTo\(\{"cidr":"10.0.0.0\/8"\}\) needs a policy that governs egress, and NetworkPolicy "in" does not: pass egress: \[\] in its props/);
    expect(message).toMatch(/Bad_Name/);
  });
});
