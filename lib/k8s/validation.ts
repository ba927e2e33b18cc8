import { k8s } from './plus';
import { labelErrors } from './labels';
import type { PodSchedulingProps } from './scheduling';

/**
 * Rules for values passed to Kubernetes as they are. Each function returns
 * the errors for one option (`option: value is invalid; allowed: ...`) and
 * never throws, so callers can report every problem at once.
 */

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
// Kubernetes before 1.34 accepts only these (C identifier plus '-' and '.'); newer ones are laxer.
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// docker/distribution's reference grammar: [domain[:port]/]path[:tag][@digest].
const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?)';
const IMAGE = new RegExp(`^(?:${IMAGE_DOMAIN}/)?${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** Throws one error listing every problem, if there is any. */
export function throwIfErrors(errors: readonly string[]): void {
  if (errors.length) throw new Error(errors.join('\n  '));
}

/** Errors for a DNS subdomain name (RFC 1123, at most 253 characters), e.g. a Secret, PriorityClass or StorageClass name. */
export function dnsSubdomainErrors(option: string, value: string | undefined, what: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value) || value.length > 253) {
    return [`${option}: "${value}" is not a valid ${what}; allowed: at most 253 characters of lower-case letters, digits, '-' and '.', starting and ending alphanumeric`];
  }
  return [];
}

/** Errors for a Secret name. */
export function secretNameErrors(option: string, name: string | undefined): string[] {
  if (typeof name !== 'string') return [`${option}: "${name}" is not a valid Secret name; allowed: the name of an existing Secret`];
  return dnsSubdomainErrors(option, name, 'Secret name');
}

/** Errors for a key inside a Secret (or ConfigMap): `[-._a-zA-Z0-9]+`, at most 253 characters, not `.` or `..`. */
export function secretKeyErrors(option: string, key: string | undefined): string[] {
  if (key === undefined) return [];
  if (typeof key !== 'string' || !SECRET_KEY.test(key) || key === '.' || key === '..' || key.length > 253) {
    return [`${option}: "${key}" is invalid; allowed: a Secret key of at most 253 characters of letters, digits, '-', '_' and '.' (not "." or "..")`];
  }
  return [];
}

/** Errors for a PriorityClass name. */
export function priorityClassNameErrors(option: string, name: string | undefined): string[] {
  return dnsSubdomainErrors(option, name, 'PriorityClass name');
}

/** Errors for a StorageClass name. */
export function storageClassNameErrors(option: string, name: string | undefined): string[] {
  return dnsSubdomainErrors(option, name, 'StorageClass name');
}

/** Errors for a container image reference (`[registry[:port]/]path[:tag][@sha256:digest]`). */
export function imageErrors(option: string, image: string | undefined): string[] {
  if (image === undefined) return [];
  if (typeof image !== 'string' || !IMAGE.test(image) || image.length > 4096) {
    return [`${option}: "${image}" is not a valid image reference; allowed: [registry[:port]/]repository[:tag][@sha256:digest], repository lower-case`];
  }
  return [];
}

/** Errors for a TCP/UDP port number. */
export function portErrors(option: string, port: number | undefined): string[] {
  if (port === undefined) return [];
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [`${option}: ${port} is invalid; allowed: an integer from 1 to 65535`];
}

/** Errors for a replica count that must be at least `min`; `why` says what fewer would break. */
export function replicaErrors(option: string, replicas: number | undefined, min: number, why?: string): string[] {
  if (replicas === undefined) return [];
  if (Number.isInteger(replicas) && replicas >= min && replicas <= 2 ** 31 - 1) return [];
  return [`${option}: ${replicas} is invalid; allowed: an integer >= ${min}${why ? ` (${why})` : ''}`];
}

/** Errors for names of environment variables the containers get. */
export function envNameErrors(option: string, names: readonly string[]): string[] {
  return names.filter((n) => !ENV_NAME.test(n)).map((n) => `${option}: variable name "${n}" is invalid; allowed: letters, digits, '_', '-' and '.', not starting with a digit`);
}

/** Errors for a label key (a qualified name with an optional DNS-subdomain prefix), e.g. a topology key. */
export function labelKeyErrors(option: string, key: string | undefined): string[] {
  if (typeof key !== 'string' || key === '') return [`${option}: "${key ?? ''}" is invalid; allowed: a label key such as topology.kubernetes.io/zone`];
  return labelErrors(option, { [key]: '' });
}

const TOLERATION_OPERATORS = ['Exists', 'Equal'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Errors for tolerations, by the API server's rules. */
export function tolerationErrors(option: string, tolerations: readonly k8s.Toleration[] | undefined): string[] {
  const errors: string[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = `${option}[${i}]`;
    const operator = t.operator ?? 'Equal';
    if (!TOLERATION_OPERATORS.includes(operator)) errors.push(`${at}.operator: "${operator}" is invalid; allowed: Exists or Equal`);
    if (t.effect !== undefined && !TAINT_EFFECTS.includes(t.effect)) errors.push(`${at}.effect: "${t.effect}" is invalid; allowed: ${TAINT_EFFECTS.join(', ')} (or none for every effect)`);
    if (t.key === undefined || t.key === '') {
      if (operator !== 'Exists') errors.push(`${at}: an empty key needs operator Exists (it then matches every taint)`);
    } else {
      errors.push(...labelKeyErrors(`${at}.key`, t.key));
    }
    if (operator === 'Exists' && t.value) errors.push(`${at}.value: "${t.value}" is set with operator Exists; allowed: no value (or operator Equal)`);
    if (operator === 'Equal' && t.value !== undefined && labelErrors(at, { k: t.value }).length) {
      errors.push(`${at}.value: "${t.value}" is invalid; allowed: a label value (at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric)`);
    }
    if (t.tolerationSeconds !== undefined) {
      if (t.effect !== 'NoExecute') errors.push(`${at}.tolerationSeconds: set with effect ${t.effect ?? '(none)'}; allowed: only with effect NoExecute`);
      if (!Number.isInteger(t.tolerationSeconds)) errors.push(`${at}.tolerationSeconds: ${t.tolerationSeconds} is invalid; allowed: a whole number of seconds`);
    }
  });
  return errors;
}

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function requirementErrors(at: string, r: { key: string; operator: string; values?: string[] }, operators: readonly string[]): string[] {
  const errors = labelKeyErrors(`${at}.key`, r.key);
  const values = r.values ?? [];
  if (!operators.includes(r.operator)) errors.push(`${at}.operator: "${r.operator}" is invalid; allowed: ${operators.join(', ')}`);
  else if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) errors.push(`${at}.values: empty with operator ${r.operator}; allowed: at least one value`);
  else if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length) errors.push(`${at}.values: set with operator ${r.operator}; allowed: no values`);
  else if ((r.operator === 'Gt' || r.operator === 'Lt') && (values.length !== 1 || !/^-?\d+$/.test(values[0]))) errors.push(`${at}.values: operator ${r.operator} needs exactly one integer value`);
  return errors;
}

function labelSelectorErrors(at: string, s: k8s.LabelSelector | undefined): string[] {
  if (!s) return [];
  return [
    ...labelErrors(`${at}.matchLabels`, s.matchLabels),
    ...(s.matchExpressions ?? []).flatMap((r, i) => requirementErrors(`${at}.matchExpressions[${i}]`, r, LABEL_OPERATORS)),
  ];
}

function nodeTermErrors(at: string, term: k8s.NodeSelectorTerm): string[] {
  return [
    ...(term.matchExpressions ?? []).flatMap((r, i) => requirementErrors(`${at}.matchExpressions[${i}]`, r, NODE_OPERATORS)),
    ...(term.matchFields ?? []).flatMap((r, i) => requirementErrors(`${at}.matchFields[${i}]`, r, ['In', 'NotIn'])),
  ];
}

function podTermErrors(at: string, term: k8s.PodAffinityTerm): string[] {
  return [
    ...labelKeyErrors(`${at}.topologyKey`, term.topologyKey),
    ...labelSelectorErrors(`${at}.labelSelector`, term.labelSelector),
    ...labelSelectorErrors(`${at}.namespaceSelector`, term.namespaceSelector),
  ];
}

function weightErrors(at: string, weight: number): string[] {
  return Number.isInteger(weight) && weight >= 1 && weight <= 100 ? [] : [`${at}.weight: ${weight} is invalid; allowed: an integer from 1 to 100`];
}

/** Errors for a raw affinity: selector operators and their values, label keys, topology keys, weights. */
export function affinityErrors(option: string, affinity: k8s.Affinity | undefined): string[] {
  if (!affinity) return [];
  const errors: string[] = [];
  const node = affinity.nodeAffinity;
  const required = node?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    if (!required.nodeSelectorTerms?.length) errors.push(`${option}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: empty; allowed: at least one term`);
    (required.nodeSelectorTerms ?? []).forEach((t, i) => errors.push(...nodeTermErrors(`${option}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`, t)));
  }
  (node?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p, i) => {
    const at = `${option}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errors.push(...weightErrors(at, p.weight), ...nodeTermErrors(`${at}.preference`, p.preference));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = affinity[kind];
    (pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => errors.push(...podTermErrors(`${option}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t)));
    (pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((p, i) => {
      const at = `${option}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      errors.push(...weightErrors(at, p.weight), ...podTermErrors(`${at}.podAffinityTerm`, p.podAffinityTerm));
    });
  }
  return errors;
}

/** Errors for topology spread constraints. */
export function topologySpreadErrors(option: string, constraints: readonly k8s.TopologySpreadConstraint[] | undefined): string[] {
  const errors: string[] = [];
  (constraints ?? []).forEach((c, i) => {
    const at = `${option}[${i}]`;
    if (!Number.isInteger(c.maxSkew) || c.maxSkew < 1) errors.push(`${at}.maxSkew: ${c.maxSkew} is invalid; allowed: an integer >= 1`);
    errors.push(...labelKeyErrors(`${at}.topologyKey`, c.topologyKey));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable)) errors.push(`${at}.whenUnsatisfiable: "${c.whenUnsatisfiable}" is invalid; allowed: DoNotSchedule or ScheduleAnyway`);
    if (c.minDomains !== undefined && (!Number.isInteger(c.minDomains) || c.minDomains < 1 || c.whenUnsatisfiable !== 'DoNotSchedule')) {
      errors.push(`${at}.minDomains: ${c.minDomains} is invalid; allowed: an integer >= 1, only with whenUnsatisfiable DoNotSchedule`);
    }
    errors.push(...labelSelectorErrors(`${at}.labelSelector`, c.labelSelector));
  });
  return errors;
}

/** Errors for every scheduling option (`PodSchedulingProps`); `option` is the path of the props (e.g. `querier`, or '' at the top). */
export function podSchedulingErrors(option: string, props: PodSchedulingProps): string[] {
  const at = (name: string) => (option ? `${option}.${name}` : name);
  return [
    ...labelErrors(at('nodeSelector'), props.nodeSelector),
    ...tolerationErrors(at('tolerations'), props.tolerations),
    ...affinityErrors(at('affinity'), props.affinity),
    ...priorityClassNameErrors(at('priorityClassName'), props.priorityClassName),
    ...topologySpreadErrors(at('topologySpreadConstraints'), props.topologySpreadConstraints),
  ];
}

/** Errors for a CIDR block (IPv4 `a.b.c.d/n`, n <= 32, or IPv6 `x::y/n`, n <= 128). */
export function cidrErrors(option: string, cidr: string): string[] {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr);
  const ok = v4
    ? v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32
    : v6 !== null && Number(v6[2]) <= 128 && v6[1].includes(':') && (v6[1].match(/::/g) ?? []).length <= 1
      && v6[1].split(':').every((g) => g.length <= 4) && v6[1].split(':').length <= 8;
  return ok ? [] : [`${option}: "${cidr}" is not a CIDR; allowed: e.g. 10.0.0.0/8 or fd00::/8`];
}

/** Errors for a namespace name (a DNS label of at most 63 characters). */
export function namespaceErrors(option: string, name: string): string[] {
  return typeof name === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)
    ? []
    : [`${option}: "${name}" is not a valid namespace; allowed: a DNS label of at most 63 lower-case letters, digits and '-'`];
}
