/**
 * The platform's PriorityClasses (000 §6.8, QoS and priority): when nodes are full the
 * scheduler evicts lower-priority pods first. Data (MySQL) outranks the serving app, which
 * outranks batch work; batch work never preempts anything, it waits.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { PriorityClass } from 'k8s-iac';

/** The class names pods use. */
export const PRIORITY_CLASSES = {
  critical: 'platform-critical',
  default: 'platform-default',
  batch: 'platform-batch',
} as const;

/** The three classes, in a chart of their own (they belong to no namespace). */
export function platformPriorities(scope: Construct): Chart {
  const chart = new Chart(scope, 'priorities', { disableResourceNameHashes: true });
  new PriorityClass(chart, 'Critical', { name: PRIORITY_CLASSES.critical, value: 100_000, description: 'Stateful services whose loss loses data (the database); preempts the others.' });
  new PriorityClass(chart, 'Default', { name: PRIORITY_CLASSES.default, value: 10_000, description: 'Serving workloads; every pod that names no other class.' });
  new PriorityClass(chart, 'Batch', { name: PRIORITY_CLASSES.batch, value: 1_000, preemptionPolicy: 'Never', description: 'Batch work (backups, reports): waits for room, never evicts anything.' });
  return chart;
}
