/**
 * Every value that differs between environments, one entry per environment.
 * A new environment is one new entry here (plus its name in ENVIRONMENT_NAMES and a
 * release/<env>.json); `satisfies` makes a missing or misspelled value a compile error.
 */
import { ComputeResources, EnvironmentConfig, EnvironmentName, MysqlConfig, SecretSource, TenancyConfig } from './environment';

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

const OWNER = { team: 'platform', email: 'platform-team@example.com' };

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
      quota: quota(4, { cpu: '1', memory: '2Gi' }, { cpu: '2', memory: '4Gi' }, '10Gi'),
      limits: limitRange('1', '2Gi'),
    },
  };
}

export const ENVIRONMENTS = {
  dev: {
    name: 'dev',
    owner: OWNER,
    clusterDomain: 'cluster.local',
    requireImageDigest: false,
    traffic: { kind: 'ingress-nginx', className: 'nginx' },
    ingressControllerNamespace: 'ingress-nginx',
    spreadAcrossZones: false,
    nodeSelector: {},
    tolerations: [],
    storageClass: 'standard',
    developers: [
      { name: 'alice', user: 'alice@example.com', access: 'edit' },
      { name: 'bob', user: 'bob@example.com', access: 'view' },
    ],
    developerTenancy: DEVELOPER_TENANCY,
    apps: {
      goMultiroute: {
        namespace: 'go-multiroute',
        host: 'go-multiroute.dev.example.com',
        replicas: 2,
        resources: GO_MULTIROUTE_RESOURCES,
        secret: { kind: 'placeholder', value: 'dev-placeholder-not-a-secret' },
        autoscaling: false,
        releaseStrategy: 'rolling',
        tenancy: {
          quota: quota(6, { cpu: '600m', memory: '120Mi' }, { cpu: '600m', memory: '180Mi' }),
          limits: APP_LIMITS,
        },
      },
      mysql: mysql('2Gi', { kind: 'placeholder', value: 'dev-placeholder-not-a-secret' }),
    },
  },
  test: {
    name: 'test',
    owner: OWNER,
    clusterDomain: 'cluster.local',
    requireImageDigest: false,
    // test runs the Gateway API path (HTTPRoute, weighted backendRefs); the others ingress-nginx
    traffic: { kind: 'gateway-api', gatewayName: 'public', gatewayNamespace: 'gateway-system' },
    ingressControllerNamespace: 'ingress-nginx',
    spreadAcrossZones: false,
    nodeSelector: {},
    tolerations: [],
    storageClass: 'standard',
    developers: [],
    developerTenancy: DEVELOPER_TENANCY,
    apps: {
      goMultiroute: {
        namespace: 'go-multiroute',
        host: 'go-multiroute.test.example.com',
        replicas: 2,
        resources: GO_MULTIROUTE_RESOURCES,
        secret: { kind: 'placeholder', value: 'test-placeholder-not-a-secret' },
        autoscaling: false,
        releaseStrategy: 'canary',
        tenancy: {
          quota: quota(12, { cpu: '1200m', memory: '240Mi' }, { cpu: '1200m', memory: '360Mi' }),
          limits: APP_LIMITS,
        },
      },
      mysql: mysql('2Gi', { kind: 'placeholder', value: 'test-placeholder-not-a-secret' }),
    },
  },
  staging: {
    name: 'staging',
    owner: OWNER,
    clusterDomain: 'cluster.local',
    requireImageDigest: true,
    traffic: { kind: 'ingress-nginx', className: 'nginx' },
    ingressControllerNamespace: 'ingress-nginx',
    spreadAcrossZones: true,
    nodeSelector: {},
    tolerations: [],
    storageClass: 'standard',
    developers: [],
    developerTenancy: DEVELOPER_TENANCY,
    apps: {
      goMultiroute: {
        namespace: 'go-multiroute',
        host: 'go-multiroute.staging.example.com',
        replicas: 2,
        resources: GO_MULTIROUTE_RESOURCES,
        secret: { kind: 'existing', secretName: 'go-multiroute-db' },
        autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, memoryUtilization: 80 },
        releaseStrategy: 'canary',
        tenancy: {
          quota: quota(16, { cpu: '1600m', memory: '320Mi' }, { cpu: '1600m', memory: '480Mi' }),
          limits: APP_LIMITS,
        },
      },
      mysql: mysql('5Gi', { kind: 'existing', secretName: 'mysql-root' }),
    },
  },
  prod: {
    name: 'prod',
    owner: OWNER,
    clusterDomain: 'cluster.local',
    requireImageDigest: true,
    traffic: { kind: 'ingress-nginx', className: 'nginx' },
    ingressControllerNamespace: 'ingress-nginx',
    spreadAcrossZones: true,
    nodeSelector: {},
    tolerations: [],
    storageClass: 'standard',
    developers: [],
    developerTenancy: DEVELOPER_TENANCY,
    apps: {
      goMultiroute: {
        namespace: 'go-multiroute',
        host: 'go-multiroute.example.com',
        replicas: 2,
        resources: GO_MULTIROUTE_RESOURCES,
        secret: { kind: 'existing', secretName: 'go-multiroute-db' },
        autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, memoryUtilization: 80 },
        releaseStrategy: 'blue-green',
        tenancy: {
          quota: quota(20, { cpu: '2', memory: '400Mi' }, { cpu: '2', memory: '600Mi' }),
          limits: APP_LIMITS,
        },
      },
      mysql: mysql('10Gi', { kind: 'existing', secretName: 'mysql-root' }),
    },
  },
} as const satisfies Record<EnvironmentName, EnvironmentConfig>;

/** Looks an environment up by the name given on the command line. */
export function environmentByName(name: string): EnvironmentConfig {
  if (!Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name)) {
    throw new Error(`unknown environment "${name}": use one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
  }
  return ENVIRONMENTS[name as EnvironmentName];
}
