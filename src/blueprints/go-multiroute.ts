/**
 * The reference app (000 §1, PATTERNS.md): go-multiroute, an HTTP server on port 3000
 * whose routes come from config.yml, in its own namespace with quota, limits and
 * default-deny, released per environment (environments.ts `releaseStrategy`):
 * - rolling: one Deployment, rolled in place;
 * - canary: the stable Deployment and, while release/<env>.json has a `canary`, a canary
 *   Deployment beside it (`go-multiroute-canary`), each selected by its release track,
 *   with the canary's share of requests set by weight or header;
 * - blue-green: `go-multiroute-blue` and `go-multiroute-green`, the active Service on the
 *   colour release/<env>.json names, a preview Service on the other (`npm run promote`).
 * Requests arrive through ingress-nginx (Ingress + canary Ingress) or a Gateway
 * (HTTPRoute), as the environment's `traffic` says.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig, GoMultirouteConfig } from '../config/environment';
import type { AppRelease, CanaryRelease, VersionRelease } from '../config/release-state';
import { AppDeployment, AutoscalingProps } from '../patterns/app-deployment';
import { AppIngress, HttpPath } from '../patterns/app-ingress';
import { AppSecret } from '../patterns/app-secret';
import { AppService, ServicePortProps } from '../patterns/app-service';
import { BlueGreen, BlueGreenColour } from '../patterns/blue-green';
import { CanaryIngress, CanaryRouting } from '../patterns/canary-ingress';
import { AppHttpRoute } from '../patterns/http-route';
import { LABELS, Labels } from '../patterns/labels';
import { NamespacedApp } from '../patterns/namespaced-app';
import type { PodTemplateProps } from '../patterns/pod-template';
import { VersionedConfigMap } from '../patterns/versioned-config-map';
import { MYSQL_CLIENT_LABELS, Mysql } from './mysql';

export const APP = 'go-multiroute';
const PORT = 3000;
const PORTS: readonly ServicePortProps[] = [{ name: 'http', port: PORT }];
const ROUTES: readonly HttpPath[] = [
  { path: '/route1', pathType: 'Prefix' },
  { path: '/connect_db', pathType: 'Exact' },
];

/** The app's routes (the seed's config.yml): each path answers with its content. */
export const CONFIG_YML = `routes:
  - path: /route1
    content: route1's content
  - path: /route2
    content: route2's content
`;

/** Pod template for one version of the app, reading the versioned config and the DB secret. */
export function goMultiroutePod(cfg: GoMultirouteConfig, image: string, version: string, config: VersionedConfigMap, secret: AppSecret, db: Mysql): PodTemplateProps {
  return {
    // the label the database's NetworkPolicy admits (000:L972-986)
    podLabels: MYSQL_CLIENT_LABELS,
    container: {
      image,
      command: ['/main', '-config', '/config/config.yml'],
      ports: [{ name: 'http', port: PORT }],
      env: {
        DB_HOST: db.clientDnsName,
        DB_PASS: secret.envValue,
        POD_IP: { fieldPath: 'status.podIP' },
        VERSION: version,
      },
      resources: cfg.resources,
      readinessProbe: { httpGet: { path: '/route1', port: 'http' }, periodSeconds: 5 },
      // Liveness only asks "is the process serving": cheap, no auth, no dependency on config.
      livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
      mounts: [{ name: 'config', mountPath: '/config', configMap: config.name }],
    },
  };
}

export interface GoMultirouteProps {
  readonly env: EnvironmentConfig;
  readonly release: AppRelease;
  /** The database the app connects to (DB_HOST, and the egress policy to it). */
  readonly mysql: Mysql;
}

/** The Services requests reach: the stable (or active) one, and a canary's. */
interface Backends {
  readonly service: AppService;
  readonly canary?: { readonly service: AppService; readonly routing: CanaryRouting };
  /** Pods the ingress controller or Gateway is admitted to. @default - each Service's selector */
  readonly policySelector?: Labels;
}

export class GoMultiroute extends NamespacedApp {
  /** The Service users reach: the stable version's, or the active colour's. */
  readonly service: AppService;
  private readonly cfg: GoMultirouteConfig;
  private readonly config: VersionedConfigMap;
  private readonly secret: AppSecret;
  private readonly mysql: Mysql;

  constructor(scope: Construct, id: string, props: GoMultirouteProps) {
    const cfg = props.env.apps.goMultiroute;
    super(scope, id, { namespace: cfg.namespace, settings: props.env, quota: cfg.tenancy.quota, limits: cfg.tenancy.limits, partOf: APP });
    this.cfg = cfg;
    this.config = new VersionedConfigMap(this, 'Config', { baseName: `${APP}-config`, data: { 'config.yml': CONFIG_YML } });
    this.secret = new AppSecret(this, 'DbSecret', {
      name: `${APP}-db`,
      key: 'db_pass',
      source: cfg.secret,
    });
    this.mysql = props.mysql;
    const backends = this.releaseBackends(props.env, props.release);
    this.service = backends.service;
    this.route(props.env, backends);
    props.mysql.allowClient(this);
    this.node.addValidation({ validate: () => checkReleaseFitsStrategy(props.env, props.release) });
  }

  private pod(release: VersionRelease): PodTemplateProps {
    return goMultiroutePod(this.cfg, release.image, release.version, this.config, this.secret, this.mysql);
  }

  private releaseBackends(env: EnvironmentConfig, release: AppRelease): Backends {
    switch (this.cfg.releaseStrategy) {
      case 'rolling':
        return this.rolling(release.stable);
      case 'canary':
        return this.canary(release.stable, release.canary);
      case 'blue-green':
        return this.blueGreen(env, release);
    }
  }

  /** Fixed replicas, or none where an HPA owns them. */
  private sizing(): { replicas?: number; autoscaling?: AutoscalingProps } {
    return { replicas: this.cfg.autoscaling ? undefined : this.cfg.replicas, autoscaling: this.cfg.autoscaling || undefined };
  }

  private rolling(stable: VersionRelease): Backends {
    new AppDeployment(this, 'App', { name: APP, version: stable.version, ...this.sizing(), ...this.pod(stable) });
    return { service: new AppService(this, 'Service', { name: APP, selector: { [LABELS.name]: APP }, ports: PORTS }) };
  }

  /**
   * Stable and canary tracks, each with the track in its (immutable) selector, so the
   * stable Service never picks up canary pods. The stable track keeps its label whether a
   * canary runs or not: adding or removing a canary never touches the stable selector.
   */
  private canary(stable: VersionRelease, canary: CanaryRelease | undefined): Backends {
    const stableApp = new AppDeployment(this, 'App', { name: APP, version: stable.version, selectorLabels: { [LABELS.track]: 'stable' }, ...this.sizing(), ...this.pod(stable) });
    const service = new AppService(this, 'Service', { name: APP, selector: stableApp.podSelector, ports: PORTS });
    if (!canary) return { service };
    const canaryApp = new AppDeployment(this, 'Canary', {
      name: `${APP}-canary`,
      appName: APP,
      version: canary.version,
      replicas: canary.replicas ?? 2,
      selectorLabels: { [LABELS.track]: 'canary' },
      serviceAccountName: APP,
      ...this.pod(canary),
    });
    const canaryService = new AppService(this, 'CanaryService', { name: `${APP}-canary`, selector: canaryApp.podSelector, ports: PORTS });
    const { weight, weightTotal, header, headerValue, headerPattern, cookie } = canary;
    return { service, canary: { service: canaryService, routing: { weight, weightTotal, header, headerValue, headerPattern, cookie } } };
  }

  /** In a blue-green environment `stable` is the release users get: it runs as the active colour. */
  private blueGreen(env: EnvironmentConfig, release: AppRelease): Backends {
    const bg = release.blueGreen;
    if (!bg) {
      throw new Error(`[${env.name}] ${APP} is released blue-green (environments.ts releaseStrategy) but release/${env.name}.json has no apps.${APP}.blueGreen: add blueGreen { active, blue, green } with the version and image of each colour`);
    }
    const colour = (c: BlueGreenColour) => {
      const runs = c === bg.active ? release.stable : bg[c];
      return { version: runs.version, ...this.pod(runs) };
    };
    const pair = new BlueGreen(this, 'BlueGreen', {
      name: APP,
      active: bg.active,
      blue: colour('blue'),
      green: colour('green'),
      ports: PORTS,
      ...this.sizing(),
      idleReplicas: bg.idleReplicas,
    });
    return { service: pair.activeService, policySelector: pair.appSelector };
  }

  private route(env: EnvironmentConfig, backends: Backends): void {
    const traffic = env.traffic;
    if (traffic.kind === 'gateway-api') {
      new AppHttpRoute(this, 'Route', {
        name: APP,
        gateway: { name: traffic.gatewayName, namespace: traffic.gatewayNamespace },
        host: this.cfg.host,
        paths: ROUTES,
        service: backends.service,
        canary: backends.canary && { service: backends.canary.service, ...backends.canary.routing },
        policySelector: backends.policySelector,
      });
      return;
    }
    const primary = new AppIngress(this, 'Ingress', {
      name: APP,
      className: traffic.className,
      host: this.cfg.host,
      paths: ROUTES,
      service: backends.service,
      policySelector: backends.policySelector,
    });
    if (backends.canary) new CanaryIngress(this, 'CanaryIngress', { primary, service: backends.canary.service, ...backends.canary.routing });
  }
}

/**
 * Release data the environment's strategy would not use is an error, not a silent no-op:
 * a canary weight set for a rolling environment would otherwise change nothing.
 */
export function checkReleaseFitsStrategy(env: EnvironmentConfig, release: AppRelease): string[] {
  const strategy = env.apps.goMultiroute.releaseStrategy;
  const file = `release/${env.name}.json`;
  const problems: string[] = [];
  if (release.canary && strategy !== 'canary') {
    problems.push(`${file} has apps.${APP}.canary, but ${env.name} releases ${APP} by ${strategy}: remove the canary entry, or set releaseStrategy 'canary' in environments.ts`);
  }
  if (release.blueGreen && strategy !== 'blue-green') {
    problems.push(`${file} has apps.${APP}.blueGreen, but ${env.name} releases ${APP} by ${strategy}: remove the blueGreen entry, or set releaseStrategy 'blue-green' in environments.ts`);
  }
  const bg = release.blueGreen;
  if (bg && strategy === 'blue-green') {
    const active = bg[bg.active];
    if (active.version !== release.stable.version || active.image !== release.stable.image) {
      problems.push(
        `${file}: apps.${APP}.stable (${release.stable.version} ${release.stable.image}) is not the active colour's release blueGreen.${bg.active} (${active.version} ${active.image}): in a blue-green environment stable is what users get, so set stable to the active colour's version and image (npm run promote keeps them in step)`,
      );
    }
  }
  return problems;
}
