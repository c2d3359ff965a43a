/**
 * The reference app (000 §1, PATTERNS.md): go-multiroute, an HTTP server on port 3000
 * whose routes come from config.yml, in its own namespace with quota, limits and
 * default-deny, released per environment by rolling update, canary or blue-green.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig, GoMultirouteConfig } from '../config/environment';
import type { AppRelease } from '../config/release-state';
import { AppDeployment } from '../patterns/app-deployment';
import { AppIngress } from '../patterns/app-ingress';
import { AppSecret } from '../patterns/app-secret';
import { AppService } from '../patterns/app-service';
import { LABELS } from '../patterns/labels';
import { NamespacedApp } from '../patterns/namespaced-app';
import type { PodTemplateProps } from '../patterns/pod-template';
import { VersionedConfigMap } from '../patterns/versioned-config-map';

export const APP = 'go-multiroute';
const PORT = 3000;

/** The app's routes (the seed's config.yml): each path answers with its content. */
export const CONFIG_YML = `routes:
  - path: /route1
    content: route1's content
  - path: /route2
    content: route2's content
`;

/** Pod template for one version of the app, reading the versioned config and the DB secret. */
export function goMultiroutePod(cfg: GoMultirouteConfig, image: string, version: string, config: VersionedConfigMap, secret: AppSecret): PodTemplateProps {
  return {
    container: {
      image,
      command: ['/main', '-config', '/config/config.yml'],
      ports: [{ name: 'http', port: PORT }],
      env: {
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
}

export class GoMultiroute extends NamespacedApp {
  readonly service: AppService;

  constructor(scope: Construct, id: string, props: GoMultirouteProps) {
    const cfg = props.env.apps.goMultiroute;
    super(scope, id, { namespace: cfg.namespace, settings: props.env, quota: cfg.tenancy.quota, limits: cfg.tenancy.limits, partOf: APP });
    const config = new VersionedConfigMap(this, 'Config', { baseName: `${APP}-config`, data: { 'config.yml': CONFIG_YML } });
    const secret = new AppSecret(this, 'DbSecret', {
      name: `${APP}-db`,
      key: 'db_pass',
      source: cfg.secret,
    });
    const stable = props.release.stable;
    new AppDeployment(this, 'App', {
      name: APP,
      version: stable.version,
      replicas: cfg.autoscaling ? undefined : cfg.replicas,
      autoscaling: cfg.autoscaling || undefined,
      ...goMultiroutePod(cfg, stable.image, stable.version, config, secret),
    });
    this.service = new AppService(this, 'Service', { name: APP, selector: { [LABELS.name]: APP }, ports: [{ name: 'http', port: PORT }] });
    new AppIngress(this, 'Ingress', {
      name: APP,
      className: props.env.traffic.kind === 'ingress-nginx' ? props.env.traffic.className : 'nginx',
      host: cfg.host,
      paths: [
        { path: '/route1', pathType: 'Prefix' },
        { path: '/connect_db', pathType: 'Exact' },
      ],
      service: this.service,
    });
  }
}
