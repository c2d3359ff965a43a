/**
 * The synthetic platform the benchmark synthesizes: N services, each a NamespacedApp
 * (quota, limits, default-deny) with a stable Deployment (PDB, HPA), Service and Ingress,
 * a canary beside it (second Deployment, Service and an ingress-nginx canary Ingress),
 * and, every fifth service, a StatefulSet with its headless Service. Values per
 * environment come from ENVIRONMENTS, so the four environments differ the way the real
 * ones do (digests, spreading, replica bounds, hostnames, canary weight).
 */
import { App } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformEnvironment } from '../src/platform/environment';
import { ENVIRONMENTS } from '../src/platform/environments';
import { AppDeployment, AppIngress, AppService, AutoscalingProps, LABELS, Manifest, NamespacedApp, type PodTemplateProps, type QuotaConfig, renderManifests } from 'k8s-iac';
import { addStatefulPart } from './stateful-part';

export const BENCH_ENVIRONMENTS = ENVIRONMENTS.names;

/** Every how-many-th service also runs a StatefulSet. */
export const STATEFUL_EVERY = 5;

export const PORT = 8080;

/** Percent of requests the canary gets, per environment. */
/** The canary's share by the environment's place in the promotion order: smaller closer to production. */
const CANARY_WEIGHTS = [50, 20, 10, 5];

/** The canary weight of environment `env`, from its place among the configured environments. */
export function canaryWeight(env: string): number {
  const index = Math.max(0, ENVIRONMENTS.names.indexOf(env as never));
  return CANARY_WEIGHTS[Math.min(index, CANARY_WEIGHTS.length - 1)];
}

/** Room for a stable HPA at its maximum, a canary and a small StatefulSet, each with surge. */
const QUOTA: QuotaConfig = {
  requests: { cpu: '4', memory: '4Gi' },
  limits: { cpu: '8', memory: '8Gi' },
  storage: '20Gi',
  persistentVolumeClaims: 5,
  pods: 40,
  services: 10,
  configMaps: 10,
  secrets: 10,
};

/** `svc-0042`: fixed width, so names sort the way they are numbered. */
export function serviceName(index: number): string {
  return `svc-${String(index).padStart(4, '0')}`;
}

/** A pinned image per service and version (digest included: staging and prod require one). */
function image(name: string, version: string): string {
  const digest = Buffer.from(`${name}:${version}`).toString('hex').padEnd(64, '0').slice(0, 64);
  return `registry.example.com/bench/${name}:${version}@sha256:${digest}`;
}

/** HPA bounds: the environment's where it autoscales, otherwise its replicas up to twice as many. */
export function stableAutoscaling(env: PlatformEnvironment): AutoscalingProps {
  const cfg = env.values.apps.goMultiroute;
  if (cfg.autoscaling) return { ...cfg.autoscaling };
  return { minReplicas: cfg.replicas, maxReplicas: cfg.replicas * 2, cpuUtilization: 70, memoryUtilization: 80 };
}

function pod(env: PlatformEnvironment, name: string, version: string): PodTemplateProps {
  return {
    container: {
      image: image(name, version),
      ports: [{ name: 'http', port: PORT }],
      env: { VERSION: version, POD_IP: { fieldPath: 'status.podIP' } },
      resources: env.values.apps.goMultiroute.resources,
      readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 'http' } },
    },
  };
}

/** One release track (stable or canary) of a service: Deployment, Service and Ingress. */
function track(ns: NamespacedApp, env: PlatformEnvironment, name: string, kind: 'stable' | 'canary'): void {
  const id = kind === 'stable' ? 'Stable' : 'Canary';
  const objectName = kind === 'stable' ? name : `${name}-canary`;
  const version = kind === 'stable' ? 'v1' : 'v2';
  const selector = { [LABELS.name]: name, [LABELS.track]: kind };
  new AppDeployment(ns, id, {
    name: objectName,
    appName: name,
    version,
    selectorLabels: { [LABELS.track]: kind },
    ...(kind === 'stable' ? { autoscaling: stableAutoscaling(env) } : { replicas: 1 }),
    ...pod(env, name, version),
  });
  const service = new AppService(ns, `${id}Service`, { name: objectName, selector, ports: [{ name: 'http', port: PORT }] });
  const canaryAnnotations = {
    'nginx.ingress.kubernetes.io/canary': 'true',
    'nginx.ingress.kubernetes.io/canary-weight': String(canaryWeight(env.name)),
  };
  new AppIngress(ns, `${id}Ingress`, {
    name: objectName,
    className: env.values.traffic.kind === 'ingress-nginx' ? env.values.traffic.className : 'nginx',
    host: `${name}.${env.name}.example.com`,
    paths: [{ path: '/' }],
    service,
    annotations: kind === 'canary' ? canaryAnnotations : undefined,
  });
}

/** Service number `index` (from 1) in one environment. */
export function benchService(app: Construct, env: PlatformEnvironment, index: number): NamespacedApp {
  const name = serviceName(index);
  const ns = new NamespacedApp(app, name, { namespace: name, settings: env.settings, quota: QUOTA, limits: env.values.apps.mysql.tenancy.limits, partOf: name });
  track(ns, env, name, 'stable');
  track(ns, env, name, 'canary');
  if (index % STATEFUL_EVERY === 0) addStatefulPart(ns, env, `${name}-db`);
  return ns;
}

/** The whole synthetic platform of `count` services in one environment. */
export function buildBenchPlatform(app: Construct, env: PlatformEnvironment, count: number): void {
  for (let i = 1; i <= count; i++) benchService(app, env, i);
}

/** Builds, validates and renders one environment of the synthetic platform. */
export function synthBenchEnvironment(envName: string, count: number): Manifest[] {
  const app = new App({ outdir: 'unused' });
  buildBenchPlatform(app, ENVIRONMENTS.get(envName), count);
  return renderManifests(app, envName);
}
