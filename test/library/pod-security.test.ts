/**
 * Pod Security admission on every workload of a NamespacedApp, whatever made it: a pod the
 * namespace's enforced level refuses is a synth error naming the workload and each control
 * it breaks, in the API server's own words (k8s.io/pod-security-admission v0.28).
 */
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { NamespacedApp, NodeAgent, PodSecurityOptOut, SynthError } from 'k8s-iac';
import { synthScope } from 'k8s-iac/testing';
import * as k8s from '../../imports/k8s';
import { DIGEST_IMAGE, LIMITS, QUOTA, SETTINGS } from '../helpers';

type Json = Record<string, unknown>;

const namespace = (scope: App, podSecurityOptOut?: PodSecurityOptOut) =>
  new NamespacedApp(scope, 'shop', { namespace: 'shop', settings: SETTINGS, quota: QUOTA, limits: LIMITS, podSecurityOptOut });

/** A pod template restricted admits; `change` edits a copy of it. */
function template(change: (pod: { metadata: Json; spec: Json; container: Json }) => void = () => undefined): Json {
  const container: Json = {
    name: 'raw',
    image: DIGEST_IMAGE,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    resources: { requests: { cpu: '100m', memory: '10Mi' }, limits: { cpu: '100m', memory: '10Mi' } },
  };
  const metadata: Json = { labels: { app: 'raw' } };
  const spec: Json = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [container] };
  change({ metadata, spec, container });
  return { metadata, spec };
}

function rawDeployment(ns: NamespacedApp, podTemplate: Json): void {
  new k8s.KubeDeployment(ns, 'Raw', { metadata: { name: 'raw' }, spec: { replicas: 1, selector: { matchLabels: { app: 'raw' } }, template: podTemplate } });
}

/** The problems synth reports for what `build` adds to the scope; none when it succeeds. */
function problems(build: (scope: App) => void): string[] {
  try {
    synthScope((scope) => build(scope as App));
    return [];
  } catch (err) {
    if (err instanceof SynthError) return [...err.problems];
    throw err;
  }
}

const problemsOf = (podTemplate: Json, optOut?: PodSecurityOptOut) => problems((scope) => rawDeployment(namespace(scope, optOut), podTemplate));

const BASELINE_OPT_OUT: PodSecurityOptOut = { level: 'baseline', reason: 'a vendor image that runs as root' };
const PRIVILEGED_OPT_OUT: PodSecurityOptOut = { level: 'privileged', reason: 'a node agent' };

const sc = (holder: Json) => holder.securityContext as Json;

describe('Pod Security admission of every workload', () => {
  test('a pod template with the restricted security context passes', () => {
    expect(problemsOf(template())).toEqual([]);
  });

  test('a cdk8s-plus Deployment (no seccomp profile, capabilities not dropped) is refused in a restricted namespace, admitted in a baseline one', () => {
    const build = (optOut?: PodSecurityOptOut) => (scope: App) => {
      new kplus.Deployment(namespace(scope, optOut), 'Big', {
        replicas: 1,
        containers: [{ image: DIGEST_IMAGE, portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(10), limit: Size.mebibytes(10) } } }],
      });
    };
    expect(problems(build())).toEqual([
      '[test] shop/Big: Pod Security "restricted:v1.28", which namespace shop enforces, would refuse the pods of Deployment "shop-big": seccompProfile (pod or container "main" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"), unrestricted capabilities (container "main" must set securityContext.capabilities.drop=["ALL"]): set these in its pod template, or, where the app needs them, give the NamespacedApp a podSecurityOptOut { level, reason }',
    ]);
    expect(problems(build(BASELINE_OPT_OUT))).toEqual([]);
  });

  // each row breaks one control of the pod template above; `level` is the lowest level that refuses it, and the
  // last entry, where there is one, how restricted names it when a stricter control of its own takes the baseline one's place
  // (read through a rest parameter: jest takes a fifth named parameter for its done callback where a row has four entries)
  test.each<[string, (pod: { metadata: Json; spec: Json; container: Json }) => void, string, 'baseline' | 'restricted', string?]>([
    ['hostProcess', ({ spec }) => (sc(spec).windowsOptions = { hostProcess: true }), 'hostProcess (pod and containers must not set securityContext.windowsOptions.hostProcess=true)', 'baseline'],
    ['host namespaces', ({ spec }) => Object.assign(spec, { hostNetwork: true, hostPid: true }), 'host namespaces (hostNetwork=true, hostPID=true)', 'baseline'],
    ['privileged', ({ container }) => (sc(container).privileged = true), 'privileged (container "raw" must not set securityContext.privileged=true)', 'baseline'],
    ['capabilities', ({ container }) => (sc(container).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN', 'CHOWN'] }), 'non-default capabilities (container "raw" must not include "SYS_ADMIN" in securityContext.capabilities.add)', 'baseline', 'unrestricted capabilities (container "raw" must not include capabilities other than "NET_BIND_SERVICE" in securityContext.capabilities.add)'],
    ['hostPath', ({ spec }) => (spec.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }]), 'hostPath volumes (volumes "logs")', 'baseline', 'restricted volume types (volumes "logs": use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral or csi)'],
    ['hostPort', ({ container }) => (container.ports = [{ containerPort: 8080, hostPort: 80 }]), 'hostPort (hostPorts 80: use a Service)', 'baseline'],
    ['AppArmor', ({ metadata }) => (metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/raw': 'unconfined' }), 'forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/raw="unconfined")', 'baseline'],
    ['SELinux', ({ container }) => (sc(container).seLinuxOptions = { type: 'spc_t' }), 'seLinuxOptions (seLinuxOptions.type must be container_t, container_init_t or container_kvm_t, and user and role unset)', 'baseline'],
    ['procMount', ({ container }) => (sc(container).procMount = 'Unmasked'), 'procMount (container "raw" must not set securityContext.procMount to anything but "Default")', 'baseline'],
    ['seccomp Unconfined', ({ container }) => (sc(container).seccompProfile = { type: 'Unconfined' }), 'seccompProfile (pod and containers must not set securityContext.seccompProfile.type to "Unconfined")', 'baseline', 'seccompProfile (container "raw" must not set securityContext.seccompProfile.type to "Unconfined")'],
    ['sysctls', ({ spec }) => (sc(spec).sysctls = [{ name: 'kernel.msgmax', value: '65536' }, { name: 'net.ipv4.ip_local_reserved_ports', value: '30000' }]), 'forbidden sysctls (kernel.msgmax)', 'baseline'],
    ['volume type', ({ spec }) => (spec.volumes = [{ name: 'share', nfs: { server: 'nfs.example.com', path: '/' } }, { name: 'tmp' }]), 'restricted volume types (volumes "share": use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral or csi)', 'restricted'],
    ['privilege escalation', ({ container }) => delete sc(container).allowPrivilegeEscalation, 'allowPrivilegeEscalation != false (container "raw" must set securityContext.allowPrivilegeEscalation=false)', 'restricted'],
    ['runAsNonRoot unset', ({ spec }) => delete sc(spec).runAsNonRoot, 'runAsNonRoot != true (pod or container "raw" must set securityContext.runAsNonRoot=true)', 'restricted'],
    ['runAsNonRoot false', ({ container }) => (sc(container).runAsNonRoot = false), 'runAsNonRoot != true (container "raw" must not set securityContext.runAsNonRoot=false)', 'restricted'],
    ['runAsUser 0', ({ spec }) => (sc(spec).runAsUser = 0), 'runAsUser=0 (pod must not set runAsUser=0)', 'restricted'],
    ['seccomp unset', ({ spec }) => delete sc(spec).seccompProfile, 'seccompProfile (pod or container "raw" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")', 'restricted'],
    ['capabilities not dropped', ({ container }) => (sc(container).capabilities = { add: ['NET_BIND_SERVICE'] }), 'unrestricted capabilities (container "raw" must set securityContext.capabilities.drop=["ALL"])', 'restricted'],
    ['a baseline capability', ({ container }) => (sc(container).capabilities = { drop: ['ALL'], add: ['CHOWN'] }), 'unrestricted capabilities (container "raw" must not include capabilities other than "NET_BIND_SERVICE" in securityContext.capabilities.add)', 'restricted'],
  ])('%s', (...[, change, violation, level, restrictedViolation]) => {
    const expected = (enforced: string) => [
      `[test] shop/Raw: Pod Security "${enforced}:v1.28", which namespace shop enforces, would refuse the pods of Deployment "raw": ${violation}: set these in its pod template, or, where the app needs them, give the NamespacedApp a podSecurityOptOut { level, reason }`,
    ];
    const broken = template(change);
    // restricted reports it (with a baseline control, the restricted ones the change also breaks), once
    const restricted = problemsOf(broken).join('\n');
    expect(restricted).toContain(restrictedViolation ?? violation);
    if (restrictedViolation) expect(restricted).not.toContain(violation);
    expect(problemsOf(broken, BASELINE_OPT_OUT)).toEqual(level === 'baseline' ? expected('baseline') : []);
    expect(problemsOf(broken, PRIVILEGED_OPT_OUT)).toEqual([]);
  });

  test('an init container is held to the same rules', () => {
    const problems = problemsOf(template(({ spec }) => (spec.initContainers = [{ name: 'setup', image: DIGEST_IMAGE, securityContext: { privileged: true } }])));
    expect(problems.join('\n')).toContain('privileged (container "setup" must not set securityContext.privileged=true)');
  });

  test('a Windows pod is not asked for what Windows has not (privilege escalation, seccomp, capabilities)', () => {
    const windows = template(({ spec, container }) => {
      spec.os = { name: 'windows' };
      delete sc(spec).seccompProfile;
      container.securityContext = {};
    });
    expect(problemsOf(windows)).toEqual([]);
  });

  test("a pattern's own refusal is not said again as Pod Security's", () => {
    const refused = problems((scope) => {
      new NodeAgent(namespace(scope), 'Agent', {
        name: 'agent',
        version: 'v1',
        hostNetwork: true,
        container: { image: DIGEST_IMAGE, resources: { requests: { cpu: '100m', memory: '10Mi' }, limits: { cpu: '100m', memory: '10Mi' } } },
      });
    }).join('\n');
    expect(refused).toMatch(/hostNetwork puts the agent on the node's network, which Pod Security restricted forbids/);
    expect(refused).not.toMatch(/Pod Security "restricted:v1.28"/);
  });
});
