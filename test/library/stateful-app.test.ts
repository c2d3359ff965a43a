import { App } from 'cdk8s';
import { Mysql, MYSQL_CLIENT_LABELS } from '../../src/platform/mysql';
import type { PlatformEnvironment } from '../../src/platform/environment';
import { ENVIRONMENTS } from '../../src/platform/environments';
import { AppDeployment, type AppRelease, Manifest, NamespacedApp, renderManifests, StatefulApp, StatefulAppProps } from 'k8s-iac';
import { find, IMAGE, LIMITS, QUOTA, SETTINGS, synth, synthErrors, synthManifests } from '../helpers';

const BASE: StatefulAppProps = {
  name: 'db',
  version: '8.0.35',
  replicas: 3,
  volumeClaims: [{ name: 'data', size: '5Gi' }],
  container: {
    image: IMAGE,
    ports: [{ name: 'mysql', port: 3306 }],
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    readinessProbe: { tcpSocket: { port: 'mysql' } },
    mounts: [{ name: 'data', mountPath: '/var/lib/data', claim: true }],
  },
};

const stateful = (props: Partial<StatefulAppProps> = {}) => (ns: NamespacedApp) => new StatefulApp(ns, 'Db', { ...BASE, ...props });
const selectorOf = { 'app.kubernetes.io/name': 'db' };
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('a StatefulSet with its headless Service', () => {
  const manifests = synth(stateful());
  const sts = find(manifests, 'StatefulSet');

  test('serviceName names a headless Service whose selector matches the pods', () => {
    const headless = find(manifests, 'Service', sts.spec.serviceName);
    expect(sts.spec.serviceName).toBe('db-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(selectorOf);
    expect(selects(headless.spec.selector, sts.spec.template.metadata.labels)).toBe(true);
    expect(sts.spec.selector.matchLabels).toEqual(selectorOf);
    expect(headless.spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }]);
  });

  test('a ClusterIP client Service named after the StatefulSet', () => {
    const client = find(manifests, 'Service', 'db');
    expect(client.spec.clusterIP).toBeUndefined();
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.selector).toEqual(selectorOf);
  });

  test('one claim per pod from the environment storage class, ReadWriteOnce, kept on delete and scale-down', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } } },
    ]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const pod = sts.spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/data' });
    // the claim comes from the template, not from a pod volume
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('ordered start, rolling update from partition 0, replicas, own service account without token', () => {
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.template.spec.serviceAccountName).toBe('db');
    expect(find(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(sts.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('a quorum app may lose one pod to a drain', () => {
    expect(find(manifests, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selectorOf }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('the pods may reach each other on their ports despite default-deny', () => {
    const peers = find(manifests, 'NetworkPolicy', 'db-peers').spec;
    const rule = { ports: [{ port: 3306, protocol: 'TCP' }] };
    expect(peers.podSelector).toEqual({ matchLabels: selectorOf });
    expect(peers.ingress).toEqual([{ from: [{ podSelector: { matchLabels: selectorOf } }], ...rule }]);
    expect(peers.egress).toEqual([{ to: [{ podSelector: { matchLabels: selectorOf } }], ...rule }]);
  });
});

describe('stable names', () => {
  const app = new App({ outdir: 'unused' });
  const ns = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: { ...SETTINGS, clusterDomain: 'corp.internal' }, quota: QUOTA, limits: LIMITS });
  const db = stateful()(ns);

  test('each pod has a DNS name under the headless Service', () => {
    expect(db.podDnsName(1)).toBe('db-1.db-headless.shop.svc.corp.internal');
    expect(db.podDnsNames).toEqual(['db-0.db-headless.shop.svc.corp.internal', 'db-1.db-headless.shop.svc.corp.internal', 'db-2.db-headless.shop.svc.corp.internal']);
  });

  test('clients use the client Service; claims are <claim>-<set>-<n>', () => {
    expect(db.clientDnsName).toBe('db.shop.svc.corp.internal');
    expect(db.claimName('data', 2)).toBe('data-db-2');
  });
});

describe('options', () => {
  test('retention, parallel start, partition, access modes, peer discovery before ready, no client Service', () => {
    const m = synth(
      stateful({
        claimRetention: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        podManagementPolicy: 'Parallel',
        partition: 2,
        publishNotReadyAddresses: true,
        clientService: false,
        headlessServiceName: 'db-peers',
        volumeClaims: [{ name: 'data', size: '5Gi', accessModes: ['ReadWriteOncePod'] }],
      }),
    );
    const sts = find(m, 'StatefulSet');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.updateStrategy.rollingUpdate.partition).toBe(2);
    expect(sts.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOncePod']);
    expect(sts.spec.serviceName).toBe('db-peers');
    expect(find(m, 'Service').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  test('a partition above replicas holds the update for every pod, as the API server takes it', () => {
    expect(find(synth(stateful({ replicas: 3, partition: 5 })), 'StatefulSet').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 5 } });
  });

  test('peers that find each other before they are Ready start together unless told otherwise: in order, the first would wait for a quorum that is never started', () => {
    const policy = (props: Partial<StatefulAppProps>) => find(synth(stateful(props)), 'StatefulSet').spec.podManagementPolicy;
    expect(policy({ publishNotReadyAddresses: true })).toBe('Parallel');
    expect(policy({ publishNotReadyAddresses: true, podManagementPolicy: 'OrderedReady' })).toBe('OrderedReady');
    expect(policy({})).toBe('OrderedReady');
  });

  test('a single instance blocks drains only when that is accepted, and has no peers to admit', () => {
    const m = synth(stateful({ replicas: 1, disruptionBudget: { allowZeroDisruptions: true } }));
    expect(find(m, 'PodDisruptionBudget').spec.maxUnavailable).toBe(0);
    expect(m.filter((x) => x.kind === 'NetworkPolicy').map((x) => x.name)).toEqual(['allow-dns', 'default-deny']);
  });

  test('a single instance without a budget lets drains evict it', () => {
    const m = synth(stateful({ replicas: 1, disruptionBudget: false }));
    expect(m.filter((x) => x.kind === 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('two replicas: maxUnavailable 1; an explicit budget wins', () => {
    expect(find(synth(stateful({ replicas: 2 })), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(find(synth(stateful({ replicas: 5, disruptionBudget: { minAvailable: 3 } })), 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 3 });
  });

  test('the quota counts one claim per replica', () => {
    const message = synthErrors(stateful({ replicas: 3 }), { quota: { ...QUOTA, storage: '10Gi' } });
    expect(message).toMatch(/ResourceQuota requests.storage is 10Gi but the workloads need 15Gi at their largest \[StatefulSet db: 3 pods \(3 replicas\)\]/);
    expect(synthErrors(stateful({ replicas: 3 }), { quota: { ...QUOTA, persistentVolumeClaims: 2 } })).toMatch(/ResourceQuota persistentvolumeclaims is 2 but the workloads need 3/);
  });

  test('the LimitRange bounds each claim', () => {
    expect(synthErrors(stateful({ volumeClaims: [{ name: 'data', size: '20Gi' }] }))).toMatch(/volume claim data asks for 20Gi, outside the LimitRange PVC bounds 1Gi-10Gi/);
  });
});

describe('errors, each with the construct path and the fix', () => {
  const noReadiness = { ...BASE.container, readinessProbe: undefined };
  test.each<[string, Partial<StatefulAppProps>, RegExp]>([
    ['negative replicas', { replicas: -1 }, /shop\/Db: replicas is -1: use a whole number of 0 or more/],
    ['no readiness probe', { container: noReadiness }, /shop\/Db: container.readinessProbe is missing: StatefulSet pods start one after another, each once the previous is Ready/],
    ['claim size not a quantity', { volumeClaims: [{ name: 'data', size: 'five gigs' }] }, /shop\/Db: volume claim data storage "five gigs" is not a Kubernetes quantity/],
    ['claim size zero, said once (not also below the LimitRange)', { volumeClaims: [{ name: 'data', size: '0' }] }, /^synth failed with 1 error; nothing was written:\n {2}\[test\] shop\/Db: volume claim data size 0 is not above zero/],
    ['negative claim size, said once', { volumeClaims: [{ name: 'data', size: '-5Gi' }] }, /^synth failed with 1 error; nothing was written:\n {2}\[test\] shop\/Db: volume claim data storage "-5Gi" is negative: use 0 or more$/],
    ['claim without access modes', { volumeClaims: [{ name: 'data', size: '5Gi', accessModes: [] }] }, /volume claim data has no accessModes/],
    ['claim listed twice', { volumeClaims: [{ name: 'data', size: '5Gi' }, { name: 'data', size: '1Gi' }] }, /volume claim data is listed twice/],
    ['claim not mounted', { volumeClaims: [{ name: 'data', size: '5Gi' }, { name: 'logs', size: '1Gi' }] }, /volume claim logs is not mounted/],
    ['claim mount without claim', { volumeClaims: [] }, /mount data at \/var\/lib\/data is a claim, but no volumeClaims entry is named data/],
    ['fractional partition', { partition: 1.5 }, /shop\/Db: partition is 1.5: use a whole number from 0 \(update every pod\) to 2147483647/],
    ['partition past an int32', { partition: 2 ** 31 }, /shop\/Db: partition is 2147483648: use a whole number from 0/],
    ['negative partition', { partition: -1 }, /partition is -1: use a whole number from 0/],
    ['single instance with the default budget', { replicas: 1 }, /a single instance gets the PodDisruptionBudget maxUnavailable 0, which blocks every node drain .*disruptionBudget.allowZeroDisruptions/],
    ['explicit budget that blocks drains', { disruptionBudget: { maxUnavailable: 0 } }, /PodDisruptionBudget \{"maxUnavailable":0\} allows no voluntary disruption at 3 replicas/],
    ['no budget for a quorum', { disruptionBudget: false }, /disruptionBudget is false but the StatefulSet runs 3 replicas/],
    ['name too long for the revision label', { name: 'd'.repeat(53) }, /has 53 characters: .* use at most 52/],
    ['name not a DNS label', { name: 'db.main' }, /StatefulSet name "db.main" is not a valid DNS-1035 label/],
    ['client Service without ports', { container: { ...BASE.container, ports: [], readinessProbe: { exec: { command: ['true'] } } } }, /the client Service has no ports to expose/],
  ])('%s', (_name, props, message) => {
    expect(synthErrors(stateful(props))).toMatch(message);
  });

  test.each([
    ['in capitals', 'Db'],
    ['with an underscore', 'my_db'],
    ['over 63 characters', 'd'.repeat(66)],
  ])('a name %s is one message at the StatefulApp, not again at the Services, the peer policy and the container named after it', (_case, name) => {
    const message = synthErrors(stateful({ name }));
    expect(message).toMatch(/synth failed with 1 error/);
    expect(message).toMatch(new RegExp(`\\[test\\] shop/Db: StatefulSet name "${name}" is not a valid DNS-1035 label, as the Services named after it \\("${name}", "${name}-headless"\\) need: use at most 52`));
  });

  test('a name the Services do not take needs only to be a DNS label; a headlessServiceName of its own is checked', () => {
    expect(() => synth(stateful({ name: '1db', clientService: false, headlessServiceName: 'db-peers-dns' }))).not.toThrow();
    expect(synthErrors(stateful({ headlessServiceName: 'Db_Headless' }))).toMatch(/shop\/Db: headlessServiceName "Db_Headless" is not a valid DNS-1035 label/);
  });

  test('a port mistake is one message, at the container, though three objects take the ports', () => {
    const ports = [{ name: 'MySQL', port: 3306 }];
    const message = synthErrors(stateful({ container: { ...BASE.container, ports } }));
    expect(message.match(/"MySQL"/g)).toHaveLength(1);
    expect(message).toMatch(/shop\/Db: container port name "MySQL" is not a valid port name/);
  });

  test('the headless Service of a StatefulApp without ports is taken, as the API server takes it', () => {
    const container = { ...BASE.container, ports: [], readinessProbe: { exec: { command: ['true'] } } };
    const headless = find(synth(stateful({ container, clientService: false })), 'Service');
    expect(headless.spec).toMatchObject({ clusterIP: 'None' });
    expect(headless.spec.ports ?? []).toEqual([]);
  });

  test('the Services of a pod without readiness also say it, at the namespace', () => {
    expect(synthErrors(stateful({ container: noReadiness }))).toMatch(/Service "db-headless" routes to the pods of StatefulSet db, which have no readiness probe/);
  });
});

describe('the MySQL blueprint', () => {
  const prod = synthManifests('prod');
  const dev = synthManifests('dev');
  const backend = (ms: Manifest[]) => ms.filter((m) => m.namespace === 'backend');

  test('a single-instance StatefulSet in backend, sized by the environment, its drain block accepted', () => {
    const sts = find(backend(prod), 'StatefulSet');
    expect(sts.spec).toMatchObject({ serviceName: 'mysql-headless', replicas: 1 });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(ENVIRONMENTS.get('prod').values.apps.mysql.storageSize);
    expect(find(backend(dev), 'StatefulSet').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(ENVIRONMENTS.get('dev').values.apps.mysql.storageSize);
    expect(find(backend(prod), 'PodDisruptionBudget').spec.maxUnavailable).toBe(0);
    expect(find(backend(prod), 'Service', 'mysql-headless').spec.clusterIP).toBe('None');
  });

  test('image from the release state, root password from a Secret, data on the claim, scratch on size-limited emptyDirs', () => {
    const c = find(backend(prod), 'StatefulSet').spec.template.spec.containers[0];
    expect(c.image).toMatch(/^docker\.io\/library\/mysql:8\.0\.32@sha256:[0-9a-f]{64}$/);
    // the entrypoint reads the password from the mounted Secret, not from an environment variable
    expect(c.env).toEqual([{ name: 'MYSQL_ROOT_PASSWORD_FILE', value: expect.stringMatching(/\/root_password$/) }]);
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
    expect(c.volumeMounts).toContainEqual({ name: 'run', mountPath: '/var/run/mysqld' });
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.readinessProbe.exec.command).toEqual(['mysqladmin', 'ping', '-h', '127.0.0.1']);
    expect(c.livenessProbe.tcpSocket.port).toBe('mysql');
    // staging/prod name a Secret made outside the repository; dev creates a placeholder
    expect(backend(prod).filter((m) => m.kind === 'Secret')).toHaveLength(0);
    expect(find(backend(dev), 'Secret', 'mysql-root').stringData.root_password).toMatch(/placeholder/);
  });

  test('only access-db: mysql pods of go-multiroute get in, on 3306', () => {
    expect(find(backend(prod), 'NetworkPolicy', 'mysql-allow-clients').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'go-multiroute' } }, podSelector: { matchLabels: { 'access-db': 'mysql' } } }],
          ports: [{ port: 3306, protocol: 'TCP' }],
        },
      ],
    });
  });

  const build = (env: PlatformEnvironment, release: AppRelease, client?: (mysql: Mysql, app: App) => void) => () => {
    const app = new App({ outdir: 'unused' });
    const mysql = new Mysql(app, 'mysql', { env, release, releaseSource: `release/${env.name}.json`, clientNamespaces: ['shop'] });
    client?.(mysql, app);
    return renderManifests(app, env.name);
  };
  const STABLE: AppRelease = { stable: { version: '8.0.35', image: `docker.io/library/mysql:8.0.35@sha256:${'b'.repeat(64)}` } };

  test('a client: egress to the MySQL pods on 3306 from its access-db pods, and DB_HOST', () => {
    const ms = build(ENVIRONMENTS.get('dev'), STABLE, (mysql, app) => {
      const shop = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: ENVIRONMENTS.get('dev').settings, quota: QUOTA, limits: LIMITS });
      new AppDeployment(shop, 'Api', {
        name: 'api',
        version: 'v1',
        replicas: 2,
        selectorLabels: MYSQL_CLIENT_LABELS,
        container: { image: IMAGE, ports: [{ name: 'http', port: 8080 }], env: { DB_HOST: mysql.clientDnsName }, resources: BASE.container.resources, readinessProbe: { httpGet: { path: '/', port: 'http' } } },
      });
      mysql.allowClient(shop);
    })();
    expect(find(ms, 'NetworkPolicy', 'allow-egress-mysql').spec).toEqual({
      podSelector: { matchLabels: { 'access-db': 'mysql' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysql' } } }],
          ports: [{ port: 3306, protocol: 'TCP' }],
        },
      ],
    });
    expect(find(ms, 'Deployment').spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_HOST', value: 'mysql.backend.svc.cluster.local' });
  });

  test('errors: a client policy with no access-db pods, release entries MySQL would ignore, a second replica', () => {
    const noClientPods = build(ENVIRONMENTS.get('dev'), STABLE, (mysql, app) => mysql.allowClient(new NamespacedApp(app, 'shop', { namespace: 'shop', settings: ENVIRONMENTS.get('dev').settings, quota: QUOTA, limits: LIMITS })));
    expect(noClientPods).toThrow(/NetworkPolicy "allow-egress-mysql" selects no pods/);
    expect(build(ENVIRONMENTS.get('dev'), { ...STABLE, canary: { ...STABLE.stable, weight: 10 } })).toThrow(/release\/dev.json has apps.mysql.canary, but mysql is a StatefulSet released by rolling update/);
    expect(build(ENVIRONMENTS.get('dev'), { ...STABLE, blueGreen: { active: 'blue', blue: STABLE.stable, green: STABLE.stable } })).toThrow(/apps.mysql.blueGreen/);
    const dev = ENVIRONMENTS.get('dev');
    const twoReplicas = { ...dev, values: { ...dev.values, apps: { ...dev.values.apps, mysql: { ...dev.values.apps.mysql, replicas: 2 } } } };
    expect(build(twoReplicas, STABLE)).toThrow(/apps.mysql.replicas is 2 in environments.ts \(dev\), but each mysql pod would be an independent, empty server/);
  });
});
