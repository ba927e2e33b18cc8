import { Construct } from 'constructs';
import { k8s } from './plus';

/**
 * A ServiceAccount with a Role of `rules` bound to it, all named `metadata.name` in the chart's namespace.
 * The ServiceAccount does not mount its token by default; the pod that needs it asks for it.
 */
export function serviceAccountWithRole(scope: Construct, metadata: k8s.ObjectMeta & { readonly name: string }, rules: readonly k8s.PolicyRule[]): void {
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
  new k8s.KubeRole(scope, 'Role', { metadata, rules: [...rules] });
  new k8s.KubeRoleBinding(scope, 'RoleBinding', {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: metadata.name }],
  });
}
