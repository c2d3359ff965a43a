/**
 * PodDisruptionBudgets, shared by the workload constructs (000:L800-832; 003:L249-275).
 * A budget bounds voluntary evictions (node drains, cluster upgrades), not crashes. One
 * that allows no disruption at all makes every drain of the pods' nodes wait for a
 * person, so the constructs treat it as an error unless it is asked for by name.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { Labels } from '../core/labels';
import { checkIntOrPercent, errors } from '../core/validation';
import { scaled } from '../core/workloads';

/** A PodDisruptionBudget as the workload constructs take it. */
export interface DisruptionBudgetProps {
  /** Pods that must stay up, count or percent. @default - the workload's default (AppDeployment: '60%', 003:L268; StatefulApp: maxUnavailable) */
  readonly minAvailable?: number | string;
  /** Pods that may be down, count or percent. @default - the workload's default (StatefulApp: 0 for one replica, 1 for more, 003:L270-275) */
  readonly maxUnavailable?: number | string;
  /** Accept a budget that blocks every voluntary eviction (and so node drains). @default false */
  readonly allowZeroDisruptions?: boolean;
}

/** The budget written to the PodDisruptionBudget: one of minAvailable or maxUnavailable. */
export interface Budget {
  /** Pods that must stay up, a count or a percentage. @default - not set: maxUnavailable is */
  readonly minAvailable?: number | string;
  /** Pods that may be down at once, a count or a percentage. @default - not set: minAvailable is */
  readonly maxUnavailable?: number | string;
}


/** A count or a percentage, as the L1 IntOrString. */
export function intOrPercent(value: number | string): k8s.IntOrString {
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}

/** Pods a budget lets the eviction API take down at `replicas` healthy pods. */
export function allowedDisruptions(budget: Budget, replicas: number): number {
  if (budget.maxUnavailable !== undefined) return scaled(budget.maxUnavailable, replicas, 'up');
  return replicas - scaled(budget.minAvailable ?? 0, replicas, 'up');
}

/** The user's own budget, when the props set one of its two fields. */
export function explicitBudget(props: DisruptionBudgetProps | undefined): Budget | undefined {
  if (props?.maxUnavailable !== undefined) return { maxUnavailable: props.maxUnavailable };
  if (props?.minAvailable !== undefined) return { minAvailable: props.minAvailable };
  return undefined;
}

/** What is wrong with a budget's props: a value that is no count or percentage, or both fields set (the API takes one). */
export function checkDisruptionBudget(props: DisruptionBudgetProps | false | undefined): string[] {
  if (!props) return [];
  const problems = errors(
    props.minAvailable === undefined ? undefined : checkIntOrPercent(props.minAvailable, 'disruptionBudget.minAvailable', true),
    props.maxUnavailable === undefined ? undefined : checkIntOrPercent(props.maxUnavailable, 'disruptionBudget.maxUnavailable', true),
  );
  if (props.minAvailable !== undefined && props.maxUnavailable !== undefined) {
    problems.push('disruptionBudget sets both minAvailable and maxUnavailable, and a PodDisruptionBudget takes one of them: keep one');
  }
  return problems;
}

/**
 * Whether `budget` stops every drain at `replicas` pods without the props accepting that.
 * A budget whose own values checkDisruptionBudget refuses (Infinity, 150%) is reported
 * there, not again as a budget that blocks drains.
 */
export function blocksDrainsUnasked(budget: Budget | undefined, replicas: number, props: DisruptionBudgetProps | false | undefined): boolean {
  const accepted = props !== false && props?.allowZeroDisruptions === true;
  return budget !== undefined && !accepted && checkDisruptionBudget(props).length === 0 && allowedDisruptions(budget, replicas) < 1;
}

/** Writes the PodDisruptionBudget `name` over the pods `selector` picks, and registers the selector for the selector check. */
export function createDisruptionBudget(scope: Construct, name: string, selector: Labels, budget: Budget): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: { name },
    spec: {
      selector: { matchLabels: { ...selector } },
      minAvailable: budget.minAvailable === undefined ? undefined : intOrPercent(budget.minAvailable),
      maxUnavailable: budget.maxUnavailable === undefined ? undefined : intOrPercent(budget.maxUnavailable),
      // A pod that is running but not Ready serves nothing: let drains evict it even when the
      // budget is spent, or one crash-looping pod blocks every drain of its node.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
