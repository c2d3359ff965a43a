/**
 * A PersistentVolumeClaim of its own, for a workload that is not a StatefulSet (a job's
 * output, a single writer's data): on the environment's StorageClass, counted by the quota
 * check like the claims of StatefulSets.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { namespaceContextOf } from '../core/namespace-context';
import { checkDnsSubdomain, checkQuantity, errors } from '../core/validation';
import type { AccessMode } from './stateful-app';

/** A claim's name, size and access. */
export interface AppVolumeClaimProps {
  /** Claim name; what a mount's `persistentVolumeClaim` names. */
  readonly name: string;
  /** Storage it requests, e.g. `5Gi`. */
  readonly size: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly AccessMode[];
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
    this.node.addValidation({ validate: () => errors(checkDnsSubdomain(props.name, 'PersistentVolumeClaim name'), checkQuantity(props.size, `PersistentVolumeClaim ${props.name} size`)) });
  }
}
