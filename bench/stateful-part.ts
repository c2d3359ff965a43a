/**
 * The StatefulSet every fifth benchmark service runs: the library's StatefulApp with one
 * replica, a headless Service named after it and one volume claim per pod, so the quota,
 * LimitRange and selector checks count it as they count a real one.
 */
import type { PlatformEnvironment } from '../src/platform/environment';
import { type NamespacedApp, StatefulApp } from 'k8s-iac';

export const DB_PORT = 5432;
const CLAIM = 'data';

/** Adds a one-replica database-like StatefulSet named `name` and its headless Service. */
export function addStatefulPart(ns: NamespacedApp, env: PlatformEnvironment, name: string): StatefulApp {
  return new StatefulApp(ns, 'Db', {
    name,
    version: 'v1',
    replicas: 1,
    headlessServiceName: name,
    clientService: false,
    // one replica: a budget would be maxUnavailable 0, blocking drains; let drains evict it
    disruptionBudget: false,
    serviceAccountName: 'default',
    volumeClaims: [{ name: CLAIM, size: '1Gi' }],
    container: {
      image: `registry.example.com/bench/db:v1@sha256:${'d'.repeat(64)}`,
      ports: [{ name: 'db', port: DB_PORT }],
      resources: env.values.apps.mysql.resources,
      readinessProbe: { tcpSocket: { port: 'db' } },
      mounts: [{ name: CLAIM, mountPath: '/var/lib/data', claim: true }],
    },
  });
}
