/**
 * A ClusterIP Service in front of a workload's pods, targeting the container port by
 * name so the port number can change in one place. The selector is checked at synth
 * against the namespace's workloads: a Service that selects no pods is an error.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkDns1035Label, checkLabels, checkOneOf, checkPort, checkPortName, checkUnique, errors, PORT_PROTOCOLS } from '../core/validation';
import type { Labels } from '../core/labels';
import { namespaceContextOf } from '../core/namespace-context';

/** One port of a Service; it targets the container port of the same name. */
export interface ServicePortProps {
  /** Port name; also the container port name traffic goes to. */
  readonly name: string;
  /** Port number the Service listens on, 1-65535. */
  readonly port: number;
  /** Transport protocol of the port. @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** A Service over the pods a selector picks. */
export interface AppServiceProps {
  /** Service name; a DNS-1123 label (it becomes a DNS name). */
  readonly name: string;
  /** Labels the pods must carry. */
  readonly selector: Labels;
  /** Ports of the Service, each with a name unique in it. */
  readonly ports: readonly ServicePortProps[];
  /** Headless (`clusterIP: None`): DNS returns the pods, as a StatefulSet needs. @default false */
  readonly headless?: boolean;
  /** Publish pods before they are ready (peer discovery of stateful apps). @default false */
  readonly publishNotReadyAddresses?: boolean;
  /** Extra labels on the Service. @default {} */
  readonly labels?: Labels;
}

/** A ClusterIP (or headless) Service whose ports target named container ports. */
export class AppService extends Construct {
  readonly name: string;
  readonly ports: readonly ServicePortProps[];
  /** Whether the Service is headless (`clusterIP: None`). */
  readonly headless: boolean;
  readonly namespaceName: string;
  readonly service: k8s.KubeService;
  private readonly selectorLabels: Labels;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const app = namespaceContextOf(this);
    this.name = props.name;
    this.ports = props.ports;
    this.headless = props.headless ?? false;
    this.namespaceName = app.namespaceName;
    this.selectorLabels = props.selector;
    this.service = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels ? { ...props.labels } : undefined, annotations: app.ownerAnnotations() },
      spec: {
        type: 'ClusterIP',
        clusterIp: props.headless ? 'None' : undefined,
        publishNotReadyAddresses: props.publishNotReadyAddresses,
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol ?? 'TCP' })),
      },
    });
    this.node.addValidation({ validate: () => this.serviceProblems(props) });
  }

  /**
   * The problems of `props`. A construct that makes a Service wholly from values it checks
   * itself (a name after its own, its pods' labels, its container ports) overrides this.
   */
  protected serviceProblems(props: AppServiceProps): string[] {
    return [
      ...errors(checkDns1035Label(props.name, 'Service name')),
      ...checkServicePorts(props.name, props.ports, props.headless ?? false),
      ...checkLabels(props.selector, 'Service selector'),
      // an empty selector is a Service whose endpoints someone else writes: not a Service over pods
      ...(Object.keys(props.selector ?? {}).length === 0 ? [`Service "${props.name}" has an empty selector, so it selects no pods and Kubernetes keeps no endpoints for it: give the labels of the pods it serves (a workload's podSelector)`] : []),
      ...checkLabels(props.labels ?? {}, 'Service labels'),
    ];
  }

  /**
   * Why an Ingress or HTTPRoute cannot route to this Service's first port, if it cannot: a
   * headless Service may have no port, while one without a port that is not headless is a
   * problem its own validation (or its maker's) reports, said once.
   */
  routingProblem(): string | undefined {
    if (this.ports.length > 0 || !this.headless) return undefined;
    return `Service "${this.name}" is headless with no port, so there is nothing to route to: give it a port`;
  }

  /** The labels the Service selects pods by. */
  get selector(): Labels {
    return this.selectorLabels;
  }

  /** The Service's in-cluster DNS name. */
  get dnsName(): string {
    return `${this.name}.${this.namespaceName}.svc.${namespaceContextOf(this).settings.clusterDomain}`;
  }
}

/** The problems of a Service's ports: each port's number, name and protocol, and that there is one (unless headless) and none twice. */
export function checkServicePorts(serviceName: string, ports: readonly ServicePortProps[], headless: boolean): string[] {
  return [
    ...errors(
      ...ports.flatMap((p) => [
        checkPort(p.port, `Service port ${p.name}`),
        checkPortName(p.name, 'Service port name'),
        p.protocol === undefined ? undefined : checkOneOf(p.protocol, PORT_PROTOCOLS, `Service port ${p.name} protocol`),
      ]),
    ),
    // a headless Service may have none: it serves DNS records of the pods (the API server's ValidateService, v1.28)
    ...(ports.length === 0 && !headless ? [`Service "${serviceName}" has no ports: a Service needs at least one (name it after the container port it targets)`] : []),
    ...checkUnique(ports.map((p) => p.name), `Service "${serviceName}" port name`),
    ...checkUnique(ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`), `Service "${serviceName}" port`, 'give each port its own number'),
  ];
}
