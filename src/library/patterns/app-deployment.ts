/**
 * A Deployment with the pod hygiene of pod-template.ts, its PodDisruptionBudget and,
 * optionally, its HorizontalPodAutoscaler (000:L800-868; 003:L249-275, L1049-1178).
 * - An HPA owns `replicas`: the Deployment then omits the field, so an apply does not
 *   reset what the autoscaler chose.
 * - A PDB exists for every Deployment that can run 2+ replicas; a budget that allows no
 *   voluntary disruption blocks node drains, so it is an error unless asked for.
 * - The quota counts it at its largest: replicas or HPA maximum, plus the rollout surge,
 *   at the VPA's ceiling where one resizes the pods.
 * - A VPA (`verticalAutoscaling`) and the HPA must not act on the same resource: the
 *   VerticalAutoscaler reports it.
 */
import type { Construct } from 'constructs';
import type { VerticalAutoscaler } from './vertical-autoscaler';
import * as k8s from '../../../imports/k8s';
import { checkFinite, checkIntOrPercent, checkLabels, checkNonNegativeInteger, checkOneOf, describeValue, errors, MAX_INT32, percentValue } from '../core/validation';
import { Budget, DisruptionBudgetProps, allowedDisruptions, blocksDrainsUnasked, checkDisruptionBudget, createDisruptionBudget, explicitBudget, intOrPercent } from './disruption-budget';
import type { Labels } from '../core/labels';
import { DEFAULT_MAX_SURGE, DEFAULT_MIN_AVAILABLE, DEFAULT_REPLICAS, DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS, REVISION_HISTORY_LIMIT } from '../core/defaults';
import { Workload, WorkloadProps } from './workload';

/** A HorizontalPodAutoscaler that owns a Deployment's replicas. */
export interface AutoscalingProps {
  /** At least 1. */
  readonly minReplicas: number;
  /** Most replicas the HPA may run; at least minReplicas. The quota counts the Deployment at this size. */
  readonly maxReplicas: number;
  /** Target average CPU utilisation, percent of the request. @default - no CPU target */
  readonly cpuUtilization?: number;
  /** Target average memory utilisation, percent of the request. @default - no memory target */
  readonly memoryUtilization?: number;
  /** Seconds of lower recommendations before scaling down (damps flapping), 0 to 3600. @default 300 */
  readonly scaleDownStabilizationSeconds?: number;
}

/** How a Deployment replaces its pods on a change of the template. */
export type DeploymentStrategy =
  | { readonly type: 'RollingUpdate'; readonly maxSurge?: number | string; readonly maxUnavailable?: number | string }
  /** Stop all old pods before starting new ones, for apps that cannot run two versions at once (000:L586-601). */
  | { readonly type: 'Recreate' };

/** A Deployment's pods, size, rollout, autoscaling and budget. */
export interface AppDeploymentProps extends WorkloadProps {
  /** Deployment name; a DNS-1123 subdomain. */
  readonly name: string;
  /** Replica count, or the HPA's minimum when autoscaling is set. @default 2 */
  readonly replicas?: number;
  /** Labels added to the immutable selector (release track or colour). @default {} */
  readonly selectorLabels?: Labels;
  /** How a new version replaces the pods. @default RollingUpdate with maxSurge 25% and maxUnavailable 0 */
  readonly strategy?: DeploymentStrategy;
  /** Let an HPA own the replica count. @default - fixed replicas */
  readonly autoscaling?: AutoscalingProps;
  /** PodDisruptionBudget; `false` for none (only allowed below 2 replicas). @default - minAvailable 60% */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
}

/** The longest scale-down stabilization window the HPA takes (MaxStabilizationWindowSeconds). */
const MAX_STABILIZATION_SECONDS = 3600;

/** The fewest replicas an HPA bound takes (ValidateHorizontalPodAutoscaler: minReplicas and maxReplicas of 1 or more). */
const MIN_HPA_REPLICAS = 1;

/** An HPA replica bound that is no whole number of 1 or more, said with `fix`; one that is no finite number (NaN, Infinity) says so. */
function hpaReplicasProblem(value: number, what: string, fix: string): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return checkFinite(value, what, fix);
  if (!Number.isInteger(value) || value < MIN_HPA_REPLICAS) return `${what} is ${describeValue(value)}: ${fix}`;
  return value > MAX_INT32 ? `${what} is ${value}, over the ${MAX_INT32} the field holds: use a smaller number` : undefined;
}

/** A count or percentage that is zero: `0`, `'0%'`, or `'00%'` (the API reads the digits as a number). */
function isZero(value: number | string): boolean {
  return value === 0 || percentValue(value) === 0;
}

/** What the API refuses in a rolling update: a value that is no count or percentage, maxUnavailable over 100%, or both at zero. */
function checkRollingUpdate(strategy: DeploymentStrategy | undefined): string[] {
  if (strategy?.type !== 'RollingUpdate') return [];
  const surge = strategy.maxSurge ?? DEFAULT_MAX_SURGE;
  const unavailable = strategy.maxUnavailable ?? 0;
  const problems = errors(checkIntOrPercent(surge, 'strategy.maxSurge', false), checkIntOrPercent(unavailable, 'strategy.maxUnavailable', true));
  if (isZero(surge) && isZero(unavailable)) {
    problems.push('strategy.maxSurge and maxUnavailable are both 0, so a rollout could neither add a pod nor take one down: raise one of them (maxSurge 1 keeps every pod serving)');
  }
  return problems;
}

/** A Deployment with its PodDisruptionBudget and, optionally, its HPA and VPA. */
export class AppDeployment extends Workload {
  /** The Deployment object. */
  readonly deployment: k8s.KubeDeployment;
  override readonly verticalAutoscaler?: VerticalAutoscaler;
  private readonly props: AppDeploymentProps;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id, props, props.selectorLabels);
    this.props = props;
    const strategy = props.strategy ?? { type: 'RollingUpdate' };
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: this.objectMetadata(),
      spec: {
        replicas: props.autoscaling ? undefined : this.replicas,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
        selector: { matchLabels: { ...this.podSelector } },
        strategy:
          strategy.type === 'Recreate'
            ? { type: 'Recreate' }
            : { type: 'RollingUpdate', rollingUpdate: { maxSurge: intOrPercent(strategy.maxSurge ?? DEFAULT_MAX_SURGE), maxUnavailable: intOrPercent(strategy.maxUnavailable ?? 0) } },
        template: this.podTemplate(props),
      },
    });
    if (props.autoscaling) this.createAutoscaler(props.autoscaling);
    this.verticalAutoscaler = this.addVerticalAutoscaler('Deployment', props);
    this.createDisruptionBudget();
    this.node.addValidation({ validate: () => this.validateDeployment() });
  }

  /** Fixed replica count, or the autoscaler's minimum. */
  get replicas(): number {
    return this.props.autoscaling?.minReplicas ?? this.props.replicas ?? DEFAULT_REPLICAS;
  }

  /** Most replicas the Deployment can have outside a rollout. */
  get maxReplicas(): number {
    return this.props.autoscaling?.maxReplicas ?? this.replicas;
  }

  private createAutoscaler(a: AutoscalingProps): void {
    const metrics: k8s.MetricSpecV2[] = [];
    if (a.cpuUtilization !== undefined) {
      metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.cpuUtilization } } });
    }
    if (a.memoryUtilization !== undefined) {
      metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.memoryUtilization } } });
    }
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: { name: this.name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics,
        behavior: {
          scaleDown: {
            stabilizationWindowSeconds: a.scaleDownStabilizationSeconds ?? DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS,
            policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
          },
          scaleUp: {
            stabilizationWindowSeconds: 0,
            policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }],
          },
        },
      },
    });
  }

  /** The budget to write: the user's, or 60% unless that leaves no disruption at the minimum size. */
  private budget(): Budget | undefined {
    const props = this.props.disruptionBudget;
    if (props === false) return undefined;
    const explicit = explicitBudget(props);
    if (explicit) return explicit;
    if (this.replicas < 2) return undefined;
    return allowedDisruptions({ minAvailable: DEFAULT_MIN_AVAILABLE }, this.replicas) > 0 ? { minAvailable: DEFAULT_MIN_AVAILABLE } : { maxUnavailable: 1 };
  }

  private createDisruptionBudget(): void {
    if (this.maxReplicas < 2 && this.props.disruptionBudget === undefined) return;
    const budget = this.budget();
    if (budget) createDisruptionBudget(this, this.name, this.podSelector, budget);
  }

  protected override nameProblem(): string | undefined {
    return this.subdomainNameProblem('Deployment name');
  }

  private validateDeployment(): string[] {
    const p = this.props;
    const problems = errors(
      this.nameProblem(),
      p.replicas === undefined ? undefined : checkNonNegativeInteger(p.replicas, 'replicas'),
      p.strategy === undefined ? undefined : checkOneOf(p.strategy.type, ['RollingUpdate', 'Recreate'], 'strategy.type'),
    );
    problems.push(...checkLabels(p.selectorLabels ?? {}, 'selectorLabels'), ...this.workloadProblems(p));
    const a = p.autoscaling;
    if (a) {
      if (p.replicas !== undefined) problems.push(`replicas ${p.replicas} and autoscaling are both set: the HPA owns the replica count, so drop replicas and set autoscaling.minReplicas`);
      const minProblem = hpaReplicasProblem(a.minReplicas, 'autoscaling.minReplicas', 'use a whole number of 1 or more');
      const maxProblem = hpaReplicasProblem(a.maxReplicas, 'autoscaling.maxReplicas', 'use a whole number, at least minReplicas');
      problems.push(...errors(minProblem, maxProblem));
      // compared once both are whole numbers: a bad bound is its own message
      if (minProblem === undefined && maxProblem === undefined && a.maxReplicas < a.minReplicas) problems.push(`autoscaling.maxReplicas ${a.maxReplicas} is below minReplicas ${a.minReplicas}: raise it`);
      if (a.cpuUtilization === undefined && a.memoryUtilization === undefined) problems.push('autoscaling has no target: set cpuUtilization and/or memoryUtilization');
      const window = a.scaleDownStabilizationSeconds;
      if (window !== undefined && (!Number.isInteger(window) || window < 0 || window > MAX_STABILIZATION_SECONDS)) {
        problems.push(`autoscaling.scaleDownStabilizationSeconds is ${window}: use a whole number of seconds from 0 to ${MAX_STABILIZATION_SECONDS} (an hour), the most the HPA takes`);
      }
      for (const [key, value] of [['cpuUtilization', a.cpuUtilization], ['memoryUtilization', a.memoryUtilization]] as const) {
        // above 100 is valid: the HPA then lets pods use more than they request before it adds one
        if (value !== undefined && (!Number.isInteger(value) || value < 1)) problems.push(`autoscaling.${key} is ${value}: use a whole percentage of the request, 1 or more (e.g. 70)`);
        else if (value !== undefined && value > MAX_INT32) problems.push(`autoscaling.${key} is ${value}, over the ${MAX_INT32} the field holds: use a percentage of the request such as 70`);
      }
    }
    problems.push(...checkRollingUpdate(p.strategy), ...checkDisruptionBudget(p.disruptionBudget));
    if (p.disruptionBudget === false && this.maxReplicas >= 2) {
      problems.push(`disruptionBudget is false but the Deployment runs up to ${this.maxReplicas} replicas: keep a budget so node drains cannot take them all down at once`);
    }
    const budget = this.budget();
    if (budget && blocksDrainsUnasked(budget, this.replicas, p.disruptionBudget)) {
      problems.push(`the PodDisruptionBudget ${JSON.stringify(budget)} allows no voluntary disruption at ${this.replicas} replicas, which blocks node drains: loosen it, add replicas, or set disruptionBudget.allowZeroDisruptions`);
    }
    return problems;
  }
}
