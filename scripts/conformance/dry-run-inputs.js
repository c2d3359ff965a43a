#!/usr/bin/env node
/**
 * What the server dry run (server-dry-run.sh) sends, from a folder of rendered objects,
 * read in one pass:
 *
 * - the rendered files, one per distinct content (the same bytes get the same verdict;
 *   kustomizations are kubectl's, not objects), and the namespaces they name, which must
 *   exist for real: a dry run into a namespace that does not exist is refused;
 * - the objects the controllers make of the workloads: a Deployment's, DaemonSet's, Job's
 *   and CronJob's Pod, and a StatefulSet's first Pod and its claims, each named and
 *   labelled as the controller does (kube-controller-manager 1.28). The API server
 *   validates a workload's pod template, but only the Pod meets admission (Pod Security,
 *   the LimitRange, the ResourceQuota, the ServiceAccount, the PriorityClass) and a claim
 *   its own rules; no dry run of the workload sees those refusals.
 *
 * Each namespace of the folder is replayed in a namespace of the throw-away cluster that
 * holds, created for real, what admission reads: the Namespace's labels, its LimitRanges,
 * ResourceQuotas and ServiceAccounts, and the PriorityClasses the Pods name (the cluster
 * provides those the folder does not render). Namespaces with the same labels, limits
 * and quotas share one (fuzz cases differ mostly in their workloads). Only the files of
 * the kinds this reads are parsed: parsing is most of the pass.
 *
 * Where OBJECTS/synth-warnings.txt lists the files of the objects synth warned of (the
 * fuzz writes it), the sent files of the same content are the ones the API server must
 * warn of, and no other; without it, none.
 *
 *   node dry-run-inputs.js OBJECTS WORK
 *     WORK/send.txt              the rendered files to send, one per distinct content
 *     WORK/expected-warnings.txt those of them synth warned of
 *     WORK/namespaces.yaml       the Namespaces they name
 *     WORK/counts.txt            a one-line summary of the rendered files
 *     WORK/setup.json            the objects to create for real before the controllers' objects (a List)
 *     WORK/derived/NNNNN.json    one controller's object each, distinct by content
 *     WORK/derived.tsv           file TAB the rendered file it came from TAB what it is
 *     WORK/derived-counts.txt    a one-line summary of the controllers' objects
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

/** Kinds whose pod template a controller turns into Pods. */
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob']);
/** Namespaced kinds that admission of a Pod or a claim reads, created for real. */
const SETUP_KINDS = new Set(['LimitRange', 'ResourceQuota', 'ServiceAccount']);
/** A label the API server sets on every Namespace from its name. */
const NAME_LABEL = 'kubernetes.io/metadata.name';
/** Stand-ins for the controllers' generated parts: a pod-template hash (the controllers' alphabet) and a name suffix. */
const TEMPLATE_HASH = '7c5d9f4b8d';
const NAME_SUFFIX = 'x7k2p';
/** A Job's uid as the Job controller labels its Pods with it. */
const JOB_UID = '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
/** A CronJob's Job name: the CronJob's name and the scheduled time in minutes. */
const CRONJOB_SCHEDULED_MINUTES = '29412345';
/** The ServiceAccount every namespace gets from its controller, created here for the replayed ones at once. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

const [objectsDir, work] = process.argv.slice(2);
if (!objectsDir || !work) {
  console.error('usage: dry-run-inputs.js OBJECTS WORK');
  process.exit(2);
}

/** Kinds a controller's object is made from or admitted against: only their files are parsed. */
const PARSED_KINDS = new Set([...WORKLOAD_KINDS, ...SETUP_KINDS, 'Namespace', 'PriorityClass']);

/** The list of the files synth warned of, beside the objects (test/library/fuzz.test.ts). */
const SYNTH_WARNINGS = 'synth-warnings.txt';

/** The files synth warned of, relative to the folder. */
const synthWarned = new Set(fs.existsSync(path.join(objectsDir, SYNTH_WARNINGS)) ? fs.readFileSync(path.join(objectsDir, SYNTH_WARNINGS), 'utf8').split('\n').filter(Boolean) : []);

/**
 * What the rendered files are, read from their text: the distinct ones to send (each by its
 * content's digest), the namespaces they name, their kinds, and the digests of contents
 * synth warned of.
 */
const rendered = { count: 0, send: new Map(), namespaces: new Set(), kinds: new Set(), warned: new Set() };

/** Our writer puts a top-level key at the line's start and metadata's keys two spaces in, quoted where YAML 1.1 would misread them. */
const topLevel = (key) => new RegExp(`^${key}: "?([^"\\n]+)"?$`, 'm');
const metadataField = (key) => new RegExp(`^ {2}${key}: "?([^"\\n]+)"?$`, 'm');
const KIND = topLevel('kind');
const NAMESPACE = metadataField('namespace');
const NAME = metadataField('name');

/** Notes a rendered file for the objects' own dry run; returns its kind. */
function noteRendered(file, text) {
  rendered.count++;
  const kind = KIND.exec(text)?.[1];
  // the same bytes get the same verdict: a digest stands for the text, which a long run could not keep
  const digest = crypto.createHash('sha1').update(text).digest('base64');
  // the same content warned of once is warned of wherever it is
  if (synthWarned.has(file)) rendered.warned.add(digest);
  if (rendered.send.has(digest)) return kind;
  rendered.send.set(digest, path.join(objectsDir, file));
  rendered.kinds.add(kind);
  // a Namespace's name is its namespace
  const namespace = NAMESPACE.exec(text) ?? (kind === 'Namespace' ? NAME.exec(text) : null);
  if (namespace) rendered.namespaces.add(namespace[1]);
  return kind;
}

/**
 * The parsed objects of each case folder (the folder above the namespace folders), one
 * folder at a time, as every file is noted for the objects' own dry run: a long fuzz run
 * renders more objects than fit in memory at once.
 */
function* readCases() {
  const files = fs.readdirSync(objectsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml');
  // sorted, the files of one folder follow each other
  let caseDir;
  let objects = [];
  for (const file of files.sort()) {
    const text = fs.readFileSync(path.join(objectsDir, file), 'utf8');
    if (!PARSED_KINDS.has(noteRendered(file, text))) continue;
    const object = YAML.parse(text);
    if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
    const dir = path.dirname(path.dirname(file));
    if (dir !== caseDir && objects.length > 0) yield objects;
    if (dir !== caseDir) objects = [];
    caseDir = dir;
    objects.push({ file, object });
  }
  if (objects.length > 0) yield objects;
}

/** A list file: one line each, none for an empty list. */
const lines = (list) => (list.length ? `${list.join('\n')}\n` : '');

/** The rendered files' lists: what to send, what of it synth warned of, the Namespaces to create first, a summary. */
function writeRendered() {
  fs.writeFileSync(path.join(work, 'send.txt'), lines([...rendered.send.values()]));
  fs.writeFileSync(path.join(work, 'expected-warnings.txt'), lines([...rendered.warned].map((digest) => rendered.send.get(digest)).sort()));
  const namespaces = [...rendered.namespaces].sort().map((n) => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: "${n}"\n`);
  fs.writeFileSync(path.join(work, 'namespaces.yaml'), namespaces.join(''));
  fs.writeFileSync(path.join(work, 'counts.txt'), `${rendered.count} rendered, ${rendered.kinds.size} kinds\n`);
}

const sortedJson = (value) => JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

/** A rendered Namespace's labels and annotations, without the label the server sets from its name (none where it is not rendered). */
function namespaceMetadata(namespaceObject) {
  const labels = { ...(namespaceObject?.metadata?.labels ?? {}) };
  delete labels[NAME_LABEL];
  const annotations = namespaceObject?.metadata?.annotations;
  return { labels, ...(annotations ? { annotations } : {}) };
}

/** What admission reads of one namespace, without its name: the key of the namespace it is replayed in. */
function setupKey(metadata, limitsAndQuotas) {
  return sortedJson({ metadata, limitsAndQuotas: limitsAndQuotas.map((o) => sortedJson({ kind: o.kind, name: o.metadata.name, spec: o.spec })).sort() });
}

/** A Pod of `template` named `name`, with the controller's labels (and any other fields of its spec). */
function podOf(template, name, namespace, labels, spec = {}) {
  const metadata = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { ...(metadata.labels ?? {}), ...labels }, ...(metadata.annotations ? { annotations: metadata.annotations } : {}) },
    spec: { ...(template.spec ?? {}), ...spec },
  };
}

/** A Job's Pod: the labels the API server adds to the Job's template and the Job controller to its Pods. */
function jobPod(template, jobName, namespace) {
  const labels = { 'batch.kubernetes.io/controller-uid': JOB_UID, 'batch.kubernetes.io/job-name': jobName, 'controller-uid': JOB_UID, 'job-name': jobName };
  return podOf(template, `${jobName}-${NAME_SUFFIX}`, namespace, labels);
}

/**
 * A StatefulSet's first Pod and its claims: the Pod `<set>-0` with its hostname, the
 * governing Service as its subdomain and each claim template as a volume; the claims
 * `<template>-<set>-0`, labelled with the template's and the selector's labels.
 */
function statefulSetObjects(set, namespace) {
  const name = set.metadata.name;
  const spec = set.spec ?? {};
  const podName = `${name}-0`;
  const templates = spec.volumeClaimTemplates ?? [];
  const claimName = (t) => `${t.metadata?.name}-${podName}`;
  const claims = templates.map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(t), namespace, labels: { ...(t.metadata?.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) } },
    spec: t.spec ?? {},
  }));
  const claimed = new Set(templates.map((t) => t.metadata?.name));
  const volumes = [...(spec.template?.spec?.volumes ?? []).filter((v) => !claimed.has(v.name)), ...templates.map((t) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: claimName(t) } }))];
  const labels = { 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': `${name}-${TEMPLATE_HASH}`, 'statefulset.kubernetes.io/pod-name': podName };
  const pod = podOf(spec.template ?? {}, podName, namespace, labels, { hostname: podName, ...(spec.serviceName ? { subdomain: spec.serviceName } : {}), ...(volumes.length ? { volumes } : {}) });
  return [
    { object: pod, what: "its first Pod, as the StatefulSet controller makes it" },
    ...claims.map((object) => ({ object, what: `its claim ${object.metadata.name}, as the StatefulSet controller makes it` })),
  ];
}

/** The objects the controller of `workload` makes, in `namespace`. */
function controllerObjects(workload, namespace) {
  const name = workload.metadata.name;
  const spec = workload.spec ?? {};
  switch (workload.kind) {
    case 'Deployment':
      return [{ object: podOf(spec.template ?? {}, `${name}-${TEMPLATE_HASH}-${NAME_SUFFIX}`, namespace, { 'pod-template-hash': TEMPLATE_HASH }), what: 'its Pod, as the Deployment and ReplicaSet controllers make it' }];
    case 'ReplicaSet':
      return [{ object: podOf(spec.template ?? {}, `${name}-${NAME_SUFFIX}`, namespace, {}), what: 'its Pod, as the ReplicaSet controller makes it' }];
    case 'DaemonSet':
      return [{ object: podOf(spec.template ?? {}, `${name}-${NAME_SUFFIX}`, namespace, { 'controller-revision-hash': TEMPLATE_HASH, 'pod-template-generation': '1' }), what: 'its Pod, as the DaemonSet controller makes it' }];
    case 'StatefulSet':
      return statefulSetObjects(workload, namespace);
    case 'Job':
      return [{ object: jobPod(spec.template ?? {}, name, namespace), what: 'its Pod, as the Job controller makes it' }];
    case 'CronJob':
      return [{ object: jobPod(spec.jobTemplate?.spec?.template ?? {}, `${name}-${CRONJOB_SCHEDULED_MINUTES}`, namespace), what: "its Job's Pod, as the CronJob and Job controllers make it" }];
    default:
      return [];
  }
}

/** The PriorityClasses the Pods name: the folder's own (`rendered`), then one for each other name (the cluster's, in a real cluster). */
function priorityClasses(rendered, pods) {
  const classes = new Map();
  // the first of a name wins: the Pods need it to exist, whatever its value
  // (not as the cluster's default: one class may be, and the objects' own dry run checks that field)
  for (const o of rendered) if (!classes.has(o.metadata.name)) classes.set(o.metadata.name, { ...o, globalDefault: false });
  for (const pod of pods) {
    const name = pod.spec.priorityClassName;
    // system- classes come with every cluster
    if (typeof name !== 'string' || name.startsWith('system-') || classes.has(name)) continue;
    classes.set(name, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000 });
  }
  return [...classes.values()];
}

function main() {
  const groups = new Map();
  const setup = [];
  const derived = [];
  const seen = new Set();
  const renderedClasses = [];
  let workloads = 0;
  for (const objects of readCases()) {
    renderedClasses.push(...objects.map((o) => o.object).filter((o) => o.kind === 'PriorityClass'));
    const byNamespace = new Map();
    for (const { file, object } of objects) {
      const ns = object.metadata?.namespace;
      if (typeof ns !== 'string') continue;
      if (!byNamespace.has(ns)) byNamespace.set(ns, []);
      byNamespace.get(ns).push({ file, object });
    }
    for (const [ns, inNs] of byNamespace) {
      const metadata = namespaceMetadata(objects.find((o) => o.object.kind === 'Namespace' && o.object.metadata?.name === ns)?.object);
      const setupObjects = inNs.map((o) => o.object).filter((o) => SETUP_KINDS.has(o.kind));
      const limitsAndQuotas = setupObjects.filter((o) => o.kind !== 'ServiceAccount');
      const key = setupKey(metadata, limitsAndQuotas);
      let group = groups.get(key);
      if (!group) {
        group = { name: `k8s-iac-dry-run-${groups.size + 1}`, accounts: new Set([DEFAULT_SERVICE_ACCOUNT]) };
        groups.set(key, group);
        setup.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: group.name, ...metadata } });
        setup.push(...limitsAndQuotas.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: group.name } })));
      }
      for (const o of setupObjects) if (o.kind === 'ServiceAccount') group.accounts.add(o.metadata.name);
      for (const { file, object } of inNs) {
        if (!WORKLOAD_KINDS.has(object.kind)) continue;
        workloads++;
        for (const { object: made, what } of controllerObjects(object, group.name)) {
          const text = JSON.stringify(made);
          if (seen.has(text)) continue;
          seen.add(text);
          derived.push({ file, what, text, object: made });
        }
      }
    }
  }
  for (const group of groups.values()) for (const account of [...group.accounts].sort()) setup.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: group.name } });
  const pods = derived.filter((d) => d.object.kind === 'Pod').map((d) => d.object);
  const classes = priorityClasses(renderedClasses, pods);
  fs.writeFileSync(path.join(work, 'setup.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...classes, ...setup] }));
  fs.mkdirSync(path.join(work, 'derived'), { recursive: true });
  const rows = derived.map((d, i) => {
    const out = path.join(work, 'derived', `${String(i).padStart(5, '0')}.json`);
    fs.writeFileSync(out, d.text);
    return `${out}\t${d.file}\t${d.what}`;
  });
  fs.writeFileSync(path.join(work, 'derived.tsv'), lines(rows));
  const claims = derived.length - pods.length;
  writeRendered();
  fs.writeFileSync(path.join(work, 'derived-counts.txt'), `${pods.length} Pods and ${claims} claims from ${workloads} workloads, in ${groups.size} namespaces\n`);
}

main();
