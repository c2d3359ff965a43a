import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { AppDeploymentProps, type EnvironmentName, LimitRangeConfig, Manifest, NamespacedApp, NamespacedAppProps, PlatformSettings, QuotaConfig, renderManifests, synthEnvironmentFiles as projectFiles, synthManifests as projectManifests, SynthOptions } from 'k8s-iac';
import { testSettings } from 'k8s-iac/testing';
import PROJECT from '../src/platform/project';

export { PROJECT };

/** The reference platform's release files. */
export const RELEASE_DIR = path.resolve(__dirname, '..', 'release');

/** The reference platform's environment names, from its configuration. */
export const ENVIRONMENT_NAMES = PROJECT.environments.names;

/** One environment of the reference platform, in memory, with the repository's release files unless told otherwise. */
export function synthManifests(env: EnvironmentName<typeof PROJECT>, options: SynthOptions = {}): Manifest[] {
  return projectManifests(PROJECT, env, { releaseDir: RELEASE_DIR, ...options });
}

/** The files of dist/<env>/ of the reference platform, in memory. */
export function synthEnvironmentFiles(env: EnvironmentName<typeof PROJECT>, options: SynthOptions = {}): Map<string, string> {
  return projectFiles(PROJECT, env, { releaseDir: RELEASE_DIR, ...options });
}

export const SETTINGS: PlatformSettings = testSettings({
  owner: { team: 'payments', email: 'payments@example.com' },
  requireImageDigest: false,
  spreadAcrossZones: false,
  storageClass: 'standard',
});

export const QUOTA: QuotaConfig = {
  requests: { cpu: '4', memory: '4Gi' },
  limits: { cpu: '8', memory: '8Gi' },
  storage: '50Gi',
  persistentVolumeClaims: 10,
  pods: 40,
  services: 10,
  configMaps: 10,
  secrets: 10,
};

export const LIMITS: LimitRangeConfig = {
  container: {
    defaultRequest: { cpu: '100m', memory: '10Mi' },
    default: { cpu: '200m', memory: '100Mi' },
    min: { cpu: '10m', memory: '5Mi' },
    max: { cpu: '2', memory: '2Gi' },
    maxLimitRequestRatio: { cpu: '4', memory: '10' },
  },
  pod: { max: { cpu: '2', memory: '2Gi' } },
  persistentVolumeClaim: { min: '1Gi', max: '10Gi' },
};

export const IMAGE = 'registry.example.com/shop/api:v1.2.3';
/** An HTTP app's pod: one port, requests and limits, a readiness probe. */
export const WEB_POD: Omit<AppDeploymentProps, 'name' | 'version'> = {
  container: {
    image: IMAGE,
    ports: [{ name: 'http', port: 8080 }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
  },
};

export const DIGEST_IMAGE = `${IMAGE}@sha256:${'a'.repeat(64)}`;

/** Builds a NamespacedApp with test defaults, lets `build` add to it, and renders it. */
export function synth(build: (ns: NamespacedApp) => void, props: Partial<NamespacedAppProps> = {}): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const ns = new NamespacedApp(app, 'shop', { namespace: 'shop', settings: SETTINGS, quota: QUOTA, limits: LIMITS, ...props });
  build(ns);
  return renderManifests(app, 'test');
}

/** The rendered object of a kind (and name, when several). */
export function find(manifests: readonly Manifest[], kind: string, name?: string): Record<string, any> {
  const match = manifests.filter((m) => m.kind === kind && (name === undefined || m.name === name));
  if (match.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${match.length}: ${manifests.map((m) => `${m.kind}/${m.name}`).join(', ')}`);
  return match[0].object as Record<string, any>;
}

/** The messages of the SynthError `build` causes (fails the test if synth succeeds). */
export function synthErrors(build: (ns: NamespacedApp) => void, props: Partial<NamespacedAppProps> = {}): string {
  try {
    synth(build, props);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected synth to fail, but it succeeded');
}

/** Every file under `dir` (relative path -> content), to compare folders before and after. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A fresh empty folder under the system's temporary folder. */
export function tmpdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** A copy of the repository's release files, for tests that change or break them. */
export function releaseCopy(): string {
  const dir = tmpdir('release');
  for (const f of fs.readdirSync(RELEASE_DIR)) fs.copyFileSync(path.join(RELEASE_DIR, f), path.join(dir, f));
  return dir;
}
