import { Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  PrometheusRule,
  PrometheusRuleSpecGroups,
  PrometheusRuleSpecGroupsRules,
  PrometheusRuleSpecGroupsRulesExpr,
} from '../../imports/prometheusrule-monitoring.coreos.com';
import type { ITempoInstance } from '../instance';
import { extraLabelErrors, integrationLabels, promDuration, throwIfErrors } from './common';
import { EXPORTER_SERIES, EXPORTER_SERIES_NAMES } from './exporter-metrics';
import { promqlErrors } from './promql';
import { TempoNames } from '../k8s/names';
import { localeOrder } from '../sort-order';
import { recordNameOption } from '../k8s/unique-objects';
import { clusterErrors, TempoJobs, TempoRole } from './targets';

/** Value of an alert's `severity` label. */
export enum AlertSeverity {
  CRITICAL = 'critical',
  WARNING = 'warning',
  INFO = 'info',
}

/** Values of the `span_kind` label of Tempo's span metrics. */
export enum SpanKind {
  SERVER = 'SPAN_KIND_SERVER',
  CLIENT = 'SPAN_KIND_CLIENT',
  CONSUMER = 'SPAN_KIND_CONSUMER',
  PRODUCER = 'SPAN_KIND_PRODUCER',
  INTERNAL = 'SPAN_KIND_INTERNAL',
  UNSPECIFIED = 'SPAN_KIND_UNSPECIFIED',
}

/** Changes to one built-in alert (keys of `TempoAlertsProps.tuning` are `TEMPO_ALERT_IDS`). */
export interface AlertTuning {
  /** Emit the alert. @default true */
  readonly enabled?: boolean;
  /** The alert's threshold, in the unit its documentation gives. @default the built-in value (see `TEMPO_ALERT_IDS` in the README) */
  readonly threshold?: number;
  /** How long the condition must hold before the alert fires. @default the built-in value */
  readonly for?: Duration;
  /** Value of the `severity` label. @default the built-in value */
  readonly severity?: AlertSeverity;
  /** Extra labels of this alert (e.g. `team`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra or replaced annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Options of the trace-based (span-metrics) alerts. */
export interface TraceAlertsOptions {
  /**
   * Emit `HighTraceLatency` and `HighTraceErrorRatio`.
   * @default true when the instance runs a metrics-generator
   */
  readonly enabled?: boolean;
  /**
   * Span kinds whose spans count as a service's requests.
   * @default [SpanKind.SERVER, SpanKind.CONSUMER] (entry points)
   */
  readonly spanKinds?: readonly SpanKind[];
  /** Latency quantile of `HighTraceLatency`, between 0 and 1. @default 0.95 */
  readonly latencyQuantile?: number;
  /**
   * Equality matchers added to every span-metrics selector, e.g.
   * `{ source: 'tempo' }` (the generator's default external label) when other
   * span-metrics producers write to the same Prometheus.
   * @default none
   */
  readonly matchers?: Readonly<Record<string, string>>;
}

/** A user-defined alerting rule. */
export interface TempoCustomAlert {
  /** Alert name (`alertname`), e.g. `CheckoutSlow`. */
  readonly name: string;
  /** PromQL expression; parsed at synth time and checked against Tempo's metric names. */
  readonly expr: string;
  /** How long the condition must hold. @default fires at once */
  readonly for?: Duration;
  /** Value of the `severity` label. @default AlertSeverity.WARNING */
  readonly severity?: AlertSeverity;
  /** `summary` annotation. @default the alert name */
  readonly summary?: string;
  /** `description` annotation (Prometheus templates such as `{{ $labels.service }}` allowed). @default none */
  readonly description?: string;
  /** Extra labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Series the expression may select that Tempo does not emit (e.g. `up`, `kube_pod_info`). @default none */
  readonly extraSeries?: readonly string[];
}

/** Options of `TempoAlerts`. */
export interface TempoAlertsProps {
  /** The Tempo deployment the alerts watch. */
  readonly instance: ITempoInstance;
  /**
   * Value of the `cluster` label the selectors match (as written by
   * `TempoServiceMonitors`).
   * @default the instance name
   */
  readonly cluster?: string;
  /** Name of the PrometheusRule. @default `<instance>-alerts` */
  readonly name?: string;
  /**
   * Extra labels of the PrometheusRule object, e.g. `{ release: 'prometheus' }`
   * for kube-prometheus-stack's `ruleSelector`.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Labels added to every alert (e.g. `{ team: 'observability' }`). @default none */
  readonly alertLabels?: Readonly<Record<string, string>>;
  /**
   * Per-alert changes, keyed by alert id (`TEMPO_ALERT_IDS`): threshold,
   * `for`, severity, labels, annotations, or `enabled: false`.
   * @default none
   */
  readonly tuning?: Readonly<Record<string, AlertTuning>>;
  /** The span-metrics alerts. @default enabled when the instance runs a metrics-generator */
  readonly traceAlerts?: TraceAlertsOptions;
  /** User-defined alerts, in group `<instance>_custom_alerts`. @default none */
  readonly customAlerts?: readonly TempoCustomAlert[];
}

interface AlertContext {
  /** Instance matchers, optionally of one role. */
  readonly m: (role?: TempoRole) => string;
  /** Matchers of the alert's exporter (`exporter`), when it has one. */
  readonly x: () => string;
  /** The alert's threshold. */
  readonly t: number;
}

interface BuiltinAlert {
  readonly id: string;
  readonly alert: string;
  /** Roles the instance must run for the alert to be emitted. */
  readonly roles: readonly TempoRole[];
  /** Exporter sidecar (`TempoExporterTarget.component`) the instance must run for the alert to be emitted. */
  readonly exporter?: 'memcached' | 'gateway';
  /** Built-in threshold and its unit; undefined when the condition has none. */
  readonly threshold?: number;
  readonly unit?: string;
  readonly for: Duration;
  readonly severity: AlertSeverity;
  readonly expr: (c: AlertContext) => string;
  readonly summary: string;
  readonly description: (t: number) => string;
}

const RUNBOOK = 'https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md';
const BY = 'cluster, namespace';

function ringUnhealthy(id: string, ring: string, role: TempoRole, severity: AlertSeverity, what: string): BuiltinAlert {
  return {
    id, alert: id, roles: [role], threshold: 0, unit: 'members', for: Duration.minutes(15), severity,
    expr: (c) => `max by (${BY}) (tempo_ring_members{${c.m()}, name="${ring}", state="Unhealthy"}) > ${c.t}`,
    summary: `Tempo has unhealthy ${what} ring members.`,
    description: () => `There are {{ printf "%.0f" $value }} unhealthy ${what}(s) in the ring of {{ $labels.cluster }}/{{ $labels.namespace }}.`,
  };
}

function failingInLastHour(id: string, metric: string, role: TempoRole | undefined, threshold: number, forDuration: Duration, severity: AlertSeverity, what: string): BuiltinAlert {
  return {
    id, alert: id, roles: role ? [role] : [], threshold, unit: 'failures per hour', for: forDuration, severity,
    expr: (c) => `sum by (${BY}) (increase(${metric}{${c.m(role)}}[1h])) > ${c.t}\nand\nsum by (${BY}) (increase(${metric}{${c.m(role)}}[5m])) > 0`,
    summary: `Tempo ${what} are failing.`,
    description: (t) => `More than ${t} ${what} failed in the past hour in {{ $labels.cluster }}/{{ $labels.namespace }} (and some in the last 5 minutes).`,
  };
}

/** Tempo's mixin conditions for 2.x, written for this library's `cluster`/`job` labels. */
const OPERATIONAL_ALERTS: readonly BuiltinAlert[] = [
  {
    id: 'TempoRequestLatency', alert: 'TempoRequestLatency', roles: [], threshold: 3, unit: 'seconds (p99)',
    for: Duration.minutes(15), severity: AlertSeverity.CRITICAL,
    expr: (c) => `cluster_namespace_job_route:tempo_request_duration_seconds:99quantile{${c.m()}, route!~"metrics|/frontend.Frontend/Process|debug_pprof"} > ${c.t}`,
    summary: 'Tempo requests are slow.',
    description: (t) => `{{ $labels.job }} {{ $labels.route }} has a 99th percentile latency of {{ printf "%.2f" $value }}s (threshold ${t}s).`,
  },
  ringUnhealthy('TempoCompactorUnhealthy', 'compactor', TempoRole.COMPACTOR, AlertSeverity.CRITICAL, 'compactor'),
  ringUnhealthy('TempoDistributorUnhealthy', 'distributor', TempoRole.DISTRIBUTOR, AlertSeverity.WARNING, 'distributor'),
  ringUnhealthy('TempoIngesterUnhealthy', 'ingester', TempoRole.INGESTER, AlertSeverity.CRITICAL, 'ingester'),
  ringUnhealthy('TempoMetricsGeneratorUnhealthy', 'metrics-generator', TempoRole.METRICS_GENERATOR, AlertSeverity.CRITICAL, 'metrics-generator'),
  failingInLastHour('TempoCompactionsFailing', 'tempodb_compaction_errors_total', TempoRole.COMPACTOR, 2, Duration.minutes(5), AlertSeverity.CRITICAL, 'compactions'),
  failingInLastHour('TempoIngesterFlushesUnhealthy', 'tempo_ingester_failed_flushes_total', TempoRole.INGESTER, 2, Duration.minutes(5), AlertSeverity.WARNING, 'ingester flushes'),
  failingInLastHour('TempoIngesterFlushesFailing', 'tempo_ingester_flush_failed_retries_total', TempoRole.INGESTER, 2, Duration.minutes(5), AlertSeverity.CRITICAL, 'ingester flush retries'),
  failingInLastHour('TempoPollsFailing', 'tempodb_blocklist_poll_errors_total', undefined, 2, Duration.seconds(0), AlertSeverity.CRITICAL, 'blocklist polls'),
  failingInLastHour('TempoTenantIndexFailures', 'tempodb_blocklist_tenant_index_errors_total', undefined, 2, Duration.seconds(0), AlertSeverity.CRITICAL, 'tenant index builds'),
  {
    id: 'TempoNoTenantIndexBuilders', alert: 'TempoNoTenantIndexBuilders', roles: [],
    for: Duration.minutes(5), severity: AlertSeverity.CRITICAL,
    expr: (c) => `sum by (${BY}, tenant) (tempodb_blocklist_tenant_index_builder{${c.m()}}) == 0\nand on (${BY}, tenant)\nmax by (${BY}, tenant) (tempodb_blocklist_length{${c.m()}}) > 0`,
    summary: 'No Tempo component builds the tenant index.',
    description: () => 'No tenant index builder for tenant {{ $labels.tenant }} in {{ $labels.cluster }}/{{ $labels.namespace }}; the tenant index will quickly become stale.',
  },
  {
    id: 'TempoTenantIndexTooOld', alert: 'TempoTenantIndexTooOld', roles: [], threshold: 600, unit: 'seconds',
    for: Duration.minutes(5), severity: AlertSeverity.CRITICAL,
    expr: (c) => `max by (${BY}, tenant) (tempodb_blocklist_tenant_index_age_seconds{${c.m()}}) > ${c.t}`,
    summary: 'The Tempo tenant index is too old.',
    description: (t) => 'The tenant index of tenant {{ $labels.tenant }} in {{ $labels.cluster }}/{{ $labels.namespace }} is {{ printf "%.0f" $value }}s old' + ` (threshold ${t}s).`,
  },
  {
    // Tempo's mixin ships this condition with broken selectors (an equality on `.*` and a
    // literal `$namespace/$component`); here it selects this instance's compactors.
    id: 'TempoBlockListRisingQuickly', alert: 'TempoBlockListRisingQuickly', roles: [TempoRole.COMPACTOR], threshold: 1.4, unit: 'ratio to 7 days ago',
    for: Duration.minutes(15), severity: AlertSeverity.CRITICAL,
    expr: (c) => `avg by (${BY}) (tempodb_blocklist_length{${c.m(TempoRole.COMPACTOR)}})\n/\navg by (${BY}) (tempodb_blocklist_length{${c.m(TempoRole.COMPACTOR)}} offset 7d) > ${c.t}`,
    summary: 'The Tempo block list is growing quickly.',
    description: (t) => `The block list of {{ $labels.cluster }}/{{ $labels.namespace }} is {{ printf "%.2f" $value }} times as long as 7 days ago (threshold ${t}); consider scaling the compactors.`,
  },
  {
    id: 'TempoBadOverrides', alert: 'TempoBadOverrides', roles: [],
    for: Duration.minutes(15), severity: AlertSeverity.WARNING,
    expr: (c) => `min by (${BY}, job) (tempo_runtime_config_last_reload_successful{${c.m()}}) == 0`,
    summary: 'Tempo failed to reload its runtime overrides.',
    description: () => '{{ $labels.job }} in {{ $labels.cluster }} failed to reload overrides.yaml; it keeps running with the previous overrides.',
  },
  {
    id: 'TempoUserConfigurableOverridesReloadFailing', alert: 'TempoUserConfigurableOverridesReloadFailing', roles: [], threshold: 5, unit: 'failures per hour',
    for: Duration.seconds(0), severity: AlertSeverity.CRITICAL,
    expr: (c) => `sum by (${BY}) (increase(tempo_overrides_user_configurable_overrides_reload_failed_total{${c.m()}}[1h])) > ${c.t}\nand\nsum by (${BY}) (increase(tempo_overrides_user_configurable_overrides_reload_failed_total{${c.m()}}[5m])) > 0`,
    summary: 'Tempo fails to reload user-configurable overrides.',
    description: (t) => `More than ${t} user-configurable overrides reloads failed in the past hour in {{ $labels.cluster }}/{{ $labels.namespace }}.`,
  },
  {
    id: 'TempoProvisioningTooManyWrites', alert: 'TempoProvisioningTooManyWrites', roles: [TempoRole.INGESTER], threshold: 30, unit: 'MiB/s per ingester',
    for: Duration.minutes(15), severity: AlertSeverity.WARNING,
    expr: (c) => `avg by (${BY}) (sum by (${BY}, instance) (rate(tempo_ingester_bytes_received_total{${c.m(TempoRole.INGESTER)}}[5m]))) / 1024 / 1024 > ${c.t}`,
    summary: 'Tempo ingesters receive more data than they are sized for.',
    description: (t) => `Ingesters in {{ $labels.cluster }}/{{ $labels.namespace }} receive {{ printf "%.1f" $value }} MiB/s each on average (threshold ${t} MiB/s); add ingesters.`,
  },
  ...[
    { id: 'TempoCompactorsTooManyOutstandingBlocksWarning', threshold: 100, for: Duration.hours(6), severity: AlertSeverity.WARNING },
    { id: 'TempoCompactorsTooManyOutstandingBlocksCritical', threshold: 250, for: Duration.hours(24), severity: AlertSeverity.CRITICAL },
  ].map((v): BuiltinAlert => ({
    id: v.id, alert: 'TempoCompactorsTooManyOutstandingBlocks', roles: [TempoRole.COMPACTOR], threshold: v.threshold, unit: 'blocks per compactor',
    for: v.for, severity: v.severity,
    expr: (c) => `sum by (${BY}, tenant) (tempodb_compaction_outstanding_blocks{${c.m(TempoRole.COMPACTOR)}})\n/ ignoring (tenant) group_left\ncount by (${BY}) (tempo_build_info{${c.m(TempoRole.COMPACTOR)}}) > ${c.t}`,
    summary: 'Tempo compactors are falling behind.',
    description: (t) => `Tenant {{ $labels.tenant }} in {{ $labels.cluster }}/{{ $labels.namespace }} has {{ printf "%.0f" $value }} outstanding blocks per compactor (threshold ${t}); give the compactors more CPU or add compactors.`,
  })),
  // Tempo 3.x write path (signals from Tempo's migrate-to-3 guide: tempo_live_store_ready, block-builder fetch
  // errors, records dropped, tempo_ingest_group_partition_lag_seconds)
  ringUnhealthy('TempoLiveStoreUnhealthy', 'live-store', TempoRole.LIVE_STORE, AlertSeverity.CRITICAL, 'live-store'),
  {
    id: 'TempoLiveStoreNotReady', alert: 'TempoLiveStoreNotReady', roles: [TempoRole.LIVE_STORE],
    // longer than live_store.readiness_max_wait (30 min), after which a live-store serves whatever it has
    for: Duration.minutes(35), severity: AlertSeverity.CRITICAL,
    expr: (c) => `min by (${BY}, instance) (tempo_live_store_ready{${c.m(TempoRole.LIVE_STORE)}}) == 0`,
    summary: 'A Tempo live-store is not ready to serve queries.',
    description: () => 'Live-store {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} has not caught up with Kafka for 35 minutes; recent traces of its partition may be missing from queries.',
  },
  {
    id: 'TempoLiveStoreDroppingRecords', alert: 'TempoLiveStoreDroppingRecords', roles: [TempoRole.LIVE_STORE], threshold: 0, unit: 'records in 5m',
    for: Duration.minutes(15), severity: AlertSeverity.WARNING,
    expr: (c) => `sum by (${BY}, reason) (increase(tempo_live_store_records_dropped_total{${c.m(TempoRole.LIVE_STORE)}}[5m])) > ${c.t}`,
    summary: 'Tempo live-stores are dropping Kafka records.',
    description: () => 'Live-stores in {{ $labels.cluster }}/{{ $labels.namespace }} drop {{ printf "%.0f" $value }} records per 5 minutes ({{ $labels.reason }}); those spans are missing from recent-trace queries.',
  },
  failingInLastHour('TempoBlockBuilderFetchesFailing', 'tempo_block_builder_fetch_errors_total', TempoRole.BLOCK_BUILDER, 2, Duration.minutes(5), AlertSeverity.CRITICAL, 'block-builder Kafka fetches'),
  {
    // Kafka consumers only exist in 3.x microservices; block-builders consume in cycles (5 min by default).
    id: 'TempoKafkaConsumerLagging', alert: 'TempoKafkaConsumerLagging', roles: [TempoRole.BLOCK_BUILDER], threshold: 900, unit: 'seconds',
    for: Duration.minutes(15), severity: AlertSeverity.WARNING,
    expr: (c) => `max by (${BY}, group, partition) (tempo_ingest_group_partition_lag_seconds{${c.m()}}) > ${c.t}`,
    summary: 'A Tempo Kafka consumer is falling behind.',
    description: (t) => 'Consumer group {{ $labels.group }} is {{ printf "%.0f" $value }}s behind on partition {{ $labels.partition }} in {{ $labels.cluster }}/{{ $labels.namespace }}' + ` (threshold ${t}s).`,
  },
  {
    id: 'TempoIngesterReplayErrors', alert: 'TempoIngesterReplayErrors', roles: [TempoRole.INGESTER], threshold: 0, unit: 'errors in 5m',
    for: Duration.minutes(5), severity: AlertSeverity.CRITICAL,
    expr: (c) => `sum by (${BY}, tenant) (increase(tempo_ingester_replay_errors_total{${c.m(TempoRole.INGESTER)}}[5m])) > ${c.t}`,
    summary: 'A Tempo ingester failed to replay its WAL.',
    description: () => 'An ingester in {{ $labels.cluster }}/{{ $labels.namespace }} hit errors replaying a block of tenant {{ $labels.tenant }} on startup.',
  },
];

const XBY = 'cluster, namespace, instance';

function exporterDown(id: string, component: 'memcached' | 'gateway', what: string): BuiltinAlert {
  return {
    id, alert: id, roles: [], exporter: component, for: Duration.minutes(5), severity: AlertSeverity.WARNING,
    expr: (c) => `max by (${XBY}) (${EXPORTER_SERIES.up}{${c.x()}}) == 0`,
    summary: `The ${what} exporter is not scraped.`,
    description: () => `Prometheus has not scraped the ${what} exporter {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} for 5 minutes; its ${what} is not monitored.`,
  };
}

/**
 * Alerts on the exporter sidecars of the cache and the gateway (`TempoServiceMonitors` scrapes them as
 * `job="<namespace>/memcached"` and `job="<namespace>/gateway"`), emitted only when the instance runs them.
 * The gateway's exporter reads nginx's stub_status, which has connection counts but no status codes: a 5xx
 * ratio cannot be computed from it, so the gateway alerts are about nginx being up and dropping connections.
 */
const EXPORTER_ALERTS: readonly BuiltinAlert[] = [
  exporterDown('TempoMemcachedExporterDown', 'memcached', 'memcached'),
  {
    id: 'TempoMemcachedDown', alert: 'TempoMemcachedDown', roles: [], exporter: 'memcached',
    for: Duration.minutes(5), severity: AlertSeverity.WARNING,
    expr: (c) => `max by (${XBY}) (${EXPORTER_SERIES.memcachedUp}{${c.x()}}) == 0`,
    summary: 'A Tempo memcached is down.',
    description: () => 'The exporter {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} cannot reach its memcached; Tempo reads bloom filters and parquet footers from object storage instead (slower queries).',
  },
  {
    id: 'TempoMemcachedEvictions', alert: 'TempoMemcachedEvictions', roles: [], exporter: 'memcached', threshold: 10, unit: 'evictions per second',
    for: Duration.minutes(30), severity: AlertSeverity.WARNING,
    expr: (c) => `sum by (${XBY}) (rate(${EXPORTER_SERIES.memcachedEvictions}{${c.x()}}[5m])) > ${c.t}`,
    summary: 'Tempo\'s memcached evicts items.',
    description: (t) => 'memcached {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} evicts {{ printf "%.1f" $value }} items/s' + ` (threshold ${t}/s); give it more memory or pods.`,
  },
  {
    id: 'TempoMemcachedHitRatioLow', alert: 'TempoMemcachedHitRatioLow', roles: [], exporter: 'memcached', threshold: 0.5, unit: 'ratio of get hits',
    for: Duration.minutes(30), severity: AlertSeverity.WARNING,
    expr: (c) => `sum by (${BY}) (rate(${EXPORTER_SERIES.memcachedCommands}{${c.x()}, command="get", status="hit"}[15m]))\n/\nsum by (${BY}) (rate(${EXPORTER_SERIES.memcachedCommands}{${c.x()}, command="get"}[15m])) < ${c.t}`,
    summary: 'Tempo\'s memcached misses most reads.',
    description: (t) => 'Only {{ $value | humanizePercentage }} of memcached gets hit in {{ $labels.cluster }}/{{ $labels.namespace }}' + ` (threshold ${t * 100}%); the cache may be too small for the blocks queried.`,
  },
  {
    id: 'TempoMemcachedConnectionsNearLimit', alert: 'TempoMemcachedConnectionsNearLimit', roles: [], exporter: 'memcached', threshold: 0.9, unit: 'ratio of the connection limit',
    for: Duration.minutes(15), severity: AlertSeverity.WARNING,
    expr: (c) => `max by (${XBY}) (${EXPORTER_SERIES.memcachedConnections}{${c.x()}} / ${EXPORTER_SERIES.memcachedMaxConnections}{${c.x()}}) > ${c.t}`,
    summary: 'Tempo\'s memcached is near its connection limit.',
    description: (t) => 'memcached {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} uses {{ $value | humanizePercentage }} of its connection limit' + ` (threshold ${t * 100}%); raise connectionLimit.`,
  },
  {
    id: 'TempoMemcachedConnectionsRefused', alert: 'TempoMemcachedConnectionsRefused', roles: [], exporter: 'memcached', threshold: 0, unit: 'listener stops in 5m',
    for: Duration.minutes(5), severity: AlertSeverity.WARNING,
    expr: (c) => `sum by (${XBY}) (increase(${EXPORTER_SERIES.memcachedListenerDisabled}{${c.x()}}[5m])) > ${c.t}`,
    summary: 'Tempo\'s memcached refuses connections.',
    description: () => 'memcached {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} hit its connection limit and stopped accepting connections {{ printf "%.0f" $value }} times in 5 minutes; raise connectionLimit.',
  },
  exporterDown('TempoGatewayExporterDown', 'gateway', 'gateway'),
  {
    id: 'TempoGatewayDown', alert: 'TempoGatewayDown', roles: [], exporter: 'gateway',
    for: Duration.minutes(5), severity: AlertSeverity.CRITICAL,
    expr: (c) => `max by (${XBY}) (${EXPORTER_SERIES.nginxUp}{${c.x()}}) == 0`,
    summary: 'A Tempo gateway\'s nginx is down.',
    description: () => 'The exporter {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} cannot read its nginx\'s stub_status: that gateway pod does not serve.',
  },
  {
    id: 'TempoGatewayDroppingConnections', alert: 'TempoGatewayDroppingConnections', roles: [], exporter: 'gateway', threshold: 0, unit: 'dropped connections per second',
    for: Duration.minutes(5), severity: AlertSeverity.CRITICAL,
    expr: (c) => `sum by (${XBY}) (rate(${EXPORTER_SERIES.nginxAccepted}{${c.x()}}[5m]) - rate(${EXPORTER_SERIES.nginxHandled}{${c.x()}}[5m])) > ${c.t}`,
    summary: 'A Tempo gateway drops connections.',
    description: () => 'Gateway {{ $labels.instance }} in {{ $labels.cluster }}/{{ $labels.namespace }} closes {{ printf "%.2f" $value }} accepted connections/s without handling them (worker_connections or open-file limit reached); add gateway replicas or workers.',
  },
];

interface TraceContext extends AlertContext {
  /** Span-metrics matchers (span kinds and user matchers). */
  readonly s: string;
  readonly quantile: number;
}

const TRACE_ALERTS: readonly (Omit<BuiltinAlert, 'expr'> & { expr: (c: TraceContext) => string })[] = [
  {
    id: 'HighTraceLatency', alert: 'HighTraceLatency', roles: [], threshold: 1, unit: 'seconds (p95 by default)',
    for: Duration.minutes(2), severity: AlertSeverity.WARNING,
    expr: (c) => `histogram_quantile(${c.quantile}, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{${c.s}}[5m]))) > ${c.t}`,
    summary: 'High trace latency detected.',
    description: (t) => `Service {{ $labels.service }} has a high request latency: {{ printf "%.2f" $value }}s (threshold ${t}s).`,
  },
  {
    id: 'HighTraceErrorRatio', alert: 'HighTraceErrorRatio', roles: [], threshold: 0.05, unit: 'ratio of error spans',
    for: Duration.minutes(5), severity: AlertSeverity.WARNING,
    expr: (c) => `sum by (service) (rate(traces_spanmetrics_calls_total{${c.s}, status_code="STATUS_CODE_ERROR"}[5m]))\n/\nsum by (service) (rate(traces_spanmetrics_calls_total{${c.s}}[5m])) > ${c.t}`,
    summary: 'High ratio of failed requests in traces.',
    description: (t) => `{{ $value | humanizePercentage }} of the requests of service {{ $labels.service }} end with an error status (threshold ${t * 100}%).`,
  },
];

/** Ids of the built-in alerts, the keys of `TempoAlertsProps.tuning`. */
export const TEMPO_ALERT_IDS: readonly string[] = [...OPERATIONAL_ALERTS, ...EXPORTER_ALERTS, ...TRACE_ALERTS].map((a) => a.id);

/** The recording rules (Tempo's mixin `tempo_rules`), scoped to one instance. */
function recordingRules(m: string): { record: string; expr: string }[] {
  const by = 'cluster, namespace, job, route';
  const rec = 'cluster_namespace_job_route:tempo_request_duration_seconds';
  return [
    { record: `${rec}:99quantile`, expr: `histogram_quantile(0.99, sum by (le, ${by}) (rate(tempo_request_duration_seconds_bucket{${m}}[1m])))` },
    { record: `${rec}:50quantile`, expr: `histogram_quantile(0.50, sum by (le, ${by}) (rate(tempo_request_duration_seconds_bucket{${m}}[1m])))` },
    { record: `${rec}:avg`, expr: `sum by (${by}) (rate(tempo_request_duration_seconds_sum{${m}}[1m])) / sum by (${by}) (rate(tempo_request_duration_seconds_count{${m}}[1m]))` },
    { record: `${rec}_bucket:sum_rate`, expr: `sum by (le, ${by}) (rate(tempo_request_duration_seconds_bucket{${m}}[1m]))` },
    { record: `${rec}_sum:sum_rate`, expr: `sum by (${by}) (rate(tempo_request_duration_seconds_sum{${m}}[1m]))` },
    { record: `${rec}_count:sum_rate`, expr: `sum by (${by}) (rate(tempo_request_duration_seconds_count{${m}}[1m]))` },
  ];
}

/** Names of the series the recording rules write. */
export const TEMPO_RECORDED_SERIES: readonly string[] = recordingRules('').map((r) => r.record);

const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEVERITIES = Object.values(AlertSeverity) as string[];
const SPAN_KINDS = Object.values(SpanKind) as string[];
const PROM_LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A rendered rule, as in a Prometheus rule file. */
export interface RenderedRule {
  /** Alert name; absent on a recording rule. */
  readonly alert?: string;
  /** Series a recording rule writes; absent on an alert. */
  readonly record?: string;
  /** PromQL expression. */
  readonly expr: string;
  /** How long the condition must hold before the alert fires; absent when zero and on recording rules. */
  readonly for?: string;
  /** Alert labels, `severity` among them; absent on recording rules. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Alert annotations (`summary`, `description`, ...); absent on recording rules. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rendered rule group. */
export interface RenderedRuleGroup {
  /** Group name: `<instance>_rules`, `_alerts`, `_exporter_alerts`, `_trace_alerts` or `_custom_alerts`. */
  readonly name: string;
  /** The rules, in order. */
  readonly rules: readonly RenderedRule[];
}

/**
 * A prometheus-operator `PrometheusRule` (`<instance>-alerts`) for one Tempo
 * instance:
 *
 * - group `<instance>_rules`: Tempo's recording rules
 *   (`cluster_namespace_job_route:tempo_request_duration_seconds:*`);
 * - group `<instance>_alerts`: the conditions of Tempo's mixin for 2.x,
 *   selecting this instance by `cluster` and `job="<namespace>/<component>"`
 *   (alerts about a component the instance does not run are left out);
 * - group `<instance>_exporter_alerts`: memcached's and the gateway's exporter
 *   sidecars (exporter not scraped, memcached down, evictions, hit ratio,
 *   connection limit; nginx down, dropped connections), when the instance runs
 *   them (`TempoMemcached`/`TempoGateway` `exporter: true`);
 * - group `<instance>_trace_alerts`: `HighTraceLatency` (p95 per service) and
 *   `HighTraceErrorRatio` on the span metrics the metrics-generator writes;
 * - group `<instance>_custom_alerts`: `customAlerts` and `addAlert()`.
 *
 * Every expression is parsed at synth time with Prometheus' PromQL grammar and
 * every metric name checked against `TEMPO_SERIES_NAMES`: a typo is a synth
 * error naming the alert.
 */
export class TempoAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly prometheusRule: PrometheusRule;
  /** Name of the PrometheusRule. */
  public readonly name: string;
  /** Value of the `cluster` label the selectors match. */
  public readonly cluster: string;
  /** How the instance's series are selected. */
  public readonly jobs: TempoJobs;

  private readonly groupPrefix: string;
  private readonly alertLabels: Readonly<Record<string, string>>;
  private readonly recording: RenderedRule[];
  private readonly operational: RenderedRule[];
  private readonly exporters: RenderedRule[];
  private readonly traces: RenderedRule[];
  private readonly custom: RenderedRule[] = [];

  constructor(scope: Construct, id: string, props: TempoAlertsProps) {
    super(scope, id);
    const instance = props.instance;
    const cluster = props.cluster ?? instance.name;
    this.name = props.name ?? new TempoNames(instance.name).alerts;
    this.cluster = cluster;
    this.groupPrefix = instance.name;
    this.alertLabels = { ...props.alertLabels };
    const jobs = new TempoJobs(instance, cluster);
    this.jobs = jobs;

    const tuning = props.tuning ?? {};
    const trace = props.traceAlerts ?? {};
    const traceEnabled = trace.enabled ?? instance.metricsGeneratorEnabled;
    const spanKinds = trace.spanKinds ?? [SpanKind.SERVER, SpanKind.CONSUMER];
    const quantile = trace.latencyQuantile ?? 0.95;

    const errors: string[] = [
      ...clusterErrors('cluster', cluster),
      ...extraLabelErrors('labels', props.labels),
      ...promLabelErrors('alertLabels', props.alertLabels),
    ];
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.name) || this.name.length > 253) {
      errors.push(`name: "${this.name}" is invalid; allowed: a DNS subdomain (lower-case letters, digits, '-', '.')`);
    }
    for (const [key, t] of Object.entries(tuning)) {
      const def = [...OPERATIONAL_ALERTS, ...EXPORTER_ALERTS, ...TRACE_ALERTS].find((a) => a.id === key);
      if (!def) {
        errors.push(`tuning: "${key}" is not a built-in alert; allowed: ${TEMPO_ALERT_IDS.join(', ')}`);
        continue;
      }
      errors.push(...tuningErrors(`tuning.${key}`, t, def.threshold !== undefined));
    }
    if (!Array.isArray(spanKinds) || spanKinds.length === 0 || spanKinds.some((k) => !SPAN_KINDS.includes(k))) {
      errors.push(`traceAlerts.spanKinds: ${JSON.stringify(spanKinds)} is invalid; allowed: a non-empty list of ${SPAN_KINDS.join(', ')}`);
    }
    if (!(typeof quantile === 'number' && quantile > 0 && quantile < 1)) {
      errors.push(`traceAlerts.latencyQuantile: ${quantile} is invalid; allowed: a number between 0 and 1 (exclusive)`);
    }
    errors.push(...promLabelErrors('traceAlerts.matchers', trace.matchers));
    throwIfErrors(`TempoAlerts "${instance.name}"`, errors);

    // recording rules
    this.recording = recordingRules(jobs.matchers()).map((r) => ({ record: r.record, expr: r.expr }));

    // operational alerts
    const noExporter = () => {
      throw new Error('not an exporter alert');
    };
    this.operational = OPERATIONAL_ALERTS
      .filter((a) => a.roles.every((r) => jobs.hasRole(r)))
      .map((a) => this.renderBuiltin(a, tuning[a.id], (t) => a.expr({ m: (role) => jobs.matchers(role), x: noExporter, t })))
      .filter((r): r is RenderedRule => r !== undefined);

    // alerts on the cache's and the gateway's exporters, when the instance runs them
    this.exporters = EXPORTER_ALERTS
      .filter((a) => a.exporter && jobs.hasExporter(a.exporter))
      .map((a) => this.renderBuiltin(a, tuning[a.id], (t) => a.expr({ m: (role) => jobs.matchers(role), x: () => jobs.exporterMatchers(a.exporter!), t })))
      .filter((r): r is RenderedRule => r !== undefined);

    // trace alerts
    const spanMatchers = [
      spanKinds.length === 1 ? `span_kind="${spanKinds[0]}"` : `span_kind=~"${spanKinds.join('|')}"`,
      ...Object.entries(trace.matchers ?? {}).sort(([a], [b]) => localeOrder(a, b)).map(([k, v]) => `${k}="${escapeString(v)}"`),
    ].join(', ');
    this.traces = traceEnabled
      ? TRACE_ALERTS
        .map((a) => this.renderBuiltin(a, tuning[a.id], (t) => a.expr({ m: (role) => jobs.matchers(role), x: noExporter, t, s: spanMatchers, quantile })))
        .filter((r): r is RenderedRule => r !== undefined)
      : [];

    // Built-in expressions are checked like user ones: a library bug fails the synth too.
    const internal = [...this.recording, ...this.operational, ...this.exporters, ...this.traces]
      .flatMap((r) => promqlErrors(`${r.alert ?? r.record}.expr`, r.expr, { extraSeries: [...TEMPO_RECORDED_SERIES, ...EXPORTER_SERIES_NAMES] }));
    throwIfErrors(`TempoAlerts "${instance.name}" (built-in rules)`, internal);

    for (const alert of props.customAlerts ?? []) this.addAlert(alert);

    this.prometheusRule = new PrometheusRule(this, 'Resource', {
      metadata: { name: this.name, labels: integrationLabels(instance.name, 'prometheus-rules', props.labels) },
      spec: {
        groups: Lazy.any({ produce: () => this.renderGroups().map(toCrdGroup) }) as unknown as PrometheusRuleSpecGroups[],
      },
    });
    recordNameOption(this.prometheusRule, 'TempoAlerts.name');
  }

  /**
   * Adds an alerting rule to group `<instance>_custom_alerts`.
   * @throws if the name is taken or invalid, or the expression does not parse or selects a series Tempo does not emit
   */
  public addAlert(alert: TempoCustomAlert): void {
    const option = `customAlerts["${alert.name}"]`;
    const errors: string[] = [];
    const taken = [...this.operational, ...this.exporters, ...this.traces, ...this.custom].map((r) => r.alert);
    if (typeof alert.name !== 'string' || !ALERT_NAME.test(alert.name)) {
      errors.push(`${option}.name: "${alert.name}" is invalid; allowed: letters, digits and '_', not starting with a digit`);
    } else if (taken.includes(alert.name) || TEMPO_ALERT_IDS.includes(alert.name)) {
      errors.push(`${option}.name: "${alert.name}" is already used by another alert; allowed: a new name (tune built-in alerts with \`tuning\`)`);
    }
    errors.push(...promqlErrors(`${option}.expr`, alert.expr ?? '', { extraSeries: [...TEMPO_RECORDED_SERIES, ...(alert.extraSeries ?? [])] }));
    errors.push(...tuningErrors(option, { for: alert.for, severity: alert.severity, labels: alert.labels, annotations: alert.annotations }, false));
    const forValue = alert.for ? promDuration(`${option}.for`, alert.for).value : undefined;
    throwIfErrors(`TempoAlerts "${this.groupPrefix}"`, errors);
    this.custom.push({
      alert: alert.name,
      expr: alert.expr.trim(),
      for: forValue && forValue !== '0s' ? forValue : undefined,
      labels: sortKeys({ ...this.alertLabels, ...alert.labels, severity: alert.severity ?? AlertSeverity.WARNING }),
      annotations: sortKeys({
        summary: alert.summary ?? alert.name,
        ...(alert.description ? { description: alert.description } : {}),
        ...alert.annotations,
      }),
    });
  }

  /** The rule groups as they appear in the PrometheusRule (and in a Prometheus rule file). */
  public renderGroups(): RenderedRuleGroup[] {
    return [
      { name: `${this.groupPrefix}_rules`, rules: this.recording },
      { name: `${this.groupPrefix}_alerts`, rules: this.operational },
      { name: `${this.groupPrefix}_exporter_alerts`, rules: this.exporters },
      { name: `${this.groupPrefix}_trace_alerts`, rules: this.traces },
      { name: `${this.groupPrefix}_custom_alerts`, rules: this.custom },
    ].filter((g) => g.rules.length > 0);
  }

  private renderBuiltin(def: Omit<BuiltinAlert, 'expr'>, tune: AlertTuning | undefined, expr: (t: number) => string): RenderedRule | undefined {
    if (tune?.enabled === false) return undefined;
    const threshold = tune?.threshold ?? def.threshold ?? 0;
    const forValue = promDuration(`tuning.${def.id}.for`, tune?.for ?? def.for).value!;
    const runbook: Record<string, string> = OPERATIONAL_ALERTS.includes(def as BuiltinAlert) ? { runbook_url: `${RUNBOOK}#${def.alert}` } : {};
    return {
      alert: def.alert,
      expr: expr(threshold),
      for: forValue === '0s' ? undefined : forValue,
      labels: sortKeys({ ...this.alertLabels, ...tune?.labels, severity: tune?.severity ?? def.severity }),
      annotations: sortKeys({ summary: def.summary, description: def.description(threshold), ...runbook, ...tune?.annotations }),
    };
  }
}

function tuningErrors(option: string, t: AlertTuning, hasThreshold: boolean): string[] {
  const errors: string[] = [];
  if (t.threshold !== undefined) {
    if (!hasThreshold) errors.push(`${option}.threshold: this alert has no threshold; allowed: for, severity, labels, annotations, enabled`);
    else if (typeof t.threshold !== 'number' || !Number.isFinite(t.threshold)) errors.push(`${option}.threshold: ${t.threshold} is invalid; allowed: a finite number`);
  }
  if (t.for !== undefined) {
    const d = promDuration(`${option}.for`, t.for);
    if (d.error) errors.push(d.error);
  }
  if (t.severity !== undefined && !SEVERITIES.includes(t.severity)) {
    errors.push(`${option}.severity: "${t.severity}" is invalid; allowed: ${SEVERITIES.join(', ')}`);
  }
  errors.push(...promLabelErrors(`${option}.labels`, t.labels));
  if (t.labels && 'severity' in t.labels) errors.push(`${option}.labels: "severity" is set by the severity option; allowed: any other label`);
  for (const key of Object.keys(t.annotations ?? {})) {
    if (!PROM_LABEL_NAME.test(key)) errors.push(`${option}.annotations: key "${key}" is invalid; allowed: letters, digits and '_', not starting with a digit`);
  }
  return errors;
}

function promLabelErrors(option: string, labels: Readonly<Record<string, string>> | undefined): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!PROM_LABEL_NAME.test(key) || key.startsWith('__')) errors.push(`${option}: label "${key}" is invalid; allowed: a Prometheus label name ([A-Za-z_][A-Za-z0-9_]*, not starting with "__")`);
    if (typeof value !== 'string') errors.push(`${option}: value of "${key}" must be a string`);
  }
  return errors;
}

function escapeString(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => localeOrder(a, b)));
}

function toCrdGroup(g: RenderedRuleGroup): PrometheusRuleSpecGroups {
  return {
    name: g.name,
    rules: g.rules.map((r): PrometheusRuleSpecGroupsRules => ({
      alert: r.alert,
      record: r.record,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
      for: r.for,
      labels: r.labels && { ...r.labels },
      annotations: r.annotations && { ...r.annotations },
    })),
  };
}
