import { k8s } from './plus';

/** The Tempo image's user and group (numeric, so kubelet can verify runAsNonRoot). */
export const TEMPO_UID = 10001;

/** Pod-level security context meeting the "restricted" Pod Security Standard. */
export function restrictedPodSecurityContext(uid = TEMPO_UID): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    // Skip the recursive chown of large volumes on every start when ownership is already right.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context meeting the "restricted" Pod Security Standard, with a read-only root filesystem. */
export function restrictedContainerSecurityContext(uid = TEMPO_UID): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
