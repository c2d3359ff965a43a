/**
 * Per-developer namespaces in the shared dev cluster (000 §2.2, new_user.sh): each
 * developer gets `dev-<name>` with the developer quota, limits, default-deny, and a Role
 * bound to their user.
 */
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environment';
import { DeveloperAccess } from '../patterns/developer-access';
import { NamespacedApp } from '../patterns/namespaced-app';

export function developerNamespaces(scope: Construct, env: EnvironmentConfig): NamespacedApp[] {
  return env.developers.map((dev) => {
    const ns = new NamespacedApp(scope, `dev-${dev.name}`, {
      namespace: `dev-${dev.name}`,
      settings: env,
      quota: env.developerTenancy.quota,
      limits: env.developerTenancy.limits,
      partOf: 'developer-namespaces',
    });
    new DeveloperAccess(ns, 'Access', { name: `developer-${dev.name}`, subject: { user: dev.user }, preset: dev.access });
    return ns;
  });
}
