/**
 * The log collector: fluent-bit on every node of every environment, reading the node's
 * container logs, sending them where the environment says, and nothing else open.
 */
import { findObject, findObjects, synthEnvironment } from 'k8s-iac/testing';
import project from '../../src/platform/project';
import { LOG_COLLECTOR_HTTP_PORT, renderLogCollectorConfig } from '../../src/platform/log-collector';
import { ENVIRONMENT_NAMES, RELEASE_DIR } from '../helpers';

/** The sections of a fluent-bit classic config: name -> key -> value, as fluent-bit reads it. */
function parseFluentBitConfig(text: string): Array<{ section: string; entries: Record<string, string> }> {
  const sections: Array<{ section: string; entries: Record<string, string> }> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const header = /^\[([A-Z]+)\]$/.exec(line);
    if (header) sections.push({ section: header[1], entries: {} });
    else {
      const entry = /^ {4}(\S+)\s+(.+)$/.exec(line);
      if (!entry || sections.length === 0) throw new Error(`not a fluent-bit config line: ${JSON.stringify(line)}`);
      sections[sections.length - 1].entries[entry[1]] = entry[2];
    }
  }
  return sections;
}

describe.each(ENVIRONMENT_NAMES)('log collector in %s', (env) => {
  const manifests = synthEnvironment(project, env, { releaseDir: RELEASE_DIR });
  const object = (kind: string, name: string): any => findObject(manifests, { kind, name, namespace: kind === 'Namespace' ? undefined : 'logging' });
  const ds = object('DaemonSet', 'fluent-bit');
  const pod = ds.spec.template.spec;

  test('in the privileged logging namespace, saying why', () => {
    const ns = object('Namespace', 'logging');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations['k8s-iac.dev/pod-security-opt-out']).toMatch(/reads every pod log file of its node/);
  });

  test('on every node, reading the log folders read-only, as root without capabilities', () => {
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'container-logs', hostPath: { path: '/var/log/containers', type: 'Directory' } },
        { name: 'pod-logs', hostPath: { path: '/var/log/pods', type: 'Directory' } },
      ]),
    );
    expect(pod.containers[0].volumeMounts.filter((m: { name: string }) => m.name.endsWith('-logs')).every((m: { readOnly?: boolean }) => m.readOnly)).toBe(true);
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].image).toMatch(/^cgr\.dev\/chainguard\/fluent-bit:2\.1\.8@sha256:[0-9a-f]{64}$/);
  });

  test('reads the config it is given, and the probes ask the health endpoint that config turns on', () => {
    const config = object('ConfigMap', pod.volumes.find((v: { name: string }) => v.name === 'config').configMap.name);
    const container = pod.containers[0];
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'config');
    expect(container.args).toEqual([`--config=${mount.mountPath}/fluent-bit.conf`]);
    const sections = parseFluentBitConfig(config.data['fluent-bit.conf']);
    const service = sections.find((s) => s.section === 'SERVICE')!.entries;
    expect(service).toMatchObject({ HTTP_Server: 'On', Health_Check: 'On', HTTP_Port: String(LOG_COLLECTOR_HTTP_PORT) });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: LOG_COLLECTOR_HTTP_PORT, protocol: 'TCP' }]);
    const input = sections.find((s) => s.section === 'INPUT')!.entries;
    expect(input.Path).toBe('/var/log/containers/*.log');
    // never its own lines: the namespace in the log file name is excluded
    expect(input.Exclude_Path).toBe('/var/log/containers/*_logging_*.log');
  });

  test('egress: only to the log store, where there is one', () => {
    const config = parseFluentBitConfig(object('ConfigMap', pod.volumes.find((v: { name: string }) => v.name === 'config').configMap.name).data['fluent-bit.conf']);
    const output = config.find((s) => s.section === 'OUTPUT')!.entries;
    const policies = findObjects(manifests, { kind: 'NetworkPolicy', namespace: 'logging' }).map((p) => (p.metadata as { name: string }).name).sort();
    if (output.Name === 'stdout') {
      expect(policies).toEqual(['allow-dns', 'default-deny']);
    } else {
      expect(output).toMatchObject({ Name: 'forward', Port: '24224' });
      expect(policies).toEqual(['allow-dns', 'default-deny', 'fluent-bit-to-log-store']);
      expect(object('NetworkPolicy', 'fluent-bit-to-log-store').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 24224, protocol: 'TCP' }] }]);
    }
  });
});

test('dev and test print the logs, staging and prod forward them', () => {
  expect(renderLogCollectorConfig('logging', { kind: 'stdout' })).toContain('    Name   stdout');
  const forward = parseFluentBitConfig(renderLogCollectorConfig('logging', { kind: 'forward', host: 'logs.example.com', port: 24224 }));
  expect(forward.find((s) => s.section === 'OUTPUT')!.entries).toEqual({ Name: 'forward', Match: 'kube.*', Host: 'logs.example.com', Port: '24224' });
});
