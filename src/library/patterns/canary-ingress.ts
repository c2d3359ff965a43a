/**
 * A canary release through ingress-nginx (000 §5.8.3, L622-638): beside the primary
 * Ingress of the stable version, a second Ingress for the same host and paths, annotated
 * `nginx.ingress.kubernetes.io/canary: "true"`, sends some requests to the canary's
 * Service. Which requests:
 * - `canary-by-header`: a request whose header is `always` goes to the canary, `never`
 *   stays on stable; with `canary-by-header-value` only that exact value routes to the
 *   canary, with `canary-by-header-pattern` values matching the regular expression do
 *   (mobile clients mark their build, test/prod/gray, with such a header, 000:L628);
 * - `canary-by-cookie`: a cookie set to `always` / `never`;
 * - `canary-weight`: a share of the remaining requests, out of 100 or of
 *   `canary-weight-total`.
 * The controller decides in that order: header first, then cookie, then weight; a request
 * the header or cookie does not decide falls through to the weight.
 *
 * ingress-nginx applies a canary only beside a primary Ingress that routes the same host
 * and path, and then attaches it to the primary's upstream (its Service and port), not to
 * the path: every path and host routed to that Service gets the canary's share, and an
 * upstream takes one canary (the balancer reads its first alternative backend only;
 * `mergeAlternativeBackend` in its controller, `route_to_alternative_balancer` in
 * balancer.lua). The checks here make each of these mistakes a synth error.
 *
 * Promoting a canary is a release-state change, not code: raise the weight (up to 100)
 * in release/<env>.json while watching it; then make the canary's version and image the
 * `stable` entry and delete the `canary` entry. The next synth rolls the stable
 * Deployment to the new version and removes the canary Deployment, Service and Ingress.
 */
import { Construct, type IConstruct } from 'constructs';
import { DEFAULT_CANARY_WEIGHT_TOTAL } from '../core/defaults';
import { canarySettingName, type CanaryRouting, type CanaryRoutingSettings } from '../core/release';
import { podLabelSets, renderedObjects, selects } from '../core/workloads';
import { AppIngress, HttpPath } from './app-ingress';
import type { AppService } from './app-service';
import { namespaceContextOf } from '../core/namespace-context';
import { checkRegularExpression } from '../core/regular-expression';
import { errors } from '../core/validation';

const ANNOTATION = 'nginx.ingress.kubernetes.io';

/** HTTP header and cookie names are RFC 9110 tokens. */
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** The scale a canary weight is on, as messages name it, when `weight` is off it; undefined when it is on it. */
export function canaryWeightOffScale(weight: number, weightTotal: number | undefined): string | undefined {
  const total = weightTotal ?? DEFAULT_CANARY_WEIGHT_TOTAL;
  if (Number.isInteger(weight) && weight >= 0 && weight <= total) return undefined;
  return weightTotal === undefined ? '0-100 (percent of requests)' : `0-${total} (a share of weightTotal ${total})`;
}

/**
 * Problems with a canary's routing, whatever API carries it, each naming the setting where it
 * was written; `checkPattern` checks a header pattern (named `what`) in the dialect of what
 * routes the traffic. ingress-nginx reads the pattern as PCRE (`ngx.re.match`): one that does
 * not compile sends every request carrying the header to stable, weight and cookie unread.
 */
export function checkCanaryRouting(r: CanaryRoutingSettings, checkPattern: (pattern: string, what: string) => string | undefined = checkRegularExpression): string[] {
  const problems: string[] = [];
  const name = (field: keyof CanaryRouting) => canarySettingName(r, field);
  const scale = r.weight === undefined ? undefined : canaryWeightOffScale(r.weight, r.weightTotal);
  if (r.weightTotal !== undefined && (!Number.isInteger(r.weightTotal) || r.weightTotal < 1)) {
    problems.push(`${name('weightTotal')} is ${r.weightTotal}: use a whole number of 1 or more (weight is a share of it; 100 when unset)`);
  } else if (scale !== undefined) {
    const wrong = Number.isInteger(r.weight) ? `is outside ${scale}` : `is not a whole number on the scale ${scale}`;
    problems.push(`${name('weight')} ${r.weight} ${wrong}: use a whole number in that range${r.weightTotal === undefined ? ', or set weightTotal for a finer scale' : ''}`);
  }
  if (r.weightTotal !== undefined && r.weight === undefined) {
    problems.push(`${name('weightTotal')} ${r.weightTotal} is set without weight: set weight (a share of weightTotal) or drop weightTotal`);
  }
  if (r.header === undefined) {
    if (r.headerValue !== undefined) problems.push(`${name('headerValue')} "${r.headerValue}" is set without header: name the request header it is compared with, e.g. header: 'X-Client-Build'`);
    if (r.headerPattern !== undefined) problems.push(`${name('headerPattern')} "${r.headerPattern}" is set without header: name the request header it is matched against, e.g. header: 'X-Client-Build'`);
  } else if (!TOKEN.test(r.header)) {
    problems.push(`${name('header')} "${r.header}" is not an HTTP header name: use letters, digits and '-', e.g. X-Client-Build`);
  }
  // ingress-nginx's balancer.lua reads an empty canary-by-header-value or -pattern as unset and
  // falls back to always/never; an HTTPRoute header match takes no empty value (HTTPHeaderMatch.value MinLength 1)
  if (r.headerValue === '') {
    problems.push(`${name('headerValue')} is empty, so ingress-nginx routes by always/never instead and an HTTPRoute takes no empty header value: give the value that routes to the canary, or drop headerValue for always/never`);
  }
  if (r.headerPattern === '') {
    problems.push(`${name('headerPattern')} is empty, so ingress-nginx routes by always/never instead and an HTTPRoute would send every value to the canary: give the pattern of the values that route to the canary, or drop headerPattern for always/never`);
  } else if (r.headerPattern !== undefined) {
    problems.push(...errors(checkPattern(r.headerPattern, name('headerPattern'))));
  }
  if (r.headerValue !== undefined && r.headerPattern !== undefined) {
    problems.push(`${canarySettingName(r)} sets both headerValue "${r.headerValue}" and headerPattern "${r.headerPattern}": one of them goes unread (ingress-nginx reads the value, an HTTPRoute the pattern), so keep one of them`);
  }
  if (r.cookie !== undefined && !TOKEN.test(r.cookie)) {
    problems.push(`${name('cookie')} "${r.cookie}" is not a cookie name: use letters, digits, '-' and '_'`);
  }
  if (r.weight === undefined && r.header === undefined && r.cookie === undefined) {
    problems.push(`${canarySettingName(r)} has no routing rule, so no request would reach it: set weight, header or cookie`);
  }
  return problems;
}

/** A Service and the port an Ingress or HTTPRoute routes to (its first), as problems name them. */
function routedPort(service: AppService): string {
  const port = service.ports[0]?.port;
  return port === undefined ? `Service "${service.name}"` : `Service "${service.name}" port ${port}`;
}

/**
 * The problem of a canary Service whose routed port is not the stable one's (`stable` named
 * as `stableRole`), where both have one: a Service without a port is its own problem.
 */
export function checkCanaryPort(canary: AppService, stable: AppService, stableRole: string): string | undefined {
  const canaryPort = canary.ports[0]?.port;
  const stablePort = stable.ports[0]?.port;
  if (canaryPort === undefined || stablePort === undefined || canaryPort === stablePort) return undefined;
  return `canary ${routedPort(canary)} differs from ${stableRole} ${routedPort(stable)}: serve the canary on the same port, so both versions answer the same requests`;
}

/**
 * A canary given a share of requests whose Service has no pods to serve it: the share fails
 * (ingress-nginx and Envoy answer 503). Read from what the namespace renders, so the
 * canary's workload counts however it was made.
 */
export function checkWeightedCanaryHasPods(scope: IConstruct, canary: AppService, routing: CanaryRoutingSettings): string | undefined {
  if ((routing.weight ?? 0) <= 0) return undefined;
  const canaryPods = podLabelSets(renderedObjects(namespaceContextOf(scope))).filter((w) => selects(canary.selector, w.labels));
  if (canaryPods.some((w) => w.replicas > 0)) return undefined;
  const weight = canarySettingName(routing, 'weight');
  return `${weight} ${routing.weight} sends requests to Service "${canary.name}", which has no pods to serve them (${canaryPods.length ? 'its workloads run 0 replicas' : 'it selects no workload'}): run the canary's pods, or set the weight to 0`;
}

/** The ingress-nginx annotations of a canary Ingress. */
export function canaryAnnotations(r: CanaryRouting): Record<string, string> {
  const annotations: Record<string, string> = { [`${ANNOTATION}/canary`]: 'true' };
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) annotations[`${ANNOTATION}/${key}`] = String(value);
  };
  set('canary-by-header', r.header);
  set('canary-by-header-value', r.headerValue);
  set('canary-by-header-pattern', r.headerPattern);
  set('canary-by-cookie', r.cookie);
  set('canary-weight', r.weight);
  set('canary-weight-total', r.weightTotal);
  return annotations;
}

/** A canary beside a primary Ingress: its Service and which requests reach it. */
export interface CanaryIngressProps extends CanaryRoutingSettings {
  /** The stable version's Ingress; the canary takes its host and class. */
  readonly primary: AppIngress;
  /** Service of the canary's pods; it must not select the stable pods. */
  readonly service: AppService;
  /** Name of the canary Ingress. @default - `<primary name>-canary` */
  readonly name?: string;
  /**
   * Paths of the primary the canary Ingress lists. ingress-nginx gives the canary every
   * request to the primary's Service whatever the path, so leaving a path of the primary out
   * is an error. @default - all the primary's paths
   */
  readonly paths?: readonly HttpPath[];
}

const samePath = (a: HttpPath, b: HttpPath) => a.path === b.path && (a.pathType ?? 'Prefix') === (b.pathType ?? 'Prefix');
const describePath = (p: HttpPath) => `"${p.path}" (${p.pathType ?? 'Prefix'})`;

/** An ingress-nginx canary Ingress for the host and paths of a primary Ingress. */
export class CanaryIngress extends Construct {
  /** The canary Ingress (an AppIngress, with its own NetworkPolicy admitting the controller). */
  readonly ingress: AppIngress;
  readonly primary: AppIngress;
  readonly host: string;
  readonly paths: readonly HttpPath[];
  private readonly props: CanaryIngressProps;

  constructor(scope: Construct, id: string, props: CanaryIngressProps) {
    super(scope, id);
    this.props = props;
    this.primary = props.primary;
    this.host = props.primary.host;
    this.paths = props.paths ?? props.primary.paths;
    this.ingress = new AppIngress(this, 'Ingress', {
      name: props.name ?? `${props.primary.name}-canary`,
      className: props.primary.className,
      host: this.host,
      paths: this.paths,
      service: props.service,
      annotations: canaryAnnotations(props),
      // the canary serves the primary's host with the primary's certificate
      tlsSecretName: props.primary.tlsSecretName,
      issueCertificate: false,
    });
    this.node.addValidation({ validate: () => this.validateCanary() });
  }

  private validateCanary(): string[] {
    // the namespace's constructs, walked once for the checks that look beside this canary
    const neighbours = namespaceContextOf(this).node.findAll();
    const canaries = neighbours.filter((c): c is CanaryIngress => c instanceof CanaryIngress);
    return [...checkCanaryRouting(this.props), ...this.checkPrimary(canaries, neighbours), ...this.checkOtherCanaries(canaries), ...this.checkServices()];
  }

  /** Every canary path needs the primary to route it: ingress-nginx ignores a canary without one. */
  private checkPrimary(canaries: readonly CanaryIngress[], neighbours: readonly IConstruct[]): string[] {
    const primary = this.primary;
    const problems: string[] = [];
    if (canaries.some((c) => c.ingress === primary)) {
      problems.push(`the primary Ingress "${primary.name}" is itself a canary: pass the stable version's Ingress as primary`);
    }
    for (const p of this.paths) {
      if (!primary.paths.some((q) => samePath(p, q))) {
        problems.push(
          `canary path ${describePath(p)} on host ${this.host} has no primary: Ingress "${primary.name}" does not route it, and ingress-nginx applies a canary only beside a primary for the same host and path: add the path to the primary or drop it from the canary's paths`,
        );
      }
    }
    return [...problems, ...this.checkUpstreamScope(canaries, neighbours)];
  }

  /**
   * ingress-nginx attaches the canary to the primary Service's upstream: the primary's paths
   * the canary leaves out, and other Ingresses routed to that Service, get its share too.
   */
  private checkUpstreamScope(canaries: readonly CanaryIngress[], neighbours: readonly IConstruct[]): string[] {
    const primary = this.primary;
    const upstream = routedPort(primary.service);
    const why = `ingress-nginx attaches a canary to the upstream of the primary's ${upstream}, not to a path or host`;
    const problems: string[] = [];
    const left = primary.paths.filter((q) => !this.paths.some((p) => samePath(p, q)));
    if (left.length > 0) {
      problems.push(
        left.length === 1
          ? `the canary leaves out ${describePath(left[0])} of Ingress "${primary.name}", which routes it to the same ${upstream}, so it gets the canary's share too: ${why}; list every path of the primary (the default), or route that path through an Ingress and Service of its own`
          : `the canary leaves out ${left.map(describePath).join(', ')} of Ingress "${primary.name}", which routes them to the same ${upstream}, so they get the canary's share too: ${why}; list every path of the primary (the default), or route those paths through an Ingress and Service of their own`,
      );
    }
    const canaryIngresses = new Set(canaries.map((c) => c.ingress));
    const sharing = neighbours.filter((c): c is AppIngress => c instanceof AppIngress && c !== primary && !canaryIngresses.has(c) && c.service === primary.service);
    for (const other of sharing) {
      problems.push(
        `Ingress "${other.name}" (host ${other.host}) routes to the primary's ${upstream} too, so its requests get the canary's share: ${why}; give one of them a Service of its own`,
      );
    }
    return problems;
  }

  /** ingress-nginx uses the first canary of an upstream (the primary's Service and port); a second one is silently ignored. Reported once, by the later canary. */
  private checkOtherCanaries(canaries: readonly CanaryIngress[]): string[] {
    const earlier = canaries.slice(0, canaries.indexOf(this));
    return earlier
      .filter((other) => other.primary.service === this.primary.service)
      .map(
        (other) =>
          `canary Ingresses "${other.ingress.name}" and "${this.ingress.name}" both attach to ${routedPort(this.primary.service)}: ingress-nginx uses only the first canary of a Service's upstream, whatever their hosts and paths, so merge their rules into one CanaryIngress`,
      );
  }

  private checkServices(): string[] {
    const canary = this.props.service;
    const stable = this.primary.service;
    if (canary === stable) {
      return [`the canary and the primary both route to Service "${stable.name}": give the canary a Service that selects only the canary's pods`];
    }
    const problems = errors(checkCanaryPort(canary, stable, "the primary's"), checkWeightedCanaryHasPods(this, canary, this.props));
    const canaryPods = podLabelSets(renderedObjects(namespaceContextOf(this))).filter((w) => selects(canary.selector, w.labels));
    for (const w of canaryPods.filter((w) => selects(stable.selector, w.labels))) {
      problems.push(
        `the stable Service "${stable.name}" also selects the canary's pods (${w.kind} ${w.name}), so the canary gets stable traffic too: add a release track label (release.k8s-iac.dev/track) to both Deployments' selectors and Services`,
      );
    }
    return problems;
  }
}
