/**
 * A pod mounts ConfigMaps of its own namespace; one that is not there keeps the pod from
 * starting (the kubelet waits for the volume, ContainerCreating), unless it is `optional`. Two such mistakes show in
 * the rendered objects: the base name of a VersionedConfigMap mounted in place of its name
 * (`orders-config` for `orders-config-a83634c580`), and the name of a ConfigMap the project
 * makes in another namespace only. Any other name may be a ConfigMap the cluster or another
 * tool makes (`kube-root-ca.crt`), and is left alone.
 */
import { jsonObjects } from '../core/json-fields';
import { podTemplate, RenderedObject, workloadPath } from '../core/workloads';
import { CONTENT_HASH_LENGTH } from '../patterns/versioned-config-map';

/** The suffix a VersionedConfigMap adds to its base name: `-` and the hex digits of its content's hash. */
const CONTENT_HASH_SUFFIX = new RegExp(`-[0-9a-f]{${CONTENT_HASH_LENGTH}}$`);

/** The ConfigMaps among `rendered`, their names by namespace. */
function configMapsByNamespace(rendered: readonly RenderedObject[]): Map<string, Set<string>> {
  const byNamespace = new Map<string, Set<string>>();
  for (const { object } of rendered) {
    const { name, namespace } = object.metadata ?? {};
    if (object.kind !== 'ConfigMap' || name === undefined || namespace === undefined) continue;
    const names = byNamespace.get(namespace) ?? new Set<string>();
    names.add(name);
    byNamespace.set(namespace, names);
  }
  return byNamespace;
}

/** Why `mounted` is no ConfigMap of `namespace` where `configMaps` shows it, or undefined where it may be one. */
function missingConfigMap(mounted: string, namespace: string, configMaps: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const here = configMaps.get(namespace) ?? new Set<string>();
  if (here.has(mounted)) return undefined;
  const versions = [...here].filter((name) => name.replace(CONTENT_HASH_SUFFIX, '') === mounted && name !== mounted).sort();
  if (versions.length > 0) {
    return `ConfigMap "${mounted}" is the base name of ${versions.map((v) => `"${v}"`).join(', ')} (a VersionedConfigMap, named by its content), and no ConfigMap has it: mount the VersionedConfigMap's name`;
  }
  const elsewhere = [...configMaps].filter(([ns, names]) => ns !== namespace && names.has(mounted)).map(([ns]) => ns).sort();
  if (elsewhere.length > 0) {
    return `ConfigMap "${mounted}" is made in namespace ${elsewhere.join(', ')}, not in ${namespace}, and a pod mounts ConfigMaps of its own namespace only: make it in ${namespace} too`;
  }
  return undefined;
}

/** The workloads among `rendered` whose pods mount a ConfigMap that the rendered objects show is not in their namespace, each named by its construct path. */
export function configMapsMounted(rendered: readonly RenderedObject[]): string[] {
  const configMaps = configMapsByNamespace(rendered);
  return rendered.flatMap(({ path, object }) => {
    const template = podTemplate(object);
    const namespace = object.metadata?.namespace;
    if (!template || namespace === undefined) return [];
    const volumes = jsonObjects((template.spec as { volumes?: unknown } | undefined)?.volumes);
    return volumes.flatMap((volume) => {
      const source = volume.configMap as { name?: unknown; optional?: unknown } | undefined;
      // an optional ConfigMap that is not there is mounted as an empty folder, and the pod starts
      const problem = typeof source?.name === 'string' && source.optional !== true ? missingConfigMap(source.name, namespace, configMaps) : undefined;
      return problem === undefined ? [] : [`${workloadPath(path)}: volume ${String(volume.name)} mounts ${problem}`];
    });
  });
}
