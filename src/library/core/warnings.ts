/**
 * Warnings: what synth writes though it is likely a mistake, as the API server admits some
 * objects with a warning rather than a refusal. A construct adds one with `addWarning`;
 * synth says each with the construct's path and writes the files all the same, so a
 * warning never stops a pipeline that a refusal would not stop either.
 */
import type { IConstruct } from 'constructs';
import { checkDnsLabel } from './validation';

/** The construct metadata type a warning is kept under. */
export const WARNING_METADATA_TYPE = 'k8s-iac:warning';

/**
 * Adds a warning to `scope`: synth says it, after the construct's path, and goes on. Say
 * what is likely wrong and the fix, as an error would.
 */
export function addWarning(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA_TYPE, message);
}

/** A warning as synth says it: one line starting `warning: `, the prefix CI logs are searched for. */
export function warningLine(message: string): string {
  return `warning: ${message}`;
}

/** The warnings added to `scope` itself (not to its children), in the order they were added. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.metadata.filter((entry) => entry.type === WARNING_METADATA_TYPE).map((entry) => String(entry.data));
}

/**
 * Kinds whose name kube-apiserver 1.28 warns of when it is not a DNS label, since the name
 * becomes part of their Pods' names and hostnames, and what the warning says the name is
 * used in. Measured with a server-side dry run of each kind named `a.b`: a DaemonSet is
 * admitted without a warning and a StatefulSet is refused (its name must be a DNS label).
 */
const POD_NAMING_KINDS: ReadonlyMap<string, string> = new Map([
  ['Deployment', "its Pods' names and hostnames"],
  ['ReplicaSet', "its Pods' names and hostnames"],
  ['ReplicationController', "its Pods' names and hostnames"],
  ['Job', "its Pods' names and hostnames"],
  ['CronJob', "its Jobs' and Pods' names and hostnames"],
  ['Pod', 'its hostname'],
]);

/** The API server's warning for an object of `kind` named `name`, or undefined when it has none. */
export function podNamingWarning(kind: string, name: string): string | undefined {
  const usedIn = POD_NAMING_KINDS.get(kind);
  if (usedIn === undefined) return undefined;
  if (checkDnsLabel(name, kind) === undefined) return undefined;
  return (
    `${kind} "${name}" is not a DNS label, and the name is used in ${usedIn}: the API server admits it with a warning ("a DNS label is recommended"); ` +
    "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit"
  );
}
