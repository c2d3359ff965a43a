/**
 * A VerticalPodAutoscaler (`autoscaling.k8s.io/v1`, a CRD from the autoscaler project,
 * 000:L870-904): it sets the requests (and, by default, limits) of a workload's container
 * from observed use. Modes (000:L879-884):
 * - `Off`: recommendations only, nothing changes (read them with `kubectl describe vpa`);
 * - `Initial`: applied when a pod is created, never afterwards;
 * - `Recreate`: applied at creation, and by evicting running pods when they drift;
 * - `Auto`: today the same as Recreate (in-place updates once the cluster supports them).
 * Rules the construct enforces:
 * - Not beside an HPA scaling the same workload on the same resource (000:L900): the HPA
 *   adds pods because utilisation of the request is high, the VPA raises the request so
 *   utilisation drops, and the two undo each other.
 * - One VPA per workload.
 * - A mode that changes pods needs `maxAllowed` for every resource it controls: the
 *   namespace quota is checked against that ceiling (the workload's footprint uses it),
 *   so an evicted pod always fits back in.
 * The VPA updater does not evict pods of workloads with fewer than 2 replicas unless the
 * cluster's `--min-replicas` says so: for a single instance, `Initial` is the mode that acts.
 * Create it through a workload's `verticalAutoscaling` prop (AppDeployment, StatefulApp),
 * which fills in the target and lets the quota check see the ceiling.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as vpa from '../../../imports/autoscaling.k8s.io';
import { parseQuantity } from '../core/quantity';
import { checkComputeQuantity, checkOneOf, errors } from '../core/validation';
import { namespaceContextOf } from '../core/namespace-context';
import type { ComputeAmount, ComputeResources } from '../core/resources';

/** When the VPA applies its recommendations: never, at pod creation, or by evicting pods. */
export type VerticalAutoscalingMode = 'Off' | 'Initial' | 'Recreate' | 'Auto';
/** The resources a VPA can resize. */
export type VerticalResource = 'cpu' | 'memory';

/** What a workload's `verticalAutoscaling` prop takes. */
export interface VerticalAutoscalingProps {
  /** When recommendations are applied. @default 'Off' (recommendations only: test before letting it evict, 000:L900) */
  readonly mode?: VerticalAutoscalingMode;
  /** Resources the VPA recommends and sets. @default ['cpu', 'memory'] */
  readonly controlledResources?: readonly VerticalResource[];
  /** Whether limits follow the requests (keeping their ratio) or stay as declared. @default 'RequestsAndLimits' */
  readonly controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
  /** Lowest request the VPA may set, per resource. @default - no lower bound */
  readonly minAllowed?: Partial<ComputeAmount>;
  /** Highest request the VPA may set, per resource; required for every controlled resource unless mode is 'Off'. @default - no upper bound (mode 'Off' only) */
  readonly maxAllowed?: Partial<ComputeAmount>;
}

/** The workload a VPA acts on. */
export interface VerticalAutoscalerTarget {
  /** Kind of the workload. */
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** Name of the workload, in the VPA's namespace. */
  readonly name: string;
  /** The container the resource policy applies to. */
  readonly containerName: string;
  /** The container's declared requests and limits, where the VPA starts from. */
  readonly resources: ComputeResources;
}

/** A VPA for one container of one workload. */
export interface VerticalAutoscalerProps extends VerticalAutoscalingProps {
  /** VPA name. @default - the target's name */
  readonly name?: string;
  /** The workload and container the VPA resizes. */
  readonly target: VerticalAutoscalerTarget;
}

const RESOURCES: readonly VerticalResource[] = ['cpu', 'memory'];
const UPDATE_MODE: Record<VerticalAutoscalingMode, vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode> = {
  Off: vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.OFF,
  Initial: vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.INITIAL,
  Recreate: vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.RECREATE,
  Auto: vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.AUTO,
};
const CONTROLLED_VALUES = {
  RequestsAndLimits: vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues.REQUESTS_AND_LIMITS,
  RequestsOnly: vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues.REQUESTS_ONLY,
} as const;

/** A VerticalPodAutoscaler with bounds, checked against the HPA and the namespace's limits. */
export class VerticalAutoscaler extends Construct {
  readonly name: string;
  readonly target: VerticalAutoscalerTarget;
  readonly mode: VerticalAutoscalingMode;
  readonly controlledResources: readonly VerticalResource[];
  readonly apiObject: vpa.VerticalPodAutoscaler;
  private readonly props: VerticalAutoscalerProps;

  constructor(scope: Construct, id: string, props: VerticalAutoscalerProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name ?? props.target.name;
    this.target = props.target;
    this.mode = props.mode ?? 'Off';
    this.controlledResources = props.controlledResources ?? RESOURCES;
    this.apiObject = new vpa.VerticalPodAutoscaler(this, 'Resource', {
      metadata: { name: this.name, annotations: namespaceContextOf(this).ownerAnnotations() },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: props.target.kind, name: props.target.name },
        updatePolicy: { updateMode: UPDATE_MODE[this.mode] },
        resourcePolicy: {
          containerPolicies: [
            {
              containerName: props.target.containerName,
              controlledResources: [...this.controlledResources],
              controlledValues: CONTROLLED_VALUES[props.controlledValues ?? 'RequestsAndLimits'],
              minAllowed: bounds(props.minAllowed, vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed.fromString),
              maxAllowed: bounds(props.maxAllowed, vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed.fromString),
            },
          ],
        },
      },
    });
    this.node.addValidation({ validate: () => this.validateAutoscaler() });
  }

  private validateAutoscaler(): string[] {
    const p = this.props;
    const problems = errors(
      p.controlledValues === undefined ? undefined : checkOneOf(p.controlledValues, Object.keys(CONTROLLED_VALUES), 'verticalAutoscaling.controlledValues'),
      p.mode === undefined ? undefined : checkOneOf(p.mode, Object.keys(UPDATE_MODE), 'verticalAutoscaling.mode'),
      ...this.controlledResources.map((r) => checkOneOf(r, RESOURCES, 'verticalAutoscaling.controlledResources entry')),
      ...RESOURCES.flatMap((r) => [
        p.minAllowed?.[r] === undefined ? undefined : checkComputeQuantity(p.minAllowed[r] as string, r, `verticalAutoscaling.minAllowed.${r}`),
        p.maxAllowed?.[r] === undefined ? undefined : checkComputeQuantity(p.maxAllowed[r] as string, r, `verticalAutoscaling.maxAllowed.${r}`),
      ]),
    );
    if (this.controlledResources.length === 0) problems.push('verticalAutoscaling.controlledResources is empty: list cpu and/or memory, or leave it unset for both');
    if (new Set(this.controlledResources).size !== this.controlledResources.length) {
      problems.push(`verticalAutoscaling.controlledResources ${JSON.stringify(this.controlledResources)} lists a resource twice: list each once`);
    }
    for (const r of RESOURCES) {
      const min = p.minAllowed?.[r] === undefined ? undefined : parseQuantity(p.minAllowed[r] as string);
      const max = p.maxAllowed?.[r] === undefined ? undefined : parseQuantity(p.maxAllowed[r] as string);
      if (min !== undefined && max !== undefined && min > max) {
        problems.push(`verticalAutoscaling.minAllowed.${r} ${p.minAllowed?.[r]} is above maxAllowed.${r} ${p.maxAllowed?.[r]}: lower the minimum or raise the maximum`);
      }
    }
    if (this.changesPods()) {
      for (const r of this.controlledResources) {
        if (p.maxAllowed?.[r] === undefined) {
          problems.push(`verticalAutoscaling mode '${this.mode}' controls ${r} without maxAllowed.${r}: the VPA could raise the request past the namespace quota and evicted pods would not come back; set maxAllowed.${r} (the quota is checked against it), or use mode 'Off'`);
        }
      }
    }
    problems.push(...this.conflictingHorizontalAutoscalers(), ...this.otherVerticalAutoscalers());
    return problems;
  }

  /**
   * Whether the mode changes pods: one of the modes, and not 'Off'. A mode that is none of
   * them (JavaScript) is checkOneOf's one problem, not judged again as a mode that acts.
   */
  private changesPods(): boolean {
    return Object.hasOwn(UPDATE_MODE, this.mode) && this.mode !== 'Off';
  }

  /** HPAs of the same workload that scale on a resource this VPA changes: the two undo each other (000:L900). */
  private conflictingHorizontalAutoscalers(): string[] {
    if (!this.changesPods()) return [];
    return namespaceContextOf(this)
      .node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'HorizontalPodAutoscaler')
      .flatMap((hpa) => {
        const spec = (hpa.toJson() as { spec?: HpaSpec }).spec;
        if (spec?.scaleTargetRef?.kind !== this.target.kind || spec.scaleTargetRef.name !== this.target.name) return [];
        const shared = (spec.metrics ?? []).map((m) => m.resource?.name ?? m.containerResource?.name).filter((r): r is VerticalResource => this.controlledResources.includes(r as VerticalResource));
        return shared.map(
          (r) =>
            `the VerticalPodAutoscaler "${this.name}" (mode '${this.mode}') and the HorizontalPodAutoscaler "${hpa.name}" both act on the ${r} of ${this.target.kind} ${this.target.name}: the HPA adds pods when ${r} use is high against the request, the VPA raises the request, and they undo each other; drop ${r} from one of them (verticalAutoscaling.controlledResources or the HPA's ${r} target), or set verticalAutoscaling.mode 'Off'`,
        );
      });
  }

  /** Reported by every VPA of a target but the first, so a duplicate is one error. */
  private otherVerticalAutoscalers(): string[] {
    const sameTarget = namespaceContextOf(this)
      .node.findAll()
      .filter((c): c is VerticalAutoscaler => c instanceof VerticalAutoscaler && c.target.kind === this.target.kind && c.target.name === this.target.name);
    if (sameTarget[0] === this) return [];
    return [`${this.target.kind} ${this.target.name} already has the VerticalPodAutoscaler ${sameTarget[0].node.path}: two VPAs would fight over its requests; give each workload one`];
  }
}

/** The fields of an HPA spec the conflict check reads. */
interface HpaSpec {
  readonly scaleTargetRef?: { readonly kind?: string; readonly name?: string };
  readonly metrics?: ReadonlyArray<{ readonly resource?: { readonly name?: string }; readonly containerResource?: { readonly name?: string } }>;
}

function bounds<T>(amount: Partial<ComputeAmount> | undefined, quantity: (value: string) => T): Record<string, T> | undefined {
  if (!amount) return undefined;
  const entries = RESOURCES.filter((r) => amount[r] !== undefined).map((r) => [r, quantity(amount[r] as string)] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}
