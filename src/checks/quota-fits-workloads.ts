/**
 * A namespace's ResourceQuota must hold every workload at its largest at once: replicas
 * (or HPA maximum) plus rollout surge (003:L380), and both colours of a blue-green pair
 * (000:L603-612). Otherwise the rollout stalls with FailedCreate events at apply time.
 */
import { formatBytes, formatCpu, requireQuantity } from '../core/quantity';
import type { QuotaConfig } from '../patterns/resources';
import type { WorkloadFootprint } from './footprint';

/** Objects counted against the quota's object-count limits, by kind. */
export interface ObjectCounts {
  readonly services: number;
  readonly configMaps: number;
  readonly secrets: number;
}

interface Total {
  readonly label: string;
  readonly used: number;
  readonly limit: number;
  readonly format: (n: number) => string;
  readonly field: string;
}

export function quotaFitsWorkloads(quota: QuotaConfig, workloads: readonly WorkloadFootprint[], objects: ObjectCounts): string[] {
  let requestsCpu = 0;
  let requestsMemory = 0;
  let limitsCpu = 0;
  let limitsMemory = 0;
  let pods = 0;
  let storage = 0;
  let claims = 0;
  const parts: string[] = [];
  for (const w of workloads) {
    pods += w.maxPods;
    for (const c of w.containers) {
      requestsCpu += w.maxPods * requireQuantity(c.resources.requests.cpu, `${w.path} cpu request`);
      requestsMemory += w.maxPods * requireQuantity(c.resources.requests.memory, `${w.path} memory request`);
      limitsCpu += w.maxPods * requireQuantity(c.resources.limits.cpu, `${w.path} cpu limit`);
      limitsMemory += w.maxPods * requireQuantity(c.resources.limits.memory, `${w.path} memory limit`);
    }
    for (const claim of w.claims) {
      // A StatefulSet keeps one claim per replica, surge or not: count its replicas.
      storage += w.maxPods * requireQuantity(claim.size, `${w.path} claim ${claim.name}`);
      claims += w.maxPods;
    }
    parts.push(`${w.kind} ${w.name}: ${w.maxPods} pods (${w.maxPodsReason})`);
  }
  const totals: Total[] = [
    { label: 'requests.cpu', used: requestsCpu, limit: requireQuantity(quota.requests.cpu, 'quota requests.cpu'), format: formatCpu, field: 'quota.requests.cpu' },
    { label: 'requests.memory', used: requestsMemory, limit: requireQuantity(quota.requests.memory, 'quota requests.memory'), format: formatBytes, field: 'quota.requests.memory' },
    { label: 'limits.cpu', used: limitsCpu, limit: requireQuantity(quota.limits.cpu, 'quota limits.cpu'), format: formatCpu, field: 'quota.limits.cpu' },
    { label: 'limits.memory', used: limitsMemory, limit: requireQuantity(quota.limits.memory, 'quota limits.memory'), format: formatBytes, field: 'quota.limits.memory' },
    { label: 'pods', used: pods, limit: quota.pods, format: String, field: 'quota.pods' },
    { label: 'requests.storage', used: storage, limit: requireQuantity(quota.storage, 'quota storage'), format: formatBytes, field: 'quota.storage' },
    { label: 'persistentvolumeclaims', used: claims, limit: quota.persistentVolumeClaims, format: String, field: 'quota.persistentVolumeClaims' },
    { label: 'services', used: objects.services, limit: quota.services, format: String, field: 'quota.services' },
    { label: 'configmaps', used: objects.configMaps, limit: quota.configMaps, format: String, field: 'quota.configMaps' },
    { label: 'secrets', used: objects.secrets, limit: quota.secrets, format: String, field: 'quota.secrets' },
  ];
  const breakdown = parts.length ? ` [${parts.join('; ')}]` : '';
  // Compare with a little slack: sums of decimal quantities are not exact in binary floating point.
  return totals
    .filter((t) => t.used > t.limit * (1 + 1e-9))
    .map((t) => `ResourceQuota ${t.label} is ${t.format(t.limit)} but the workloads need ${t.format(t.used)} at their largest${breakdown}: raise ${t.field} to at least ${t.format(t.used)}, or shrink the workloads`);
}
