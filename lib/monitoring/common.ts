import { Duration } from 'cdk8s';
import { goDuration } from '../config/units';
import { LabelKeys, labelErrors } from '../k8s/labels';

/**
 * A Prometheus duration (`30s`, `15m`, `6h`) for a whole number of seconds,
 * or an error message naming `option`.
 */
export function promDuration(option: string, d: Duration, minSeconds = 0): { value?: string; error?: string } {
  let seconds: number;
  try {
    seconds = d.toSeconds();
  } catch {
    return { error: `${option}: ${d.toHumanString()} is invalid; allowed: a whole number of seconds` };
  }
  if (seconds < minSeconds) return { error: `${option}: ${d.toHumanString()} is invalid; allowed: at least ${minSeconds} seconds` };
  return { value: goDuration(d) };
}

/** Recommended labels of an integration object (ServiceMonitor, PrometheusRule, Grafana ConfigMap) of one Tempo instance. */
export function integrationLabels(instance: string, component: string, extra?: Readonly<Record<string, string>>): Record<string, string> {
  return {
    ...extra,
    [LabelKeys.NAME]: 'tempo',
    [LabelKeys.INSTANCE]: instance,
    [LabelKeys.COMPONENT]: component,
    [LabelKeys.MANAGED_BY]: 'cdk8s-tempo',
  };
}

/** Error messages for user-supplied object labels (also rejects overriding the recommended ones). */
export function extraLabelErrors(option: string, labels: Readonly<Record<string, string>> | undefined): string[] {
  const errors = labelErrors(option, labels);
  for (const key of Object.keys(labels ?? {})) {
    if (([LabelKeys.NAME, LabelKeys.INSTANCE, LabelKeys.COMPONENT, LabelKeys.MANAGED_BY] as string[]).includes(key)) {
      errors.push(`${option}: "${key}" is set by the library; allowed: any other label`);
    }
  }
  return errors;
}

/** Throws one error listing every problem, prefixed by the construct. */
export function throwIfErrors(construct: string, errors: readonly string[]): void {
  if (errors.length) throw new Error(`${construct}:\n  ${errors.join('\n  ')}`);
}
