/**
 * Validators for the values Kubernetes itself would reject (or that the notes warn
 * about), so that the error comes at synth with the construct path, not at apply.
 * Each returns an error message (what is wrong and how to fix it) or undefined.
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

/** A TCP/UDP port number, 1-65535. */
export function checkPort(port: number, what: string): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return `${what} ${port} is outside 1-65535: use a TCP/UDP port number`;
  }
  return undefined;
}

/** A count: a whole number of 0 or more. */
export function checkNonNegativeInteger(value: number, what: string): string | undefined {
  if (!Number.isInteger(value) || value < 0) {
    return `${what} is ${value}: use a whole number of 0 or more`;
  }
  return undefined;
}

/** A Kubernetes resource quantity (`100m`, `64Mi`, `1.5Gi`). */
export function checkQuantity(value: string, what: string): string | undefined {
  if (parseQuantity(value) === undefined) {
    return `${what} "${value}" is not a Kubernetes quantity: use forms like 100m, 0.5, 64Mi, 1Gi`;
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

/** An IPv4 or IPv6 CIDR, as NetworkPolicy ipBlock takes it. */
export function checkCidr(cidr: string, what: string): string | undefined {
  if (!/\/\d{1,3}$/.test(cidr)) {
    return `${what} "${cidr}" is not a CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  }
  try {
    ipaddr.parseCIDR(cidr);
    return undefined;
  } catch {
    return `${what} "${cidr}" is not a valid CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  }
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
