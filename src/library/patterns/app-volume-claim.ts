/**
 * A PersistentVolumeClaim of its own, for a workload that is not a StatefulSet (a job's
 * output, a single writer's data): on the environment's StorageClass, counted by the quota
 * check like the claims of StatefulSets.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { namespaceContextOf } from '../core/namespace-context';
import { parseQuantity } from '../core/quantity';
import { checkByteQuantity, checkDnsSubdomain, checkOneOf, errors } from '../core/validation';

/** The access modes a PersistentVolumeClaim takes (Kubernetes 1.28). */
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;

/** The one access mode the API server takes only alone (one pod of the whole cluster). */
const READ_WRITE_ONCE_POD = 'ReadWriteOncePod';

/** How a volume claim may be mounted. */
export type AccessMode = (typeof ACCESS_MODES)[number];

/** A claim's name, size and access. */
export interface AppVolumeClaimProps {
  /** Claim name; what a mount's `persistentVolumeClaim` names. */
  readonly name: string;
  /** Storage it requests, e.g. `5Gi`. */
  readonly size: string;
  /** How the claim's volume may be mounted. @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly AccessMode[];
}

/**
 * What the API refuses in a claim's request besides the size's form (each caller checks that
 * once: AppVolumeClaim on its props, StatefulApp on the rendered claims): no size, a size
 * of zero, or no access mode.
 */
export function checkClaimRequest(name: string, size: string, accessModes: readonly string[] | undefined): string[] {
  if (typeof size !== 'string') return [`volume claim ${name} has no size: request the storage each pod needs, e.g. size: '10Gi'`];
  const problems: string[] = [];
  const bytes = parseQuantity(size);
  // a negative size is the quantity's own problem, reported with its form
  if (bytes === 0) problems.push(`volume claim ${name} size ${size} is not above zero: request the storage it needs, e.g. 10Gi`);
  if (accessModes && accessModes.length === 0) problems.push(`volume claim ${name} has no accessModes: use ['ReadWriteOnce'] (or leave it unset)`);
  // the StatefulSet itself takes any mode; its controller's claims would then be refused, and the pods never start
  problems.push(...errors(...(accessModes ?? []).map((mode) => checkOneOf(mode, ACCESS_MODES, `volume claim ${name} access mode`))));
  const others = accessModes?.includes(READ_WRITE_ONCE_POD) ? accessModes.filter((mode) => mode !== READ_WRITE_ONCE_POD) : [];
  if (others.length > 0) {
    problems.push(`volume claim ${name} combines ${READ_WRITE_ONCE_POD} with ${others.join(', ')}, which the API server refuses (it may not be used with other access modes): use ['${READ_WRITE_ONCE_POD}'] alone, or leave it out`);
  }
  return problems;
}

/** A PersistentVolumeClaim on the environment's StorageClass. */
export class AppVolumeClaim extends Construct {
  /** The claim name to mount. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: AppVolumeClaimProps) {
    super(scope, id);
    const app = namespaceContextOf(this);
    this.name = props.name;
    new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: { name: props.name, annotations: app.ownerAnnotations() },
      spec: {
        accessModes: [...(props.accessModes ?? ['ReadWriteOnce'])],
        storageClassName: app.settings.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
      },
    });
    this.node.addValidation({
      validate: () => [
        ...errors(checkDnsSubdomain(props.name, 'PersistentVolumeClaim name'), typeof props.size === 'string' ? checkByteQuantity(props.size, `PersistentVolumeClaim ${props.name} size`) : undefined),
        ...checkClaimRequest(props.name, props.size, props.accessModes),
      ],
    });
  }
}
