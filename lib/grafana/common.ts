import { Duration } from 'cdk8s';
import { resolveEnvReferences } from '../config/env-reference';
import { labelErrors } from '../k8s/labels';
import { promDuration } from '../monitoring/common';

/** How Grafana's provisioning sidecar (k8s-sidecar, as in the Grafana Helm chart and kube-prometheus-stack) finds a ConfigMap. */
export interface GrafanaSidecarOptions {
  /** Emit the ConfigMap. @default true */
  readonly enabled?: boolean;
  /** Label the sidecar watches. @default `grafana_datasource` for data sources, `grafana_dashboard` for dashboards */
  readonly labelKey?: string;
  /** Value of that label. @default '1' */
  readonly labelValue?: string;
  /**
   * Namespace of the ConfigMap: the sidecar of the Grafana Helm chart watches
   * Grafana's own namespace unless `searchNamespace` is set.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /** Extra annotations of the ConfigMap. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** How grafana-operator (v5, `grafana.integreatly.org/v1beta1`) picks up a resource. */
export interface GrafanaOperatorOptions {
  /** Labels of the `Grafana` instances that import the resource, e.g. `{ dashboards: 'grafana' }`. */
  readonly instanceSelector: Readonly<Record<string, string>>;
  /** Let `Grafana` instances in other namespaces import it. @default false */
  readonly allowCrossNamespaceImport?: boolean;
  /** How often the operator re-applies it. @default the operator's default (10m) */
  readonly resyncPeriod?: Duration;
  /** Namespace of the resource. @default the chart's namespace */
  readonly namespace?: string;
}

/**
 * Escapes `$` as `$$` in every string of a value: Grafana expands `$VAR` and
 * `${VAR}` from its environment in provisioning files, so a query such as
 * `{$__tags}` or a link `${__value.raw}` would otherwise be emptied.
 */
export function escapeForProvisioning<T>(value: T): T {
  // Same rule as Tempo's -config.expand-env (`$$` stands for `$`), so the tempo.yaml escaper serves both.
  return resolveEnvReferences(value) as T;
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;
const TIME_SHIFT = /^-?(\d+(ms|s|m|h|d|w|y))+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Error messages for a Grafana uid (40 characters of [A-Za-z0-9_-]). */
export function uidErrors(option: string, uid: string | undefined): string[] {
  if (uid === undefined) return [];
  return UID.test(uid) ? [] : [`${option}: "${uid}" is invalid; allowed: 1-40 characters of [A-Za-z0-9_-] (a Grafana uid)`];
}

/** A Grafana uid ([A-Za-z0-9_-]) as part of a Kubernetes object name (lower case, '-' for '_'). */
export function uidNamePart(uid: string): string {
  return uid.toLowerCase().replace(/_/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** Error messages for a Grafana relative time such as `-1h`, `30m`, `1h30m`. */
export function timeShiftErrors(option: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  return TIME_SHIFT.test(value) ? [] : [`${option}: "${value}" is invalid; allowed: a Grafana duration such as "-1h", "30m", "1h30m" (units ms, s, m, h, d, w, y; optional leading "-")`];
}

/** Error messages for sidecar options. */
export function sidecarErrors(option: string, s: GrafanaSidecarOptions | undefined, defaultKey: string): string[] {
  if (!s) return [];
  const errors = [
    ...labelErrors(`${option}.labelKey/labelValue`, { [s.labelKey ?? defaultKey]: s.labelValue ?? '1' }),
    ...labelErrors(`${option}.annotations`, s.annotations, true),
  ];
  if (s.namespace !== undefined && !NAMESPACE.test(s.namespace)) errors.push(`${option}.namespace: "${s.namespace}" is invalid; allowed: a DNS label`);
  return errors;
}

/** Error messages for grafana-operator options. */
export function operatorErrors(option: string, o: GrafanaOperatorOptions | undefined): string[] {
  if (!o) return [];
  const errors = labelErrors(`${option}.instanceSelector`, o.instanceSelector);
  if (!o.instanceSelector || Object.keys(o.instanceSelector).length === 0) {
    errors.push(`${option}.instanceSelector: must select at least one label; allowed: the labels of your Grafana resource, e.g. { dashboards: 'grafana' }`);
  }
  if (o.resyncPeriod) {
    const d = promDuration(`${option}.resyncPeriod`, o.resyncPeriod, 1);
    if (d.error) errors.push(d.error);
  }
  if (o.namespace !== undefined && !NAMESPACE.test(o.namespace)) errors.push(`${option}.namespace: "${o.namespace}" is invalid; allowed: a DNS label`);
  return errors;
}

/** The operator's resync period as a Go duration. */
export function resyncPeriodOf(o: GrafanaOperatorOptions): string | undefined {
  return o.resyncPeriod ? promDuration('resyncPeriod', o.resyncPeriod).value : undefined;
}
