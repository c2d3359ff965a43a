/**
 * What a pattern construct needs from the namespaced app it lives in, found by a symbol
 * (as cdk8s's `Chart.isChart`), not by `instanceof`: two copies of the library, or a
 * plain cdk8s Chart, never pass for one. Patterns import this, not NamespacedApp, so the
 * namespace and the constructs inside it do not import each other.
 */
import type { IConstruct } from 'constructs';
import type { PlatformSettings } from '../core/platform-settings';
import type { LimitRangeConfig, PriorityQuotaConfig, QuotaConfig } from '../core/resources';

/** The symbol a NamespacedApp carries. */
export const NAMESPACED_APP_SYMBOL = Symbol.for('k8s-iac.NamespacedApp');

/** The namespace-wide facts a construct inside a NamespacedApp reads. */
export interface NamespaceContext extends IConstruct {
  /** Name of the Namespace object. */
  readonly namespaceName: string;
  /** The environment's settings the namespace was made with. */
  readonly settings: PlatformSettings;
  /** The namespace's ResourceQuota, which its workloads must fit at their largest. */
  readonly quota: QuotaConfig;
  /** The namespace's LimitRange, which every container must satisfy. */
  readonly limits: LimitRangeConfig;
  /** Quotas scoped to the pods of one PriorityClass each. */
  readonly priorityQuotas: readonly PriorityQuotaConfig[];
  /** The Pod Security level the namespace enforces. */
  readonly podSecurityLevel: 'restricted' | 'baseline' | 'privileged';
  /** Labels every object of the namespace carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations every workload object carries: who to call. */
  ownerAnnotations(): Record<string, string>;
}

/** Whether `x` is a NamespacedApp (of any copy of this library). */
export function isNamespaceContext(x: unknown): x is NamespaceContext {
  return typeof x === 'object' && x !== null && NAMESPACED_APP_SYMBOL in x;
}

/** The nearest NamespacedApp above (or at) `construct`, if any. */
export function findNamespaceContext(construct: IConstruct): NamespaceContext | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    if (isNamespaceContext(c)) return c;
  }
  return undefined;
}

/** The NamespacedApp `construct` lives in, or an error saying to create it in one. */
export function namespaceContextOf(construct: IConstruct): NamespaceContext {
  const context = findNamespaceContext(construct);
  if (!context) {
    throw new Error(
      `${construct.node.path || '(root)'} is not inside a NamespacedApp: create it in one (new NamespacedApp(app, 'shop', { namespace, settings, quota, limits })), so it gets a namespace, a quota, limits and network policies`,
    );
  }
  return context;
}
