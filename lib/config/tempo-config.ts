import { Duration } from 'cdk8s';
import { collectEnvReferences, EnvReference, isPlainObject, resolveEnvReferences } from './env-reference';
import { deepMerge, prune } from './merge';
import { TempoPaths, TempoPorts } from './paths';
import { TempoReceiver } from './receivers';
import { formatViolations, validateTempoSchema } from './schema-validation';
import { TenantLimits, tenantOverrides } from './tenant-limits';
import { goDuration } from './units';
import { toYaml } from './yaml';
import type { StorageBinding } from '../storage/storage';
import type { TempoVersion } from '../version';

/** Tempo's log levels. */
export enum LogLevel {
  DEBUG = 'debug',
  INFO = 'info',
  WARN = 'warn',
  ERROR = 'error',
}

/** Tempo's log formats. */
export enum LogFormat {
  LOGFMT = 'logfmt',
  JSON = 'json',
}

/** Metrics-generator processors this library can enable. */
export enum GeneratorProcessor {
  /** RED metrics per span: `traces_spanmetrics_calls_total`, `traces_spanmetrics_latency_bucket`, ... */
  SPAN_METRICS = 'span-metrics',
  /** Service graph edges: `traces_service_graph_request_total`, ... */
  SERVICE_GRAPHS = 'service-graphs',
  /**
   * Recent spans kept in blocks on the generator's volume (and flushed to object storage):
   * what TraceQL metrics (`{} | rate()`, `/api/metrics/query_range`) and Grafana's
   * Traces Drilldown query. Without it they answer "localblocks processor not found".
   */
  LOCAL_BLOCKS = 'local-blocks',
}

/**
 * The `local-blocks` processor (`metrics_generator.processor.local_blocks`): what TraceQL
 * metrics queries read. The keys are the same on every supported release (2.6 to 2.10).
 */
export interface LocalBlocksOptions {
  /**
   * Keep only server spans (`filter_server_spans`). Tempo's own default is `true`, which makes
   * `{ kind = client } | rate()` empty and has Drilldown count server spans only; the library
   * keeps every span, as Tempo's TraceQL metrics documentation recommends, at the cost of more
   * disk and memory on the generator.
   * @default false
   */
  readonly filterServerSpans?: boolean;
  /**
   * Most traces held in memory per tenant before new ones are refused (`max_live_traces`).
   * @default Tempo's (no count limit; from 2.8 also bounded to 250 MB of live traces by `max_live_traces_bytes`)
   */
  readonly maxLiveTraces?: number;
  /**
   * Flush completed blocks to object storage (`flush_to_storage`). Queries older than the
   * query-frontend's `query_backend_after` (30 minutes) read only these blocks, so without
   * them TraceQL metrics over older ranges are empty. The blocks are kept like trace blocks
   * (`compactor.retention`); searches skip them.
   * @default true
   */
  readonly flushToStorage?: boolean;
  /**
   * How long completed blocks stay on the generator's volume for recent queries (`complete_block_timeout`).
   * @default Tempo's (1 hour)
   */
  readonly completeBlockTimeout?: Duration;
  /** How long the head block collects spans before it is cut (`max_block_duration`). @default Tempo's (1 minute) */
  readonly maxBlockDuration?: Duration;
}

/** How the metrics-generator turns spans into metrics and where it writes them. */
export interface MetricsGeneratorSettings {
  /**
   * Prometheus remote-write endpoint, e.g. `http://prometheus:9090/api/v1/write`
   * (Prometheus needs `--web.enable-remote-write-receiver`).
   */
  readonly remoteWriteUrl: string;
  /** Send exemplars with remote write. @default true */
  readonly sendExemplars?: boolean;
  /**
   * Processors enabled for every tenant (through `overrides.defaults`).
   * @default [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS, GeneratorProcessor.LOCAL_BLOCKS] (without LOCAL_BLOCKS on Tempo 3)
   */
  readonly processors?: readonly GeneratorProcessor[];
  /**
   * The `local-blocks` processor (TraceQL metrics, Traces Drilldown); it runs when
   * `processors` lists `GeneratorProcessor.LOCAL_BLOCKS` (the default).
   * @default see `LocalBlocksOptions`
   */
  readonly localBlocks?: LocalBlocksOptions;
  /** Span attributes added as labels to span metrics. @default none */
  readonly spanMetricsDimensions?: readonly string[];
  /** Latency histogram buckets of span metrics, in seconds. @default Tempo's (0.002 to 16.384 s, doubling) */
  readonly spanMetricsHistogramBuckets?: readonly number[];
  /** Span attributes added as labels to service-graph metrics. @default none */
  readonly serviceGraphDimensions?: readonly string[];
  /** Latency histogram buckets of service-graph metrics, in seconds. @default Tempo's (0.1 to 12.8 s, doubling) */
  readonly serviceGraphHistogramBuckets?: readonly number[];
  /** Labels added to every generated series. @default `{ source: 'tempo' }` */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/** How ring members find each other. */
export type RingDiscovery =
  | { readonly kind: 'memberlist'; readonly joinMembers: readonly string[]; readonly clusterLabel: string }
  | { readonly kind: 'inmemory' };

/** Everything the Tempo configuration is derived from. Pure data, no Kubernetes. */
export interface TempoConfigInput {
  /** The Tempo release the configuration is for: 3.x gets Tempo 3's sections (no ingester, no compactor). Render with the same version. */
  readonly version: TempoVersion;
  /** Require `X-Scope-OrgID` on every request. */
  readonly multitenancy: boolean;
  /** `server.log_level`. */
  readonly logLevel: LogLevel;
  /** `server.log_format`. */
  readonly logFormat: LogFormat;
  /** How ring members find each other: the kvstore of every ring, and `memberlist` when gossiping. */
  readonly ring: RingDiscovery;
  /** Receivers of the distributor (`distributor.receivers`). */
  readonly receivers: readonly TempoReceiver[];
  /** Where blocks are kept (`storage.trace`). */
  readonly storage: StorageBinding;
  /** Ingester ring replication factor. */
  readonly replicationFactor: number;
  /**
   * gRPC address (`host:port`) of the query-frontend for querier workers; the single binary's own
   * (`127.0.0.1:9095`, what Tempo picks with a warning) when absent.
   */
  readonly frontendAddress?: string;
  /** How long blocks are kept in storage. */
  readonly retention: Duration;
  /** The metrics-generator, when deployed. */
  readonly metricsGenerator?: MetricsGeneratorSettings;
  /** Limits of every tenant (`overrides.defaults`). */
  readonly defaultLimits?: TenantLimits;
  /** Longest time a block stays in an ingester (`ingester.max_block_duration`). */
  readonly ingesterMaxBlockDuration?: Duration;
  /** Ingester flushes all traces to storage when it stops. */
  readonly flushOnShutdown?: boolean;
  /** Ingester zone awareness: ingesters read their zone from this variable. */
  readonly ingesterZoneEnv?: string;
  /** Cache entries for `cache.caches`. */
  readonly caches?: readonly Record<string, unknown>[];
  /** Tempo 3 (`version.kafkaArchitecture`) microservices: where distributors write and live-stores, block-builders and the metrics-generator read. */
  readonly kafka?: KafkaIngestSettings;
  /** Tempo 3: gRPC address (`host:port`) of the backend scheduler for the backend workers; the single binary's own when absent. */
  readonly backendSchedulerAddress?: string;
  /** Tempo 3: live-stores read their ring zone from this variable. */
  readonly liveStoreZoneEnv?: string;
  /** TLS: the receivers' `tls` block and the internal mutual-TLS sections. @default no TLS */
  readonly tls?: TempoConfigTls;
  /** Raw configuration deep-merged over the generated one (maps merge, lists replace), then checked like the rest. */
  readonly extraConfig?: Record<string, unknown>;
}

/** The TLS parts of tempo.yaml, as data (see lib/tls). */
export interface TempoConfigTls {
  /** The collector `tls` block of every receiver that supports TLS. @default plain-text receivers */
  readonly receiver?: Record<string, unknown>;
  /** Sections deep-merged into the generated configuration (server, memberlist, gRPC clients). @default none */
  readonly internal?: Record<string, unknown>;
}

/** The `ingest.kafka` section of a Tempo 3 microservices deployment, resolved. */
export interface KafkaIngestSettings {
  /** `host:port` of a bootstrap broker (`ingest.kafka.address`). */
  readonly address: string;
  /** The topic. */
  readonly topic: string;
  /** Partitions each block-builder consumes (`block_builder.partitions_per_instance`). */
  readonly partitionsPerBlockBuilder: number;
  /** Let Tempo create a missing topic with this many partitions. @default Tempo does not create the topic */
  readonly autoCreatePartitions?: number;
  /** SASL PLAIN credentials as placeholders of variables set from a Secret. @default no SASL */
  readonly sasl?: { readonly username: EnvReference; readonly password: EnvReference };
}

/** A Tempo configuration as data. Values may be EnvReferences; render with `renderTempoConfig`. */
export type TempoConfigDocument = Record<string, unknown>;

/** Thrown when a configuration does not pass Tempo's key schema. */
export class TempoConfigError extends Error {}

/** Builds the main configuration (tempo.yaml) from typed input. Deterministic; does not validate (see `renderTempoConfig`). */
export function buildTempoConfig(input: TempoConfigInput): TempoConfigDocument {
  const kvstore = { store: input.ring.kind };
  // The single binary (every module in one process) keeps its rings in memory.
  const singleBinary = input.ring.kind === 'inmemory';
  const gen = input.metricsGenerator;
  const storage = input.storage;
  const retention = { block_retention: goDuration(input.retention) };
  const tempo3 = input.version.kafkaArchitecture;
  const generated = prune({
    multitenancy_enabled: input.multitenancy,
    // Always on (every supported release has it): Tempo then also answers gRPC streaming on its HTTP port,
    // which Grafana's streaming needs; it costs nothing when no client streams.
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      http_listen_port: TempoPorts.HTTP,
      grpc_listen_port: TempoPorts.GRPC,
      log_level: input.logLevel,
      log_format: input.logFormat,
    },
    memberlist: input.ring.kind === 'memberlist'
      ? {
        join_members: [...input.ring.joinMembers],
        cluster_label: input.ring.clusterLabel,
        bind_port: TempoPorts.MEMBERLIST,
        abort_if_cluster_join_fails: false,
      }
      : undefined,
    distributor: {
      receivers: input.receivers.reduce<Record<string, unknown>>((acc, r) => deepMerge(acc, r.toConfig(input.tls?.receiver)), {}),
      ring: { kvstore },
    },
    // Tempo 3 has no ingester and no compactor (2.x key order kept: the output of 2.x is unchanged).
    ingester: tempo3 ? undefined : {
      lifecycler: {
        ring: { replication_factor: input.replicationFactor, kvstore, zone_awareness_enabled: input.ingesterZoneEnv ? true : undefined },
        tokens_file_path: TempoPaths.TOKENS_FILE,
        availability_zone: input.ingesterZoneEnv ? EnvReference.of(input.ingesterZoneEnv) : undefined,
      },
      flush_all_on_shutdown: input.flushOnShutdown,
      max_block_duration: input.ingesterMaxBlockDuration && goDuration(input.ingesterMaxBlockDuration),
    },
    querier: { frontend_worker: { frontend_address: input.frontendAddress ?? (singleBinary ? `127.0.0.1:${TempoPorts.GRPC}` : undefined) } },
    compactor: tempo3 ? undefined : {
      // A single binary is its own only compactor: no ring, so 2.6 skips the 1 min wait for a stable ring
      // (2.10 already treats an inmemory compactor ring as no ring).
      ring: singleBinary ? undefined : { kvstore },
      compaction: retention,
    },
    ...(tempo3 ? tempo3Sections(input, kvstore, singleBinary, retention) : {}),
    metrics_generator: gen ? metricsGeneratorSection(gen, kvstore, input.version) : undefined,
    storage: {
      trace: {
        backend: storage.backend,
        [storage.backend]: storage.backendConfig,
        wal: { path: TempoPaths.WAL_DIR },
      },
    },
    cache: input.caches?.length ? { caches: input.caches.map((c) => ({ ...c })) } : undefined,
    overrides: {
      defaults: defaultOverrides(input),
      per_tenant_override_config: TempoPaths.RUNTIME_OVERRIDES_FILE,
    },
  });
  const secured = input.tls?.internal ? deepMerge(generated, prune(input.tls.internal)) : generated;
  return input.extraConfig ? deepMerge(secured, input.extraConfig) : secured;
}

/**
 * Tempo 3's sections: live-store and partition rings, the backend workers (which own retention since the
 * compactor is gone) and, in microservices, Kafka and the block-builders' share of its partitions.
 * The single binary pushes in-process and needs no Kafka (`initLiveStore` in Tempo 3.0's modules.go).
 */
function tempo3Sections(input: TempoConfigInput, kvstore: { store: string }, singleBinary: boolean, retention: Record<string, unknown>): Record<string, unknown> {
  const kafka = input.kafka;
  return {
    ingest: kafka && {
      kafka: {
        address: kafka.address,
        topic: kafka.topic,
        // Tempo's default (create with 1000 partitions, set broker-wide) is never what a typed partition count means.
        auto_create_topic_enabled: kafka.autoCreatePartitions !== undefined,
        auto_create_topic_default_partitions: kafka.autoCreatePartitions,
        sasl_username: kafka.sasl?.username,
        sasl_password: kafka.sasl?.password,
      },
    },
    // Tempo's default paths, stated: every path the processes write is in the config (and on the data volume).
    live_store: {
      ring: { kvstore, instance_zone: input.liveStoreZoneEnv ? EnvReference.of(input.liveStoreZoneEnv) : undefined },
      partition_ring: { kvstore },
      wal: { path: `${TempoPaths.DATA_DIR}/live-store/traces` },
      shutdown_marker_dir: `${TempoPaths.DATA_DIR}/live-store/shutdown-marker`,
    },
    block_builder: kafka && { partitions_per_instance: kafka.partitionsPerBlockBuilder, wal: { path: `${TempoPaths.DATA_DIR}/block-builder/traces` } },
    backend_scheduler: { local_work_path: TempoPaths.DATA_DIR },
    backend_worker: {
      // The single binary's own scheduler (what Tempo picks with a warning when empty).
      backend_scheduler_addr: input.backendSchedulerAddress ?? (singleBinary ? `127.0.0.1:${TempoPorts.GRPC}` : undefined),
      ring: { kvstore },
      compaction: retention,
    },
  };
}

/**
 * `overrides.defaults`: the generator's processors, the default limits, then
 * `extraConfig.overrides.defaults` (per-tenant entries copy these defaults, so
 * a default set only in extraConfig would be lost for every named tenant).
 */
export function defaultOverrides(input: Pick<TempoConfigInput, 'version' | 'metricsGenerator' | 'defaultLimits' | 'extraConfig'>): Record<string, unknown> {
  const gen = input.metricsGenerator;
  const base = gen ? { metrics_generator: { processors: [...(gen.processors ?? defaultProcessors(input.version))] } } : {};
  const extra = isPlainObject(input.extraConfig?.overrides) ? input.extraConfig.overrides.defaults : undefined;
  return prune(deepMerge(deepMerge(base, input.defaultLimits ? tenantOverrides(input.defaultLimits) : {}), isPlainObject(extra) ? extra : undefined));
}

/**
 * The processors enabled when none are chosen: with local-blocks on 2.x (TraceQL metrics); Tempo 3 has no
 * local-blocks processor (its live-stores answer TraceQL metrics).
 */
export function defaultProcessors(version: TempoVersion): GeneratorProcessor[] {
  return [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS, ...(version.kafkaArchitecture ? [] : [GeneratorProcessor.LOCAL_BLOCKS])];
}

/** Whether the generator runs the `local-blocks` processor (and so needs its traces storage). */
export function runsLocalBlocks(gen: MetricsGeneratorSettings | undefined, version: TempoVersion): boolean {
  return gen !== undefined && (gen.processors ?? defaultProcessors(version)).includes(GeneratorProcessor.LOCAL_BLOCKS);
}

function localBlocksSection(o: LocalBlocksOptions): Record<string, unknown> {
  return {
    filter_server_spans: o.filterServerSpans ?? false,
    flush_to_storage: o.flushToStorage ?? true,
    max_live_traces: o.maxLiveTraces,
    complete_block_timeout: o.completeBlockTimeout && goDuration(o.completeBlockTimeout),
    max_block_duration: o.maxBlockDuration && goDuration(o.maxBlockDuration),
  };
}

function metricsGeneratorSection(gen: MetricsGeneratorSettings, kvstore: { store: string }, version: TempoVersion): Record<string, unknown> {
  const localBlocks = runsLocalBlocks(gen, version);
  return {
    ring: { kvstore },
    processor: {
      span_metrics: {
        dimensions: gen.spanMetricsDimensions && [...gen.spanMetricsDimensions],
        histogram_buckets: gen.spanMetricsHistogramBuckets && [...gen.spanMetricsHistogramBuckets],
      },
      service_graphs: {
        dimensions: gen.serviceGraphDimensions && [...gen.serviceGraphDimensions],
        histogram_buckets: gen.serviceGraphHistogramBuckets && [...gen.serviceGraphHistogramBuckets],
      },
      local_blocks: localBlocks ? localBlocksSection(gen.localBlocks ?? {}) : undefined,
    },
    // The local-blocks processor's WAL and blocks (traces_query_storage, 2.8+, is only for Kafka ingest).
    traces_storage: localBlocks ? { path: TempoPaths.GENERATOR_TRACES_DIR } : undefined,
    registry: { external_labels: { ...(gen.externalLabels ?? { source: 'tempo' }) } },
    storage: {
      path: TempoPaths.GENERATOR_WAL_DIR,
      remote_write: [{ url: gen.remoteWriteUrl, send_exemplars: gen.sendExemplars ?? true }],
    },
  };
}

/**
 * Renders a configuration to the YAML Tempo reads: EnvReferences become
 * `${NAME}`, other `$` are escaped, and the result is checked against the
 * key schema of the version.
 * @throws TempoConfigError naming every unknown key or wrong type by its path
 */
export function renderTempoConfig(doc: TempoConfigDocument, version: TempoVersion): string {
  return renderChecked(doc, version, 'config', 'tempo.yaml');
}

/** Per-tenant limits for the runtime overrides file, in Tempo's nested format (`ingestion`, `global`, ...). */
export type TenantOverrides = Record<string, unknown>;

/**
 * Renders the runtime overrides file (`overrides.yaml`), in the nested format
 * every Tempo version reads, checked against the overrides key schema.
 */
export function renderRuntimeOverrides(perTenant: Readonly<Record<string, TenantOverrides>>, version: TempoVersion): string {
  return renderChecked({ overrides: { ...perTenant } }, version, 'overrides', 'overrides.yaml');
}

function renderChecked(doc: Record<string, unknown>, version: TempoVersion, kind: 'config' | 'overrides', file: string): string {
  const resolved = resolveEnvReferences(doc);
  const violations = validateTempoSchema(resolved, version.schemaVersion, kind);
  if (violations.length > 0) {
    throw new TempoConfigError(`${file} is not valid for Tempo ${version.version}:\n${formatViolations(violations)}`);
  }
  return toYaml(resolved);
}

/** Environment variables a configuration expects (its EnvReferences). */
export function requiredEnvironment(doc: TempoConfigDocument): string[] {
  return collectEnvReferences(doc);
}

export { EnvReference };
