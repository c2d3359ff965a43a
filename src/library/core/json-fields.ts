/**
 * Reading fields of rendered manifests, whose values come from any construct (raw `Kube*`
 * objects and `Include`d YAML too) and so may be of any type. Internal to the library: not
 * part of the package's public entry.
 */

/** A JSON object of a rendered manifest: its fields of unknown type. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The items of `value` that are objects (not lists), where it is a list; none otherwise. */
export function jsonObjects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** The container ports a pod template declares, of its containers and init containers. */
export function templatePorts(template: JsonObject): JsonObject[] {
  const spec = (template.spec ?? {}) as JsonObject;
  return [...jsonObjects(spec.containers), ...jsonObjects(spec.initContainers)].flatMap((c) => jsonObjects(c.ports));
}

/** The protocol a port takes when its object names none. */
const DEFAULT_PORT_PROTOCOL = 'TCP';

/** The protocol a rendered port object (a container's, a Service's, a policy's) gives, or the default. */
export function portProtocol(port: JsonObject): string {
  return typeof port.protocol === 'string' ? port.protocol : DEFAULT_PORT_PROTOCOL;
}
