/**
 * An HTTP service released the way its environment says, and reached the way its
 * environment routes traffic: the wiring a platform writes once per service.
 * - `rolling`: one Deployment, rolled in place;
 * - `canary`: the stable Deployment and, while the release has a `canary`, a canary
 *   Deployment beside it (`<name>-canary`), each selected by its release track, with the
 *   canary's share of requests set by weight, header or cookie;
 * - `blue-green`: `<name>-blue` and `<name>-green`, the active Service on the colour the
 *   release names, a preview Service on the other (`k8s-iac promote` switches them).
 * Requests arrive through ingress-nginx (Ingress + canary Ingress) or a Gateway
 * (HTTPRoute), as `routing.traffic` says; without `routing` the Service stays internal.
 */
import { Construct } from 'constructs';
import { DEFAULT_CANARY_REPLICAS, DEFAULT_REPLICAS } from '../core/defaults';
import { LABELS, Labels } from '../core/labels';
import type { AppRelease, CanaryRelease, CanaryRouting, VersionRelease } from '../core/release';
import type { TrafficApi } from '../core/traffic';
import { serviceNameStem, theyDeclarePorts } from '../core/validation';
import { AppDeployment, AutoscalingProps } from './app-deployment';
import { AppIngress, HttpPath } from './app-ingress';
import { AppService, checkServicePorts, ServicePortProps } from './app-service';
import { DerivedService } from './derived-service';
import { BLUE_GREEN_SERVICE_SUFFIXES, BlueGreen, BlueGreenProps } from './blue-green';
import { CanaryIngress } from './canary-ingress';
import type { PodSelectable } from './network-policy';
import { namespaceContextOf } from '../core/namespace-context';
import { AppHttpRoute } from './http-route';
import type { PodTemplateProps } from './pod-template';

/** How releases reach users. */
export type ReleaseStrategy = 'rolling' | 'canary' | 'blue-green';


/** Where requests come from: the environment's traffic API, the host and the paths served. */
export interface ServiceRouting {
  /** ingress-nginx or a Gateway. */
  readonly traffic: TrafficApi;
  /** Host the Ingress or HTTPRoute matches. */
  readonly host: string;
  /** Paths routed to the service. */
  readonly paths: readonly HttpPath[];
}

/** A released HTTP service: its pods per version, its release, its ports and its routing. */
export interface ReleasedServiceProps {
  /**
   * App name: of the Deployments, Services, Ingress or HTTPRoute, and the pods'
   * `app.kubernetes.io/name`. A DNS-1035 label short enough for the Services its strategy
   * names from it: 56 characters for `canary` (`<name>-canary`), 55 for `blue-green`
   * (`<name>-preview`), 63 for `rolling`.
   */
  readonly name: string;
  /** How releases reach users. */
  readonly strategy: ReleaseStrategy;
  /** What runs: the stable version, and a canary or a blue-green pair as the strategy uses them. */
  readonly release: AppRelease;
  /** The pod template of one version (image, config, probes, resources). */
  readonly pod: (version: VersionRelease) => PodTemplateProps;
  /** Service ports; each names a container port. */
  readonly ports: readonly ServicePortProps[];
  /** Fixed replicas of the stable (or each colour's) Deployment. @default 2 */
  readonly replicas?: number;
  /** Let an HPA own the replicas instead. @default - fixed replicas */
  readonly autoscaling?: AutoscalingProps;
  /** How requests reach the service. @default - no Ingress or HTTPRoute: reachable inside the cluster only */
  readonly routing?: ServiceRouting;
  /** Where the release came from, for messages, e.g. `release/prod.json`. @default 'the release state' */
  readonly releaseSource?: string;
}

/**
 * What each strategy appends to the app name for the Services it makes (a canary's while one
 * runs): every one must stay a DNS-1035 label, so the name is checked against the longest.
 */
const SERVICE_NAME_SUFFIXES: Readonly<Record<ReleaseStrategy, readonly string[]>> = { rolling: [''], canary: ['', '-canary'], 'blue-green': BLUE_GREEN_SERVICE_SUFFIXES };

/** The pair of a blue-green ReleasedService: its problems say the service's name as given, not the stand-in it may be built under. */
class ReleasedPair extends BlueGreen {
  private readonly serviceName: string;

  constructor(scope: Construct, id: string, props: BlueGreenProps, serviceName: string) {
    super(scope, id, props);
    this.serviceName = serviceName;
  }

  protected override nameInProblems(): string {
    return this.serviceName;
  }
}

/** The Services requests reach: the stable (or active) one, and a canary's. */
interface Backends {
  readonly service: AppService;
  readonly canary?: { readonly service: AppService; readonly routing: CanaryRouting };
  /** Pods the ingress controller or Gateway is admitted to. @default - each Service's selector */
  readonly policySelector?: Labels;
}

/**
 * The release and routing wiring of one HTTP service inside a NamespacedApp: Deployments,
 * Services, and an Ingress (with canary Ingress) or HTTPRoute, per the release strategy.
 */
export class ReleasedService extends Construct implements PodSelectable {
  /** The Service users reach: the stable version's, or the active colour's. */
  readonly service: AppService;
  /** Labels every pod of the service carries, whatever its version, track or colour: a policy peer as `{ workload: this }`. */
  readonly podSelector: Labels;
  /** Namespace the pods run in. */
  readonly namespaceName: string;
  private readonly props: ReleasedServiceProps;
  /** The name as given: the app's key in its release file, which problems name. */
  private readonly givenName: string;
  /** The container port names of each version's pods, as declaredPorts reads them. */
  private readonly declaredPortNames = new Map<VersionRelease, string[]>();

  constructor(scope: Construct, id: string, props: ReleasedServiceProps) {
    super(scope, id);
    this.givenName = props.name;
    const named = serviceNameStem(props.name, SERVICE_NAME_SUFFIXES[props.strategy], 'app name', 'service', this.node.path);
    this.props = { ...props, name: named.name };
    this.podSelector = { [LABELS.name]: named.name };
    this.namespaceName = namespaceContextOf(this).namespaceName;
    const backends = this.backends();
    this.service = backends.service;
    if (props.routing) this.route(props.routing, backends);
    // a blue-green pair checks the ports of the Services it makes; without its release data the service runs rolling
    const portsChecked = !(props.strategy === 'blue-green' && props.release.blueGreen);
    this.node.addValidation({
      validate: () => [
        ...(named.problem === undefined ? [] : [named.problem]),
        ...(portsChecked ? [...checkServicePorts(this.givenName, props.ports, false), ...this.undeclaredPorts()] : []),
        ...checkReleaseFitsStrategy(props.name, props.strategy, props.release, props.releaseSource ?? 'the release state'),
      ],
    });
  }

  private backends(): Backends {
    const { strategy, release } = this.props;
    switch (strategy) {
      case 'rolling':
        return this.rolling(release.stable);
      case 'canary':
        return this.canary(release.stable, release.canary);
      case 'blue-green':
        return this.blueGreen(release);
    }
  }

  /** Fixed replicas, or none where an HPA owns them. */
  private sizing(): { replicas?: number; autoscaling?: AutoscalingProps } {
    return { replicas: this.props.autoscaling ? undefined : (this.props.replicas ?? DEFAULT_REPLICAS), autoscaling: this.props.autoscaling };
  }

  private rolling(stable: VersionRelease): Backends {
    const name = this.props.name;
    new AppDeployment(this, 'App', { name, version: stable.version, ...this.sizing(), ...this.props.pod(stable) });
    return { service: new DerivedService(this, 'Service', { name, selector: { [LABELS.name]: name }, ports: this.servedPorts(stable) }) };
  }

  /**
   * Stable and canary tracks, each with the track in its (immutable) selector, so the
   * stable Service never picks up canary pods. The stable track keeps its label whether a
   * canary runs or not: adding or removing a canary never touches the stable selector.
   */
  private canary(stable: VersionRelease, canary: CanaryRelease | undefined): Backends {
    const { name } = this.props;
    const stableApp = new AppDeployment(this, 'App', { name, version: stable.version, selectorLabels: { [LABELS.track]: 'stable' }, ...this.sizing(), ...this.props.pod(stable) });
    const service = new DerivedService(this, 'Service', { name, selector: stableApp.podSelector, ports: this.servedPorts(stable) });
    if (!canary) return { service };
    const canaryApp = new AppDeployment(this, 'Canary', {
      name: `${name}-canary`,
      appName: name,
      version: canary.version,
      replicas: canary.replicas ?? DEFAULT_CANARY_REPLICAS,
      selectorLabels: { [LABELS.track]: 'canary' },
      serviceAccountName: name,
      ...this.props.pod(canary),
    });
    const canaryService = new DerivedService(this, 'CanaryService', { name: `${name}-canary`, selector: canaryApp.podSelector, ports: this.servedPorts(canary) });
    const { weight, weightTotal, header, headerValue, headerPattern, cookie } = canary;
    return { service, canary: { service: canaryService, routing: { weight, weightTotal, header, headerValue, headerPattern, cookie } } };
  }

  /**
   * In a blue-green environment `stable` is the release users get: it runs as the active
   * colour. Without blueGreen release data the service runs rolling, and the validation
   * says what to add (so every other problem of the run is still reported).
   */
  private blueGreen(release: AppRelease): Backends {
    const { name, ports } = this.props;
    const bg = release.blueGreen;
    if (!bg) return this.rolling(release.stable);
    const colour = (c: 'blue' | 'green') => {
      const runs = c === bg.active ? release.stable : bg[c];
      return { version: runs.version, ...this.props.pod(runs) };
    };
    const pair = new ReleasedPair(this, 'BlueGreen', { name, active: bg.active, blue: colour('blue'), green: colour('green'), ports, ...this.sizing(), idleReplicas: bg.warm ? undefined : bg.idleReplicas }, this.givenName);
    return { service: pair.activeService, policySelector: pair.appSelector };
  }

  /** The names of the container ports the pods of `version` declare, which the Services' ports target; the project's pod() is asked once per version. */
  private declaredPorts(version: VersionRelease): string[] {
    let names = this.declaredPortNames.get(version);
    if (names === undefined) {
      names = (this.props.pod(version).container.ports ?? []).map((port) => port.name);
      this.declaredPortNames.set(version, names);
    }
    return names;
  }

  /** The Service ports that reach a container port of `version`'s pods: one they do not declare is the service's problem, said once by undeclaredPorts. */
  private servedPorts(version: VersionRelease): ServicePortProps[] {
    return this.props.ports.filter((port) => this.declaredPorts(version).includes(port.name));
  }

  /**
   * The ports whose container port of that name the pods of a version running here do not
   * declare, each said once for every Service, Ingress and policy made from it (a
   * blue-green pair says it of its colours itself).
   */
  private undeclaredPorts(): string[] {
    const { release, strategy } = this.props;
    const running = [{ role: 'stable', version: release.stable }, ...(strategy === 'canary' && release.canary ? [{ role: 'canary', version: release.canary }] : [])];
    return this.props.ports.flatMap((port) => {
      const lacking = running.filter((r) => !this.declaredPorts(r.version).includes(port.name));
      if (lacking.length === 0) return [];
      const theyDeclare = theyDeclarePorts(lacking.flatMap((r) => this.declaredPorts(r.version)));
      const pods = lacking.map((r) => `${r.role} (${r.version.version})`).join(' and ');
      return [`port "${port.name}" targets the container port of that name, which the ${pods} pods do not declare (${theyDeclare}): use one of theirs, or name the container port "${port.name}"`];
    });
  }

  /** Where the release's `entry` was written, for problems of its values: the release file's field, where one is named. */
  private releaseEntry(entry: keyof AppRelease): string | undefined {
    return this.props.releaseSource === undefined ? undefined : `${this.props.releaseSource}: apps.${this.givenName}.${entry}`;
  }

  private route(routing: ServiceRouting, backends: Backends): void {
    const { name } = this.props;
    const traffic = routing.traffic;
    if (traffic.kind === 'gateway-api') {
      new AppHttpRoute(this, 'Route', {
        name,
        gateway: { name: traffic.gatewayName, namespace: traffic.gatewayNamespace, sectionName: traffic.sectionName, proxyNamespace: traffic.proxyNamespace, headerPatternDialect: traffic.headerPatternDialect },
        host: routing.host,
        paths: routing.paths,
        service: backends.service,
        canary: backends.canary && { service: backends.canary.service, ...backends.canary.routing, settingsSource: this.releaseEntry('canary') },
        policySelector: backends.policySelector,
      });
      return;
    }
    const primary = new AppIngress(this, 'Ingress', {
      name,
      className: traffic.className,
      host: routing.host,
      paths: routing.paths,
      service: backends.service,
      policySelector: backends.policySelector,
    });
    if (backends.canary) new CanaryIngress(this, 'CanaryIngress', { primary, service: backends.canary.service, ...backends.canary.routing, settingsSource: this.releaseEntry('canary') });
  }
}

/**
 * Release data the strategy would not use is an error, not a silent no-op: a canary
 * weight set for a rolling service would otherwise change nothing.
 */
export function checkReleaseFitsStrategy(name: string, strategy: ReleaseStrategy, release: AppRelease, source: string): string[] {
  const problems: string[] = [];
  if (release.canary && strategy !== 'canary') {
    problems.push(`${source} has apps.${name}.canary, but ${name} is released by ${strategy}: remove the canary entry, or release it by 'canary'`);
  }
  if (release.blueGreen && strategy !== 'blue-green') {
    problems.push(`${source} has apps.${name}.blueGreen, but ${name} is released by ${strategy}: remove the blueGreen entry, or release it by 'blue-green'`);
  }
  const bg = release.blueGreen;
  if (!bg && strategy === 'blue-green') {
    problems.push(`${name} is released blue-green but ${source} has no apps.${name}.blueGreen: add blueGreen { active, blue, green } with the version and image of each colour`);
  }
  if (bg && strategy === 'blue-green') {
    const active = bg[bg.active];
    if (active.version !== release.stable.version || active.image !== release.stable.image) {
      problems.push(
        `${source}: apps.${name}.stable (${release.stable.version} ${release.stable.image}) is not the active colour's release blueGreen.${bg.active} (${active.version} ${active.image}): in a blue-green environment stable is what users get, so set stable to the active colour's version and image (k8s-iac promote keeps them in step)`,
      );
    }
  }
  return problems;
}
