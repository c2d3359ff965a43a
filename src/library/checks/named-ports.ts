/**
 * A Service's named targetPort and a NetworkPolicy's named port mean "the container port
 * of that name and protocol on the selected pods". If no selected pod declares it, the
 * Service has no endpoints on that port and the policy opens nothing: both are nearly
 * always a typo. The protocol counts too: the endpoints controller takes a pod's port of
 * that name only with the Service port's protocol (FindPort, pkg/api/v1/pod/util.go), and
 * a policy's port matches "traffic on the specified protocol AND port" (NetworkPolicyPort,
 * k8s.io/api networking/v1).
 */
import { jsonObjects, JsonObject, portProtocol, templatePorts } from '../core/json-fields';
import type { Labels } from '../core/labels';
import { checkPortName, theyDeclarePorts } from '../core/validation';
import { RenderedObject, WorkloadFootprint, podTemplate, selects, workloadPath } from '../core/workloads';
import { sameNamespacePeers } from './selectors-match-pods';

type Json = JsonObject;

/** The protocol of a container, Service or NetworkPolicy port that names none. */
/** A named port the selected pods lack: by name, or over the protocol given (they have it over `protocols`). */
type Mismatch = { readonly undeclared: true } | { readonly undeclared: false; readonly protocols: readonly string[] };

/** Protocols as a message lists them: TCP and UDP. */
function over(protocols: readonly string[]): string {
  return protocols.join(' and ');
}

/** Protocols as the values to set: 'TCP' or 'UDP'. */
function quoted(protocols: readonly string[]): string {
  return protocols.map((p) => `'${p}'`).join(' or ');
}

/** The container ports of every workload by name, each with its protocol (a pod's port names are unique), by workload. */
function declaredPorts(rendered: readonly RenderedObject[]): Map<string, Map<string, string>> {
  const ports = new Map<string, Map<string, string>>();
  for (const { object } of rendered) {
    const template = podTemplate(object);
    if (!template) continue;
    // a Pod is its own template
    const named = templatePorts(template).filter((p) => typeof p.name === 'string');
    ports.set(`${object.kind}/${object.metadata?.name}`, new Map(named.map((p) => [p.name as string, portProtocol(p)])));
  }
  return ports;
}

/**
 * Named ports no selected pod declares, or declares only over another protocol, for
 * Services (targetPort) and NetworkPolicies (ports), each named by the object's construct
 * path. A name no port can have, in an object whose construct (`refused` holds its path)
 * refused it already, is not reported again as undeclared.
 */
export function namedPortsDeclared(rendered: readonly RenderedObject[], workloads: readonly WorkloadFootprint[], refused: ReadonlySet<string> = new Set()): string[] {
  const declared = declaredPorts(rendered);
  const podsOf = (selector: Labels) => workloads.filter((w) => selects(selector, w.podLabels));
  const portsOf = (pods: readonly WorkloadFootprint[]) => pods.flatMap((w) => [...(declared.get(`${w.kind}/${w.name}`) ?? [])]);
  const namesOf = (pods: readonly WorkloadFootprint[]) => portsOf(pods).map(([name]) => name);
  /** What is wrong with port `port` over `protocol` on the pods `selectors` pick (a selector picking none is another check's problem). */
  const mismatch = (selectors: readonly Labels[], port: string, protocol: string): Mismatch | undefined => {
    const podsPerSelector = selectors.map(podsOf);
    if (podsPerSelector.some((pods) => pods.length === 0)) return undefined;
    const pods = podsPerSelector.flat();
    const protocols = new Set(portsOf(pods).flatMap(([name, p]) => (name === port ? [p] : [])));
    if (protocols.size === 0) return { undeclared: true };
    return protocols.has(protocol) ? undefined : { undeclared: false, protocols: [...protocols].sort() };
  };
  /** The port names the pods selected by `selectors` declare, as a message lists them: a typo is then seen beside its fix. */
  const theyDeclare = (...selectors: Labels[]) => theyDeclarePorts(selectors.flatMap((selector) => namesOf(podsOf(selector))));
  const problems: string[] = [];
  for (const { path, object } of rendered) {
    const spec = (object.spec ?? {}) as Json;
    const name = object.metadata?.name ?? '';
    const judged = (port: unknown): port is string => typeof port === 'string' && !(refused.has(workloadPath(path)) && checkPortName(port, '') !== undefined);
    if (object.kind === 'Service' && typeof spec.selector === 'object' && spec.selector !== null) {
      const selector = spec.selector as Labels;
      for (const port of jsonObjects(spec.ports)) {
        const target = port.targetPort;
        if (!judged(target)) continue;
        const wrong = mismatch([selector], target, portProtocol(port));
        if (wrong?.undeclared) problems.push(`${path}: Service "${name}" targets port "${target}", which no pod it selects declares (${theyDeclare(selector)}): target one of theirs, or name the container port "${target}"`);
        else if (wrong) problems.push(`${path}: Service "${name}" targets port "${target}" over ${portProtocol(port)}, but the pods it selects declare "${target}" over ${over(wrong.protocols)} only, so it has no endpoints there: give the Service port protocol ${quoted(wrong.protocols)}`);
      }
    }
    if (object.kind === 'NetworkPolicy') {
      const selector = ((spec.podSelector as Json | undefined)?.matchLabels ?? {}) as Labels;
      if (Object.keys(selector).length === 0) continue;
      for (const rule of jsonObjects(spec.ingress)) {
        for (const port of jsonObjects(rule.ports)) {
          if (!judged(port.port)) continue;
          const wrong = mismatch([selector], port.port, portProtocol(port));
          if (wrong?.undeclared) problems.push(`${path}: NetworkPolicy "${name}" opens port "${port.port}", which no pod it selects declares (${theyDeclare(selector)}): open one of theirs, or use a port number`);
          else if (wrong) problems.push(`${path}: NetworkPolicy "${name}" opens port "${port.port}" over ${portProtocol(port)}, but the pods it selects declare "${port.port}" over ${over(wrong.protocols)} only, and a rule matches its protocol and port together, so it opens nothing: set protocol ${quoted(wrong.protocols)}`);
        }
      }
      // an egress rule's named port is the destination's: checkable where every destination is a pod of this namespace
      for (const rule of jsonObjects(spec.egress)) {
        const peers = sameNamespacePeers(rule, 'egress', object.metadata?.namespace);
        if (peers.length === 0 || peers.length !== jsonObjects(rule.to).length) continue;
        for (const port of jsonObjects(rule.ports)) {
          if (!judged(port.port)) continue;
          const wrong = mismatch(peers, port.port, portProtocol(port));
          if (wrong?.undeclared) problems.push(`${path}: NetworkPolicy "${name}" allows egress to port "${port.port}", which none of the pods it sends to declares (${theyDeclare(...peers)}): use one of theirs, or a port number`);
          else if (wrong) problems.push(`${path}: NetworkPolicy "${name}" allows egress to port "${port.port}" over ${portProtocol(port)}, but the pods it sends to declare "${port.port}" over ${over(wrong.protocols)} only, and a rule matches its protocol and port together, so it allows nothing: set protocol ${quoted(wrong.protocols)}`);
        }
      }
    }
  }
  return problems;
}
