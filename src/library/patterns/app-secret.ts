/**
 * A Secret the app reads, from one of two sources: in dev/test a Secret made here from a
 * non-sensitive placeholder; in staging/prod a Secret made outside the repository
 * (000:L110-111) that the manifests only name, so no value is ever committed.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkConfigKey, checkDataSize, checkDataValues, checkDnsSubdomain, errors } from '../core/validation';
import { namespaceContextOf } from '../core/namespace-context';
import type { PlatformSettings } from '../core/platform-settings';
import type { SecretSource } from '../core/secret-source';

/** A Secret an app reads, by name and key, and where its value comes from. */
export interface AppSecretProps {
  /** Name of the Secret to create (placeholder source only). */
  readonly name: string;
  /** Key holding the value. */
  readonly key: string;
  /** Where the value comes from: a Secret that already exists in the cluster, or a placeholder made here (only in an environment whose `placeholderSecrets` setting is true). */
  readonly source: SecretSource;
}

/** Why a placeholder Secret may not be made in an environment, or undefined where its settings take placeholders. */
function checkPlaceholderAllowed(name: string, settings: PlatformSettings): string | undefined {
  if (settings.placeholderSecrets) return undefined;
  return (
    `Secret "${name}" would be made from a placeholder value written in the project, which environment ${settings.name} does not take (its placeholderSecrets setting is false): ` +
    `name a Secret made outside the repository (source: { kind: 'existing', secretName: '${name}' }), or, for a dev or test cluster, set placeholderSecrets: true in the environment's settings`
  );
}

/** A Secret created from a placeholder or referenced by name; `envValue` reads it into an env var. */
export class AppSecret extends Construct {
  /** Name of the Secret pods read. */
  readonly secretName: string;
  readonly key: string;

  constructor(scope: Construct, id: string, props: AppSecretProps) {
    super(scope, id);
    // whatever the source, the Secret is read in a namespace: outside one it is an error in every environment alike
    const context = namespaceContextOf(this);
    this.key = props.key;
    this.secretName = props.source.kind === 'existing' ? props.source.secretName : props.name;
    if (props.source.kind === 'placeholder') {
      new k8s.KubeSecret(this, 'Resource', {
        metadata: { name: props.name, annotations: context.ownerAnnotations() },
        type: 'Opaque',
        stringData: { [props.key]: props.source.value },
      });
    }
    this.node.addValidation({
      validate: () => {
        const placeholder = props.source.kind === 'placeholder' ? { [props.key]: props.source.value } : undefined;
        return [
          ...errors(
            checkDnsSubdomain(this.secretName, 'Secret name'),
            placeholder && checkDataSize(placeholder, `Secret "${props.name}"`),
            checkConfigKey(props.key, 'Secret key'),
            placeholder && checkPlaceholderAllowed(props.name, context.settings),
          ),
          ...(placeholder ? checkDataValues(placeholder, `Secret "${props.name}" placeholder value (source.value) of key`) : []),
        ];
      },
    });
  }

  /** The env var value that reads this Secret's key. */
  get envValue(): { readonly secret: { readonly name: string; readonly key: string } } {
    return { secret: { name: this.secretName, key: this.key } };
  }
}
