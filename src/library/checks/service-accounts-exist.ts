/**
 * A pod runs as a ServiceAccount of its namespace, which must exist when the pod is
 * created: the API server's ServiceAccount admission refuses the pod otherwise, so the
 * workload rolls out nothing (kube-linter's non-existent-service-account check flags the
 * same). A namespace the project makes holds only the ServiceAccounts it renders there and
 * the `default` one its controller adds.
 */
import { checkDnsSubdomain } from '../core/validation';
import type { RenderedObject, WorkloadFootprint } from '../core/workloads';

/** The ServiceAccount every namespace gets from the cluster, and the one a pod that names none runs as. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The workloads whose pods run as a ServiceAccount that `rendered` (one namespace's objects) does not hold, each named by its construct path. */
export function serviceAccountsExist(rendered: readonly RenderedObject[], workloads: readonly WorkloadFootprint[], namespace: string): string[] {
  const accounts = new Set(rendered.filter((r) => r.object.kind === 'ServiceAccount').map((r) => r.object.metadata?.name));
  const held = [...accounts].filter((name): name is string => typeof name === 'string').sort();
  const holds = held.length === 0 ? `it holds none but "${DEFAULT_SERVICE_ACCOUNT}"` : `it holds ${held.map((name) => `"${name}"`).join(', ')} and "${DEFAULT_SERVICE_ACCOUNT}"`;
  return workloads.flatMap((w) => {
    const account = w.serviceAccountName || DEFAULT_SERVICE_ACCOUNT;
    // a name no ServiceAccount could have is the workload's own problem, reported where it was given
    if (account === DEFAULT_SERVICE_ACCOUNT || accounts.has(account) || checkDnsSubdomain(account, 'serviceAccountName') !== undefined) return [];
    return [
      `${w.path}: ${w.kind} "${w.name}" runs its pods as ServiceAccount "${account}", which nothing renders in namespace "${namespace}" (${holds}), so the API server refuses the pods: ` +
        `render the ServiceAccount in the namespace, name one it holds, or leave serviceAccountName unset where the workload makes its own`,
    ];
  });
}
