/**
 * A node agent (001 "DaemonSet: run a pod on each node", L1033-1080; log collection with
 * Fluentd, L4534): a DaemonSet with the workload hygiene of pod-template.ts, one pod on
 * every node, the node's taints tolerated (an agent must run where workloads cannot), and
 * rolled one node at a time. What agents legitimately need from the node (its folders,
 * its network) passes only through a visible, reasoned Pod Security opt-out of their
 * namespace (`podSecurityOptOut: { level: 'privileged', reason }`). The quota check counts
 * one pod per node: the environment states its `nodeCount`.
 */
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { describeValue, errors, MAX_PERCENT, percentValue } from '../core/validation';
import { intOrPercent } from './disruption-budget';
import type { VerticalAutoscaler } from './vertical-autoscaler';
import { DEFAULT_AGENT_MAX_UNAVAILABLE, REVISION_HISTORY_LIMIT } from '../core/defaults';
import { Workload, WorkloadProps } from './workload';

/** Tolerate every taint: an agent belongs on every node, the tainted ones included. */
export const TOLERATE_ALL_TAINTS: readonly k8s.Toleration[] = [{ operator: 'Exists' }];

/** A node agent's pod and how it rolls out. */
export interface NodeAgentProps extends WorkloadProps {
  /** DaemonSet name; a DNS-1123 subdomain. */
  readonly name: string;
  /** Taints the agent's pods tolerate. @default - every taint */
  readonly tolerations?: readonly k8s.Toleration[];
  /** Nodes whose agent may be down at once during a rollout, count or percent. @default 1 */
  readonly maxUnavailable?: number | string;
  /** Use the node's network namespace (agents that listen on the node's ports); needs a privileged namespace. @default false */
  readonly hostNetwork?: boolean;
}

/**
 * Whether maxUnavailable lets a rollout replace an agent: a count of 1 or more, or a percentage
 * of 1 to 100 (ValidateRollingUpdateDaemonSet: with maxSurge 0, as here, it may not be 0).
 */
function replacesAnAgent(value: number | string): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1;
  const percent = percentValue(value);
  return percent !== undefined && percent >= 1 && percent <= MAX_PERCENT;
}

/** A DaemonSet: one pod of the agent on every node. */
export class NodeAgent extends Workload {
  /** The DaemonSet object. */
  readonly daemonSet: k8s.KubeDaemonSet;
  override readonly verticalAutoscaler?: VerticalAutoscaler;
  private readonly props: NodeAgentProps;

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, props);
    this.props = props;
    // one pod per node: spreading says nothing, and no Service drains the agent before it stops
    const pod = { spread: false, preStopSleepSeconds: false as const, ...props, tolerations: props.tolerations ?? TOLERATE_ALL_TAINTS };
    const template = this.podTemplate(pod);
    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: this.objectMetadata(),
      spec: {
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
        selector: { matchLabels: { ...this.podSelector } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: intOrPercent(props.maxUnavailable ?? DEFAULT_AGENT_MAX_UNAVAILABLE) } },
        template: { ...template, spec: template.spec && { ...template.spec, hostNetwork: props.hostNetwork || undefined } },
      },
    });
    this.verticalAutoscaler = this.addVerticalAutoscaler('DaemonSet', props);
    this.node.addValidation({ validate: () => this.validateAgent() });
  }

  protected override nameProblem(): string | undefined {
    return this.subdomainNameProblem('DaemonSet name');
  }

  private validateAgent(): string[] {
    const p = this.props;
    const problems = errors(this.nameProblem());
    const unavailable = p.maxUnavailable ?? DEFAULT_AGENT_MAX_UNAVAILABLE;
    if (!replacesAnAgent(unavailable)) {
      problems.push(`maxUnavailable ${describeValue(unavailable)} is not a count of 1 or more or a percentage 1%-${MAX_PERCENT}%: a rollout needs at least one node's agent to be replaced at a time`);
    }
    if (p.hostNetwork && this.app.podSecurityLevel !== 'privileged') {
      problems.push(`hostNetwork puts the agent on the node's network, which Pod Security ${this.app.podSecurityLevel} forbids: give the namespace a podSecurityOptOut { level: 'privileged', reason }, or drop hostNetwork`);
    }
    problems.push(...this.workloadProblems(p));
    return problems;
  }
}
