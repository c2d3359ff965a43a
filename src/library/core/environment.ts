/**
 * Environments are the user's: their names, their promotion order and the per-environment
 * values of their own type. `defineEnvironments<Values>()({ ... })` checks every entry
 * against `Values`, so an environment that forgets a value, or misspells one, does not
 * compile; the names it infers type every lookup.
 */
import { PlatformSettings, PlatformSettingsInput, platformSettings } from '../core/platform-settings';

/** One environment as written in the user's configuration. */
export interface EnvironmentInput<Values> {
  /** Platform settings: the owner, and any default of PLATFORM_DEFAULTS to change. */
  readonly settings: PlatformSettingsInput;
  /** The user's own per-environment values. */
  readonly values: Values;
  /**
   * The kubeconfig context of the environment's cluster: `apply` and `diff --cluster` use it,
   * and refuse another given with `--context`, so the objects of one environment never reach
   * another's cluster. @default - none: kubectl's current context, or `--context`
   */
  readonly kubeContext?: string;
}

/** One environment, resolved: its name, its platform settings and its values. */
export interface Environment<Values, Name extends string = string> {
  /** The environment's name: its folder under the output and its `environment` label. */
  readonly name: Name;
  /** What the environment's cluster offers and requires, checked once per synth. */
  readonly settings: PlatformSettings;
  /** The project's own values for this environment, of the project's type. */
  readonly values: Values;
  /** The kubeconfig context of its cluster, where the environment names one. @default - none */
  readonly kubeContext?: string;
}

const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The folder, inside the output folder, of the GitOps objects: beside the environment
 * folders, so no environment may take its name. It is reserved whether or not a project
 * writes GitOps objects today, as synth writes them once package.json names a repository.
 */
export const GITOPS_FOLDER = 'gitops';

/** The environments of a project, in promotion order (the order they were written in). */
export class EnvironmentSet<Name extends string, Values> {
  /** The environment names, in promotion order. */
  readonly names: readonly Name[];
  private readonly byName: ReadonlyMap<string, Environment<Values, Name>>;

  constructor(inputs: Readonly<Record<Name, EnvironmentInput<Values>>>) {
    const names = Object.keys(inputs) as Name[];
    if (names.length === 0) throw new Error('defineEnvironments: no environment given: name at least one, e.g. { dev: { settings, values } }');
    const bad = names.filter((n) => n.length > 63 || !ENVIRONMENT_NAME.test(n));
    if (bad.length > 0) {
      throw new Error(`defineEnvironments: ${bad.map((n) => JSON.stringify(n)).join(', ')} cannot name an environment: use lower-case letters, digits and '-' (it becomes a folder and a label value)`);
    }
    if (names.includes(GITOPS_FOLDER as Name)) {
      throw new Error(
        `defineEnvironments: "${GITOPS_FOLDER}" cannot name an environment: <outdir>/${GITOPS_FOLDER}/ holds the Argo CD and Flux objects of every environment, so the two would share a folder: give the environment another name`,
      );
    }
    const unnamedContexts = names.filter((n) => inputs[n].kubeContext !== undefined && (typeof inputs[n].kubeContext !== 'string' || inputs[n].kubeContext?.trim() === ''));
    if (unnamedContexts.length > 0) {
      throw new Error(`defineEnvironments: the kubeContext of ${unnamedContexts.join(', ')} is no context name: give the kubeconfig context of the environment's cluster (kubectl config get-contexts lists them), or leave it out`);
    }
    this.names = names;
    this.byName = new Map(names.map((name) => [name, { name, settings: platformSettings(name, inputs[name].settings), values: inputs[name].values, kubeContext: inputs[name].kubeContext }]));
  }

  /** Whether `name` is one of the environments. */
  has(name: string): name is Name {
    return this.byName.has(name);
  }

  /** The environment called `name`, or an error listing the names there are. */
  get(name: string): Environment<Values, Name> {
    const env = this.byName.get(name);
    if (!env) throw new Error(`unknown environment "${name}": use one of ${this.names.join(', ')}`);
    return env;
  }

  /** Every environment, in promotion order. */
  all(): Environment<Values, Name>[] {
    return this.names.map((n) => this.get(n));
  }
}

/**
 * Declares a project's environments: `defineEnvironments<MyValues>()({ qa: {...}, live: {...} })`.
 * The first call fixes the values type; the second infers the names.
 */
export function defineEnvironments<Values>(): <Name extends string>(inputs: Readonly<Record<Name, EnvironmentInput<Values>>>) => EnvironmentSet<Name, Values> {
  return (inputs) => new EnvironmentSet(inputs);
}
