/**
 * k8s-iac: typed cdk8s constructs for the Kubernetes deployment patterns, and the runner
 * that synthesizes a project's environments to plain YAML. The `k8s-iac/testing` entry
 * holds the testing helpers. Importing this module has no side effects.
 */
// core: names, quantities, validation and the shared types
export * from './core/applyset';
export * from './core/defaults';
export * from './core/environment';
export * from './core/labels';
export * from './core/namespace-context';
export * from './core/platform-settings';
export * from './core/quantity';
export * from './core/re2-expression';
export * from './core/regular-expression';
export * from './core/render-object';
export * from './core/release';
export * from './core/resources';
export * from './core/secret-source';
export * from './core/traffic';
export * from './core/validation';
export * from './core/warnings';
export * from './core/workloads';
// patterns: the constructs
export * from './patterns/app-deployment';
export * from './patterns/app-gateway';
export * from './patterns/app-ingress';
export * from './patterns/app-secret';
export * from './patterns/app-service';
export * from './patterns/blue-green';
export * from './patterns/canary-ingress';
export * from './patterns/developer-access';
export * from './patterns/disruption-budget';
export * from './patterns/http-route';
export * from './patterns/namespaced-app';
export * from './patterns/network-policy';
export * from './patterns/node-agent';
export * from './patterns/pod-template';
export * from './patterns/priority-class';
export * from './patterns/released-service';
export * from './patterns/scheduled-job';
export * from './patterns/stateful-app';
export * from './patterns/versioned-config-map';
export * from './patterns/vertical-autoscaler';
export * from './patterns/app-volume-claim';
// checks: what the runner checks on rendered objects
export * from './checks/images-pinned';
export * from './checks/limit-range-admits-workloads';
export * from './checks/named-ports';
export * from './checks/namespace-checks';
export * from './checks/pod-security-admits-workloads';
export * from './checks/quota-fits-workloads';
export * from './checks/selectors-match-pods';
// runner: projects, synth, promote, apply and GitOps
export * from './runner/applyset';
export * from './runner/cli';
export * from './runner/cluster';
export * from './runner/dependency-order';
export * from './runner/gitops';
export * from './runner/synth-to-folder';
export * from './runner/project';
export * from './runner/promote';
export * from './runner/release-state';
export * from './runner/synth-project';
export * from './runner/synthesize';
export * from './runner/watch';
export * from './runner/write-atomic';
export * from './runner/yaml-writer';
