#!/usr/bin/env node
/**
 * The Pod Security check (podSecurityAdmitsWorkloads) against the admission library
 * itself: k8s.io/pod-security-admission v0.28, which kube-apiserver 1.28 admits pods with
 * (scripts/pod-security-evaluate, run by `go run` into Go's build cache, outside the clone).
 * For generated pod templates, at baseline and at restricted (half drawn field by field:
 * security contexts set, unset and set wrong on the pod and on each container, host
 * namespaces, ports and volumes, sysctls, AppArmor annotations, Windows pods; half one to
 * three changes from a template restricted admits, most of them still admitted), the controls the check names must be the
 * ones the library refuses the pod for: a control named that the library admits would
 * block a valid workload, and one missed would let synth write a workload without pods.
 * scripts/fuzz.sh runs it.
 *
 *   node scripts/pod-security-agreement.js [COUNT] [SEED]   (needs lib/ compiled and go)
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const fc = require('fast-check');
const { podSecurityAdmitsWorkloads } = require('../lib/src/library/index.js');

const count = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 20261123);

/** The reasons the library gives (ForbiddenReason), as the check's message names them. */
const REASONS = [
  'hostProcess',
  'host namespaces',
  'privileged',
  'non-default capabilities',
  'hostPath volumes',
  'hostPort',
  'forbidden AppArmor profile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile',
  'forbidden sysctls',
  'restricted volume types',
  'allowPrivilegeEscalation != false',
  'runAsNonRoot != true',
  'runAsUser=0',
  'unrestricted capabilities',
];

const optional = (arbitrary) => fc.option(arbitrary, { nil: undefined });
/** An object of the defined members only, as JSON writes it. */
const defined = (record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

const seccomp = fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined') });
const seLinux = fc.constantFrom({ type: 'container_t' }, { type: 'container_init_t' }, { type: 'spc_t' }, { user: 'u' }, { role: 'r' }, { level: 's0:c1' });
const capabilities = fc
  .record({
    drop: optional(fc.constantFrom(['ALL'], ['NET_RAW'], [])),
    add: optional(fc.constantFrom(['NET_BIND_SERVICE'], ['CHOWN'], ['SYS_ADMIN'], ['NET_BIND_SERVICE', 'KILL'], [])),
  })
  .map(defined);

const containerContext = fc
  .record({
    allowPrivilegeEscalation: optional(fc.boolean()),
    privileged: optional(fc.boolean()),
    runAsNonRoot: optional(fc.boolean()),
    runAsUser: optional(fc.constantFrom(0, 1000)),
    capabilities: optional(capabilities),
    seccompProfile: optional(seccomp),
    procMount: optional(fc.constantFrom('Default', 'Unmasked')),
    seLinuxOptions: optional(seLinux),
    windowsOptions: optional(fc.record({ hostProcess: fc.boolean() })),
  })
  .map(defined);

const container = (name) =>
  fc
    .record({
      securityContext: optional(containerContext),
      ports: optional(fc.constantFrom([{ containerPort: 80 }], [{ containerPort: 80, hostPort: 0 }], [{ containerPort: 80, hostPort: 8080 }])),
    })
    .map((c) => defined({ name, image: 'registry.example.com/app:v1', ...c }));

const podContext = fc
  .record({
    runAsNonRoot: optional(fc.boolean()),
    runAsUser: optional(fc.constantFrom(0, 1000)),
    seccompProfile: optional(seccomp),
    seLinuxOptions: optional(seLinux),
    windowsOptions: optional(fc.record({ hostProcess: fc.boolean() })),
    sysctls: optional(fc.constantFrom([{ name: 'kernel.shm_rmid_forced', value: '0' }], [{ name: 'net.ipv4.ip_local_reserved_ports', value: '30000' }], [{ name: 'kernel.msgmax', value: '65536' }])),
  })
  .map(defined);

const volume = fc.constantFrom(
  { name: 'v', emptyDir: {} },
  { name: 'v', configMap: { name: 'c' } },
  { name: 'v', projected: { sources: [] } },
  { name: 'v', persistentVolumeClaim: { claimName: 'c' } },
  { name: 'v', hostPath: { path: '/var/log' } },
  { name: 'v', nfs: { server: 'nfs.example.com', path: '/' } },
  { name: 'v', gitRepo: { repository: 'https://example.com/r.git' } },
);

const template = fc
  .record({
    level: fc.constantFrom('baseline', 'restricted'),
    containers: fc.oneof(fc.tuple(container('app')), fc.tuple(container('app'), container('sidecar'))),
    initContainers: optional(fc.tuple(container('setup'))),
    securityContext: optional(podContext),
    hostNetwork: optional(fc.boolean()),
    hostPID: optional(fc.boolean()),
    hostIPC: optional(fc.boolean()),
    os: optional(fc.constantFrom({ name: 'linux' }, { name: 'windows' })),
    volumes: optional(fc.tuple(volume)),
    appArmor: optional(fc.constantFrom('runtime/default', 'localhost/app', 'unconfined', '')),
  })
  .map(({ level, appArmor, ...spec }) => ({
    level,
    metadata: defined({ name: 'pod', annotations: appArmor === undefined ? undefined : { 'container.apparmor.security.beta.kubernetes.io/app': appArmor } }),
    spec: defined(spec),
  }));

/** A template restricted admits: what our patterns render. */
function restrictedTemplate() {
  const container = { name: 'app', image: 'registry.example.com/app:v1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
  return { metadata: { name: 'pod' }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [container] } };
}

/** One change to a template, each near a control's edge: most admitted at baseline, many at restricted. */
const change = fc.constantFrom(
  (t) => (t.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
  (t) => (t.spec.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['CHOWN'] }),
  (t) => delete t.spec.containers[0].securityContext.capabilities,
  (t) => delete t.spec.containers[0].securityContext.allowPrivilegeEscalation,
  (t) => (t.spec.containers[0].securityContext.runAsNonRoot = true),
  (t) => (t.spec.containers[0].securityContext.runAsUser = 0),
  (t) => (t.spec.securityContext.runAsUser = 1000),
  (t) => delete t.spec.securityContext.runAsNonRoot,
  (t) => (t.spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'app.json' }),
  (t) => delete t.spec.securityContext.seccompProfile,
  (t) => (t.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]),
  (t) => (t.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }]),
  (t) => (t.spec.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }]),
  (t) => (t.spec.os = { name: 'windows' }),
  (t) => (t.spec.containers[0].securityContext.seLinuxOptions = { level: 's0:c1' }),
  (t) => (t.spec.containers[0].securityContext.procMount = 'Default'),
  (t) => (t.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/app' }),
  (t) => (t.spec.containers[0].ports = [{ containerPort: 80, hostPort: 0 }]),
  (t) => (t.spec.hostNetwork = false),
);

const nearlyRestricted = fc.record({ level: fc.constantFrom('baseline', 'restricted'), changes: fc.array(change, { maxLength: 3 }) }).map(({ level, changes }) => {
  const t = restrictedTemplate();
  for (const c of changes) c(t);
  return { level, ...t };
});

/** The reasons the check's message names for one pod template at its level, sorted. */
function checkReasons({ level, metadata, spec }) {
  const message = podSecurityAdmitsWorkloads([{ path: 'agreement/Pod', object: { apiVersion: 'v1', kind: 'Pod', metadata, spec } }], level, 'agreement').join('\n');
  return REASONS.filter((r) => message.includes(`: ${r} (`) || message.includes(`, ${r} (`)).sort();
}

/** The library's reasons for each template, in one run of scripts/pod-security-evaluate. */
function libraryReasons(templates) {
  const result = spawnSync('go', ['run', '.'], { cwd: path.join(__dirname, 'pod-security-evaluate'), input: JSON.stringify(templates), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) throw new Error(`go run scripts/pod-security-evaluate failed (Go is needed here): ${result.error?.message ?? result.stderr}`);
  const verdicts = JSON.parse(result.stdout);
  if (verdicts.length !== templates.length) throw new Error(`scripts/pod-security-evaluate answered ${verdicts.length} of ${templates.length} templates`);
  // one reason per control: "forbidden AppArmor profiles" is the plural of the check's
  return verdicts.map((reasons) => [...new Set(reasons.map((r) => r.replace(/^forbidden AppArmor profiles$/, 'forbidden AppArmor profile')))].sort());
}

// half drawn field by field (nearly all refused), half one to three changes from what restricted admits
const templates = fc.sample(fc.oneof(template, nearlyRestricted), { numRuns: count, seed });
const theirs = libraryReasons(templates);
const disagreements = templates.flatMap((t, i) => {
  const ours = checkReasons(t);
  return JSON.stringify(ours) === JSON.stringify(theirs[i]) ? [] : [{ template: t, check: ours, library: theirs[i] }];
});
const refused = theirs.filter((r) => r.length > 0).length;
console.log(`pod security: ${count} pod templates (seed ${seed}), ${refused} refused by k8s.io/pod-security-admission v0.28; the check names the same controls for ${count - disagreements.length}`);
if (disagreements.length > 0) {
  for (const d of disagreements.slice(0, 5)) console.error(JSON.stringify(d));
  console.error(`pod security: FAILED: the check and the admission library disagree on ${disagreements.length} templates`);
  process.exit(1);
}
