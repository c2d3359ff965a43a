/**
 * NetworkPolicy with typed allow rules (000 §7.1, 001:L3575-3680). Policies add up and
 * order does not matter; a connection needs the source's egress and the destination's
 * ingress to allow it. An empty pod selector means every pod of the namespace, which is
 * how the default-deny policies are built.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkLabels, checkOneOf, checkPort, checkPortName, cidrContains, describeValue, errors, PORT_PROTOCOLS } from '../core/validation';
import { Labels, NAMESPACE_NAME_LABEL } from '../core/labels';
import { namespaceContextOf } from '../core/namespace-context';

/** Something whose pods a policy can select: a workload construct, or plain labels. */
export interface PodSelectable {
  /** Labels that select exactly this workload's pods. */
  readonly podSelector: Labels;
  /** Namespace the pods run in. */
  readonly namespaceName: string;
}

/** A source (ingress) or destination (egress) of traffic: one of these, never two in one peer (list two peers instead). */
export type Peer =
  /** Pods of the policy's own namespace with these labels. */
  | { readonly pods: Labels }
  /** Pods of a workload construct, in whatever namespace it lives. */
  | { readonly workload: PodSelectable }
  /** Pods (all, or those with `pods` labels) of one namespace, by name. */
  | { readonly namespace: string; readonly pods?: Labels }
  /** Pods (all, or those with `pods` labels) of the namespaces with these labels. */
  | { readonly namespaces: Labels; readonly pods?: Labels }
  /** Addresses outside the cluster's pod network, e.g. hostNetwork pods or a database VLAN. */
  | { readonly cidr: string; readonly except?: readonly string[] };

/** A port (or range) a rule opens. */
export interface PortRange {
  /** Port number (or a named container port). */
  readonly port: number | string;
  /** Last port of a range starting at `port` (needs a numeric port). @default - a single port */
  readonly endPort?: number;
  /** Transport protocol of the port. @default 'TCP' */
  readonly protocol?: (typeof PORT_PROTOCOLS)[number];
}

/** One allow rule: from or to these peers, on these ports. */
export interface NetworkPolicyRule {
  /** Where traffic may come from (ingress) or go to (egress); empty means anywhere. */
  readonly peers: readonly Peer[];
  /** Ports the rule opens; empty means every port. @default [] */
  readonly ports?: readonly PortRange[];
}

/** The pods a policy applies to and the traffic it allows. */
export interface NetworkPolicyProps {
  /** Object name; a DNS-1123 subdomain. */
  readonly name: string;
  /** Pods the policy applies to; `{}` selects every pod in the namespace. */
  readonly podSelector: Labels;
  /** Allowed incoming traffic; set (even to []) to make the policy govern ingress. @default - ingress not governed */
  readonly ingress?: readonly NetworkPolicyRule[];
  /** Allowed outgoing traffic; set (even to []) to make the policy govern egress. @default - egress not governed */
  readonly egress?: readonly NetworkPolicyRule[];
}


/** A NetworkPolicy that starts from its props and grows with allowFrom/allowTo. */
export class NetworkPolicy extends Construct {
  readonly name: string;
  readonly podSelector: Labels;
  private readonly ingressRules: NetworkPolicyRule[] | undefined;
  private readonly egressRules: NetworkPolicyRule[] | undefined;
  /** Rules added for a direction the policy does not govern: reported at synth with the others' problems, not thrown mid-build. */
  private readonly ungovernedRules: string[] = [];
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: NetworkPolicyProps) {
    super(scope, id);
    // a policy selects pods of one namespace: outside a NamespacedApp, say where it goes rather than cdk8s's "cannot find a parent chart"
    namespaceContextOf(this);
    this.name = props.name;
    this.podSelector = props.podSelector;
    this.ingressRules = props.ingress ? [...props.ingress] : undefined;
    this.egressRules = props.egress ? [...props.egress] : undefined;
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        podSelector: renderSelector(props.podSelector),
        // Rendered at synth, so rules added later with allowFrom/allowTo are included.
        policyTypes: Lazy.any({ produce: () => this.policyTypes() }),
        // An empty rule list is written as no field: policyTypes alone denies everything.
        ingress: Lazy.any({ produce: () => nonEmpty(this.ingressRules?.map(renderRule('from'))) }),
        egress: Lazy.any({ produce: () => nonEmpty(this.egressRules?.map(renderRule('to'))) }),
      },
    });
    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  /** Admits traffic from `peer` on `ports` (all ports when none are given). */
  allowFrom(peer: Peer, ...ports: PortRange[]): this {
    return this.addRule(this.ingressRules, 'allowFrom', 'ingress', { peers: [peer], ports });
  }

  /** Lets the selected pods reach `peer` on `ports` (all ports when none are given). */
  allowTo(peer: Peer, ...ports: PortRange[]): this {
    return this.addRule(this.egressRules, 'allowTo', 'egress', { peers: [peer], ports });
  }

  private addRule(rules: NetworkPolicyRule[] | undefined, method: string, direction: 'ingress' | 'egress', rule: NetworkPolicyRule): this {
    if (rules) rules.push(rule);
    else this.ungovernedRules.push(`${method}(${JSON.stringify(rule.peers[0])}) needs a policy that governs ${direction}, and NetworkPolicy "${this.name}" does not: pass ${direction}: [] in its props`);
    return this;
  }

  private policyTypes(): string[] {
    const types: string[] = [];
    if (this.ingressRules) types.push('Ingress');
    if (this.egressRules) types.push('Egress');
    return types;
  }

  /**
   * The policy's problems. A construct that builds a policy wholly from values it checks
   * itself (its name, its pods' labels, its container ports) overrides this.
   */
  protected validatePolicy(): string[] {
    const problems = [...errors(checkDnsSubdomain(this.name, 'NetworkPolicy name')), ...checkLabels(this.podSelector, 'NetworkPolicy podSelector'), ...this.ungovernedRules];
    if (!this.ingressRules && !this.egressRules) {
      problems.push(`NetworkPolicy "${this.name}" governs neither ingress nor egress: pass ingress and/or egress (an empty list denies all)`);
    }
    for (const rule of [...(this.ingressRules ?? []), ...(this.egressRules ?? [])]) {
      problems.push(...rule.peers.flatMap(checkPeer), ...(rule.ports ?? []).flatMap(checkPortRange));
    }
    return problems;
  }
}

/** The props that each say which traffic a peer is, in the order Peer lists them. */
const PEER_SELECTORS = ['pods', 'workload', 'namespace', 'namespaces', 'cidr'] as const;

/** The selectors `pods` may narrow: a namespaceSelector and a podSelector in one peer are the pods of those namespaces. */
const NAMESPACE_SELECTORS: ReadonlySet<string> = new Set(['namespace', 'namespaces']);

/** A peer's props as given: TypeScript lets a literal of one Peer member carry another's, and JavaScript any. */
type PeerFields = Partial<Record<(typeof PEER_SELECTORS)[number] | 'except', unknown>>;

/**
 * A peer is one selector, or pods with namespace or namespaces; renderPeer renders one and
 * would drop the rest without a word. An ipBlock beside a selector is also what the API
 * server refuses (ValidateNetworkPolicyPeer: "may not specify both ipBlock and another peer").
 */
function checkPeerSelectors(peer: Peer): string | undefined {
  const fields = peer as PeerFields;
  const given = PEER_SELECTORS.filter((key) => fields[key] !== undefined);
  const hasExcept = fields.except !== undefined;
  const keys = [...given, ...(hasExcept ? ['except'] : [])];
  const shape = `a peer ${keys.length === 0 ? '{}' : `{ ${keys.join(', ')} }`}`;
  if (given.length === 0 && !hasExcept) {
    return `${shape} gives no selector, and would be rendered as every pod of the namespace: give pods, workload, namespace, namespaces or cidr (pods: {} selects every pod of the namespace on purpose)`;
  }
  if (given.includes('cidr') && given.length > 1) {
    return `${shape} combines an ipBlock with a selector, which the API server refuses (may not specify both ipBlock and another peer): list them as two peers of the rule (traffic matching either is allowed)`;
  }
  if (hasExcept && !given.includes('cidr')) return `${shape} gives except without cidr: except carves ranges out of a cidr; give the cidr, or drop except`;
  const podsOfNamespaces = given.length === 2 && given[0] === 'pods' && NAMESPACE_SELECTORS.has(given[1]);
  if (given.length > 1 && !podsOfNamespaces) {
    return `${shape} gives selectors one peer cannot hold together, and only one would be rendered: keep one (pods may go with namespace or namespaces, for the pods of those namespaces), or list each as a peer of its own`;
  }
  return undefined;
}

function checkPeer(peer: Peer): string[] {
  return [...checkPeerFields(peer), ...errors(checkPeerSelectors(peer))];
}

/** The values of a peer's fields: label keys and values, the namespace's name, the CIDRs. */
function checkPeerFields(peer: Peer): string[] {
  const problems: string[] = [];
  if ('pods' in peer && peer.pods) problems.push(...checkLabels(peer.pods, 'peer pods'));
  if ('namespaces' in peer) problems.push(...checkLabels(peer.namespaces, 'peer namespaces'));
  if ('namespace' in peer) problems.push(...errors(checkDnsLabel(peer.namespace, 'peer namespace')));
  if (!('cidr' in peer)) return problems;
  problems.push(...errors(checkCidr(peer.cidr, 'ipBlock cidr')));
  // one string (from JavaScript) would be read a character at a time
  if (peer.except !== undefined && !Array.isArray(peer.except)) return [...problems, `ipBlock except is ${describeValue(peer.except)}, not a list: give the ranges as a list, e.g. except: ['10.1.0.0/16']`];
  for (const except of peer.except ?? []) {
    const bad = checkCidr(except, 'ipBlock except');
    if (bad) problems.push(bad);
    else if (problems.length === 0 && (except === peer.cidr || !cidrContains(peer.cidr, except))) {
      problems.push(`ipBlock except "${except}" is not strictly inside cidr "${peer.cidr}": list only smaller sub-ranges of the cidr (an except equal to it would block the whole block)`);
    }
  }
  return problems;
}

/** A port number given as text: the API server takes a string port as a port name (IsValidPortName), and a name needs a letter. */
const DIGITS_ONLY = /^[0-9]+$/;

function checkPortNumberOrName(port: number | string): string | undefined {
  if (typeof port === 'number') return checkPort(port, 'NetworkPolicy port');
  if (typeof port === 'string' && DIGITS_ONLY.test(port)) {
    return `NetworkPolicy port "${port}" is a number written as text, which the API server reads as a port name (and a port name needs a letter): give it as a number, port: ${Number(port)}`;
  }
  return checkPortName(port, 'NetworkPolicy port name');
}

function checkPortRange(range: PortRange): string[] {
  const problems: string[] = [];
  problems.push(...errors(checkPortNumberOrName(range.port), range.protocol === undefined ? undefined : checkOneOf(range.protocol, PORT_PROTOCOLS, 'NetworkPolicy port protocol')));
  if (range.endPort !== undefined) {
    // a range from a number written as text is the mistake told above, with its fix
    const numberAsText = typeof range.port === 'string' && DIGITS_ONLY.test(range.port);
    if (typeof range.port !== 'number' && !numberAsText) {
      problems.push(`endPort ${range.endPort} needs a numeric port, not "${range.port}": give the first port of the range as a number`);
    } else if (typeof range.port === 'number' && range.endPort < range.port) {
      problems.push(`endPort ${range.endPort} is below port ${range.port}: the range runs from port up to endPort`);
    }
    problems.push(...errors(checkPort(range.endPort, 'NetworkPolicy endPort')));
  }
  return problems;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

/** `{}` (every pod) stays `{}`, the way people write it. */
function renderSelector(labels: Labels): k8s.LabelSelector {
  return Object.keys(labels).length ? { matchLabels: { ...labels } } : {};
}

function renderPeer(peer: Peer): k8s.NetworkPolicyPeer {
  if ('cidr' in peer) {
    return { ipBlock: { cidr: peer.cidr, except: peer.except?.length ? [...peer.except] : undefined } };
  }
  if ('workload' in peer) {
    return {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.workload.namespaceName } },
      podSelector: { matchLabels: { ...peer.workload.podSelector } },
    };
  }
  if ('namespace' in peer) {
    return {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
      podSelector: peer.pods ? { matchLabels: { ...peer.pods } } : undefined,
    };
  }
  if ('namespaces' in peer) {
    return {
      namespaceSelector: { matchLabels: { ...peer.namespaces } },
      podSelector: peer.pods ? { matchLabels: { ...peer.pods } } : undefined,
    };
  }
  return { podSelector: { matchLabels: { ...peer.pods } } };
}

function renderPort(range: PortRange): k8s.NetworkPolicyPort {
  const port = typeof range.port === 'number' ? k8s.IntOrString.fromNumber(range.port) : k8s.IntOrString.fromString(range.port);
  return { protocol: range.protocol ?? 'TCP', port, endPort: range.endPort };
}

function renderRule(direction: 'from' | 'to') {
  return (rule: NetworkPolicyRule): k8s.NetworkPolicyIngressRule & k8s.NetworkPolicyEgressRule => ({
    [direction]: rule.peers.length ? rule.peers.map(renderPeer) : undefined,
    ports: rule.ports?.length ? rule.ports.map(renderPort) : undefined,
  });
}

/** The kube-dns pods every namespace must still reach once egress is denied. */
export const KUBE_DNS: Peer = { namespace: 'kube-system', pods: { 'k8s-app': 'kube-dns' } };
/** DNS over UDP and TCP: the ports default-deny keeps open to kube-dns. */
export const DNS_PORTS: readonly PortRange[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];
