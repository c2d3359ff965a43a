/**
 * What the constructs now write so that kube-linter, Polaris and kubesec have nothing to
 * say about it: PodDisruptionBudgets that let drains evict unhealthy pods, an explicit
 * restart policy, the instance label on workloads, and MySQL's password read from a file.
 */
import * as path from 'node:path';
import { findObjects, synthEnvironment } from 'k8s-iac/testing';
import project from '../../src/platform/project';

const RELEASE_DIR = path.resolve(__dirname, '..', '..', 'release');

describe.each(project.environments.names)('%s', (env) => {
  const manifests = synthEnvironment(project, env, { releaseDir: RELEASE_DIR });

  test('every PodDisruptionBudget lets unhealthy pods be evicted', () => {
    const pdbs = findObjects(manifests, { kind: 'PodDisruptionBudget' }) as any[];
    expect(pdbs.length).toBeGreaterThan(0);
    for (const pdb of pdbs) expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  test('every workload sets restartPolicy Always and app.kubernetes.io/instance to its name', () => {
    const workloads = [...findObjects(manifests, { kind: 'Deployment' }), ...findObjects(manifests, { kind: 'StatefulSet' })] as any[];
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      expect(w.spec.template.spec.restartPolicy).toBe('Always');
      expect(w.metadata.labels['app.kubernetes.io/instance']).toBe(w.metadata.name);
      // not in the pod labels, so no selector or policy depends on it
      expect(w.spec.template.metadata.labels['app.kubernetes.io/instance']).toBeUndefined();
    }
  });

  test('MySQL reads its root password from the mounted Secret, not from an environment variable', () => {
    const [mysql] = findObjects(manifests, { kind: 'StatefulSet', name: 'mysql' }) as any[];
    const pod = mysql.spec.template.spec;
    const container = pod.containers[0];
    expect(container.env).toEqual([{ name: 'MYSQL_ROOT_PASSWORD_FILE', value: '/etc/mysql-root/root_password' }]);
    expect(container.volumeMounts).toContainEqual({ name: 'root-password', mountPath: '/etc/mysql-root', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'root-password', secret: { secretName: 'mysql-root' } });
  });
});
