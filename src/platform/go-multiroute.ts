/**
 * The reference app (000 §1, PATTERNS.md): go-multiroute, an HTTP server on port 3000
 * whose routes come from config.yml, in its own namespace with quota, limits and
 * default-deny, released per environment (environments.ts `releaseStrategy`: rolling,
 * canary or blue-green) and reached through ingress-nginx or a Gateway, as the
 * environment's `traffic` says. The release wiring is the library's ReleasedService.
 */
import type { Construct } from 'constructs';
import { AppRelease, AppSecret, HttpPath, NamespacedApp, PodTemplateProps, ReleasedService, ServicePortProps, VersionedConfigMap, VersionRelease } from 'k8s-iac';
import type { GoMultirouteConfig, PlatformEnvironment } from './environment';
import { GO_MULTIROUTE_CONFIG, GoMultirouteAppConfig, goMultirouteConfigProblems, goMultirouteServedPaths, renderGoMultirouteConfig } from './go-multiroute-config';
import { MYSQL_CLIENT_LABELS, Mysql } from './mysql';

/** The app's name: namespace part-of, objects and release entry. */
export const APP = 'go-multiroute';
const PORT = 3000;
const PORTS: readonly ServicePortProps[] = [{ name: 'http', port: PORT }];
/**
 * What users reach through the Ingress or HTTPRoute: the notes' own Ingress (000 §1.8,
 * k8s-manifest/ingress.yaml) routes `/route1` and leaves `/route2` unrouted (000:L211-212).
 * Each must be a path the app serves: the program in the pinned image serves only its
 * config's routes (go-multiroute-config.ts), so the `/connect_db` of a later revision of
 * the program, which that image does not hold, is not routed.
 */
export const ROUTES: readonly HttpPath[] = [{ path: '/route1', pathType: 'Prefix' }];
/** The readiness probe asks a configured route: it answers once the config has loaded. */
export const READINESS_PATH = '/route1';

/** Pod template for one version of the app, reading the versioned config and the DB secret. */
export function goMultiroutePod(cfg: GoMultirouteConfig, release: VersionRelease, config: VersionedConfigMap, secret: AppSecret, db: Mysql): PodTemplateProps {
  return {
    // the label the database's NetworkPolicy admits (000:L972-986)
    podLabels: MYSQL_CLIENT_LABELS,
    container: {
      image: release.image,
      command: ['/main', '-config', '/config/config.yml'],
      ports: [{ name: 'http', port: PORT }],
      env: {
        DB_HOST: db.clientDnsName,
        DB_PASS: secret.envValue,
        POD_IP: { fieldPath: 'status.podIP' },
        VERSION: release.version,
      },
      resources: cfg.resources,
      readinessProbe: { httpGet: { path: READINESS_PATH, port: 'http' }, periodSeconds: 5 },
      // Liveness only asks "is the process serving": cheap, no auth, no dependency on config.
      livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
      mounts: [{ name: 'config', mountPath: '/config', configMap: config.name }],
    },
  };
}

/** The environment, release and database of the reference app. */
export interface GoMultirouteProps {
  readonly env: PlatformEnvironment;
  readonly release: AppRelease;
  /** Where the release came from, for messages. @default 'the release state' */
  readonly releaseSource?: string;
  /** The database the app connects to (DB_HOST, and the egress policy to it). */
  readonly mysql: Mysql;
  /** The app's own config.yml. @default GO_MULTIROUTE_CONFIG (the notes' two routes) */
  readonly appConfig?: GoMultirouteAppConfig;
}

/** The reference app's namespace: its config, its database secret and its released service. */
export class GoMultiroute extends NamespacedApp {
  /** The Service users reach: the stable version's, or the active colour's. */
  readonly service: ReleasedService['service'];

  constructor(scope: Construct, id: string, props: GoMultirouteProps) {
    const cfg = props.env.values.apps.goMultiroute;
    super(scope, id, { namespace: cfg.namespace, settings: props.env.settings, quota: cfg.tenancy.quota, limits: cfg.tenancy.limits, partOf: APP });
    const appConfig = props.appConfig ?? GO_MULTIROUTE_CONFIG;
    const config = new VersionedConfigMap(this, 'Config', { baseName: `${APP}-config`, data: { 'config.yml': renderGoMultirouteConfig(appConfig) } });
    const secret = new AppSecret(this, 'DbSecret', { name: `${APP}-db`, key: 'db_pass', source: cfg.secret });
    const released = new ReleasedService(this, 'Release', {
      name: APP,
      strategy: cfg.releaseStrategy,
      release: props.release,
      releaseSource: props.releaseSource,
      pod: (version) => goMultiroutePod(cfg, version, config, secret, props.mysql),
      ports: PORTS,
      replicas: cfg.replicas,
      autoscaling: cfg.autoscaling || undefined,
      routing: { traffic: props.env.values.traffic, host: cfg.host, paths: ROUTES },
    });
    this.service = released.service;
    props.mysql.allowClient(this);
    this.node.addValidation({
      validate: () => {
        const served = new Set(goMultirouteServedPaths(appConfig));
        const unserved = [READINESS_PATH, ...ROUTES.map((r) => r.path)].filter((p) => !served.has(p));
        return [
          ...goMultirouteConfigProblems(appConfig),
          ...[...new Set(unserved)].map((p) => `${APP} routes or probes "${p}", which the app does not serve (it serves ${[...served].join(', ')}): add the route to its config.yml`),
        ];
      },
    });
  }
}
