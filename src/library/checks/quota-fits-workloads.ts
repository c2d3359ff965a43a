/**
 * A namespace's ResourceQuota must hold every workload at its largest at once: replicas
 * (or HPA maximum) plus rollout surge (003:L380), and both colours of a blue-green pair
 * (000:L603-612). Otherwise the rollout stalls with FailedCreate events at apply time.
 */
import { formatBytes, formatCpu, parseQuantity } from '../core/quantity';
import { ComputeAmount, PriorityQuotaConfig, QUANTITY_SLACK, QuotaConfig } from '../core/resources';
import { WorkloadFootprint, podResources } from '../core/workloads';

/** Objects counted against the quota's object-count limits, by kind. */
export interface ObjectCounts {
  /** Services of the namespace. */
  readonly services: number;
  /** ConfigMaps of the namespace, the one the cluster makes in each (kube-root-ca.crt) included. */
  readonly configMaps: number;
  /** Secrets of the namespace. */
  readonly secrets: number;
  /** TLS Secrets cert-manager issues into the namespace, for its Ingresses and Gateways that name an issuer. @default [] */
  readonly issuedSecrets?: readonly string[];
  /** Storage of each PersistentVolumeClaim made outside a StatefulSet, in bytes. */
  readonly claims: readonly number[];
}

interface Total {
  readonly label: string;
  readonly used: number;
  readonly limit: number | undefined;
  readonly format: (n: number) => string;
  readonly field: string;
  /** For a count of objects: what the namespace holds, said in the message instead of the workloads' sizes. @default - the workloads need it */
  readonly held?: string;
}

/**
 * Secrets cert-manager keeps per certificate it issues: the issued one and, while it issues
 * or renews, the next private key in a Secret of its own (the Certificate's
 * `status.nextPrivateKeySecretName`; cert-manager discussion #3560).
 */
export const CERT_MANAGER_SECRETS_PER_CERTIFICATE = 2;

type PodAmount = 'requestsCpu' | 'requestsMemory' | 'limitsCpu' | 'limitsMemory';
const POD_AMOUNTS: ReadonlyArray<readonly [PodAmount, 'requests' | 'limits', 'cpu' | 'memory']> = [
  ['requestsCpu', 'requests', 'cpu'],
  ['requestsMemory', 'requests', 'memory'],
  ['limitsCpu', 'limits', 'cpu'],
  ['limitsMemory', 'limits', 'memory'],
];

interface Usage {
  requestsCpu: number;
  requestsMemory: number;
  limitsCpu: number;
  limitsMemory: number;
  pods: number;
  storage: number;
  claims: number;
}

/** What `workloads` take at their largest, with the breakdown for messages and the containers without amounts. */
function usageOf(workloads: readonly WorkloadFootprint[]): { used: Usage; breakdown: string; problems: string[] } {
  const used: Usage = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, pods: 0, storage: 0, claims: 0 };
  const parts: string[] = [];
  const problems: string[] = [];
  for (const w of workloads) {
    used.pods += w.maxPods;
    for (const [key, kind, resource] of POD_AMOUNTS) {
      const perPod = podResources(w, kind, resource);
      if (perPod === undefined) {
        problems.push(`${w.path}: a container of ${w.kind} ${w.name} has no ${resource} ${kind.slice(0, -1)} and the namespace's LimitRange gives none, so the ResourceQuota rejects its pods: set resources.${kind}.${resource}`);
      } else {
        used[key] += w.maxPods * perPod;
      }
    }
    for (const claim of w.claims) {
      // A StatefulSet keeps one claim per replica, surge or not: count its replicas.
      used.storage += w.maxPods * (claim.size ?? 0);
      used.claims += w.maxPods;
    }
    parts.push(`${w.kind} ${w.name}: ${w.maxPods} pod${w.maxPods === 1 ? '' : 's'} (${w.maxPodsReason})`);
  }
  return { used, breakdown: parts.length ? ` [${parts.join('; ')}]` : '', problems };
}

/** The compute totals of a quota against what is used. */
function computeTotals(used: Usage, requests: ComputeAmount, limits: ComputeAmount, field: string): Total[] {
  return [
    { label: 'requests.cpu', used: used.requestsCpu, limit: parseQuantity(requests.cpu), format: formatCpu, field: `${field}.requests.cpu` },
    { label: 'requests.memory', used: used.requestsMemory, limit: parseQuantity(requests.memory), format: formatBytes, field: `${field}.requests.memory` },
    { label: 'limits.cpu', used: used.limitsCpu, limit: parseQuantity(limits.cpu), format: formatCpu, field: `${field}.limits.cpu` },
    { label: 'limits.memory', used: used.limitsMemory, limit: parseQuantity(limits.memory), format: formatBytes, field: `${field}.limits.memory` },
  ];
}

/** Each total over its limit, naming the quota and the field to raise. */
function overLimit(quotaName: string, totals: readonly Total[], breakdown: string): string[] {
  // Compare with a little slack: sums of decimal quantities are not exact in binary floating point.
  // A malformed quota value is reported where the quota is validated (NamespacedApp), not here.
  return totals
    .filter((t) => t.limit !== undefined && t.used > t.limit * QUANTITY_SLACK)
    .map((t) =>
      t.held === undefined
        ? `${quotaName} ${t.label} is ${t.format(t.limit ?? 0)} but the workloads need ${t.format(t.used)} at their largest${breakdown}: raise ${t.field} to at least ${t.format(t.used)}, or shrink the workloads`
        : `${quotaName} ${t.label} is ${t.format(t.limit ?? 0)} but the namespace holds ${t.format(t.used)}${t.held}: raise ${t.field} to at least ${t.format(t.used)}`,
    );
}

/** The Secrets of a namespace: its own, and two for each certificate cert-manager issues into it. */
function secretsTotal(limit: number | undefined, own: number, issued: readonly string[]): Total {
  const used = own + CERT_MANAGER_SECRETS_PER_CERTIFICATE * issued.length;
  const list = issued.map((s) => `"${s}"`).join(', ');
  const held = issued.length === 0 ? '' : ` (${own} of its own, and ${CERT_MANAGER_SECRETS_PER_CERTIFICATE} for each certificate cert-manager issues into it, ${list}: the certificate's Secret, and its next private key while it issues or renews)`;
  return { label: 'secrets', used, limit, format: String, field: 'quota.secrets', held };
}

/** Quota problems of one namespace, each naming the quota field to raise. */
export function quotaFitsWorkloads(quota: QuotaConfig, workloads: readonly WorkloadFootprint[], objects: ObjectCounts): string[] {
  const { used, breakdown, problems } = usageOf(workloads);
  for (const size of objects.claims) {
    used.storage += size;
    used.claims += 1;
  }
  const totals: Total[] = [
    ...computeTotals(used, quota.requests, quota.limits, 'quota'),
    { label: 'pods', used: used.pods, limit: quota.pods, format: String, field: 'quota.pods' },
    { label: 'requests.storage', used: used.storage, limit: parseQuantity(quota.storage), format: formatBytes, field: 'quota.storage' },
    { label: 'persistentvolumeclaims', used: used.claims, limit: quota.persistentVolumeClaims, format: String, field: 'quota.persistentVolumeClaims' },
    { label: 'services', used: objects.services, limit: quota.services, format: String, field: 'quota.services', held: '' },
    { label: 'configmaps', used: objects.configMaps, limit: quota.configMaps, format: String, field: 'quota.configMaps', held: ', the kube-root-ca.crt every namespace gets included' },
    secretsTotal(quota.secrets, objects.secrets, objects.issuedSecrets ?? []),
  ];
  return [...problems, ...overLimit('ResourceQuota', totals, breakdown)];
}

/**
 * A priority-scoped quota must hold the workloads of its class at their largest, like
 * the namespace's quota (containers without amounts are reported by that one).
 */
export function priorityQuotaFitsWorkloads(quota: PriorityQuotaConfig, index: number, workloads: readonly WorkloadFootprint[]): string[] {
  const { used, breakdown } = usageOf(workloads.filter((w) => w.priorityClassName === quota.priorityClassName));
  const field = `priorityQuotas[${index}]`;
  const totals: Total[] = [...computeTotals(used, quota.requests, quota.limits, field), { label: 'pods', used: used.pods, limit: quota.pods, format: String, field: `${field}.pods` }];
  return overLimit(`ResourceQuota quota-${quota.priorityClassName} (pods of PriorityClass ${quota.priorityClassName})`, totals, breakdown);
}
