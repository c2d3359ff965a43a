/**
 * The same platform as a user would write it with plain cdk8s-plus-28: one Chart per
 * service, the L2 constructs where cdk8s-plus has them (Namespace, Deployment, Service,
 * Ingress, HPA, NetworkPolicy, StatefulSet, ServiceAccount) and its L1 escape hatch where
 * it has none (ResourceQuota, LimitRange, PodDisruptionBudget), then `app.synth()`.
 * It is the comparison point of the benchmark, not a second implementation: it makes the
 * same kinds and counts of objects, not byte-identical YAML.
 */
import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { PlatformEnvironment, PlatformValues } from '../src/platform/environment';
import { LABELS } from 'k8s-iac';
import { canaryWeight, PORT, serviceName, stableAutoscaling, STATEFUL_EVERY } from './platform';
import { DB_PORT } from './stateful-part';

const RESTRICTED: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: 10001,
  group: 10001,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

function millicores(cpu: string): kplus.Cpu {
  return cpu.endsWith('m') ? kplus.Cpu.millis(Number(cpu.slice(0, -1))) : kplus.Cpu.units(Number(cpu));
}

function size(memory: string): Size {
  const amount = Number(memory.replace(/[A-Za-z]+$/, ''));
  return memory.endsWith('Gi') ? Size.gibibytes(amount) : Size.mebibytes(amount);
}

function container(name: string, image: string, portNumber: number, resources: PlatformValues['apps']['mysql']['resources']): kplus.ContainerProps {
  return {
    name,
    image,
    portNumber,
    imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
    envVariables: { VERSION: kplus.EnvValue.fromValue('v1'), POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP) },
    resources: {
      cpu: { request: millicores(resources.requests.cpu), limit: millicores(resources.limits.cpu) },
      memory: { request: size(resources.requests.memory), limit: size(resources.limits.memory) },
      // cdk8s-plus writes ephemeral storage in whole Gi only (ours: 64Mi/256Mi)
      ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
    },
    readiness: kplus.Probe.fromHttpGet('/ready', { port: portNumber, periodSeconds: Duration.seconds(5) }),
    liveness: kplus.Probe.fromTcpSocket({ port: portNumber }),
    lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
    securityContext: RESTRICTED,
    volumeMounts: [],
  };
}

/** Namespace, quota, limits and the default-deny and DNS policies of one service's chart. */
function tenancy(chart: Chart, env: PlatformEnvironment, name: string): void {
  new kplus.Namespace(chart, 'Namespace', { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  const limits = env.values.apps.mysql.tenancy.limits;
  new kplus.k8s.KubeResourceQuota(chart, 'Quota', {
    metadata: { name: 'quota' },
    spec: { hard: { 'requests.cpu': kplus.k8s.Quantity.fromString('4'), 'requests.memory': kplus.k8s.Quantity.fromString('4Gi'), pods: kplus.k8s.Quantity.fromNumber(40) } },
  });
  new kplus.k8s.KubeLimitRange(chart, 'Limits', {
    metadata: { name: 'limits' },
    spec: {
      limits: [
        {
          type: 'Container',
          min: { cpu: kplus.k8s.Quantity.fromString(limits.container.min.cpu), memory: kplus.k8s.Quantity.fromString(limits.container.min.memory) },
          max: { cpu: kplus.k8s.Quantity.fromString(limits.container.max.cpu), memory: kplus.k8s.Quantity.fromString(limits.container.max.memory) },
        },
      ],
    },
  });
  const all = kplus.Pods.all(chart, 'AllPods');
  new kplus.NetworkPolicy(chart, 'DefaultDeny', {
    metadata: { name: 'default-deny' },
    selector: all,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const dns = new kplus.NetworkPolicy(chart, 'AllowDns', { metadata: { name: 'allow-dns' }, selector: all });
  const kubeDns = kplus.Pods.select(chart, 'KubeDns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(chart, 'KubeSystem', { names: ['kube-system'] }),
  });
  dns.addEgressRule(kubeDns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
}

/** Deployment (with ServiceAccount, HPA or fixed replicas, PDB), Service, Ingress and its policy. */
function track(chart: Chart, env: PlatformEnvironment, name: string, kind: 'stable' | 'canary'): void {
  const id = kind === 'stable' ? 'Stable' : 'Canary';
  const objectName = kind === 'stable' ? name : `${name}-canary`;
  const autoscaling = kind === 'stable' ? stableAutoscaling(env) : undefined;
  const serviceAccount = new kplus.ServiceAccount(chart, `${id}Account`, { metadata: { name: objectName }, automountToken: false });
  const deployment = new kplus.Deployment(chart, id, {
    metadata: { name: objectName, labels: { [LABELS.name]: name, [LABELS.track]: kind } },
    replicas: autoscaling ? undefined : 1,
    podMetadata: { labels: { [LABELS.name]: name, [LABELS.track]: kind } },
    serviceAccount,
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
    terminationGracePeriod: Duration.seconds(30),
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    containers: [container(name, `registry.example.com/bench/${name}:v1`, PORT, env.values.apps.goMultiroute.resources)],
    volumes: [],
  });
  deployment.addVolume(kplus.Volume.fromEmptyDir(chart, `${id}Tmp`, 'tmp', { sizeLimit: Size.mebibytes(64) }));
  deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME });
  if (env.settings.spreadAcrossZones) deployment.scheduling.spread({ topology: kplus.Topology.ZONE });
  if (autoscaling) {
    new kplus.HorizontalPodAutoscaler(chart, `${id}Hpa`, {
      metadata: { name: objectName },
      target: deployment,
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [
        kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(autoscaling.cpuUtilization ?? 70)),
        kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(autoscaling.memoryUtilization ?? 80)),
      ],
    });
    if (autoscaling.minReplicas >= 2) {
      new kplus.k8s.KubePodDisruptionBudget(chart, `${id}Pdb`, {
        metadata: { name: objectName },
        spec: { selector: { matchLabels: { [LABELS.name]: name, [LABELS.track]: kind } }, minAvailable: kplus.k8s.IntOrString.fromString('60%') },
      });
    }
  }
  const service = new kplus.Service(chart, `${id}Service`, {
    metadata: { name: objectName },
    selector: deployment,
    ports: [{ name: 'http', port: PORT, targetPort: PORT }],
  });
  const annotations: Record<string, string> =
    kind === 'canary' ? { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': String(canaryWeight(env.name)) } : {};
  const ingress = new kplus.Ingress(chart, `${id}Ingress`, { metadata: { name: objectName, annotations }, className: 'nginx' });
  ingress.addHostRule(`${name}.${env.name}.example.com`, '/', kplus.IngressBackend.fromService(service));
  const admit = new kplus.NetworkPolicy(chart, `${id}AllowController`, { metadata: { name: `allow-ingress-to-${objectName}` }, selector: deployment });
  admit.addIngressRule(kplus.Namespaces.select(chart, `${id}Controller`, { names: [env.settings.ingressControllerNamespace] }), [kplus.NetworkPolicyPort.tcp(PORT)]);
}

/** The StatefulSet of every fifth service, behind a headless Service, with a claim per pod. */
function statefulPart(chart: Chart, env: PlatformEnvironment, name: string): void {
  const service = new kplus.Service(chart, 'DbService', { metadata: { name }, clusterIP: 'None', ports: [{ name: 'db', port: DB_PORT }] });
  const set = new kplus.StatefulSet(chart, 'Db', {
    metadata: { name },
    service,
    replicas: 1,
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
    containers: [{ ...container(name, `registry.example.com/bench/db:v1@sha256:${'d'.repeat(64)}`, DB_PORT, env.values.apps.mysql.resources), readiness: kplus.Probe.fromTcpSocket({ port: DB_PORT }) }],
  });
  // cdk8s-plus has no volumeClaimTemplates: the L1 escape hatch adds them.
  ApiObject.of(set).addJsonPatch(
    JsonPatch.add('/spec/volumeClaimTemplates', [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: env.settings.storageClass, resources: { requests: { storage: '1Gi' } } } },
    ]),
  );
}

/** One service's chart: what the platform's NamespacedApp and its contents make. */
export function naiveService(app: Construct, env: PlatformEnvironment, index: number): Chart {
  const name = serviceName(index);
  const chart = new Chart(app, name, { namespace: name, disableResourceNameHashes: true, labels: { [LABELS.partOf]: name, [LABELS.environment]: env.name } });
  tenancy(chart, env, name);
  track(chart, env, name, 'stable');
  track(chart, env, name, 'canary');
  if (index % STATEFUL_EVERY === 0) statefulPart(chart, env, `${name}-db`);
  return chart;
}

/** Builds the whole platform of one environment and synthesizes it with `app.synth()` into `outdir`. */
export function synthNaiveEnvironment(env: PlatformEnvironment, count: number, outdir: string): void {
  const app = new App({ outdir, outputFileExtension: '.yaml' });
  for (let i = 1; i <= count; i++) naiveService(app, env, i);
  app.synth();
}
