#!/usr/bin/env node
/**
 * Regenerates the L1 types in imports/ with cdk8s-cli's own code generator,
 * offline: every schema comes from a Go module (through the Go module proxy),
 * not from the URLs `cdk8s import` would fetch.
 *
 *   imports/k8s.ts                  k8s.io/kubernetes  api/openapi-spec/swagger.json
 *   imports/gateway.networking.k8s.io.ts   sigs.k8s.io/gateway-api  standard CRDs
 *   imports/autoscaling.k8s.io.ts          k8s.io/autoscaler/vertical-pod-autoscaler CRD
 *   imports/argoproj.io.ts                 github.com/argoproj/argo-cd/v2  Application CRD
 *   imports/source.toolkit.fluxcd.io.ts    github.com/fluxcd/source-controller  GitRepository CRD
 *   imports/kustomize.toolkit.fluxcd.io.ts github.com/fluxcd/kustomize-controller  Kustomization CRD
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// cdk8s-cli exports no programmatic API; load its modules by path, as its own bin does.
const CLI_DIR = path.dirname(require.resolve('cdk8s-cli/package.json'));
const cliUtil = require(path.join(CLI_DIR, 'lib/util.js'));
const { importDispatch } = require(path.join(CLI_DIR, 'lib/import/dispatch.js'));

const SOURCES = require('./import-sources.json');
const OUTDIR = path.resolve(__dirname, '..', 'imports');

/** Downloads a Go module into the module cache and returns its directory. */
function goModuleDir(module, version) {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  const info = JSON.parse(out);
  if (info.Error) throw new Error(`go mod download ${module}@${version}: ${info.Error}`);
  return info.Dir;
}

/**
 * The Kubernetes swagger spec types IntOrString and Quantity as plain strings with a
 * format; cdk8s's generator (like kubeconform's schemas) expects the JSON-schema union
 * form, which yields the `IntOrString`/`Quantity` classes with fromNumber/fromString.
 */
function toJsonSchemaDefinitions(swagger) {
  const definitions = { ...swagger.definitions };
  definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = {
    ...definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'],
    type: undefined,
    format: 'int-or-string',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  };
  definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'] = {
    ...definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'],
    type: undefined,
    oneOf: [{ type: 'string' }, { type: 'number' }],
  };
  return JSON.stringify({ definitions });
}

async function importKubernetes({ module, version, api }) {
  const dir = goModuleDir(module, version);
  const swagger = JSON.parse(fs.readFileSync(path.join(dir, 'api/openapi-spec/swagger.json'), 'utf8'));
  const schema = toJsonSchemaDefinitions(swagger);
  // The generator fetches the schema through this one function; serve it from the module.
  const download = cliUtil.download;
  cliUtil.download = async () => schema;
  try {
    await importDispatch([{ source: `k8s@${api}` }], {}, { outdir: OUTDIR, targetLanguage: 'typescript', save: false });
  } finally {
    cliUtil.download = download;
  }
}

async function importCrds({ module, version, files, moduleNamePrefix }) {
  const dir = goModuleDir(module, version);
  // One CRD import per group: concatenate the group's files into one multi-document YAML.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-import-'));
  const combined = path.join(tmp, 'crds.yaml');
  fs.writeFileSync(combined, files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n---\n'));
  try {
    await importDispatch([{ source: combined, moduleNamePrefix }], {}, { outdir: OUTDIR, targetLanguage: 'typescript', save: false });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The generator drops undefined members with a reduce that spreads the whole result once
 * per member: quadratic in the fields of a type, and the larger part of rendering a
 * Deployment. The same result (the defined members, in order) in one pass.
 */
const REDUCE_HEAD = 'Object.entries(';
const REDUCE_BODY = ').reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: ';
const REDUCE_TAIL = ' }), {})';
const DEFINED_MEMBERS = `
/** The members of \`obj\` whose value is defined, converted, in order (what a reduce spreading once per member gives, in one pass). */
function definedMembers<T>(obj: { [key: string]: T }, convert?: (value: T) => any): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(obj)) {
    if (obj[key] === undefined) continue;
    const value = convert ? convert(obj[key]) : obj[key];
    // an assignment to "__proto__" would set the prototype; the spread made it a member
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
`;

/** Where the text opened at `start` closes (the bracket that takes its depth below zero), or where `tail` follows at depth zero. */
function closingAt(text, start, tail) {
  let depth = 0;
  for (let end = start; end < text.length; end++) {
    if (depth === 0 && tail !== undefined && text.startsWith(tail, end)) return end;
    const ch = text[end];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (depth < 0) return tail === undefined ? end : undefined;
  }
  return undefined;
}

/**
 * Rewrites every spread reduce of a generated file,
 * \`Object.entries(V).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: E }), {})\`,
 * into \`definedMembers(V)\` where E is \`i[1]\`, otherwise \`definedMembers(V, (v) => E)\` with \`i[1]\` read as v;
 * \`definedMembers\` is defined once in the file.
 */
function withDefinedMembers(source) {
  let out = '';
  let rest = source;
  for (let at = rest.indexOf(REDUCE_HEAD); at >= 0; at = rest.indexOf(REDUCE_HEAD)) {
    const valueStart = at + REDUCE_HEAD.length;
    const valueEnd = closingAt(rest, valueStart, REDUCE_BODY);
    const suffixStart = valueEnd === undefined ? undefined : valueEnd + REDUCE_BODY.length;
    const suffixEnd = suffixStart === undefined ? undefined : closingAt(rest, suffixStart, REDUCE_TAIL);
    if (valueEnd === undefined || suffixStart === undefined || suffixEnd === undefined) {
      // an Object.entries that is not this reduce: kept as it is
      out += rest.slice(0, valueStart);
      rest = rest.slice(valueStart);
      continue;
    }
    const member = rest.slice(suffixStart, suffixEnd);
    const convert = member === 'i[1]' ? '' : `, (v) => ${member.split('i[1]').join('v')}`;
    out += `${rest.slice(0, at)}definedMembers(${rest.slice(valueStart, valueEnd)}${convert})`;
    rest = rest.slice(suffixEnd + REDUCE_TAIL.length);
  }
  out += rest;
  if (out === source) return source;
  const marker = "import { Construct } from 'constructs';\n";
  if (!out.includes(marker)) throw new Error('generated file has no constructs import to place definedMembers after');
  return out.replace(marker, marker + DEFINED_MEMBERS);
}

/**
 * Each struct's conversion builds an object holding every field of its type (a PodSpec has
 * 39), most of them undefined, and then copies the defined ones out with definedMembers:
 * two objects per struct, the first as wide as the type. Assigning each field only when it
 * is defined gives the same object (the same members, in the same order, each expression
 * evaluated once and in order) at the cost of one: 6 % of building and rendering 1000 services, as measured.
 */
const RESULT_HEAD = '  const result = {\n';
const RESULT_TAIL = '  };\n  // filter undefined values\n  return definedMembers(result);\n';
const RESULT_FIELD = /^ {4}('[^'\\]+'): (.*),$/;

/** Whether every bracket `text` opens it also closes, in order: a bracket added after it is then the first to close below zero. */
function balanced(text) {
  return closingAt(`${text})`, 0) === text.length;
}

/** The field assignments replacing one `const result = { ... }` block's lines. */
function assignedFields(block, file) {
  return block
    .split('\n')
    .map((line) => {
      const field = RESULT_FIELD.exec(line);
      // a field split over lines, or an unbalanced one, means the generator changed: stop rather than guess
      if (!field || !balanced(field[2])) throw new Error(`${file}: a result field this rewrite does not know: ${line}`);
      return `  value = ${field[2]};\n  if (value !== undefined) result[${field[1]}] = value;\n`;
    })
    .join('');
}

/** Rewrites every `const result = {...}; return definedMembers(result);` of a generated file into assignments of the defined fields. */
function withDefinedFieldsAssigned(source, file) {
  let out = '';
  let rest = source;
  for (let at = rest.indexOf(RESULT_HEAD); at >= 0; at = rest.indexOf(RESULT_HEAD)) {
    const bodyStart = at + RESULT_HEAD.length;
    const tailAt = rest.indexOf(RESULT_TAIL, bodyStart);
    if (tailAt < 0) throw new Error(`${file}: a result object without the definedMembers return after it`);
    const fields = rest.slice(bodyStart, tailAt).replace(/\n$/, '');
    const assignments = fields === '' ? '' : `  let value: any;\n${assignedFields(fields, file)}`;
    out += `${rest.slice(0, at)}  const result: Record<string, any> = {};\n${assignments}  return result;\n`;
    rest = rest.slice(tailAt + RESULT_TAIL.length);
  }
  return out + rest;
}

function rewriteGenerated() {
  for (const file of fs.readdirSync(OUTDIR).filter((f) => f.endsWith('.ts'))) {
    const full = path.join(OUTDIR, file);
    const source = fs.readFileSync(full, 'utf8');
    const rewritten = withDefinedFieldsAssigned(withDefinedMembers(source), file);
    if (rewritten.includes(REDUCE_BODY)) throw new Error(`${file}: a spread reduce was left`);
    fs.writeFileSync(full, rewritten);
  }
}

async function main() {
  await importKubernetes(SOURCES.kubernetes);
  for (const crd of SOURCES.crds) await importCrds(crd);
  rewriteGenerated();
}

main().catch((err) => {
  console.error(`import failed: ${err.stack ?? err}`);
  process.exit(1);
});
