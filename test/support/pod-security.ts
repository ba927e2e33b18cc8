/**
 * The Pod Security Standards "restricted" profile (Kubernetes 1.28 Pod Security Admission, which
 * includes "baseline"), checked on every pod template of synthesized objects. Rules from
 * kubernetes.io/docs/concepts/security/pod-security-standards and k8s.io/pod-security-admission.
 */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports']);
const SECCOMP_OK = ['RuntimeDefault', 'Localhost'];

/** The pod template of a workload object, if it has one. */
export function podTemplateOf(obj: any): { metadata?: any; spec?: any } | undefined {
  if (obj?.kind === 'Pod') return obj;
  if (obj?.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(obj?.kind)) return obj.spec?.template;
  return undefined;
}

/** Violations of the restricted profile, as `<Kind>/<name>: <field>: <problem>`; empty when the object complies. */
export function podSecurityViolations(obj: any): string[] {
  const template = podTemplateOf(obj);
  if (!template) return [];
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const out: string[] = [];
  const bad = (field: string, problem: string) => out.push(`${where}: ${field}: ${problem}`);
  const spec = template.spec ?? {};
  const psc = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) bad(f, 'host namespaces are forbidden');
  for (const v of spec.volumes ?? []) {
    for (const type of Object.keys(v).filter((k) => k !== 'name')) if (!RESTRICTED_VOLUME_TYPES.has(type)) bad(`volumes[${v.name}]`, `volume type ${type} is not allowed`);
  }
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) bad('securityContext.sysctls', `${s.name} is not a safe sysctl`);
  if (psc.runAsNonRoot === false) bad('securityContext.runAsNonRoot', 'must not be false');
  if (psc.runAsUser === 0) bad('securityContext.runAsUser', 'must not be 0');
  if (psc.seccompProfile && !SECCOMP_OK.includes(psc.seccompProfile.type)) bad('securityContext.seccompProfile', `type ${psc.seccompProfile.type} is not allowed`);
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const at = (field: string) => `containers[${c.name}].securityContext.${field}`;
    if (sc.privileged === true) bad(at('privileged'), 'must not be true');
    if (sc.allowPrivilegeEscalation !== false) bad(at('allowPrivilegeEscalation'), 'must be false');
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) bad(at('runAsNonRoot'), 'must be true (here or on the pod)');
    if (sc.runAsUser === 0) bad(at('runAsUser'), 'must not be 0');
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (!SECCOMP_OK.includes(seccomp)) bad(at('seccompProfile'), 'must be RuntimeDefault or Localhost (here or on the pod)');
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) bad(at('capabilities.drop'), 'must contain ALL');
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE' || !BASELINE_CAPABILITIES.has(cap)) bad(at('capabilities.add'), `${cap} is not allowed`);
    }
    if (sc.procMount && sc.procMount !== 'Default') bad(at('procMount'), 'must be Default');
    for (const p of c.ports ?? []) if (p.hostPort) bad(`containers[${c.name}].ports`, `hostPort ${p.hostPort} is forbidden`);
  }
  return out;
}
