/**
 * Values the Kubernetes 1.28 API server refuses (each message below was first seen from
 * `kubectl create --dry-run=server` against it) are refused at synth, naming the field and
 * the fix; the values next to them that it accepts still pass.
 */
import {
  AppDeployment,
  AppDeploymentProps,
  AppHttpRoute,
  AppIngress,
  AppSecret,
  AppService,
  AppVolumeClaim,
  BlueGreen,
  Colour,
  defineEnvironments,
  DeveloperAccess,
  defineProject,
  NamespacedApp,
  NamespacedAppProps,
  NetworkPolicy,
  NodeAgent,
  ScheduledJob,
  StatefulApp,
  StatefulAppProps,
  VersionedConfigMap,
  checkAnnotations,
  checkConfigKey,
  checkCronSchedule,
  checkDataSize,
  checkEnvVarName,
  checkHttpPath,
  checkNonNegativeInteger,
  MAX_INT64_CHECKED,
  checkDns1035Label,
  checkHostname,
  checkIntOrPercent,
  checkOneOf,
  checkTimeZone,
  checkTolerations,
  synthManifests,
} from 'k8s-iac';
import * as k8s from '../../imports/k8s';
import { synthProblems } from 'k8s-iac/testing';
import { IMAGE, LIMITS, QUOTA, SETTINGS, synth, synthErrors, WEB_POD } from '../helpers';

const web = (props: Partial<AppDeploymentProps> = {}) => (ns: NamespacedApp) => void new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, ...props });
const withContainer = (container: Partial<AppDeploymentProps['container']>) => web({ container: { ...WEB_POD.container, ...container } });

describe('validators, as the API server reads the values', () => {
  // the @every durations as Go's time.ParseDuration reads them (checked with go1.26: .5h, -1h, +5m and 0 parse)
  test.each(['30 2 * * *', '*/5 * * * MON-FRI', '0 12 1,15 JAN-MAR *', '5/15 * * * *', '0 0 * * 0-6', '@daily', '@every 90m', '@every .5h', '@every 1h30m', '@every -1h', '@every +5m', '@every 0', ' 30 2 * * * ', '0 0 29 2 *', '0 0 30 2 1', '0 0 31 4/2 *',
    // as robfig/cron v3 reads them (scripts/cron-agreement.js): empty list parts are skipped, numbers are read by strconv.Atoi,
    // a step of 2 drops day-of-week's star, so 30 February or any Monday; a day of the month with no weekday field runs on its own
    '0 0 1,,15 * *', '+5 * * * *', '05/015 * * * *', '0 0 30 2 */2', '0 0 15 * ,', '0\u00850 * * *',
    // a star before '-' is the whole field, whatever follows; a step up to the largest int Atoi reads
    '*-5 * * * *', '?-x * * * *', '*/9223372036854775807 * * * *'])('schedule %j passes', (s) => {
    expect(checkCronSchedule(s, 'schedule')).toBeUndefined();
  });
  test.each([
    ['61 * * * *', /minute 61 is outside 0-59/],
    ['0 0 1 13 *', /month 13 is outside 1-12/],
    ['0 0 * * 7', /day-of-week 7 is outside 0-6/],
    ['a b c d e', /minute "a" is not a number; hour "b"/],
    ['5-1 * * * *', /"5-1" starts after it ends/],
    ['*/0 * * * *', /has a step that is not a whole number of 1 or more/],
    ['30 2 * *', /has 4 fields: give five fields/],
    ['@fortnightly', /is not a descriptor the CronJob controller knows/],
    ['TZ=UTC 0 2 * * *', /names a time zone: put it in timeZone/],
    // a descriptor is compared whole: the API server refuses '@daily ' (unrecognized descriptor)
    ['@daily ', /has spaces around its descriptor, which the CronJob controller does not take: write "@daily"/],
    [' @hourly', /has spaces around its descriptor/],
    ['@every 1', /is not a descriptor the CronJob controller knows/],
    ['@every .', /is not a descriptor the CronJob controller knows/],
    // taken by the API server, but with day-of-week * its controller only runs it on days that never come
    ['0 0 30 2 *', /never runs: no month it names has a day of the month it names/],
    ['0 0 31 4,6,9,11 ?', /never runs/],
    // day-of-week keeps the star with a step of 1 or beside other parts
    ['0 0 30 2 */1', /never runs: no month it names has a day/],
    ['0 0 30 2 *,1', /never runs: no month it names has a day/],
    ['0 0 30 2 ?/01', /never runs: no month it names has a day/],
    // a field of commas only names nothing: taken by the server, never run by the controller
    ['0 , * * *', /never runs: its hour "," names no value: give one, or '\*' for all/],
    ['0 0 , * *', /never runs: its day-of-month "," names no value/],
    ['-1 * * * *', /minute "" is not a number/],
    ['*/-1 * * * *', /has a step that is not a whole number of 1 or more/],
    ['*/9223372036854775808 * * * *', /has a step that is not a whole number of 1 or more/],
    ['0 0 30 2 *-3', /never runs: no month it names has a day/],
    // U+FEFF is white space to JavaScript, not to Go's strings.Fields
    ['0\ufeff0 * * *', /has 4 fields/],
  ])('schedule %j is refused', (s, message) => expect(checkCronSchedule(s, 'schedule')).toMatch(message));

  test('time zones: IANA names and their aliases, with their own capitals', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Etc/UTC', 'UTC', 'US/Pacific']) expect(checkTimeZone(zone, 'timeZone')).toBeUndefined();
    expect(checkTimeZone('Mars/Olympus', 'timeZone')).toMatch(/is not a time zone of the IANA database/);
    expect(checkTimeZone('europe/berlin', 'timeZone')).toMatch(/write Europe\/Berlin/);
    expect(checkTimeZone('Local', 'timeZone')).toMatch(/not a time zone/);
  });

  test('Ingress and HTTPRoute paths, as validateHTTPIngressPath and the HTTPRoute CRD read them', () => {
    for (const path of ['/', '/api/v1', '/a.b/c..d', '/.well-known/x', '/a%20b']) {
      expect(checkHttpPath(path, 'path', false)).toEqual([]);
      expect(checkHttpPath(path, 'path', true)).toEqual([]);
    }
    const refused = (path: string, route: boolean) => checkHttpPath(path, 'path', route).join('\n');
    expect(refused('api', false)).toMatch(/must start with '\/': write "\/api"/);
    for (const [path, part] of [['/a//b', '//'], ['/a/./b', '/./'], ['/a/../b', '/../'], ['/a%2fb', '%2f'], ['/a%2Fb', '%2F']]) {
      expect(refused(path, false)).toMatch(`must not contain '${part}'`);
      expect(refused(path, true)).toMatch(`must not contain '${part}'`);
    }
    for (const [path, end] of [['/static/..', '/..'], ['/static/.', '/.']]) expect(refused(path, false)).toMatch(`must not end with '${end}'`);
    // '#', a space and a bare '%' pass an Ingress; an HTTPRoute takes URI path characters only, and at most 1024
    for (const path of ['/a#b', '/a b', '/100%']) {
      expect(checkHttpPath(path, 'path', false)).toEqual([]);
      expect(refused(path, true)).toMatch(/holds characters an HTTPRoute path cannot/);
    }
    expect(refused(`/${'a'.repeat(1024)}`, true)).toMatch(/has 1025 characters, over the 1024 an HTTPRoute takes/);
  });

  test('int32 and int64 fields, and data sizes as the API server adds them up', () => {
    expect(checkNonNegativeInteger(2 ** 31 - 1, 'replicas')).toBeUndefined();
    expect(checkNonNegativeInteger(2 ** 31, 'replicas')).toMatch(/is 2147483648, over the 2147483647 the field holds/);
    expect(checkNonNegativeInteger(2 ** 31, 'terminationGracePeriodSeconds', MAX_INT64_CHECKED)).toBeUndefined();
    // ValidateConfigMap and ValidateSecret count the values' bytes only
    expect(checkDataSize({ ['k'.repeat(200)]: 'x'.repeat(1024 * 1024) }, 'ConfigMap')).toBeUndefined();
    expect(checkDataSize({ a: 'x'.repeat(512 * 1024), b: 'x'.repeat(512 * 1024 + 1) }, 'ConfigMap')).toMatch(/holds 1048577 bytes, over the 1048576 bytes/);
  });

  test('counts and percentages of pods', () => {
    // IsValidPercent takes leading zeros, and getPercentValue reads '05%' as 5
    for (const ok of [0, 1, '0%', '25%', '100%', '05%', '0100%']) expect(checkIntOrPercent(ok, 'maxUnavailable', true)).toBeUndefined();
    expect(checkIntOrPercent('0101%', 'maxUnavailable', true)).toMatch(/0101% is over 100%/);
    expect(checkIntOrPercent('150%', 'maxSurge', false)).toBeUndefined();
    expect(checkIntOrPercent('150%', 'maxUnavailable', true)).toMatch(/is over 100%/);
    expect(checkIntOrPercent('one', 'minAvailable', true)).toMatch(/neither a whole number nor a percentage/);
    expect(checkIntOrPercent('50 %', 'minAvailable', true)).toMatch(/neither a whole number nor a percentage/);
    expect(checkIntOrPercent(-1, 'maxSurge', false)).toMatch(/use a whole number of 0 or more/);
  });

  test('tolerations', () => {
    expect(checkTolerations([{ operator: 'Exists' }, { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute', tolerationSeconds: 30 }], 't')).toEqual([]);
    expect(checkTolerations([{ key: 'a', operator: 'Exists', value: 'x' }], 't')).toEqual([expect.stringMatching(/t\[0\]\.value "x" goes with operator 'Exists'/)]);
    expect(checkTolerations([{ key: 'a', effect: 'NoScedule' }], 't')).toEqual([expect.stringMatching(/effect "NoScedule" is not a taint effect: use one of NoSchedule, PreferNoSchedule, NoExecute/)]);
    expect(checkTolerations([{ value: 'x' }], 't')).toEqual([expect.stringMatching(/has no key, so it must match every taint/)]);
    expect(checkTolerations([{ key: 'a', tolerationSeconds: 5 }], 't')).toEqual([expect.stringMatching(/tolerationSeconds applies to effect 'NoExecute' only/)]);
    expect(checkTolerations([{ key: 'bad key!' }], 't')).toEqual([expect.stringMatching(/t\[0\]\.key "bad key!" is not a valid key/)]);
    expect(checkTolerations([{ key: 'x', effect: 'NoExecute', tolerationSeconds: -1 }], 't')).toEqual([]);
    // an empty operator is Equal (validateTolerations: case TolerationOpEqual, "")
    expect(checkTolerations([{ key: 'dedicated', operator: '', value: 'batch' }], 't')).toEqual([]);
    expect(checkTolerations([{ operator: '' }], 't')).toEqual([expect.stringMatching(/has no key, so it must match every taint/)]);
  });

  test('names and keys', () => {
    expect(checkDns1035Label('web', 'Service name')).toBeUndefined();
    expect(checkDns1035Label('8web', 'Service name')).toMatch(/not a valid DNS-1035 label: .*starting with a letter/);
    expect(checkConfigKey('password', 'key')).toBeUndefined();
    expect(checkConfigKey('.dockerconfigjson', 'key')).toBeUndefined();
    expect(checkConfigKey('pass word', 'key')).toMatch(/is not a valid key/);
    expect(checkConfigKey('..', 'key')).toMatch(/is not a valid key/);
    // IsConfigMapKey and IsEnvVarName: '.', '..' and anything starting with '..' would leave the folder a volume mounts
    for (const key of ['.', '..data', '..x', 'k'.repeat(254)]) expect(checkConfigKey(key, 'key')).toMatch(/is not a valid key/);
    for (const key of ['.a', 'a..b', 'k'.repeat(253)]) expect(checkConfigKey(key, 'key')).toBeUndefined();
    for (const name of ['.', '..', '..X', '1X', 'A B']) expect(checkEnvVarName(name, 'env')).toMatch(/is invalid/);
    for (const name of ['.X', 'my.env-name', 'MY_ENV.NAME', '_x']) expect(checkEnvVarName(name, 'env')).toBeUndefined();
    expect(checkAnnotations({ 'example.com/ok': 'x', 'Example.COM/Mixed_Case': 'x' }, 'annotations')).toEqual([]);
    expect(checkAnnotations({ 'bad key!': 'x' }, 'annotations')).toEqual([expect.stringMatching(/annotations key "bad key!" is not a valid key/)]);
    expect(checkAnnotations({ big: 'x'.repeat(256 * 1024) }, 'annotations')).toEqual([expect.stringMatching(/over the 262144 bytes \(256 KiB\)/)]);
    expect(checkHostname('shop.example.com', 'host')).toBeUndefined();
    expect(checkHostname('10.0.0.1', 'host')).toMatch(/is an IP address, which Ingress and HTTPRoute hosts may not be/);
    expect(checkHostname('255.255.255.255', 'host')).toMatch(/is an IP address/);
    // as Kubernetes' Ingress validation reads them (netutils.ParseIPSloppy): a leading zero still makes an address,
    // a part past 255 or a fifth part a name
    expect(checkHostname('10.0.0.01', 'host')).toMatch(/is an IP address/);
    expect(checkHostname('256.1.1.1', 'host')).toBeUndefined();
    expect(checkHostname('1.2.3.4.5', 'host')).toBeUndefined();
    expect(checkOneOf('SCTP', ['TCP', 'UDP', 'SCTP'], 'protocol')).toBeUndefined();
  });
});

describe('constructs refuse what the API server refuses', () => {
  test.each<[string, (ns: NamespacedApp) => void, RegExp]>([
    ['a rollout that can neither add nor remove a pod', web({ strategy: { type: 'RollingUpdate', maxSurge: 0 } }), /strategy.maxSurge and maxUnavailable are both 0/],
    ['maxUnavailable over 100%', web({ strategy: { type: 'RollingUpdate', maxUnavailable: '200%' } }), /strategy.maxUnavailable 200% is over 100%/],
    ['a maxSurge that is no count', web({ strategy: { type: 'RollingUpdate', maxSurge: 'abc' } }), /strategy.maxSurge "abc" is neither a whole number nor a percentage/],
    ['a budget over 100%', web({ disruptionBudget: { maxUnavailable: '150%' } }), /disruptionBudget.maxUnavailable 150% is over 100%/],
    ['a budget with both fields', web({ disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }), /sets both minAvailable and maxUnavailable, and a PodDisruptionBudget takes one of them/],
    ['a Secret name with capitals', withContainer({ env: { PASS: { secret: { name: 'My_Secret', key: 'password' } } } }), /environment variable PASS: Secret name "My_Secret" is not a valid DNS-1123 subdomain/],
    ['a Secret reference without a name (from JavaScript)', withContainer({ env: { PASS: { secret: { key: 'password' } } as unknown as string } }), /environment variable PASS: Secret name is undefined, not text: use at most 253 lower-case letters/],
    ['a Secret key with a space', withContainer({ env: { PASS: { secret: { name: 'db', key: 'pass word' } } } }), /environment variable PASS: Secret key "pass word" is not a valid key/],
    ['a pod field the Downward API does not give', withContainer({ env: { IP: { fieldPath: 'status.bogus' } } }), /fieldPath "status.bogus" is not a pod field the Downward API gives/],
    // a label key is checked as written: only an annotation's is lower-cased first
    ['a label key with capitals in its prefix', withContainer({ env: { OWNER: { fieldPath: "metadata.labels['Example.com/Owner']" } } }), /fieldPath "metadata.labels\['Example.com\/Owner'\]" is not a pod field/],
    ['an exec probe without a command', withContainer({ livenessProbe: { exec: { command: [] } } }), /livenessProbe.exec has no command/],
    ['a PriorityClass name with capitals', web({ priorityClassName: 'High_Prio' }), /priorityClassName "High_Prio" is not a valid DNS-1123 subdomain/],
    ['a ServiceAccount name with a space', web({ serviceAccountName: 'My SA' }), /serviceAccountName "My SA" is not a valid DNS-1123 subdomain/],
    // the Deployment is taken, and each of its pods refused: 'error looking up service account shop/web-runner: serviceaccount "web-runner" not found'
    [
      'a ServiceAccount nothing renders in the namespace',
      web({ serviceAccountName: 'web-runner' }),
      /\[test\] shop\/Web: Deployment "web" runs its pods as ServiceAccount "web-runner", which nothing renders in namespace "shop" \(it holds none but "default"\), so the API server refuses the pods: render the ServiceAccount in the namespace/,
    ],
    // 'metadata.labels: Invalid value: ...: must be no more than 63 characters' (the instance label), with the app named apart
    ['a Deployment name over 63 characters', web({ name: 'x'.repeat(64), appName: 'web' }), /Deployment name "x{64}" has 64 characters, and it is also the app.kubernetes.io\/instance label, whose value holds at most 63: use at most 63/],
    ['a toleration with a value and Exists', web({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }), /tolerations\[0\]\.value "x" goes with operator 'Exists'/],
    // 'unable to convert unstructured object to apps/v1, Kind=Deployment: cannot convert float64 to int64'
    ['a toleration of a second and a half', web({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1.5 }] }), /tolerations\[0\]\.tolerationSeconds 1\.5 is not a whole number of seconds: give one, e.g. 300/],
    ['a Service name starting with a digit', (ns) => void new AppService(ns, 'Svc', { name: '8web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] }), /Service name "8web" is not a valid DNS-1035 label/],
    ['a relative mount path', withContainer({ mounts: [{ name: 'data', mountPath: 'data', emptyDirSizeLimit: '1Gi' }] }), /volume data mountPath "data" is not an absolute path, which the container runtime refuses when the pod starts: write it from the root, e.g. "\/data"/],
    ['a ConfigMap volume named with capitals', withContainer({ mounts: [{ name: 'config', mountPath: '/etc/app', configMap: 'My_Config' }] }), /volume config: ConfigMap name "My_Config" is not a valid DNS-1123 subdomain/],
    ['a claim volume named with capitals', withContainer({ mounts: [{ name: 'data', mountPath: '/data', persistentVolumeClaim: 'My_Claim' }] }), /volume data: PersistentVolumeClaim name "My_Claim" is not a valid DNS-1123 subdomain/],
    // 'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"': only a StatefulSet's claim templates make such a volume
    ['a claim mount on a Deployment', withContainer({ mounts: [{ name: 'data', mountPath: '/data', claim: true }] }), /shop\/Web: mount data at \/data is a claim \(claim: true\), but only a StatefulApp's volumeClaims provide one, so the pod would have no volume data and the API server refuses it \(volumeMounts\[\]\.name: Not found\): mount a PersistentVolumeClaim of the namespace instead \(an AppVolumeClaim, as persistentVolumeClaim: '<its name>'\), or make the app a StatefulApp with a volumeClaims entry named data/],
    ['a claim mount on a ScheduledJob', (ns) => void new ScheduledJob(ns, 'Job', { name: 'report', version: 'v1', schedule: '0 2 * * *', container: { image: IMAGE, resources: WEB_POD.container.resources, mounts: [{ name: 'out', mountPath: '/out', claim: true }] } }), /shop\/Job: mount out at \/out is a claim \(claim: true\), but only a StatefulApp's volumeClaims provide one/],
    ['a claim mount on a NodeAgent', (ns) => void new NodeAgent(ns, 'Agent', { name: 'agent', version: 'v1', container: { image: IMAGE, resources: WEB_POD.container.resources, mounts: [{ name: 'buffer', mountPath: '/buffer', claim: true }] } }), /shop\/Agent: mount buffer at \/buffer is a claim \(claim: true\), but only a StatefulApp's volumeClaims provide one/],
    // 'spec.template.spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type'
    ['a volume of a ConfigMap and a Secret', withContainer({ mounts: [{ name: 'data', mountPath: '/data', configMap: 'app', secret: 'app' }] }), /shop\/Web: volume data gives configMap and secret, but a volume has exactly one source \(the API server refuses more: may not specify more than 1 volume type\): keep one, and mount the other as a volume of its own/],
    ['a volume of a claim, a host folder and an emptyDir', withContainer({ mounts: [{ name: 'data', mountPath: '/data', persistentVolumeClaim: 'data', hostPath: '/srv/data', emptyDirSizeLimit: '1Gi' }] }), /volume data gives emptyDirSizeLimit, persistentVolumeClaim and hostPath, but a volume has exactly one source .*: keep one, and mount each of the others as a volume of its own/],
    ['a claim template mount that is also a Secret', (ns) => void new StatefulApp(ns, 'Db', { name: 'db', version: 'v1', replicas: 2, container: { ...WEB_POD.container, mounts: [{ name: 'data', mountPath: '/data', claim: true, secret: 'db' }] }, volumeClaims: [{ name: 'data', size: '1Gi' }] }), /shop\/Db: volume data gives secret and claim, but a volume has exactly one source/],
    ['a claim access mode that does not exist', (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '1Gi', accessModes: ['ReadWriteOncePods' as 'ReadWriteOncePod'] }), /volume claim data access mode "ReadWriteOncePods" is not one of the values it takes: use 'ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'/],
    ['two Service ports on one number', (ns) => void new AppService(ns, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 80 }] }), /Service "web" port "80\/TCP" is used more than once: give each port its own number/],
    ['a claim of size 0', (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '0' }), /volume claim data size 0 is not above zero/],
    ['a claim without access modes', (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '1Gi', accessModes: [] }), /volume claim data has no accessModes/],
    // 'may not use ReadWriteOncePod with other access modes'; in a StatefulSet's claim templates the server takes it, and refuses each claim the controller makes
    ['ReadWriteOncePod beside another mode', (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '1Gi', accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }), /volume claim data combines ReadWriteOncePod with ReadWriteOnce, which the API server refuses \(it may not be used with other access modes\): use \['ReadWriteOncePod'\] alone, or leave it out/],
    // subjects[0].name: 'a lowercase RFC 1123 subdomain must consist of ...'
    ['a ServiceAccount subject named with capitals', (ns) => void new DeveloperAccess(ns, 'Dev', { name: 'dev', preset: 'view', subject: { serviceAccount: 'Bad_SA', namespace: 'shop' } }), /access subject ServiceAccount name "Bad_SA" is not a valid DNS-1123 subdomain/],
    // taken by the server, and then binds nothing: no namespace can have that name
    ['a ServiceAccount subject in a namespace no namespace could be called', (ns) => void new DeveloperAccess(ns, 'Dev', { name: 'dev', preset: 'view', subject: { serviceAccount: 'ci', namespace: 'Bad NS' } }), /access subject ServiceAccount namespace "Bad NS" is not a valid DNS-1123 label/],
    ['a memory request in thousandths of a byte', withContainer({ resources: { requests: { cpu: '100m', memory: '100m' }, limits: { cpu: '200m', memory: '128Mi' } } }), /container web: memory request "100m" is 100 thousandths of a byte \('m' is milli\): write 100Mi/],
    ['a cron schedule out of range', (ns) => void new ScheduledJob(ns, 'Job', { name: 'report', version: 'v1', schedule: '61 * * * *', container: { image: IMAGE, resources: WEB_POD.container.resources } }), /schedule "61 \* \* \* \*" is not a valid cron schedule \(minute 61/],
    ['an unknown time zone', (ns) => void new ScheduledJob(ns, 'Job', { name: 'report', version: 'v1', schedule: '0 2 * * *', timeZone: 'Mars/Olympus', container: { image: IMAGE, resources: WEB_POD.container.resources } }), /timeZone "Mars\/Olympus" is not a time zone of the IANA database/],
  ])('%s', (_name, build, message) => {
    expect(synthErrors(build)).toMatch(message);
  });

  test('values outside the types, from JavaScript or JSON, are named with the ones the API takes', () => {
    const loose = <T>(value: unknown) => value as T;
    expect(synthErrors(withContainer({ ports: [{ name: 'http', port: 8080, protocol: loose('tcp') }] }))).toMatch(/container port http protocol "tcp" is not one of the values it takes: use 'TCP', 'UDP', 'SCTP'/);
    const job = (ns: NamespacedApp) => void new ScheduledJob(ns, 'Job', { name: 'report', version: 'v1', schedule: '0 2 * * *', concurrencyPolicy: loose('forbid'), container: { image: IMAGE, resources: WEB_POD.container.resources } });
    expect(synthErrors(job)).toMatch(/concurrencyPolicy "forbid" is not one of the values it takes: use 'Forbid', 'Replace', 'Allow'/);
    const ingress = (ns: NamespacedApp) => {
      const service = new AppService(ns, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: loose('ICMP') }] });
      new AppIngress(ns, 'Ingress', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/', pathType: loose('Regex') }], service });
    };
    const message = synthErrors(ingress);
    expect(message).toMatch(/Service port http protocol "ICMP" is not one of the values it takes/);
    expect(message).toMatch(/Ingress path "\/" pathType "Regex" is not one of the values it takes: use 'Prefix', 'Exact', 'ImplementationSpecific'/);
  });

  test('a ConfigMap or placeholder Secret value that is no string (from JavaScript or a cast) is named by its key, not a Node error', () => {
    const loose = (value: unknown) => value as string;
    const config = synthErrors((ns) => void new VersionedConfigMap(ns, 'Config', { baseName: 'cfg', data: { 'app.yml': 'a: 1', port: loose(8080), level: loose(undefined) } }));
    expect(config).toMatch(/shop\/Config: ConfigMap "cfg-[0-9a-f]{10}" data key "port" is 8080, not text: give the value as a string, e.g. "8080"/);
    expect(config).toMatch(/shop\/Config: ConfigMap "cfg-[0-9a-f]{10}" data key "level" is undefined, not text: give the value as a string/);
    expect(config).not.toMatch(/argument must be of type string/);
    const secret = synthErrors((ns) => void new AppSecret(ns, 'Secret', { name: 'db', key: 'password', source: { kind: 'placeholder', value: loose(undefined) } }));
    expect(secret).toMatch(/shop\/Secret: Secret "db" placeholder value \(source.value\) of key "password" is undefined, not text: give the value as a string/);
    expect(secret).not.toMatch(/argument must be of type string/);
  });

  test('a count that is no finite number says so, where JSON would write it as null', () => {
    const hpa = (minReplicas: number, maxReplicas: number) => web({ replicas: undefined, autoscaling: { minReplicas, maxReplicas, cpuUtilization: 70 } });
    const infiniteMax = synthErrors(hpa(2, Infinity));
    expect(infiniteMax).toMatch(/shop\/Web: autoscaling.maxReplicas is Infinity, not a finite number: use a whole number, at least minReplicas/);
    expect(infiniteMax).not.toMatch(/null/);
    const nanMin = synthErrors(hpa(NaN, 4));
    expect(nanMin).toMatch(/shop\/Web: autoscaling.minReplicas is NaN, not a finite number: use a whole number of 1 or more/);
    // a minimum that is no number is one message, not again as a maximum below it
    const infiniteMin = synthErrors(hpa(Infinity, 4));
    expect(infiniteMin).toMatch(/autoscaling.minReplicas is Infinity, not a finite number/);
    expect(infiniteMin).not.toMatch(/below minReplicas/);
    const budget = synthErrors(web({ replicas: 3, disruptionBudget: { minAvailable: Infinity } }));
    expect(budget).toMatch(/disruptionBudget.minAvailable is Infinity/);
    expect(budget).not.toMatch(/null/);
    const agent = (ns: NamespacedApp) => void new NodeAgent(ns, 'Agent', { name: 'agent', version: 'v1', maxUnavailable: Infinity, container: { image: IMAGE, resources: WEB_POD.container.resources } });
    const agentMessage = synthErrors(agent, { settings: { ...SETTINGS, nodeCount: 3 } });
    expect(agentMessage).toMatch(/shop\/Agent: maxUnavailable Infinity is not a count of 1 or more or a percentage 1%-100%/);
    expect(agentMessage).not.toMatch(/null/);
  });

  test('a blue-green pair whose active colour is neither blue nor green says so', () => {
    const pair = (ns: NamespacedApp) =>
      void new BlueGreen(ns, 'Web', {
        name: 'web',
        active: 'red' as Colour,
        blue: { version: 'v1', ...WEB_POD },
        green: { version: 'v2', ...WEB_POD },
        replicas: 2,
        ports: [{ name: 'http', port: 8080 }],
      });
    expect(synthErrors(pair)).toMatch(/shop\/Web: active is "red": use 'blue' or 'green'/);
  });

  test('an Ingress on an IP address, a bad annotation key and a bad TLS Secret name are each named', () => {
    const service = (ns: NamespacedApp) => new AppService(ns, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    const message = synthErrors(
      (ns) => void new AppIngress(ns, 'Ingress', { name: 'web', className: 'nginx', host: '10.0.0.1', paths: [{ path: '/' }], service: service(ns), annotations: { 'bad key!': 'x' }, tlsSecretName: 'My_TLS' }),
      { settings: { ...SETTINGS, tlsClusterIssuer: 'issuer' } },
    );
    expect(message).toMatch(/Ingress host "10.0.0.1" is an IP address/);
    expect(message).toMatch(/Ingress annotations key "bad key!" is not a valid key/);
    expect(message).toMatch(/tlsSecretName "My_TLS" is not a valid DNS-1123 subdomain/);
  });

  test("an Ingress's annotations are sized with the ones the library adds (owner, TLS), as the API server sizes them", () => {
    const service = (ns: NamespacedApp) => new AppService(ns, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
    // 262141 bytes of the user's own fit the 262144, the owner's email annotation does not
    const ingress = (ns: NamespacedApp) => void new AppIngress(ns, 'Ingress', { name: 'web', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/' }], service: service(ns), annotations: { a: 'x'.repeat(262140) } });
    expect(synthErrors(ingress)).toMatch(/shop\/Ingress: Ingress annotations hold 2621\d\d bytes, over the 262144 bytes \(256 KiB\) the API server accepts/);
  });

  test('an HTTPRoute listener name with a space is named', () => {
    const message = synthErrors((ns) => {
      const service = new AppService(ns, 'Svc', { name: 'web', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] });
      new AppHttpRoute(ns, 'Route', { name: 'web', host: 'shop.example.com', paths: [{ path: '/' }], service, gateway: { name: 'public', namespace: 'gateway', sectionName: 'HTTP Listener' } });
    });
    expect(message).toMatch(/Gateway sectionName "HTTP Listener" is not a valid DNS-1123 subdomain/);
  });

  test('a StatefulApp claim without a size says so', () => {
    const props = {
      name: 'db',
      version: 'v1',
      replicas: 1,
      container: { ...WEB_POD.container, mounts: [{ name: 'data', mountPath: '/data', claim: true }] },
      volumeClaims: [{ name: 'data' }],
      disruptionBudget: false,
    } as unknown as StatefulAppProps;
    const message = synthErrors((ns) => void new StatefulApp(ns, 'Db', props));
    expect(message).toMatch(/volume claim data has no size: request the storage each pod needs/);
    // it renders, so neither an internal serializer error nor knock-on selector problems follow
    expect(message).toMatch(/synth failed with 1 error/);
  });

  test('a LimitRange whose bounds are out of order, and a partOf that is no label value, are named on the NamespacedApp', () => {
    const limits = { ...LIMITS, container: { ...LIMITS.container, min: { cpu: '4', memory: '5Mi' } }, persistentVolumeClaim: { min: '10Gi', max: '1Gi' } };
    const message = synthErrors(web(), { limits, partOf: 'My App' });
    expect(message).toMatch(/shop: limits.container.min.cpu 4 is above limits.container.max.cpu 2, which the API server refuses/);
    expect(message).toMatch(/limits.persistentVolumeClaim.min 10Gi is above limits.persistentVolumeClaim.max 1Gi/);
    // min above max is the one mistake: the ratio it leaves no room for is not reported again
    expect(message).not.toMatch(/maxLimitRequestRatio/);
    expect(message).toMatch(/partOf "My App" is not a valid label value/);
    const milli = synthErrors(web(), { limits: { ...LIMITS, container: { ...LIMITS.container, max: { cpu: '2', memory: '512m' } } } });
    expect(milli).toMatch(/limits.container.max.memory "512m" is 512 thousandths of a byte/);
  });

  test('a LimitRange ratio below 1, or above max/min of its resource, is named with the bound it breaks (validateLimitRange)', () => {
    const ratio = (maxLimitRequestRatio: { cpu: string; memory: string }, bounds: Partial<typeof LIMITS.container> = {}) => ({ limits: { ...LIMITS, container: { ...LIMITS.container, ...bounds, maxLimitRequestRatio } } });
    expect(synthErrors(web(), ratio({ cpu: '0.5', memory: '10' }))).toMatch(
      /shop: limits.container.maxLimitRequestRatio.cpu 0.5 is below 1, which the API server refuses: a limit is never below its request, so give 1 or more/,
    );
    const bounded = { min: { cpu: '1', memory: '5Mi' }, defaultRequest: { cpu: '1', memory: '10Mi' }, default: { cpu: '2', memory: '100Mi' }, max: { cpu: '2', memory: '2Gi' } };
    expect(synthErrors(web(), ratio({ cpu: '4', memory: '10' }, bounded))).toMatch(
      /shop: limits.container.maxLimitRequestRatio.cpu 4 is above limits.container.max.cpu 2 \/ limits.container.min.cpu 1 = 2, which the API server refuses: lower the ratio to at most 2, or widen min and max/,
    );
    // the ratio at its bounds, and a min of 0 that bounds no ratio, pass
    expect(() => synth(() => undefined, ratio({ cpu: '2', memory: '1' }, bounded))).not.toThrow();
    expect(() => synth(() => undefined, ratio({ cpu: '1000', memory: '10' }, { ...bounded, min: { cpu: '0', memory: '5Mi' }, defaultRequest: { cpu: '0', memory: '10Mi' } }))).not.toThrow();
  });

  test('the values next to those still pass', () => {
    expect(() =>
      synth((ns) => {
        web({
          strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: '25%' },
          disruptionBudget: { maxUnavailable: '50%' },
          priorityClassName: 'high.priority',
          container: { ...WEB_POD.container, env: { PASS: { secret: { name: 'db.credentials', key: 'pass_word-1' } }, APP: { fieldPath: "metadata.labels['app.kubernetes.io/name']" }, OWNER: { fieldPath: "metadata.annotations['Example.com/Owner']" } } },
        })(ns);
        new AppVolumeClaim(ns, 'Data', { name: 'data', size: '1Gi' });
        // a utilization target above 100% of the request: pods may burst past it before the HPA adds one
        new AppDeployment(ns, 'Burst', { name: 'burst', version: 'v1', ...WEB_POD, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 150 } });
        // what the API takes beyond the types: an SCTP port, an ImplementationSpecific path
        const sctp = { name: 'sig', port: 3868, protocol: 'SCTP' as 'TCP' };
        new AppDeployment(ns, 'Signal', { name: 'signal', version: 'v1', ...WEB_POD, container: { ...WEB_POD.container, ports: [...(WEB_POD.container.ports ?? []), sctp] } });
        const service = new AppService(ns, 'Svc', { name: 'signal', selector: { 'app.kubernetes.io/name': 'signal' }, ports: [{ name: 'http', port: 80 }] });
        new AppIngress(ns, 'Ingress', { name: 'signal', className: 'nginx', host: 'shop.example.com', paths: [{ path: '/', pathType: 'ImplementationSpecific' as 'Prefix' }], service });
        // a headless Service without ports: DNS records of the pods only
        new AppService(ns, 'Dns', { name: 'signal-dns', selector: { 'app.kubernetes.io/name': 'signal' }, ports: [], headless: true });
        // pods running as a ServiceAccount rendered beside them, and as the namespace's default one
        new k8s.KubeServiceAccount(ns, 'Runner', { metadata: { name: 'runner' }, automountServiceAccountToken: false });
        new AppDeployment(ns, 'Runs', { name: 'runs', version: 'v1', ...WEB_POD, serviceAccountName: 'runner' });
        new AppDeployment(ns, 'Default', { name: 'default-sa', version: 'v1', ...WEB_POD, serviceAccountName: 'default' });
        // a partition above replicas, which holds the update (validateRollingUpdateStatefulSet takes any of 0 or more)
        new StatefulApp(ns, 'Held', { name: 'held', version: 'v1', replicas: 2, partition: 5, ...WEB_POD });
        // a source and a claim that is not one
        new AppDeployment(ns, 'Config', { name: 'config', version: 'v1', ...WEB_POD, container: { ...WEB_POD.container, mounts: [{ name: 'config', mountPath: '/etc/app', configMap: 'app', claim: false }] } });
      }),
    ).not.toThrow();
  });
});

describe('environment settings', () => {
  test('given straight to a NamespacedApp, are checked there', () => {
    const message = synthErrors(() => undefined, { settings: { ...SETTINGS, owner: { team: 'Payments Team', email: 'p@example.com' }, nodeSelector: { 'bad key!': 'x' }, storageClass: 'Fast SSD' } });
    expect(message).toMatch(/\[test\] shop: settings: owner.team \(the owner label of every object\) "Payments Team" is not a valid label value/);
    expect(message).toMatch(/shop: settings: nodeSelector key "bad key!" is not a valid key/);
    expect(message).toMatch(/shop: settings: storageClass "Fast SSD" is not a valid DNS-1123 subdomain/);
    expect(synthErrors(() => undefined, { settings: { ...SETTINGS, name: 'prod env' } })).toMatch(/shop: settings: name \(the environment label of every object\) "prod env" is not a valid label value/);
  });

  test('are checked once per environment, naming the setting, with every other problem of the run', () => {
    const environments = defineEnvironments<Record<string, never>>()({
      qa: { settings: { owner: { team: 'Payments Team', email: 'p@example.com' }, storageClass: 'Fast SSD', tolerations: [{ key: 'a', effect: 'NoScedule' }] }, values: {} },
    });
    const project = defineProject({
      environments,
      build(scope, env) {
        for (const name of ['shop', 'cart']) new NamespacedApp(scope, name, { namespace: name, settings: env.settings, quota: QUOTA, limits: LIMITS });
      },
    });
    const problems = synthProblems(() => synthManifests(project, 'qa'));
    // the environment's own settings: one message for the environment, none from its two NamespacedApps
    expect(problems.filter((p) => p.includes('owner.team'))).toEqual([
      '[qa] settings of environment qa: owner.team (the owner label of every object) "Payments Team" is not a valid label value: use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit',
    ]);
    expect(problems).toContainEqual(expect.stringMatching(/^\[qa\] settings of environment qa: storageClass "Fast SSD" is not a valid DNS-1123 subdomain/));
    expect(problems).toContainEqual(expect.stringMatching(/^\[qa\] settings of environment qa: tolerations\[0\]\.effect "NoScedule"/));
  });
});

describe("a byte amount in thousandths of a byte ('m' is milli), valid to the API server and never meant", () => {
  const claimed = { ...WEB_POD.container, mounts: [{ name: 'data', mountPath: '/data', claim: true }] };
  const statefulApp = (size: string) => (ns: NamespacedApp) => void new StatefulApp(ns, 'Db', { name: 'db', version: 'v1', replicas: 2, container: claimed, volumeClaims: [{ name: 'data', size }] });
  test.each<[string, (ns: NamespacedApp) => void, Partial<NamespacedAppProps>, RegExp]>([
    ['tmpSizeLimit', web({ tmpSizeLimit: '64m' }), {}, /shop\/Web: volume tmp emptyDirSizeLimit "64m" is 64 thousandths of a byte \('m' is milli\): write 64Mi \(mebibytes\) or 64M \(megabytes\)/],
    ['an emptyDir size limit', withContainer({ mounts: [{ name: 'cache', mountPath: '/cache', emptyDirSizeLimit: '512m' }] }), {}, /shop\/Web: volume cache emptyDirSizeLimit "512m" is 512 thousandths of a byte/],
    ['the ephemeral storage request', web({ ephemeralStorage: { request: '64m', limit: '256Mi' } }), {}, /shop\/Web: ephemeralStorage.request "64m" is 64 thousandths of a byte/],
    ['the ephemeral storage limit', web({ ephemeralStorage: { request: '64Mi', limit: '256m' } }), {}, /shop\/Web: ephemeralStorage.limit "256m" is 256 thousandths of a byte/],
    // sized as 2 bytes, it would also be reported below the LimitRange's PVC minimum
    ['a StatefulApp claim size', statefulApp('2000m'), {}, /shop\/Db: volume claim data storage "2000m" is 2000 thousandths of a byte/],
    ['a PersistentVolumeClaim size', (ns) => void new AppVolumeClaim(ns, 'Data', { name: 'data', size: '5000m' }), {}, /shop\/Data: PersistentVolumeClaim data size "5000m" is 5000 thousandths of a byte/],
    ['a VPA memory minimum', web({ verticalAutoscaling: { minAllowed: { memory: '64m' } } }), {}, /verticalAutoscaling.minAllowed.memory "64m" is 64 thousandths of a byte/],
    ['a VPA memory maximum', web({ verticalAutoscaling: { mode: 'Initial', maxAllowed: { cpu: '1', memory: '256m' } } }), {}, /verticalAutoscaling.maxAllowed.memory "256m" is 256 thousandths of a byte/],
    ['the quota storage', () => undefined, { quota: { ...QUOTA, storage: '50000m' } }, /shop: quota.storage "50000m" is 50000 thousandths of a byte/],
    ['the LimitRange claim minimum', () => undefined, { limits: { ...LIMITS, persistentVolumeClaim: { min: '1000m', max: '10Gi' } } }, /shop: limits.persistentVolumeClaim.min "1000m" is 1000 thousandths of a byte/],
    ['the LimitRange claim maximum', () => undefined, { limits: { ...LIMITS, persistentVolumeClaim: { min: '1Gi', max: '10000m' } } }, /shop: limits.persistentVolumeClaim.max "10000m" is 10000 thousandths of a byte/],
    [
      'a priority quota memory',
      () => undefined,
      { priorityQuotas: [{ priorityClassName: 'batch', pods: 2, requests: { cpu: '1', memory: '1024m' }, limits: { cpu: '1', memory: '1Gi' } }] },
      /shop: priorityQuotas\[0\].requests.memory "1024m" is 1024 thousandths of a byte/,
    ],
  ])('in %s is refused, once', (_name, build, props, message) => {
    const problems = synthErrors(build, props);
    expect(problems).toMatch(message);
    expect(problems).toMatch(/synth failed with 1 error/);
  });

  test("cpu's thousandths are millicores, and still pass", () => {
    expect(() => synth(web({ verticalAutoscaling: { minAllowed: { cpu: '100m' }, maxAllowed: { cpu: '500m' } } }))).not.toThrow();
  });
});

describe('one mistake, one message', () => {
  test('a name that is no subdomain is reported once, not again as the container name taken from it', () => {
    const message = synthErrors(web({ name: 'Web' }));
    expect(message).toMatch(/Deployment name "Web" is not a valid DNS-1123 subdomain/);
    expect(message).not.toMatch(/container name/);
  });

  test('a malformed quantity is reported alone, not again through the quota and LimitRange sized from a stand-in', () => {
    const requests = { cpu: '100m', memory: '64m' };
    const message = synthErrors(web({ container: { ...WEB_POD.container, resources: { ...WEB_POD.container.resources, requests } } }));
    expect(message).toMatch(/synth failed with 1 error/);
    expect(message).toMatch(/memory request "64m" is 64 thousandths of a byte/);
  });

  test("a value its construct refuses is not reported again as the field it renders to; a raw object's is", () => {
    const message = synthErrors(web({ replicas: NaN }));
    expect(message).toMatch(/synth failed with 1 error/);
    expect(message).toMatch(/shop\/Web: replicas is NaN: use a whole number of 0 or more/);
    const raw = synthErrors((ns) => void new k8s.KubeConfigMap(ns, 'Raw', { metadata: { name: 'raw' }, data: { size: Number.NaN as unknown as string } }));
    expect(raw).toMatch(/shop\/Raw: ConfigMap field data.size = NaN is not a finite number/);
  });

  test('a workload made twice under one name is one message for its objects; a single object made twice keeps its own', () => {
    const twice = synthErrors((ns) => {
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD, replicas: 2 });
      new AppDeployment(ns, 'Web2', { name: 'web', version: 'v1', ...WEB_POD, replicas: 2 });
    });
    expect(twice).toMatch(/synth failed with 1 error/);
    expect(twice).toMatch(/\[test\] shop\/Web2: ServiceAccount "web", Deployment "web", PodDisruptionBudget "web" in shop are also made by shop\/Web: give one of them another name/);
    const service = (ns: NamespacedApp, id: string) => new AppService(ns, id, { name: 'web', selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 80 }] });
    const services = synthErrors((ns) => {
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      service(ns, 'A');
      service(ns, 'B');
    });
    expect(services).toMatch(/\[test\] shop\/B\/Resource: Service "web" in shop is also made by shop\/A\/Resource: give one of them another name/);
  });

  test("a StatefulApp claim's bad name is reported once, for the claim and the mount that carries it", () => {
    const container = { ...WEB_POD.container, mounts: [{ name: 'Data', mountPath: '/data', claim: true }] };
    const message = synthErrors((ns) => void new StatefulApp(ns, 'Db', { name: 'db', version: 'v1', replicas: 2, container, volumeClaims: [{ name: 'Data', size: '1Gi' }] }));
    expect(message).toBe(
      'synth failed with 1 error; nothing was written:\n  [test] shop/Db: volume and claim name "Data" is not a valid DNS-1123 label: use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit',
    );
  });

  test('a VPA mode that is none of the modes (from JavaScript) is reported alone, not judged as a mode that changes pods', () => {
    const hpa = { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 };
    const message = synthErrors(web({ replicas: undefined, autoscaling: hpa, verticalAutoscaling: { mode: 'auto' as 'Auto' } }));
    expect(message).toBe(
      "synth failed with 1 error; nothing was written:\n  [test] shop/Web/VerticalAutoscaler: verticalAutoscaling.mode \"auto\" is not one of the values it takes: use 'Off', 'Initial', 'Recreate', 'Auto'",
    );
  });

  test('a blue-green active colour that is none (from JavaScript) is reported by the pair alone, not again as a Service that selects no pods', () => {
    const message = synthErrors((ns) => void new BlueGreen(ns, 'Pair', { name: 'api', active: 'Blue' as Colour, ports: [{ name: 'http', port: 8080 }], blue: { version: 'v1', ...WEB_POD }, green: { version: 'v2', ...WEB_POD } }));
    expect(message).toBe("synth failed with 1 error; nothing was written:\n  [test] shop/Pair: active is \"Blue\": use 'blue' or 'green', the colour users get");
  });

  test("a blue-green idleReplicas that is no count is reported by the pair alone, not again as the idle colour's replicas", () => {
    const message = synthErrors((ns) => void new BlueGreen(ns, 'Pair', { name: 'api', active: 'blue', idleReplicas: 1.5, ports: [{ name: 'http', port: 8080 }], blue: { version: 'v1', ...WEB_POD }, green: { version: 'v2', ...WEB_POD } }));
    expect(message).toBe(
      "synth failed with 1 error; nothing was written:\n  [test] shop/Pair: idleReplicas is 1.5: use 0 to free the idle colour's capacity, a whole number to keep some of it, or leave it unset for a full-size idle colour",
    );
  });

  test.each([
    [{ port: '8080' }, /NetworkPolicy port "8080" is a number written as text, .*: give it as a number, port: 8080/],
    // the range's start is the one mistake: given as a number, it is a range
    [{ port: '8080', endPort: 8100 }, /NetworkPolicy port "8080" is a number written as text/],
    [{ port: 'HTTP' }, /NetworkPolicy port name "HTTP" is not a valid port name/],
  ])('a policy port %j no port name can be is reported once, not again as a port no pod declares', (port, expected) => {
    const message = synthErrors((ns) => {
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      new NetworkPolicy(ns, 'Policy', { name: 'allow', podSelector: { 'app.kubernetes.io/name': 'web' }, ingress: [{ peers: [{ pods: { 'app.kubernetes.io/name': 'web' } }], ports: [port] }] });
    });
    expect(message).toMatch(/synth failed with 1 error/);
    expect(message).toMatch(expected);
  });

  test('a bad label written in an ingress and an egress rule of one policy is reported once', () => {
    const peers = [{ pods: { app: 'a b' } }];
    const message = synthErrors((ns) => {
      new AppDeployment(ns, 'Web', { name: 'web', version: 'v1', ...WEB_POD });
      new NetworkPolicy(ns, 'Policy', { name: 'allow', podSelector: { 'app.kubernetes.io/name': 'web' }, ingress: [{ peers }], egress: [{ peers }] });
    });
    expect(message.match(/peer pods app "a b" is not a valid label value/g)).toHaveLength(1);
  });
});

describe('an unmatched selector', () => {
  test("is named by its object's construct path, with the three workloads nearest to it", () => {
    const message = synthErrors((ns) => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) new AppDeployment(ns, name, { name, version: 'v1', ...WEB_POD, podLabels: { tier: name === 'd' ? 'db' : 'web' } });
      new AppService(ns, 'Svc', { name: 'db', selector: { tier: 'db', role: 'primary' }, ports: [{ name: 'http', port: 80 }] });
    });
    expect(message).toMatch(/shop\/Svc\/Resource: Service "db" selects no pods: selector \{"role":"primary","tier":"db"\} matches no workload in the namespace \(nearest: Deployment d has \{[^}]*\}; Deployment a has \{[^}]*\}; Deployment b has \{[^}]*\}; 2 more\)/);
  });

  test('ranks first the workload a typo in a value, or a value under another key, was meant for', () => {
    const message = synthErrors((ns) => {
      for (const name of ['api', 'checkout', 'postgres', 'order-worker']) new AppDeployment(ns, name, { name, version: 'v1', ...WEB_POD });
      new AppService(ns, 'Typo', { name: 'typo', selector: { 'app.kubernetes.io/name': 'order-wroker' }, ports: [{ name: 'http', port: 80 }] });
      new AppService(ns, 'Key', { name: 'key', selector: { app: 'order-worker' }, ports: [{ name: 'http', port: 80 }] });
    });
    expect(message).toMatch(/Service "typo" selects no pods: .*\(nearest: Deployment order-worker has /);
    expect(message).toMatch(/Service "key" selects no pods: .*\(nearest: Deployment order-worker has /);
  });
});
