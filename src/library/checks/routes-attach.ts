/**
 * An HTTPRoute serves only once a Gateway takes it: the Gateway it names must exist, the
 * listener it names (sectionName) must be one of the Gateway's, and that listener's
 * allowedRoutes must take routes of the route's namespace (unset: the Gateway's own
 * namespace only). Otherwise the Gateway leaves the route out (its status says
 * NoMatchingParent or NotAllowedByListeners) and the host answers 404, with nothing in the
 * apply to show it. So it does where the listener and the route both name hostnames and
 * none meet (HTTPRouteSpec.hostnames: "the HTTPRoute is not accepted"). Where this project makes the Gateways of the namespace a route names,
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

/** The prefix of a wildcard hostname: `*.example.com` is every host under `example.com`, not `example.com` itself. */
const WILDCARD = '*.';

/**
 * Whether two hostnames, a listener's and a route's, have a host in common (HTTPRouteSpec.hostnames):
 * equal names; a name under the other's wildcard; or two wildcards, one under the other.
 */
function hostnamesMeet(a: string, b: string): boolean {
  // the suffix a wildcard matches, with its dot: ".example.com"
  const under = (wildcard: string) => wildcard.slice(WILDCARD.length - 1);
  const wildA = a.startsWith(WILDCARD);
  const wildB = b.startsWith(WILDCARD);
  if (wildA && wildB) return under(a).endsWith(under(b)) || under(b).endsWith(under(a));
  if (wildA) return b.endsWith(under(a));
  if (wildB) return a.endsWith(under(b));
  return a === b;
}

/** Whether a listener serves one of a route's `hostnames`: a listener or a route without hostnames takes any. */
function listenerServes(listener: JsonObject, hostnames: readonly string[]): boolean {
  return typeof listener.hostname !== 'string' || hostnames.length === 0 || hostnames.some((h) => hostnamesMeet(listener.hostname as string, h));
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
function attachProblem(parentRef: JsonObject, route: RouteSide, gatewayNamespace: string, gateways: readonly Gateway[], ownsNamespace: boolean): string | undefined {
  const { namespace: routeNamespace, labels } = route;
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
  const taking = listeners.filter((l) => takers.includes(l));
  if (taking.length > 0) return hostnameProblem(gateway, gatewayNamespace, taking, route.hostnames);
  const which = section === undefined ? `none of its listeners (${listed}) takes` : `its listener "${section}" takes no`;
  // with TLS the plain-HTTP listener only redirects, and the other one serves the routes
  const fix = takers.length > 0 ? `name listener "${String(takers[0].name)}" instead (an AppGateway's servingListener)` : `let the listeners take ${routeNamespace} (an AppGateway's routeNamespaces)`;
  return `attaches to Gateway "${gateway.name}" of namespace ${gatewayNamespace}, but ${which} routes of namespace ${routeNamespace}, so the Gateway leaves the route out: ${fix}`;
}

/**
 * Why none of `listeners` (of `gateway`, each taking the route's namespace) accepts a route
 * of `hostnames`, or undefined where one does.
 */
function hostnameProblem(gateway: Gateway, gatewayNamespace: string, listeners: readonly JsonObject[], hostnames: readonly string[]): string | undefined {
  if (listeners.some((l) => listenerServes(l, hostnames))) return undefined;
  const served = [...new Set(listeners.map((l) => `"${String(l.hostname)}"`))].join(', ');
  const which = listeners.length === 1 ? `its listener "${String(listeners[0].name)}" serves` : 'its listeners serve';
  const theirs = hostnames.map((h) => `"${h}"`).join(', ');
  return `attaches to Gateway "${gateway.name}" of namespace ${gatewayNamespace}, but ${which} ${served}, which none of the route's hostnames (${theirs}) meets, so the Gateway does not accept the route: give the route a hostname the listener serves, or attach it to a Gateway that serves ${theirs}`;
}

/** The route side of an attachment: its namespace, that namespace's labels (undefined where unknown), its hostnames. */
interface RouteSide {
  readonly namespace: string;
  readonly labels: Labels | undefined;
  readonly hostnames: readonly string[];
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
    const spec = (object.spec ?? {}) as JsonObject;
    const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.filter((h): h is string => typeof h === 'string') : [];
    const route: RouteSide = { namespace: routeNamespace, labels: namespaceLabels.get(routeNamespace), hostnames };
    return jsonObjects(spec.parentRefs).flatMap((parentRef) => {
      // a parent that is no Gateway (a Service, for a mesh) is not a listener's to take
      if ((parentRef.kind ?? 'Gateway') !== 'Gateway' || (parentRef.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP) return [];
      const gatewayNamespace = typeof parentRef.namespace === 'string' ? parentRef.namespace : routeNamespace;
      const theirs = gateways.get(gatewayNamespace);
      const problem = theirs === undefined ? undefined : attachProblem(parentRef, route, gatewayNamespace, theirs, namespaceLabels.has(gatewayNamespace));
      return problem === undefined ? [] : [`${workloadPath(path)}: HTTPRoute "${object.metadata?.name ?? ''}" ${problem}`];
    });
  });
}
