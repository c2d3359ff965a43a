/**
 * The NetworkPolicy that admits a proxy (the ingress controller, a Gateway) to a Service's
 * pods, which each Ingress or HTTPRoute of that Service derives alike. Internal to the
 * patterns: the public entry does not export it, since its checks lean on its makers'.
 */
import type { Construct, IConstruct } from 'constructs';
import { checkLabels } from '../core/validation';
import { namespaceContextOf } from '../core/namespace-context';
import { NetworkPolicy, NetworkPolicyProps } from './network-policy';

/**
 * A policy made wholly of values its makers check: its name after a Service's, the Service's
 * port, and the proxy's namespace (the environment's settings, or the route's Gateway). Only
 * a selector given for it (an Ingress's or route's policySelector) is its own to check; the
 * rest, wrong, is said once where it was given, not again for every policy made from it.
 */
class ProxyPolicy extends NetworkPolicy {
  protected override validatePolicy(): string[] {
    return checkLabels(this.podSelector, 'NetworkPolicy podSelector');
  }
}

/** The policies made by sharedNetworkPolicy, per NamespacedApp, by object name, with the props each was made from. */
const sharedPolicies = new WeakMap<IConstruct, Map<string, { readonly policy: NetworkPolicy; readonly props: string }>>();

/**
 * A policy that every construct of a kind derives alike from what it routes to: the one
 * admitting the ingress controller or a Gateway to a Service's pods, which each Ingress or
 * HTTPRoute of that Service needs (two hosts, two Ingresses). The first makes it under
 * `scope`; the others in the namespace asking for it by the same name and props share it.
 * One asked for by that name with other props is made anyway, so the duplicate check
 * names both with their paths. Its values are its makers' to check (ProxyPolicy).
 */
export function sharedNetworkPolicy(scope: Construct, id: string, props: NetworkPolicyProps): NetworkPolicy {
  const namespace = namespaceContextOf(scope);
  const made = sharedPolicies.get(namespace) ?? new Map<string, { readonly policy: NetworkPolicy; readonly props: string }>();
  sharedPolicies.set(namespace, made);
  const key = JSON.stringify(props);
  const earlier = made.get(props.name);
  if (earlier?.props === key) return earlier.policy;
  const policy = new ProxyPolicy(scope, id, props);
  if (!earlier) made.set(props.name, { policy, props: key });
  return policy;
}
