/**
 * The Gateway of the environments whose traffic runs through the Gateway API (test): the
 * `public` Gateway in its own namespace, serving the app's host, HTTPS from the
 * environment's ClusterIssuer where it names one (HTTP redirected), and only the app's
 * namespace may attach routes. The namespace holds the Gateway object alone: the
 * controller (Envoy Gateway, in its default deployment mode) runs each Gateway's Envoy
 * proxies in its own namespace (GATEWAY_PROXY_NAMESPACE in environments.ts), so this one admits no pods
 * (quota 0) and has no pods for a NetworkPolicy to select; the routed apps admit the
 * proxies' namespace.
 */
import type { Construct } from 'constructs';
import { AppGateway, NamespacedApp } from 'k8s-iac';
import type { PlatformEnvironment } from './environment';
import { GATEWAY_TENANCY } from './environments';

/** The GatewayClass the platform team installs with its Gateway controller, outside this repository. */
export const GATEWAY_CLASS = 'platform';

/** The Gateway and its namespace, where the environment routes through a Gateway; nothing elsewhere. */
export function platformGateway(scope: Construct, env: PlatformEnvironment): AppGateway | undefined {
  const traffic = env.values.traffic;
  if (traffic.kind !== 'gateway-api') return undefined;
  const app = env.values.apps.goMultiroute;
  const ns = new NamespacedApp(scope, 'gateway', { namespace: traffic.gatewayNamespace, settings: env.settings, quota: GATEWAY_TENANCY.quota, limits: GATEWAY_TENANCY.limits, partOf: 'gateway', defaultDeny: false });
  return new AppGateway(ns, 'Gateway', {
    name: traffic.gatewayName,
    className: GATEWAY_CLASS,
    hostname: app.host,
    routeNamespaces: [app.namespace],
    tlsClusterIssuer: env.settings.tlsClusterIssuer,
  });
}
