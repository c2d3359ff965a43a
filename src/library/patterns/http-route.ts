/**
 * HTTP routes through the Gateway API (`gateway.networking.k8s.io/v1` HTTPRoute), the
 * same intent as AppIngress + CanaryIngress for environments whose traffic runs through
 * a Gateway: the route attaches to the environment's Gateway, sends its paths to the
 * stable Service and, with a canary, splits them by weighted `backendRefs` and sends
 * requests with the canary header to the canary's Service.
 *
 * Gateways rank matches by specificity, not order: a rule that also matches a header wins
 * over the same path without one, so the header decides before the weight, as with
 * ingress-nginx. HTTPRoute has no cookie match; a cookie canary is an error here.
 *
 * Exposing a Service opens the namespace's default-deny for it: a NetworkPolicy admits
 * the Gateway's namespace to the backends' pods on the target port.
 */
import { Construct } from 'constructs';
import * as gw from '../../../imports/gateway.networking.k8s.io';
import { DEFAULT_CANARY_WEIGHT_TOTAL } from '../core/defaults';
import { checkDnsLabel, checkOneOf, checkDnsSubdomain, checkHostname, checkHttpPath, errors } from '../core/validation';
import type { HttpPath } from './app-ingress';
import type { AppService } from './app-service';
import { canarySettingName, type CanaryRouting, type CanaryRoutingSettings } from '../core/release';
import { canaryWeightOffScale, checkCanaryPort, checkCanaryRouting, checkWeightedCanaryHasPods } from './canary-ingress';
import type { Labels } from '../core/labels';
import { namespaceContextOf } from '../core/namespace-context';
import { checkRegularExpressionIn, RegexDialect } from '../core/regular-expression';
import { sharedNetworkPolicy } from './proxy-policy';

/** The Gateway a route attaches to. */
export interface GatewayRef {
  /** Name of the Gateway object. */
  readonly name: string;
  /** Namespace of the Gateway object. */
  readonly namespace: string;
  /**
   * Namespace the Gateway's proxy pods run in, admitted to the route's Services by a
   * NetworkPolicy. Implementations differ: Istio, and Envoy Gateway in its Gateway Namespace
   * Mode, run them beside the Gateway; Envoy Gateway's default mode runs them in its
   * controller's namespace (typically `envoy-gateway-system`).
   * @default - the Gateway's namespace
   */
  readonly proxyNamespace?: string;
  /** Listener of the Gateway to attach to. @default - every listener that accepts the route */
  readonly sectionName?: string;
  /**
   * The dialect the Gateway's implementation reads a canary `headerPattern` in: the Gateway
   * API leaves it to the implementation (Envoy-based gateways read RE2, NGINX-based ones PCRE).
   * @default - both: the pattern must compile as PCRE and as RE2
   */
  readonly headerPatternDialect?: RegexDialect;
}

/** Dialects a header pattern is checked in when the Gateway's is not named: every one a Gateway may read. */
const ANY_GATEWAY_DIALECT: readonly RegexDialect[] = ['PCRE', 'RE2'];

/** Whether `dialect` is one the checks know (a JavaScript caller may pass any string). */
function isRegexDialect(dialect: string): dialect is RegexDialect {
  return (ANY_GATEWAY_DIALECT as readonly string[]).includes(dialect);
}

/** A canary beside the stable Service, and which requests reach it. */
export interface HttpRouteCanary extends CanaryRoutingSettings {
  /** Service of the canary's pods. */
  readonly service: AppService;
}

/** An HTTPRoute of one Service (and a canary) for one host on the environment's Gateway. */
export interface AppHttpRouteProps {
  /** HTTPRoute name. */
  readonly name: string;
  /** The environment's Gateway. */
  readonly gateway: GatewayRef;
  /** Host the route matches. */
  readonly host: string;
  /** At most 8 (one HTTPRoute rule takes at most 8 matches). */
  readonly paths: readonly HttpPath[];
  /** Service of the stable version (its first port). */
  readonly service: AppService;
  /** A canary: weighted backends and/or header matches. @default - all requests to `service` */
  readonly canary?: HttpRouteCanary;
  /**
   * Pods the Gateway is admitted to, in one NetworkPolicy. A blue-green pair passes the app
   * name alone, so the policy does not change when the Service switches colour.
   * @default - one policy per backend Service, selecting that Service's pods
   */
  readonly policySelector?: Labels;
}

/** Matches per HTTPRoute rule, a limit of the CRD. */
const MAX_MATCHES = 8;
/** The longest value of a header match (HTTPHeaderMatch.value MaxLength in the CRD). */
const MAX_HEADER_MATCH_VALUE = 4096;
/** The largest weight of a backendRef (BackendRef.weight Maximum in the CRD). */
const MAX_BACKEND_WEIGHT = 1_000_000;

const PATH_TYPE: Record<NonNullable<HttpPath['pathType']>, gw.HttpRouteSpecRulesMatchesPathType> = {
  Prefix: gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
  Exact: gw.HttpRouteSpecRulesMatchesPathType.EXACT,
};

type HeaderMatch = gw.HttpRouteSpecRulesMatchesHeaders;

/** A Gateway API HTTPRoute, with weighted or header-matched canary backends and the policy admitting the Gateway. */
export class AppHttpRoute extends Construct {
  readonly name: string;
  readonly host: string;
  readonly paths: readonly HttpPath[];
  readonly route: gw.HttpRoute;
  private readonly props: AppHttpRouteProps;

  constructor(scope: Construct, id: string, props: AppHttpRouteProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name;
    this.host = props.host;
    this.paths = props.paths;
    this.route = new gw.HttpRoute(this, 'Resource', {
      metadata: { name: props.name, annotations: namespaceContextOf(this).ownerAnnotations() },
      spec: {
        parentRefs: [{ name: props.gateway.name, namespace: props.gateway.namespace, sectionName: props.gateway.sectionName }],
        hostnames: [props.host],
        rules: this.rules(),
      },
    });
    this.admitGateway();
    this.node.addValidation({ validate: () => this.validateRoute() });
  }

  private backend(service: AppService, weight?: number): gw.HttpRouteSpecRulesBackendRefs {
    return { name: service.name, port: service.ports[0]?.port, weight };
  }

  /** One match per path, each with the given header conditions. */
  private matches(headers?: HeaderMatch[]): gw.HttpRouteSpecRulesMatches[] {
    return this.paths.map((p) => ({ path: { type: PATH_TYPE[p.pathType ?? 'Prefix'], value: p.path }, headers }));
  }

  private rules(): gw.HttpRouteSpecRules[] {
    const { service, canary } = this.props;
    if (!canary) return [{ matches: this.matches(), backendRefs: [this.backend(service)] }];
    const rules: gw.HttpRouteSpecRules[] = [];
    if (canary.header !== undefined) {
      rules.push({ matches: this.matches([canaryHeader(canary.header, canary)]), backendRefs: [this.backend(canary.service)] });
      // ingress-nginx semantics of a bare header: `never` keeps the request off a weighted canary.
      if (canary.headerValue === undefined && canary.headerPattern === undefined && canary.weight !== undefined) {
        rules.push({ matches: this.matches([{ name: canary.header, type: gw.HttpRouteSpecRulesMatchesHeadersType.EXACT, value: 'never' }]), backendRefs: [this.backend(service)] });
      }
    }
    const weights = backendWeights(canary);
    const split = weights === undefined ? [this.backend(service)] : [this.backend(service, weights.stable), this.backend(canary.service, weights.canary)];
    rules.push({ matches: this.matches(), backendRefs: split });
    return rules;
  }

  private admitGateway(): void {
    // one policy per Service name: a canary on the stable Service is reported by the validation, and
    // two Services of one name (one object in the cluster) by the duplicate check, with their paths
    const backends = [...new Map([this.props.service, ...(this.props.canary ? [this.props.canary.service] : [])].map((s) => [s.name, s])).values()];
    const proxies = this.props.gateway.proxyNamespace ?? this.props.gateway.namespace;
    const ingress = (service: AppService) => [{ peers: [{ namespace: proxies }], ports: service.ports.slice(0, 1).map((p) => ({ port: p.name })) }];
    if (this.props.policySelector) {
      sharedNetworkPolicy(this, 'AllowGateway', { name: `allow-gateway-to-${this.props.service.name}`, podSelector: this.props.policySelector, ingress: ingress(this.props.service) });
      return;
    }
    for (const service of backends) {
      sharedNetworkPolicy(this, `AllowGateway-${service.name}`, { name: `allow-gateway-to-${service.name}`, podSelector: service.selector, ingress: ingress(service) });
    }
  }

  /** A canary header pattern in the Gateway's dialect, or in every dialect when it is not named. */
  private checkHeaderPattern(pattern: string, what: string): string | undefined {
    const named = this.props.gateway.headerPatternDialect;
    // a dialect the checks do not know is reported by validateRoute
    if (named !== undefined && !isRegexDialect(named)) return undefined;
    const problem = checkRegularExpressionIn(pattern, what, named === undefined ? ANY_GATEWAY_DIALECT : [named]);
    if (problem === undefined || named !== undefined) return problem;
    return `${problem}; or, where the Gateway's implementation reads one dialect only, name it as the Gateway's headerPatternDialect ('PCRE' or 'RE2': gateway.headerPatternDialect here, routing.traffic.headerPatternDialect of a ReleasedService)`;
  }

  private validateRoute(): string[] {
    const { gateway, service, canary } = this.props;
    const problems = errors(checkDnsSubdomain(this.name, 'HTTPRoute name'), checkDnsSubdomain(gateway.name, 'Gateway name'), checkDnsLabel(gateway.namespace, 'Gateway namespace'));
    if (gateway.proxyNamespace !== undefined) problems.push(...errors(checkDnsLabel(gateway.proxyNamespace, 'Gateway proxyNamespace')));
    problems.push(...errors(checkHostname(this.host, 'HTTPRoute host'), gateway.sectionName === undefined ? undefined : checkDnsSubdomain(gateway.sectionName, 'Gateway sectionName')));
    if (gateway.headerPatternDialect !== undefined) problems.push(...errors(checkOneOf(gateway.headerPatternDialect, ANY_GATEWAY_DIALECT, 'Gateway headerPatternDialect')));
    if (this.paths.length === 0) problems.push('HTTPRoute has no paths: list at least one path');
    if (this.paths.length > MAX_MATCHES) problems.push(`HTTPRoute has ${this.paths.length} paths, but a rule takes at most ${MAX_MATCHES} matches: split the paths over several routes`);
    for (const p of this.paths) {
      problems.push(...errors(p.pathType === undefined ? undefined : checkOneOf(p.pathType, ['Prefix', 'Exact'], `HTTPRoute path "${p.path}" pathType`)));
      problems.push(...checkHttpPath(p.path, 'HTTPRoute path', true));
    }
    problems.push(...errors(service.routingProblem()));
    if (canary) problems.push(...checkCanaryRouting(canary, (pattern, what) => this.checkHeaderPattern(pattern, what)), ...checkRouteCanary(service, canary));
    if (canary && canary.service !== service) problems.push(...errors(checkWeightedCanaryHasPods(this, canary.service, canary)));
    return problems;
  }
}

/**
 * The header value pattern as the route writes it. ingress-nginx's canary-by-header-pattern
 * searches the value (`ngx.re.match`), while Envoy matches a header regex against the whole
 * value, and the Gateway API leaves it to the implementation: `gray` would route `x-gray-1`
 * on one and not on another. Written as `.*(?:pattern).*`, it matches what the search
 * matches under either reading (even `^a|b$`, whose alternation a whole-value match would
 * read otherwise).
 */
export function headerPatternForRoute(pattern: string): string {
  return `.*(?:${pattern}).*`;
}

function canaryHeader(name: string, canary: HttpRouteCanary): HeaderMatch {
  if (canary.headerPattern !== undefined) return { name, type: gw.HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION, value: headerPatternForRoute(canary.headerPattern) };
  return { name, type: gw.HttpRouteSpecRulesMatchesHeadersType.EXACT, value: canary.headerValue ?? 'always' };
}

/** The weights of the stable and canary backends: the weight and what is left of weightTotal; undefined without a weighted split. */
function backendWeights(canary: CanaryRouting): { readonly stable: number; readonly canary: number } | undefined {
  if (canary.weight === undefined) return undefined;
  return { stable: (canary.weightTotal ?? DEFAULT_CANARY_WEIGHT_TOTAL) - canary.weight, canary: canary.weight };
}

/**
 * The canary's header match and weights within the HTTPRoute CRD's limits. A weight off its
 * scale, or a weightTotal that is no whole number, is checkCanaryRouting's to report.
 */
function checkRouteLimits(canary: HttpRouteCanary): string[] {
  const problems: string[] = [];
  if (canary.header !== undefined) {
    const value = canaryHeader(canary.header, canary).value;
    if (value.length > MAX_HEADER_MATCH_VALUE) {
      const what =
        canary.headerPattern === undefined
          ? `${canarySettingName(canary, 'headerValue')} has ${value.length} characters`
          : `${canarySettingName(canary, 'headerPattern')} has ${canary.headerPattern.length} characters, written as a header match of ${value.length}`;
      problems.push(`${what}, over the ${MAX_HEADER_MATCH_VALUE} an HTTPRoute header match takes: shorten it`);
    }
  }
  const total = canary.weightTotal ?? DEFAULT_CANARY_WEIGHT_TOTAL;
  const weights = backendWeights(canary);
  if (weights === undefined || !Number.isInteger(total) || total < 1 || canaryWeightOffScale(weights.canary, canary.weightTotal) !== undefined) return problems;
  for (const [track, weight] of Object.entries(weights)) {
    if (weight > MAX_BACKEND_WEIGHT) {
      problems.push(`${canarySettingName(canary, 'weightTotal')} ${total} gives the ${track} backend weight ${weight}, over the ${MAX_BACKEND_WEIGHT} an HTTPRoute backend weight takes: use a weightTotal of at most ${MAX_BACKEND_WEIGHT}`);
    }
  }
  return problems;
}

function checkRouteCanary(stable: AppService, canary: HttpRouteCanary): string[] {
  const problems = checkRouteLimits(canary);
  if (canary.cookie !== undefined) {
    problems.push(`${canarySettingName(canary, 'cookie')} "${canary.cookie}" cannot be routed: HTTPRoute has no cookie match, so route the canary by header or weight where traffic runs through a Gateway`);
  }
  if (canary.service === stable) {
    problems.push(`the canary and the stable version both route to Service "${stable.name}": give the canary a Service that selects only the canary's pods`);
  } else {
    problems.push(...errors(checkCanaryPort(canary.service, stable, 'the stable')));
  }
  return problems;
}
