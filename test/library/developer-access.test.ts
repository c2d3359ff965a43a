import { accessRules, DeveloperAccess } from 'k8s-iac';
import { find, synth, synthErrors, synthManifests } from '../helpers';

describe('DeveloperAccess', () => {
  test('edit preset: a Role that writes workloads but not Secrets, bound to the user', () => {
    const m = synth((ns) => new DeveloperAccess(ns, 'Alice', { name: 'developer-alice', subject: { user: 'alice@example.com' }, preset: 'edit' }));
    const role = find(m, 'Role');
    const resources = role.rules.flatMap((r: any) => r.resources);
    expect(resources).toEqual(expect.arrayContaining(['deployments', 'pods', 'pods/log', 'configmaps', 'services']));
    expect(resources).not.toContain('secrets');
    expect(role.rules.find((r: any) => r.resources.includes('deployments')).verbs).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
    expect(role.rules.find((r: any) => r.resources.includes('resourcequotas')).verbs).toEqual(['get', 'list', 'watch']);
    // the namespace's isolation is the platform's: edit could otherwise delete default-deny
    expect(role.rules.filter((r: any) => r.resources.includes('networkpolicies')).map((r: any) => r.verbs)).toEqual([['get', 'list', 'watch']]);
    // kubectl scale goes through the scale subresource
    expect(role.rules.find((r: any) => r.resources.includes('deployments/scale'))).toEqual({ apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] });
    const binding = find(m, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer-alice' });
    expect(binding.subjects).toEqual([{ kind: 'User', name: 'alice@example.com', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(binding.metadata.namespace).toBe('shop');
  });

  test('view preset only reads; secrets only when asked', () => {
    const verbs = new Set(accessRules('view', false).flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(accessRules('view', true).some((r) => r.resources?.includes('secrets'))).toBe(true);
  });

  test('both presets reach the routes and autoscalers the patterns make, HTTPRoutes and VPAs included', () => {
    for (const preset of ['view', 'edit'] as const) {
      const rules = accessRules(preset, false);
      expect(rules).toContainEqual(expect.objectContaining({ apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'] }));
      expect(rules).toContainEqual(expect.objectContaining({ apiGroups: ['autoscaling.k8s.io'], resources: ['verticalpodautoscalers'] }));
    }
  });

  test('group and ServiceAccount subjects', () => {
    const m = synth((ns) => {
      new DeveloperAccess(ns, 'Team', { name: 'team', subject: { group: 'shop-devs' }, preset: 'view' });
      new DeveloperAccess(ns, 'Ci', { name: 'ci', subject: { serviceAccount: 'deployer', namespace: 'ci' }, preset: 'edit' });
    });
    expect(find(m, 'RoleBinding', 'team').subjects[0]).toEqual({ kind: 'Group', name: 'shop-devs', apiGroup: 'rbac.authorization.k8s.io' });
    expect(find(m, 'RoleBinding', 'ci').subjects[0]).toEqual({ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' });
  });

  test('errors: bad name, empty subject', () => {
    const message = synthErrors((ns) => new DeveloperAccess(ns, 'X', { name: 'dev%x', subject: { user: ' ' }, preset: 'view' }));
    expect(message).toMatch(/shop\/X: Role name "dev%x" is not a name the API server takes for it/);
    expect(message).toMatch(/access subject has an empty name/);
  });

  // ValidateRBACName is path.IsValidPathSegmentName: only '.', '..', '/' and '%' are refused
  test.each(['team:view', 'Alice-View', 'dev_x', 'system:aggregate-to-edit', 'a'.repeat(238)])('the Role name %j, which the API server takes, passes', (name) => {
    const m = synth((ns) => new DeveloperAccess(ns, 'Access', { name, subject: { group: 'devs' }, preset: 'view' }));
    expect(find(m, 'Role', name).metadata.name).toBe(name);
    expect(find(m, 'RoleBinding', name).roleRef.name).toBe(name);
  });

  // the API server takes these, but the name is also a file name of synth's: kubectl -f splits it at ',', and scripts at spaces
  test.each([
    ['team,view', '","'],
    ['team view', '" "'],
    ['L)<', '")", "<"'],
    ['a\u0000b', '"\\u0000"'],
  ])('the Role name %j, which a file name of synth would not carry whole, is refused', (name, held) => {
    expect(synthErrors((ns) => new DeveloperAccess(ns, 'Access', { name, subject: { group: 'devs' }, preset: 'view' }))).toContain(
      `shop/Access: Role name ${JSON.stringify(name)} holds ${held}, and synth writes the RoleBinding to the file ${JSON.stringify(`rolebinding-${name}.yaml`)}, which kubectl -f (a ',' separates files there) and scripts would not read as one name: use letters, digits and '-', '_', '.', ':', '@', '+'`,
    );
  });

  test.each(['.', '..', 'a/b', '50%', ''])('the Role name %j is refused', (name) => {
    expect(synthErrors((ns) => new DeveloperAccess(ns, 'Access', { name, subject: { group: 'devs' }, preset: 'view' }))).toMatch(/synth failed with 1 error[^]*shop\/Access: Role name ".*" is not a name the API server takes for it/);
  });
});

test('dev gives two developers a namespace each, with quota, limits, default-deny and their Role', () => {
  const dev = synthManifests('dev');
  for (const name of ['alice', 'bob']) {
    const ns = `dev-${name}`;
    const kinds = dev.filter((m) => m.namespace === ns).map((m) => m.kind).sort();
    expect(kinds).toEqual(['LimitRange', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding']);
    expect(find(dev, 'Namespace', ns).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  }
  expect(synthManifests('prod').some((m) => m.namespace?.startsWith('dev-'))).toBe(false);
});
