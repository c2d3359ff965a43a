/**
 * An HTTPRoute serves only once a Gateway takes it: the Gateway it names must exist, the
 * listener it names (sectionName) must be one of the Gateway's, and that listener's
 * allowedRoutes must take routes of the route's namespace (unset: the Gateway's own
 * namespace only). Otherwise the Gateway leaves the route out (its status says
 * NoMatchingParent or NotAllowedByListeners) and the host answers 404, with nothing in the
 * apply to show it. Where this project makes the Gateways of the namespace a route names,
 * the route is checked against them; a Gateway of a namespace it makes none in is someone
 * else's and is left alone.
 */
import { jsonObjects, JsonObject } from '../core/json-fields';
import type { Labels } from '../core/labels';
import { RenderedObject, renderedNamespaceLabels, selects, workloadPath } from '../core/workloads';

/** The API group of the Gateway API. */
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** A rendered Gateway: its name and listeners. */
interface Gateway {
  readonly name: string;
  readonly listeners: readonly JsonObject[];
}

const isGatewayApi = (object: RenderedObject['object']) => typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${GATEWAY_GROUP}/`);

/** Whether a label selector (matchLabels and matchExpressions) picks `labels`. */
function selectorPicks(selector: JsonObject, labels: Labels): boolean {
  if (!selects((selector.matchLabels ?? {}) as Labels, labels)) return false;
  return jsonObjects(selector.matchExpressions).every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? (e.values as unknown[]) : [];
    const held = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        return held && values.includes(labels[key]);
      case 'NotIn':
        return !held || !values.includes(labels[key]);
      case 'Exists':
        return held;
      case 'DoesNotExist':
        return !held;
      default:
        return true; // an operator the API server refuses is not this check's to report
    }
  });
}

/**
 * Whether a listener may take routes of `routeNamespace` into a Gateway of `gatewayNamespace`:
 * `labels` are the route namespace's, or undefined where the project does not make it (its
 * labels unknown, any selector may pick it).
 */
function listenerTakes(listener: JsonObject, routeNamespace: string, gatewayNamespace: string, labels: Labels | undefined): boolean {
  const namespaces = ((listener.allowedRoutes as JsonObject | undefined)?.namespaces ?? {}) as JsonObject;
  switch (namespaces.from ?? 'Same') {
    case 'All':
      return true;
    case 'Selector':
      return labels === undefined || selectorPicks((namespaces.selector ?? {}) as JsonObject, labels);
    default:
      return routeNamespace === gatewayNamespace;
  }
}

/**
 * Why a route of `routeNamespace` (labelled `labels`, undefined where unknown) cannot attach
 * to `parentRef` among the project's `gateways` of `gatewayNamespace`, or undefined where it can.
 * A Gateway name the project does not make is a problem only in a namespace the project
 * makes (`ownsNamespace`): in another, someone else may make it.
 */
function attachProblem(parentRef: JsonObject, routeNamespace: string, gatewayNamespace: string, gateways: readonly Gateway[], labels: Labels | undefined, ownsNamespace: boolean): string | undefined {
  const named = gateways.map((g) => `"${g.name}"`).join(', ');
  const gateway = gateways.find((g) => g.name === parentRef.name);
  if (!gateway) {
    return ownsNamespace ? `attaches to Gateway "${String(parentRef.name)}" of namespace ${gatewayNamespace}, a namespace this project makes with no such Gateway (it makes ${named} there): name one of those` : undefined;
  }
  const section = typeof parentRef.sectionName === 'string' ? parentRef.sectionName : undefined;
  const listeners = section === undefined ? gateway.listeners : gateway.listeners.filter((l) => l.name === section);
  const listed = gateway.listeners.map((l) => `"${String(l.name)}"`).join(', ');
  if (listeners.length === 0) return `attaches to listener "${section}" of Gateway "${gateway.name}", which has ${listed}: name one of them (an AppGateway's servingListener)`;
  const takers = gateway.listeners.filter((l) => listenerTakes(l, routeNamespace, gatewayNamespace, labels));
  if (listeners.some((l) => takers.includes(l))) return undefined;
  const which = section === undefined ? `none of its listeners (${listed}) takes` : `its listener "${section}" takes no`;
  // with TLS the plain-HTTP listener only redirects, and the other one serves the routes
  const fix = takers.length > 0 ? `name listener "${String(takers[0].name)}" instead (an AppGateway's servingListener)` : `let the listeners take ${routeNamespace} (an AppGateway's routeNamespaces)`;
  return `attaches to Gateway "${gateway.name}" of namespace ${gatewayNamespace}, but ${which} routes of namespace ${routeNamespace}, so the Gateway leaves the route out: ${fix}`;
}

/** The HTTPRoutes among `rendered` that a Gateway this project makes would not take, each named by its construct path. */
export function routesAttach(rendered: readonly RenderedObject[]): string[] {
  const gateways = new Map<string, Gateway[]>();
  for (const { object } of rendered) {
    const { name, namespace } = object.metadata ?? {};
    if (object.kind !== 'Gateway' || !isGatewayApi(object) || name === undefined || namespace === undefined) continue;
    gateways.set(namespace, [...(gateways.get(namespace) ?? []), { name, listeners: jsonObjects((object.spec as JsonObject | undefined)?.listeners) }]);
  }
  if (gateways.size === 0) return [];
  const namespaceLabels = renderedNamespaceLabels(rendered);
  return rendered.flatMap(({ path, object }) => {
    const routeNamespace = object.metadata?.namespace;
    if (object.kind !== 'HTTPRoute' || !isGatewayApi(object) || routeNamespace === undefined) return [];
    const labels = namespaceLabels.get(routeNamespace);
    return jsonObjects((object.spec as JsonObject | undefined)?.parentRefs).flatMap((parentRef) => {
      // a parent that is no Gateway (a Service, for a mesh) is not a listener's to take
      if ((parentRef.kind ?? 'Gateway') !== 'Gateway' || (parentRef.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP) return [];
      const gatewayNamespace = typeof parentRef.namespace === 'string' ? parentRef.namespace : routeNamespace;
      const theirs = gateways.get(gatewayNamespace);
      const problem = theirs === undefined ? undefined : attachProblem(parentRef, routeNamespace, gatewayNamespace, theirs, labels, namespaceLabels.has(gatewayNamespace));
      return problem === undefined ? [] : [`${workloadPath(path)}: HTTPRoute "${object.metadata?.name ?? ''}" ${problem}`];
    });
  });
}
