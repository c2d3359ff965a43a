/**
 * The shop on k8s-iac: two environments, qa and live, each with one namespace (quota,
 * LimitRange, default-deny) holding the web front end, released by canary through
 * ingress-nginx, and its MySQL. What runs (images, the canary) is in release/<env>.json.
 */
import type { Construct } from 'constructs';
import {
  AppSecret, Environment, LABELS, NamespacedApp, NetworkPolicy, Release, ReleasedService, SecretSource, StatefulApp, TenancyConfig, VersionedConfigMap,
  defineEnvironments, defineProject,
} from 'k8s-iac';

/** What differs between the shop's environments. */
export interface ShopValues {
  readonly host: string;
  readonly webReplicas: number;
  readonly dbPassword: SecretSource;
  readonly tenancy: TenancyConfig;
}

const tenancy = (cpu: string, memory: string): TenancyConfig => ({
  quota: { requests: { cpu, memory }, limits: { cpu, memory }, storage: '10Gi', persistentVolumeClaims: 1, pods: 12, services: 6, configMaps: 4, secrets: 4 },
  limits: {
    container: {
      defaultRequest: { cpu: '100m', memory: '16Mi' }, default: { cpu: '200m', memory: '64Mi' },
      min: { cpu: '10m', memory: '8Mi' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '4', memory: '4' },
    },
    pod: { max: { cpu: '1', memory: '1Gi' } },
    persistentVolumeClaim: { min: '1Gi', max: '10Gi' },
  },
});

// Every other platform setting keeps its default: images need a digest, and release/ pins each one.
const settings = { owner: { team: 'shop', email: 'shop-team@example.com' } };
export const environments = defineEnvironments<ShopValues>()({
  // qa's database password is a placeholder written here, which an environment takes only when it says so
  qa: { settings: { ...settings, placeholderSecrets: true }, values: { host: 'shop.qa.example.com', webReplicas: 2, dbPassword: { kind: 'placeholder', value: 'qa-not-a-secret' }, tenancy: tenancy('2', '2Gi') } },
  live: { settings, values: { host: 'shop.example.com', webReplicas: 3, dbPassword: { kind: 'existing', secretName: 'shop-db' }, tenancy: tenancy('3', '3Gi') } },
});

/** The shop's environment names (qa, live): a misspelled one in a test does not compile. */
export type ShopEnvironment = (typeof environments.names)[number];

/** One environment of the shop. */
export function build(scope: Construct, env: Environment<ShopValues, ShopEnvironment>, release: Release<'web' | 'mysql'>): void {
  const { host, webReplicas, dbPassword, tenancy } = env.values;
  const app = new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: env.settings, ...tenancy });
  const password = new AppSecret(app, 'DbPassword', { name: 'shop-db', key: 'password', source: dbPassword });
  const mysql = release.app('mysql').stable;
  const db = new StatefulApp(app, 'Db', {
    name: 'mysql', version: mysql.version, replicas: 1, volumeClaims: [{ name: 'data', size: '5Gi' }],
    disruptionBudget: { allowZeroDisruptions: true }, // one instance: a node drain waits for the shop team
    container: {
      image: mysql.image, args: ['--datadir=/var/lib/mysql/data'], ports: [{ name: 'mysql', port: 3306 }], env: { MYSQL_ROOT_PASSWORD: password.envValue },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      readinessProbe: { exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1'] } },
      mounts: [
        { name: 'data', mountPath: '/var/lib/mysql', claim: true },
        { name: 'run', mountPath: '/var/run/mysqld', emptyDirSizeLimit: '16Mi' },
        { name: 'files', mountPath: '/var/lib/mysql-files', emptyDirSizeLimit: '16Mi' },
      ],
    },
  });
  // the go-multiroute image's config: a map of routes, each with the response it answers
  const routes = new VersionedConfigMap(app, 'Routes', { baseName: 'web-routes', data: { 'config.yml': 'routes:\n  /route1:\n    response: hello from the shop\n' } });
  new ReleasedService(app, 'Web', {
    name: 'web', strategy: 'canary', release: release.app('web'), releaseSource: release.file, replicas: webReplicas, ports: [{ name: 'http', port: 3000 }],
    routing: { traffic: { kind: 'ingress-nginx', className: 'nginx' }, host, paths: [{ path: '/route1', pathType: 'Prefix' }] },
    pod: ({ image, version }) => ({
      container: {
        image, command: ['/main', '-config', '/config/config.yml'], ports: [{ name: 'http', port: 3000 }],
        mounts: [{ name: 'config', mountPath: '/config', configMap: routes.name }],
        env: { DB_HOST: db.clientDnsName!, DB_PASS: password.envValue, VERSION: version },
        resources: { requests: { cpu: '100m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
        readinessProbe: { httpGet: { path: '/route1', port: 'http' } },
      },
    }),
  });
  const web = { [LABELS.name]: 'web' }; // stable and canary pods alike
  new NetworkPolicy(app, 'WebToDb', { name: 'web-to-db', podSelector: web, egress: [{ peers: [{ workload: db }], ports: [{ port: 3306 }] }] });
  new NetworkPolicy(app, 'DbFromWeb', { name: 'db-from-web', podSelector: db.podSelector, ingress: [{ peers: [{ pods: web }], ports: [{ port: 3306 }] }] });
}

export default defineProject({ environments, releaseApps: ['web', 'mysql'], build });
