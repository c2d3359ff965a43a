import { Chart } from 'cdk8s';
import { AppDeployment, AppGateway, AppGatewayProps, AppHttpRoute, AppIngress, AppService, GATEWAY_HTTPS_LISTENER, AppVolumeClaim, NodeAgent, NodeAgentProps, PlatformSettings, PriorityClass, ScheduledJob, ScheduledJobProps } from 'k8s-iac';
import { synthProblems, synthScope } from 'k8s-iac/testing';
import { find, IMAGE, QUOTA, SETTINGS, synth, synthErrors, WEB_POD } from '../helpers';

const JOB: ScheduledJobProps = {
  name: 'report',
  version: 'v1',
  schedule: '30 2 * * *',
  container: { image: IMAGE, command: ['report'], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } },
};
const job = (props: Partial<ScheduledJobProps> = {}) => (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new ScheduledJob(ns, 'Report', { ...JOB, ...props });

const AGENT: NodeAgentProps = {
  name: 'logs',
  version: 'v1',
  container: { image: IMAGE, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } }, mounts: [{ name: 'varlog', mountPath: '/var/log', hostPath: '/var/log' }] },
};
const PRIVILEGED = { podSecurityOptOut: { level: 'privileged' as const, reason: 'the log collector reads the node’s /var/log' } };
const agent = (props: Partial<NodeAgentProps> = {}) => (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new NodeAgent(ns, 'Logs', { ...AGENT, ...props });

describe('ScheduledJob', () => {
  const cron = find(synth(job()), 'CronJob');

  test('every run bounded: Forbid, a starting deadline, history, retries, a deadline', () => {
    expect(cron.spec).toMatchObject({
      schedule: '30 2 * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600 } },
    });
  });

  test('the pods restart on failure, run restricted, with requests and limits and no preStop pause', () => {
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(pod.containers[0].resources.limits).toMatchObject({ cpu: '200m', memory: '128Mi' });
    expect(pod.containers[0].lifecycle).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  test('a liveness and a startup probe are kept: under OnFailure the kubelet restarts a run that hangs', () => {
    const liveness = { exec: { command: ['test', '-f', '/tmp/alive'] } };
    const probed = find(synth(job({ container: { ...JOB.container, livenessProbe: liveness, startupProbe: liveness } })), 'CronJob');
    const pod = probed.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.containers[0].livenessProbe).toMatchObject(liveness);
    expect(pod.containers[0].startupProbe).toMatchObject(liveness);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
  });

  test('the quota counts its pods', () => {
    expect(synthErrors(job(), { quota: { ...QUOTA, pods: 0 } })).toMatch(/ResourceQuota pods is 0 but the workloads need 1 at their largest \[CronJob report: 1 pod \(parallelism/);
  });

  test.each([
    ['a schedule of four fields', { schedule: '30 2 * *' }, /schedule "30 2 \* \*" has 4 fields: give five fields/],
    ['a schedule in words', { schedule: 'every night' }, /schedule "every night" has 2 fields: give five fields/],
    ['an empty schedule', { schedule: ' ' }, /schedule is empty: give five fields/],
    ['a schedule whose days never come (30 February)', { schedule: '0 0 30 2 *' }, /schedule "0 0 30 2 \*" never runs: no month it names has a day of the month it names \(February has 29 days at most; April, June, September and November 30\): name days those months have/],
    ['a schedule whose days never come (31 April and June)', { schedule: '0 0 31 4,6 *' }, /schedule "0 0 31 4,6 \*" never runs/],
    ['a negative retry count', { backoffLimit: -1 }, /backoffLimit is -1: use a whole number of 0 or more/],
    ['a zero deadline', { activeDeadlineSeconds: 0 }, /activeDeadlineSeconds 0 stops every run at once/],
    ['a name over 52 characters', { name: 'r'.repeat(53) }, /CronJob name "r{53}" has 53 characters/],
    ['a name in capitals over 52 characters, said once with the Jobs\' limit', { name: 'R'.repeat(60) }, /^synth failed with 1 error; nothing was written:\n {2}\[test\] shop\/Report: CronJob name "R{60}" is not a valid DNS-1123 subdomain: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit; its Jobs add 11 and must stay within 63, so use at most 52$/],
    ['a readiness probe', { container: { ...JOB.container, readinessProbe: { tcpSocket: { port: 80 } } } }, /a scheduled job has no readiness probe to answer .*: drop readinessProbe/],
  ])('%s is an error', (_name, props, message) => {
    expect(synthErrors(job(props as Partial<ScheduledJobProps>))).toMatch(message);
  });
});

describe('NodeAgent', () => {
  const settings = { ...SETTINGS, nodeCount: 3 };

  test('one pod per node, every taint tolerated, rolled one node at a time, the node folder read-only', () => {
    const ds = find(synth(agent(), { ...PRIVILEGED, settings }), 'DaemonSet');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(ds.spec.template.spec.volumes).toContainEqual({ name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } });
    expect(ds.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'varlog', mountPath: '/var/log', readOnly: true });
  });

  test('maxUnavailable as a percentage the API server reads: leading zeros taken, 0% refused', () => {
    const rolled = (maxUnavailable: string) => find(synth(agent({ maxUnavailable, container: { ...AGENT.container, mounts: [] } }), { settings }), 'DaemonSet').spec.updateStrategy.rollingUpdate;
    expect(rolled('05%')).toEqual({ maxUnavailable: '05%' });
    expect(rolled('0100%')).toEqual({ maxUnavailable: '0100%' });
    expect(synthErrors(agent({ maxUnavailable: '0101%', container: { ...AGENT.container, mounts: [] } }), { settings })).toMatch(/shop\/Logs: maxUnavailable "0101%" is not a count of 1 or more or a percentage 1%-100%/);
  });

  test('a file or socket of the node is mounted with the type the kubelet checks it against', () => {
    const mounts = [
      { name: 'machine-id', mountPath: '/etc/machine-id', hostPath: '/etc/machine-id', hostPathType: 'File' as const },
      { name: 'containerd', mountPath: '/run/containerd/containerd.sock', hostPath: '/run/containerd/containerd.sock', hostPathType: 'Socket' as const },
      { name: 'any', mountPath: '/host/opt', hostPath: '/opt', hostPathType: '' as const },
    ];
    const volumes = find(synth(agent({ container: { ...AGENT.container, mounts } }), { ...PRIVILEGED, settings }), 'DaemonSet').spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'machine-id', hostPath: { path: '/etc/machine-id', type: 'File' } });
    expect(volumes).toContainEqual({ name: 'containerd', hostPath: { path: '/run/containerd/containerd.sock', type: 'Socket' } });
    expect(volumes).toContainEqual({ name: 'any', hostPath: { path: '/opt', type: '' } });
  });

  test('a node folder needs a privileged namespace, opted out with its reason', () => {
    expect(synthErrors(agent(), { settings })).toMatch(/volume varlog mounts a folder of the node, which Pod Security restricted forbids: give the namespace a podSecurityOptOut \{ level: 'privileged', reason \}/);
    expect(synthErrors(agent({ container: { ...AGENT.container, mounts: [] }, hostNetwork: true }), { settings })).toMatch(/hostNetwork puts the agent on the node's network, which Pod Security restricted forbids/);
  });

  // 'spec.template.spec.volumes[0].hostPath.path: Required value' and "...: Invalid value: \"/var/../etc\": must not contain '..'"
  test('a node folder is named, and without .. steps', () => {
    const hostPath = (path: string) => agent({ container: { ...AGENT.container, mounts: [{ name: 'varlog', mountPath: '/var/log', hostPath: path }] } });
    expect(synthErrors(hostPath(''), { ...PRIVILEGED, settings })).toMatch(/shop\/Logs: volume varlog hostPath is empty, which the API server refuses \(hostPath.path: Required value\): give the node's folder, e.g. "\/var\/log"/);
    expect(synthErrors(hostPath('/var/../etc'), { ...PRIVILEGED, settings })).toMatch(/shop\/Logs: volume varlog hostPath "\/var\/..\/etc" must not contain '..', which the API server refuses: write the path it leads to, without '..' steps/);
    expect(synthErrors(hostPath('..'), { ...PRIVILEGED, settings })).toMatch(/volume varlog hostPath ".." must not contain '..'/);
    // a name that only starts with two dots is no step up
    expect(() => synth(hostPath('/var/..data'), { ...PRIVILEGED, settings })).not.toThrow();
  });

  test('the quota counts one pod per node, and asks for the node count when it is not stated', () => {
    expect(synthErrors(agent(), { ...PRIVILEGED, settings: { ...settings, nodeCount: 50 } })).toMatch(/ResourceQuota pods is 40 but the workloads need 50 at their largest \[DaemonSet logs: 50 pods \(one on each of 50 nodes\)\]/);
    expect(synthErrors(agent(), { ...PRIVILEGED, quota: { ...QUOTA, pods: 0 }, settings: { ...settings, nodeCount: 1 } })).toMatch(/\[DaemonSet logs: 1 pod \(one on each of 1 node\)\]/);
    expect(synthErrors(agent(), PRIVILEGED)).toMatch(/shop\/Logs: a DaemonSet runs one pod on every node, and the environment does not state how many nodes it has: set settings.nodeCount/);
  });

  test('runAsRoot: root without capabilities or escalation, not in a restricted namespace, never with a runAsUser', () => {
    const asRoot = { securityOptOut: { runAsRoot: true, reason: 'the node keeps its logs root-owned' } };
    const pod = find(synth(agent(asRoot), { ...PRIVILEGED, settings }), 'DaemonSet').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(synthErrors(agent({ ...asRoot, container: { ...AGENT.container, mounts: [] } }), { settings })).toMatch(
      /securityOptOut.runAsRoot runs the container as root, which Pod Security restricted forbids \(Running as Non-root\): give the namespace a podSecurityOptOut \{ level: 'baseline', reason \}, or run as a non-root user/,
    );
    expect(synthErrors(agent({ ...asRoot, runAsUser: 20000 }), { ...PRIVILEGED, settings })).toMatch(/runAsUser 20000 and securityOptOut.runAsRoot contradict each other/);
  });

  test('runAsRoot in a baseline namespace: running as non-root is a control of restricted only, so baseline admits it', () => {
    const baseline = { podSecurityOptOut: { level: 'baseline' as const, reason: 'the vendor image runs as root' } };
    const asRoot = { securityOptOut: { runAsRoot: true, reason: 'the vendor image writes root-owned files' } };
    const deployment = (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, ...asRoot });
    expect(find(synth(deployment, baseline), 'Deployment').spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    const agentPod = find(synth(agent({ ...asRoot, container: { ...AGENT.container, mounts: [] } }), { ...baseline, settings }), 'DaemonSet').spec.template.spec;
    expect(agentPod.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    // what baseline does forbid still needs privileged: the node's folders and network
    expect(synthErrors(agent(asRoot), { ...baseline, settings })).toMatch(/volume varlog mounts a folder of the node, which Pod Security baseline forbids/);
    expect(synthErrors(deployment)).toMatch(/shop\/Web: securityOptOut.runAsRoot runs the container as root, which Pod Security restricted forbids/);
  });
});

describe('PriorityClass, priorityClassName and claims', () => {
  test('a class is cluster-scoped; pods name the environment default or their own', () => {
    const manifests = synthScope((scope) => {
      new PriorityClass(new Chart(scope, 'classes'), 'Batch', { name: 'batch', value: 1000, description: 'batch work', preemptionPolicy: 'Never' });
    });
    expect(manifests[0]).toMatchObject({ file: '_cluster/priorityclass-batch.yaml', object: { value: 1000, preemptionPolicy: 'Never', globalDefault: false } });
    const web = (priorityClassName?: string) => find(synth((ns) => void new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, priorityClassName }), { settings: { ...SETTINGS, priorityClassName: 'default-class' } }), 'Deployment');
    expect(web().spec.template.spec.priorityClassName).toBe('default-class');
    expect(web('critical').spec.template.spec.priorityClassName).toBe('critical');
  });

  test('a class name the system reserves, or a value out of range, is an error', () => {
    const problems = synthProblems(() => synthScope((scope) => void new PriorityClass(new Chart(scope, 'c'), 'P', { name: 'system-mine', value: 2e9, description: 'x' })));
    expect(problems.join('\n')).toMatch(/starts with "system-", which the API server reserves/);
    expect(problems.join('\n')).toMatch(/value 2000000000 is not a whole number from -2147483648 to 1000000000/);
  });

  test('made inside a NamespacedApp, a class still goes to _cluster/ without the namespace', () => {
    const manifests = synth((ns) => void new PriorityClass(ns, 'Batch', { name: 'batch', value: 1000, description: 'batch work' }));
    const made = manifests.find((m) => m.object.kind === 'PriorityClass');
    expect(made?.file).toBe('_cluster/priorityclass-batch.yaml');
    expect(made?.object.metadata).not.toHaveProperty('namespace');
  });

  test('what a JavaScript project can give wrong is named: a name that is no text, a preemption policy in lower case', () => {
    const problems = (props: object) => synthProblems(() => synthScope((scope) => void new PriorityClass(new Chart(scope, 'c'), 'P', { name: 'batch', value: 1000, description: 'x', ...props })));
    expect(problems({ name: 123 })).toEqual([expect.stringMatching(/^\[test\] c\/P: PriorityClass name is 123, not text/)]);
    expect(problems({ preemptionPolicy: 'never' })).toEqual([expect.stringMatching(/c\/P: preemptionPolicy "never" is not one of the values it takes: use 'PreemptLowerPriority', 'Never'$/)]);
  });

  test('a negative value is a user class the API server takes (ValidatePriorityClass bounds it from above only)', () => {
    expect(() => synthScope((scope) => void new PriorityClass(new Chart(scope, 'c'), 'P', { name: 'background', value: -1_500_000_000, description: 'x' }))).not.toThrow();
    expect(synthProblems(() => synthScope((scope) => void new PriorityClass(new Chart(scope, 'c'), 'P', { name: 'background', value: -(2 ** 31) - 1, description: 'x' })))).toEqual([
      expect.stringMatching(/value -2147483649 is not a whole number from -2147483648/),
    ]);
  });

  test('a standalone claim counts against the quota storage', () => {
    expect(synthErrors((ns) => void new AppVolumeClaim(ns, 'Claim', { name: 'data', size: '60Gi' }))).toMatch(/ResourceQuota requests.storage is 50Gi but the workloads need 60Gi/);
  });
});

describe('priority-scoped quotas', () => {
  const BATCH = { priorityClassName: 'batch', pods: 1, requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

  test('a ResourceQuota that counts only the pods of its class', () => {
    const quota = find(synth(job({ priorityClassName: 'batch' }), { priorityQuotas: [BATCH] }), 'ResourceQuota', 'quota-batch');
    expect(quota.spec).toEqual({
      hard: { 'requests.cpu': '100m', 'requests.memory': '64Mi', 'limits.cpu': '200m', 'limits.memory': '128Mi', pods: 1 },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['batch'] }] },
    });
  });

  test('the workloads of the class must fit it; the others are not counted', () => {
    expect(synthErrors(job({ priorityClassName: 'batch' }), { priorityQuotas: [{ ...BATCH, requests: { cpu: '50m', memory: '64Mi' } }] })).toMatch(
      /ResourceQuota quota-batch \(pods of PriorityClass batch\) requests.cpu is 50m but the workloads need 100m at their largest \[CronJob report: 1 pod .*\]: raise priorityQuotas\[0\].requests.cpu to at least 100m/,
    );
    expect(() => synth(job(), { priorityQuotas: [{ ...BATCH, pods: 0 }] })).not.toThrow();
  });

  test('one quota per class, with valid amounts', () => {
    expect(synthErrors(job(), { priorityQuotas: [BATCH, { ...BATCH, limits: { cpu: '2 00m', memory: '128Mi' } }] })).toMatch(/priorityQuotas\[1\] repeats PriorityClass "batch"[\s\S]*priorityQuotas\[1\].limits.cpu/);
  });

  test('a class name that is no name is one problem; a valid one too long for the quota\'s prefix is the quota name\'s', () => {
    expect(synthErrors(job(), { priorityQuotas: [{ ...BATCH, priorityClassName: 'High_P' }] })).toBe(
      'synth failed with 1 error; nothing was written:\n  [test] shop: priorityQuotas[0].priorityClassName "High_P" is not a valid DNS-1123 subdomain: use at most 253 lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
    );
    expect(synthErrors(job(), { priorityQuotas: [{ ...BATCH, priorityClassName: 'b'.repeat(250) }] })).toMatch(/priorityQuotas\[0\]'s ResourceQuota name "quota-b{250}" is not a valid DNS-1123 subdomain/);
  });
});

describe('TLS at the edge', () => {
  const tls: PlatformSettings = { ...SETTINGS, tlsClusterIssuer: 'platform-issuer' };
  const ingress = (settings: PlatformSettings = tls) =>
    synth(
      (ns) => {
        const d = new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
        const svc = new AppService(ns, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
        new AppIngress(ns, 'Ing', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service: svc });
      },
      { settings },
    );

  test('where the environment has an issuer: the certificate from cert-manager, HTTP redirected to HTTPS', () => {
    const ing = find(ingress(), 'Ingress');
    expect(ing.metadata.annotations).toMatchObject({ 'cert-manager.io/cluster-issuer': 'platform-issuer', 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' });
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
  });

  test('without an issuer the Ingress stays plain HTTP', () => {
    const ing = find(ingress(SETTINGS), 'Ingress');
    expect(ing.spec.tls).toBeUndefined();
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
  });
});

describe('AppGateway: TLS at the Gateway', () => {
  const GATEWAY: AppGatewayProps = { name: 'public', className: 'platform', hostname: 'shop.example.com', routeNamespaces: ['shop'] };
  const gateway = (props: Partial<AppGatewayProps> = {}) => synth((ns) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, ...props }));

  test('with an issuer: an https listener with the certificate, the http listener only redirects', () => {
    const ms = gateway({ tlsClusterIssuer: 'platform-issuer' });
    const gw = find(ms, 'Gateway');
    expect(gw.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'platform-issuer' });
    const [http, https] = gw.spec.listeners;
    expect(http).toEqual({ name: 'http', protocol: 'HTTP', port: 80, hostname: 'shop.example.com', allowedRoutes: { namespaces: { from: 'Same' } } });
    expect(https).toMatchObject({ name: 'https', protocol: 'HTTPS', port: 443, hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'public-tls' }] } });
    expect(https.allowedRoutes.namespaces.selector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }]);
    expect(find(ms, 'HTTPRoute', 'public-https-redirect').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('without an issuer: one http listener that serves the apps, no redirect', () => {
    const ms = gateway();
    const listeners = find(ms, 'Gateway').spec.listeners;
    expect(listeners.map((l: { name: string }) => l.name)).toEqual(['http']);
    expect(listeners[0].allowedRoutes.namespaces.from).toBe('Selector');
    expect(ms.filter((m) => m.kind === 'HTTPRoute')).toHaveLength(0);
  });

  test('routes attach to the listener the environment names', () => {
    const ms = synth((ns) => {
      const d = new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      const svc = new AppService(ns, 'Svc', { name: 'web', selector: d.podSelector, ports: [{ name: 'http', port: 8080 }] });
      new AppHttpRoute(ns, 'Route', { name: 'web', gateway: { name: 'public', namespace: 'gateway-system', sectionName: GATEWAY_HTTPS_LISTENER }, host: 'shop.example.com', paths: [{ path: '/' }], service: svc });
    });
    expect(find(ms, 'HTTPRoute').spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
  });

  test('the class is an object name, as gatewayClassName takes it (a DNS-1123 subdomain of at most 253 characters)', () => {
    const withClass = (className: string) => (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, className });
    expect(synthErrors(withClass('Envoy Gateway'))).toMatch(/shop\/Gateway: GatewayClass name "Envoy Gateway" is not a valid DNS-1123 subdomain: use at most 253 lower-case letters/);
    expect(synthErrors(withClass('eg.'.repeat(85) + 'eg'))).toMatch(/GatewayClass name "(eg\.){85}eg" is not a valid DNS-1123 subdomain/);
    expect(find(synth(withClass('gateway.envoyproxy.io')), 'Gateway').spec.gatewayClassName).toBe('gateway.envoyproxy.io');
  });

  test('bad names, an empty class or issuer, no route namespaces: each said', () => {
    const message = synthErrors((ns) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, name: 'Public', className: ' ', hostname: 'shop..example.com', routeNamespaces: [], tlsClusterIssuer: '' }));
    expect(message).toMatch(/Gateway name/);
    expect(message).toMatch(/Gateway hostname/);
    expect(message).toMatch(/GatewayClass name " " is not a valid DNS-1123 subdomain/);
    expect(message).toMatch(/tlsClusterIssuer is empty/);
    expect(message).toMatch(/routeNamespaces is empty/);
  });
  test('a name of 238 characters still names its redirect within 253; one more does not, and is said once', () => {
    const named = (name: string, props: Partial<AppGatewayProps> = {}) => (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, name, tlsClusterIssuer: 'platform-issuer', ...props });
    expect(find(synth(named('g'.repeat(238))), 'HTTPRoute').metadata.name).toHaveLength(253);
    expect(synthErrors(named('g'.repeat(239)))).toMatch(/synth failed with 1 error[^]*Gateway name "g{239}" has 239 characters, .*: use at most 238 characters/);
    // without TLS there is no redirect: the name may be as long as any
    expect(() => synth(named('g'.repeat(253), { tlsClusterIssuer: undefined }))).not.toThrow();
  });

  test('a name that is no subdomain is said once, not again as the Secret named after it', () => {
    const message = synthErrors((ns) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, name: 'Public', tlsClusterIssuer: 'platform-issuer' }));
    expect(message).toMatch(/synth failed with 1 error[^]*Gateway name "Public" is not a valid DNS-1123 subdomain/);
  });

  test('the issuer is a ClusterIssuer name: a DNS-1123 subdomain', () => {
    const issuer = (tlsClusterIssuer: string) => (ns: Parameters<Parameters<typeof synth>[0]>[0]) => void new AppGateway(ns, 'Gateway', { ...GATEWAY, tlsClusterIssuer });
    expect(synthErrors(issuer('LetsEncrypt'))).toMatch(/shop\/Gateway: tlsClusterIssuer \(a ClusterIssuer name\) "LetsEncrypt" is not a valid DNS-1123 subdomain/);
    expect(synthErrors(issuer('lets_encrypt'))).toMatch(/tlsClusterIssuer \(a ClusterIssuer name\) "lets_encrypt" is not a valid DNS-1123 subdomain/);
    expect(() => synth(issuer('letsencrypt.prod'))).not.toThrow();
  });
});
