/**
 * A project: the user's environments, the apps its release files may name, and the
 * `build` function that composes one environment's constructs. The runner (synth,
 * promote) and the testing helpers take a project and do the rest, so a project's
 * entry file is its configuration and its blueprint, and nothing else.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import type { Environment, EnvironmentSet } from '../core/environment';
import type { AppRelease } from '../core/release';
import { checkDnsLabel } from '../core/validation';
import type { GitOpsTool } from './gitops';
import { baseFolder } from './paths';

const PROJECT_SYMBOL = Symbol.for('k8s-iac.Project');

/** Where the release files live when the project does not say. */
export const DEFAULT_RELEASE_DIR = 'release';

/** One environment's release state, as `build` reads it. */
export interface Release<App extends string> {
  /** The release file it was read from (for messages). */
  readonly file: string;
  /** What runs of `app`; an error naming the file when it has no entry. */
  app(app: App): AppRelease;
}

/** Where Argo CD and Flux fetch the synthesized folders from; every field has a default. */
export interface GitOpsSettings {
  /** The repository, `https://` or `ssh://` (Flux takes no other form). @default - package.json's `repository`; without one, synth writes no GitOps objects and says so */
  readonly repoURL?: string;
  /** The branch to follow. @default DEFAULT_GITOPS_BRANCH ('main') */
  readonly branch?: string;
  /** The folder of the environment folders, relative to the repository's root. @default 'dist' */
  readonly path?: string;
  /** Namespace of the Argo CD Applications. @default DEFAULT_ARGOCD_NAMESPACE ('argocd') */
  readonly argoCdNamespace?: string;
  /** Argo CD project of the Applications. @default DEFAULT_ARGOCD_PROJECT ('default') */
  readonly argoCdProject?: string;
  /** Namespace of the Flux GitRepository and Kustomizations. @default DEFAULT_FLUX_NAMESPACE ('flux-system') */
  readonly fluxNamespace?: string;
  /** How often Flux fetches and reconciles. @default DEFAULT_FLUX_INTERVAL ('5m') */
  readonly fluxInterval?: string;
  /** The tools to write objects for, each a folder of `<outdir>/gitops/`; `[]` writes none and says nothing of it. @default GITOPS_TOOLS (Argo CD and Flux) */
  readonly tools?: readonly GitOpsTool[];
}

/** What a project is made of. */
export interface ProjectProps<Name extends string, Values, App extends string> {
  /** The environments, from `defineEnvironments`. */
  readonly environments: EnvironmentSet<Name, Values>;
  /**
   * Apps whose release state (image, canary, active colour) lives in `<releaseDir>/<env>.json`:
   * each environment's file has an entry for each of them, and any other app in it is an
   * error. @default [] - no release files are read
   */
  readonly releaseApps?: readonly App[];
  /** Folder of the release files, relative to the project's root (where the command runs, whatever subfolder it starts in). @default 'release' */
  readonly releaseDir?: string;
  /**
   * Names the environments' ApplySets (`<name>-<env>`) and GitOps objects. Give each
   * project that shares a cluster with another its own name: an apply prunes every object
   * of its ApplySet that it no longer holds. @default - the environment's name alone
   */
  readonly name?: string;
  /** Where GitOps controllers fetch the environment folders from. @default - the repository of package.json, branch main, folder dist */
  readonly gitops?: GitOpsSettings;
  /** Adds one environment's constructs under `scope` (a fresh cdk8s App per environment). */
  build(scope: Construct, env: Environment<Values, Name>, release: Release<App>): void;
}

/** A project the runner and the testing helpers synthesize. */
export class Project<Name extends string = string, Values = unknown, App extends string = string> {
  /** Whether `x` is a Project, by a symbol, so it holds across copies of the library. */
  static isProject(x: unknown): x is Project {
    return typeof x === 'object' && x !== null && PROJECT_SYMBOL in x;
  }

  readonly environments: EnvironmentSet<Name, Values>;
  readonly releaseApps: readonly App[];
  /** The project's name, if it has one. @default - none */
  readonly name?: string;
  /** Where GitOps controllers fetch the folders from, as given. @default - none: every default */
  readonly gitops?: GitOpsSettings;
  private readonly releaseDirSetting: string;
  private readonly buildFn: ProjectProps<Name, Values, App>['build'];

  constructor(props: ProjectProps<Name, Values, App>) {
    Object.defineProperty(this, PROJECT_SYMBOL, { value: true });
    this.environments = props.environments;
    this.releaseApps = props.releaseApps ?? [];
    this.releaseDirSetting = props.releaseDir ?? DEFAULT_RELEASE_DIR;
    const badName = props.name === undefined ? undefined : checkDnsLabel(props.name, 'defineProject: name');
    if (badName) throw new Error(badName);
    this.name = props.name;
    this.gitops = props.gitops;
    this.buildFn = props.build;
  }

  /**
   * The release folder, resolved against `base`: by default the project's root (the nearest
   * folder at or above the working folder whose package.json has a "k8s-iac" field, where
   * the command runs), so that the testing helpers find it from a subfolder too.
   */
  releaseDir(base: string = baseFolder()): string {
    return path.resolve(base, this.releaseDirSetting);
  }

  /** The name of environment `env`'s ApplySet parent (and GitOps objects): `<name>-<env>`, or `<env>` without a name. */
  applySetName(env: string): string {
    return this.name === undefined ? env : `${this.name}-${env}`;
  }

  /** Adds environment `env`'s constructs under `scope`. */
  build(scope: Construct, env: Environment<Values, Name>, release: Release<App>): void {
    this.buildFn(scope, env, release);
  }
}

/**
 * The environment names project type `P` takes: `'qa' | 'live'` for a project of
 * `defineProject` with those environments, any string for a plain `Project`. The helpers
 * that synthesize one environment take these, so a misspelled name does not compile; a
 * name from outside (a string) is narrowed by `project.environments.has(name)`.
 */
export type EnvironmentName<P extends Project> = P['environments']['names'][number];

/** Declares a project: `export default defineProject({ environments, releaseApps, build })`. */
export function defineProject<Name extends string, Values, App extends string = never>(props: ProjectProps<Name, Values, App>): Project<Name, Values, App> {
  return new Project(props);
}
