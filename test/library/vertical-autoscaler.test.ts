import { AppDeployment, AppDeploymentProps, formatBytes, formatCpu, NamespacedApp, ResourceAmounts, StatefulApp, VerticalAutoscaler, VerticalAutoscalingProps, workloadFootprints } from 'k8s-iac';
import { find, IMAGE, LIMITS, QUOTA, synth, synthErrors } from '../helpers';

const CONTAINER: AppDeploymentProps['container'] = {
  image: IMAGE,
  ports: [{ name: 'http', port: 8080 }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
};

const deploy = (props: Partial<AppDeploymentProps> = {}) => (ns: NamespacedApp) => new AppDeployment(ns, 'Api', { name: 'api', version: 'v1', replicas: 2, container: CONTAINER, ...props });
const HPA_CPU = { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 };
const AUTO: VerticalAutoscalingProps = { mode: 'Auto', maxAllowed: { cpu: '400m', memory: '256Mi' } };

describe('VerticalPodAutoscaler on a Deployment', () => {
  test('recommendations only by default, for the app container, cpu and memory', () => {
    const vpa = find(synth(deploy({ verticalAutoscaling: {} })), 'VerticalPodAutoscaler');
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.metadata).toMatchObject({ name: 'api', namespace: 'shop' });
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Off' },
      resourcePolicy: { containerPolicies: [{ containerName: 'api', controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsAndLimits' }] },
    });
  });

  test('mode, bounds, controlled resources and values', () => {
    const vpa = find(
      synth(deploy({ verticalAutoscaling: { mode: 'Initial', controlledResources: ['memory'], controlledValues: 'RequestsOnly', minAllowed: { memory: '32Mi' }, maxAllowed: { memory: '128Mi' } } })),
      'VerticalPodAutoscaler',
    );
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Initial' });
    expect(vpa.spec.resourcePolicy.containerPolicies[0]).toEqual({
      containerName: 'api',
      controlledResources: ['memory'],
      controlledValues: 'RequestsOnly',
      minAllowed: { memory: '32Mi' },
      maxAllowed: { memory: '128Mi' },
    });
  });

  test('beside an HPA when they act on different resources, or the VPA only recommends', () => {
    const split = synth(deploy({ replicas: undefined, autoscaling: HPA_CPU, verticalAutoscaling: { mode: 'Auto', controlledResources: ['memory'], maxAllowed: { memory: '256Mi' } } }));
    expect(find(split, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].controlledResources).toEqual(['memory']);
    expect(find(split, 'HorizontalPodAutoscaler').spec.metrics).toHaveLength(1);
    expect(() => synth(deploy({ replicas: undefined, autoscaling: HPA_CPU, verticalAutoscaling: { mode: 'Off' } }))).not.toThrow();
  });

  test('the quota is checked against the VPA ceiling, limits raised in proportion', () => {
    const message = synthErrors(deploy({ verticalAutoscaling: AUTO }), { quota: { ...QUOTA, requests: { cpu: '500m', memory: '4Gi' } } });
    // 2 replicas + surge 1, each at maxAllowed 400m
    expect(message).toMatch(/ResourceQuota requests.cpu is 500m but the workloads need 1200m at their largest/);
    const limits = synthErrors(deploy({ verticalAutoscaling: AUTO }), { quota: { ...QUOTA, limits: { cpu: '8', memory: '1Gi' } } });
    // limit/request 2 kept: memory limit 512Mi, 3 pods
    expect(limits).toMatch(/ResourceQuota limits.memory is 1Gi but the workloads need 1536Mi/);
  });
});

describe('the ceiling', () => {
  /** The container's resources at the most the VPA may give, as the quota check reads them from the rendered objects. */
  const build = (vertical: VerticalAutoscalingProps) => {
    const manifests = synth((ns) => void deploy({ verticalAutoscaling: vertical })(ns));
    const [api] = workloadFootprints(manifests, LIMITS).flatMap((w) => w.containers);
    const amount = (a: ResourceAmounts) => ({ cpu: formatCpu(a.cpu ?? NaN), memory: formatBytes(a.memory ?? NaN) });
    return { largestResources: () => ({ requests: amount(api.requests), limits: amount(api.limits) }) };
  };

  test('mode Off changes nothing', () => {
    expect(build({ mode: 'Off', maxAllowed: { cpu: '1' } }).largestResources()).toEqual(CONTAINER.resources);
  });

  test('capped by the LimitRange maximum, as the VPA caps it, request scaled down with it', () => {
    // LIMITS container max cpu 2: 4 cores x ratio 2 = 8 would exceed it, so limit 2 and request 1
    expect(build({ mode: 'Recreate', controlledResources: ['cpu'], maxAllowed: { cpu: '4' } }).largestResources()).toEqual({
      requests: { cpu: '1', memory: '64Mi' },
      limits: { cpu: '2', memory: '128Mi' },
    });
  });

  test('RequestsOnly leaves limits, and a request never passes its limit', () => {
    expect(build({ mode: 'Auto', controlledResources: ['memory'], controlledValues: 'RequestsOnly', maxAllowed: { memory: '1Gi' } }).largestResources()).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '200m', memory: '128Mi' },
    });
  });
});

describe('on a StatefulApp', () => {
  test('targets the StatefulSet', () => {
    const m = synth((ns) =>
      new StatefulApp(ns, 'Db', {
        name: 'db',
        version: 'v1',
        replicas: 2,
        container: { ...CONTAINER, ports: [{ name: 'db', port: 5432 }], readinessProbe: { tcpSocket: { port: 'db' } } },
        verticalAutoscaling: { mode: 'Initial', maxAllowed: { cpu: '300m', memory: '256Mi' } },
      }),
    );
    expect(find(m, 'VerticalPodAutoscaler').spec).toMatchObject({
      targetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
      updatePolicy: { updateMode: 'Initial' },
      resourcePolicy: { containerPolicies: [{ containerName: 'db', maxAllowed: { cpu: '300m', memory: '256Mi' } }] },
    });
  });
});

describe('errors, each with the construct path and the fix', () => {
  test.each<[string, Partial<AppDeploymentProps>, RegExp]>([
    [
      'VPA and HPA on the same resource',
      { replicas: undefined, autoscaling: HPA_CPU, verticalAutoscaling: AUTO },
      /shop\/Api\/VerticalAutoscaler: the VerticalPodAutoscaler "api" \(mode 'Auto'\) and the HorizontalPodAutoscaler "api" both act on the cpu of Deployment api: .*drop cpu from one of them/,
    ],
    ['mode that acts without maxAllowed', { verticalAutoscaling: { mode: 'Recreate', maxAllowed: { cpu: '1' } } }, /verticalAutoscaling mode 'Recreate' controls memory without maxAllowed.memory: .*set maxAllowed.memory/],
    ['minimum above maximum', { verticalAutoscaling: { minAllowed: { cpu: '2' }, maxAllowed: { cpu: '1' } } }, /verticalAutoscaling.minAllowed.cpu 2 is above maxAllowed.cpu 1/],
    ['bound not a quantity', { verticalAutoscaling: { maxAllowed: { memory: 'lots' } } }, /verticalAutoscaling.maxAllowed.memory "lots" is not a Kubernetes quantity/],
    ['no controlled resources', { verticalAutoscaling: { controlledResources: [] } }, /verticalAutoscaling.controlledResources is empty/],
    ['a resource listed twice', { verticalAutoscaling: { controlledResources: ['cpu', 'cpu'] } }, /verticalAutoscaling.controlledResources \["cpu","cpu"\] lists a resource twice/],
  ])('%s', (_name, props, message) => {
    expect(synthErrors(deploy(props))).toMatch(message);
  });

  test('a second VPA for the same workload', () => {
    const message = synthErrors((ns) => {
      const api = deploy({ verticalAutoscaling: {} })(ns);
      new VerticalAutoscaler(ns, 'Extra', { name: 'api-extra', target: { kind: 'Deployment', name: api.name, containerName: 'api', resources: CONTAINER.resources } });
    });
    expect(message).toMatch(/shop\/Extra: Deployment api already has the VerticalPodAutoscaler shop\/Api\/VerticalAutoscaler: two VPAs would fight over its requests/);
    expect(message).not.toMatch(/shop\/Api\/VerticalAutoscaler: Deployment api already has/);
  });
});
