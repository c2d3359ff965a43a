/**
 * GitOps for every environment: an Argo CD `Application` and a Flux `Kustomization` (with
 * its `GitRepository`) that keep the cluster at `<path>/<env>` of the repository, pruning
 * what the folder no longer holds. They are alternatives, so each goes into a folder of
 * its own, `<outdir>/gitops/argocd/<env>/` and `<outdir>/gitops/flux/<env>/`, each with a
 * kustomization: `kubectl apply -k` one of them where Argo CD or Flux runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Application } from '../../../imports/argoproj.io';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository } from '../../../imports/source.toolkit.fluxcd.io';
import {
  ARGOCD_IN_CLUSTER_SERVER,
  DEFAULT_ARGOCD_NAMESPACE,
  DEFAULT_ARGOCD_PROJECT,
  DEFAULT_FLUX_INTERVAL,
  DEFAULT_FLUX_NAMESPACE,
  DEFAULT_GITOPS_BRANCH,
} from '../core/defaults';
import { GITOPS_FOLDER } from '../core/environment';
import { LABELS, MANAGED_BY } from '../core/labels';
import type { GitOpsSettings, Project } from './project';
import { renderFiles, renderManifests } from './synthesize';

/** The GitOps tools, each a folder of `<outdir>/gitops/`. */
export const GITOPS_TOOLS = ['argocd', 'flux'] as const;

/** One of GITOPS_TOOLS. */
export type GitOpsTool = (typeof GITOPS_TOOLS)[number];

/** GitOpsSettings with every default filled in. */
export type ResolvedGitOps = Required<GitOpsSettings>;

/**
 * The URL forms fetched from: `https://` and `ssh://`. Flux's GitRepository also takes
 * `http://` (its CRD's pattern `^(http|https|ssh)://.*$`), but what it fetches is applied
 * to the cluster, so a fetch without TLS is not offered.
 */
const REPO_URL = /^(https|ssh):\/\/\S+$/;

/** package.json's `repository` (a string or `{ url }`) as a URL, `git+` dropped as npm does; undefined without one. */
export function packageRepositoryUrl(packageJson: { readonly repository?: unknown }): string | undefined {
  const repository = packageJson.repository;
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url.replace(/^git\+/, '') : undefined;
}

/** The repository package.json in `root` names, if any. */
export function readPackageRepository(root: string): string | undefined {
  const file = path.join(root, 'package.json');
  return fs.existsSync(file) ? packageRepositoryUrl(JSON.parse(fs.readFileSync(file, 'utf8')) as { repository?: unknown }) : undefined;
}

/**
 * The project's GitOps settings with their defaults, the repository from the settings or
 * else `packageRepository`, the path from the settings or else `defaultPath` (the output
 * folder's place in the package); a string saying why there are none when neither names a
 * repository, or what package.json and the output folder give cannot be fetched;
 * undefined when the settings ask for no tool. What the settings themselves name wrongly
 * is an error.
 */
export function resolveGitOps(settings: GitOpsSettings | undefined, packageRepository: string | undefined, defaultPath: string): ResolvedGitOps | string | undefined {
  const tools = settings?.tools ?? GITOPS_TOOLS;
  const unknown = tools.find((tool) => !GITOPS_TOOLS.includes(tool));
  if (unknown !== undefined) throw new Error(`gitops.tools ${JSON.stringify(unknown)} is not a GitOps tool synth writes for: use ${GITOPS_TOOLS.map((t) => `'${t}'`).join(', ')}, or [] for none`);
  // none asked for: nothing to write, and nothing to say about it
  if (tools.length === 0) return undefined;
  const repoURL = settings?.repoURL ?? packageRepository;
  if (repoURL === undefined) return 'no repository to fetch from: set "repository" in package.json, or gitops.repoURL in defineProject';
  const notFetchable = `repository "${repoURL}" is not an https:// or ssh:// URL, the forms fetched from`;
  if (!REPO_URL.test(repoURL)) {
    if (settings?.repoURL === undefined) return `package.json's ${notFetchable}: set gitops.repoURL in defineProject, e.g. https://github.com/org/repo.git`;
    throw new Error(`gitops ${notFetchable}: set gitops.repoURL in defineProject, e.g. https://github.com/org/repo.git`);
  }
  if (settings?.path === undefined && (defaultPath === '..' || defaultPath.startsWith('../'))) {
    return `the output folder is outside the package (${defaultPath}), so no path in the repository reaches it: write into the package, or set gitops.path in defineProject`;
  }
  return {
    repoURL,
    branch: settings?.branch ?? DEFAULT_GITOPS_BRANCH,
    path: (settings?.path ?? defaultPath).replace(/^\.\//, '').replace(/\/+$/, ''),
    argoCdNamespace: settings?.argoCdNamespace ?? DEFAULT_ARGOCD_NAMESPACE,
    argoCdProject: settings?.argoCdProject ?? DEFAULT_ARGOCD_PROJECT,
    fluxNamespace: settings?.fluxNamespace ?? DEFAULT_FLUX_NAMESPACE,
    fluxInterval: settings?.fluxInterval ?? DEFAULT_FLUX_INTERVAL,
    tools: [...new Set(tools)],
  };
}

/** An Argo CD Application that syncs `<path>/<env>` with pruning and self-heal, server-side as `k8s-iac apply` does. */
function argoCd(scope: Construct, name: string, env: string, gitops: ResolvedGitOps): void {
  new Application(scope, 'Application', {
    metadata: { name, namespace: gitops.argoCdNamespace, labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.environment]: env } },
    spec: {
      project: gitops.argoCdProject,
      source: { repoUrl: gitops.repoURL, targetRevision: gitops.branch, path: `${gitops.path}/${env}` },
      destination: { server: ARGOCD_IN_CLUSTER_SERVER },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  });
}

/** A Flux GitRepository of the branch and a Kustomization that applies `./<path>/<env>` of it with pruning. */
function flux(scope: Construct, name: string, env: string, gitops: ResolvedGitOps): void {
  const metadata = { name, namespace: gitops.fluxNamespace, labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.environment]: env } };
  new GitRepository(scope, 'GitRepository', { metadata, spec: { url: gitops.repoURL, ref: { branch: gitops.branch }, interval: gitops.fluxInterval } });
  new Kustomization(scope, 'Kustomization', {
    metadata,
    spec: { path: `./${gitops.path}/${env}`, prune: true, interval: gitops.fluxInterval, sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name } },
  });
}

/** The files of `<outdir>/gitops/<tool>/<env>/` for each tool and environment of `envs`. */
export function gitOpsFiles(project: Project, envs: readonly string[], gitops: ResolvedGitOps): Map<GitOpsTool, Map<string, Map<string, string>>> {
  const build: Record<GitOpsTool, typeof argoCd> = { argocd: argoCd, flux };
  return new Map(
    gitops.tools.map((tool) => {
      const trees = envs.map((env): [string, Map<string, string>] => {
        const app = new App({ outdir: 'unused' });
        build[tool](new Chart(app, tool), project.applySetName(env), env, gitops);
        return [env, renderFiles(renderManifests(app, `${GITOPS_FOLDER}/${tool}/${env}`))];
      });
      return [tool, new Map(trees)];
    }),
  );
}
