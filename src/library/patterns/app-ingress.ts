/**
 * HTTP routes from the ingress controller to a Service (000 §1.8), for ingress-nginx.
 * Exposing a Service also opens the namespace's default-deny for it: a NetworkPolicy
 * admits the ingress controller's namespace to the Service's pods on the target port.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkAbsolutePath, checkAnnotations, checkOneOf, checkDnsSubdomain, checkHostname, checkHttpPath, errors } from '../core/validation';
import type { AppService } from './app-service';
import type { Labels } from '../core/labels';
import { namespaceContextOf } from '../core/namespace-context';
import { sharedNetworkPolicy } from './proxy-policy';

/** One routed path of an Ingress or HTTPRoute. */
export interface HttpPath {
  /** Path the rule matches; starts with `/`. */
  readonly path: string;
  /** How the path matches: as a prefix of whole segments, or exactly. @default 'Prefix' */
  readonly pathType?: 'Prefix' | 'Exact';
}

/** An Ingress of one Service for one host, and who may reach it. */
export interface AppIngressProps {
  /** Ingress name. */
  readonly name: string;
  /** IngressClass, e.g. `nginx`. */
  readonly className: string;
  /** Host the rules match. */
  readonly host: string;
  /** Paths of the host routed to the Service. */
  readonly paths: readonly HttpPath[];
  /** Service that receives the traffic (its first port). */
  readonly service: AppService;
  /** Controller annotations (the canary ones, for example). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Skip the NetworkPolicy that admits the controller (one made elsewhere admits it). Ingresses
   * of one Service share that policy: the first makes it. @default false
   */
  readonly skipControllerPolicy?: boolean;
  /**
   * Pods the controller is admitted to. A blue-green pair passes the app name alone, so the
   * policy does not change when the Service switches colour. @default - the Service's selector
   */
  readonly policySelector?: Labels;
  /**
   * The Secret holding the host's certificate, where the environment serves TLS
   * (`tlsClusterIssuer`). @default `<name>-tls`
   */
  readonly tlsSecretName?: string;
  /** Ask cert-manager for the certificate (a canary shares its primary's instead). @default true */
  readonly issueCertificate?: boolean;
}


/**
 * TLS at the edge (004: TLS termination at the gateway): cert-manager issues the host's
 * certificate into the Secret the Ingress names, and ingress-nginx redirects HTTP to HTTPS.
 */
/** The annotation cert-manager reads on an Ingress or a Gateway: the ClusterIssuer of its certificates. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

function tlsAnnotations(issuer: string | undefined, issue: boolean): Record<string, string> {
  if (!issuer) return {};
  return { ...(issue ? { [CLUSTER_ISSUER_ANNOTATION]: issuer } : {}), 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' };
}

/** An ingress-nginx Ingress to a Service, with the NetworkPolicy that admits the controller to its pods. */
export class AppIngress extends Construct {
  readonly name: string;
  readonly className: string;
  readonly host: string;
  readonly paths: readonly HttpPath[];
  readonly service: AppService;
  /** The Secret of the host's certificate, where the environment serves TLS. */
  readonly tlsSecretName?: string;

  constructor(scope: Construct, id: string, props: AppIngressProps) {
    super(scope, id);
    const app = namespaceContextOf(this);
    this.name = props.name;
    this.className = props.className;
    this.host = props.host;
    this.paths = props.paths;
    this.service = props.service;
    const issuer = app.settings.tlsClusterIssuer;
    this.tlsSecretName = issuer ? (props.tlsSecretName ?? `${props.name}-tls`) : undefined;
    const port = props.service.ports[0];
    const annotations = { ...app.ownerAnnotations(), ...tlsAnnotations(issuer, props.issueCertificate ?? true), ...props.annotations };
    new k8s.KubeIngress(this, 'Resource', {
      metadata: { name: props.name, annotations },
      spec: {
        ingressClassName: props.className,
        tls: this.tlsSecretName ? [{ hosts: [props.host], secretName: this.tlsSecretName }] : undefined,
        rules: [
          {
            host: props.host,
            http: {
              paths: props.paths.map((p) => ({
                path: p.path,
                pathType: p.pathType ?? 'Prefix',
                backend: { service: { name: props.service.name, port: { number: port?.port } } },
              })),
            },
          },
        ],
      },
    });
    if (!props.skipControllerPolicy && port) {
      sharedNetworkPolicy(this, 'AllowController', {
        name: `allow-ingress-to-${props.service.name}`,
        podSelector: props.policySelector ?? props.service.selector,
        ingress: [{ peers: [{ namespace: app.settings.ingressControllerNamespace }], ports: [{ port: port.name }] }],
      });
    }
    this.node.addValidation({
      validate: () => {
        const problems = errors(
          checkDnsSubdomain(props.name, 'Ingress name'),
          checkHostname(props.host, 'Ingress host'),
          checkDnsSubdomain(props.className, 'IngressClass name'),
          this.tlsSecretName === undefined ? undefined : checkDnsSubdomain(this.tlsSecretName, 'tlsSecretName'),
        );
        // the ones written, owner and TLS included: the API server's 256 KiB counts them all
        problems.push(...checkAnnotations(annotations, 'Ingress annotations'));
        problems.push(...errors(props.service.routingProblem()));
        if (props.paths.length === 0) problems.push('Ingress has no paths: list at least one path');
        for (const p of props.paths) {
          problems.push(...errors(p.pathType === undefined ? undefined : checkOneOf(p.pathType, ['Prefix', 'Exact', 'ImplementationSpecific'], `Ingress path "${p.path}" pathType`)));
          // an ImplementationSpecific path is the controller's to read: the API only asks it to be absolute
          if ((p.pathType as string | undefined) === 'ImplementationSpecific') problems.push(...errors(checkAbsolutePath(p.path, 'Ingress path')));
          else problems.push(...checkHttpPath(p.path, 'Ingress path', false));
        }
        return problems;
      },
    });
  }
}
