/**
 * Per-developer namespaces in the shared dev cluster (000 §2.2, new_user.sh): each
 * developer gets `dev-<name>` with the developer quota, limits, default-deny, and a Role
 * bound to their user.
 */
import type { Construct } from 'constructs';
import { DeveloperAccess, NamespacedApp } from 'k8s-iac';
import type { PlatformEnvironment } from './environment';

/** A NamespacedApp with a developer's Role binding for every developer of the environment. */
export function developerNamespaces(scope: Construct, env: PlatformEnvironment): NamespacedApp[] {
  return env.values.developers.map((dev) => {
    const ns = new NamespacedApp(scope, `dev-${dev.name}`, {
      namespace: `dev-${dev.name}`,
      settings: env.settings,
      quota: env.values.developerTenancy.quota,
      limits: env.values.developerTenancy.limits,
      partOf: 'developer-namespaces',
    });
    new DeveloperAccess(ns, 'Access', { name: `developer-${dev.name}`, subject: { user: dev.user }, preset: dev.access });
    return ns;
  });
}
