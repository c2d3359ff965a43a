/**
 * MySQL for the reference app (000 §7.1.3; 001:L2894-3077): a StatefulSet of the official
 * image in the `backend` namespace, with quota, limits and default-deny like every app.
 * - Each pod keeps its data claim (`data-mysql-<n>`, mounted at /var/lib/mysql) and its
 *   DNS name; clients connect through the `mysql` ClusterIP Service.
 * - The root password comes from a Secret: a placeholder in dev/test, a Secret made
 *   outside the repository in staging/prod (000:L110-111).
 * - Only pods labelled `access-db: mysql` in the client namespaces get in (the notes'
 *   policy, 000:L972-986); a client adds that label, an egress policy (`allowClient`) and
 *   DB_HOST (`clientDnsName`).
 * - The root filesystem stays read-only: the server's socket, pid file and file-import
 *   directory live on size-limited emptyDirs.
 */
import type { Construct } from 'constructs';
import { AppRelease, AppSecret, Labels, NamespacedApp, NetworkPolicy, StatefulApp } from 'k8s-iac';
import type { MysqlConfig, PlatformEnvironment } from './environment';
import { mysqlBackup } from './mysql-backup';
import { PRIORITY_CLASSES } from './priorities';
import { checkRollingRelease } from './release-checks';

/** The database's name: namespace part-of, objects and release entry. */
export const MYSQL_APP = 'mysql';
/** MySQL's protocol port. */
export const MYSQL_PORT = 3306;
/** The label a pod needs to reach MySQL (000:L981). */
export const MYSQL_CLIENT_LABELS: Labels = { 'access-db': 'mysql' };

const DATA_DIR = '/var/lib/mysql';
/** Where the root password Secret is mounted, read-only. */
const ROOT_PASSWORD_DIR = '/etc/mysql-root';

/** The environment, release and clients of the database. */
export interface MysqlProps {
  readonly env: PlatformEnvironment;
  readonly release: AppRelease;
  /** Where the release came from, for messages. @default 'the release state' */
  readonly releaseSource?: string;
  /** Namespaces whose `access-db: mysql` pods may connect. */
  readonly clientNamespaces: readonly string[];
}

/** MySQL's namespace: the StatefulSet, its root password and the policy admitting its clients. */
export class Mysql extends NamespacedApp {
  readonly database: StatefulApp;
  readonly port = MYSQL_PORT;
  private readonly cfg: MysqlConfig;

  constructor(scope: Construct, id: string, props: MysqlProps) {
    const cfg = props.env.values.apps.mysql;
    super(scope, id, { namespace: cfg.namespace, settings: props.env.settings, quota: cfg.tenancy.quota, limits: cfg.tenancy.limits, priorityQuotas: cfg.tenancy.priorityQuotas, partOf: MYSQL_APP });
    this.cfg = cfg;
    const secret = new AppSecret(this, 'RootPassword', { name: `${MYSQL_APP}-root`, key: 'root_password', source: cfg.secret });
    this.database = this.statefulSet(props.release, secret);
    mysqlBackup(this, {
      database: this.database,
      port: MYSQL_PORT,
      image: props.release.stable.image,
      version: props.release.stable.version,
      rootPassword: secret,
      storageSize: cfg.storageSize,
      priorityClassName: PRIORITY_CLASSES.batch,
    });
    new NetworkPolicy(this, 'AllowClients', {
      name: `${MYSQL_APP}-allow-clients`,
      podSelector: this.database.podSelector,
      ingress: [{ peers: props.clientNamespaces.map((namespace) => ({ namespace, pods: MYSQL_CLIENT_LABELS })), ports: [{ port: MYSQL_PORT }] }],
    });
    this.node.addValidation({ validate: () => [...checkRollingRelease(MYSQL_APP, 'a StatefulSet', props.releaseSource ?? 'the release state', props.release), ...checkSingleInstance(props.env)] });
  }

  /** What clients put in DB_HOST: the client Service's DNS name. */
  get clientDnsName(): string {
    const name = this.database.clientDnsName;
    if (name === undefined) throw new Error(`${this.node.path}: the mysql StatefulApp has no client Service; keep clientService on`);
    return name;
  }

  /** Labels of the MySQL pods (for a client's egress policy). */
  get podSelector(): Labels {
    return this.database.podSelector;
  }

  /**
   * Lets the `access-db: mysql` pods of `client` reach MySQL: an egress NetworkPolicy in
   * the client's namespace (its default-deny blocks egress). Call it once the client's
   * pods carry MYSQL_CLIENT_LABELS, or the policy selects nothing and synth says so.
   */
  allowClient(client: NamespacedApp): NetworkPolicy {
    return new NetworkPolicy(client, 'AllowMysqlEgress', {
      name: `allow-egress-${MYSQL_APP}`,
      podSelector: MYSQL_CLIENT_LABELS,
      egress: [{ peers: [{ workload: this.database }], ports: [{ port: MYSQL_PORT }] }],
    });
  }

  private statefulSet(release: AppRelease, secret: AppSecret): StatefulApp {
    const stable = release.stable;
    return new StatefulApp(this, 'Database', {
      name: MYSQL_APP,
      version: stable.version,
      replicas: this.cfg.replicas,
      volumeClaims: [{ name: 'data', size: this.cfg.storageSize }],
      priorityClassName: PRIORITY_CLASSES.critical,
      container: {
        image: stable.image,
        // A new volume's filesystem root holds lost+found, and mysqld refuses to initialise a
        // data directory that is not empty: keep the data one level down.
        args: [`--datadir=${DATA_DIR}/data`],
        ports: [{ name: 'mysql', port: MYSQL_PORT }],
        // The password as a file, not an environment variable (CIS 5.4.1): the image's
        // entrypoint reads MYSQL_ROOT_PASSWORD_FILE.
        env: { MYSQL_ROOT_PASSWORD_FILE: `${ROOT_PASSWORD_DIR}/${secret.key}` },
        resources: this.cfg.resources,
        // The server answers the protocol (mysqladmin exits 0 even when access is denied). Over
        // TCP, so the socket-only server of the first-start initialisation is not ready.
        readinessProbe: { exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1'] }, periodSeconds: 10, timeoutSeconds: 5 },
        // Liveness only asks whether the port accepts connections: cheap, no credentials.
        livenessProbe: { tcpSocket: { port: 'mysql' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
        // The first start initialises the data directory before listening: allow 5 minutes.
        startupProbe: { tcpSocket: { port: 'mysql' }, periodSeconds: 10, failureThreshold: 30 },
        mounts: [
          { name: 'data', mountPath: DATA_DIR, claim: true },
          { name: 'run', mountPath: '/var/run/mysqld', emptyDirSizeLimit: '16Mi' },
          { name: 'files', mountPath: '/var/lib/mysql-files', emptyDirSizeLimit: '16Mi' },
          { name: 'root-password', mountPath: ROOT_PASSWORD_DIR, secret: secret.secretName },
        ],
      },
      // Sorts and temporary tables spill to /tmp.
      tmpSizeLimit: '256Mi',
      ephemeralStorage: { request: '128Mi', limit: '512Mi' },
      // InnoDB flushes and closes its files on SIGTERM: give it a minute.
      terminationGracePeriodSeconds: 60,
      // One MySQL has no replica to fail over to: a drain waits until the owners move it
      // (003:L268-275: a single-instance stateful app is stopped only by agreement).
      disruptionBudget: { allowZeroDisruptions: true },
    });
  }
}

/**
 * The official image runs independent servers: a second replica would be a second, empty
 * database behind the same Service, not a replica of the first.
 */
export function checkSingleInstance(env: PlatformEnvironment): string[] {
  const replicas = env.values.apps.mysql.replicas;
  if (replicas === 1) return [];
  return [`apps.mysql.replicas is ${replicas} in environments.ts (${env.name}), but each mysql pod would be an independent, empty server behind one Service: keep 1 (replication needs a MySQL operator or group replication set up in the image)`];
}
