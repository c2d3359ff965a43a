/**
 * Every value that differs between the reference platform's environments, one entry per
 * environment, in promotion order. A new environment is one new entry here and a
 * release/<env>.json; a missing or misspelled value is a compile error.
 */
import { CERT_MANAGER_SECRETS_PER_CERTIFICATE, ComputeResources, GATEWAY_HTTPS_LISTENER, SecretSource, TenancyConfig, defineEnvironments } from 'k8s-iac';
import type { GoMultirouteConfig, LoggingConfig, LogStore, MysqlConfig, PlatformValues } from './environment';
import { PRIORITY_CLASSES } from './priorities';

/** The seed app's container size (000 §1.6): 100m/10Mi requests, 100m/15Mi limits. */
const GO_MULTIROUTE_RESOURCES: ComputeResources = {
  requests: { cpu: '100m', memory: '10Mi' },
  limits: { cpu: '100m', memory: '15Mi' },
};

const MYSQL_RESOURCES: ComputeResources = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '500m', memory: '1Gi' },
};

/**
 * Container bounds shared by every namespace (values of 001:L3852-3898, widened at the
 * top for MySQL): defaults only apply to containers that omit resources, which ours never do.
 */
function limitRange(maxCpu: string, maxMemory: string): TenancyConfig['limits'] {
  return {
    container: {
      defaultRequest: { cpu: '100m', memory: '10Mi' },
      default: { cpu: '200m', memory: '100Mi' },
      min: { cpu: '10m', memory: '5Mi' },
      max: { cpu: maxCpu, memory: maxMemory },
      maxLimitRequestRatio: { cpu: '4', memory: '10' },
    },
    pod: { max: { cpu: maxCpu, memory: maxMemory } },
    persistentVolumeClaim: { min: '1Gi', max: '10Gi' },
  };
}

/** Quota for a namespace that runs `pods` pods of at most `cpu`/`memory` limits in total. */
function quota(pods: number, requests: { cpu: string; memory: string }, limits: { cpu: string; memory: string }, storage = '0'): TenancyConfig['quota'] {
  return {
    requests,
    limits,
    storage,
    persistentVolumeClaims: storage === '0' ? 0 : 5,
    pods,
    services: 10,
    configMaps: 20,
    secrets: 20,
  };
}

/** The cert-manager ClusterIssuer of staging and prod, made by the platform team outside this repository; it solves DNS-01 challenges (see tlsClusterIssuer). */
const TLS_CLUSTER_ISSUER = 'platform-issuer';

const OWNER = { team: 'platform', email: 'platform-team@example.com' };

/**
 * The database password of the notes' test setup, `pass123`: the notes' Secret
 * (base_manifest/secret.yaml in github.com/chaseSpace/k8s-tutorial-cn, k8s_actions_guide/version1,
 * commit c1b1221c2ec2e7c7fd532106e5dda7f2844ae23d: `db_pass`, `echo pass123 | base64`), given
 * to the app as DB_PASS as the notes' Deployment does. A published test value, for dev and
 * test only; staging and prod name a Secret made outside the repository (000:L109-111).
 */
const TEST_DB_PASSWORD: SecretSource = { kind: 'placeholder', value: 'pass123' };

/** Every namespace's LimitRange, except the database's, which allows larger containers. */
const APP_LIMITS = limitRange('1', '1Gi');

/** Sizing of each developer's namespace in dev. */
const DEVELOPER_TENANCY: TenancyConfig = {
  quota: quota(10, { cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '2Gi' }, '10Gi'),
  limits: APP_LIMITS,
};

/** The single-instance MySQL of the backend namespace; only its disk and secret differ. */
function mysql(storageSize: string, secret: SecretSource): MysqlConfig {
  return {
    namespace: 'backend',
    replicas: 1,
    resources: MYSQL_RESOURCES,
    storageSize,
    secret,
    tenancy: {
      // the data claim and the backups' claim, each up to 10Gi
      quota: quota(4, { cpu: '1', memory: '2Gi' }, { cpu: '2', memory: '4Gi' }, '20Gi'),
      limits: limitRange('1', '2Gi'),
      // batch work (the backup) gets one pod's worth of the namespace: the database keeps the rest
      priorityQuotas: [{ priorityClassName: PRIORITY_CLASSES.batch, pods: 1, requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } }],
    },
  };
}

/**
 * Nodes of each environment's cluster: the log collector runs one pod on each, and the
 * quota of its namespace must hold them.
 */
const NODE_COUNT = 3;

/** The Fluentd forward protocol's port (Fluentd's `in_forward` default). */
const FORWARD_PORT = 24224;

/** The log collector of every node; only where the logs go differs. */
function logging(store: LogStore): LoggingConfig {
  return {
    namespace: 'logging',
    store,
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    tenancy: {
      // one pod per node, and room for a rolling update's replacement
      quota: quota(NODE_COUNT + 1, { cpu: '400m', memory: '512Mi' }, { cpu: '1', memory: '1Gi' }),
      limits: APP_LIMITS,
    },
  };
}

/**
 * Where Envoy Gateway runs the proxies of every Gateway in its default (controller
 * namespace) mode: the namespace it is installed in, envoy-gateway-system in its install
 * guide (https://gateway.envoyproxy.io/docs/tasks/operations/gateway-namespace-mode/: "In
 * standard deployment mode, Envoy Gateway creates all data plane resources in the controller
 * namespace (typically envoy-gateway-system)").
 */
export const GATEWAY_PROXY_NAMESPACE = 'envoy-gateway-system';

/**
 * The Gateway's namespace holds the Gateway object alone: no pods; room for the cluster's CA
 * ConfigMap and for its certificate's Secret with the next private key cert-manager keeps
 * beside it while it issues or renews.
 */
export const GATEWAY_TENANCY: TenancyConfig = {
  quota: { requests: { cpu: '0', memory: '0' }, limits: { cpu: '0', memory: '0' }, storage: '0', persistentVolumeClaims: 0, pods: 0, services: 0, configMaps: 1, secrets: CERT_MANAGER_SECRETS_PER_CERTIFICATE },
  limits: APP_LIMITS,
};

/** What every environment's cluster has in common. */
const CLUSTER_SETTINGS = {
  owner: OWNER,
  storageClass: 'standard',
  priorityClassName: PRIORITY_CLASSES.default,
  nodeCount: NODE_COUNT,
};

/** staging and prod: images pinned by digest, replicas spread across zones, certificates from the platform team's issuer. */
const GUARDED_SETTINGS = {
  ...CLUSTER_SETTINGS,
  requireImageDigest: true,
  spreadAcrossZones: true,
  tlsClusterIssuer: TLS_CLUSTER_ISSUER,
};

/** What differs for the go-multiroute app between environments. */
type GoMultirouteValues = Pick<GoMultirouteConfig, 'host' | 'secret' | 'autoscaling' | 'releaseStrategy'> & {
  /** Its namespace's quota. */
  readonly quota: TenancyConfig['quota'];
};

/** The go-multiroute app: two replicas of the seed's container size in every environment. */
function goMultiroute(values: GoMultirouteValues): GoMultirouteConfig {
  return {
    namespace: 'go-multiroute',
    host: values.host,
    replicas: 2,
    resources: GO_MULTIROUTE_RESOURCES,
    secret: values.secret,
    autoscaling: values.autoscaling,
    releaseStrategy: values.releaseStrategy,
    tenancy: { quota: values.quota, limits: APP_LIMITS },
  };
}

/** The reference platform's environments: dev, test, staging, prod. */
export const ENVIRONMENTS = defineEnvironments<PlatformValues>()({
  dev: {
    // the database password of dev and test is a placeholder committed here; staging and prod name a Secret made outside
    settings: { ...CLUSTER_SETTINGS, requireImageDigest: false, spreadAcrossZones: false, placeholderSecrets: true },
    values: {
      traffic: { kind: 'ingress-nginx', className: 'nginx' },
      developers: [
        { name: 'alice', user: 'alice@example.com', access: 'edit' },
        { name: 'bob', user: 'bob@example.com', access: 'view' },
      ],
      developerTenancy: DEVELOPER_TENANCY,
      apps: {
        goMultiroute: goMultiroute({
          host: 'go-multiroute.dev.example.com',
          secret: TEST_DB_PASSWORD,
          autoscaling: false,
          releaseStrategy: 'rolling',
          quota: quota(6, { cpu: '600m', memory: '120Mi' }, { cpu: '600m', memory: '180Mi' }),
        }),
        mysql: mysql('2Gi', { kind: 'placeholder', value: 'dev-placeholder-not-a-secret' }),
      },
      logging: logging({ kind: 'stdout' }),
    },
  },
  test: {
    // the Gateway's https listener takes its certificate from the issuer, like staging and prod's Ingresses
    settings: { ...CLUSTER_SETTINGS, requireImageDigest: false, spreadAcrossZones: false, placeholderSecrets: true, tlsClusterIssuer: TLS_CLUSTER_ISSUER },
    values: {
      // test runs the Gateway API path (HTTPRoute, weighted backendRefs) on the Gateway's
      // https listener (gateway.ts); the others ingress-nginx
      traffic: { kind: 'gateway-api', gatewayName: 'public', gatewayNamespace: 'gateway-system', sectionName: GATEWAY_HTTPS_LISTENER, proxyNamespace: GATEWAY_PROXY_NAMESPACE },
      developers: [],
      developerTenancy: DEVELOPER_TENANCY,
      apps: {
        goMultiroute: goMultiroute({
          host: 'go-multiroute.test.example.com',
          secret: TEST_DB_PASSWORD,
          autoscaling: false,
          releaseStrategy: 'canary',
          quota: quota(12, { cpu: '1200m', memory: '240Mi' }, { cpu: '1200m', memory: '360Mi' }),
        }),
        mysql: mysql('2Gi', { kind: 'placeholder', value: 'test-placeholder-not-a-secret' }),
      },
      logging: logging({ kind: 'stdout' }),
    },
  },
  staging: {
    settings: GUARDED_SETTINGS,
    values: {
      traffic: { kind: 'ingress-nginx', className: 'nginx' },
      developers: [],
      developerTenancy: DEVELOPER_TENANCY,
      apps: {
        goMultiroute: goMultiroute({
          host: 'go-multiroute.staging.example.com',
          secret: { kind: 'existing', secretName: 'go-multiroute-db' },
          autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, memoryUtilization: 80 },
          releaseStrategy: 'canary',
          quota: quota(16, { cpu: '1600m', memory: '320Mi' }, { cpu: '1600m', memory: '480Mi' }),
        }),
        mysql: mysql('5Gi', { kind: 'existing', secretName: 'mysql-root' }),
      },
      logging: logging({ kind: 'forward', host: 'logs.staging.example.com', port: FORWARD_PORT }),
    },
  },
  prod: {
    settings: GUARDED_SETTINGS,
    values: {
      traffic: { kind: 'ingress-nginx', className: 'nginx' },
      developers: [],
      developerTenancy: DEVELOPER_TENANCY,
      apps: {
        goMultiroute: goMultiroute({
          host: 'go-multiroute.example.com',
          secret: { kind: 'existing', secretName: 'go-multiroute-db' },
          autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, memoryUtilization: 80 },
          releaseStrategy: 'blue-green',
          quota: quota(20, { cpu: '2', memory: '400Mi' }, { cpu: '2', memory: '600Mi' }),
        }),
        mysql: mysql('10Gi', { kind: 'existing', secretName: 'mysql-root' }),
      },
      logging: logging({ kind: 'forward', host: 'logs.example.com', port: FORWARD_PORT }),
    },
  },
});
