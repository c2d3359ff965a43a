/**
 * A blue-green release (000 §5.8.2, L603-620): two full Deployments of one app, `blue` and
 * `green`, side by side; the active Service sends users to one colour, the preview
 * Service to the other, so the new version is tested in place before the switch. The
 * switch (and the rollback) is a change of the active Service's selector only.
 * - The colours differ by one pod label, `release.k8s-iac.dev/colour`, which is in each
 *   Deployment's selector. Selectors are immutable, and neither depends on which colour
 *   is active: switching never has to delete and recreate a Deployment.
 * - The Services select by app name and colour, not version, so deploying a new version
 *   into the idle colour does not move traffic.
 * - Both colours run at full size by default, for instant rollback; `idleReplicas` shrinks
 *   the idle one (0 frees its capacity, but a rollback then waits for pods to start).
 * - Both colours register their footprints, so the namespace quota is checked against
 *   both at once: blue-green needs double capacity (000:L603-612).
 * - Both colours share one ServiceAccount: they are one app.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { serviceNameStem, theyDeclarePorts } from '../core/validation';
import { AppDeployment, AutoscalingProps, DeploymentStrategy } from './app-deployment';
import type { DisruptionBudgetProps } from './disruption-budget';
import { AppService, checkServicePorts, ServicePortProps } from './app-service';
import { DerivedService } from './derived-service';
import { LABELS, Labels } from '../core/labels';
import type { PodTemplateProps } from './pod-template';
import { DEFAULT_REPLICAS } from '../core/defaults';
import { COLOURS, Colour, otherColour } from '../core/release';

/** One colour's pods: its version, image, config and the rest of the pod template. */
export interface BlueGreenColourProps extends PodTemplateProps {
  /** Value of `app.kubernetes.io/version` on this colour's pods (not in any selector). */
  readonly version: string;
}

/** The two colours of one app, which one is active, and their size. */
export interface BlueGreenProps {
  /**
   * App name: the pods' `app.kubernetes.io/name`, the active Service and the shared
   * ServiceAccount; the Deployments are `<name>-blue` and `<name>-green`, the preview
   * Service `<name>-preview`. A DNS-1035 label of at most 55 characters, so the preview
   * Service's name is one too.
   */
  readonly name: string;
  /** The colour the active Service sends users to. */
  readonly active: Colour;
  /** The blue Deployment's pod and version. */
  readonly blue: BlueGreenColourProps;
  /** The green Deployment's pod and version. */
  readonly green: BlueGreenColourProps;
  /** Ports of both Services (each names a container port). */
  readonly ports: readonly ServicePortProps[];
  /** Replicas of each colour at full size (the HPA's minimum with autoscaling). @default 2 */
  readonly replicas?: number;
  /** An HPA for each colour at full size. @default - fixed replicas */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Replicas of the idle colour: 0 frees its capacity, at the cost of a rollback that waits
   * for pods to start. @default - full size, like the active colour, for instant rollback
   */
  readonly idleReplicas?: number;
  /** Rollout strategy of both Deployments. @default - AppDeployment's RollingUpdate */
  readonly strategy?: DeploymentStrategy;
  /** Budget of each colour running 2 or more replicas. @default - AppDeployment's default */
  readonly disruptionBudget?: DisruptionBudgetProps | false;
}

/** The colour the pair is built on while the given active colour is none: its problem is the pair's one message. */
const STAND_IN_ACTIVE: Colour = 'blue';

/** What the preview Service's name adds to the pair's. */
const PREVIEW_SUFFIX = '-preview';

/** What a pair appends to its name for its Services: nothing for the active one, PREVIEW_SUFFIX for the preview one. */
export const BLUE_GREEN_SERVICE_SUFFIXES: readonly string[] = ['', PREVIEW_SUFFIX];

/** Whether `value` is a count of replicas: a whole number of 0 or more. */
function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/** Two Deployments, blue and green, an active Service on one and a preview Service on the other. */
export class BlueGreen extends Construct {
  readonly name: string;
  readonly active: Colour;
  readonly idle: Colour;
  readonly deployments: Readonly<Record<Colour, AppDeployment>>;
  /** `<name>`: users' traffic, to the active colour. */
  readonly activeService: AppService;
  /** `<name>-preview`: the idle colour, to test before the switch. */
  readonly previewService: AppService;
  /** Labels both colours' pods share (app name only): for policies that must not change on a switch. */
  readonly appSelector: Labels;
  private readonly props: BlueGreenProps;
  /** The name as given, which problems name (the objects carry a stand-in while it is wrong). */
  private readonly givenName: string;

  constructor(scope: Construct, id: string, props: BlueGreenProps) {
    super(scope, id);
    this.givenName = props.name;
    const named = serviceNameStem(props.name, BLUE_GREEN_SERVICE_SUFFIXES, 'name', 'blue-green pair', this.node.path);
    this.props = { ...props, name: named.name };
    this.name = this.props.name;
    // an active colour that is none (JavaScript) is reported by the pair; its Services and
    // Deployments are built on a colour that is one, so that they report nothing more
    this.active = COLOURS.includes(props.active) ? props.active : STAND_IN_ACTIVE;
    this.idle = otherColour(this.active);
    this.appSelector = { [LABELS.name]: this.name };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name }, automountServiceAccountToken: false });
    this.deployments = { blue: this.colourDeployment('blue'), green: this.colourDeployment('green') };
    this.activeService = this.colourService('Active', this.name, 'active', this.active);
    this.previewService = this.colourService('Preview', `${this.name}${PREVIEW_SUFFIX}`, 'preview', this.idle);
    this.node.addValidation({ validate: () => [...(named.problem === undefined ? [] : [named.problem]), ...this.validateBlueGreen()] });
  }

  /**
   * The name the pair's problems say: the name as given. A construct that builds a pair
   * under a name of its own making (a ReleasedService, while its own name is wrong) says
   * the name its user gave instead.
   */
  protected nameInProblems(): string {
    return this.givenName;
  }

  /** Selector of one colour's pods: app name and colour, the same whichever colour is active. */
  colourSelector(colour: Colour): Labels {
    return { ...this.appSelector, [LABELS.colour]: colour };
  }

  private colourDeployment(colour: Colour): AppDeployment {
    const p = this.props;
    // an idleReplicas that is no count is the pair's one problem: the idle colour is built at full size meanwhile
    const shrunk = colour !== this.active && p.idleReplicas !== undefined && isCount(p.idleReplicas);
    const replicas = shrunk ? p.idleReplicas : p.autoscaling ? undefined : (p.replicas ?? DEFAULT_REPLICAS);
    return new AppDeployment(this, colour === 'blue' ? 'Blue' : 'Green', {
      ...p[colour],
      name: `${p.name}-${colour}`,
      appName: p.name,
      selectorLabels: { [LABELS.colour]: colour },
      replicas,
      autoscaling: shrunk ? undefined : p.autoscaling,
      serviceAccountName: p.name,
      strategy: p.strategy,
      // A budget for 0 or 1 idle pods would block every drain: the shrunk colour goes without.
      disruptionBudget: shrunk && (replicas ?? 0) < 2 ? undefined : p.disruptionBudget,
    });
  }

  private colourService(id: string, name: string, role: 'active' | 'preview', colour: Colour): AppService {
    // its name, selector, labels and ports are the pair's, checked once by the pair for both
    // Services: a port the colour's pods do not declare is the pair's problem, left out here
    return new DerivedService(this, id, {
      name,
      selector: this.colourSelector(colour),
      ports: this.props.ports.filter((port) => this.declaredPorts(colour).includes(port.name)),
      labels: { ...this.appSelector, [LABELS.role]: role },
    });
  }

  private validateBlueGreen(): string[] {
    const p = this.props;
    const problems: string[] = [];
    if (!COLOURS.includes(p.active)) problems.push(`active is ${JSON.stringify(p.active)}: use ${COLOURS.map((c) => `'${c}'`).join(' or ')}, the colour users get`);
    if (p.idleReplicas !== undefined && !isCount(p.idleReplicas)) {
      problems.push(`idleReplicas is ${p.idleReplicas}: use 0 to free the idle colour's capacity, a whole number to keep some of it, or leave it unset for a full-size idle colour`);
    }
    if (!p.autoscaling && p.replicas === 0) {
      problems.push(`the active colour ${this.active} runs 0 replicas, so the active Service "${this.nameInProblems()}" has no endpoints: set replicas to 1 or more (idleReplicas sizes the idle colour alone)`);
    }
    if (p.ports.length === 0) problems.push(`blue-green "${this.nameInProblems()}" has no ports: list the container ports both Services expose`);
    else problems.push(...checkServicePorts(this.nameInProblems(), p.ports, false), ...this.undeclaredPorts());
    return problems;
  }

  /** The names of the container ports a colour's pods declare, which its Service's ports target. */
  private declaredPorts(colour: Colour): string[] {
    return (this.props[colour].container.ports ?? []).map((port) => port.name);
  }

  /**
   * The pair's ports a colour's pods do not declare, each said once for both Services: the
   * Service on that colour would have no endpoints on it.
   */
  private undeclaredPorts(): string[] {
    return this.props.ports.flatMap((port) => {
      const lacking = COLOURS.filter((colour) => !this.declaredPorts(colour).includes(port.name));
      if (lacking.length === 0) return [];
      const theyDeclare = theyDeclarePorts(lacking.flatMap((colour) => this.declaredPorts(colour)));
      const undeclared = lacking.length === COLOURS.length ? 'neither colour declares' : `the ${lacking[0]} colour does not declare`;
      return [
        `blue-green "${this.nameInProblems()}" port "${port.name}" targets the container port of that name, which ${undeclared} (${theyDeclare}): use one of theirs, or name the container port "${port.name}" in ${lacking.join(' and ')}`,
      ];
    });
  }
}
