/**
 * What every workload construct (AppDeployment, StatefulApp) shares: the identity of its
 * pods (an immutable selector, and labels for version, app and environment outside it),
 * a ServiceAccount without a mounted API token, the pod template with the hygiene of
 * pod-template.ts, an optional VerticalPodAutoscaler, and the checks of those props.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { LABELS, Labels } from '../core/labels';
import { MAX_LABEL_VALUE_LENGTH, checkDnsLabel, checkDnsSubdomain, checkLabelValue, errors } from '../core/validation';
import { NamespaceContext, namespaceContextOf } from '../core/namespace-context';
import type { PodSelectable } from './network-policy';
import { PodTemplateProps, checkPodTemplate, renderPodTemplate } from './pod-template';
import { VerticalAutoscaler, VerticalAutoscalingProps } from './vertical-autoscaler';

/** The props every workload construct takes. */
export interface WorkloadProps extends PodTemplateProps {
  /** Object name of the workload. */
  readonly name: string;
  /** Value of `app.kubernetes.io/name` on the pods. @default - name */
  readonly appName?: string;
  /** Value of `app.kubernetes.io/version` on the pods (not in the selector). */
  readonly version: string;
  /** ServiceAccount the pods run as. @default - one named after the workload, created here */
  readonly serviceAccountName?: string;
  /** A VerticalPodAutoscaler for the container. @default - none */
  readonly verticalAutoscaling?: VerticalAutoscalingProps;
}


/** `name` made a DNS-1123 label, for a suggestion: lower case, runs of other characters as '-', at most 63. */
function labelLike(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 63)
      .replace(/^-+|-+$/g, '') || 'app'
  );
}

/** Labels on a workload's pods: the selector, plus version, app and environment (not in the immutable selector). */
export function workloadPodLabels(app: NamespaceContext, appName: string, selector: Labels, version: string, extra: Labels = {}): Labels {
  return { ...extra, ...selector, [LABELS.version]: version, [LABELS.partOf]: app.labels[LABELS.partOf] ?? appName, [LABELS.environment]: app.settings.name };
}

/** The ServiceAccount a workload's pods run as, without a mounted API token (pods that call the API opt in). */
export function createServiceAccount(scope: Construct, name: string): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata: { name }, automountServiceAccountToken: false });
}

/** The base of the workload constructs: pod identity, ServiceAccount, pod template and VPA. */
export abstract class Workload extends Construct implements PodSelectable {
  /** Object name of the workload. */
  readonly name: string;
  /** Namespace the pods run in. */
  readonly namespaceName: string;
  /** The immutable selector: the app name and any selector labels. */
  readonly podSelector: Labels;
  /** Every label on the pods. */
  readonly podLabels: Labels;
  /** The VerticalPodAutoscaler, when `verticalAutoscaling` is set. */
  readonly verticalAutoscaler?: VerticalAutoscaler;
  /** The NamespacedApp the workload lives in. */
  protected readonly app: NamespaceContext;
  /** Value of the pods' `app.kubernetes.io/name`. */
  protected readonly appName: string;
  private readonly serviceAccountName: string;

  protected constructor(scope: Construct, id: string, props: WorkloadProps, selectorLabels: Labels = {}) {
    super(scope, id);
    this.app = namespaceContextOf(this);
    this.name = props.name;
    this.namespaceName = this.app.namespaceName;
    this.appName = props.appName ?? props.name;
    this.podSelector = { [LABELS.name]: this.appName, ...selectorLabels };
    this.podLabels = workloadPodLabels(this.app, this.appName, this.podSelector, props.version, props.podLabels);
    this.serviceAccountName = props.serviceAccountName ?? props.name;
    if (!props.serviceAccountName) createServiceAccount(this, this.serviceAccountName);
  }

  /** Metadata of the workload object: its name, the pod labels with its instance, and the owner's annotations. */
  protected objectMetadata(): k8s.ObjectMeta {
    return { name: this.name, labels: { ...this.podLabels, [LABELS.instance]: this.name }, annotations: this.app.ownerAnnotations() };
  }

  /** The pod template, with the settings of the environment. */
  protected podTemplate(props: PodTemplateProps, restartPolicy?: 'Always' | 'OnFailure' | 'Never'): k8s.PodTemplateSpec {
    return renderPodTemplate(
      {
        name: this.appName,
        podLabels: this.podLabels,
        selectorLabels: this.podSelector,
        serviceAccountName: this.serviceAccountName,
        annotations: this.app.ownerAnnotations(),
        settings: this.app.settings,
        restartPolicy,
      },
      props,
    );
  }

  /** Adds the VerticalPodAutoscaler `props.verticalAutoscaling` asks for, targeting this workload of `kind`. */
  protected addVerticalAutoscaler(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', props: WorkloadProps): VerticalAutoscaler | undefined {
    if (!props.verticalAutoscaling) return undefined;
    return new VerticalAutoscaler(this, 'VerticalAutoscaler', {
      ...props.verticalAutoscaling,
      target: { kind, name: props.name, containerName: this.appName, resources: props.container.resources },
    });
  }

  /**
   * The problem of the workload's name by the rule of the object it names (a Deployment's
   * name is a DNS subdomain); a subclass whose object or derived objects ask more overrides it.
   */
  protected nameProblem(): string | undefined {
    return this.subdomainNameProblem('name');
  }

  /**
   * The name as a DNS subdomain (`what`: how messages call it) that is also the object's
   * `app.kubernetes.io/instance` label, whose value holds at most 63 characters: a subdomain
   * may have 253, which the API server then refuses in the label.
   */
  protected subdomainNameProblem(what: string): string | undefined {
    const problem = checkDnsSubdomain(this.name, what);
    if (problem !== undefined || this.name.length <= MAX_LABEL_VALUE_LENGTH) return problem;
    return `${what} "${this.name}" has ${this.name.length} characters, and it is also the ${LABELS.instance} label, whose value holds at most ${MAX_LABEL_VALUE_LENGTH}: use at most ${MAX_LABEL_VALUE_LENGTH}`;
  }

  /**
   * The container's name is appName, which is the workload's name unless set: a name may be
   * a DNS subdomain (`web.v1`) where a container's name must be a label.
   */
  private appNameProblem(props: WorkloadProps): string | undefined {
    const problem = checkDnsLabel(this.appName, 'container name (appName)');
    if (problem === undefined || props.appName !== undefined) return problem;
    // a name that breaks its own rule has its own message, which this one would only repeat
    if (this.nameProblem() !== undefined) return undefined;
    return `container name (appName) "${this.appName}", taken from the name, is not a valid DNS-1123 label: set appName to at most 63 lower-case letters, digits and '-' (e.g. "${labelLike(this.appName)}")`;
  }

  /**
   * Mounts of a per-pod claim (`claim: true`): only a StatefulSet's volumeClaimTemplates
   * give a pod such a volume, so in any other workload the container would mount a volume
   * the pod does not have, which the API server refuses (ValidateVolumeMounts:
   * volumeMounts[i].name Not found). StatefulApp, which renders the templates, overrides this.
   */
  protected claimMountProblems(props: WorkloadProps): string[] {
    return (props.container.mounts ?? [])
      .filter((m) => m.claim)
      .map(
        (m) =>
          `mount ${m.name} at ${m.mountPath} is a claim (claim: true), but only a StatefulApp's volumeClaims provide one, so the pod would have no volume ${m.name} and the API server refuses it (volumeMounts[].name: Not found): mount a PersistentVolumeClaim of the namespace instead (an AppVolumeClaim, as persistentVolumeClaim: '<its name>'), or make the app a StatefulApp with a volumeClaims entry named ${m.name}`,
      );
  }

  /** podLabels the workload sets itself (its selector, version, part-of and environment): written, they would be dropped without a word. */
  private overriddenPodLabels(props: WorkloadProps): string[] {
    return Object.entries(props.podLabels ?? {})
      .filter(([key, value]) => key in this.podLabels && this.podLabels[key] !== value)
      .map(([key, value]) => `podLabels ${key} "${value}" is a label the workload sets itself (to "${this.podLabels[key]}", from its name, selector, version or environment): drop it, or set what it comes from (appName for ${LABELS.name})`);
  }

  /** Problems of the props every workload shares: the container name (the app name), the version label and the pod template. */
  protected workloadProblems(props: WorkloadProps): string[] {
    const hostPaths = (props.container.mounts ?? []).filter((m) => m.hostPath !== undefined).map((m) => m.name);
    const hostAccess =
      hostPaths.length > 0 && this.app.podSecurityLevel !== 'privileged'
        ? [
            `volume ${hostPaths.join(', ')} mounts a folder of the node, which Pod Security ${this.app.podSecurityLevel} forbids: give the namespace a podSecurityOptOut { level: 'privileged', reason } that says why (a node agent reading the node's logs), or mount something else`,
          ]
        : [];
    // "Running as Non-root" is a control of the Restricted profile only (Pod Security Standards): baseline admits root
    const rootAccess =
      props.securityOptOut?.runAsRoot && this.app.podSecurityLevel === 'restricted'
        ? [`securityOptOut.runAsRoot runs the container as root, which Pod Security restricted forbids (Running as Non-root): give the namespace a podSecurityOptOut { level: 'baseline', reason }, or run as a non-root user`]
        : [];
    return [
      ...errors(
        this.appNameProblem(props),
        checkLabelValue(props.version, 'version'),
        props.serviceAccountName === undefined ? undefined : checkDnsSubdomain(props.serviceAccountName, 'serviceAccountName'),
      ),
      ...checkPodTemplate(props),
      ...this.overriddenPodLabels(props),
      ...this.claimMountProblems(props),
      ...hostAccess,
      ...rootAccess,
    ];
  }
}
