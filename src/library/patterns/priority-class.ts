/**
 * A PriorityClass (000 §6.8, QoS and priority): when nodes are full, the scheduler evicts
 * pods of lower priority to place higher ones. A platform defines a few (critical,
 * default, batch) and every workload names one; batch work does not preempt others.
 */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkDnsSubdomain, checkOneOf, errors, MIN_INT32 } from '../core/validation';
import { clusterScoped } from './namespaced-app';

/** The preemption policies the API server takes (ValidatePreemptionPolicy). */
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;

/** Largest value a user-defined PriorityClass may have: higher ones are the system's. */
export const MAX_USER_PRIORITY = 1_000_000_000;

/** One PriorityClass. */
export interface PriorityClassProps {
  /** Object name, what pods put in `priorityClassName`. */
  readonly name: string;
  /** Priority: higher values schedule first and preempt lower ones. */
  readonly value: number;
  /** What the class is for, shown by kubectl. */
  readonly description: string;
  /** Whether its pods may preempt lower ones; batch work should not. @default 'PreemptLowerPriority' */
  readonly preemptionPolicy?: (typeof PREEMPTION_POLICIES)[number];
}

/** A cluster-scoped PriorityClass; best made in a plain Chart (it belongs to no namespace), and kept out of the namespace of a chart that has one. */
export class PriorityClass extends Construct {
  /** The class name pods name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id);
    this.name = props.name;
    const resource = new k8s.KubePriorityClass(this, 'Resource', {
      metadata: { name: props.name },
      value: props.value,
      description: props.description,
      preemptionPolicy: props.preemptionPolicy ?? 'PreemptLowerPriority',
      globalDefault: false,
    });
    // made inside a NamespacedApp, it would take the chart's namespace and be written among the namespace's objects
    if (Chart.of(this).namespace !== undefined) clusterScoped(resource);
    this.node.addValidation({
      validate: () => [
        ...errors(checkDnsSubdomain(props.name, 'PriorityClass name'), props.preemptionPolicy === undefined ? undefined : checkOneOf(props.preemptionPolicy, PREEMPTION_POLICIES, 'preemptionPolicy')),
        // ValidatePriorityClass bounds user classes from above only; below, the field is an int32
        ...(Number.isInteger(props.value) && props.value >= MIN_INT32 && props.value <= MAX_USER_PRIORITY
          ? []
          : [`PriorityClass value ${props.value} is not a whole number from ${MIN_INT32} to ${MAX_USER_PRIORITY}: larger ones are reserved for the system classes`]),
        ...(typeof props.name === 'string' && props.name.startsWith('system-') ? [`PriorityClass name "${props.name}" starts with "system-", which the API server reserves: choose another name`] : []),
      ],
    });
  }
}
