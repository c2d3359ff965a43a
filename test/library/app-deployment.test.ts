import { AppDeployment, AppDeploymentProps, type NamespacedApp } from 'k8s-iac';
import { DIGEST_IMAGE, find, IMAGE, SETTINGS, synth, synthErrors } from '../helpers';

const BASE: AppDeploymentProps = {
  name: 'api',
  version: 'v1',
  replicas: 3,
  container: {
    image: IMAGE,
    ports: [{ name: 'http', port: 8080 }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
    livenessProbe: { tcpSocket: { port: 'http' } },
  },
};

const deploy = (props: Partial<AppDeploymentProps> = {}) => (ns: NamespacedApp) => new AppDeployment(ns, 'Api', { ...BASE, ...props });

describe('hygiene by default', () => {
  const manifests = synth(deploy());
  const d = find(manifests, 'Deployment');
  const pod = d.spec.template.spec;
  const c = pod.containers[0];

  test('labels: stable selector, version and environment on the pods', () => {
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(d.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/version': 'v1',
      'app.kubernetes.io/part-of': 'shop',
      'k8s-iac.dev/environment': 'test',
    });
    expect(d.spec.replicas).toBe(3);
  });

  test('restricted security context, own service account, no token', () => {
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(find(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('a size-limited /tmp for the read-only root filesystem', () => {
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
  });

  test('graceful stop: preStop pause inside the grace period', () => {
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('requests, limits, probes', () => {
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
  });

  test('rolling update without unavailability, spread over nodes', () => {
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname']);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('PDB at 60% when that still allows a disruption', () => {
    expect(find(manifests, 'PodDisruptionBudget').spec).toEqual({ minAvailable: '60%', selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });
});

describe('options', () => {
  test('an HPA owns replicas: the Deployment omits them; autoscaling/v2 with CPU and memory and damped scale-down', () => {
    const m = synth(deploy({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, memoryUtilization: 80 } }));
    expect(find(m, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = find(m, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    // 60% of 2 rounds up to 2, which would block drains: fall back to maxUnavailable 1
    expect(find(m, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('no PDB for a single replica; zones added to the spread when the environment says so', () => {
    const m = synth(deploy({ replicas: 1 }), { settings: { ...SETTINGS, spreadAcrossZones: true } });
    expect(m.filter((x) => x.kind === 'PodDisruptionBudget')).toHaveLength(0);
    expect(find(m, 'Deployment').spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  });

  test('Guaranteed QoS, Recreate, longer grace, no preStop', () => {
    const m = synth(
      deploy({
        qos: 'guaranteed',
        strategy: { type: 'Recreate' },
        terminationGracePeriodSeconds: 60,
        preStopSleepSeconds: false,
        container: { ...BASE.container, resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
      }),
    );
    const d = find(m, 'Deployment');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
    expect(d.spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  test('a writable root filesystem is an explicit, reasoned opt-out', () => {
    const m = synth(deploy({ securityOptOut: { writableRootFilesystem: true, reason: 'legacy app writes its pid file to /var/run' } }));
    expect(find(m, 'Deployment').spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(synthErrors(deploy({ securityOptOut: { writableRootFilesystem: true, reason: '' } }))).toMatch(/securityOptOut has no reason/);
  });

  test('digest pinning when the environment requires it', () => {
    expect(synthErrors(deploy(), { settings: { ...SETTINGS, requireImageDigest: true } })).toMatch(/shop\/Api: container api: image ".*:v1.2.3" has no digest, and this environment requires one/);
    expect(() => synth(deploy({ container: { ...BASE.container, image: DIGEST_IMAGE } }), { settings: { ...SETTINGS, requireImageDigest: true } })).not.toThrow();
  });
});

describe('errors, each with the construct path and the fix', () => {
  test.each<[string, Partial<AppDeploymentProps>, RegExp]>([
    ['negative replicas', { replicas: -1 }, /shop\/Api: replicas is -1: use a whole number of 0 or more/],
    ['bad name', { name: 'Api_Server' }, /Deployment name "Api_Server" is not a valid DNS-1123 subdomain/],
    ['image without tag', { container: { ...BASE.container, image: 'registry.example.com/shop/api' } }, /has no tag: pin a versioned tag/],
    ['latest', { container: { ...BASE.container, image: 'registry.example.com/shop/api:latest' } }, /uses the tag "latest"/],
    ['port out of range', { container: { ...BASE.container, ports: [{ name: 'http', port: 70000 }] } }, /container port http 70000 is outside 1-65535/],
    ['probe on an undeclared port', { container: { ...BASE.container, readinessProbe: { httpGet: { path: '/', port: 'web' } } } }, /readinessProbe uses port "web", which the container does not declare: use one of http/],
    ['probe with two handlers', { container: { ...BASE.container, livenessProbe: { tcpSocket: { port: 'http' }, exec: { command: ['true'] } } } }, /livenessProbe needs exactly one of httpGet, tcpSocket or exec \(has 2\)/],
    ['guaranteed with unequal requests', { qos: 'guaranteed' }, /qos 'guaranteed' needs requests equal to limits/],
    ['preStop longer than grace', { preStopSleepSeconds: 30 }, /preStopSleepSeconds 30 leaves no time to shut down within terminationGracePeriodSeconds 30/],
    ['root user', { runAsUser: 0 }, /runAsUser 0 is root: Pod Security restricted needs a non-zero user id/],
    ['replicas and HPA both', { autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 60 } }, /replicas 3 and autoscaling are both set: the HPA owns the replica count/],
    ['HPA min 0', { replicas: undefined, autoscaling: { minReplicas: 0, maxReplicas: 4, cpuUtilization: 60 } }, /autoscaling.minReplicas is 0: use a whole number of 1 or more/],
    ['HPA without target', { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 4 } }, /autoscaling has no target/],
    ['HPA max below min', { replicas: undefined, autoscaling: { minReplicas: 4, maxReplicas: 2, cpuUtilization: 60 } }, /autoscaling.maxReplicas 2 is below minReplicas 4/],
    ['PDB that blocks drains', { disruptionBudget: { minAvailable: 3 } }, /PodDisruptionBudget \{"minAvailable":3\} allows no voluntary disruption at 3 replicas, which blocks node drains/],
    ['no PDB for many replicas', { disruptionBudget: false }, /disruptionBudget is false but the Deployment runs up to 3 replicas/],
    ['scratch space above the ephemeral-storage limit', { tmpSizeLimit: '1Gi' }, /the emptyDir volumes may hold 1Gi, more than ephemeralStorage.limit 256Mi/],
    ['ephemeral request above limit', { ephemeralStorage: { request: '1Gi', limit: '512Mi' } }, /ephemeralStorage.request 1Gi is above its limit 512Mi/],
    ['bad version label', { version: 'v1 beta' }, /version "v1 beta" is not a valid label value/],
  ])('%s', (_name, props, message) => {
    expect(synthErrors(deploy(props))).toMatch(message);
  });

  test('a zero-disruption budget is allowed when asked for', () => {
    const m = synth(deploy({ disruptionBudget: { maxUnavailable: 0, allowZeroDisruptions: true } }));
    expect(find(m, 'PodDisruptionBudget').spec.maxUnavailable).toBe(0);
  });
});
