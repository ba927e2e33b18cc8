import * as yaml from 'js-yaml';
import { Construct } from 'constructs';
import { k8s } from '../k8s/plus';
import { GrafanaDatasource } from '../../imports/grafanadatasource-grafana.integreatly.org';
import type { ITempoInstance } from '../instance';
import { TempoNames } from '../k8s/names';
import { recordNameOption } from '../k8s/unique-objects';
import { integrationLabels, throwIfErrors } from '../monitoring/common';
import { promqlErrors } from '../monitoring/promql';
import {
  escapeForProvisioning, GrafanaOperatorOptions, GrafanaSidecarOptions, operatorErrors, resyncPeriodOf,
  sidecarErrors, timeShiftErrors, uidErrors, uidNamePart,
} from './common';
import { LokiDerivedField, lokiTraceDerivedField, LokiTraceDerivedFieldOptions } from './loki-derived-fields';
import { literalCredentialErrors, urlCredentialErrors } from '../config/owned-keys';

/** A span attribute used in a link, optionally renamed to the label the target data source uses. */
export interface SpanTagMapping {
  /** Span or resource attribute, e.g. `service.name`, `k8s.pod.name`. */
  readonly key: string;
  /** Label name in the target data source, e.g. `service_name`. @default the key */
  readonly value?: string;
}

/** A span tag: an attribute name, or an attribute renamed for the target data source. */
export type SpanTag = string | SpanTagMapping;

/** Trace to logs links (emitted as Grafana's current `tracesToLogsV2`). */
export interface TracesToLogsOptions {
  /** uid of the logs data source (Loki, Elasticsearch, ...), e.g. `loki`. */
  readonly datasourceUid: string;
  /**
   * Span attributes turned into log stream selectors. Plain strings (the
   * seeds' old `tags: ['pod', 'namespace']`) are accepted and emitted as `{ key }`.
   * @default Grafana's built-in list (cluster, hostname, namespace, pod, service.name, service.namespace)
   */
  readonly tags?: readonly SpanTag[];
  /** Widen the log search window before the span, e.g. `-1h`. @default '0' (Grafana's default) */
  readonly spanStartTimeShift?: string;
  /** Widen the log search window after the span, e.g. `1h`. @default '0' (Grafana's default) */
  readonly spanEndTimeShift?: string;
  /** Add the trace id to the generated log query. @default true (as in the seeds) */
  readonly filterByTraceId?: boolean;
  /** Add the span id to the generated log query. @default false */
  readonly filterBySpanId?: boolean;
  /**
   * A custom log query instead of the generated one; may use `${__span.tags.x}`,
   * `${__trace.traceId}`, `$__tags` (written plainly: the library escapes `$`
   * in provisioning files).
   * @default the generated query
   */
  readonly customQuery?: string;
}

/** The deprecated `tracesToLogs` block the seeds use (Grafana's v1 format). */
export interface LegacyTracesToLogs {
  /** uid of the logs data source. */
  readonly datasourceUid?: string;
  /** Span attributes turned into log stream selectors (unless `mapTagNamesEnabled` with `mappedTags`). */
  readonly tags?: readonly string[];
  /** Span attributes renamed for the logs data source; used instead of `tags` when `mapTagNamesEnabled`. */
  readonly mappedTags?: readonly SpanTagMapping[];
  /** Use `mappedTags` instead of `tags`. */
  readonly mapTagNamesEnabled?: boolean;
  /** Widen the log search window before the span, e.g. `-1h`. */
  readonly spanStartTimeShift?: string;
  /** Widen the log search window after the span, e.g. `1h`. */
  readonly spanEndTimeShift?: string;
  /** Add the trace id to the log query. Absent means off here, unlike `TracesToLogsOptions.filterByTraceId`. */
  readonly filterByTraceID?: boolean;
  /** Add the span id to the log query. Absent means off. */
  readonly filterBySpanID?: boolean;
  /** The v1 Loki search flag; `tracesToLogsFromLegacy` does not carry it over. */
  readonly lokiSearch?: boolean;
  /** A custom log query, used when `customQuery` is true. */
  readonly query?: string;
  /** Use `query` instead of the generated log query. */
  readonly customQuery?: boolean;
}

/** A named trace-to-metrics query. */
export interface TraceToMetricsQuery {
  /** Link label. */
  readonly name: string;
  /** PromQL; `$__tags` is replaced by the span's tags as label matchers. */
  readonly query: string;
}

/** Trace to metrics links. */
export interface TracesToMetricsOptions {
  /** uid of the Prometheus data source, e.g. `prometheus`. */
  readonly datasourceUid: string;
  /** Span attributes turned into label matchers (`$__tags`). @default [{ key: 'service.name', value: 'service' }] */
  readonly tags?: readonly SpanTag[];
  /**
   * Queries offered as links. Parsed at synth time (with `$__tags` replaced)
   * and checked against Tempo's metric names.
   * @default request rate, error rate and p95 latency from Tempo's span metrics, by span name
   */
  readonly queries?: readonly TraceToMetricsQuery[];
  /** @default '-2m' (Grafana's default) */
  readonly spanStartTimeShift?: string;
  /** @default '2m' (Grafana's default) */
  readonly spanEndTimeShift?: string;
  /** Series the queries may select that Tempo does not emit. @default none */
  readonly extraSeries?: readonly string[];
}

/** Histogram flavour of the service graph metrics. */
export enum ServiceMapHistogramType {
  CLASSIC = 'classic',
  NATIVE = 'native',
  BOTH = 'both',
}

/** Service graph (service map) settings. */
export interface ServiceMapOptions {
  /** uid of the Prometheus data source holding `traces_service_graph_*`. */
  readonly datasourceUid: string;
  /** Histogram type (newer Grafana only). @default not set (classic) */
  readonly histogramType?: ServiceMapHistogramType;
}

/** A static filter of the TraceQL search builder. */
export interface TraceqlSearchFilter {
  /** Unique id of the filter, e.g. `service-name` (not part of the query). */
  readonly id: string;
  /** Attribute or intrinsic the filter matches, e.g. `service.name`. */
  readonly tag?: string;
  /** Comparison operator, e.g. `=`, `!=`, `=~`. */
  readonly operator?: string;
  /** Preset value, or values. */
  readonly value?: string | readonly string[];
  /** Type of the value (e.g. `string`, `int`); Grafana quotes string values in the query. */
  readonly valueType?: string;
  /** `resource`, `span`, `intrinsic`, `event`, `link`, `instrumentation` or `unscoped`. */
  readonly scope?: string;
}

/** Search settings. */
export interface TempoSearchOptions {
  /** Hide the Search query type in Explore. @default false */
  readonly hide?: boolean;
  /** Static filters of the search builder. @default Grafana's (service name and span name) */
  readonly filters?: readonly TraceqlSearchFilter[];
}

/** Limit trace-id lookups to a window around the query time range. */
export interface TraceQueryTimeShiftOptions {
  /** @default '30m' */
  readonly spanStartTimeShift?: string;
  /** @default '30m' */
  readonly spanEndTimeShift?: string;
}

/** Streaming of results over gRPC (needs `stream_over_http_enabled: true` in tempo.yaml and HTTP/2 end to end). */
export interface TempoStreamingOptions {
  /** Stream search results (Tempo >= 2.2). @default false */
  readonly search?: boolean;
  /** Stream TraceQL metrics (Tempo >= 2.7). @default false */
  readonly metrics?: boolean;
}

/** Options of `TempoDatasource`. */
export interface TempoDatasourceProps {
  /** The Tempo deployment Grafana queries. */
  readonly instance: ITempoInstance;
  /** Data source name shown in Grafana. @default 'Tempo' */
  readonly name?: string;
  /**
   * Data source uid (other data sources link to it). Any other uid than the default also names the objects
   * (`<instance>-datasource-<uid>`), so one data source per tenant needs only its own uid.
   * @default 'tempo' (objects `<instance>-datasource`)
   */
  readonly uid?: string;
  /**
   * Query URL.
   * @default `http://<query endpoint Service>.<namespace>.svc:<port>` (without `.<namespace>.svc` when the chart has no namespace)
   */
  readonly url?: string;
  /** Make it Grafana's default data source. @default false */
  readonly isDefault?: boolean;
  /** Tenant sent as `X-Scope-OrgID` (multi-tenant Tempo). @default none */
  readonly tenant?: string;
  /** Trace to logs links. @default none */
  readonly tracesToLogs?: TracesToLogsOptions;
  /** Trace to metrics links. @default none */
  readonly tracesToMetrics?: TracesToMetricsOptions;
  /** Service graph. @default none (the Service Graph tab stays empty) */
  readonly serviceMap?: ServiceMapOptions;
  /** Show the node graph above the trace view. @default true */
  readonly nodeGraph?: boolean;
  /** Search settings. @default Grafana's */
  readonly search?: TempoSearchOptions;
  /** Limit trace-id lookups to a time window. @default disabled (Grafana's default) */
  readonly traceQueryTimeShift?: TraceQueryTimeShiftOptions;
  /** Streaming. @default search and metrics streaming off */
  readonly streaming?: TempoStreamingOptions;
  /**
   * Further `jsonData` keys, merged over the generated ones (see Grafana's
   * Tempo data source documentation).
   * @default none
   */
  readonly extraJsonData?: Readonly<Record<string, unknown>>;
  /** The provisioning ConfigMap for Grafana's sidecar. @default emitted, label `grafana_datasource: "1"` */
  readonly sidecar?: GrafanaSidecarOptions;
  /** A grafana-operator `GrafanaDatasource` as well. @default none */
  readonly operator?: GrafanaOperatorOptions;
}

/** Converts the seeds' deprecated `tracesToLogs` block the way Grafana does at runtime. */
export function tracesToLogsFromLegacy(legacy: LegacyTracesToLogs): TracesToLogsOptions {
  const tags: SpanTag[] = legacy.mapTagNamesEnabled && legacy.mappedTags?.length
    ? legacy.mappedTags.map((t) => ({ key: t.key, value: t.value }))
    : [...(legacy.tags ?? [])];
  return {
    datasourceUid: legacy.datasourceUid ?? '',
    tags: tags.length ? tags : undefined,
    spanStartTimeShift: legacy.spanStartTimeShift,
    spanEndTimeShift: legacy.spanEndTimeShift,
    filterByTraceId: legacy.filterByTraceID ?? false,
    filterBySpanId: legacy.filterBySpanID ?? false,
    customQuery: legacy.customQuery && legacy.query ? legacy.query : undefined,
  };
}

/** The default trace-to-metrics queries: RED metrics of the span's service, by span name. */
export const DEFAULT_TRACES_TO_METRICS_QUERIES: readonly TraceToMetricsQuery[] = [
  { name: 'Request rate', query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
  { name: 'Error rate', query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{status_code="STATUS_CODE_ERROR", $__tags}[5m]))' },
  { name: 'Latency p95', query: 'histogram_quantile(0.95, sum by (le, span_name) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))' },
];

const SEARCH_SCOPES = ['resource', 'span', 'intrinsic', 'event', 'link', 'instrumentation', 'unscoped'];
const HISTOGRAM_TYPES = Object.values(ServiceMapHistogramType) as string[];
const GENERATED_KEYS = ['tracesToLogsV2', 'tracesToMetrics', 'serviceMap', 'nodeGraph', 'search', 'traceQuery', 'streamingEnabled', 'httpHeaderName1'];

/**
 * Grafana data source for a Tempo instance, pointing at its query endpoint
 * (the query-frontend, or the single binary), with typed `jsonData` in the
 * format current Grafana (11.x-13.x) reads: `tracesToLogsV2`, `tracesToMetrics`,
 * `serviceMap`, `nodeGraph`, `search`, `traceQuery`, `streamingEnabled`.
 *
 * Delivered as a ConfigMap labelled for Grafana's provisioning sidecar
 * (`<instance>-datasource`, key `<instance>-datasource.yaml`, every `$`
 * escaped as `$$` because Grafana expands environment variables there) and,
 * optionally, as a grafana-operator `GrafanaDatasource` (no escaping: the
 * operator sends the JSON through Grafana's API).
 */
export class TempoDatasource extends Construct {
  /** Data source uid. */
  public readonly uid: string;
  /** Data source name. */
  public readonly name: string;
  /** Query URL. */
  public readonly url: string;
  /** The `jsonData` as Grafana stores it (unescaped). */
  public readonly jsonData: Readonly<Record<string, unknown>>;
  /** The data source entry as Grafana stores it (unescaped). */
  public readonly datasource: Readonly<Record<string, unknown>>;
  /** The provisioning file (escaped), when the sidecar ConfigMap is emitted. */
  public readonly provisioningYaml?: string;
  /** The sidecar ConfigMap. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** The grafana-operator resource. */
  public readonly grafanaDatasource?: GrafanaDatasource;

  constructor(scope: Construct, id: string, props: TempoDatasourceProps) {
    super(scope, id);
    const instance = props.instance;
    const name = props.name ?? 'Tempo';
    const uid = props.uid ?? 'tempo';
    const endpoint = instance.queryEndpoint;
    const url = props.url ?? (instance.namespace
      ? `http://${endpoint.serviceName}.${instance.namespace}.svc:${endpoint.port}`
      : `http://${endpoint.serviceName}:${endpoint.port}`);
    const streaming = props.streaming ?? {};

    const errors: string[] = [
      ...uidErrors('uid', uid),
      ...sidecarErrors('sidecar', props.sidecar, 'grafana_datasource'),
      ...operatorErrors('operator', props.operator),
    ];
    if (!name.trim()) errors.push('name: must not be empty; allowed: any display name, e.g. "Tempo"');
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url) || !URL.canParse(url)) errors.push(`url: "${url}" is invalid; allowed: an http(s) URL (a port from 1 to 65535)`);
    else errors.push(...urlCredentialErrors('url', url));
    if (props.tenant !== undefined && !/^[A-Za-z0-9!._*'()-]{1,150}$/.test(props.tenant)) {
      errors.push(`tenant: "${props.tenant}" is invalid; allowed: a Tempo tenant id (up to 150 characters of letters, digits and !-_.*'())`);
    }
    if (streaming.search && !instance.version.atLeast(2, 2)) errors.push(`streaming.search: needs Tempo >= 2.2; this instance runs ${instance.version.version}`);
    if (streaming.metrics && !instance.version.atLeast(2, 7)) {
      errors.push(`streaming.metrics: needs Tempo >= 2.7; this instance runs ${instance.version.version}; allowed: false, or TempoVersion.V2_10_8`);
    }

    const jsonData: Record<string, unknown> = {};
    if (props.tracesToLogs) {
      const l = props.tracesToLogs;
      errors.push(...uidErrors('tracesToLogs.datasourceUid', l.datasourceUid || '(empty)'));
      errors.push(...timeShiftErrors('tracesToLogs.spanStartTimeShift', l.spanStartTimeShift));
      errors.push(...timeShiftErrors('tracesToLogs.spanEndTimeShift', l.spanEndTimeShift));
      errors.push(...tagErrors('tracesToLogs.tags', l.tags));
      jsonData.tracesToLogsV2 = compact({
        datasourceUid: l.datasourceUid,
        tags: l.tags && l.tags.map(toTagMapping),
        spanStartTimeShift: l.spanStartTimeShift,
        spanEndTimeShift: l.spanEndTimeShift,
        filterByTraceID: l.filterByTraceId ?? true,
        filterBySpanID: l.filterBySpanId ?? false,
        customQuery: l.customQuery !== undefined,
        query: l.customQuery,
      });
    }
    if (props.tracesToMetrics) {
      const m = props.tracesToMetrics;
      const queries = m.queries ?? DEFAULT_TRACES_TO_METRICS_QUERIES;
      errors.push(...uidErrors('tracesToMetrics.datasourceUid', m.datasourceUid || '(empty)'));
      errors.push(...timeShiftErrors('tracesToMetrics.spanStartTimeShift', m.spanStartTimeShift));
      errors.push(...timeShiftErrors('tracesToMetrics.spanEndTimeShift', m.spanEndTimeShift));
      errors.push(...tagErrors('tracesToMetrics.tags', m.tags));
      queries.forEach((q, i) => {
        if (!q.name?.trim()) errors.push(`tracesToMetrics.queries[${i}].name: must not be empty`);
        errors.push(...promqlErrors(`tracesToMetrics.queries[${i}] ("${q.name}")`, substituteTags(q.query), { extraSeries: m.extraSeries }));
      });
      jsonData.tracesToMetrics = compact({
        datasourceUid: m.datasourceUid,
        tags: (m.tags ?? [{ key: 'service.name', value: 'service' }]).map(toTagMapping),
        queries: queries.map((q) => ({ name: q.name, query: q.query })),
        spanStartTimeShift: m.spanStartTimeShift,
        spanEndTimeShift: m.spanEndTimeShift,
      });
    }
    if (props.serviceMap) {
      errors.push(...uidErrors('serviceMap.datasourceUid', props.serviceMap.datasourceUid || '(empty)'));
      const h = props.serviceMap.histogramType;
      if (h !== undefined && !HISTOGRAM_TYPES.includes(h)) errors.push(`serviceMap.histogramType: "${h}" is invalid; allowed: ${HISTOGRAM_TYPES.join(', ')}`);
      jsonData.serviceMap = compact({ datasourceUid: props.serviceMap.datasourceUid, histogramType: h });
    }
    jsonData.nodeGraph = { enabled: props.nodeGraph ?? true };
    if (props.search) {
      (props.search.filters ?? []).forEach((f, i) => {
        if (!f.id?.trim()) errors.push(`search.filters[${i}].id: must not be empty`);
        if (f.scope !== undefined && !SEARCH_SCOPES.includes(f.scope)) errors.push(`search.filters[${i}].scope: "${f.scope}" is invalid; allowed: ${SEARCH_SCOPES.join(', ')}`);
      });
      jsonData.search = compact({
        hide: props.search.hide ?? false,
        filters: props.search.filters?.map((f) => compact({ ...f, value: Array.isArray(f.value) ? [...f.value] : f.value })),
      });
    }
    if (props.traceQueryTimeShift) {
      const t = props.traceQueryTimeShift;
      errors.push(...timeShiftErrors('traceQueryTimeShift.spanStartTimeShift', t.spanStartTimeShift));
      errors.push(...timeShiftErrors('traceQueryTimeShift.spanEndTimeShift', t.spanEndTimeShift));
      jsonData.traceQuery = { timeShiftEnabled: true, spanStartTimeShift: t.spanStartTimeShift ?? '30m', spanEndTimeShift: t.spanEndTimeShift ?? '30m' };
    }
    jsonData.streamingEnabled = { search: streaming.search ?? false, metrics: streaming.metrics ?? false };
    if (props.tenant !== undefined) jsonData.httpHeaderName1 = 'X-Scope-OrgID';
    for (const key of Object.keys(props.extraJsonData ?? {})) {
      if (GENERATED_KEYS.includes(key)) errors.push(`extraJsonData: "${key}" is generated from a typed option; allowed: any other jsonData key (set ${key} through its option)`);
    }
    errors.push(...literalCredentialErrors('extraJsonData', props.extraJsonData ?? {}, 'no credentials in jsonData (Grafana keeps them in secureJsonData, which this construct does not write): provision them separately'));
    throwIfErrors(`TempoDatasource "${instance.name}"`, errors);
    Object.assign(jsonData, props.extraJsonData);

    this.uid = uid;
    this.name = name;
    this.url = url;
    this.jsonData = jsonData;
    const secureJsonData = props.tenant !== undefined ? { httpHeaderValue1: props.tenant } : undefined;
    this.datasource = compact({
      name, type: 'tempo', uid, access: 'proxy', url,
      isDefault: props.isDefault ?? false, editable: false, jsonData, secureJsonData,
    });

    const objectName = new TempoNames(instance.name).datasource(uid === 'tempo' ? undefined : uidNamePart(uid));
    const sidecar = props.sidecar ?? {};
    if (sidecar.enabled ?? true) {
      this.provisioningYaml = yaml.dump(escapeForProvisioning({ apiVersion: 1, datasources: [this.datasource] }), { sortKeys: true, noRefs: true, lineWidth: -1 });
      this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
        metadata: {
          name: objectName,
          namespace: sidecar.namespace,
          labels: integrationLabels(instance.name, 'grafana-datasource', { [sidecar.labelKey ?? 'grafana_datasource']: sidecar.labelValue ?? '1' }),
          annotations: sidecar.annotations && { ...sidecar.annotations },
        },
        data: { [`${objectName}.yaml`]: this.provisioningYaml },
      });
      recordNameOption(this.configMap, 'TempoDatasource.uid');
    }
    if (props.operator) {
      const o = props.operator;
      this.grafanaDatasource = new GrafanaDatasource(this, 'GrafanaDatasource', {
        metadata: { name: objectName, namespace: o.namespace, labels: integrationLabels(instance.name, 'grafana-datasource') },
        spec: {
          instanceSelector: { matchLabels: { ...o.instanceSelector } },
          allowCrossNamespaceImport: o.allowCrossNamespaceImport ?? false,
          resyncPeriod: resyncPeriodOf(o),
          uid,
          datasource: {
            name, type: 'tempo', access: 'proxy', url,
            isDefault: props.isDefault ?? false, editable: false, jsonData, secureJsonData,
          },
        },
      });
      recordNameOption(this.grafanaDatasource, 'TempoDatasource.uid');
    }
  }

  /**
   * A Loki derived field that turns trace ids in log lines into links to this
   * data source (seed 001's `derivedFields`).
   */
  public lokiDerivedField(options: Omit<LokiTraceDerivedFieldOptions, 'tempoDatasourceUid'> = {}): LokiDerivedField {
    return lokiTraceDerivedField({ ...options, tempoDatasourceUid: this.uid });
  }
}

function toTagMapping(tag: SpanTag): { key: string; value?: string } {
  return typeof tag === 'string' ? { key: tag } : compact({ key: tag.key, value: tag.value });
}

function tagErrors(option: string, tags: readonly SpanTag[] | undefined): string[] {
  return (tags ?? []).flatMap((t, i) => {
    const key = typeof t === 'string' ? t : t?.key;
    return typeof key === 'string' && key.trim() ? [] : [`${option}[${i}]: must name a span attribute; allowed: "service.name" or { key: "service.name", value: "service" }`];
  });
}

/** Replaces Grafana's `$__tags` by a matcher so the query parses as PromQL. */
function substituteTags(query: string): string {
  return query.replace(/\$\{__tags\}|\$__tags/g, 'service="x"');
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
