/**
 * Every container must fit the namespace's LimitRange (min, max, limit/request ratio)
 * and every claim its PVC bounds; otherwise admission rejects the pod or claim.
 */
import { formatBytes, formatCpu, requireQuantity } from '../core/quantity';
import type { LimitRangeConfig } from '../patterns/resources';
import type { WorkloadFootprint } from './footprint';

type Resource = 'cpu' | 'memory';
const FORMAT: Record<Resource, (n: number) => string> = { cpu: formatCpu, memory: formatBytes };

export function limitRangeAdmitsWorkloads(limits: LimitRangeConfig, workloads: readonly WorkloadFootprint[]): string[] {
  const problems: string[] = [];
  for (const w of workloads) {
    const podTotals: Record<Resource, number> = { cpu: 0, memory: 0 };
    for (const c of w.containers) {
      for (const resource of ['cpu', 'memory'] as const) {
        const where = `${w.path} container ${c.name}`;
        const fmt = FORMAT[resource];
        const request = requireQuantity(c.resources.requests[resource], `${where} ${resource} request`);
        const limit = requireQuantity(c.resources.limits[resource], `${where} ${resource} limit`);
        const min = requireQuantity(limits.container.min[resource], `LimitRange container min ${resource}`);
        const max = requireQuantity(limits.container.max[resource], `LimitRange container max ${resource}`);
        const ratio = requireQuantity(limits.container.maxLimitRequestRatio[resource], `LimitRange maxLimitRequestRatio ${resource}`);
        podTotals[resource] += limit;
        if (request < min) {
          problems.push(`${where}: ${resource} request ${fmt(request)} is below the LimitRange minimum ${fmt(min)}: raise the request or lower limits.container.min.${resource}`);
        }
        if (limit > max) {
          problems.push(`${where}: ${resource} limit ${fmt(limit)} is above the LimitRange maximum ${fmt(max)}: lower the limit or raise limits.container.max.${resource}`);
        }
        if (request > limit) {
          problems.push(`${where}: ${resource} request ${fmt(request)} is above its limit ${fmt(limit)}: a request cannot exceed the limit`);
        } else if (limit > request * ratio * (1 + 1e-9)) {
          problems.push(`${where}: ${resource} limit/request ratio ${(limit / request).toFixed(2)} is above the LimitRange maxLimitRequestRatio ${ratio}: raise the request to at least ${fmt(limit / ratio)} or lower the limit`);
        }
      }
    }
    for (const resource of ['cpu', 'memory'] as const) {
      const podMax = requireQuantity(limits.pod.max[resource], `LimitRange pod max ${resource}`);
      if (podTotals[resource] > podMax * (1 + 1e-9)) {
        problems.push(`${w.path}: the pod's ${resource} limits add up to ${FORMAT[resource](podTotals[resource])}, above the LimitRange pod maximum ${FORMAT[resource](podMax)}: lower the limits or raise limits.pod.max.${resource}`);
      }
    }
    for (const claim of w.claims) {
      const size = requireQuantity(claim.size, `${w.path} claim ${claim.name}`);
      const min = requireQuantity(limits.persistentVolumeClaim.min, 'LimitRange PVC min');
      const max = requireQuantity(limits.persistentVolumeClaim.max, 'LimitRange PVC max');
      if (size < min || size > max) {
        problems.push(`${w.path}: volume claim ${claim.name} asks for ${formatBytes(size)}, outside the LimitRange PVC bounds ${formatBytes(min)}-${formatBytes(max)}: pick a size within them or change limits.persistentVolumeClaim`);
      }
    }
  }
  return problems;
}
