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
export * from './checks/config-maps-mounted';
export * from './checks/images-pinned';
export * from './checks/limit-range-admits-workloads';
export * from './checks/named-ports';
export * from './checks/namespace-checks';
export * from './checks/pod-security-admits-workloads';
export * from './checks/quota-fits-workloads';
export * from './checks/routes-attach';
export * from './checks/selectors-match-pods';
// runner: projects, synth, promote, apply and GitOps; how it stages, locks and swaps folders is its own
export { DEFAULT_RELEASE_DIR, defineProject, Project, type EnvironmentName, type GitOpsSettings, type ProjectProps, type Release } from './runner/project';
export { DEFAULT_OUTDIR, DIFF_FAILED, loadProject, main, USAGE, type RunContext } from './runner/cli';
export { applyEnvironment, DEFAULT_KUBECTL, diffEnvironment, readEnvironmentObjects, type EnvironmentVariables, type KubectlOptions } from './runner/cluster';
export { GITOPS_TOOLS, gitOpsFiles, resolveGitOps, type GitOpsTool, type ResolvedGitOps } from './runner/gitops';
export { synthToFolder, type SynthToFolderOptions } from './runner/synth-to-folder';
export { planPromote, resumePromote, runPromote, type PromoteArgs, type PromotePlan, type PromoteStep } from './runner/promote';
export { loadReleaseState, parseReleaseState, releaseFile, type ReleaseRules, type ReleaseState } from './runner/release-state';
export { synthEnvironmentFiles, synthManifests, synthProjectFiles, type SynthOptions } from './runner/synth-project';
export { fileFor, isSynthFile, renderFiles, renderManifests, SynthError, toYaml, validateTree, type Manifest } from './runner/synthesize';
export { watchProject, type Watch, type WatchBuild, type WatchOptions } from './runner/watch';
export { OutputError, recoverInterrupted, writeEnvironments, writeTreeAtomically, type WriteOptions } from './runner/write-atomic';
