/**
 * The cross-resource checks of every NamespacedApp, run by the synth runner on what was
 * rendered: every object in the app's namespace counts, whatever made it (our patterns,
 * cdk8s-plus, raw `Kube*` objects, `Include`d YAML), and wherever in the tree it was made.
 */
import { configMapsMounted } from './config-maps-mounted';
import { routesAttach } from './routes-attach';
import type { IConstruct } from 'constructs';
import { jsonObjects, JsonObject } from '../core/json-fields';
import { NamespaceContext, isNamespaceContext } from '../core/namespace-context';
import { parseQuantity } from '../core/quantity';
import { checkMemoryUnit, KUBE_NAMESPACE_PREFIX } from '../core/validation';
import { RenderedObject, workloadFootprints } from '../core/workloads';
import { imagesPinned } from './images-pinned';
import { limitRangeAdmitsClaims, limitRangeAdmitsWorkloads, SizedClaim } from './limit-range-admits-workloads';
import { crossNamespacePolicies } from './cross-namespace-policies';
import { namedPortsDeclared } from './named-ports';
import { podSecurityAdmitsWorkloads } from './pod-security-admits-workloads';
import { priorityQuotaFitsWorkloads, quotaFitsWorkloads } from './quota-fits-workloads';
import { otherNamespacePeersMatchPods, renderedSelectors, selectorsMatchPods, servicedPodsHaveReadiness } from './selectors-match-pods';
import { serviceAccountsExist } from './service-accounts-exist';

/** The ConfigMap every namespace gets from the cluster (kube-root-ca.crt) counts against the quota. */
const CLUSTER_CREATED_CONFIGMAPS = 1;

/** The annotations by which cert-manager's ingress and gateway shims issue an object's TLS Secrets. */
const CERT_MANAGER_ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

type Json = JsonObject;

/** The TLS Secret names of an Ingress or a Gateway. */
function tlsSecretNames(kind: string | undefined, spec: Json): string[] {
  if (kind === 'Ingress') return jsonObjects(spec.tls).flatMap((tls) => (typeof tls.secretName === 'string' ? [tls.secretName] : []));
  if (kind !== 'Gateway') return [];
  const refs = jsonObjects(spec.listeners).flatMap((listener) => jsonObjects((listener.tls as Json | undefined)?.certificateRefs));
  return refs.flatMap((ref) => (typeof ref.name === 'string' && (ref.kind ?? 'Secret') === 'Secret' ? [ref.name] : []));
}

/** The TLS Secrets cert-manager issues into the namespace: those of its Ingresses and Gateways that name an issuer, and that it does not render itself. */
function issuedSecrets(rendered: readonly RenderedObject[]): string[] {
  const own = new Set(rendered.filter((r) => r.object.kind === 'Secret').map((r) => r.object.metadata?.name));
  const issued = new Set<string>();
  for (const { object } of rendered) {
    const annotations = object.metadata?.annotations ?? {};
    if (!CERT_MANAGER_ISSUER_ANNOTATIONS.some((a) => a in annotations)) continue;
    for (const name of tlsSecretNames(object.kind, (object.spec ?? {}) as Json)) if (!own.has(name)) issued.add(name);
  }
  return [...issued].sort();
}

/**
 * Each standalone PersistentVolumeClaim of the namespace and the storage it asks for
 * (undefined where unset, malformed or in thousandths of a byte: reported elsewhere, and
 * sized from it the quota and LimitRange checks would only report it again).
 */
function standaloneClaims(rendered: readonly RenderedObject[]): SizedClaim[] {
  return rendered
    .filter((r) => r.object.kind === 'PersistentVolumeClaim')
    .map((r) => {
      const storage = (r.object.spec as { resources?: { requests?: { storage?: unknown } } } | undefined)?.resources?.requests?.storage;
      const sized = typeof storage === 'string' && checkMemoryUnit(storage, 'storage') === undefined;
      return { path: r.path, name: r.object.metadata?.name ?? '', size: sized ? parseQuantity(storage) : undefined };
    });
}

/**
 * The problems of one namespace, from its rendered objects. A workload whose construct
 * refused its own input (`refused` holds its path) is not judged again for Pod Security,
 * which its construct's own message covers.
 */
export function checkNamespace(app: NamespaceContext, rendered: readonly RenderedObject[], refused: ReadonlySet<string> = new Set()): string[] {
  // a kube- namespace is the cluster's own, which NamespacedApp refuses: its checks would judge pods the project does not hold (kube-dns)
  if (app.namespaceName.startsWith(KUBE_NAMESPACE_PREFIX)) return [];
  const footprints = workloadFootprints(rendered, app.limits, app.settings.nodeCount);
  // a workload with a malformed quantity has no known size: sizing it from a fallback would only add
  // messages about numbers the user never wrote, so the quota and LimitRange checks take it up once it is fixed
  const sized = footprints.filter((w) => w.malformed.length === 0);
  const selectors = renderedSelectors(rendered);
  const claims = standaloneClaims(rendered);
  const count = (kind: string) => rendered.filter((r) => r.object.kind === kind).length;
  return [
    ...footprints.flatMap((w) => w.malformed),
    ...quotaFitsWorkloads(app.quota, sized, {
      services: count('Service'),
      configMaps: count('ConfigMap') + CLUSTER_CREATED_CONFIGMAPS,
      secrets: count('Secret'),
      issuedSecrets: issuedSecrets(rendered),
      claims: claims.map((c) => c.size ?? 0),
    }),
    ...app.priorityQuotas.flatMap((q, i) => priorityQuotaFitsWorkloads(q, i, sized)),
    ...limitRangeAdmitsWorkloads(app.limits, sized),
    ...limitRangeAdmitsClaims(app.limits, claims),
    ...selectorsMatchPods(selectors, footprints),
    ...servicedPodsHaveReadiness(selectors, footprints),
    ...imagesPinned(footprints, app.settings.requireImageDigest),
    ...namedPortsDeclared(rendered, footprints, refused),
    ...serviceAccountsExist(rendered, footprints, app.namespaceName),
    ...podSecurityAdmitsWorkloads(rendered, app.podSecurityLevel, app.namespaceName, refused),
  ];
}

function isConstructList(root: IConstruct | readonly IConstruct[]): root is readonly IConstruct[] {
  return Array.isArray(root);
}

/**
 * Runs the checks of every NamespacedApp under `root` on `rendered` (all of root's rendered
 * objects); each problem starts with a construct path: the workload's, or the
 * NamespacedApp's. `root` may also be the list of the tree's constructs as
 * `root.node.findAll()` gives it: the runner has that list already, and the tree is then
 * not walked again. `refused`: the paths of constructs whose own validation failed.
 */
export function checkNamespacedApps(root: IConstruct | readonly IConstruct[], rendered: readonly RenderedObject[], refused: ReadonlySet<string> = new Set()): string[] {
  const constructs: readonly IConstruct[] = isConstructList(root) ? root : root.node.findAll();
  const byNamespace = new Map<string, RenderedObject[]>();
  for (const r of rendered) {
    const ns = r.object.metadata?.namespace;
    if (ns === undefined) continue;
    const objects = byNamespace.get(ns);
    if (objects) objects.push(r);
    else byNamespace.set(ns, [r]);
  }
  const apps = constructs.filter(isNamespaceContext);
  const namespaces = new Set(apps.map((app) => app.namespaceName));
  return [
    ...apps.flatMap((app) => checkNamespace(app, byNamespace.get(app.namespaceName) ?? [], refused).map((p) => (p.startsWith(`${app.node.path}/`) ? p : `${app.node.path}: ${p}`))),
    ...crossNamespacePolicies(rendered, namespaces),
    ...otherNamespacePeersMatchPods(rendered, namespaces),
    ...configMapsMounted(rendered),
    ...routesAttach(rendered),
  ];
}
