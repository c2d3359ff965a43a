/**
 * Validators for the values Kubernetes 1.28 itself would reject (or that the notes warn
 * about), so that the error comes at synth with the construct path, not at apply. They
 * follow k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain,
 * IsQualifiedName, IsValidLabelValue, IsValidPortName, IsValidPortNum, IsValidCIDR) and
 * resource.Quantity's grammar, with the API's own limits (1 MiB of ConfigMap or Secret data).
 * Each returns an error message (what is wrong and how to fix it) or undefined; none throws,
 * whatever the value, so one bad field never hides the others.
 */
import * as ipaddr from 'ipaddr.js';
import { parseQuantity } from './quantity';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label: names of Namespaces, Services, and container/port names. */
export function checkDnsLabel(value: string, what: string): string | undefined {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    return `${what} "${value}" is not a valid DNS-1123 label: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** RFC 1123 subdomain: names of most objects (Deployments, ConfigMaps, ...). */
export function checkDnsSubdomain(value: string, what: string): string | undefined {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    return `${what} "${value}" is not a valid DNS-1123 subdomain: use at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** A TCP/UDP port number, 1-65535 (IsValidPortNum). */
export function checkPort(port: number, what: string): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `${what} ${port} is outside 1-65535: use a TCP/UDP port number`;
  }
  return undefined;
}

/** A count: a whole number of 0 or more. */
export function checkNonNegativeInteger(value: number, what: string): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return `${what} is ${value}: use a whole number of 0 or more`;
  }
  return undefined;
}

/**
 * A Kubernetes resource quantity (`100m`, `64Mi`, `1.5Gi`): no spaces, a known suffix, a
 * finite value, and not negative (requests, limits, sizes and quotas never are).
 */
export function checkQuantity(value: string, what: string): string | undefined {
  const parsed = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (parsed === undefined || !Number.isFinite(parsed)) {
    return `${what} ${JSON.stringify(value)} is not a Kubernetes quantity: use forms like 100m, 0.5, 64Mi, 1Gi (no spaces; suffixes m, k, M, G, T, Ki, Mi, Gi, Ti)`;
  }
  if (parsed < 0) return `${what} "${value}" is negative: use 0 or more`;
  return undefined;
}

/** A number the API can hold: finite (NaN and Infinity render as .nan/.inf, which no field accepts). */
export function checkFinite(value: number, what: string): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? undefined : `${what} is ${value}: use a finite number`;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters (IsQualifiedName). */
export function checkQualifiedName(key: string, what: string): string | undefined {
  const parts = typeof key === 'string' ? key.split('/') : [];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const valid =
    parts.length >= 1 &&
    parts.length <= 2 &&
    name !== undefined &&
    name.length <= 63 &&
    QUALIFIED_NAME.test(name) &&
    (prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix)));
  return valid ? undefined : `${what} ${JSON.stringify(key)} is not a valid key: use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label value: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends, or empty (IsValidLabelValue). */
export function checkLabelValue(value: string, what: string): string | undefined {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    return `${what} ${JSON.stringify(value)} is not a valid label value: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Every key and value of a label map. */
export function checkLabels(labels: Readonly<Record<string, string>>, what: string): string[] {
  return errors(...Object.entries(labels ?? {}).flatMap(([k, v]) => [checkQualifiedName(k, `${what} key`), checkLabelValue(v, `${what} ${k}`)]));
}

/** A port name (IsValidPortName, IANA_SVC_NAME): at most 15 lower-case letters, digits and '-', with a letter, no '--', no '-' at either end. */
export function checkPortName(name: string, what: string): string | undefined {
  const valid = typeof name === 'string' && name.length >= 1 && name.length <= 15 && /^[a-z0-9-]+$/.test(name) && /[a-z]/.test(name) && !name.includes('--') && !name.startsWith('-') && !name.endsWith('-');
  return valid ? undefined : `${what} ${JSON.stringify(name)} is not a valid port name: use at most 15 lower-case letters, digits and '-', with at least one letter, no '--' and no '-' at either end`;
}

/** The values that occur more than once, each named once. */
export function checkUnique(values: readonly string[], what: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) (seen.has(v) ? repeated : seen).add(v);
  return [...repeated].map((v) => `${what} ${JSON.stringify(v)} is used more than once: give each a name of its own`);
}

/** Most bytes of data a ConfigMap or Secret may hold (the API server's limit). */
export const MAX_OBJECT_DATA_BYTES = 1024 * 1024;

/** The data of a ConfigMap or Secret fits the 1 MiB the API server accepts. */
export function checkDataSize(data: Readonly<Record<string, string>>, what: string): string | undefined {
  const bytes = Object.entries(data).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return bytes > MAX_OBJECT_DATA_BYTES ? `${what} holds ${bytes} bytes, over the ${MAX_OBJECT_DATA_BYTES} bytes (1 MiB) the API server accepts: split it, or mount the content from a volume` : undefined;
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A host of an Ingress or HTTPRoute: a DNS name of at most 253 characters, optionally `*.` first. */
export function checkHostname(host: string, what: string): string | undefined {
  if (typeof host !== 'string' || host.length > 253 || !HOSTNAME.test(host)) {
    return `${what} ${JSON.stringify(host)} is not a DNS name: use at most 253 characters of lower-case labels separated by dots (a leading '*.' for a wildcard)`;
  }
  return undefined;
}

/** A parsed image reference `registry/repo:tag@sha256:digest`. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const IMAGE = /^([a-z0-9]+(?:[._\-/:][a-z0-9]+)*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** The parts of an image reference, or undefined when it is not one. */
export function parseImage(image: string): ImageReference | undefined {
  const match = IMAGE.exec(image);
  if (!match) return undefined;
  return { repository: match[1], tag: match[2], digest: match[3] };
}

/**
 * Images are pinned (000:L81-90, L299-305): a versioned tag always, never `latest`,
 * and a digest where the environment requires one.
 */
export function checkImage(image: string, what: string, requireDigest: boolean): string | undefined {
  const ref = parseImage(image);
  if (!ref) {
    return `${what} "${image}" is not an image reference: use registry/repository:tag or registry/repository:tag@sha256:<64 hex digits>`;
  }
  if (!ref.tag) {
    return `${what} "${image}" has no tag: pin a versioned tag, e.g. ${ref.repository}:v1`;
  }
  if (ref.tag === 'latest') {
    return `${what} "${image}" uses the tag "latest", which moves under you: pin a versioned tag, e.g. ${ref.repository}:v1`;
  }
  if (requireDigest && !ref.digest) {
    return `${what} "${image}" has no digest, and this environment requires one: append @sha256:<digest> (docker images --digests shows it)`;
  }
  return undefined;
}

/** An IPv4 or IPv6 CIDR in canonical form (the network address, as Go prints it), as NetworkPolicy ipBlock takes it. */
export function checkCidr(cidr: string, what: string): string | undefined {
  if (typeof cidr !== 'string' || !/\/\d{1,3}$/.test(cidr)) {
    return `${what} ${JSON.stringify(cidr)} is not a CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  }
  let canonical: string;
  try {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
    canonical = `${network.toString()}/${bits}`;
  } catch {
    return `${what} "${cidr}" is not a valid CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  }
  return canonical === cidr ? undefined : `${what} "${cidr}" is not in canonical form: write ${canonical} (the network address, without host bits or leading zeros)`;
}

/** True when `inner` lies wholly inside `outer` (same family, longer or equal prefix). */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerAddr, outerBits] = ipaddr.parseCIDR(outer);
  const [innerAddr, innerBits] = ipaddr.parseCIDR(inner);
  if (outerAddr.kind() !== innerAddr.kind()) return false;
  return innerBits >= outerBits && innerAddr.match(outerAddr, outerBits);
}

/** Collects the messages of several checks, dropping the ones that passed. */
export function errors(...results: Array<string | undefined>): string[] {
  return results.filter((r): r is string => r !== undefined);
}
