/**
 * A namespaced app (000 §2.2, §6.10-6.11; 001:L3836-3949; 002:L1181-1209): a Chart that
 * owns one Namespace, with
 * - Pod Security Admission labels (`restricted` unless opted out, with a reason);
 * - a ResourceQuota capping the namespace total, and a LimitRange bounding each object
 *   (a LimitRange alone does not cap the total, 001:L3844);
 * - default-deny NetworkPolicies both ways, with DNS egress to kube-dns still allowed.
 * Every object created inside lands in the namespace without repeating it, and at synth
 * the namespace checks that its workloads fit the quota and the LimitRange.
 */
import { Chart, ChartProps, JsonPatch, ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { LABELS, MANAGED_BY, OWNER_EMAIL_ANNOTATION } from '../core/labels';
import { NAMESPACED_APP_SYMBOL, NamespaceContext, isNamespaceContext, namespaceContextOf } from '../core/namespace-context';
import { CHECKED_SETTINGS_CONTEXT, PlatformSettings, checkPlatformSettings } from '../core/platform-settings';
import { ComputeAmount, LimitRangeConfig, PriorityQuotaConfig, QUANTITY_SLACK, QuotaConfig, quantities } from '../core/resources';
import { parseQuantity } from '../core/quantity';
import { checkByteQuantity, checkComputeQuantity, checkDnsLabel, checkDnsSubdomain, checkLabelValue, checkNonNegativeInteger, checkOneOf, checkQuantity, errors, hasReason, KUBE_NAMESPACE_PREFIX, MAX_INT64_CHECKED } from '../core/validation';
import { DNS_PORTS, KUBE_DNS, NetworkPolicy } from './network-policy';

/** The Pod Security Standards levels a namespace can enforce. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The levels a namespace may step down to, for checks of a level given from outside the type system. */
const OPT_OUT_LEVELS: readonly PodSecurityOptOut['level'][] = ['baseline', 'privileged'];

/** A visible, reasoned step down from Pod Security `restricted`. */
export interface PodSecurityOptOut {
  /** The Pod Security level the namespace enforces instead: `baseline` or `privileged`. */
  readonly level: Exclude<PodSecurityLevel, 'restricted'>;
  /** Why this namespace cannot run restricted; written to an annotation for reviewers. */
  readonly reason: string;
}

/** A namespace, the environment's settings, and the namespace's quota and limits. */
export interface NamespacedAppProps {
  /** Namespace name; a DNS-1123 label, not `default`. */
  readonly namespace: string;
  /** Environment-wide settings the constructs inside read. */
  readonly settings: PlatformSettings;
  /** Namespace totals. */
  readonly quota: QuotaConfig;
  /** Per-container, per-pod and per-claim bounds. */
  readonly limits: LimitRangeConfig;
  /**
   * Extra ResourceQuotas, each counting only the pods of one PriorityClass (`quota-<class>`):
   * what that class may take of the namespace. Synth checks its workloads fit. @default - none
   */
  readonly priorityQuotas?: readonly PriorityQuotaConfig[];
  /** Application the namespace belongs to (`app.kubernetes.io/part-of`). @default - the namespace name */
  readonly partOf?: string;
  /** Enforce a Pod Security level below `restricted`. @default - restricted enforced, warned and audited */
  readonly podSecurityOptOut?: PodSecurityOptOut;
  /** Deny all ingress and egress not allowed by a policy. @default true */
  readonly defaultDeny?: boolean;
  /** With default-deny, still allow DNS (UDP and TCP 53) to kube-dns. @default true */
  readonly allowDns?: boolean;
}

/**
 * A Chart that owns one namespace and everything in it: the Namespace with Pod Security
 * labels, its ResourceQuota and LimitRange, default-deny policies. The runner checks at
 * synth that everything rendered into the namespace fits the quota and the LimitRange and
 * that every selector matches pods.
 */
export class NamespacedApp extends Chart implements NamespaceContext {
  /** Whether `x` is a NamespacedApp, by a symbol, so it holds across copies of the library (unlike `instanceof`). */
  static isNamespacedApp(x: unknown): x is NamespacedApp {
    return isNamespaceContext(x);
  }

  /** The NamespacedApp a construct lives in; an error naming the construct when there is none. */
  static override of(construct: IConstruct): NamespacedApp {
    return namespaceContextOf(construct) as NamespacedApp;
  }

  readonly namespaceName: string;
  readonly settings: PlatformSettings;
  readonly quota: QuotaConfig;
  readonly limits: LimitRangeConfig;
  /** The quotas scoped to one PriorityClass each (`quota-<class>`). */
  readonly priorityQuotas: readonly PriorityQuotaConfig[];
  /** The Pod Security level the namespace enforces: restricted, unless opted out. */
  readonly podSecurityLevel: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: NamespacedAppProps) {
    const partOf = props.partOf ?? props.namespace;
    super(scope, id, {
      namespace: props.namespace,
      disableResourceNameHashes: true,
      labels: {
        [LABELS.partOf]: partOf,
        [LABELS.managedBy]: MANAGED_BY,
        [LABELS.environment]: props.settings.name,
        [LABELS.owner]: props.settings.owner.team,
      },
    } satisfies ChartProps);
    Object.defineProperty(this, NAMESPACED_APP_SYMBOL, { value: true });
    this.namespaceName = props.namespace;
    this.podSecurityLevel = props.podSecurityOptOut?.level ?? 'restricted';
    this.settings = props.settings;
    this.quota = props.quota;
    this.limits = props.limits;
    this.priorityQuotas = props.priorityQuotas ?? [];

    this.createNamespace(props);
    this.createQuota();
    // a repeated class is reported by validation; one object per class keeps construct ids unique
    this.priorityQuotas.filter((q, i, all) => all.findIndex((o) => o.priorityClassName === q.priorityClassName) === i).forEach((q) => this.createPriorityQuota(q));
    this.createLimitRange();
    if (props.defaultDeny ?? true) {
      new NetworkPolicy(this, 'DefaultDeny', { name: 'default-deny', podSelector: {}, ingress: [], egress: [] });
      if (props.allowDns ?? true) {
        new NetworkPolicy(this, 'AllowDns', { name: 'allow-dns', podSelector: {}, egress: [{ peers: [KUBE_DNS], ports: DNS_PORTS }] });
      }
    }
    this.node.addValidation({ validate: () => this.validateNamespace(props) });
  }

  /** Annotations every workload object carries: who to call. */
  ownerAnnotations(): Record<string, string> {
    return { [OWNER_EMAIL_ANNOTATION]: this.settings.owner.email };
  }

  private createNamespace(props: NamespacedAppProps): void {
    const level: PodSecurityLevel = props.podSecurityOptOut?.level ?? 'restricted';
    const ns = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: props.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': 'v1.28',
          // warn and audit stay at restricted, so an opt-out still shows what it lets through
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'v1.28',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'v1.28',
        },
        annotations: {
          ...this.ownerAnnotations(),
          ...(props.podSecurityOptOut ? { 'k8s-iac.dev/pod-security-opt-out': props.podSecurityOptOut.reason } : {}),
        },
      },
    });
    clusterScoped(ns);
  }

  private createQuota(): void {
    const q = this.quota;
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'quota' },
      spec: {
        hard: {
          ...computeHard(q.requests, q.limits),
          'requests.storage': k8s.Quantity.fromString(q.storage),
          persistentvolumeclaims: k8s.Quantity.fromNumber(q.persistentVolumeClaims),
          pods: k8s.Quantity.fromNumber(q.pods),
          services: k8s.Quantity.fromNumber(q.services),
          configmaps: k8s.Quantity.fromNumber(q.configMaps),
          secrets: k8s.Quantity.fromNumber(q.secrets),
        },
      },
    });
  }

  private createPriorityQuota(q: PriorityQuotaConfig): void {
    new k8s.KubeResourceQuota(this, `Quota-${q.priorityClassName}`, {
      metadata: { name: `quota-${q.priorityClassName}` },
      spec: {
        hard: { ...computeHard(q.requests, q.limits), pods: k8s.Quantity.fromNumber(q.pods) },
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [q.priorityClassName] }] },
      },
    });
  }

  private createLimitRange(): void {
    const l = this.limits;
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'limits' },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: quantities(l.container.defaultRequest),
            default: quantities(l.container.default),
            min: quantities(l.container.min),
            max: quantities(l.container.max),
            maxLimitRequestRatio: quantities(l.container.maxLimitRequestRatio),
          },
          { type: 'Pod', max: quantities(l.pod.max) },
          {
            type: 'PersistentVolumeClaim',
            min: { storage: k8s.Quantity.fromString(l.persistentVolumeClaim.min) },
            max: { storage: k8s.Quantity.fromString(l.persistentVolumeClaim.max) },
          },
        ],
      },
    });
  }

  private validateNamespace(props: NamespacedAppProps): string[] {
    const problems = errors(checkDnsLabel(props.namespace, 'namespace'), props.partOf === undefined ? undefined : checkLabelValue(props.partOf, 'partOf'));
    // one namespace per app is the notes' isolation unit (000:L76-79)
    if (props.namespace === 'default') {
      problems.push('namespace "default" mixes unrelated apps and cannot be isolated: give the app a namespace of its own');
    }
    // Kubernetes keeps the kube- prefix for its own namespaces (Namespaces, "Initial namespaces")
    if (typeof props.namespace === 'string' && props.namespace.startsWith(KUBE_NAMESPACE_PREFIX)) {
      problems.push(`namespace "${props.namespace}" has the kube- prefix, which Kubernetes keeps for its own namespaces (kube-system holds the cluster's DNS and controllers): give the app a namespace of its own`);
    }
    const optOut = props.podSecurityOptOut;
    if (optOut && !hasReason(optOut.reason)) {
      problems.push('podSecurityOptOut has no reason: say why this namespace cannot run Pod Security restricted');
    }
    if (optOut) problems.push(...errors(checkOneOf(optOut.level, OPT_OUT_LEVELS, 'podSecurityOptOut.level')));
    const quantities = quotaAndLimitQuantities(props.quota, props.limits);
    // the order of the LimitRange's bounds, and its ratios, are only read once each of them is a quantity
    const bounds = quantities.length === 0 ? [...limitRangeOrder(props.limits), ...limitRangeRatios(props.limits.container)] : [];
    problems.push(...quantities, ...bounds, ...priorityQuotaProblems(props.priorityQuotas ?? []));
    if (this.node.tryGetContext(CHECKED_SETTINGS_CONTEXT) !== props.settings) problems.push(...checkPlatformSettings(props.settings).map((p) => `settings: ${p}`));
    return problems;
  }
}

/** The compute part of a ResourceQuota's hard limits. */
function computeHard(requests: ComputeAmount, limits: ComputeAmount): Record<string, k8s.Quantity> {
  return {
    'requests.cpu': k8s.Quantity.fromString(requests.cpu),
    'requests.memory': k8s.Quantity.fromString(requests.memory),
    'limits.cpu': k8s.Quantity.fromString(limits.cpu),
    'limits.memory': k8s.Quantity.fromString(limits.memory),
  };
}

/** Each priority quota names a class once, with valid amounts. */
function priorityQuotaProblems(quotas: readonly PriorityQuotaConfig[]): string[] {
  const seen = new Set<string>();
  return quotas.flatMap((q, i) => {
    const where = `priorityQuotas[${i}]`;
    const duplicate = seen.has(q.priorityClassName) ? `${where} repeats PriorityClass "${q.priorityClassName}": keep one quota per class` : undefined;
    seen.add(q.priorityClassName);
    const className = checkDnsSubdomain(q.priorityClassName, `${where}.priorityClassName`);
    return errors(
      className,
      // the ResourceQuota is named after the class, so the class leaves room for the prefix (a bad class name is one problem)
      className === undefined ? checkDnsSubdomain(`quota-${q.priorityClassName}`, `${where}'s ResourceQuota name`) : undefined,
      duplicate,
      checkNonNegativeInteger(q.pods, `${where}.pods`, MAX_INT64_CHECKED),
      ...(['cpu', 'memory'] as const).flatMap((r) => [checkComputeQuantity(q.requests[r], r, `${where}.requests.${r}`), checkComputeQuantity(q.limits[r], r, `${where}.limits.${r}`)]),
    );
  });
}

/** Every quantity of the quota and the LimitRange, checked where they enter. */
function quotaAndLimitQuantities(quota: QuotaConfig, limits: LimitRangeConfig): string[] {
  // a ratio's memory is a plain number, not bytes: 'm' is no unit mistake there
  const amounts = (amount: { cpu: string; memory: string }, where: string, memoryInBytes = true) => [
    checkQuantity(amount.cpu, `${where}.cpu`),
    (memoryInBytes ? checkByteQuantity : checkQuantity)(amount.memory, `${where}.memory`),
  ];
  return errors(
    ...amounts(quota.requests, 'quota.requests'),
    ...amounts(quota.limits, 'quota.limits'),
    checkByteQuantity(quota.storage, 'quota.storage'),
    ...amounts(limits.container.defaultRequest, 'limits.container.defaultRequest'),
    ...amounts(limits.container.default, 'limits.container.default'),
    ...amounts(limits.container.min, 'limits.container.min'),
    ...amounts(limits.container.max, 'limits.container.max'),
    ...amounts(limits.container.maxLimitRequestRatio, 'limits.container.maxLimitRequestRatio', false),
    ...amounts(limits.pod.max, 'limits.pod.max'),
    checkByteQuantity(limits.persistentVolumeClaim.min, 'limits.persistentVolumeClaim.min'),
    checkByteQuantity(limits.persistentVolumeClaim.max, 'limits.persistentVolumeClaim.max'),
    ...(['persistentVolumeClaims', 'pods', 'services', 'configMaps', 'secrets'] as const).map((k) => checkNonNegativeInteger(quota[k], `quota.${k}`, MAX_INT64_CHECKED)),
  );
}

/** `a` above `b` (both quantities), as a problem naming both fields and the fix. */
function above(fieldA: string, a: string, fieldB: string, b: string): string | undefined {
  return (parseQuantity(a) ?? 0) > (parseQuantity(b) ?? 0) ? `${fieldA} ${a} is above ${fieldB} ${b}, which the API server refuses: lower ${fieldA} or raise ${fieldB}` : undefined;
}

/**
 * The LimitRange's bounds in the order the API server requires (validateLimitRange):
 * min <= defaultRequest <= default <= max for each resource, and the claims' min <= max.
 */
function limitRangeOrder(limits: LimitRangeConfig): string[] {
  const c = limits.container;
  return errors(
    ...(['cpu', 'memory'] as const).flatMap((r) => [
      above(`limits.container.min.${r}`, c.min[r], `limits.container.max.${r}`, c.max[r]),
      above(`limits.container.default.${r}`, c.default[r], `limits.container.max.${r}`, c.max[r]),
      above(`limits.container.defaultRequest.${r}`, c.defaultRequest[r], `limits.container.max.${r}`, c.max[r]),
      above(`limits.container.min.${r}`, c.min[r], `limits.container.defaultRequest.${r}`, c.defaultRequest[r]),
      above(`limits.container.defaultRequest.${r}`, c.defaultRequest[r], `limits.container.default.${r}`, c.default[r]),
    ]),
    above('limits.persistentVolumeClaim.min', limits.persistentVolumeClaim.min, 'limits.persistentVolumeClaim.max', limits.persistentVolumeClaim.max),
  );
}

/** The smallest maxLimitRequestRatio the API server takes: a container's limit is never below its request. */
const MIN_LIMIT_REQUEST_RATIO = 1;
/** The bound a message gives is floored to thousandths, the precision the API server compares ratios in (Quantity.MilliValue). */
const MILLI = 1000;

/**
 * The container maxLimitRequestRatio of each resource as validateLimitRange takes it: not
 * below 1, and, where min is above 0, not above max/min, the largest ratio a container
 * inside both bounds can reach (with min 0 there is no such bound).
 */
function limitRangeRatios(c: LimitRangeConfig['container']): string[] {
  return (['cpu', 'memory'] as const).flatMap((r) => {
    const field = `limits.container.maxLimitRequestRatio.${r}`;
    const written = c.maxLimitRequestRatio[r];
    const ratio = parseQuantity(written) ?? 0;
    if (ratio < MIN_LIMIT_REQUEST_RATIO) return [`${field} ${written} is below ${MIN_LIMIT_REQUEST_RATIO}, which the API server refuses: a limit is never below its request, so give ${MIN_LIMIT_REQUEST_RATIO} or more`];
    const min = parseQuantity(c.min[r]) ?? 0;
    const max = parseQuantity(c.max[r]) ?? 0;
    // a max below min is limitRangeOrder's to report
    if (min <= 0 || max < min || ratio <= (max / min) * QUANTITY_SLACK) return [];
    const most = Math.floor((max / min) * MILLI * QUANTITY_SLACK) / MILLI;
    return [
      `${field} ${written} is above limits.container.max.${r} ${c.max[r]} / limits.container.min.${r} ${c.min[r]} = ${most}, which the API server refuses: lower the ratio to at most ${most}, or widen min and max`,
    ];
  });
}

/** Cluster-scoped objects (Namespace, ClusterRole...) must not carry the chart's namespace. */
export function clusterScoped(obj: ApiObject): void {
  obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}
