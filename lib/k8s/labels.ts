/** Recommended Kubernetes label keys. */
export const LabelKeys = {
  NAME: 'app.kubernetes.io/name',
  INSTANCE: 'app.kubernetes.io/instance',
  COMPONENT: 'app.kubernetes.io/component',
  PART_OF: 'app.kubernetes.io/part-of',
  VERSION: 'app.kubernetes.io/version',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
  /** Set to "true" on pods that join the memberlist gossip ring; the gossip Service selects it. */
  GOSSIP_MEMBER: 'tempo-gossip-member',
} as const;

/** Annotation holding the SHA-256 of tempo.yaml on pod templates, so a config change rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

/** Labels that identify one component of one Tempo instance. Stable: selectors are built from these only. */
export function selectorLabels(instance: string, component: string): Record<string, string> {
  return { [LabelKeys.NAME]: 'tempo', [LabelKeys.INSTANCE]: instance, [LabelKeys.COMPONENT]: component };
}

/** Labels every Tempo pod of one instance has. */
export function instanceSelector(instance: string): Record<string, string> {
  return { [LabelKeys.NAME]: 'tempo', [LabelKeys.INSTANCE]: instance };
}

/** Labels that select every ring member of one instance. */
export function gossipSelector(instance: string): Record<string, string> {
  return { [LabelKeys.NAME]: 'tempo', [LabelKeys.INSTANCE]: instance, [LabelKeys.GOSSIP_MEMBER]: 'true' };
}

/** The full recommended label set of one component. */
export function componentLabels(instance: string, component: string, version: string, partOf: string): Record<string, string> {
  return {
    ...selectorLabels(instance, component),
    [LabelKeys.PART_OF]: partOf,
    [LabelKeys.VERSION]: version,
    [LabelKeys.MANAGED_BY]: 'cdk8s-tempo',
  };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Error messages for label (or annotation, with `valuesFree`) maps that the API server would reject. */
export function labelErrors(option: string, labels: Readonly<Record<string, string>> | undefined, valuesFree = false): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && (!DNS_SUBDOMAIN.test(prefix) || prefix.length > 253)) || !LABEL_NAME.test(name) || name.length > 63) {
      errors.push(`${option}: key "${key}" is invalid; allowed: [prefix/]name, name at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`);
    }
    if (typeof value !== 'string') errors.push(`${option}: value of "${key}" must be a string`);
    else if (!valuesFree && (!LABEL_VALUE.test(value) || value.length > 63)) {
      errors.push(`${option}: value "${value}" of "${key}" is invalid; allowed: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`);
    }
  }
  return errors;
}
