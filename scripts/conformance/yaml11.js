#!/usr/bin/env node
/**
 * The YAML 1.1 check of the conformance run: strings that a YAML 1.1 reader (kubectl,
 * sigs.k8s.io/yaml) takes for booleans, nulls, numbers or dates, in labels (keys and
 * values), annotations, ConfigMap data (keys and values) and env vars, written by the
 * library's writer; the cluster must store each as the exact string written.
 *
 *   node yaml11.js write DIR         DIR/quoted.yaml (the library's writer, namespace yaml11)
 *                                    DIR/plain.yaml (a YAML 1.2 writer without the quoting,
 *                                    namespace yaml11-plain: the control the check must fail)
 *   node yaml11.js check DIR LIVE NS  compare LIVE (kubectl get -o json of NS) with what
 *                                    DIR's objects of namespace NS hold; exit 1 on a difference
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { App, Chart } = require('cdk8s');
const YAML = require('yaml');
const { renderManifests, toYaml } = require('k8s-iac');
const k8s = require('../../lib/imports/k8s');

/** YAML 1.1 reads each of these, written plain, as something other than this string. */
const AMBIGUOUS = ['on', 'no', 'yes', 'y', 'off', '~', 'null', '0777', '012', '12:30', '1_000', '.inf', '.nan', '2001-01-01',
  'True', 'NO', 'Off', 'Y', 'n', 'NULL', '0x1F', '0b101', '1e3', '-.inf', '+12', '190:20:30', '2001-12-14t21:59:43.10-05:00', '<<', '='];
/** Label values: alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** ConfigMap data keys. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

function objects(namespace) {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, namespace);
  const labelKeys = AMBIGUOUS.filter((v) => LABEL_VALUE.test(v) && !/^[-+]/.test(v));
  const labels = Object.fromEntries([...labelKeys.map((v) => [v, 'key']), ...AMBIGUOUS.filter((v) => LABEL_VALUE.test(v)).map((v, i) => [`value-${i}`, v])]);
  const annotations = Object.fromEntries(AMBIGUOUS.map((v, i) => [`k8s-iac.dev/value-${i}`, v]));
  new k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: namespace } });
  new k8s.KubeConfigMap(chart, 'ConfigMap', {
    metadata: { name: 'yaml11', namespace, labels, annotations },
    data: Object.fromEntries([...AMBIGUOUS.filter((v) => DATA_KEY.test(v)).map((v) => [v, 'key']), ...AMBIGUOUS.map((v, i) => [`value-${i}`, v])]),
  });
  new k8s.KubeDeployment(chart, 'Deployment', {
    metadata: { name: 'yaml11', namespace, labels, annotations },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'yaml11' } },
      template: {
        metadata: { labels: { app: 'yaml11', ...labels }, annotations },
        spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', env: AMBIGUOUS.map((value, i) => ({ name: `VALUE_${i}`, value })) }] },
      },
    },
  });
  return renderManifests(app, namespace).map((m) => m.object);
}

function write(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'quoted.yaml'), objects('yaml11').map((o) => `---\n${toYaml(o)}`).join(''));
  // the control: the same objects from a YAML 1.2 writer that quotes only what 1.2 misreads
  fs.writeFileSync(path.join(dir, 'plain.yaml'), objects('yaml11-plain').map((o) => `---\n${YAML.stringify(o)}`).join(''));
}

/** Every string the check compares: [where, value] of labels, annotations, data and env. */
function strings(object) {
  const out = [];
  const add = (where, record) => {
    for (const [k, v] of Object.entries(record ?? {})) out.push([`${where}[${JSON.stringify(k)}]`, v]);
  };
  add('labels', object.metadata?.labels);
  add('annotations', object.metadata?.annotations);
  add('data', object.data);
  const template = object.spec?.template;
  if (template) {
    add('template.labels', template.metadata?.labels);
    add('template.annotations', template.metadata?.annotations);
    for (const c of template.spec?.containers ?? []) add(`env of ${c.name}`, Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value])));
  }
  return out;
}

function check(dir, liveFile, namespace) {
  const file = path.join(dir, namespace === 'yaml11' ? 'quoted.yaml' : 'plain.yaml');
  const written = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.2' }).map((d) => d.toJS()).filter((o) => o.metadata?.namespace === namespace);
  const live = JSON.parse(fs.readFileSync(liveFile, 'utf8')).items ?? [];
  let compared = 0;
  const wrong = [];
  for (const object of written) {
    const stored = live.find((o) => o.kind === object.kind && o.metadata?.name === object.metadata.name);
    const storedStrings = new Map(stored ? strings(stored) : []);
    for (const [where, value] of strings(object)) {
      compared++;
      const got = storedStrings.get(where);
      if (got !== value) wrong.push(`${object.kind}/${object.metadata.name} ${where}: wrote ${JSON.stringify(value)}, stored ${got === undefined ? 'nothing' : JSON.stringify(got)}`);
    }
  }
  console.log(`${compared - wrong.length}/${compared} strings stored as written`);
  for (const w of wrong.slice(0, 10)) console.log(`  ${w}`);
  if (wrong.length > 10) console.log(`  ... and ${wrong.length - 10} more`);
  return wrong.length === 0 && compared > 0 ? 0 : 1;
}

const [command, ...args] = process.argv.slice(2);
if (command === 'write' && args.length === 1) write(args[0]);
else if (command === 'check' && args.length === 3) process.exitCode = check(...args);
else {
  console.error('usage: yaml11.js write DIR | check DIR LIVE.json NAMESPACE');
  process.exitCode = 2;
}
