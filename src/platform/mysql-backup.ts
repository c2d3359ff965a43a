/**
 * The nightly MySQL backup (001:L1160-1200, jobs and cron jobs): a ScheduledJob in the
 * database's namespace that dumps every database with mysqldump (from the same image as
 * the server, so client and server match) to a claim of its own, one file per run. Only
 * it and the app reach MySQL: its pods get an egress policy to the server, and the server
 * an ingress policy admitting them.
 */
import type { Construct } from 'constructs';
import { AppSecret, NetworkPolicy, ScheduledJob, StatefulApp, AppVolumeClaim } from 'k8s-iac';

/** Every night at 03:00 in the controller's time zone (UTC), when the shop is quiet. */
export const BACKUP_SCHEDULE = '0 3 * * *';
/**
 * Dumps kept on the claim: a week of nights. Without a bound the claim fills, and from then
 * on every dump fails.
 */
export const BACKUPS_KEPT = 7;
const BACKUP_DIR = '/backups';
const PASSWORD_DIR = '/etc/mysql-root';

/** Where and how the backup runs. */
export interface MysqlBackupProps {
  readonly database: StatefulApp;
  /** The server's port. */
  readonly port: number;
  /** The image of the server, for a mysqldump that matches it. */
  readonly image: string;
  readonly version: string;
  readonly rootPassword: AppSecret;
  /** Size of the claim the dumps go to. */
  readonly storageSize: string;
  /** PriorityClass of the backup pods (preemptible batch work). @default - the environment's */
  readonly priorityClassName?: string;
}

/**
 * The job's shell script: a dump of every database to a file named by its time, then, once
 * it succeeded, the oldest dumps removed down to BACKUPS_KEPT (the names sort by time, and
 * sh lists a pattern's matches sorted). A failed dump stops the script and removes nothing.
 */
export function backupScript(props: Pick<MysqlBackupProps, 'database' | 'port' | 'rootPassword'>): string {
  return [
    'set -e',
    `mysqldump --host=${props.database.clientDnsName} --port=${props.port} --user=root --password="$(cat ${PASSWORD_DIR}/${props.rootPassword.key})" --all-databases --single-transaction --result-file=${BACKUP_DIR}/all-$(date +%Y%m%dT%H%M%S).sql`,
    `set -- ${BACKUP_DIR}/all-*.sql`,
    `while [ $# -gt ${BACKUPS_KEPT} ]; do rm -f -- "$1"; shift; done`,
  ].join('\n');
}

/** The CronJob, its claim and the two policies that let it reach the server. */
export function mysqlBackup(scope: Construct, props: MysqlBackupProps): ScheduledJob {
  const name = 'mysql-backup';
  const claim = new AppVolumeClaim(scope, 'BackupClaim', { name: `${name}s`, size: props.storageSize });
  const job = new ScheduledJob(scope, 'Backup', {
    name,
    version: props.version,
    schedule: BACKUP_SCHEDULE,
    priorityClassName: props.priorityClassName,
    container: {
      image: props.image,
      command: ['sh', '-c', backupScript(props)],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      mounts: [
        { name: 'backups', mountPath: BACKUP_DIR, persistentVolumeClaim: claim.name },
        { name: 'root-password', mountPath: PASSWORD_DIR, secret: props.rootPassword.secretName },
      ],
    },
  });
  new NetworkPolicy(scope, 'BackupEgress', { name: `${name}-egress`, podSelector: job.podSelector, egress: [{ peers: [{ workload: props.database }], ports: [{ port: props.port }] }] });
  new NetworkPolicy(scope, 'AllowBackup', { name: `${name}-to-mysql`, podSelector: props.database.podSelector, ingress: [{ peers: [{ pods: job.podSelector }], ports: [{ port: props.port }] }] });
  return job;
}
