/**
 * The reference blueprint in every environment: a snapshot of each environment's files,
 * the prod app compared field by field with the notes' go-multiroute (000 §1), and the
 * invariants every environment must keep (tenancy, hygiene, pinned images).
 */
import { ENVIRONMENT_NAMES, synthEnvironmentFiles, synthManifests } from '../helpers';
import type { Manifest } from 'k8s-iac';

type Obj = Record<string, any>;
const byEnv = Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [env, synthManifests(env)])) as Record<string, Manifest[]>;

describe.each(ENVIRONMENT_NAMES)('%s snapshot', (env) => {
  test('files', () => {
    expect(Object.fromEntries(synthEnvironmentFiles(env))).toMatchSnapshot();
  });
});

const workloads = (ms: Manifest[]) => ms.filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind)).map((m) => m.object as Obj);
/** The annotation a namespace's Pod Security opt-out writes its reason to. */
const POD_SECURITY_OPT_OUT = 'k8s-iac.dev/pod-security-opt-out';
const ofKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind).map((m) => m.object as Obj);
const selects = (selector: Obj, labels: Obj) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

describe('prod go-multiroute matches the notes field by field', () => {
  const prod = byEnv.prod;
  const apps = workloads(prod).filter((d) => d.metadata.namespace === 'go-multiroute');
  const activeService = ofKind(prod, 'Service').find((s) => s.metadata.name === 'go-multiroute') as Obj;

  test('own namespace, not default', () => {
    expect(apps.length).toBeGreaterThan(0);
    for (const d of apps) expect(d.metadata.namespace).toBe('go-multiroute');
  });

  test('container: command, config mount, env, resources, image pinned by tag and digest', () => {
    for (const d of apps) {
      const c = d.spec.template.spec.containers[0];
      expect(c.command).toEqual(['/main', '-config', '/config/config.yml']);
      expect(c.volumeMounts).toContainEqual({ name: 'config', mountPath: '/config', readOnly: true });
      expect(c.env).toContainEqual({ name: 'DB_PASS', valueFrom: { secretKeyRef: { name: 'go-multiroute-db', key: 'db_pass' } } });
      expect(c.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
      expect(c.env.find((e: Obj) => e.name === 'VERSION').value).toBe(d.metadata.labels['app.kubernetes.io/version']);
      expect(c.resources).toMatchObject({ requests: { cpu: '100m', memory: '10Mi' }, limits: { cpu: '100m', memory: '15Mi' } });
      expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
      expect(c.image).toMatch(/^docker\.io\/leigg\/go_multiroute:v\d+@sha256:[0-9a-f]{64}$/);
    }
  });

  test('v1 runs the image the notes pushed', () => {
    const v1 = apps.find((d) => d.metadata.labels['app.kubernetes.io/version'] === 'v1') as Obj;
    expect(v1.spec.template.spec.containers[0].image).toBe('docker.io/leigg/go_multiroute:v1@sha256:74bf6d94ea9af3e700dfd9fe64e1cc6a04cd75fb792d994c63bbc6d69de9b7ee');
  });

  test('2 replicas at least (the HPA minimum where one owns them)', () => {
    for (const d of apps) {
      const hpa = ofKind(prod, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      expect(hpa ? hpa.spec.minReplicas : d.spec.replicas).toBe(2);
    }
  });

  test('config.yml in a ConfigMap named by its content hash, mounted by every version', () => {
    const cms = ofKind(prod, 'ConfigMap').filter((c) => c.metadata.namespace === 'go-multiroute');
    expect(cms.length).toBeGreaterThan(0);
    for (const cm of cms) {
      expect(cm.metadata.name).toMatch(/^go-multiroute-config-[0-9a-f]{10}$/);
      expect(cm.data['config.yml']).toContain('/route1');
      expect(cm.immutable).toBe(true);
    }
    for (const d of apps) {
      const volume = d.spec.template.spec.volumes.find((v: Obj) => v.name === 'config');
      expect(cms.map((c) => c.metadata.name)).toContain(volume.configMap.name);
    }
  });

  test('Service on port 3000 to the pods', () => {
    expect(activeService.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
    expect(activeService.spec.type).toBe('ClusterIP');
    expect(apps.some((d) => selects(activeService.spec.selector, d.spec.template.metadata.labels))).toBe(true);
  });

  // the notes' own Ingress (000 §1.8); no /connect_db, which the program in the pinned image does not serve
  test('Ingress class nginx: /route1 Prefix to port 3000', () => {
    const primary = ofKind(prod, 'Ingress').find((i) => i.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'] === undefined) as Obj;
    expect(primary.spec.ingressClassName).toBe('nginx');
    const paths = primary.spec.rules[0].http.paths;
    expect(paths).toEqual([{ path: '/route1', pathType: 'Prefix', backend: { service: { name: 'go-multiroute', port: { number: 3000 } } } }]);
  });
});

describe.each(ENVIRONMENT_NAMES)('%s invariants', (env) => {
  const ms = byEnv[env];
  const namespaces = ofKind(ms, 'Namespace');

  // the log collector reads the nodes' log files: the one namespace that opts out, with its reason
  const optedOut = (ns: string) => namespaces.find((n) => n.metadata.name === ns)?.metadata.annotations?.[POD_SECURITY_OPT_OUT] !== undefined;

  test('nothing in default; each namespace holding workloads has PSS restricted (or its reasoned opt-out), quota, LimitRange, default-deny and DNS', () => {
    for (const m of ms) expect(m.namespace).not.toBe('default');
    const withWorkloads = new Set(workloads(ms).map((w) => w.metadata.namespace));
    expect([...withWorkloads].filter(optedOut)).toEqual(['logging']);
    for (const ns of withWorkloads) {
      const labels = namespaces.find((n) => n.metadata.name === ns)?.metadata.labels;
      expect(labels['pod-security.kubernetes.io/enforce']).toBe(optedOut(ns) ? 'privileged' : 'restricted');
      const inNs = ms.filter((m) => m.namespace === ns);
      expect(inNs.filter((m) => m.kind === 'ResourceQuota' && m.name === 'quota')).toHaveLength(1);
      expect(inNs.filter((m) => m.kind === 'LimitRange')).toHaveLength(1);
      const policies = inNs.filter((m) => m.kind === 'NetworkPolicy').map((m) => m.object as Obj);
      expect(policies.find((p) => p.metadata.name === 'default-deny')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(policies.find((p) => p.metadata.name === 'allow-dns')?.spec.egress[0].ports).toEqual([
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ]);
    }
  });

  test('every workload: requests and limits, restricted context, readiness and preStop behind a Service, PDB at 2+ replicas', () => {
    const services = ofKind(ms, 'Service');
    for (const w of workloads(ms)) {
      const pod = w.spec.template.spec;
      const labels = w.spec.template.metadata.labels;
      for (const c of pod.containers) {
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.securityContext).toMatchObject({ runAsNonRoot: !optedOut(w.metadata.namespace), allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
        expect(c.image).not.toMatch(/:latest(@|$)/);
        expect(c.image).toMatch(/:[\w][\w.-]*(@sha256:[0-9a-f]{64})?$/);
        if (env === 'prod' || env === 'staging') expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
        const behindService = services.some((s) => s.metadata.namespace === w.metadata.namespace && s.spec.selector && selects(s.spec.selector, labels));
        if (behindService) {
          expect(c.readinessProbe).toBeDefined();
          expect(c.lifecycle?.preStop).toBeDefined();
        }
      }
      expect(pod.automountServiceAccountToken).toBe(false);
      const hpa = ofKind(ms, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === w.metadata.name && h.metadata.namespace === w.metadata.namespace);
      if ((w.spec.replicas ?? 0) >= 2 || hpa) {
        const pdbs = ofKind(ms, 'PodDisruptionBudget').filter((p) => p.metadata.namespace === w.metadata.namespace && selects(p.spec.selector.matchLabels, labels));
        expect(pdbs).toHaveLength(1);
      }
    }
  });

  test('Secrets carry values only in dev and test', () => {
    const secrets = ofKind(ms, 'Secret');
    if (env === 'staging' || env === 'prod') expect(secrets).toHaveLength(0);
    // dev and test hold the notes' test password and MySQL's placeholder
    for (const s of secrets) expect(Object.values(s.stringData ?? {}).join()).toMatch(/^(pass123|.*placeholder.*)$/);
  });
});

describe.each(ENVIRONMENT_NAMES)('%s: go-multiroute reaches MySQL only through the notes policy', (env) => {
  const ms = byEnv[env];
  const mysql = workloads(ms).find((w) => w.kind === 'StatefulSet' && w.metadata.name === 'mysql') as Obj;
  const apps = workloads(ms).filter((w) => w.metadata.namespace === 'go-multiroute');

  test('StatefulSet serviceName names a headless Service that selects its pods', () => {
    const headless = ofKind(ms, 'Service').find((s) => s.metadata.name === mysql.spec.serviceName && s.metadata.namespace === 'backend') as Obj;
    expect(headless.spec.clusterIP).toBe('None');
    expect(selects(headless.spec.selector, mysql.spec.template.metadata.labels)).toBe(true);
  });

  test('app pods carry access-db: mysql and DB_HOST names the client Service', () => {
    for (const d of apps) {
      expect(d.spec.template.metadata.labels['access-db']).toBe('mysql');
      expect(d.spec.selector.matchLabels['access-db']).toBeUndefined();
      expect(d.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_HOST', value: 'mysql.backend.svc.cluster.local' });
    }
  });

  test('backend admits access-db pods of go-multiroute on 3306; go-multiroute may leave for it', () => {
    const allow = ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.namespace === 'backend' && p.metadata.name === 'mysql-allow-clients') as Obj;
    expect(selects(allow.spec.podSelector.matchLabels, mysql.spec.template.metadata.labels)).toBe(true);
    expect(allow.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'go-multiroute' } }, podSelector: { matchLabels: { 'access-db': 'mysql' } } }],
        ports: [{ port: 3306, protocol: 'TCP' }],
      },
    ]);
    const egress = ofKind(ms, 'NetworkPolicy').find((p) => p.metadata.namespace === 'go-multiroute' && p.metadata.name === 'allow-egress-mysql') as Obj;
    expect(egress.spec.podSelector).toEqual({ matchLabels: { 'access-db': 'mysql' } });
    expect(egress.spec.egress[0].ports).toEqual([{ port: 3306, protocol: 'TCP' }]);
  });
});
