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

async function main() {
  await importKubernetes(SOURCES.kubernetes);
  for (const crd of SOURCES.crds) await importCrds(crd);
}

main().catch((err) => {
  console.error(`import failed: ${err.stack ?? err}`);
  process.exit(1);
});
