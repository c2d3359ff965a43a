import type { RegexDialect } from './regular-expression';

/** Which API carries HTTP routing and canary traffic splits in an environment. */
export type TrafficApi =
  /** Ingress objects of this IngressClass, canaries through ingress-nginx's canary annotations. */
  | { readonly kind: 'ingress-nginx'; readonly className: string }
  /** HTTPRoutes attached to this Gateway, canaries as weighted backendRefs and header matches. */
  | {
      readonly kind: 'gateway-api';
      readonly gatewayName: string;
      readonly gatewayNamespace: string;
      /** The listener routes attach to (an AppGateway's `servingListener`: `https` where it serves TLS). @default - every listener that accepts them */
      readonly sectionName?: string;
      /** Namespace the Gateway's proxy pods run in, admitted to the routed apps (GatewayRef.proxyNamespace). @default - the Gateway's namespace */
      readonly proxyNamespace?: string;
      /** The one dialect the Gateway's implementation reads a header pattern in (GatewayRef.headerPatternDialect). @default - a pattern must read the same in PCRE and RE2 */
      readonly headerPatternDialect?: RegexDialect;
    };
