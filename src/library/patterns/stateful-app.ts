/**
 * A StatefulSet with its governing headless Service (001:L2894-3077; 002:L380-397;
 * 004:L1042-1044):
 * - Pods are `<name>-0`, `<name>-1`, ...; each keeps its name, DNS name
 *   `<name>-<n>.<headless service>.<namespace>.svc.<cluster domain>` and its own claims
 *   `<claim>-<name>-<n>` across restarts and rescheduling.
 * - `serviceName` names the headless Service (`clusterIP: None`) made here with the pods'
 *   selector, so the two cannot drift apart. A ClusterIP client Service (named after the
 *   StatefulSet) load-balances clients over the ready pods.
 * - With OrderedReady, pods start one after another, each once the previous is Ready, and
 *   stop highest first: a readiness probe is required. Peers that must find each other
 *   before they are Ready (`publishNotReadyAddresses`, a quorum that elects a leader) would
 *   wait forever that way: the first pod is not Ready until a quorum exists, and the next is
 *   not started until it is. They start in Parallel unless told otherwise.
 * - Claims are kept when a pod or the set is deleted, and on scale-down (Retain/Retain)
 *   unless asked otherwise; kept claims still count against the namespace quota.
 * - PodDisruptionBudget (003:L268-275): a single instance gets maxUnavailable 0, which
 *   blocks node drains until someone moves the pod by hand, so it is an error unless
 *   `disruptionBudget.allowZeroDisruptions` accepts it (or `disruptionBudget: false` lets
 *   drains evict the only pod); 2 or more replicas (quorum apps) get maxUnavailable 1.
 * - With 2 or more replicas, a NetworkPolicy lets the pods reach each other (replication,
 *   quorum), which the namespace's default-deny would block.
 */
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { AccessMode, checkClaimRequest } from './app-volume-claim';
import { checkDns1035Label, checkDnsLabel, checkNonNegativeInteger, checkOneOf, describeValue, errors, MAX_INT32 } from '../core/validation';
import { AppService } from './app-service';
import { DerivedService } from './derived-service';
import { Budget, DisruptionBudgetProps, blocksDrainsUnasked, checkDisruptionBudget, createDisruptionBudget, explicitBudget } from './disruption-budget';
import { NetworkPolicy } from './network-policy';
import type { VerticalAutoscaler } from './vertical-autoscaler';
import { REVISION_HISTORY_LIMIT } from '../core/defaults';
import { Workload, WorkloadProps } from './workload';

/** A volumeClaimTemplate: every pod gets its own claim `<name>-<statefulset>-<n>`. */
export interface VolumeClaimProps {
  /** Claim and volume name (a DNS-1123 label); the container mounts it with a mount `{ name, claim: true }`. */
  readonly name: string;
  /** Storage each pod's claim requests, e.g. `10Gi`. */
  readonly size: string;
  /** How the claim's volume may be mounted. @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly AccessMode[];
}

/** What happens to the claims when the StatefulSet is deleted or scaled down (a field since 1.27). */
export interface ClaimRetentionProps {
  /** The claims when the StatefulSet is deleted: kept, or deleted with it. @default 'Retain' */
  readonly whenDeleted?: 'Retain' | 'Delete';
  /** The claims of the pods a scale-down removes: kept for a scale-up, or deleted. @default 'Retain' */
  readonly whenScaled?: 'Retain' | 'Delete';
}

/** A StatefulSet's pods, size, claims, Services and budget. */
export interface StatefulAppProps extends WorkloadProps {
  /** StatefulSet name: a DNS-1123 label of at most 52 characters (pod names and the revision label add to it). */
  readonly name: string;
  /** Pod count; there is no default, as the disruption budget depends on it (1, or 2+). */
  readonly replicas: number;
  /** Per-pod volume claims. @default [] */
  readonly volumeClaims?: readonly VolumeClaimProps[];
  /** What happens to the claims when the StatefulSet is deleted or scaled down. @default - Retain when deleted, Retain when scaled down */
  readonly claimRetention?: ClaimRetentionProps;
  /**
   * OrderedReady starts pods one by one, each once the previous is Ready; Parallel starts
   * them all at once. @default - 'Parallel' with publishNotReadyAddresses (peers that find
   * each other before they are Ready), 'OrderedReady' otherwise
   */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * Rolling update partition: only pods with an ordinal at or above it get a new template,
   * the others keep the old one (a staged rollout; lower it step by step). At replicas or
   * above, no pod is updated, those a later scale-up adds included (an update held). @default 0
   */
  readonly partition?: number;
  /** Name of the governing headless Service. @default `<name>-headless` */
  readonly headlessServiceName?: string;
  /** Publish pods in DNS before they are Ready, for peers that must find each other to become Ready. @default false */
  readonly publishNotReadyAddresses?: boolean;
  /** A ClusterIP Service named after the StatefulSet, over the ready pods, for clients. @default true */
  readonly clientService?: boolean;
  /** A NetworkPolicy letting the pods reach each other on their container ports. @default - only with 2 or more replicas */
  readonly allowPeerTraffic?: boolean;
  /** PodDisruptionBudget; `false` for none (only allowed below 2 replicas). @default - maxUnavailable 0 at 1 replica (must be accepted), 1 above */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
}

/** Longest StatefulSet name whose `controller-revision-hash` label (`<name>-<10 characters>`) stays a valid label value. */
const MAX_NAME_LENGTH = 52;

/** The peer policy of a StatefulApp: made wholly of the app's name, pod labels and container ports, which the app checks. */
class PeerPolicy extends NetworkPolicy {
  protected override validatePolicy(): string[] {
    return [];
  }
}

/** A StatefulSet with its governing headless Service, a client Service, its budget and peer policy. */
export class StatefulApp extends Workload {
  readonly replicas: number;
  readonly statefulSet: k8s.KubeStatefulSet;
  /** The governing headless Service: one DNS record per pod. */
  readonly headlessService: AppService;
  /** The ClusterIP Service clients use, unless `clientService` is false. */
  readonly clientService?: AppService;
  override readonly verticalAutoscaler?: VerticalAutoscaler;
  private readonly props: StatefulAppProps;

  constructor(scope: Construct, id: string, props: StatefulAppProps) {
    super(scope, id, props);
    this.props = props;
    this.replicas = props.replicas;
    const ports = props.container.ports ?? [];
    this.headlessService = new DerivedService(this, 'HeadlessService', {
      name: props.headlessServiceName ?? `${props.name}-headless`,
      selector: this.podSelector,
      ports,
      headless: true,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
    });
    if (props.clientService ?? true) {
      this.clientService = new DerivedService(this, 'ClientService', { name: props.name, selector: this.podSelector, ports });
    }
    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: this.objectMetadata(),
      spec: {
        serviceName: this.headlessService.name,
        replicas: props.replicas,
        revisionHistoryLimit: REVISION_HISTORY_LIMIT,
        selector: { matchLabels: { ...this.podSelector } },
        podManagementPolicy: this.podManagementPolicy(),
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: props.partition ?? 0 } },
        persistentVolumeClaimRetentionPolicy: {
          whenDeleted: props.claimRetention?.whenDeleted ?? 'Retain',
          whenScaled: props.claimRetention?.whenScaled ?? 'Retain',
        },
        template: this.podTemplate(props),
        volumeClaimTemplates: this.claimTemplates(this.app.settings.storageClass),
      },
    });
    if (props.allowPeerTraffic ?? props.replicas >= 2) this.createPeerPolicy();
    this.verticalAutoscaler = this.addVerticalAutoscaler('StatefulSet', props);
    const budget = this.budget();
    if (budget) createDisruptionBudget(this, props.name, this.podSelector, budget);
    this.node.addValidation({ validate: () => this.validateStatefulApp() });
  }

  /** Stable DNS name of pod `ordinal`: `<name>-<n>.<headless service>.<namespace>.svc.<cluster domain>`. */
  podDnsName(ordinal: number): string {
    return `${this.name}-${ordinal}.${this.headlessService.dnsName}`;
  }

  /** Stable DNS names of every pod, ordinal 0 first. */
  get podDnsNames(): string[] {
    return Array.from({ length: Math.max(0, this.replicas) }, (_, ordinal) => this.podDnsName(ordinal));
  }

  /** DNS name of the client Service (any ready pod), or undefined without one. */
  get clientDnsName(): string | undefined {
    return this.clientService?.dnsName;
  }

  /** Name of pod `ordinal`'s claim from the template `claim`: `<claim>-<name>-<n>`. */
  claimName(claim: string, ordinal: number): string {
    return `${claim}-${this.name}-${ordinal}`;
  }

  private claimTemplates(storageClass: string | undefined): k8s.KubePersistentVolumeClaimProps[] {
    return (this.props.volumeClaims ?? []).map((claim) => ({
      metadata: { name: claim.name },
      spec: {
        accessModes: [...(claim.accessModes ?? ['ReadWriteOnce'])],
        storageClassName: storageClass,
        // a claim without a size (from JavaScript) is reported by its validation; rendering it must not fail first
        resources: { requests: typeof claim.size === 'string' ? { storage: k8s.Quantity.fromString(claim.size) } : undefined },
      },
    }));
  }

  private createPeerPolicy(): void {
    const ports = (this.props.container.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
    const peers = [{ pods: this.podSelector }];
    new PeerPolicy(this, 'PeerPolicy', {
      name: `${this.name}-peers`,
      podSelector: this.podSelector,
      ingress: [{ peers, ports }],
      egress: [{ peers, ports }],
    });
  }

  /** The user's budget, or maxUnavailable 0 for a single instance and 1 for more (003:L268-275). */
  private budget(): Budget | undefined {
    const props = this.props.disruptionBudget;
    if (props === false) return undefined;
    const explicit = explicitBudget(props);
    if (explicit) return explicit;
    if (this.replicas < 1) return undefined;
    return { maxUnavailable: this.replicas === 1 ? 0 : 1 };
  }

  /** The policy asked for, or Parallel for peers that find each other before they are Ready and OrderedReady for the rest. */
  private podManagementPolicy(): 'OrderedReady' | 'Parallel' {
    return this.props.podManagementPolicy ?? (this.props.publishNotReadyAddresses ? 'Parallel' : 'OrderedReady');
  }

  /** The Services that take their name from the StatefulSet's: the client Service and the default headless one. */
  private servicesNamedAfterIt(): string[] {
    const p = this.props;
    return [...((p.clientService ?? true) ? [p.name] : []), ...(p.headlessServiceName === undefined ? [`${p.name}-headless`] : [])];
  }

  /**
   * The name names the StatefulSet, a DNS label whose pods' controller-revision-hash label
   * adds 11 characters, and the Services and peer policy named after it: one message for all.
   */
  protected override nameProblem(): string | undefined {
    const name = this.props.name;
    const services = this.servicesNamedAfterIt();
    const ruleProblem = services.length > 0 ? checkDns1035Label(name, 'name') : checkDnsLabel(name, 'name');
    if (ruleProblem === undefined && name.length <= MAX_NAME_LENGTH) return undefined;
    if (ruleProblem === undefined) {
      return `StatefulSet name "${name}" has ${name.length} characters: the pods' controller-revision-hash label adds 11 to it and must stay within 63, so use at most ${MAX_NAME_LENGTH}`;
    }
    const served = services.length > 0 ? `, as the Services named after it (${services.map((s) => `"${s}"`).join(', ')}) need` : '';
    const start = services.length > 0 ? 'a letter' : 'a letter or digit';
    return `StatefulSet name "${name}" is not a valid DNS-${services.length > 0 ? '1035' : '1123'} label${served}: use at most ${MAX_NAME_LENGTH} lower-case letters, digits and '-', starting with ${start} and ending with a letter or digit`;
  }

  private validateStatefulApp(): string[] {
    const p = this.props;
    const problems = errors(
      this.nameProblem(),
      p.headlessServiceName === undefined ? undefined : checkDns1035Label(p.headlessServiceName, 'headlessServiceName'),
      checkNonNegativeInteger(p.replicas, 'replicas'),
      // typed, but a JavaScript project's value reaches the StatefulSet as written
      p.podManagementPolicy === undefined ? undefined : checkOneOf(p.podManagementPolicy, ['OrderedReady', 'Parallel'], 'podManagementPolicy'),
      ...(['whenDeleted', 'whenScaled'] as const).map((k) => (p.claimRetention?.[k] === undefined ? undefined : checkOneOf(p.claimRetention[k], ['Retain', 'Delete'], `claimRetention.${k}`))),
    );
    problems.push(...this.workloadProblems(p));
    if (!p.container.readinessProbe) {
      const ordered = this.podManagementPolicy() === 'OrderedReady' ? 'StatefulSet pods start one after another, each once the previous is Ready, and ' : '';
      problems.push(`container.readinessProbe is missing: ${ordered}the Services route to Ready pods only; add a probe that the app answers when it can serve (for a database, a ping of the server)`);
    }
    // any partition of 0 or more is taken (validateRollingUpdateStatefulSet): one above replicas
    // holds the update for every pod, those a later scale-up adds too
    const partition = p.partition ?? 0;
    if (!Number.isInteger(partition) || partition < 0 || partition > MAX_INT32) {
      problems.push(`partition is ${describeValue(partition)}: use a whole number from 0 (update every pod) to ${MAX_INT32}; at replicas or above, no pod is updated`);
    }
    problems.push(...this.claimProblems());
    if ((p.clientService ?? true) && (p.container.ports ?? []).length === 0) {
      problems.push('the client Service has no ports to expose: declare the container ports clients use, or set clientService false');
    }
    problems.push(...checkDisruptionBudget(p.disruptionBudget));
    if (p.disruptionBudget === false && this.replicas >= 2) {
      problems.push(`disruptionBudget is false but the StatefulSet runs ${this.replicas} replicas: keep a budget (default maxUnavailable 1) so a drain cannot take a quorum down at once`);
    }
    const budget = this.budget();
    if (budget && blocksDrainsUnasked(budget, this.replicas, p.disruptionBudget)) {
      const defaultBudget = explicitBudget(p.disruptionBudget === false ? undefined : p.disruptionBudget) === undefined;
      problems.push(
        this.replicas === 1 && defaultBudget
          ? 'a single instance gets the PodDisruptionBudget maxUnavailable 0, which blocks every node drain until someone moves the pod by hand: accept that with disruptionBudget.allowZeroDisruptions, or set disruptionBudget false to let drains evict the only pod, or run 2+ replicas'
          : `the PodDisruptionBudget ${JSON.stringify(budget)} allows no voluntary disruption at ${this.replicas} replicas, which blocks node drains: loosen it, add replicas, or set disruptionBudget.allowZeroDisruptions`,
      );
    }
    return problems;
  }

  /** A claim mount is what the claim templates are for: claimProblems matches each to a volumeClaims entry. */
  protected override claimMountProblems(): string[] {
    return [];
  }

  private claimProblems(): string[] {
    const claims = this.props.volumeClaims ?? [];
    const claimMounts = (this.props.container.mounts ?? []).filter((m) => m.claim);
    const problems: string[] = [];
    claims.forEach((claim, index) => {
      const mounted = claimMounts.some((m) => m.name === claim.name);
      // a mounted claim's name is its mount's volume name, which checkPodTemplate checks once for both
      problems.push(...errors(mounted ? undefined : checkDnsLabel(claim.name, 'volume claim name')), ...checkClaimRequest(claim.name, claim.size, claim.accessModes));
      if (claims.findIndex((c) => c.name === claim.name) !== index) problems.push(`volume claim ${claim.name} is listed twice: give each claim its own name`);
      if (!mounted) {
        problems.push(`volume claim ${claim.name} is not mounted: every pod would hold storage it never uses; add a mount { name: '${claim.name}', mountPath, claim: true } or drop the claim`);
      }
    });
    for (const mount of claimMounts) {
      if (!claims.some((c) => c.name === mount.name)) {
        problems.push(`mount ${mount.name} at ${mount.mountPath} is a claim, but no volumeClaims entry is named ${mount.name}: add { name: '${mount.name}', size } to volumeClaims`);
      }
    }
    return problems;
  }
}
