/**
 * Validators for the values Kubernetes 1.28 itself would reject (or that the notes warn
 * about), so that the error comes at synth with the construct path, not at apply. They
 * follow k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain,
 * IsQualifiedName, IsValidLabelValue, IsValidPortName, IsValidPortNum, IsValidCIDR) and
 * resource.Quantity's grammar, with the API's own limits (1 MiB of ConfigMap or Secret data).
 * Each returns an error message (what is wrong and how to fix it) or undefined; none throws,
 * whatever the value, so one bad field never hides the others.
 */
import { createHash } from 'node:crypto';
import * as ipaddr from 'ipaddr.js';
import { parseQuantity } from './quantity';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 label: names of Namespaces, Services, and container/port names. */
export function checkDnsLabel(value: string, what: string): string | undefined {
  const fix = "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
  if (typeof value !== 'string') return notText(value, what, fix);
  if (value.length > 63 || !DNS1123_LABEL.test(value)) return `${what} "${value}" is not a valid DNS-1123 label: ${fix}`;
  return undefined;
}

/** The prefix Kubernetes keeps for its own namespaces (kube-system, kube-public, kube-node-lease). */
export const KUBE_NAMESPACE_PREFIX = 'kube-';

/** A name or label that is no text (from JavaScript), said as what it is rather than quoted as if it were text. */
function notText(value: unknown, what: string, fix: string): string {
  return `${what} is ${describeValue(value)}, not text: ${fix}`;
}

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1035 label: names of Services, which must start with a letter (ValidateServiceName). */
export function checkDns1035Label(value: string, what: string): string | undefined {
  const fix = "use at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
  if (typeof value !== 'string') return notText(value, what, fix);
  if (value.length > 63 || !DNS1035_LABEL.test(value)) return `${what} ${JSON.stringify(value)} is not a valid DNS-1035 label: ${fix}`;
  return undefined;
}

/** The longest a DNS-1035 label may be (a Service name). */
const DNS_LABEL_MAX = 63;

/** The start of a stand-in for a name with no letter in it. */
const FALLBACK_NAME = 'app';

/** Hex digits of a hash of the construct's path and the given name a stand-in ends with, so that it is no other construct's name. */
const STAND_IN_HASH_LENGTH = 8;

/** The longest of `suffixes`. */
function longest(suffixes: readonly string[]): number {
  return Math.max(0, ...suffixes.map((suffix) => suffix.length));
}

/**
 * A name a construct names all its objects from, its Services among them, each with one of
 * `suffixes` appended ('' for the name itself): every Service name must be a DNS-1035 label,
 * so the name is checked against the longest suffix. The problem reads `<what> "Web" ...:
 * it names every object of the <owner>`.
 */
function checkServiceNameStem(name: string, suffixes: readonly string[], what: string, owner: string): string | undefined {
  const limit = DNS_LABEL_MAX - longest(suffixes);
  const fix = `use at most ${limit} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`;
  if (typeof name !== 'string') return `${what} is ${describeValue(name)}, not a string: it names every object of the ${owner}: ${fix}`;
  const services = suffixes.map((suffix) => `${name}${suffix}`);
  const tooLong = services.find((service) => service.length > DNS_LABEL_MAX);
  const label = checkDns1035Label(name, what) === undefined;
  if (label && tooLong === undefined) return undefined;
  if (label) {
    return `${what} ${JSON.stringify(name)} has ${name.length} characters, so the Service "${tooLong}" named from it is over the ${DNS_LABEL_MAX} a Service name may have: ${fix}`;
  }
  const among = services.length > 1 ? `, the Services ${services.map((d) => JSON.stringify(d)).join(' and ')} among them` : '';
  return `${what} ${JSON.stringify(name)} is not a valid DNS-1035 label: it names every object of the ${owner}${among}: ${fix}`;
}

/**
 * What the construct at `path` builds its objects with while checkServiceNameStem's problem
 * is reported, so that they report only their own problems, not one each for the name: the
 * name lower-cased, other characters as '-', cut to fit `suffixes`, and ended with a hash of
 * the path and the name, so that it is no other construct's name, even one given the same
 * bad name (which would add duplicates to the problem).
 */
function standInServiceNameStem(name: unknown, suffixes: readonly string[], path: string): string {
  const hash = createHash('sha256').update(`${path}\n${describeValue(name)}`).digest('hex').slice(0, STAND_IN_HASH_LENGTH);
  const text = typeof name === 'string' ? name : '';
  const cleaned = text
    .toLowerCase()
    .replace(/[^-a-z0-9]/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, DNS_LABEL_MAX - longest(suffixes) - STAND_IN_HASH_LENGTH - 1)
    .replace(/-+$/, '');
  return `${cleaned === '' ? FALLBACK_NAME : cleaned}-${hash}`;
}

/** The name a construct builds its objects with, and the problem of the name it was given. */
export interface ServiceNameStem {
  /** The given name, or a stand-in for it while it is wrong (standInServiceNameStem). */
  readonly name: string;
  /** What is wrong with the given name (checkServiceNameStem). @default - nothing */
  readonly problem?: string;
}

/**
 * The name the construct at `path` builds its objects with: the given one, or, while its
 * problem is reported once by the construct, a valid stand-in, so that the objects report
 * only their own problems, not one each for the name.
 */
export function serviceNameStem(name: string, suffixes: readonly string[], what: string, owner: string, path: string): ServiceNameStem {
  const problem = checkServiceNameStem(name, suffixes, what, owner);
  return problem === undefined ? { name } : { name: standInServiceNameStem(name, suffixes, path), problem };
}

/** The longest DNS-1123 subdomain (DNS1123SubdomainMaxLength): the longest name of most objects, custom resources included. */
export const DNS_SUBDOMAIN_MAX_LENGTH = 253;

/** RFC 1123 subdomain: names of most objects (Deployments, ConfigMaps, ...). */
export function checkDnsSubdomain(value: string, what: string): string | undefined {
  const fix = `use at most ${DNS_SUBDOMAIN_MAX_LENGTH} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`;
  if (typeof value !== 'string') return notText(value, what, fix);
  if (value.length > DNS_SUBDOMAIN_MAX_LENGTH || !DNS1123_SUBDOMAIN.test(value)) return `${what} "${value}" is not a valid DNS-1123 subdomain: ${fix}`;
  return undefined;
}

/** Names a Role or RoleBinding may not have, and text it may not hold (path.IsValidPathSegmentName). */
const PATH_SEGMENT_NAMES_REFUSED = ['.', '..'];
const PATH_SEGMENT_TEXT_REFUSED = ['/', '%'];

/**
 * A Role, ClusterRole or binding name, as the API server takes it (ValidateRBACName, which is
 * path.IsValidPathSegmentName): any text but '.' and '..', without '/' or '%', and not empty
 * (ValidateObjectMeta). Capitals and ':' are common (`system:aggregate-to-edit`).
 */
export function checkRbacName(value: string, what: string): string | undefined {
  const fix = "use any name but '.' or '..', without '/' or '%'";
  if (typeof value !== 'string') return notText(value, what, fix);
  const refused = value === '' || PATH_SEGMENT_NAMES_REFUSED.includes(value) || PATH_SEGMENT_TEXT_REFUSED.some((t) => value.includes(t));
  return refused ? `${what} ${JSON.stringify(value)} is not a name the API server takes for it: ${fix}` : undefined;
}

/** The longest file name ext4, XFS and APFS hold, in bytes (NAME_MAX). */
const MAX_FILE_NAME_BYTES = 255;

/** The file synth writes an object to, inside its namespace's folder: `<kind>-<name>.yaml`. */
export function manifestFileName(kind: string, name: string): string {
  return `${kind.toLowerCase()}-${name}.yaml`;
}

/** What a name that is also a file name of synth's may hold: what the tools that take the folder's files read as one name. */
const FILE_NAME_SAFE = /^[A-Za-z0-9._:@+-]*$/;

/**
 * A name synth can write the file of (`manifestFileName`), for the names the API server
 * bounds by less than a DNS-1123 subdomain (RBAC's): at most 255 bytes in all, of letters,
 * digits and `-_.:@+` only. The API server takes more, but kubectl -f reads ',' as a list
 * of files, and a space, quote or control character breaks the scripts and tools that take
 * the folder's files (a NUL no file system holds).
 */
export function checkManifestFileName(kind: string, name: string, what: string): string | undefined {
  const file = manifestFileName(kind, name);
  const room = MAX_FILE_NAME_BYTES - Buffer.byteLength(manifestFileName(kind, ''));
  if (!FILE_NAME_SAFE.test(name)) {
    const held = [...new Set([...name].filter((c) => !FILE_NAME_SAFE.test(c)))].map((c) => JSON.stringify(c)).join(', ');
    return `${what} ${JSON.stringify(name)} holds ${held}, and synth writes the ${kind} to the file ${JSON.stringify(file)}, which kubectl -f (a ',' separates files there) and scripts would not read as one name: use letters, digits and '-', '_', '.', ':', '@', '+'`;
  }
  const bytes = Buffer.byteLength(file);
  if (bytes <= MAX_FILE_NAME_BYTES) return undefined;
  return `${what} ${JSON.stringify(name)} makes the file name of the ${kind} synth writes ${bytes} bytes, over the ${MAX_FILE_NAME_BYTES} a file system holds: use a name of at most ${room} bytes`;
}

/** A TCP/UDP port number, 1-65535 (IsValidPortNum). */
export function checkPort(port: number, what: string): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `${what} ${port} is outside 1-65535: use a TCP/UDP port number`;
  }
  return undefined;
}

/** The largest value of an int32 field (replicas, probe timings, user ids): the API server cannot read a larger one. */
export const MAX_INT32 = 2 ** 31 - 1;
/** The smallest value of an int32 field. */
export const MIN_INT32 = -(2 ** 31);

/** The bound of an int64 field (grace periods, deadlines, quota counts): as far as a number holds whole values exactly. */
export const MAX_INT64_CHECKED = Number.MAX_SAFE_INTEGER;

/** A count: a whole number of 0 or more, at most `max` (by default an int32's largest, as most count fields are). */
export function checkNonNegativeInteger(value: number, what: string, max = MAX_INT32): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return `${what} is ${describeValue(value)}: use a whole number of 0 or more`;
  }
  if (value > max) return `${what} is ${value}, over the ${max} the field holds: use a smaller number`;
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

/**
 * An amount of bytes (memory, storage, a size limit) in thousandths of a byte (`100m`): a
 * valid quantity to the API, but no container, volume or claim is sized in fractions of a
 * byte; it is nearly always meant as `100Mi`.
 */
export function checkMemoryUnit(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string' || !/^[0-9.]+m$/.test(value)) return undefined;
  const amount = value.slice(0, -1);
  return `${what} "${value}" is ${amount} thousandths of a byte ('m' is milli): write ${amount}Mi (mebibytes) or ${amount}M (megabytes)`;
}

/** An amount of bytes (memory, storage, a size limit): a quantity, and not in thousandths of a byte. */
export function checkByteQuantity(value: string, what: string): string | undefined {
  return checkQuantity(value, what) ?? checkMemoryUnit(value, what);
}

/** An amount of cpu (where `m` is millicores) or of memory (bytes, where it is a mistake). */
export function checkComputeQuantity(value: string, resource: 'cpu' | 'memory', what: string): string | undefined {
  return resource === 'memory' ? checkByteQuantity(value, what) : checkQuantity(value, what);
}

/**
 * A value as a message shows it: a string or an object as JSON (quoted, so "3" is not
 * read as 3), anything else as JavaScript writes it (NaN, Infinity and undefined, which
 * JSON would write as null or leave out).
 */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value); // an object JSON cannot write (a cycle, a bigint inside)
  }
}

/**
 * A number the API can hold: finite (NaN and Infinity render as .nan/.inf, which no field
 * accepts, and JSON as null). `fix` says what to give instead.
 */
export function checkFinite(value: number, what: string, fix = 'use a finite number'): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? undefined : `${what} is ${describeValue(value)}, not a finite number: ${fix}`;
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

/** The longest label value Kubernetes takes (IsValidLabelValue). */
export const MAX_LABEL_VALUE_LENGTH = 63;

/** A label value: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends, or empty (IsValidLabelValue). */
export function checkLabelValue(value: string, what: string): string | undefined {
  const fix = `use at most ${MAX_LABEL_VALUE_LENGTH} letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  if (typeof value !== 'string') return notText(value, what, fix);
  if (value.length > MAX_LABEL_VALUE_LENGTH || !LABEL_VALUE.test(value)) return `${what} ${JSON.stringify(value)} is not a valid label value: ${fix}`;
  return undefined;
}

/** Most bytes the keys and values of one object's annotations may hold (TotalAnnotationSizeLimitB). */
const MAX_ANNOTATION_BYTES = 256 * 1024;

/** An annotation map: every key a qualified name once lower-cased, all of it within 256 KiB (ValidateAnnotations). */
export function checkAnnotations(annotations: Readonly<Record<string, string>>, what: string): string[] {
  const entries = Object.entries(annotations ?? {});
  // the API checks the lower-cased key, so capitals pass in an annotation's prefix
  const problems = errors(...entries.map(([k]) => (checkQualifiedName(k.toLowerCase(), `${what} key`) === undefined ? undefined : checkQualifiedName(k, `${what} key`))));
  // an annotation's value is a string to the API (ObjectMeta.annotations is map[string]string): a number or flag from JavaScript would not decode
  problems.push(
    ...entries
      .filter(([, v]) => typeof v !== 'string')
      .map(([k, v]) => `${what} ${k} is ${describeValue(v)}, not a string: ${typeof v === 'number' || typeof v === 'boolean' ? `write it in quotes, e.g. "${String(v)}"` : 'give its text'}`),
  );
  const bytes = entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (bytes > MAX_ANNOTATION_BYTES) problems.push(`${what} hold ${bytes} bytes, over the ${MAX_ANNOTATION_BYTES} bytes (256 KiB) the API server accepts: move large values into a ConfigMap`);
  return problems;
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

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** A name that would step out of the folder it is mounted or expanded in: '.', or starting with '..' (hasChDirPrefix). */
function leavesFolder(name: string): boolean {
  return name === '.' || name.startsWith('..');
}

/** A key of a ConfigMap or Secret (IsConfigMapKey): at most 253 letters, digits, '-', '_' or '.', not '.' and not starting with '..'. */
export function checkConfigKey(key: string, what: string): string | undefined {
  if (typeof key !== 'string' || key.length > 253 || !CONFIG_KEY.test(key) || leavesFolder(key)) {
    return `${what} ${JSON.stringify(key)} is not a valid key: use at most 253 letters, digits, '-', '_' or '.' (not '.', and not starting with '..')`;
  }
  return undefined;
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** An environment variable's name (IsEnvVarName): letters, digits, '_', '-' or '.', not starting with a digit, not '.' and not starting with '..'. */
export function checkEnvVarName(name: string, what: string): string | undefined {
  if (typeof name === 'string' && ENV_VAR_NAME.test(name) && !leavesFolder(name)) return undefined;
  return `${what} ${JSON.stringify(name)} is invalid: use letters, digits, '_', '-' or '.', not starting with a digit (and not '.', or starting with '..')`;
}

/** A path with no '..' element, which could step out of where it points (validatePathNoBacksteps); a name such as '..data' is no step. */
export function checkPathNoBacksteps(path: string, what: string): string | undefined {
  if (typeof path !== 'string' || !path.split('/').includes('..')) return undefined;
  return `${what} ${JSON.stringify(path)} must not contain '..', which the API server refuses: write the path it leads to, without '..' steps`;
}

/** Sequences Kubernetes refuses in an Exact or Prefix path of an Ingress or HTTPRoute: a proxy normalizing the request path would read past them. */
const UNNORMALIZED_PATH_PARTS = ['//', '/./', '/../', '%2f', '%2F'];
/** Endings refused in such a path, for the same reason. */
const UNNORMALIZED_PATH_ENDS = ['/..', '/.'];
/** What an HTTPRoute's Exact or PathPrefix path may hold besides: the Gateway API's CRD also refuses '#' and every character outside a URI path. */
const HTTP_ROUTE_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
/** The longest path an HTTPRoute takes. */
const MAX_HTTP_ROUTE_PATH = 1024;

/** A request path is absolute: all the API asks of an ImplementationSpecific Ingress path, and the first rule of the others. */
export function checkAbsolutePath(path: string, what: string): string | undefined {
  return typeof path === 'string' && path.startsWith('/') ? undefined : `${what} ${JSON.stringify(path)} must start with '/': write "/${path}"`;
}

/**
 * An Exact or Prefix path of an Ingress (`validateHTTPIngressPath`) or of an HTTPRoute
 * (the CRD's validation rules, `route` true): absolute, with no empty, '.' or '..' segment
 * and no encoded '/'; an HTTPRoute's also of URI path characters only, at most 1024.
 */
export function checkHttpPath(path: string, what: string, route: boolean): string[] {
  const relative = checkAbsolutePath(path, what);
  if (relative !== undefined) return [relative];
  const fix = "write the path as a proxy reads it once normalized: no '//', no '.' or '..' segment, '/' itself rather than %2F";
  const problems = [
    ...UNNORMALIZED_PATH_PARTS.filter((part) => path.includes(part)).map((part) => `${what} "${path}" must not contain '${part}': ${fix}`),
    ...UNNORMALIZED_PATH_ENDS.filter((end) => path.endsWith(end)).map((end) => `${what} "${path}" must not end with '${end}': ${fix}`),
  ];
  if (route && path.length > MAX_HTTP_ROUTE_PATH) problems.push(`${what} has ${path.length} characters, over the ${MAX_HTTP_ROUTE_PATH} an HTTPRoute takes: shorten it`);
  if (route && !HTTP_ROUTE_PATH.test(path)) {
    problems.push(`${what} "${path}" holds characters an HTTPRoute path cannot ('#', spaces, or others outside a URI path): percent-encode them, e.g. %20 for a space`);
  }
  return problems;
}

/** A percentage as IsValidPercent takes one: digits and '%', leading zeros allowed. */
const PERCENT = /^[0-9]+%$/;

/** The most a percentage of pods that may be down or must stay up can be (IsNotMoreThan100Percent). */
export const MAX_PERCENT = 100;

/**
 * The number of a percentage `N%` as the API reads it (IsValidPercent, then getPercentValue's
 * strconv.Atoi, so `05%` is 5), or undefined when the value is no percentage.
 */
export function percentValue(value: unknown): number | undefined {
  return typeof value === 'string' && PERCENT.test(value) ? Number(value.slice(0, -1)) : undefined;
}

/**
 * A count or a percentage of pods (rolling updates, disruption budgets): a whole number of 0
 * or more, or `N%` (ValidatePositiveIntOrPercent); with `atMost100`, not over 100%
 * (IsNotMoreThan100Percent, as maxUnavailable and both budget fields need).
 */
export function checkIntOrPercent(value: number | string, what: string, atMost100: boolean): string | undefined {
  if (typeof value === 'number') return checkNonNegativeInteger(value, what);
  const percent = percentValue(value);
  if (percent === undefined) return `${what} ${JSON.stringify(value)} is neither a whole number nor a percentage: give a count of pods, e.g. 1, or a percentage, e.g. '25%'`;
  if (atMost100 && percent > MAX_PERCENT) return `${what} ${value} is over ${MAX_PERCENT}%: give at most '${MAX_PERCENT}%'`;
  return undefined;
}

/** The effects a taint, and so a toleration, can have. */
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** One toleration's fields as the pod spec types them. */
interface TolerationFields {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** Tolerations as the API validates them (validateTolerations). */
export function checkTolerations(list: readonly TolerationFields[], what: string): string[] {
  return (list ?? []).flatMap((t, i) => {
    const at = `${what}[${i}]`;
    // an empty operator is Equal, as the API reads it
    const operator = t.operator === undefined || t.operator === '' ? 'Equal' : t.operator;
    // a negative tolerationSeconds is valid: the API reads it as "evict at once"
    const problems = errors(t.key === undefined || t.key === '' ? undefined : checkQualifiedName(t.key, `${at}.key`));
    if (operator !== 'Equal' && operator !== 'Exists') problems.push(`${at}.operator ${JSON.stringify(operator)} is not an operator: use 'Equal' or 'Exists'`);
    if ((t.key === undefined || t.key === '') && operator !== 'Exists') problems.push(`${at} has no key, so it must match every taint: set operator 'Exists', or give the key`);
    if (operator === 'Exists' && t.value !== undefined && t.value !== '') problems.push(`${at}.value ${JSON.stringify(t.value)} goes with operator 'Exists', which matches any value: drop the value, or use operator 'Equal'`);
    if (operator === 'Equal' && t.value !== undefined) problems.push(...errors(checkLabelValue(t.value, `${at}.value`)));
    if (t.effect !== undefined && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect)) problems.push(`${at}.effect ${JSON.stringify(t.effect)} is not a taint effect: use one of ${TAINT_EFFECTS.join(', ')} (or none for all)`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') problems.push(`${at}.tolerationSeconds applies to effect 'NoExecute' only: set that effect, or drop tolerationSeconds`);
    // an int64 field: the API server cannot even convert 1.5 ("cannot convert float64 to int64"); a non-finite number has a message of its own
    if (Number.isFinite(t.tolerationSeconds) && !Number.isInteger(t.tolerationSeconds)) problems.push(`${at}.tolerationSeconds ${t.tolerationSeconds} is not a whole number of seconds: give one, e.g. 300`);
    return problems;
  });
}

/** The fields of a standard cron schedule, their bounds and names (robfig/cron v3, which the CronJob controller parses with). */
const CRON_FIELDS: ReadonlyArray<{ readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day-of-week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** The descriptors the parser takes in place of five fields. */
const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** `@every` and a Go duration (time.ParseDuration), which the parser also takes. */
const EVERY_DURATION = /^@every [-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** One value of a cron field (a number or a name), or what is wrong with it. */
function cronValue(text: string, field: (typeof CRON_FIELDS)[number]): number | string {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + field.min : cronNumber(text);
  if (value === undefined) return `"${text}" is not a number${field.names ? ' or a name' : ''}`;
  if (value < field.min || value > field.max) return `${value} is outside ${field.min}-${field.max}`;
  return value;
}

/** The largest number Go's strconv.Atoi reads on a 64-bit machine (compared exactly: as a JavaScript number it rounds up). */
const MAX_GO_INT = 2n ** 63n - 1n;

/** A number as the parser reads it (strconv.Atoi: an optional sign, leading zeros, no more than an int holds), if it is one of 0 or more. */
function cronNumber(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const digits = text.replace(/^[+-]/, '');
  // "-0" is 0; any other negative number is refused ("negative number not allowed")
  if (BigInt(digits) > MAX_GO_INT || (text.startsWith('-') && BigInt(digits) !== 0n)) return undefined;
  return Number(digits);
}

/** A part of a cron field as the parser reads it. */
interface CronPart {
  readonly values: readonly number[];
  readonly star: boolean;
}

/**
 * One comma-separated part of a cron field (`*`, `a`, `a-b`, each with an optional `/step`)
 * as the parser reads it (robfig/cron's getRange): the values it names, and whether it
 * keeps the star bit (`*` or `?` with no step above 1, which makes the days match by both
 * day fields); or what is wrong with it.
 */
function cronPart(part: string, field: (typeof CRON_FIELDS)[number]): CronPart | string {
  const [range, stepText, extra] = part.split('/');
  const step = stepText === undefined ? 1 : cronNumber(stepText);
  if (extra !== undefined || step === undefined || step === 0) return `"${part}" has a step that is not a whole number of 1 or more`;
  const texts = range.split('-');
  // `*` or `?` before any '-' is the whole field to the parser, whatever follows it (`*-5` is `*`)
  const star = texts[0] === '*' || texts[0] === '?';
  let bounds: number[] = [field.min, field.max];
  if (!star) {
    if (texts.length > 2) return `"${part}" is not a value or a range a-b`;
    const values = texts.map((b) => cronValue(b, field));
    const wrong = values.find((v): v is string => typeof v === 'string');
    if (wrong !== undefined) return wrong;
    // `N/step` runs from N to the field's end
    bounds = values.length === 2 ? (values as number[]) : [values[0] as number, stepText === undefined ? (values[0] as number) : field.max];
    if (bounds[0] > bounds[1]) return `"${range}" starts after it ends`;
  }
  const values: number[] = [];
  for (let v = bounds[0]; v <= bounds[1]; v += step) values.push(v);
  return { values, star: star && step === 1 };
}

/** The parts of a cron field: the parser skips empty ones (`1,,15` is 1 and 15). */
function cronParts(text: string, field: (typeof CRON_FIELDS)[number]): Array<CronPart | string> {
  return text
    .split(',')
    .filter((part) => part !== '')
    .map((part) => cronPart(part, field));
}

/** White space as Go's strings.Fields reads it (unicode.IsSpace), which the parser splits fields on: not quite JavaScript's `\s` (U+FEFF is not space to Go, U+0085 is). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_SPACES = new RegExp(`${GO_SPACE}+`);
const GO_SPACE_AROUND = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** The most days each month has, February in a leap year. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the schedule has a day to run on, as robfig/cron's dayMatches reads the two day
 * fields: where either keeps the star bit, a day must match both (every month has every
 * weekday, so with day-of-week `*` only the days of the month count, and 30 February never
 * comes); otherwise it may match either.
 */
function cronDaysExist(days: readonly CronPart[], months: readonly CronPart[], weekdays: readonly CronPart[]): boolean {
  const dayValues = days.flatMap((part) => part.values);
  const monthHasDay = months.some((part) => part.values.some((month) => dayValues.some((day) => day <= DAYS_IN_MONTH[month - 1])));
  if (weekdays.some((part) => part.star)) return monthHasDay;
  const weekdayNamed = weekdays.length > 0;
  return days.some((part) => part.star) ? weekdayNamed : monthHasDay || weekdayNamed;
}

/** Why a schedule the parser takes would never run, or undefined: a field of commas only, or days that never come. */
function cronNeverRuns(fields: readonly string[], parsed: ReadonlyArray<readonly CronPart[]>): string | undefined {
  const [, , days, months, weekdays] = parsed;
  const noValue = (i: number) => `its ${CRON_FIELDS[i].name} "${fields[i]}" names no value: give one, or '*' for all`;
  // the parser takes a field of commas only, and then finds no time to run at
  const emptyTime = [0, 1, 3].find((i) => parsed[i].length === 0);
  if (emptyTime !== undefined) return noValue(emptyTime);
  if (cronDaysExist(days, months, weekdays)) return undefined;
  if (days.length === 0) return noValue(2);
  if (weekdays.length === 0) return noValue(4);
  return `no month it names has a day of the month it names (February has 29 days at most; April, June, September and November 30): name days those months have`;
}

/**
 * A CronJob schedule the API server takes and its controller runs: five fields (minute,
 * hour, day of month, month, day of week), each `*`, a value, a range or a list, with
 * steps; or a descriptor such as `@daily`. The time zone goes in `timeZone`, not in the
 * schedule (TZ= is refused).
 */
export function checkCronSchedule(schedule: string, what: string): string | undefined {
  const fix = `give five fields (minute hour day-of-month month day-of-week), e.g. '30 2 * * *' for 02:30 every day`;
  if (typeof schedule !== 'string') return `${what} is missing or not text: ${fix}`;
  const text = schedule.replace(GO_SPACE_AROUND, '');
  if (text === '') return `${what} is empty: ${fix}`;
  if (/^(CRON_)?TZ=/.test(text)) return `${what} "${schedule}" names a time zone: put it in timeZone and leave the schedule its five fields`;
  if (text.startsWith('@')) {
    // the controller's parser compares a descriptor whole, spaces included
    if (text !== schedule) return `${what} "${schedule}" has spaces around its descriptor, which the CronJob controller does not take: write "${text}"`;
    const known = CRON_DESCRIPTORS.includes(text) || EVERY_DURATION.test(text);
    return known ? undefined : `${what} "${schedule}" is not a descriptor the CronJob controller knows: use one of ${CRON_DESCRIPTORS.join(', ')}, '@every <duration>' (e.g. @every 90m), or ${fix}`;
  }
  const fields = text.split(GO_SPACES);
  if (fields.length !== CRON_FIELDS.length) return `${what} "${schedule}" has ${fields.length} fields: ${fix}`;
  const parsed = fields.map((f, i) => cronParts(f, CRON_FIELDS[i]));
  const problems = parsed.flatMap((parts, i) => {
    const wrong = parts.find((p): p is string => typeof p === 'string');
    return wrong === undefined ? [] : [`${CRON_FIELDS[i].name} ${wrong}`];
  });
  if (problems.length > 0) return `${what} "${schedule}" is not a valid cron schedule (${problems.join('; ')}): ${fix}`;
  const never = cronNeverRuns(fields, parsed as CronPart[][]);
  return never === undefined ? undefined : `${what} "${schedule}" never runs: ${never}`;
}

/**
 * A time zone of the IANA database (as CronJob's timeZone takes it, through Go's
 * time.LoadLocation): a name this runtime's time-zone data knows, written with its own
 * capitals (the controller reads it as a file name, so `europe/london` is not found).
 */
export function checkTimeZone(zone: string, what: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `${what} ${JSON.stringify(zone)} is not a time zone of the IANA database: use a name such as Europe/Berlin or America/New_York (or Etc/UTC)`;
  }
  if (zone === 'Local' || (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())) {
    return `${what} ${JSON.stringify(zone)} is not a time zone name the controller finds: write ${resolved === 'Local' ? 'a name such as Etc/UTC' : resolved}`;
  }
  return undefined;
}

/** How a problem lists the named container ports pods declare (sorted, once each), so that a typo is seen beside its fix: `they declare "http", "metrics"`. */
export function theyDeclarePorts(names: Iterable<string>): string {
  const declared = [...new Set(names)].sort();
  return declared.length === 0 ? 'they declare no named ports' : `they declare ${declared.map((n) => `"${n}"`).join(', ')}`;
}

/** The protocols of a container, Service or NetworkPolicy port, as the API takes them. */
export const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/**
 * One of the values a field takes: TypeScript holds typed callers to them, and this holds
 * the rest (JavaScript, values read from JSON).
 */
export function checkOneOf(value: unknown, allowed: readonly string[], what: string): string | undefined {
  return allowed.includes(value as string) ? undefined : `${what} ${JSON.stringify(value)} is not one of the values it takes: use ${allowed.map((a) => `'${a}'`).join(', ')}`;
}

/** Whether an opt-out's reason says something: text that is not only spaces (a JavaScript caller may give none). */
export function hasReason(reason: unknown): boolean {
  return typeof reason === 'string' && reason.trim() !== '';
}

/** The values that occur more than once, each named once, with `fix` (by default, a name of its own for each). */
export function checkUnique(values: readonly string[], what: string, fix = 'give each a name of its own'): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) (seen.has(v) ? repeated : seen).add(v);
  return [...repeated].map((v) => `${what} ${JSON.stringify(v)} is used more than once: ${fix}`);
}

/** Most bytes of data a ConfigMap or Secret may hold (the API server's limit). */
export const MAX_OBJECT_DATA_BYTES = 1024 * 1024;

/**
 * Every value of a ConfigMap's or Secret's data is a string, as the API server takes it:
 * the types hold TypeScript callers to that, and this the rest (JavaScript, `as` casts).
 * `what` names a key's place, e.g. `ConfigMap "cfg" data key`.
 */
export function checkDataValues(data: Readonly<Record<string, string>>, what: string): string[] {
  return Object.entries(data)
    .filter(([, value]) => typeof value !== 'string')
    .map(([key, value]) => {
      const written = Number.isFinite(value) || typeof value === 'boolean' ? `, e.g. "${String(value)}"` : typeof value === 'object' && value !== null ? ', e.g. written with JSON.stringify' : '';
      return `${what} ${JSON.stringify(key)} is ${describeValue(value)}, not text: give the value as a string${written}`;
    });
}

/** The data of a ConfigMap or Secret fits the 1 MiB the API server accepts: the values' bytes, as ValidateConfigMap and ValidateSecret add them up (keys do not count). */
export function checkDataSize(data: Readonly<Record<string, string>>, what: string): string | undefined {
  // a value that is no string is checkDataValues's to report
  const bytes = Object.values(data).reduce((sum, v) => sum + (typeof v === 'string' ? Buffer.byteLength(v) : 0), 0);
  return bytes > MAX_OBJECT_DATA_BYTES ? `${what} holds ${bytes} bytes, over the ${MAX_OBJECT_DATA_BYTES} bytes (1 MiB) the API server accepts: split it, or mount the content from a volume` : undefined;
}

/** Four dot-separated decimal numbers, leading zeros allowed. */
const FOUR_PART_DECIMAL = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/;

/**
 * `address` as an IPv4 address the way Kubernetes' validation reads one
 * (`netutils.ParseIPSloppy`, `ParseCIDRSloppy`): four decimal parts of at most 255, leading
 * zeros allowed (and read as decimal), so `10.0.0.01` is 10.0.0.1 and `256.1.1.1` no
 * address. Returned without the leading zeros; undefined when it is no such address.
 */
function sloppyIPv4(address: string): string | undefined {
  const parts = FOUR_PART_DECIMAL.exec(address)?.slice(1).map(Number);
  return parts && parts.every((part) => part <= 255) ? parts.join('.') : undefined;
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A host of an Ingress or HTTPRoute: a DNS name of at most 253 characters, optionally `*.` first, and not an IP address. */
export function checkHostname(host: string, what: string): string | undefined {
  if (typeof host !== 'string' || host.length > 253 || !HOSTNAME.test(host)) {
    return `${what} ${JSON.stringify(host)} is not a DNS name: use at most 253 characters of lower-case labels separated by dots (a leading '*.' for a wildcard)`;
  }
  if (sloppyIPv4(host) !== undefined) return `${what} "${host}" is an IP address, which Ingress and HTTPRoute hosts may not be: give the DNS name clients use`;
  return undefined;
}

/** A parsed image reference `registry/repo:tag@sha256:digest`. */
export interface ImageReference {
  /** Registry and repository, e.g. `docker.io/library/nginx`. */
  readonly repository: string;
  /** @default - no tag */
  readonly tag?: string;
  /** `sha256:` and 64 hex digits. @default - no digest: the image is not pinned */
  readonly digest?: string;
}

/**
 * An image reference as docker/distribution's `reference` package (v2.8.2) reads one:
 * `[domain[:port]/]component[/component...][:tag][@digest]`, a domain's parts in either
 * case, a path component lower-case letters and digits joined by '.', '_', '__' or dashes.
 * Its separator `[-]*` is written `-+` here: the language is the same, and a JavaScript
 * engine, unlike Go's, would backtrack without end over `[a-z0-9]+([-]*[a-z0-9]+)*`. The
 * digest is sha256, the one the pinning rules ask for.
 */
const IMAGE = (() => {
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
  const domain = `${domainPart}(?:\\.${domainPart})*(?::[0-9]+)?`;
  return new RegExp(`^((?:${domain}/)?${component}(?:/${component})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);
})();

/** The longest repository name (registry included) a reference may have (NameTotalLengthMax). */
const MAX_IMAGE_NAME = 255;

/** The parts of an image reference, or undefined when it is not one. */
export function parseImage(image: string): ImageReference | undefined {
  const match = typeof image === 'string' ? IMAGE.exec(image) : null;
  if (!match || match[1].length > MAX_IMAGE_NAME) return undefined;
  return { repository: match[1], tag: match[2], digest: match[3] };
}

/**
 * Images are pinned (000:L81-90, L299-305): a versioned tag always, never `latest`,
 * and a digest where the environment requires one.
 */
export function checkImage(image: string, what: string, requireDigest: boolean): string | undefined {
  const ref = parseImage(image);
  if (!ref) {
    return `${what} "${image}" is not an image reference: use registry/repository:tag or registry/repository:tag@sha256:<64 hex digits>, the repository path in lower case`;
  }
  if (!ref.tag) {
    return `${what} "${image}" has no tag: pin a versioned tag, e.g. ${ref.repository}:v1`;
  }
  if (ref.tag === 'latest') {
    return `${what} "${image}" uses the tag "latest", which moves under you: pin a versioned tag, e.g. ${ref.repository}:v1`;
  }
  // a tag without a digit names a line, not a version (stable, main, alpine), and moves as latest does; a digest pins it anyway
  if (!ref.digest && !/\d/.test(ref.tag)) {
    return `${what} "${image}" uses the tag "${ref.tag}", which names no version and moves under you as latest does: pin a versioned tag, e.g. ${ref.repository}:v1, or add its @sha256 digest`;
  }
  if (requireDigest && !ref.digest) {
    return `${what} "${image}" has no digest, and this environment requires one: append @sha256:<digest> (docker images --digests shows it)`;
  }
  return undefined;
}

/**
 * An IPv4 or IPv6 CIDR in canonical form (the network address, as Go prints it), for a
 * NetworkPolicy ipBlock. Kubernetes 1.28 stores a non-canonical one as written; synth asks
 * for the canonical form, since host bits are dropped without a word and leading zeros read
 * as decimal here and as octal by other parsers (CVE-2021-29923).
 */
export function checkCidr(cidr: string, what: string): string | undefined {
  if (typeof cidr !== 'string' || !/\/\d{1,3}$/.test(cidr)) {
    return `${what} ${JSON.stringify(cidr)} is not a CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  }
  const invalid = `${what} "${cidr}" is not a valid CIDR: write an address with a prefix length, e.g. 10.0.0.0/16`;
  const [address, length] = cidr.split('/');
  const ipv6 = address.includes(':');
  // an IPv4 address is read as Kubernetes reads it, not as ipaddr does: 010 is ten there, not eight, and 10/8 no address
  const ipv4 = ipv6 ? undefined : sloppyIPv4(address);
  if (!ipv6 && ipv4 === undefined) return invalid;
  const readable = ipv6 ? cidr : `${ipv4}/${length}`;
  let canonical: string;
  try {
    const [parsed, bits] = ipaddr.parseCIDR(readable);
    const network = parsed.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(readable) : ipaddr.IPv6.networkAddressFromCIDR(readable);
    canonical = `${network.toString()}/${bits}`;
  } catch {
    return invalid;
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
