/**
 * The log collector (001:L4534, centralised logging: a DaemonSet collects every pod's logs
 * on its node): fluent-bit on every node, in a `logging` namespace of its own.
 * - It tails the container log files the kubelet keeps on the node (/var/log/containers,
 *   symlinks into /var/log/pods; the CRI and Docker line formats), so it mounts those
 *   folders read-only. They are root-owned and 0640, so the agent runs as root, without
 *   capabilities or privilege escalation: both need the namespace's `privileged` Pod
 *   Security opt-out, whose reason is written on the namespace.
 * - Where the logs go is the environment's `logStore`: its own output (`kubectl logs`) in
 *   dev and test, a Fluentd aggregator over the forward protocol in staging and prod. The
 *   namespace stays default-deny; the only egress opened is DNS and the aggregator's port.
 * - fluent-bit's own HTTP server answers the readiness probe (`Health_Check`).
 */
import type { Construct } from 'constructs';
import { AppRelease, NamespacedApp, NetworkPolicy, NodeAgent, VersionedConfigMap } from 'k8s-iac';
import type { LogStore, PlatformEnvironment } from './environment';
import { PRIORITY_CLASSES } from './priorities';
import { checkRollingRelease } from './release-checks';

/** The collector's name: namespace part-of, DaemonSet and release entry. */
export const LOG_COLLECTOR_APP = 'fluent-bit';
/** fluent-bit's built-in HTTP server port (its `HTTP_Port` default): health and metrics. */
export const LOG_COLLECTOR_HTTP_PORT = 2020;
/** Where the image reads its configuration (the image's CMD: `--config=/fluent-bit/etc/fluent-bit.conf`). */
const CONFIG_DIR = '/fluent-bit/etc';
const CONFIG_FILE = 'fluent-bit.conf';
/** The kubelet's container log files: symlinks named `<pod>_<namespace>_<container>-<id>.log`. */
const CONTAINER_LOGS = '/var/log/containers';
/** What the symlinks point to. */
const POD_LOGS = '/var/log/pods';
/** `/api/v1/health` answers 200 while the pipeline works once `Health_Check` is on. */
const HEALTH_PATH = '/api/v1/health';

/** fluent-bit.conf: tail every container's log, except the collector's own, and send it to the log store. */
export function renderLogCollectorConfig(namespace: string, store: LogStore): string {
  const output =
    store.kind === 'stdout'
      ? ['[OUTPUT]', '    Name   stdout', '    Match  kube.*']
      : ['[OUTPUT]', '    Name   forward', '    Match  kube.*', `    Host   ${store.host}`, `    Port   ${store.port}`];
  return [
    '[SERVICE]',
    '    Flush         5',
    '    Log_Level     info',
    '    Daemon        off',
    '    HTTP_Server   On',
    '    HTTP_Listen   0.0.0.0',
    `    HTTP_Port     ${LOG_COLLECTOR_HTTP_PORT}`,
    '    Health_Check  On',
    '',
    '[INPUT]',
    '    Name              tail',
    `    Path              ${CONTAINER_LOGS}/*.log`,
    // its own lines would come back to it, forever, once they are written to its output
    `    Exclude_Path      ${CONTAINER_LOGS}/*_${namespace}_*.log`,
    '    Tag               kube.*',
    '    multiline.parser  cri, docker',
    '    Mem_Buf_Limit     5MB',
    '    Skip_Long_Lines   On',
    '',
    ...output,
    '',
  ].join('\n');
}

/** The environment and release of the collector. */
export interface LogCollectorProps {
  readonly env: PlatformEnvironment;
  readonly release: AppRelease;
  /** Where the release came from, for messages. @default 'the release state' */
  readonly releaseSource?: string;
}

/** The `logging` namespace: fluent-bit on every node, its config, and the egress to the log store. */
export class LogCollector extends NamespacedApp {
  /** The DaemonSet's construct. */
  readonly agent: NodeAgent;

  constructor(scope: Construct, id: string, props: LogCollectorProps) {
    const cfg = props.env.values.logging;
    super(scope, id, {
      namespace: cfg.namespace,
      settings: props.env.settings,
      quota: cfg.tenancy.quota,
      limits: cfg.tenancy.limits,
      partOf: LOG_COLLECTOR_APP,
      podSecurityOptOut: {
        level: 'privileged',
        reason: 'fluent-bit reads every pod log file of its node (hostPath /var/log/containers and /var/log/pods, root-owned 0640), so it mounts node folders and runs as root',
      },
    });
    const config = new VersionedConfigMap(this, 'Config', { baseName: `${LOG_COLLECTOR_APP}-config`, data: { [CONFIG_FILE]: renderLogCollectorConfig(cfg.namespace, cfg.store) } });
    const stable = props.release.stable;
    this.agent = new NodeAgent(this, 'Agent', {
      name: LOG_COLLECTOR_APP,
      version: stable.version,
      priorityClassName: PRIORITY_CLASSES.critical,
      container: {
        image: stable.image,
        // the image's own CMD, written out so the mounted file is the one it reads
        args: [`--config=${CONFIG_DIR}/${CONFIG_FILE}`],
        ports: [{ name: 'http', port: LOG_COLLECTOR_HTTP_PORT }],
        resources: cfg.resources,
        // Ready while the pipeline works; alive while the process serves (a stuck output must
        // not restart the agent in a loop, which would re-read and resend its files).
        readinessProbe: { httpGet: { path: HEALTH_PATH, port: 'http' }, periodSeconds: 10 },
        livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
        mounts: [
          { name: 'config', mountPath: CONFIG_DIR, configMap: config.name },
          { name: 'container-logs', mountPath: CONTAINER_LOGS, hostPath: CONTAINER_LOGS },
          { name: 'pod-logs', mountPath: POD_LOGS, hostPath: POD_LOGS },
        ],
      },
      securityOptOut: { runAsRoot: true, reason: 'the node keeps container logs root-owned and 0640; root without capabilities reads them and nothing else' },
    });
    if (cfg.store.kind === 'forward') {
      // A NetworkPolicy cannot name a host: the aggregator is outside the cluster, so the rule opens its port only.
      new NetworkPolicy(this, 'AllowLogStore', {
        name: `${LOG_COLLECTOR_APP}-to-log-store`,
        podSelector: this.agent.podSelector,
        egress: [{ peers: [{ cidr: '0.0.0.0/0' }], ports: [{ port: cfg.store.port }] }],
      });
    }
    this.node.addValidation({ validate: () => checkRollingRelease(LOG_COLLECTOR_APP, 'a DaemonSet', props.releaseSource ?? 'the release state', props.release) });
  }
}
