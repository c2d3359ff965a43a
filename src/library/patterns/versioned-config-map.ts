/**
 * Config as a versioned ConfigMap (000:L233-244): the name carries a hash of the
 * content, so a config change makes a new ConfigMap, the Deployment that references it
 * rolls its pods, and a rollback is one step back to the old name. Each version is
 * immutable: nothing edits a ConfigMap that running pods read.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkConfigKey, checkDataSize, checkDataValues, checkDnsSubdomain, describeValue, errors } from '../core/validation';
import { namespaceContextOf } from '../core/namespace-context';

/** The base name and the data of a ConfigMap named by its content. */
export interface VersionedConfigMapProps {
  /** Base name; the object is `<baseName>-<hash of data>`. */
  readonly baseName: string;
  /** File name to content, e.g. `{ 'config.yml': '...' }`. */
  readonly data: Readonly<Record<string, string>>;
}

/** How many hex digits of the content's hash a VersionedConfigMap's name ends with. */
export const CONTENT_HASH_LENGTH = 10;

/** The first CONTENT_HASH_LENGTH hex digits of the SHA-256 of the data, keys sorted: same content, same name. */
export function contentHash(data: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, CONTENT_HASH_LENGTH);
}

/** A ConfigMap named `<baseName>-<content hash>`: a change of data is a new name, which rolls the pods. */
export class VersionedConfigMap extends Construct {
  /** The hashed name to reference from pods. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: VersionedConfigMapProps) {
    super(scope, id);
    this.name = `${props.baseName}-${contentHash(props.data)}`;
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: this.name, annotations: namespaceContextOf(this).ownerAnnotations() },
      immutable: true,
      data: { ...props.data },
    });
    this.node.addValidation({
      validate: () => {
        // a baseName that is no text (from JavaScript) would still make a valid name: "undefined-<hash>"
        const named = typeof props.baseName === 'string' && props.baseName !== '';
        return [
          ...errors(
            named ? checkDnsSubdomain(this.name, 'ConfigMap name') : `baseName is ${describeValue(props.baseName)}: give the name the ConfigMap's is made from, e.g. 'app-config'`,
            checkDataSize(props.data, `ConfigMap "${this.name}"`),
            ...Object.keys(props.data).map((k) => checkConfigKey(k, 'ConfigMap key')),
          ),
          ...checkDataValues(props.data, `ConfigMap "${this.name}" data key`),
        ];
      },
    });
  }
}
