/**
 * Every container must fit the namespace's LimitRange (min, max, limit/request ratio)
 * and every claim its PVC bounds; otherwise admission rejects the pod or claim.
 */
import { formatBytes, formatCpu, parseQuantity } from '../core/quantity';
import { LimitRangeConfig, QUANTITY_SLACK } from '../core/resources';
import { WorkloadFootprint, ContainerFootprint } from '../core/workloads';

type Resource = 'cpu' | 'memory';
const FORMAT: Record<Resource, (n: number) => string> = { cpu: formatCpu, memory: formatBytes };

function containerProblems(limits: LimitRangeConfig, where: string, c: ContainerFootprint, resource: Resource): string[] {
  const fmt = FORMAT[resource];
  const request = c.requests[resource];
  const limit = c.limits[resource];
  const min = parseQuantity(limits.container.min[resource]);
  const max = parseQuantity(limits.container.max[resource]);
  const ratio = parseQuantity(limits.container.maxLimitRequestRatio[resource]);
  const problems: string[] = [];
  if (request === undefined || limit === undefined) return problems; // reported by the quota check
  if (min !== undefined && request < min) {
    problems.push(`${where}: ${resource} request ${fmt(request)} is below the LimitRange minimum ${fmt(min)}: raise the request or lower limits.container.min.${resource}`);
  }
  if (max !== undefined && limit > max) {
    problems.push(`${where}: ${resource} limit ${fmt(limit)} is above the LimitRange maximum ${fmt(max)}: lower the limit or raise limits.container.max.${resource}`);
  }
  if (request > limit) {
    problems.push(`${where}: ${resource} request ${fmt(request)} is above its limit ${fmt(limit)}: a request cannot exceed the limit`);
  } else if (ratio !== undefined && limit > request * ratio * QUANTITY_SLACK) {
    problems.push(`${where}: ${resource} limit/request ratio ${(limit / request).toFixed(2)} is above the LimitRange maxLimitRequestRatio ${ratio}: raise the request to at least ${fmt(limit / ratio)} or lower the limit`);
  }
  return problems;
}

/** LimitRange problems of one namespace's workloads, each naming the container or claim. */
export function limitRangeAdmitsWorkloads(limits: LimitRangeConfig, workloads: readonly WorkloadFootprint[]): string[] {
  const problems: string[] = [];
  for (const w of workloads) {
    for (const c of [...w.initContainers, ...w.containers]) {
      for (const resource of ['cpu', 'memory'] as const) problems.push(...containerProblems(limits, `${w.path}: container ${c.name}`, c, resource));
    }
    for (const resource of ['cpu', 'memory'] as const) {
      const podMax = parseQuantity(limits.pod.max[resource]);
      const podTotal = w.containers.reduce((sum, c) => sum + (c.limits[resource] ?? 0), 0);
      if (podMax !== undefined && podTotal > podMax * QUANTITY_SLACK) {
        problems.push(`${w.path}: the pod's ${resource} limits add up to ${FORMAT[resource](podTotal)}, above the LimitRange pod maximum ${FORMAT[resource](podMax)}: lower the limits or raise limits.pod.max.${resource}`);
      }
    }
    problems.push(...limitRangeAdmitsClaims(limits, w.claims.map((claim) => ({ ...claim, path: w.path }))));
  }
  return problems;
}

/** A claim as the PVC bounds see it: its size (undefined where malformed: reported elsewhere), named by a construct path. */
export interface SizedClaim {
  /** Construct path of the workload or claim that makes it. */
  readonly path: string;
  /** The claim's name. */
  readonly name: string;
  /** Bytes it asks for. @default - unknown */
  readonly size?: number;
}

/** Claims outside the LimitRange's PVC bounds, which admission rejects: a workload's claim templates, or claims of their own. */
export function limitRangeAdmitsClaims(limits: LimitRangeConfig, claims: readonly SizedClaim[]): string[] {
  const min = parseQuantity(limits.persistentVolumeClaim.min);
  const max = parseQuantity(limits.persistentVolumeClaim.max);
  if (min === undefined || max === undefined) return [];
  return claims
    // a claim of no storage is its own problem (checkClaimRequest), not also one below the bounds
    .filter((claim) => claim.size !== undefined && claim.size > 0 && (claim.size < min || claim.size > max))
    .map(
      (claim) =>
        `${claim.path}: volume claim ${claim.name} asks for ${formatBytes(claim.size ?? 0)}, outside the LimitRange PVC bounds ${formatBytes(min)}-${formatBytes(max)}: pick a size within them or change limits.persistentVolumeClaim`,
    );
}
