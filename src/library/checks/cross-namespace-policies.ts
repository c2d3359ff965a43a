/**
 * A connection between two namespaces needs both ends to allow it: the source's egress and
 * the destination's ingress (001:L3575-3680). A policy that lets pods reach a workload of
 * another default-deny namespace (`allowTo({ workload })`), or admits pods of another
 * namespace that denies their egress (`allowFrom({ workload })`), does nothing on its own,
 * and the cluster says nothing either: the connection just times out. Each such rule is
 * checked against the other namespace's policies, for the namespaces this synth renders.
 *
 * Where a selector cannot be read by labels alone (matchExpressions), or ports are written
 * as a name on one side and a number on the other, the rule is taken as matching: the check
 * reports only what it can show. Where both ends have rules for a pair of workloads but
 * their ports or protocols do not meet, that is one problem for the pair, naming both.
 */
import { jsonObjects, JsonObject, portProtocol, templatePorts } from '../core/json-fields';
import { type Labels, NAMESPACE_NAME_LABEL } from '../core/labels';
import { podTemplate, RenderedObject, renderedNamespaceLabels, selects } from '../core/workloads';
import { namedNamespacePeer, policyPeers } from './selectors-match-pods';

type Json = JsonObject;
type Direction = 'ingress' | 'egress';

/** The labels a selector asks for, or undefined when it has matchExpressions (not readable by labels alone). */
function matchLabels(selector: unknown): Labels | undefined {
  const s = (selector ?? {}) as Json;
  if (jsonObjects(s.matchExpressions).length > 0) return undefined;
  return (s.matchLabels ?? {}) as Labels;
}

/**
 * One workload's pods: where they run, their labels and their named container ports. Pods
 * no rendered workload makes (a Gateway's proxies, which its controller runs) have unknown
 * labels: a policy whose selector is not empty may or may not select them.
 */
interface Pods {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly labels?: Labels;
  /** Container port numbers by name: a named port in a policy means the destination pods' port of that name. */
  readonly ports: ReadonlyMap<string, number>;
  /** Every container port, as a message lists them (`http 8080/TCP`). */
  readonly declared: readonly string[];
}

/** The container ports of a pod template as a message lists them: name (where it has one), number and protocol. */
function declaredPorts(template: Json): string[] {
  return templatePorts(template).flatMap((p) => (typeof p.containerPort === 'number' ? [`${typeof p.name === 'string' ? `${p.name} ` : ''}${p.containerPort}/${portProtocol(p)}`] : []));
}

/** The protocol of a container or policy port that names none. */
/** The named container ports of a pod template. */
function namedPorts(template: Json): Map<string, number> {
  return new Map(templatePorts(template).flatMap((p) => (typeof p.name === 'string' && typeof p.containerPort === 'number' ? [[p.name, p.containerPort] as const] : [])));
}

/** A NetworkPolicy, read for what this check needs. */
interface Policy {
  readonly path: string;
  readonly name: string;
  readonly namespace: string;
  /** Its spec; {} where the object has none. */
  readonly spec: Json;
  readonly types: readonly Direction[];
}

/** The directions a policy governs: its policyTypes, or as the API server defaults them (Ingress, and Egress where it has egress rules). */
function policyTypes(spec: Json): Direction[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.flatMap((t) => (t === 'Ingress' ? ['ingress' as const] : t === 'Egress' ? ['egress' as const] : []));
  return ['ingress', ...(spec.egress === undefined ? [] : ['egress' as const])];
}

/** Whether `policy` may select `pods`: unknown selectors, and pods of unknown labels, are taken as selected. */
function selectsPods(policy: Policy, pods: Pods): boolean {
  const selector = matchLabels(policy.spec.podSelector);
  return policy.namespace === pods.namespace && (selector === undefined || pods.labels === undefined || selects(selector, pods.labels));
}

/** Whether `policy` surely selects `pods`: for pods of unknown labels, only a policy over every pod of the namespace does. */
function surelySelects(policy: Policy, pods: Pods): boolean {
  if (pods.labels !== undefined) return selectsPods(policy, pods);
  const selector = matchLabels(policy.spec.podSelector);
  return policy.namespace === pods.namespace && selector !== undefined && Object.keys(selector).length === 0;
}

/** Whether a rule's peer takes in `pods` (from another namespace than the policy's). */
function peerTakes(peer: Json, pods: Pods, namespaceLabels: ReadonlyMap<string, Labels>): boolean {
  if (peer.namespaceSelector === undefined) return false; // a peer without a namespaceSelector is of the policy's own namespace
  const namespaces = matchLabels(peer.namespaceSelector);
  const labels = namespaceLabels.get(pods.namespace) ?? { [NAMESPACE_NAME_LABEL]: pods.namespace };
  if (namespaces !== undefined && !selects(namespaces, labels)) return false;
  if (peer.podSelector === undefined) return true;
  const podSelector = matchLabels(peer.podSelector);
  return podSelector === undefined || pods.labels === undefined || selects(podSelector, pods.labels);
}

/** A port as a rule opens it: a number (with an end) or a name. */
interface OpenedPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol: string;
}

function openedPorts(rule: Json): OpenedPort[] {
  return jsonObjects(rule.ports).map((p) => ({
    port: typeof p.port === 'number' || typeof p.port === 'string' ? p.port : undefined,
    endPort: typeof p.endPort === 'number' ? p.endPort : undefined,
    protocol: portProtocol(p),
  }));
}

/**
 * Whether an opened port (or range) meets `wanted` (a port or range the other end's rule
 * names) in at least one port, names read as the destination's container ports; a name the
 * destination does not declare is taken as meeting it (that typo is the named-port check's
 * to report).
 */
function covers(opened: OpenedPort, wanted: OpenedPort, destination: Pods): boolean {
  if (opened.protocol !== wanted.protocol) return false;
  if (opened.port === undefined || wanted.port === undefined) return true;
  if (typeof opened.port === 'string' && typeof wanted.port === 'string' && opened.port === wanted.port) return true;
  const range = (p: OpenedPort): readonly [number, number] | undefined => {
    const first = typeof p.port === 'number' ? p.port : p.port === undefined ? undefined : destination.ports.get(p.port);
    return first === undefined ? undefined : [first, typeof p.port === 'number' ? (p.endPort ?? first) : first];
  };
  const a = range(opened);
  const b = range(wanted);
  return a === undefined || b === undefined || (a[0] <= b[1] && b[0] <= a[1]);
}

/** A rule of a policy, with the policy's name. */
interface NamedRule {
  readonly policy: string;
  readonly rule: Json;
}

/** The rules of `direction` in `policies` that select `local` and take in `remote`, on whatever ports. */
function rulesFor(policies: readonly Policy[], direction: Direction, local: Pods, remote: Pods, namespaceLabels: ReadonlyMap<string, Labels>): NamedRule[] {
  return policies
    .filter((p) => p.types.includes(direction) && selectsPods(p, local))
    .flatMap((p) => jsonObjects(p.spec[direction]).map((rule) => ({ policy: p.name, rule })))
    .filter(({ rule }) => {
      const peers = jsonObjects(rule[direction === 'ingress' ? 'from' : 'to']);
      return peers.length === 0 || peers.some((peer) => peerTakes(peer, remote, namespaceLabels));
    });
}

/** Whether some rule of `direction` in `policies` that selects `local` takes in `remote` on every port of `wanted` (all ports where empty). */
function allowed(policies: readonly Policy[], direction: Direction, local: Pods, remote: Pods, wanted: readonly OpenedPort[], namespaceLabels: ReadonlyMap<string, Labels>): boolean {
  const destination = direction === 'ingress' ? local : remote;
  const rules = rulesFor(policies, direction, local, remote, namespaceLabels).map(({ rule }) => rule);
  if (wanted.length === 0) return rules.length > 0;
  return wanted.every((port) => rules.some((rule) => openedPorts(rule).length === 0 || openedPorts(rule).some((opened) => covers(opened, port, destination))));
}

/** Whether `pods` are isolated for `direction`: a policy of their namespace that governs it surely selects them. */
function isolated(policies: readonly Policy[], direction: Direction, pods: Pods): Policy | undefined {
  return policies.find((p) => p.types.includes(direction) && surelySelects(p, pods));
}

/** A lookup of `items` by their namespace. */
function byNamespace<T extends { readonly namespace: string }>(items: readonly T[]): (namespace: string) => readonly T[] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.namespace);
    if (list) list.push(item);
    else map.set(item.namespace, [item]);
  }
  return (namespace) => map.get(namespace) ?? [];
}

const OTHER: Readonly<Record<Direction, Direction>> = { ingress: 'egress', egress: 'ingress' };

/** What else a namespace of controller-made pods needs: its default-deny cuts them off both ways. */
const CONTROLLER_PODS_FIX = `; a namespace whose pods a controller makes (a Gateway's proxies) is cut off both ways by its default-deny, clients included: give its NamespacedApp defaultDeny: false, or run those pods elsewhere (a route's proxyNamespace)`;

/**
 * The pods of namespace `other` a peer takes in: the rendered workloads its selector picks;
 * where it takes the whole namespace and no workload is rendered there, the pods a controller
 * runs there (a Gateway's proxies), whose labels are unknown.
 */
function remotePods(rendered: readonly Pods[], other: string, peer: Json, podSelector: Labels): readonly Pods[] {
  const picked = rendered.filter((p) => p.labels === undefined || selects(podSelector, p.labels));
  if (picked.length > 0 || rendered.length > 0 || peer.podSelector !== undefined) return picked;
  return [{ namespace: other, kind: 'Pod', name: '', ports: new Map(), declared: [] }];
}

/** Pods as messages name them: a workload's kind and name, or, where a controller makes them, the namespace's pods. */
function describePods(pods: Pods): string {
  return pods.labels === undefined ? 'the pods' : `${pods.kind} ${pods.name}`;
}

function describePorts(ports: readonly OpenedPort[], withProtocol = false): string {
  const one = (p: OpenedPort) => `${p.port ?? 'any'}${p.endPort === undefined ? '' : `-${p.endPort}`}${withProtocol ? `/${p.protocol}` : ''}`;
  return ports.length === 0 ? 'any port' : `port ${ports.map(one).join(', ')}`;
}

/** Pods as the key of a pair: the same for the rule at either end. */
function podsKey(pods: Pods): string {
  return `${pods.namespace}/${pods.kind}/${pods.name}`;
}

/**
 * The problem of a pair both ends have rules for, whose ports or protocols do not meet:
 * `ours` are the ports the policy at `path` opens, `theirs` the other end's rules for the
 * pair. Adding a rule would not be the fix: one of the two is written wrong.
 */
function mismatchProblem(policy: Policy, direction: Direction, local: Pods, remote: Pods, ours: readonly OpenedPort[], theirs: readonly NamedRule[]): string {
  const other = remote.namespace;
  const destination = direction === 'egress' ? remote : local;
  const verb = direction === 'egress' ? `lets ${describePods(local)} reach ${describePods(remote)} of namespace ${other}` : `admits ${describePods(remote)} of namespace ${other}`;
  const names = [...new Set(theirs.map((r) => r.policy))].map((n) => `"${n}"`).join(', ');
  const theyDo = direction === 'egress' ? 'admits that connection' : 'lets that connection out';
  const theirPorts = describePorts(theirs.flatMap(({ rule }) => openedPorts(rule)), true);
  const declared = destination.labels === undefined ? '' : ` (${describePods(destination)} declares ${destination.declared.length === 0 ? 'no ports' : destination.declared.join(', ')})`;
  return `${policy.path}: NetworkPolicy "${policy.name}" ${verb} on ${describePorts(ours, true)}, but ${other}'s ${theirs.length > 1 ? 'policies' : 'policy'} ${names} ${theyDo} only on ${theirPorts}, so the connection is dropped: give both rules the port and protocol the connection uses${declared}`;
}

/** The method of the other end's policy that would allow the connection, for the fix. */
function fixFor(direction: Direction, local: Pods, remote: Pods, ports: readonly OpenedPort[]): string {
  const method = direction === 'egress' ? 'allowFrom' : 'allowTo';
  const portArgs = ports.map((p) => `{ port: ${JSON.stringify(p.port)}${p.endPort === undefined ? '' : `, endPort: ${p.endPort}`} }`).join(', ');
  // pods no workload makes have no labels to select them by here: a selector would match no workload
  const policy = remote.labels === undefined ? 'on a policy of that namespace over all its pods (podSelector: {})' : 'on a policy of that namespace selecting them';
  return `${method}({ workload: <${local.kind} ${local.name} of ${local.namespace}> }${portArgs ? `, ${portArgs}` : ''}) ${policy}`;
}

/**
 * Whether a rule in `direction` of a policy of `policies` selecting `remote` names namespace
 * `target` alone with pods none of its workloads has: the rule meant for `target`'s pods,
 * its labels mistyped, which otherNamespacePeersMatchPods reports (and only where it does).
 */
function unmatchedPeerTo(policies: readonly Policy[], direction: Direction, remote: Pods, target: string, targetPods: readonly Pods[]): boolean {
  const known = targetPods.filter((p) => p.labels !== undefined);
  if (known.length === 0) return false;
  return policies.some(
    (policy) =>
      policy.types.includes(direction) &&
      selectsPods(policy, remote) &&
      policyPeers(policy.spec, direction).some((peer) => {
        const named = namedNamespacePeer(peer);
        return named !== undefined && named.namespace === target && !known.some((p) => selects(named.pods, p.labels ?? {}));
      }),
  );
}

/**
 * The rules of the policies among `rendered` that let pods reach, or admit pods of, another
 * namespace of `namespaces` (the namespaces this synth renders) whose own policies block
 * the other end, each named by the policy's construct path.
 */
export function crossNamespacePolicies(rendered: readonly RenderedObject[], namespaces: ReadonlySet<string>): string[] {
  const policies: Policy[] = rendered
    .filter((r) => r.object.kind === 'NetworkPolicy' && namespaces.has(r.object.metadata?.namespace ?? ''))
    .map((r) => {
      const spec = (r.object.spec ?? {}) as Json;
      return { path: r.path, name: r.object.metadata?.name ?? '', namespace: r.object.metadata?.namespace ?? '', spec, types: policyTypes(spec) };
    });
  const crossing = (rule: Json, direction: Direction, namespace: string) =>
    jsonObjects(rule[direction === 'ingress' ? 'from' : 'to']).flatMap((peer) => {
      const named = matchLabels(peer.namespaceSelector)?.[NAMESPACE_NAME_LABEL];
      return named !== undefined && named !== namespace && namespaces.has(named) ? [{ peer, other: named }] : [];
    });
  if (!policies.some((p) => p.types.some((d) => jsonObjects(p.spec[d]).some((rule) => crossing(rule, d, p.namespace).length > 0)))) return [];

  const pods: Pods[] = rendered.flatMap(({ object }) => {
    const template = podTemplate(object);
    const namespace = object.metadata?.namespace;
    if (!template || namespace === undefined || !namespaces.has(namespace)) return [];
    const labels = ((template.metadata as Json | undefined)?.labels ?? {}) as Labels;
    return [{ namespace, kind: object.kind ?? '', name: object.metadata?.name ?? '', labels, ports: namedPorts(template), declared: declaredPorts(template) }];
  });
  const of = byNamespace(policies);
  const podsIn = byNamespace(pods);
  const namespaceLabels = renderedNamespaceLabels(rendered);

  const problems: string[] = [];
  // the pairs whose ports or protocols at the two ends do not meet, told once from whichever end comes first
  const mismatched = new Set<string>();
  for (const policy of policies) {
    const selector = matchLabels(policy.spec.podSelector);
    const locals = selector === undefined ? [] : podsIn(policy.namespace).filter((p) => selectsPods(policy, p));
    for (const direction of policy.types) {
      for (const rule of jsonObjects(policy.spec[direction])) {
        const ports = openedPorts(rule);
        for (const { peer, other } of crossing(rule, direction, policy.namespace)) {
          const podSelector = peer.podSelector === undefined ? {} : matchLabels(peer.podSelector);
          if (podSelector === undefined) continue;
          for (const remote of remotePods(podsIn(other), other, peer, podSelector)) {
            const blocking = isolated(of(other), OTHER[direction], remote);
            if (!blocking) continue;
            // every workload of the policy the other end drops, in one problem: fixing one would only show the next
            const dropped = locals.filter((l) => !allowed(of(other), OTHER[direction], remote, l, ports, namespaceLabels));
            const blocked: Pods[] = [];
            for (const local of dropped) {
              const theirs = rulesFor(of(other), OTHER[direction], remote, local, namespaceLabels);
              if (theirs.length === 0) {
                blocked.push(local);
                continue;
              }
              const pair = direction === 'egress' ? `${podsKey(local)}>${podsKey(remote)}` : `${podsKey(remote)}>${podsKey(local)}`;
              if (!mismatched.has(pair)) problems.push(mismatchProblem(policy, direction, local, remote, ports, theirs));
              mismatched.add(pair);
            }
            // the other end's rule for this namespace is there, with pods no workload has: otherNamespacePeersMatchPods names that mistake, and adding a rule would not be the fix
            if (blocked.length === 0 || unmatchedPeerTo(of(other), OTHER[direction], remote, policy.namespace, podsIn(policy.namespace))) continue;
            const verb = direction === 'egress' ? `lets ${blocked.map(describePods).join(', ')} reach ${describePods(remote)} of namespace ${other}` : `admits ${describePods(remote)} of namespace ${other}`;
            const theirs = direction === 'egress' ? 'ingress' : 'egress';
            const fixes = blocked.map((local) => fixFor(direction, local, remote, ports)).join(', and ');
            problems.push(
              `${policy.path}: NetworkPolicy "${policy.name}" ${verb} on ${describePorts(ports)}, but ${other}'s policy "${blocking.name}" isolates ${describePods(remote)} for ${theirs} and none of ${other}'s policies allows that ${theirs}, so the connection is dropped: add ${fixes}${remote.labels === undefined ? CONTROLLER_PODS_FIX : ''}`,
            );
          }
        }
      }
    }
  }
  return problems;
}
