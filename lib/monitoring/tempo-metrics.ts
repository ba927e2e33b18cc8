/**
 * The Prometheus metric names Grafana Tempo 2.6 and 2.10 expose on `/metrics`
 * (namespace `tempo_` / `tempodb_`, plus the Go runtime and process collectors),
 * and the series its metrics-generator remote-writes (`traces_*`).
 *
 * Every expression the library emits (alert and recording rules, dashboard
 * panels and variables, datasource trace-to-metrics queries) is checked
 * against this list at synth time, so a misspelt or invented metric name (such
 * as the seeds' `traces_spanmetrics_duration_seconds_bucket`) fails the synth
 * instead of producing an empty panel or an alert that never fires.
 *
 * Names were read from Tempo's source (`promauto` registrations with namespace
 * `tempo`/`tempodb`, dskit's server and ring instrumentation wrapped with the
 * `tempo_` prefix) and from the metrics-generator processors. Histograms are
 * listed by their base name; `_bucket`, `_sum` and `_count` are derived.
 */

/** How a metric is exposed: histogram base names expand to `_bucket`, `_sum`, `_count`. */
export enum TempoMetricType {
  COUNTER = 'counter',
  GAUGE = 'gauge',
  HISTOGRAM = 'histogram',
  SUMMARY = 'summary',
}

/** One metric of the catalogue. */
export interface TempoMetric {
  /** Series name (histogram/summary: base name without `_bucket`/`_sum`/`_count`). */
  readonly name: string;
  /** How it is exposed; a histogram or summary stands for several series (see `seriesNamesOf`). */
  readonly type: TempoMetricType;
  /** Who emits it: a component role, `generator-output` for remote-written series, or `runtime` (every component). */
  readonly source: string;
  /** Labels Tempo sets besides the scrape-time target labels. */
  readonly labels?: readonly string[];
}

const C = TempoMetricType.COUNTER;
const G = TempoMetricType.GAUGE;
const H = TempoMetricType.HISTOGRAM;
const S = TempoMetricType.SUMMARY;

/** Metrics of Tempo's own components (scraped from `/metrics` on the http port). */
export const TEMPO_COMPONENT_METRICS: readonly TempoMetric[] = [
  // dskit server instrumentation (every component), registered with namespace "tempo"
  { name: 'tempo_request_duration_seconds', type: H, source: 'runtime', labels: ['method', 'route', 'status_code', 'ws'] },
  { name: 'tempo_request_message_bytes', type: H, source: 'runtime', labels: ['method', 'route'] },
  { name: 'tempo_response_message_bytes', type: H, source: 'runtime', labels: ['method', 'route'] },
  { name: 'tempo_inflight_requests', type: G, source: 'runtime', labels: ['method', 'route'] },
  { name: 'tempo_build_info', type: G, source: 'runtime', labels: ['version', 'revision', 'branch', 'goversion'] },
  // runtime config (overrides.yaml) and user-configurable overrides
  { name: 'tempo_runtime_config_last_reload_successful', type: G, source: 'runtime' },
  { name: 'tempo_runtime_config_hash', type: G, source: 'runtime', labels: ['sha256'] },
  { name: 'tempo_overrides_user_configurable_overrides_reload_failed_total', type: C, source: 'runtime' },
  // limits in force (modules/overrides: config.go and overrides.go), `limit_name` e.g. ingestion_rate_limit_bytes
  { name: 'tempo_limits_defaults', type: G, source: 'runtime', labels: ['limit_name'] },
  { name: 'tempo_limits_overrides', type: G, source: 'runtime', labels: ['limit_name', 'user'] },
  // query-frontend (modules/frontend/slos.go); `op` is traces, search, metrics (2.10 adds metadata and `result`)
  { name: 'tempo_query_frontend_queries_total', type: C, source: 'query-frontend', labels: ['tenant', 'op'] },
  // dskit ring, wrapped with the "tempo_" prefix
  { name: 'tempo_ring_members', type: G, source: 'runtime', labels: ['name', 'state'] },
  // distributor
  { name: 'tempo_distributor_spans_received_total', type: C, source: 'distributor', labels: ['tenant'] },
  { name: 'tempo_distributor_bytes_received_total', type: C, source: 'distributor', labels: ['tenant'] },
  { name: 'tempo_distributor_push_duration_seconds', type: H, source: 'distributor' },
  { name: 'tempo_distributor_ingester_appends_total', type: C, source: 'distributor', labels: ['ingester'] },
  { name: 'tempo_distributor_ingester_append_failures_total', type: C, source: 'distributor', labels: ['ingester'] },
  { name: 'tempo_distributor_metrics_generator_pushes_total', type: C, source: 'distributor', labels: ['metrics_generator'] },
  { name: 'tempo_distributor_metrics_generator_pushes_failures_total', type: C, source: 'distributor', labels: ['metrics_generator'] },
  { name: 'tempo_discarded_spans_total', type: C, source: 'distributor', labels: ['reason', 'tenant'] },
  // ingester
  { name: 'tempo_ingester_live_traces', type: G, source: 'ingester', labels: ['tenant'] },
  { name: 'tempo_ingester_traces_created_total', type: C, source: 'ingester', labels: ['tenant'] },
  { name: 'tempo_ingester_bytes_received_total', type: C, source: 'ingester', labels: ['tenant', 'data_type'] },
  { name: 'tempo_ingester_blocks_flushed_total', type: C, source: 'ingester' },
  { name: 'tempo_ingester_blocks_cleared_total', type: C, source: 'ingester' },
  { name: 'tempo_ingester_failed_flushes_total', type: C, source: 'ingester' },
  { name: 'tempo_ingester_flush_failed_retries_total', type: C, source: 'ingester' },
  { name: 'tempo_ingester_replay_errors_total', type: C, source: 'ingester', labels: ['tenant'] },
  // tempodb: backend, blocklist polling, compaction, retention
  { name: 'tempodb_backend_request_duration_seconds', type: H, source: 'runtime', labels: ['operation', 'status_code'] },
  { name: 'tempodb_blocklist_length', type: G, source: 'runtime', labels: ['tenant'] },
  { name: 'tempodb_blocklist_poll_errors_total', type: C, source: 'runtime', labels: ['tenant'] },
  { name: 'tempodb_blocklist_tenant_index_errors_total', type: C, source: 'runtime', labels: ['tenant'] },
  { name: 'tempodb_blocklist_tenant_index_builder', type: G, source: 'runtime', labels: ['tenant'] },
  { name: 'tempodb_blocklist_tenant_index_age_seconds', type: G, source: 'runtime', labels: ['tenant'] },
  { name: 'tempodb_compaction_blocks_total', type: C, source: 'compactor', labels: ['level'] },
  { name: 'tempodb_compaction_errors_total', type: C, source: 'compactor' },
  { name: 'tempodb_compaction_outstanding_blocks', type: G, source: 'compactor', labels: ['tenant'] },
  { name: 'tempodb_retention_deleted_total', type: C, source: 'compactor' },
  // Tempo 3.x write path (modules/distributor, livestore, blockbuilder and pkg/ingest at v3.0.3)
  { name: 'tempo_distributor_kafka_write_bytes_total', type: C, source: 'distributor', labels: ['partition'] },
  { name: 'tempo_distributor_kafka_write_latency_seconds', type: H, source: 'distributor' },
  { name: 'tempo_live_store_ready', type: G, source: 'live-store' },
  { name: 'tempo_live_store_records_processed_total', type: C, source: 'live-store', labels: ['tenant'] },
  { name: 'tempo_live_store_records_dropped_total', type: C, source: 'live-store', labels: ['tenant', 'reason'] },
  { name: 'tempo_live_store_catch_up_duration_seconds', type: G, source: 'live-store' },
  { name: 'tempo_block_builder_fetch_records_total', type: C, source: 'block-builder', labels: ['partition'] },
  { name: 'tempo_block_builder_fetch_errors_total', type: C, source: 'block-builder', labels: ['partition'] },
  { name: 'tempo_block_builder_owned_partitions', type: G, source: 'block-builder', labels: ['partition', 'state'] },
  // exported by every Kafka consumer: live-store, block-builder, metrics-generator
  { name: 'tempo_ingest_group_partition_lag_seconds', type: G, source: 'runtime', labels: ['group', 'partition'] },
  { name: 'tempo_ingest_group_partition_lag', type: G, source: 'runtime', labels: ['group', 'partition'] },
  // metrics-generator (its own health)
  { name: 'tempo_metrics_generator_spans_received_total', type: C, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_bytes_received_total', type: C, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_spans_discarded_total', type: C, source: 'metrics-generator', labels: ['tenant', 'reason'] },
  { name: 'tempo_metrics_generator_registry_active_series', type: G, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_registry_max_active_series', type: G, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_registry_collections_total', type: C, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_registry_collections_failed_total', type: C, source: 'metrics-generator', labels: ['tenant'] },
  // the local-blocks processor (TraceQL metrics), modules/generator/processor/localblocks/metrics.go
  { name: 'tempo_metrics_generator_processor_local_blocks_spans_total', type: C, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_processor_local_blocks_spans_dropped_total', type: C, source: 'metrics-generator', labels: ['tenant', 'reason'] },
  { name: 'tempo_metrics_generator_processor_local_blocks_live_traces', type: G, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_processor_local_blocks_traces_dropped_total', type: C, source: 'metrics-generator', labels: ['tenant', 'reason'] },
  { name: 'tempo_metrics_generator_processor_local_blocks_bytes', type: G, source: 'metrics-generator', labels: ['tenant'] },
  { name: 'tempo_metrics_generator_processor_local_blocks_flush_queue_size', type: G, source: 'metrics-generator', labels: ['tenant'] },
  // Go runtime and process collectors of the default registry (every component)
  { name: 'go_goroutines', type: G, source: 'runtime' },
  { name: 'go_memstats_heap_inuse_bytes', type: G, source: 'runtime' },
  { name: 'go_memstats_alloc_bytes', type: G, source: 'runtime' },
  { name: 'go_gc_duration_seconds', type: S, source: 'runtime' },
  { name: 'process_cpu_seconds_total', type: C, source: 'runtime' },
  { name: 'process_resident_memory_bytes', type: G, source: 'runtime' },
  { name: 'process_open_fds', type: G, source: 'runtime' },
];

/**
 * Series the metrics-generator writes to Prometheus (remote write). Span
 * metrics carry `service`, `span_name`, `span_kind` (`SPAN_KIND_SERVER`, ...),
 * `status_code` (`STATUS_CODE_UNSET`, `STATUS_CODE_OK`, `STATUS_CODE_ERROR`)
 * plus the configured dimensions (dots become underscores); service-graph
 * series carry `client`, `server` and `connection_type`.
 */
export const TEMPO_GENERATOR_METRICS: readonly TempoMetric[] = [
  { name: 'traces_spanmetrics_calls_total', type: C, source: 'generator-output', labels: ['service', 'span_name', 'span_kind', 'status_code'] },
  { name: 'traces_spanmetrics_latency', type: H, source: 'generator-output', labels: ['service', 'span_name', 'span_kind', 'status_code'] },
  { name: 'traces_spanmetrics_size_total', type: C, source: 'generator-output', labels: ['service', 'span_name', 'span_kind', 'status_code'] },
  { name: 'traces_target_info', type: G, source: 'generator-output', labels: ['job', 'instance'] },
  { name: 'traces_service_graph_request_total', type: C, source: 'generator-output', labels: ['client', 'server', 'connection_type'] },
  { name: 'traces_service_graph_request_failed_total', type: C, source: 'generator-output', labels: ['client', 'server', 'connection_type'] },
  { name: 'traces_service_graph_request_server_seconds', type: H, source: 'generator-output', labels: ['client', 'server', 'connection_type'] },
  { name: 'traces_service_graph_request_client_seconds', type: H, source: 'generator-output', labels: ['client', 'server', 'connection_type'] },
  { name: 'traces_service_graph_request_messaging_system_seconds', type: H, source: 'generator-output', labels: ['client', 'server', 'connection_type'] },
  { name: 'traces_service_graph_unpaired_spans_total', type: C, source: 'generator-output', labels: ['client', 'server'] },
  { name: 'traces_service_graph_dropped_spans_total', type: C, source: 'generator-output', labels: ['client', 'server'] },
];

/** Every metric of the catalogue. */
export const TEMPO_METRICS: readonly TempoMetric[] = [...TEMPO_COMPONENT_METRICS, ...TEMPO_GENERATOR_METRICS];

/** The series names a metric is queried by. */
export function seriesNamesOf(metric: TempoMetric): string[] {
  switch (metric.type) {
    case TempoMetricType.HISTOGRAM: return [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`];
    case TempoMetricType.SUMMARY: return [metric.name, `${metric.name}_sum`, `${metric.name}_count`];
    default: return [metric.name];
  }
}

/** Every series name Tempo (and its metrics-generator) emits, sorted. */
export const TEMPO_SERIES_NAMES: readonly string[] = [...new Set(TEMPO_METRICS.flatMap(seriesNamesOf))].sort();

const SERIES = new Set(TEMPO_SERIES_NAMES);

/** True if Tempo or its metrics-generator emits a series of this name. */
export function isTempoSeries(name: string): boolean {
  return SERIES.has(name);
}

/** Names the seeds and older guides use that Tempo never emits, with what to use instead. */
export const KNOWN_WRONG_SERIES_NAMES: Readonly<Record<string, string>> = {
  traces_spanmetrics_duration_seconds_bucket: 'traces_spanmetrics_latency_bucket',
  traces_spanmetrics_duration_seconds_sum: 'traces_spanmetrics_latency_sum',
  traces_spanmetrics_duration_seconds_count: 'traces_spanmetrics_latency_count',
  traces_spanmetrics_calls: 'traces_spanmetrics_calls_total',
  calls_total: 'traces_spanmetrics_calls_total',
  duration_milliseconds_bucket: 'traces_spanmetrics_latency_bucket',
  tempo_ingester_blocks_per_compactor: 'tempodb_compaction_outstanding_blocks',
};
