import { k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { GrafanaDashboard } from '../../imports/grafanadashboard-grafana.integreatly.org';
import type { ITempoInstance } from '../instance';
import { labelErrors } from '../k8s/labels';
import { dashboardName } from '../k8s/names';
import { recordNameOption } from '../k8s/unique-objects';
import { integrationLabels, throwIfErrors } from '../monitoring/common';
import { EXPORTER_SERIES, EXPORTER_SERIES_NAMES } from '../monitoring/exporter-metrics';
import { promqlErrors } from '../monitoring/promql';
import { clusterErrors, TempoJobs, TempoRole } from '../monitoring/targets';
import { GrafanaOperatorOptions, GrafanaSidecarOptions, operatorErrors, resyncPeriodOf, sidecarErrors, uidErrors, uidNamePart } from './common';
import { buildDashboard, dashboardExpressions, DashboardSpec, PanelSpec, RowSpec, substituteGrafanaVariables, TimeseriesSpec } from './dashboard-model';

/** The dashboards `TempoDashboards` can emit. */
export enum TempoDashboard {
  /** "Tempo Service Map": node graph of the service graph, plus request, error and latency rates between services. */
  SERVICE_MAP = 'service-map',
  /** "Trace Latency": p50/p95/p99 latency, request rate and error ratio per service, from span metrics. */
  TRACE_LATENCY = 'trace-latency',
  /** "Tempo / Writes": distributor, ingester, metrics-generator and compactor write path. */
  WRITES = 'writes',
  /** "Tempo / Reads": query-frontend, querier, ingester and backend read path, block list. */
  READS = 'reads',
  /** "Tempo / Resources": CPU, memory, Go heap and goroutines of every component. */
  RESOURCES = 'resources',
  /** "Tempo / Operational": the mixin's one-page view: rings, queries, ingest, TraceQL metrics (local-blocks), storage. */
  OPERATIONAL = 'operational',
  /** "Tempo / Tenants": one tenant's ingestion, live traces and queries against its limits, blocks and generator series. */
  TENANTS = 'tenants',
}

const ALL_DASHBOARDS = Object.values(TempoDashboard) as string[];
const MAX_UID = 40;

/** The instance name, cut so that `<prefix>-<longest dashboard>` is a valid Grafana uid (the user never chose it). */
function defaultUidPrefix(instanceName: string): string {
  const room = MAX_UID - 1 - Math.max(...ALL_DASHBOARDS.map((d) => d.length));
  return instanceName.slice(0, room).replace(/-+$/, '');
}
const SPAN_METRIC_DASHBOARDS: readonly TempoDashboard[] = [TempoDashboard.SERVICE_MAP, TempoDashboard.TRACE_LATENCY];

/** Default titles. */
export const TEMPO_DASHBOARD_TITLES: Readonly<Record<TempoDashboard, string>> = {
  [TempoDashboard.SERVICE_MAP]: 'Tempo Service Map',
  [TempoDashboard.TRACE_LATENCY]: 'Trace Latency',
  [TempoDashboard.WRITES]: 'Tempo / Writes',
  [TempoDashboard.READS]: 'Tempo / Reads',
  [TempoDashboard.RESOURCES]: 'Tempo / Resources',
  [TempoDashboard.OPERATIONAL]: 'Tempo / Operational',
  [TempoDashboard.TENANTS]: 'Tempo / Tenants',
};

/** Options of `TempoDashboards`. */
export interface TempoDashboardsProps {
  /** The Tempo deployment the dashboards show. */
  readonly instance: ITempoInstance;
  /**
   * Default of the `cluster` variable (the label `TempoServiceMonitors` writes).
   * @default the instance name
   */
  readonly cluster?: string;
  /** uid of the Prometheus data source (default of the `datasource` variable). @default 'prometheus' */
  readonly prometheusDatasourceUid?: string;
  /** uid of the Tempo data source (service map node graph). @default 'tempo' */
  readonly tempoDatasourceUid?: string;
  /**
   * Which dashboards to emit.
   * @default all; Service Map and Trace Latency only when the instance runs a metrics-generator
   */
  readonly dashboards?: readonly TempoDashboard[];
  /**
   * Prefix of the dashboard uids (`<prefix>-<dashboard>`); when set, also of the objects' names
   * (`<prefix>-dashboard-<dashboard>` instead of `<instance>-dashboard-<dashboard>`), so two sets of dashboards
   * for one instance need only different prefixes.
   * @default the instance name, cut to 26 characters so every uid fits Grafana's 40
   */
  readonly uidPrefix?: string;
  /** Appended to every title, e.g. ` (staging)`, when several Tempo instances share a Grafana folder. @default none */
  readonly titleSuffix?: string;
  /**
   * Grafana folder. Sidecar: annotation `folderAnnotation` on the ConfigMaps
   * (the sidecar must be configured with the same key); operator: `spec.folder`.
   * @default the sidecar's or operator's default folder
   */
  readonly folder?: string;
  /** Annotation carrying `folder` on the ConfigMaps. @default 'grafana_folder' */
  readonly folderAnnotation?: string;
  /** The ConfigMaps for Grafana's sidecar. @default emitted, label `grafana_dashboard: "1"` */
  readonly sidecar?: GrafanaSidecarOptions;
  /** grafana-operator `GrafanaDashboard` resources as well. @default none */
  readonly operator?: GrafanaOperatorOptions;
}

/**
 * Grafana dashboards for a Tempo instance, built with the typed builders of
 * @grafana/grafana-foundation-sdk (no hand-written JSON): the seeds' service
 * map and trace latency dashboards and the operational writes / reads /
 * resources dashboards. Each is a ConfigMap `<instance>-dashboard-<name>` (`<uidPrefix>-dashboard-<name>` when `uidPrefix` is set)
 * labelled for Grafana's sidecar (key `<uid>.json`) and, optionally, a
 * grafana-operator `GrafanaDashboard` of the same name.
 *
 * Panels select `cluster=~"$cluster", job=~"$namespace/<component>"` (what
 * `TempoServiceMonitors` writes) and only metric names Tempo emits; every
 * query is parsed at synth time.
 */
export class TempoDashboards extends Construct {
  /** The dashboard JSON models, by dashboard. */
  public readonly dashboards: Readonly<Partial<Record<TempoDashboard, Record<string, any>>>>;
  /** The sidecar ConfigMaps. */
  public readonly configMaps: readonly k8s.KubeConfigMap[];
  /** The grafana-operator resources. */
  public readonly grafanaDashboards: readonly GrafanaDashboard[];

  constructor(scope: Construct, id: string, props: TempoDashboardsProps) {
    super(scope, id);
    const instance = props.instance;
    const cluster = props.cluster ?? instance.name;
    const prometheusUid = props.prometheusDatasourceUid ?? 'prometheus';
    const tempoUid = props.tempoDatasourceUid ?? 'tempo';
    const uidPrefix = props.uidPrefix ?? defaultUidPrefix(instance.name);
    const selected = props.dashboards
      ?? (Object.values(TempoDashboard) as TempoDashboard[]).filter((d) => instance.metricsGeneratorEnabled || !SPAN_METRIC_DASHBOARDS.includes(d));
    const folderAnnotation = props.folderAnnotation ?? 'grafana_folder';

    const errors: string[] = [
      ...clusterErrors('cluster', cluster),
      ...uidErrors('prometheusDatasourceUid', prometheusUid),
      ...uidErrors('tempoDatasourceUid', tempoUid),
      ...sidecarErrors('sidecar', props.sidecar, 'grafana_dashboard'),
      ...operatorErrors('operator', props.operator),
    ];
    for (const d of selected) {
      if (!ALL_DASHBOARDS.includes(d)) errors.push(`dashboards: "${d}" is invalid; allowed: ${ALL_DASHBOARDS.join(', ')}`);
      else errors.push(...uidErrors('uidPrefix', `${uidPrefix}-${d}`));
    }
    if (new Set(selected).size !== selected.length) errors.push('dashboards: lists a dashboard twice');
    if (props.folder !== undefined) {
      if (!props.folder.trim()) errors.push('folder: must not be empty');
      errors.push(...labelErrors('folderAnnotation', { [folderAnnotation]: 'x' }));
    }
    throwIfErrors(`TempoDashboards "${instance.name}"`, errors);

    const jobs = new TempoJobs(instance, cluster);
    const dashboards: Partial<Record<TempoDashboard, Record<string, any>>> = {};
    const problems: string[] = [];
    for (const d of selected) {
      const spec: DashboardSpec = {
        uid: `${uidPrefix}-${d}`,
        title: `${TEMPO_DASHBOARD_TITLES[d]}${props.titleSuffix ?? ''}`,
        description: DESCRIPTIONS[d],
        tags: ['tempo', 'cdk8s-tempo'],
        prometheusUid,
        tempoUid,
        ...CONTENT[d](jobs),
      };
      const model = buildDashboard(spec);
      for (const e of dashboardExpressions(model)) {
        problems.push(...promqlErrors(`dashboard "${spec.title}" ${e.where}`, substituteGrafanaVariables(e.expr), { extraSeries: EXPORTER_SERIES_NAMES }));
      }
      dashboards[d] = model;
    }
    throwIfErrors(`TempoDashboards "${instance.name}" (built-in panels)`, problems);
    this.dashboards = dashboards;

    const sidecar = props.sidecar ?? {};
    const configMaps: k8s.KubeConfigMap[] = [];
    const operatorResources: GrafanaDashboard[] = [];
    for (const d of selected) {
      const model = dashboards[d]!;
      // A prefix the user chose names the objects too; the default keeps `<instance>-dashboard-<d>`.
      const name = dashboardName(props.uidPrefix === undefined ? instance.name : uidNamePart(props.uidPrefix), d);
      const json = JSON.stringify(model, null, 2);
      if (sidecar.enabled ?? true) {
        const annotations = { ...sidecar.annotations, ...(props.folder !== undefined ? { [folderAnnotation]: props.folder } : {}) };
        configMaps.push(new k8s.KubeConfigMap(this, `${d}-ConfigMap`, {
          metadata: {
            name,
            namespace: sidecar.namespace,
            labels: integrationLabels(instance.name, 'grafana-dashboard', { [sidecar.labelKey ?? 'grafana_dashboard']: sidecar.labelValue ?? '1' }),
            annotations: Object.keys(annotations).length ? annotations : undefined,
          },
          data: { [`${model.uid}.json`]: `${json}\n` },
        }));
        recordNameOption(configMaps[configMaps.length - 1], 'TempoDashboards.uidPrefix');
      }
      if (props.operator) {
        const o = props.operator;
        operatorResources.push(new GrafanaDashboard(this, `${d}-GrafanaDashboard`, {
          metadata: { name, namespace: o.namespace, labels: integrationLabels(instance.name, 'grafana-dashboard') },
          spec: {
            instanceSelector: { matchLabels: { ...o.instanceSelector } },
            allowCrossNamespaceImport: o.allowCrossNamespaceImport ?? false,
            resyncPeriod: resyncPeriodOf(o),
            folder: props.folder,
            uid: model.uid,
            json,
          },
        }));
        recordNameOption(operatorResources[operatorResources.length - 1], 'TempoDashboards.uidPrefix');
      }
    }
    this.configMaps = configMaps;
    this.grafanaDashboards = operatorResources;
  }
}

const DESCRIPTIONS: Readonly<Record<TempoDashboard, string>> = {
  [TempoDashboard.SERVICE_MAP]: 'Service graph built by the Tempo metrics-generator (traces_service_graph_*).',
  [TempoDashboard.TRACE_LATENCY]: 'Latency, traffic and errors per service from the span metrics of the Tempo metrics-generator (traces_spanmetrics_*).',
  [TempoDashboard.WRITES]: 'Tempo write path: distributor, ingester, metrics-generator, compactor and object storage writes.',
  [TempoDashboard.READS]: 'Tempo read path: query-frontend, querier, ingester and object storage reads, block list.',
  [TempoDashboard.RESOURCES]: 'CPU, memory, Go heap and goroutines of every Tempo component (Tempo\'s own process metrics).',
  [TempoDashboard.OPERATIONAL]: 'Tempo at a glance: ring members, queries, ingest, TraceQL metrics (local-blocks processor), block list and compaction; memcached and the gateway when their exporters run.',
  [TempoDashboard.TENANTS]: 'One tenant against its limits: ingestion rate and burst, live traces, queries, blocks and metrics-generator series.',
};

const RATE = '$__rate_interval';
const ENTRY_SPANS = 'span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"';

function ts(title: string, description: string, unit: string, queries: [string, string][], extra: Partial<TimeseriesSpec> = {}): TimeseriesSpec {
  return { kind: 'timeseries', title, description, unit, queries: queries.map(([expr, legend]) => ({ expr, legend })), ...extra };
}

/** Requests per second and latency quantiles of one route pattern of `tempo_request_duration_seconds`. */
function requestPanels(what: string, m: string): PanelSpec[] {
  return [
    ts(`${what} requests / s`, `Requests per second by status code (tempo_request_duration_seconds_count).`, 'reqps',
      [[`sum by (status_code) (rate(tempo_request_duration_seconds_count{${m}}[${RATE}]))`, '{{status_code}}']], { stack: true }),
    ts(`${what} latency`, 'p99, p50 and mean request latency.', 's', [
      [`histogram_quantile(0.99, sum by (le) (rate(tempo_request_duration_seconds_bucket{${m}}[${RATE}])))`, 'p99'],
      [`histogram_quantile(0.50, sum by (le) (rate(tempo_request_duration_seconds_bucket{${m}}[${RATE}])))`, 'p50'],
      [`sum(rate(tempo_request_duration_seconds_sum{${m}}[${RATE}])) / sum(rate(tempo_request_duration_seconds_count{${m}}[${RATE}]))`, 'mean'],
    ]),
    ts(`${what} latency by route (p99)`, 'p99 latency per route.', 's',
      [[`histogram_quantile(0.99, sum by (le, route) (rate(tempo_request_duration_seconds_bucket{${m}}[${RATE}])))`, '{{route}}']]),
  ];
}

function backendPanels(what: string, m: string, operation: string): PanelSpec[] {
  return [
    ts(`${what} object storage requests / s`, 'Object storage requests per second by status code (tempodb_backend_request_duration_seconds_count).', 'reqps',
      [[`sum by (status_code) (rate(tempodb_backend_request_duration_seconds_count{${m}, operation=~"${operation}"}[${RATE}]))`, '{{status_code}}']], { stack: true }),
    ts(`${what} object storage latency`, 'p99 and p50 object storage request latency.', 's', [
      [`histogram_quantile(0.99, sum by (le) (rate(tempodb_backend_request_duration_seconds_bucket{${m}, operation=~"${operation}"}[${RATE}])))`, 'p99'],
      [`histogram_quantile(0.50, sum by (le) (rate(tempodb_backend_request_duration_seconds_bucket{${m}, operation=~"${operation}"}[${RATE}])))`, 'p50'],
    ]),
  ];
}

function operationalVariables(jobs: TempoJobs) {
  return [
    { name: 'cluster', label: 'cluster', query: 'label_values(tempo_build_info, cluster)', current: jobs.cluster },
    { name: 'namespace', label: 'namespace', query: 'label_values(tempo_build_info{cluster=~"$cluster"}, namespace)', current: jobs.namespace },
  ];
}

type Content = Pick<DashboardSpec, 'variables' | 'rows'>;

/**
 * The limit in force for `$tenant` (its override, else the default), as Tempo exports it
 * (`tempo_limits_overrides{user}` / `tempo_limits_defaults`, label `limit_name`).
 */
function limitQuery(m: string, limitName: string): string {
  return `max(max by (limit_name) (tempo_limits_overrides{${m}, user="$tenant", limit_name="${limitName}"}) or max by (limit_name) (tempo_limits_defaults{${m}, limit_name="${limitName}"}))`;
}

function operationalContent(jobs: TempoJobs): Content {
  const all = jobs.dashboardMatchers();
  const rows: RowSpec[] = [{
    title: 'Health',
    panels: [
      ts('Ring members', 'Members of each ring by state (tempo_ring_members): anything but ACTIVE for long needs a look.', 'short',
        [[`max by (name, state) (tempo_ring_members{${all}})`, '{{name}} {{state}}']], { width: 12 }),
      ts('Versions', 'Pods per Tempo version (tempo_build_info).', 'short',
        [[`count by (version) (tempo_build_info{${all}})`, '{{version}}']], { width: 12 }),
    ],
  }];
  if (jobs.hasRole(TempoRole.QUERY_FRONTEND)) {
    const m = jobs.dashboardMatchers(TempoRole.QUERY_FRONTEND);
    rows.push({
      title: 'Queries',
      panels: [
        ts('Queries / s by type', 'Trace lookups, searches and TraceQL metrics queries per second (tempo_query_frontend_queries_total).', 'reqps',
          [[`sum by (op) (rate(tempo_query_frontend_queries_total{${m}}[${RATE}]))`, '{{op}}']], { stack: true }),
        ...requestPanels('Query frontend', `${m}, route=~"api_.*"`).slice(1),
      ],
    });
  }
  if (jobs.hasRole(TempoRole.DISTRIBUTOR)) {
    const m = jobs.dashboardMatchers(TempoRole.DISTRIBUTOR);
    rows.push({
      title: 'Ingest',
      panels: [
        ts('Spans received / s', 'Spans accepted (tempo_distributor_spans_received_total).', 'short',
          [[`sum(rate(tempo_distributor_spans_received_total{${m}}[${RATE}]))`, 'spans']]),
        ts('Discarded spans / s', 'Spans refused by reason (tempo_discarded_spans_total).', 'short',
          [[`sum by (reason) (rate(tempo_discarded_spans_total{${m}}[${RATE}]))`, '{{reason}}']], { stack: true }),
        ...(jobs.hasRole(TempoRole.INGESTER) ? [
          ts('Live traces', 'Traces held in memory by the ingesters (tempo_ingester_live_traces).', 'short',
            [[`sum(tempo_ingester_live_traces{${jobs.dashboardMatchers(TempoRole.INGESTER)}})`, 'live traces']]),
        ] : []),
      ],
    });
  }
  if (jobs.hasRole(TempoRole.METRICS_GENERATOR)) {
    const m = jobs.dashboardMatchers(TempoRole.METRICS_GENERATOR);
    const lb = 'tempo_metrics_generator_processor_local_blocks';
    rows.push({
      title: 'TraceQL metrics (local-blocks)',
      panels: [
        ts('Spans kept / s', `Spans the local-blocks processor writes for TraceQL metrics and Drilldown (${lb}_spans_total); empty when the processor is off.`, 'short',
          [[`sum by (tenant) (rate(${lb}_spans_total{${m}}[${RATE}]))`, '{{tenant}}']], { stack: true }),
        ts('Dropped spans and traces / s', `Spans and traces the processor dropped by reason (${lb}_spans_dropped_total, _traces_dropped_total): raise maxLiveTraces or the generator's memory.`, 'short', [
          [`sum by (reason) (rate(${lb}_spans_dropped_total{${m}}[${RATE}]))`, 'spans {{reason}}'],
          [`sum by (reason) (rate(${lb}_traces_dropped_total{${m}}[${RATE}]))`, 'traces {{reason}}'],
        ]),
        ts('Live traces and flush queue', `Traces in memory (${lb}_live_traces) and blocks waiting to be flushed to object storage (${lb}_flush_queue_size).`, 'short', [
          [`sum(${lb}_live_traces{${m}})`, 'live traces'],
          [`sum(${lb}_flush_queue_size{${m}})`, 'flush queue'],
        ]),
      ],
    });
  }
  rows.push({
    title: 'Storage',
    panels: [
      ts('Blocks', 'Blocks in object storage, all tenants (tempodb_blocklist_length).', 'short',
        [[`sum(max by (tenant) (tempodb_blocklist_length{${all}}))`, 'blocks']]),
      ...(jobs.hasRole(TempoRole.COMPACTOR) ? [
        ts('Outstanding compactions', 'Blocks waiting for compaction (tempodb_compaction_outstanding_blocks).', 'short',
          [[`sum(tempodb_compaction_outstanding_blocks{${jobs.dashboardMatchers(TempoRole.COMPACTOR)}})`, 'blocks']]),
      ] : []),
      ts('Object storage latency (p99) by operation', 'p99 object storage request latency per operation (tempodb_backend_request_duration_seconds).', 's',
        [[`histogram_quantile(0.99, sum by (le, operation) (rate(tempodb_backend_request_duration_seconds_bucket{${all}}[${RATE}])))`, '{{operation}}']]),
    ],
  });
  rows.push(...exporterRows(jobs));
  return { variables: operationalVariables(jobs), rows };
}

/** Rows for the cache's and the gateway's exporter sidecars, when the instance runs them. */
function exporterRows(jobs: TempoJobs): RowSpec[] {
  const x = EXPORTER_SERIES;
  const rows: RowSpec[] = [];
  if (jobs.hasExporter('memcached')) {
    const m = jobs.exporterDashboardMatchers('memcached');
    rows.push({
      title: 'Cache (memcached)',
      panels: [
        ts('Hit ratio', `Share of gets that hit (${x.memcachedCommands}{command="get"}): bloom filters and parquet footers served from memcached instead of object storage.`, 'percentunit',
          [[`sum(rate(${x.memcachedCommands}{${m}, command="get", status="hit"}[${RATE}])) / sum(rate(${x.memcachedCommands}{${m}, command="get"}[${RATE}]))`, 'hit ratio']], { width: 6 }),
        ts('Evictions / s', `Valid items removed to make room, per pod (${x.memcachedEvictions}); steady evictions with a low hit ratio mean the cache is too small.`, 'short',
          [[`sum by (instance) (rate(${x.memcachedEvictions}{${m}}[${RATE}]))`, '{{instance}}']], { width: 6 }),
        ts('Connections', `Open connections per pod (${x.memcachedConnections}) against the connection limit (${x.memcachedMaxConnections}).`, 'short', [
          [`sum by (instance) (${x.memcachedConnections}{${m}})`, '{{instance}}'],
          [`min(${x.memcachedMaxConnections}{${m}})`, 'limit'],
        ], { width: 6 }),
        ts('Memory used', `Bytes stored per pod (${x.memcachedBytes}) against the memory limit (${x.memcachedLimitBytes}).`, 'bytes', [
          [`sum by (instance) (${x.memcachedBytes}{${m}})`, '{{instance}}'],
          [`min(${x.memcachedLimitBytes}{${m}})`, 'limit'],
        ], { width: 6 }),
      ],
    });
  }
  if (jobs.hasExporter('gateway')) {
    const m = jobs.exporterDashboardMatchers('gateway');
    rows.push({
      title: 'Gateway (nginx)',
      panels: [
        ts('Requests / s', `Client requests per gateway pod (${x.nginxRequests}; stub_status has no status codes).`, 'reqps',
          [[`sum by (instance) (rate(${x.nginxRequests}{${m}}[${RATE}]))`, '{{instance}}']], { stack: true, width: 8 }),
        ts('Active connections', `Client connections per gateway pod, idle keep-alive ones included (${x.nginxActive}).`, 'short',
          [[`sum by (instance) (${x.nginxActive}{${m}})`, '{{instance}}']], { width: 8 }),
        ts('Dropped connections / s', `Accepted but not handled connections (${x.nginxAccepted} - ${x.nginxHandled}): worker_connections or open files exhausted.`, 'short',
          [[`sum by (instance) (rate(${x.nginxAccepted}{${m}}[${RATE}]) - rate(${x.nginxHandled}{${m}}[${RATE}]))`, '{{instance}}']], { width: 8 }),
      ],
    });
  }
  return rows;
}

function tenantsContent(jobs: TempoJobs): Content {
  const all = jobs.dashboardMatchers();
  const t = 'tenant="$tenant"';
  const rows: RowSpec[] = [];
  if (jobs.hasRole(TempoRole.DISTRIBUTOR)) {
    const m = jobs.dashboardMatchers(TempoRole.DISTRIBUTOR);
    rows.push({
      title: 'Ingestion',
      panels: [
        ts('Bytes / s against the limits', 'Trace bytes received (tempo_distributor_bytes_received_total) against ingestion_rate_limit_bytes and ingestion_burst_size_bytes.', 'Bps', [
          [`sum(rate(tempo_distributor_bytes_received_total{${m}, ${t}}[${RATE}]))`, 'received'],
          [limitQuery(m, 'ingestion_rate_limit_bytes'), 'rate limit'],
          [limitQuery(m, 'ingestion_burst_size_bytes'), 'burst limit'],
        ]),
        ts('Spans / s', 'Spans received and refused by reason (tempo_distributor_spans_received_total, tempo_discarded_spans_total).', 'short', [
          [`sum(rate(tempo_distributor_spans_received_total{${m}, ${t}}[${RATE}]))`, 'received'],
          [`sum by (reason) (rate(tempo_discarded_spans_total{${m}, ${t}}[${RATE}]))`, 'discarded {{reason}}'],
        ]),
        ...(jobs.hasRole(TempoRole.INGESTER) ? [
          ts('Live traces against the limit', 'Traces in memory per ingester (tempo_ingester_live_traces) against max_local_traces_per_user.', 'short', [
            [`max(tempo_ingester_live_traces{${jobs.dashboardMatchers(TempoRole.INGESTER)}, ${t}})`, 'live traces'],
            [limitQuery(jobs.dashboardMatchers(TempoRole.INGESTER), 'max_local_traces_per_user'), 'limit'],
          ]),
        ] : []),
      ],
    });
  }
  if (jobs.hasRole(TempoRole.QUERY_FRONTEND)) {
    rows.push({
      title: 'Reads',
      panels: [
        ts('Queries / s by type', 'Trace lookups, searches and TraceQL metrics queries of the tenant (tempo_query_frontend_queries_total).', 'reqps',
          [[`sum by (op) (rate(tempo_query_frontend_queries_total{${jobs.dashboardMatchers(TempoRole.QUERY_FRONTEND)}, ${t}}[${RATE}]))`, '{{op}}']], { width: 24 }),
      ],
    });
  }
  rows.push({
    title: 'Storage',
    panels: [
      ts('Blocks', 'Blocks of the tenant in object storage (tempodb_blocklist_length).', 'short',
        [[`max(tempodb_blocklist_length{${all}, ${t}})`, 'blocks']], { width: 12 }),
      ...(jobs.hasRole(TempoRole.COMPACTOR) ? [
        ts('Outstanding compactions', 'Blocks of the tenant waiting for compaction (tempodb_compaction_outstanding_blocks).', 'short',
          [[`sum(tempodb_compaction_outstanding_blocks{${jobs.dashboardMatchers(TempoRole.COMPACTOR)}, ${t}})`, 'blocks']], { width: 12 }),
      ] : []),
    ],
  });
  if (jobs.hasRole(TempoRole.METRICS_GENERATOR)) {
    const m = jobs.dashboardMatchers(TempoRole.METRICS_GENERATOR);
    rows.push({
      title: 'Metrics-generator',
      panels: [
        ts('Bytes / s', 'Trace bytes the generators received for the tenant (tempo_metrics_generator_bytes_received_total).', 'Bps',
          [[`sum(rate(tempo_metrics_generator_bytes_received_total{${m}, ${t}}[${RATE}]))`, 'received']]),
        ts('Active series against the limit', 'Series written for the tenant (tempo_metrics_generator_registry_active_series) against metrics_generator_max_active_series (0: no limit).', 'short', [
          [`sum(tempo_metrics_generator_registry_active_series{${m}, ${t}})`, 'active series'],
          [limitQuery(m, 'metrics_generator_max_active_series'), 'limit'],
        ]),
        ts('TraceQL metrics: spans kept / s', 'Spans of the tenant in the local-blocks processor (tempo_metrics_generator_processor_local_blocks_spans_total).', 'short',
          [[`sum(rate(tempo_metrics_generator_processor_local_blocks_spans_total{${m}, ${t}}[${RATE}]))`, 'spans']]),
      ],
    });
  }
  return {
    variables: [
      ...operationalVariables(jobs),
      { name: 'tenant', label: 'tenant', query: `label_values(tempodb_blocklist_length{${all}}, tenant)` },
    ],
    rows,
  };
}

const CONTENT: Readonly<Record<TempoDashboard, (jobs: TempoJobs) => Content>> = {
  [TempoDashboard.SERVICE_MAP]: () => ({
    variables: [],
    rows: [{
      title: 'Service graph',
      panels: [
        { kind: 'serviceMap', title: 'Tempo Service Map', description: 'Services and the requests between them, from traces_service_graph_request_total (Tempo data source, service map query).' },
        ts('Requests / s between services', 'Requests per second per client → server edge (traces_service_graph_request_total).', 'reqps',
          [[`sum by (client, server) (rate(traces_service_graph_request_total[${RATE}]))`, '{{client}} → {{server}}']]),
        ts('Failed requests / s between services', 'Failed requests per second per edge (traces_service_graph_request_failed_total).', 'reqps',
          [[`sum by (client, server) (rate(traces_service_graph_request_failed_total[${RATE}]))`, '{{client}} → {{server}}']]),
        ts('Server latency between services (p95)', 'p95 of the server span duration per edge (traces_service_graph_request_server_seconds).', 's',
          [[`histogram_quantile(0.95, sum by (le, client, server) (rate(traces_service_graph_request_server_seconds_bucket[${RATE}])))`, '{{client}} → {{server}}']]),
        ts('Unpaired spans / s', 'Spans whose other side never arrived (traces_service_graph_unpaired_spans_total): uninstrumented peers or too short a wait.', 'short',
          [[`sum by (client, server) (rate(traces_service_graph_unpaired_spans_total[${RATE}]))`, '{{client}} {{server}}']], { width: 12 }),
        ts('Dropped spans / s', 'Spans the service-graph processor dropped (traces_service_graph_dropped_spans_total): raise max_items.', 'short',
          [[`sum by (client, server) (rate(traces_service_graph_dropped_spans_total[${RATE}]))`, '{{client}} {{server}}']], { width: 12 }),
      ],
    }],
  }),
  [TempoDashboard.TRACE_LATENCY]: () => {
    const s = `service=~"$service", ${ENTRY_SPANS}`;
    const quantile = (q: string) => `histogram_quantile(${q}, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{${s}}[${RATE}])))`;
    return {
      variables: [{ name: 'service', label: 'service', query: 'label_values(traces_spanmetrics_calls_total, service)', multi: true, current: '$__all' }],
      rows: [
        {
          title: 'Latency',
          panels: [
            ts('Trace Latency', 'p95 latency of server and consumer spans per service (traces_spanmetrics_latency_bucket, label service).', 's', [[quantile('0.95'), '{{service}}']], { width: 24 }),
            ts('p50 latency', 'Median latency per service.', 's', [[quantile('0.50'), '{{service}}']], { width: 12 }),
            ts('p99 latency', '99th percentile latency per service.', 's', [[quantile('0.99'), '{{service}}']], { width: 12 }),
          ],
        },
        {
          title: 'Traffic and errors',
          panels: [
            ts('Requests / s', 'Server and consumer spans per second per service (traces_spanmetrics_calls_total).', 'reqps',
              [[`sum by (service) (rate(traces_spanmetrics_calls_total{${s}}[${RATE}]))`, '{{service}}']]),
            ts('Error ratio', 'Share of spans with status STATUS_CODE_ERROR per service.', 'percentunit', [[
              `sum by (service) (rate(traces_spanmetrics_calls_total{${s}, status_code="STATUS_CODE_ERROR"}[${RATE}])) / sum by (service) (rate(traces_spanmetrics_calls_total{${s}}[${RATE}]))`,
              '{{service}}',
            ]]),
            ts('Slowest operations (p95)', 'The 10 span names with the highest p95 latency.', 's', [[
              `topk(10, histogram_quantile(0.95, sum by (le, service, span_name) (rate(traces_spanmetrics_latency_bucket{service=~"$service"}[${RATE}]))))`,
              '{{service}} {{span_name}}',
            ]]),
          ],
        },
      ],
    };
  },
  [TempoDashboard.WRITES]: (jobs) => {
    const rows: RowSpec[] = [];
    if (jobs.hasRole(TempoRole.DISTRIBUTOR)) {
      const m = jobs.dashboardMatchers(TempoRole.DISTRIBUTOR);
      rows.push({
        title: 'Distributor',
        panels: [
          ts('Spans received / s', 'Spans accepted by the distributors per tenant (tempo_distributor_spans_received_total).', 'short',
            [[`sum by (tenant) (rate(tempo_distributor_spans_received_total{${m}}[${RATE}]))`, '{{tenant}}']], { stack: true }),
          ts('Bytes received / s', 'Trace bytes received per tenant (tempo_distributor_bytes_received_total).', 'Bps',
            [[`sum by (tenant) (rate(tempo_distributor_bytes_received_total{${m}}[${RATE}]))`, '{{tenant}}']], { stack: true }),
          ts('Discarded spans / s', 'Spans refused by reason (rate limits, trace too large, live traces exceeded...) (tempo_discarded_spans_total).', 'short',
            [[`sum by (reason) (rate(tempo_discarded_spans_total{${m}}[${RATE}]))`, '{{reason}}']], { stack: true }),
          ts('Push latency', 'p99 and p50 of a distributor push (tempo_distributor_push_duration_seconds).', 's', [
            [`histogram_quantile(0.99, sum by (le) (rate(tempo_distributor_push_duration_seconds_bucket{${m}}[${RATE}])))`, 'p99'],
            [`histogram_quantile(0.50, sum by (le) (rate(tempo_distributor_push_duration_seconds_bucket{${m}}[${RATE}])))`, 'p50'],
          ]),
          ts('Ingester append failures / s', 'Failed batch appends to ingesters (tempo_distributor_ingester_append_failures_total).', 'short',
            [[`sum(rate(tempo_distributor_ingester_append_failures_total{${m}}[${RATE}]))`, 'failures']]),
          ...(jobs.hasRole(TempoRole.METRICS_GENERATOR) ? [
            ts('Metrics-generator push failures / s', 'Failed span pushes to metrics-generators (tempo_distributor_metrics_generator_pushes_failures_total).', 'short',
              [[`sum(rate(tempo_distributor_metrics_generator_pushes_failures_total{${m}}[${RATE}]))`, 'failures']]),
          ] : []),
        ],
      });
    }
    if (jobs.hasRole(TempoRole.INGESTER)) {
      const m = jobs.dashboardMatchers(TempoRole.INGESTER);
      rows.push({
        title: 'Ingester',
        panels: [
          ...requestPanels('Push', `${m}, route=~"/tempopb.Pusher/Push.*"`).slice(0, 2),
          ts('Live traces', 'Traces held in memory per ingester (tempo_ingester_live_traces).', 'short',
            [[`sum by (instance) (tempo_ingester_live_traces{${m}})`, '{{instance}}']]),
          ts('Traces created / s', 'New traces per tenant (tempo_ingester_traces_created_total).', 'short',
            [[`sum by (tenant) (rate(tempo_ingester_traces_created_total{${m}}[${RATE}]))`, '{{tenant}}']]),
          ts('Block flushes / s', 'Blocks flushed to object storage, and failed flushes.', 'short', [
            [`sum(rate(tempo_ingester_blocks_flushed_total{${m}}[${RATE}]))`, 'flushed'],
            [`sum(rate(tempo_ingester_failed_flushes_total{${m}}[${RATE}]))`, 'failed'],
          ]),
          ...backendPanels('Ingester', m, 'PUT|POST'),
        ],
      });
    }
    if (jobs.hasRole(TempoRole.METRICS_GENERATOR)) {
      const m = jobs.dashboardMatchers(TempoRole.METRICS_GENERATOR);
      rows.push({
        title: 'Metrics-generator',
        panels: [
          ts('Spans received / s', 'Spans received by the metrics-generators (tempo_metrics_generator_spans_received_total).', 'short',
            [[`sum by (tenant) (rate(tempo_metrics_generator_spans_received_total{${m}}[${RATE}]))`, '{{tenant}}']]),
          ts('Discarded spans / s', 'Spans the metrics-generators discarded by reason (tempo_metrics_generator_spans_discarded_total).', 'short',
            [[`sum by (reason) (rate(tempo_metrics_generator_spans_discarded_total{${m}}[${RATE}]))`, '{{reason}}']]),
          ts('Active series', 'Series the generators write, per tenant (tempo_metrics_generator_registry_active_series).', 'short',
            [[`sum by (tenant) (tempo_metrics_generator_registry_active_series{${m}})`, '{{tenant}}']]),
          ts('Failed collections / s', 'Failed registry collections (remote write backlog or errors) (tempo_metrics_generator_registry_collections_failed_total).', 'short',
            [[`sum(rate(tempo_metrics_generator_registry_collections_failed_total{${m}}[${RATE}]))`, 'failed']]),
        ],
      });
    }
    if (jobs.hasRole(TempoRole.COMPACTOR)) {
      const m = jobs.dashboardMatchers(TempoRole.COMPACTOR);
      rows.push({
        title: 'Compactor',
        panels: [
          ts('Blocks compacted / s', 'Blocks compacted per level (tempodb_compaction_blocks_total).', 'short',
            [[`sum by (level) (rate(tempodb_compaction_blocks_total{${m}}[${RATE}]))`, 'level {{level}}']], { stack: true }),
          ts('Outstanding blocks', 'Blocks waiting for compaction per tenant (tempodb_compaction_outstanding_blocks).', 'short',
            [[`sum by (tenant) (tempodb_compaction_outstanding_blocks{${m}})`, '{{tenant}}']]),
          ts('Compaction errors and retention', 'Compaction errors and blocks deleted by retention per second.', 'short', [
            [`sum(rate(tempodb_compaction_errors_total{${m}}[${RATE}]))`, 'errors'],
            [`sum(rate(tempodb_retention_deleted_total{${m}}[${RATE}]))`, 'deleted by retention'],
          ]),
          ...backendPanels('Compactor', m, 'PUT|POST'),
        ],
      });
    }
    return { variables: operationalVariables(jobs), rows };
  },
  [TempoDashboard.READS]: (jobs) => {
    const rows: RowSpec[] = [];
    if (jobs.hasRole(TempoRole.QUERY_FRONTEND)) {
      rows.push({ title: 'Query frontend', panels: requestPanels('Query frontend', `${jobs.dashboardMatchers(TempoRole.QUERY_FRONTEND)}, route=~"api_.*"`) });
    }
    if (jobs.hasRole(TempoRole.QUERIER) && jobs.targetFor(TempoRole.QUERIER) !== jobs.targetFor(TempoRole.QUERY_FRONTEND)) {
      rows.push({ title: 'Querier', panels: requestPanels('Querier', `${jobs.dashboardMatchers(TempoRole.QUERIER)}, route=~"querier_api_.*"`) });
    }
    if (jobs.hasRole(TempoRole.INGESTER)) {
      rows.push({ title: 'Ingester', panels: requestPanels('Ingester query', `${jobs.dashboardMatchers(TempoRole.INGESTER)}, route=~"/tempopb.Querier/.*"`) });
    }
    if (jobs.hasRole(TempoRole.QUERIER)) {
      const m = jobs.dashboardMatchers(TempoRole.QUERIER);
      rows.push({ title: 'Object storage', panels: backendPanels('Querier', m, 'GET') });
    }
    const all = jobs.dashboardMatchers();
    rows.push({
      title: 'Block list',
      panels: [
        ts('Blocks per tenant', 'Blocks in object storage per tenant, as polled (tempodb_blocklist_length).', 'short',
          [[`max by (tenant) (tempodb_blocklist_length{${all}})`, '{{tenant}}']]),
        ts('Tenant index age', 'Age of the tenant index per tenant (tempodb_blocklist_tenant_index_age_seconds); alerts above 10 minutes.', 's',
          [[`max by (tenant) (tempodb_blocklist_tenant_index_age_seconds{${all}})`, '{{tenant}}']]),
        ts('Poll and tenant index errors / s', 'Block list poll errors and tenant index build errors.', 'short', [
          [`sum(rate(tempodb_blocklist_poll_errors_total{${all}}[${RATE}]))`, 'poll errors'],
          [`sum(rate(tempodb_blocklist_tenant_index_errors_total{${all}}[${RATE}]))`, 'tenant index errors'],
        ]),
      ],
    });
    return { variables: operationalVariables(jobs), rows };
  },
  [TempoDashboard.OPERATIONAL]: operationalContent,
  [TempoDashboard.TENANTS]: tenantsContent,
  [TempoDashboard.RESOURCES]: (jobs) => ({
    variables: operationalVariables(jobs),
    rows: jobs.instance.metricsTargets.map((t): RowSpec => {
      const m = `cluster=~"$cluster", job=~"$namespace/${t.component}"`;
      return {
        title: t.component,
        panels: [
          ts('CPU', 'CPU cores used per pod (process_cpu_seconds_total).', 'short',
            [[`sum by (instance) (rate(process_cpu_seconds_total{${m}}[${RATE}]))`, '{{instance}}']], { width: 6 }),
          ts('Memory (RSS)', 'Resident memory per pod (process_resident_memory_bytes); compare with the memory limit.', 'bytes',
            [[`sum by (instance) (process_resident_memory_bytes{${m}})`, '{{instance}}']], { width: 6 }),
          ts('Go heap in use', 'Go heap in use per pod (go_memstats_heap_inuse_bytes); GOMEMLIMIT is 80 % of the memory limit.', 'bytes',
            [[`sum by (instance) (go_memstats_heap_inuse_bytes{${m}})`, '{{instance}}']], { width: 6 }),
          ts('Goroutines', 'Goroutines per pod (go_goroutines).', 'short',
            [[`sum by (instance) (go_goroutines{${m}})`, '{{instance}}']], { width: 6 }),
        ],
      };
    }),
  }),
};
