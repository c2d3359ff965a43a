/**
 * A Service's named targetPort and a NetworkPolicy's named port mean "the container port
 * of that name on the selected pods". If no selected pod declares it, the Service has no
 * endpoints on that port and the policy opens nothing: both are nearly always a typo.
 */
import { jsonObjects, JsonObject, templatePorts } from '../core/json-fields';
import type { Labels } from '../core/labels';
import { RenderedObject, WorkloadFootprint, podTemplate, selects } from '../core/workloads';
import { sameNamespacePeers } from './selectors-match-pods';

type Json = JsonObject;

/** The container port names of every workload, by workload. */
function declaredPortNames(rendered: readonly RenderedObject[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const { object } of rendered) {
    const template = podTemplate(object);
    if (!template) continue;
    // a Pod is its own template
    const ports = templatePorts(template).map((p) => p.name);
    names.set(`${object.kind}/${object.metadata?.name}`, new Set(ports.filter((n): n is string => typeof n === 'string')));
  }
  return names;
}

/** Named ports no selected pod declares, for Services (targetPort) and NetworkPolicies (ports), each named by the object's construct path. */
export function namedPortsDeclared(rendered: readonly RenderedObject[], workloads: readonly WorkloadFootprint[]): string[] {
  const declared = declaredPortNames(rendered);
  const podsOf = (selector: Labels) => workloads.filter((w) => selects(selector, w.podLabels));
  const namesOf = (pods: readonly WorkloadFootprint[]) => pods.flatMap((w) => [...(declared.get(`${w.kind}/${w.name}`) ?? [])]);
  const missing = (selector: Labels, port: string) => {
    const pods = podsOf(selector);
    return pods.length > 0 && !namesOf(pods).includes(port);
  };
  /** The port names the pods selected by `selectors` declare, as a message lists them: a typo is then seen beside its fix. */
  const theyDeclare = (...selectors: Labels[]) => {
    const names = [...new Set(selectors.flatMap((selector) => namesOf(podsOf(selector))))].sort();
    return names.length === 0 ? 'they declare no named ports' : `they declare ${names.map((n) => `"${n}"`).join(', ')}`;
  };
  const problems: string[] = [];
  for (const { path, object } of rendered) {
    const spec = (object.spec ?? {}) as Json;
    const name = object.metadata?.name ?? '';
    if (object.kind === 'Service' && typeof spec.selector === 'object' && spec.selector !== null) {
      for (const port of jsonObjects(spec.ports)) {
        if (typeof port.targetPort === 'string' && missing(spec.selector as Labels, port.targetPort)) {
          problems.push(`${path}: Service "${name}" targets port "${port.targetPort}", which no pod it selects declares (${theyDeclare(spec.selector as Labels)}): target one of theirs, or name the container port "${port.targetPort}"`);
        }
      }
    }
    if (object.kind === 'NetworkPolicy') {
      const selector = ((spec.podSelector as Json | undefined)?.matchLabels ?? {}) as Labels;
      if (Object.keys(selector).length === 0) continue;
      for (const rule of jsonObjects(spec.ingress)) {
        for (const port of jsonObjects(rule.ports)) {
          if (typeof port.port === 'string' && missing(selector, port.port)) {
            problems.push(`${path}: NetworkPolicy "${name}" opens port "${port.port}", which no pod it selects declares (${theyDeclare(selector)}): open one of theirs, or use a port number`);
          }
        }
      }
      // an egress rule's named port is the destination's: checkable where every destination is a pod of this namespace
      for (const rule of jsonObjects(spec.egress)) {
        const peers = sameNamespacePeers(rule, 'egress', object.metadata?.namespace);
        if (peers.length === 0 || peers.length !== jsonObjects(rule.to).length) continue;
        for (const port of jsonObjects(rule.ports)) {
          if (typeof port.port === 'string' && peers.every((peer) => missing(peer, port.port as string))) {
            problems.push(`${path}: NetworkPolicy "${name}" allows egress to port "${port.port}", which none of the pods it sends to declares (${theyDeclare(...peers)}): use one of theirs, or a port number`);
          }
        }
      }
    }
  }
  return problems;
}
