/**
 * Every default the patterns apply, named in one place, each with why. A prop left unset
 * takes the value here; the doc comment of the prop says which.
 */

/** Replicas of a Deployment without autoscaling: one pod is a single point of failure. */
export const DEFAULT_REPLICAS = 2;
/** Pods of a canary Deployment: one pod would be a single point of failure for its share of requests. */
export const DEFAULT_CANARY_REPLICAS = 2;
/** Pods a rolling update may add above the replica count (the Kubernetes default, stated). */
export const DEFAULT_MAX_SURGE = '25%';
/** Old ReplicaSets or revisions kept for `kubectl rollout undo` (the Kubernetes default, stated). */
export const REVISION_HISTORY_LIMIT = 10;
/** Share of a Deployment's pods a disruption budget keeps up (003:L268). */
export const DEFAULT_MIN_AVAILABLE = '60%';
/** What a canary weight is a share of when weightTotal is unset: a percentage, as ingress-nginx's canary-weight-total defaults to. */
export const DEFAULT_CANARY_WEIGHT_TOTAL = 100;
/** Seconds of lower recommendations before an HPA scales down: damps flapping. */
export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** User and group the containers run as: above 10000, so they match no user of the host. */
export const DEFAULT_UID = 10001;
/** Local disk a container may use (logs, emptyDirs): without a limit one pod can fill the node's disk. */
export const DEFAULT_EPHEMERAL_STORAGE = { request: '64Mi', limit: '256Mi' } as const;
/** Seconds between SIGTERM and SIGKILL (the Kubernetes default, stated). */
export const DEFAULT_GRACE_SECONDS = 30;
/** Seconds the preStop hook waits, so kube-proxy and the ingress drop the pod first (001:L4447-4500). */
export const DEFAULT_PRESTOP_SECONDS = 5;
/** Size of the /tmp emptyDir the read-only root filesystem needs, and of any emptyDir without one. */
export const DEFAULT_SCRATCH_SIZE = '64Mi';
/** Seconds between probes (the Kubernetes default, stated). */
export const DEFAULT_PROBE_PERIOD_SECONDS = 10;

/** Seconds a missed scheduled run may start late before it is skipped. */
export const DEFAULT_STARTING_DEADLINE_SECONDS = 300;
/** Retries of a failed scheduled run. */
export const DEFAULT_BACKOFF_LIMIT = 2;
/** Longest a scheduled run may take. */
export const DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
/** Nodes whose agent may be down at once while a DaemonSet rolls. */
export const DEFAULT_AGENT_MAX_UNAVAILABLE = 1;

/** API group of the ApplySet parent type: the library's own, so it clashes with no other tool's types. */
export const APPLYSET_GROUP = 'k8s-iac.dev';
/** Kind of the ApplySet parent: cluster-scoped, as kubectl confines a namespaced parent's apply to its one namespace (`-n`), and an environment spans several. */
export const APPLYSET_KIND = 'ApplySet';
/** Tooling the parent is created with: kubectl applies and prunes the set, and refuses a parent that names another tool. */
export const APPLYSET_TOOLING = 'kubectl/v1.28';

/** Branch GitOps controllers follow: the default branch git and the big forges give new repositories. */
export const DEFAULT_GITOPS_BRANCH = 'main';
/** Namespace of Argo CD's Applications: where its install manifests put Argo CD, which reads Applications there only by default. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
/** Argo CD project of the Applications: the one every Argo CD install has. */
export const DEFAULT_ARGOCD_PROJECT = 'default';
/** The cluster Argo CD runs in, as it names it. */
export const ARGOCD_IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** Namespace of Flux's objects: where `flux bootstrap` and `flux install` put the controllers. */
export const DEFAULT_FLUX_NAMESPACE = 'flux-system';
/** How often Flux fetches the repository and reconciles: a pushed change is live within minutes without polling the forge hard. */
export const DEFAULT_FLUX_INTERVAL = '5m';
