/**
 * An environment's Gateway (Gateway API `gateway.networking.k8s.io/v1`), with TLS at the
 * edge (004: TLS termination at the gateway, L700-810): where the environment names a
 * cert-manager ClusterIssuer, an `https` listener terminates TLS with the host's
 * certificate (cert-manager's Gateway support issues it into the Secret the listener
 * names, from the `cert-manager.io/cluster-issuer` annotation), and the `http` listener
 * only redirects to HTTPS. Without an issuer the `http` listener serves the routes.
 *
 * The app's HTTPRoutes attach to the listener that serves (`servingListener`): name it in
 * the environment's traffic (`sectionName`). Only the namespaces listed may attach routes.
 */
import { Construct } from 'constructs';
import * as gw from '../../../imports/gateway.networking.k8s.io';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, DNS_SUBDOMAIN_MAX_LENGTH, errors } from '../core/validation';
import { CLUSTER_ISSUER_ANNOTATION } from './app-ingress';

/** The listener of plain HTTP: serves, or only redirects once TLS is on. */
export const GATEWAY_HTTP_LISTENER = 'http';
/** The listener that terminates TLS. */
export const GATEWAY_HTTPS_LISTENER = 'https';
const HTTP_PORT = 80;
const HTTPS_PORT = 443;
/** The redirect HTTPRoute's name is the Gateway's with this suffix. */
const REDIRECT_SUFFIX = '-https-redirect';
/** The certificate's Secret is, unless named, the Gateway's name with this suffix. */
const TLS_SECRET_SUFFIX = '-tls';
/** A permanent redirect: browsers and crawlers remember the HTTPS address. */
const REDIRECT_STATUS = gw.HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301;

/** The Gateway of an environment: its class, its host, who may attach routes, and TLS. */
export interface AppGatewayProps {
  /** Gateway name; a DNS-1123 subdomain. */
  readonly name: string;
  /** The GatewayClass (the controller that implements the Gateway); a DNS-1123 subdomain. */
  readonly className: string;
  /** The host the listeners serve (and the certificate's name). */
  readonly hostname: string;
  /** Namespaces whose HTTPRoutes may attach to the serving listener. */
  readonly routeNamespaces: readonly string[];
  /** cert-manager ClusterIssuer of the host's certificate; unset serves plain HTTP. @default - no TLS */
  readonly tlsClusterIssuer?: string;
  /**
   * The Secret of the host's certificate, where TLS is on. Unused where `tlsClusterIssuer`
   * is unset, so that one set of props serves environments with and without TLS (as an
   * AppIngress's does). @default `<name>-tls`
   */
  readonly tlsSecretName?: string;
}

/** A Gateway with an HTTP listener and, where the environment serves TLS, an HTTPS listener and the HTTP-to-HTTPS redirect. */
export class AppGateway extends Construct {
  /** The Gateway's name, for the routes' parentRefs. */
  readonly name: string;
  /** The listener the app's HTTPRoutes attach to (`sectionName`): `https` with TLS, else `http`. */
  readonly servingListener: string;
  /** The Secret of the host's certificate, where TLS is on. */
  readonly tlsSecretName?: string;
  /** The Gateway object. */
  readonly gateway: gw.Gateway;
  private readonly props: AppGatewayProps;

  constructor(scope: Construct, id: string, props: AppGatewayProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name;
    const tls = props.tlsClusterIssuer !== undefined;
    this.servingListener = tls ? GATEWAY_HTTPS_LISTENER : GATEWAY_HTTP_LISTENER;
    this.tlsSecretName = tls ? (props.tlsSecretName ?? `${props.name}${TLS_SECRET_SUFFIX}`) : undefined;
    const routesFromApps: gw.GatewaySpecListenersAllowedRoutes = {
      namespaces: {
        from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...props.routeNamespaces] }] },
      },
    };
    const listeners: gw.GatewaySpecListeners[] = [
      {
        name: GATEWAY_HTTP_LISTENER,
        protocol: 'HTTP',
        port: HTTP_PORT,
        hostname: props.hostname,
        // with TLS only the redirect, which lives beside the Gateway, attaches here
        allowedRoutes: tls ? { namespaces: { from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } } : routesFromApps,
      },
    ];
    if (this.tlsSecretName) {
      listeners.push({
        name: GATEWAY_HTTPS_LISTENER,
        protocol: 'HTTPS',
        port: HTTPS_PORT,
        hostname: props.hostname,
        tls: { mode: gw.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: this.tlsSecretName }] },
        allowedRoutes: routesFromApps,
      });
    }
    this.gateway = new gw.Gateway(this, 'Resource', {
      metadata: { name: props.name, annotations: tls ? { [CLUSTER_ISSUER_ANNOTATION]: props.tlsClusterIssuer as string } : undefined },
      spec: { gatewayClassName: props.className, listeners },
    });
    if (tls) this.redirectToHttps();
    this.node.addValidation({ validate: () => this.validateGateway() });
  }

  /** Every plain-HTTP request answered with a permanent redirect to the same address over HTTPS. */
  private redirectToHttps(): void {
    new gw.HttpRoute(this, 'HttpsRedirect', {
      metadata: { name: `${this.name}${REDIRECT_SUFFIX}` },
      spec: {
        parentRefs: [{ name: this.name, sectionName: GATEWAY_HTTP_LISTENER }],
        hostnames: [this.props.hostname],
        rules: [{ filters: [{ type: gw.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT, requestRedirect: { scheme: gw.HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: REDIRECT_STATUS } }] }],
      },
    });
  }

  private validateGateway(): string[] {
    const p = this.props;
    const nameProblem = checkDnsSubdomain(p.name, 'Gateway name');
    const problems = errors(
      nameProblem,
      checkHostname(p.hostname, 'Gateway hostname'),
      // gatewayClassName is an ObjectName in the CRD: a DNS-1123 subdomain of 1-253 characters, as an IngressClass name
      checkDnsSubdomain(p.className, 'GatewayClass name'),
      checkIssuer(p.tlsClusterIssuer),
      ...(this.tlsSecretName === undefined ? [] : this.checkTlsNames(nameProblem === undefined)),
      ...p.routeNamespaces.map((ns, i) => checkDnsLabel(ns, `routeNamespaces[${i}]`)),
    );
    if (p.routeNamespaces.length === 0) problems.push('routeNamespaces is empty: no HTTPRoute could attach to the Gateway; list the namespaces of the apps it serves');
    return problems;
  }

  /**
   * The names TLS adds: the certificate's Secret, where given, and those made from the
   * Gateway's name (the redirect HTTPRoute, and the default Secret, whose suffix is shorter):
   * a name too long for them is one mistake, said at the Gateway's name (`nameValid`: the
   * name is a subdomain; otherwise that is its one problem).
   */
  private checkTlsNames(nameValid: boolean): string[] {
    const { name, tlsSecretName } = this.props;
    const given = tlsSecretName === undefined ? undefined : checkDnsSubdomain(tlsSecretName, 'tlsSecretName');
    const tooLong = nameValid && name.length + REDIRECT_SUFFIX.length > DNS_SUBDOMAIN_MAX_LENGTH;
    return errors(
      given,
      tooLong ? `Gateway name "${name}" has ${name.length} characters, and with TLS it names the redirect HTTPRoute "${name}${REDIRECT_SUFFIX}" (${name.length + REDIRECT_SUFFIX.length}), over the ${DNS_SUBDOMAIN_MAX_LENGTH} an object name may have: use at most ${DNS_SUBDOMAIN_MAX_LENGTH - REDIRECT_SUFFIX.length} characters` : undefined,
    );
  }
}

/**
 * A ClusterIssuer is a custom resource, whose name is a DNS-1123 subdomain (the API server's
 * NameIsDNSSubdomain for every custom resource): cert-manager finds no other, and the https
 * listener would never get its certificate.
 */
function checkIssuer(issuer: string | undefined): string | undefined {
  if (issuer === undefined) return undefined;
  if (typeof issuer === 'string' && issuer.trim() === '') return 'tlsClusterIssuer is empty: name the cert-manager ClusterIssuer, or leave it unset for plain HTTP';
  return checkDnsSubdomain(issuer, 'tlsClusterIssuer (a ClusterIssuer name)');
}
