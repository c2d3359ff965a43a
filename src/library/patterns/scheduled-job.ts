/**
 * Work on a schedule (001:L1160-1200; 001:L4469, a CronJob checking for orphaned data): a
 * CronJob whose pods get the workload hygiene of pod-template.ts (restricted security
 * context, requests and limits, its own ServiceAccount), bounded in every way a run can
 * go wrong:
 * - `concurrencyPolicy: Forbid` by default: a slow run is never joined by the next one;
 * - `startingDeadlineSeconds`: a run missed by more than that (controller down) is skipped,
 *   not started late at a busy hour;
 * - `backoffLimit` retries, `activeDeadlineSeconds` caps a run that hangs, and the history
 *   limits remove old Jobs and their pods (`ttlSecondsAfterFinished` when asked for);
 * - the pods restart `OnFailure` and run no preStop pause (nothing routes to them); a
 *   liveness probe may restart a run that hangs, a readiness probe has nothing to answer.
 * The quota check counts the pods of one run (parallelism 1).
 */
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { DEFAULT_ACTIVE_DEADLINE_SECONDS, DEFAULT_BACKOFF_LIMIT, DEFAULT_STARTING_DEADLINE_SECONDS } from '../core/defaults';
import { checkCronSchedule, checkOneOf, checkDnsSubdomain, checkNonNegativeInteger, checkTimeZone, errors, MAX_INT32, MAX_INT64_CHECKED } from '../core/validation';
import { Workload, WorkloadProps } from './workload';


/** A scheduled job: its schedule, its bounds and its pod. */
export interface ScheduledJobProps extends WorkloadProps {
  /** CronJob name: a DNS-1123 subdomain of at most 52 characters (its Jobs add 11). */
  readonly name: string;
  /** Five-field cron schedule (minute hour day-of-month month day-of-week), e.g. `30 2 * * *`. */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default - the controller's (UTC on most clusters) */
  readonly timeZone?: string;
  /** What a run due while the previous one still runs does. @default 'Forbid' */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /**
   * Seconds after its time a missed run may still start (after a controller outage); later, it
   * is skipped. At least 1: with 0 no run ever starts. @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /** Finished Jobs kept for their logs. @default 3 (the Kubernetes default, stated) */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept for their logs. @default 1 (the Kubernetes default, stated) */
  readonly failedJobsHistoryLimit?: number;
  /** Retries of a failed pod before the run counts as failed. @default 2 */
  readonly backoffLimit?: number;
  /** Seconds a run may take before it is stopped, so a hung run does not block the next (with Forbid). @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job stays before it is deleted. @default - unset: the history limits
   * keep the last Jobs of the CronJob and remove older ones (a TTL too would race them)
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** Longest CronJob name: its Jobs are named `<name>-<11 digits of the schedule time>` and stay within 63. */
const MAX_NAME_LENGTH = 52;

/** The fields of a CronJob and its Job that are int64 in the API; the others are int32. */
const INT64_FIELDS: ReadonlySet<string> = new Set(['startingDeadlineSeconds', 'activeDeadlineSeconds']);

/** A CronJob with the pod hygiene of the other workloads and every run bounded. */
export class ScheduledJob extends Workload {
  /** The CronJob object. */
  readonly cronJob: k8s.KubeCronJob;
  private readonly props: ScheduledJobProps;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, props);
    this.props = props;
    const pod = { spread: false, preStopSleepSeconds: false as const, ...props };
    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: this.objectMetadata(),
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        startingDeadlineSeconds: props.startingDeadlineSeconds ?? DEFAULT_STARTING_DEADLINE_SECONDS,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        jobTemplate: {
          metadata: { labels: { ...this.podLabels } },
          spec: {
            backoffLimit: props.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_SECONDS,
            ttlSecondsAfterFinished: props.ttlSecondsAfterFinished,
            template: this.podTemplate(pod, 'OnFailure'),
          },
        },
      },
    });
    this.node.addValidation({ validate: () => this.validateJob() });
  }

  /** One problem for the name: its Jobs are named after it, so its limit is theirs, whatever else is wrong. */
  protected override nameProblem(): string | undefined {
    const jobs = `its Jobs add 11 and must stay within 63, so use at most ${MAX_NAME_LENGTH}`;
    if (checkDnsSubdomain(this.name, 'CronJob name') !== undefined) {
      return `CronJob name ${JSON.stringify(this.name)} is not a valid DNS-1123 subdomain: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit; ${jobs}`;
    }
    return this.name.length > MAX_NAME_LENGTH ? `CronJob name "${this.name}" has ${this.name.length} characters: ${jobs}` : undefined;
  }

  private validateJob(): string[] {
    const p = this.props;
    const problems = errors(
      this.nameProblem(),
      checkCronSchedule(p.schedule, 'schedule'),
      p.concurrencyPolicy === undefined ? undefined : checkOneOf(p.concurrencyPolicy, ['Forbid', 'Replace', 'Allow'], 'concurrencyPolicy'),
      p.timeZone === undefined ? undefined : checkTimeZone(p.timeZone, 'timeZone'),
      ...(['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'] as const).map((k) =>
        p[k] === undefined ? undefined : checkNonNegativeInteger(p[k] as number, k, INT64_FIELDS.has(k) ? MAX_INT64_CHECKED : MAX_INT32),
      ),
    );
    if (p.activeDeadlineSeconds === 0) problems.push('activeDeadlineSeconds 0 stops every run at once: give the longest a run may take');
    // the controller looks for a due run no earlier than now minus the deadline, so with 0 it
    // looks after now only and every run is late (mostRecentScheduleTime, pkg/controller/cronjob/utils.go)
    if (p.startingDeadlineSeconds === 0) {
      problems.push(
        `startingDeadlineSeconds 0 lets no run start: the CronJob controller takes a run only within that many seconds after its time, so it never makes a Job: give the seconds a late run may still start, e.g. ${DEFAULT_STARTING_DEADLINE_SECONDS} (the default)`,
      );
    }
    // liveness and startup probes stay: under restartPolicy OnFailure the kubelet restarts a
    // container that fails them (computePodActions, pkg/kubelet/kuberuntime/kuberuntime_manager.go)
    if (p.container.readinessProbe) {
      problems.push('a scheduled job has no readiness probe to answer (nothing routes to it, and it ends by itself): drop readinessProbe; a livenessProbe restarts a run that hangs, and activeDeadlineSeconds bounds it');
    }
    problems.push(...this.workloadProblems(p));
    return problems;
  }
}
