/**
 * Access for people (000 §2.2, the notes' new_user.sh): a Role with a preset of
 * permissions in a namespace, bound to a user, group or ServiceAccount. Secrets are left
 * out of every preset unless asked for, because read access to a Secret is read access
 * to whatever it unlocks. That is a boundary for `view` only: whoever may create pods (or
 * exec into them), as `edit` may, can read any Secret of the namespace through a pod that
 * mounts it (Kubernetes' RBAC good practices, "Workload creation").
 *
 * The namespace's budget (quota, LimitRange) and its isolation (NetworkPolicies) stay
 * read-only in every preset: an `edit` that could delete the default-deny policy would
 * undo the namespace's network isolation.
 */
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { checkDnsLabel, checkDnsSubdomain, checkManifestFileName, checkOneOf, checkRbacName, describeValue, errors } from '../core/validation';
import { namespaceContextOf } from '../core/namespace-context';

/** What a developer may do in the namespace: read (`view`), or read and change workloads (`edit`). */
export type AccessPreset = 'view' | 'edit';

/** Every preset, for a check of one given from outside the type system. */
const ACCESS_PRESETS: readonly AccessPreset[] = ['view', 'edit'];

/** Who gets the access: one user, one group, or one ServiceAccount. */
export type Subject =
  | { readonly user: string }
  | { readonly group: string }
  | { readonly serviceAccount: string; readonly namespace: string };

/** Who gets which access to the namespace. */
export interface DeveloperAccessProps {
  /** Role and RoleBinding name: any the API server takes for them (capitals and ':' too), but not '.' or '..', and without '/' or '%'. */
  readonly name: string;
  /** The user, group or ServiceAccount the RoleBinding grants the Role to. */
  readonly subject: Subject;
  /** `view`: read workloads, config and logs; `edit`: also create, change and delete them. */
  readonly preset: AccessPreset;
  /** Include Secrets in the preset. @default false */
  readonly includeSecrets?: boolean;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Resources a developer works with, by API group. Secrets are added only on request. */
const RESOURCES: ReadonlyArray<{ readonly apiGroup: string; readonly resources: readonly string[] }> = [
  { apiGroup: '', resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'pods/log', 'services', 'serviceaccounts'] },
  { apiGroup: 'apps', resources: ['deployments', 'replicasets', 'statefulsets'] },
  { apiGroup: 'autoscaling', resources: ['horizontalpodautoscalers'] },
  { apiGroup: 'batch', resources: ['cronjobs', 'jobs'] },
  { apiGroup: 'networking.k8s.io', resources: ['ingresses'] },
  { apiGroup: 'policy', resources: ['poddisruptionbudgets'] },
  // the routes and autoscalers the patterns make beside the Ingresses and HPAs
  { apiGroup: 'gateway.networking.k8s.io', resources: ['httproutes'] },
  { apiGroup: 'autoscaling.k8s.io', resources: ['verticalpodautoscalers'] },
];

/** Read-only in every preset: the namespace's budget and isolation are the platform team's to set, events the cluster's to write. */
const PLATFORM_OWNED: ReadonlyArray<{ readonly apiGroup: string; readonly resources: readonly string[] }> = [
  { apiGroup: '', resources: ['events', 'limitranges', 'resourcequotas'] },
  { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'] },
];

/** What `kubectl scale` changes: the scale subresource of the workloads `edit` writes. */
const SCALE = { apiGroup: 'apps', resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] };

/** The Role rules of a preset; Secrets only when asked for. */
export function accessRules(preset: AccessPreset, includeSecrets: boolean): k8s.PolicyRule[] {
  const verbs = preset === 'edit' ? [...READ, ...WRITE] : READ;
  const rules: k8s.PolicyRule[] = RESOURCES.map((r) => ({ apiGroups: [r.apiGroup], resources: [...r.resources], verbs }));
  if (preset === 'edit') {
    rules.push({ apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create'] });
    rules.push({ apiGroups: [SCALE.apiGroup], resources: [...SCALE.resources], verbs: [...SCALE.verbs] });
  }
  if (includeSecrets) rules.push({ apiGroups: [''], resources: ['secrets'], verbs });
  rules.push(...PLATFORM_OWNED.map((r) => ({ apiGroups: [r.apiGroup], resources: [...r.resources], verbs: READ })));
  return rules;
}

/** The props that each say who a subject is, one per subject, with the kind of subject each makes. */
const SUBJECT_KINDS = { user: 'User', group: 'Group', serviceAccount: 'ServiceAccount' } as const;

type SubjectKey = keyof typeof SUBJECT_KINDS;
const SUBJECT_KEYS = Object.keys(SUBJECT_KINDS) as SubjectKey[];

/** A subject's fields as given: TypeScript lets a literal of one Subject member carry another's, and JavaScript any. */
type SubjectFields = Partial<Record<SubjectKey | 'namespace', unknown>>;

/** What a subject holds, for the fix. */
const SUBJECT_FORMS = "{ user: 'alice@example.com' }, { group: 'shop-devs' } or { serviceAccount: 'deployer', namespace: 'ci' }";

/**
 * Why `subject` is no Subject (from JavaScript, or an object TypeScript took for one), or
 * undefined: it is an object with exactly one of user, group or serviceAccount.
 */
function checkSubjectShape(subject: unknown): string | undefined {
  if (typeof subject !== 'object' || subject === null) return `subject is ${describeValue(subject)}: give who gets the access, one of ${SUBJECT_FORMS}`;
  const given = SUBJECT_KEYS.filter((key) => (subject as SubjectFields)[key] !== undefined);
  if (given.length === 1) return undefined;
  const shape = given.length === 0 ? 'gives none of user, group or serviceAccount' : `gives ${given.join(' and ')}, and a subject is one of them`;
  return `subject ${shape}: give one of ${SUBJECT_FORMS} (a DeveloperAccess each, for several)`;
}

/** The one of user, group or serviceAccount that a subject of the right shape (checkSubjectShape) gives. */
function subjectKey(fields: SubjectFields): SubjectKey {
  return SUBJECT_KEYS.find((key) => fields[key] !== undefined) ?? 'user';
}

/** The problems of a subject of the right shape: its name (and a ServiceAccount's namespace). */
function checkSubjectName(subject: Subject): string[] {
  const fields: SubjectFields = subject;
  const key = subjectKey(fields);
  const who = fields[key];
  if (typeof who !== 'string') return [`access subject ${key} is ${describeValue(who)}, not text: name the user, group or ServiceAccount`];
  if (who.trim() === '') return ['access subject has an empty name: name the user, group or ServiceAccount'];
  // the API server refuses a ServiceAccount subject no object could be named; one in a namespace no namespace could be named it takes, and it binds nothing
  if (key === 'serviceAccount') return errors(checkDnsSubdomain(who, 'access subject ServiceAccount name'), checkDnsLabel(fields.namespace as string, 'access subject ServiceAccount namespace'));
  return [];
}

function renderSubject(subject: Subject): k8s.Subject {
  const fields: SubjectFields = subject;
  const key = subjectKey(fields);
  const name = fields[key] as string;
  if (key === 'serviceAccount') return { kind: SUBJECT_KINDS[key], name, namespace: fields.namespace as string };
  return { kind: SUBJECT_KINDS[key], name, apiGroup: 'rbac.authorization.k8s.io' };
}

/** A Role in the namespace and a RoleBinding of it to a user, group or ServiceAccount. */
export class DeveloperAccess extends Construct {
  constructor(scope: Construct, id: string, props: DeveloperAccessProps) {
    super(scope, id);
    const annotations = namespaceContextOf(this).ownerAnnotations();
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: props.name, annotations },
      rules: accessRules(props.preset, props.includeSecrets ?? false),
    });
    new k8s.KubeRoleBinding(this, 'Binding', {
      metadata: { name: props.name, annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      // a subject of no known shape is reported at synth with the others' problems, not thrown mid-build
      subjects: checkSubjectShape(props.subject) === undefined ? [renderSubject(props.subject)] : [],
    });
    this.node.addValidation({
      validate: () => {
        const shape = checkSubjectShape(props.subject);
        return [...errors(checkName(props.name), checkOneOf(props.preset, ACCESS_PRESETS, 'preset'), shape), ...(shape === undefined ? checkSubjectName(props.subject) : [])];
      },
    });
  }
}

/**
 * The Role and RoleBinding name: what the API server takes (ValidateRBACName), and what
 * synth can write as a file (`rolebinding-<name>.yaml`, the longer of the two).
 */
function checkName(name: string): string | undefined {
  return checkRbacName(name, 'Role name') ?? checkManifestFileName('RoleBinding', name, 'Role name');
}
