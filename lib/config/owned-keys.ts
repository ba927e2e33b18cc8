import { EnvReference, isPlainObject } from './env-reference';

/** What `extraConfig` is checked against besides the table: the typed values it may repeat. */
export interface ExtraConfigContext {
  /** `metricsGenerator.remoteWriteUrl`, when the metrics-generator runs. */
  readonly remoteWriteUrl?: string;
}

/** One tempo.yaml key the library derives, and the typed option that sets it. */
export interface OwnedConfigKey {
  /** Dotted key path in tempo.yaml; the key and everything below it are owned. */
  readonly path: string;
  /** The typed option to use instead, or why there is none. */
  readonly owner: string;
  /** What setting it in extraConfig would silently break. */
  readonly breaks?: string;
  /** Accepts a value that keeps the wiring intact (e.g. remote-write entries for the typed URL). */
  readonly allows?: (value: unknown, context: ExtraConfigContext) => boolean;
}

const RING_KVSTORE = 'none: the library wires every ring to memberlist (in memory in the single binary)';
const STORAGE = 'storage (TempoStorage.s3/gcs/azure/local; credentials from a Secret through their typed options)';
const TRACE_STORAGE_KEYS = {
  s3: ['bucket', 'endpoint', 'region', 'insecure', 'forcepathstyle', 'access_key', 'secret_key', 'session_token'],
  gcs: ['bucket_name'],
  azure: ['container_name', 'storage_account_name', 'storage_account_key', 'use_federated_token', 'use_managed_identity', 'endpoint_suffix'],
  local: ['path'],
};
// The local-blocks keys with a typed option (metricsGenerator.localBlocks.*).
const LOCAL_BLOCKS_KEYS = {
  filter_server_spans: 'filterServerSpans',
  flush_to_storage: 'flushToStorage',
  max_live_traces: 'maxLiveTraces',
  complete_block_timeout: 'completeBlockTimeout',
  max_block_duration: 'maxBlockDuration',
};
const LIMIT_KEYS = [
  'ingestion.rate_limit_bytes', 'ingestion.burst_size_bytes', 'ingestion.rate_strategy', 'ingestion.max_traces_per_user',
  'global.max_bytes_per_trace', 'compaction.block_retention', 'read.max_search_duration',
];

/**
 * The one place that says which tempo.yaml keys the library derives (ports,
 * ring wiring, storage, receivers, derived addresses) and which typed option
 * owns each. `extraConfig` may set anything else.
 */
export const OWNED_CONFIG_KEYS: readonly OwnedConfigKey[] = [
  { path: 'multitenancy_enabled', owner: 'multitenancy', breaks: 'the gateway and the Grafana data source follow the typed option' },
  { path: 'stream_over_http_enabled', owner: 'none: always on, so Grafana\'s streaming (TempoDatasource streaming) and the gateway\'s gRPC streaming route work' },
  { path: 'http_api_prefix', owner: 'none: probes, the gateway and Grafana use Tempo\'s default paths' },
  { path: 'server.http_listen_port', owner: 'none: fixed at 3200', breaks: 'container ports, Services, probes and NetworkPolicies use 3200' },
  { path: 'server.grpc_listen_port', owner: 'none: fixed at 9095', breaks: 'container ports, Services, the queriers\' frontend address and NetworkPolicies use 9095' },
  { path: 'server.http_listen_address', owner: 'none: Tempo listens on every interface', breaks: 'Services and probes reach the pod IP' },
  { path: 'server.grpc_listen_address', owner: 'none: Tempo listens on every interface', breaks: 'Services reach the pod IP' },
  { path: 'server.http_listen_network', owner: 'none: Tempo listens on TCP' },
  { path: 'server.grpc_listen_network', owner: 'none: Tempo listens on TCP' },
  { path: 'server.http_path_prefix', owner: 'none: probes, the gateway and Grafana use Tempo\'s default paths' },
  { path: 'server.http_tls_config', owner: 'none: probes and the other components speak plain HTTP' },
  { path: 'server.grpc_tls_config', owner: 'tls.internal', breaks: 'the gRPC clients, the mounted Secret and the Certificate follow the typed option' },
  ...['tls_enabled', 'tls_cert_path', 'tls_key_path', 'tls_ca_path', 'tls_server_name'].flatMap((key) => [
    'memberlist', 'ingester_client.grpc_client_config', 'metrics_generator_client.grpc_client_config', 'querier.frontend_worker.grpc_client_config',
    'live_store_client.grpc_client_config', 'backend_scheduler_client.grpc_client_config',
  ].map((section) => ({ path: `${section}.${key}`, owner: 'tls.internal', breaks: 'server and clients must agree on TLS, and the certificate is mounted only with the typed option' }))),
  { path: 'server.log_level', owner: 'logLevel' },
  { path: 'server.log_format', owner: 'logFormat' },
  { path: 'memberlist.join_members', owner: 'none: derived from the gossip ring Service', breaks: 'ring members would not find each other' },
  { path: 'memberlist.bind_port', owner: 'none: fixed at 7946', breaks: 'the gossip Service and NetworkPolicies use 7946' },
  { path: 'memberlist.cluster_label', owner: 'clusterLabel' },
  {
    path: 'distributor.receivers',
    owner: 'receivers (TempoReceiver.otlpGrpc({ port, settings }), ...)',
    breaks: 'receivers set here get no container port, Service port, NetworkPolicy rule or 0.0.0.0 endpoint',
  },
  { path: 'distributor.ring.kvstore', owner: RING_KVSTORE },
  { path: 'ingester.lifecycler.ring.kvstore', owner: RING_KVSTORE },
  { path: 'compactor.ring.kvstore', owner: RING_KVSTORE },
  { path: 'metrics_generator.ring.kvstore', owner: RING_KVSTORE },
  {
    path: 'ingester.lifecycler.ring.replication_factor',
    owner: 'ingester.replicationFactor',
    breaks: 'the replication factor is checked against ingester.replicas and zones, and sets the ingesters\' disruption budget',
  },
  { path: 'ingester.lifecycler.ring.zone_awareness_enabled', owner: 'ingester.zones' },
  { path: 'ingester.lifecycler.availability_zone', owner: 'ingester.zones' },
  { path: 'ingester.lifecycler.tokens_file_path', owner: 'none: kept on the ingester\'s volume' },
  { path: 'ingester.max_block_duration', owner: 'ingester.maxBlockDuration', breaks: 'the retention is checked against it' },
  { path: 'ingester.flush_all_on_shutdown', owner: 'ingester.flushOnShutdown' },
  { path: 'querier.frontend_worker.frontend_address', owner: 'none: derived from the query-frontend discovery Service' },
  { path: 'compactor.compaction.block_retention', owner: 'compactor.retention (TempoMonolithic: retention)', breaks: 'the block duration and the alerts are checked against it' },
  { path: 'metrics_generator.storage.path', owner: 'none: on the data volume' },
  {
    path: 'metrics_generator.storage.remote_write',
    owner: 'metricsGenerator.remoteWriteUrl and sendExemplars',
    breaks: 'NetworkPolicy egress opens the typed URL only; entries whose url is metricsGenerator.remoteWriteUrl may add basic_auth or headers with EnvReference values',
    allows: (value, context) => context.remoteWriteUrl !== undefined && Array.isArray(value) && value.length > 0
      && value.every((entry) => isPlainObject(entry) && entry.url === context.remoteWriteUrl),
  },
  { path: 'metrics_generator.traces_storage.path', owner: 'none: on the generator\'s volume' },
  ...Object.entries(LOCAL_BLOCKS_KEYS).map(([key, option]) => ({ path: `metrics_generator.processor.local_blocks.${key}`, owner: `metricsGenerator.localBlocks.${option}` })),
  { path: 'metrics_generator.processor.span_metrics.dimensions', owner: 'metricsGenerator.spanMetricsDimensions' },
  { path: 'metrics_generator.processor.span_metrics.histogram_buckets', owner: 'metricsGenerator.spanMetricsHistogramBuckets' },
  { path: 'metrics_generator.processor.service_graphs.dimensions', owner: 'metricsGenerator.serviceGraphDimensions' },
  { path: 'metrics_generator.processor.service_graphs.histogram_buckets', owner: 'metricsGenerator.serviceGraphHistogramBuckets' },
  { path: 'metrics_generator.registry.external_labels', owner: 'metricsGenerator.externalLabels' },
  { path: 'storage.trace.backend', owner: STORAGE },
  ...Object.entries(TRACE_STORAGE_KEYS).flatMap(([backend, keys]) => keys.map((key) => ({ path: `storage.trace.${backend}.${key}`, owner: STORAGE }))),
  { path: 'storage.trace.wal.path', owner: 'none: on the data volume' },
  { path: 'cache.caches', owner: 'cache (TempoDistributed)', breaks: 'NetworkPolicies open egress to the library\'s memcached only' },
  { path: 'overrides.per_tenant_override_config', owner: 'tenants (the runtime overrides ConfigMap)' },
  // Tempo 3.x
  ...['address', 'topic', 'sasl_username', 'sasl_password', 'auto_create_topic_enabled', 'auto_create_topic_default_partitions']
    .map((key) => ({ path: `ingest.kafka.${key}`, owner: 'ingest.kafka (address, topic, partitions, sasl from a Secret, autoCreateTopic)', breaks: 'NetworkPolicy egress, the block-builders\' partitions and the credentials\' Secret follow the typed option' })),
  { path: 'live_store.ring.kvstore', owner: RING_KVSTORE },
  { path: 'live_store.partition_ring.kvstore', owner: RING_KVSTORE },
  { path: 'backend_worker.ring.kvstore', owner: RING_KVSTORE },
  { path: 'live_store.ring.instance_zone', owner: 'liveStore.zones' },
  { path: 'block_builder.partitions_per_instance', owner: 'blockBuilder.replicas and ingest.kafka.partitions', breaks: 'the replicas are checked against the partitions so every partition is written to storage' },
  { path: 'block_builder.assigned_partitions', owner: 'blockBuilder.replicas and ingest.kafka.partitions', breaks: 'the replicas are checked against the partitions so every partition is written to storage' },
  { path: 'backend_worker.backend_scheduler_addr', owner: 'none: derived from the backend scheduler Service' },
  { path: 'backend_worker.compaction.block_retention', owner: 'backendWorker.retention (TempoMonolithic: retention)' },
  { path: 'overrides.defaults.metrics_generator.processors', owner: 'metricsGenerator.processors' },
  ...LIMIT_KEYS.map((key) => ({ path: `overrides.defaults.${key}`, owner: 'limits (TenantLimits)' })),
];

// Keys whose string value is a credential wherever they appear (Tempo's schema: passwords, tokens, keys);
// camelCase keys (Grafana's jsonData) are compared in snake_case.
const CREDENTIAL_KEY = /(^|_)(password|secret|secrets|token|credentials|api_key|apikey|key_pem)$|^(access_key|secret_key|storage_account_key|encryption_key|client_certificate_key)$/;
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token)$/i;

/**
 * Errors for literal credentials inside a value that will be written to a
 * ConfigMap (or other plain object): credential-named keys with a non-empty
 * string, credential headers, and URLs with `user:password@`. `advice` says
 * what to use instead. EnvReference values pass.
 */
export function literalCredentialErrors(option: string, value: unknown, advice: string, skip: (path: string) => boolean = () => false): string[] {
  const errors: string[] = [];
  walk(value, [], (path, text) => {
    const dotted = path.join('.').replace(/\.\[/g, '[');
    if (skip(dotted)) return;
    const at = dotted ? `${option}.${dotted}` : option;
    const names = path.filter((p) => !/^\[\d+\]$/.test(p)).map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
    const key = names[names.length - 1] ?? '';
    const header = names.indexOf('http_headers');
    if (CREDENTIAL_KEY.test(key) || (key === 'key' && /(^|_)tls(_config)?$/.test(names[names.length - 2] ?? '')) || (header >= 0 && CREDENTIAL_HEADER.test(path.filter((p) => !/^\[\d+\]$/.test(p))[header + 1] ?? ''))) {
      errors.push(`${at}: a literal credential would be written to a ConfigMap; allowed: ${advice}`);
    } else {
      errors.push(...urlCredentialErrors(at, text));
    }
  });
  return errors;
}

/** An error if a URL carries credentials (`user:password@`, or any user part of an http(s) URL): they would be stored in plain text. */
export function urlCredentialErrors(option: string, url: string): string[] {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/@\s]+)@/i.exec(url);
  if (!m || (!/^https?$/i.test(m[1]) && !m[2].includes(':'))) return [];
  return [`${option}: the URL holds credentials (user:password@), which would be stored in plain text; allowed: a URL without them`];
}

/** What to use instead of a literal credential in tempo.yaml. */
export const TEMPO_CREDENTIAL_ADVICE = "EnvReference.of('NAME') with NAME from a Secret (the component's env: EnvValue.fromSecretValue(...)), "
  + 'or the typed option where one exists (storage credentials: TempoStorage.s3({ credentials }), azure({ accountKey }), gcs({ serviceAccountKey }))';

function describe(entry: OwnedConfigKey): string {
  return entry.owner.startsWith('none:') ? `it is not configurable (${entry.owner.slice(6)})` : `use ${entry.owner}`;
}

/**
 * Errors for `extraConfig` keys that would silently break what the library
 * derives (the table above), and for literal credentials, which would land
 * in the tempo.yaml ConfigMap. EnvReference values pass.
 */
export function extraConfigErrors(option: string, extraConfig: Record<string, unknown> | undefined, context: ExtraConfigContext = {}): string[] {
  if (extraConfig === undefined) return [];
  if (!isPlainObject(extraConfig)) return [`${option}: must be a mapping of tempo.yaml keys`];
  const errors: string[] = [];
  const owned: string[] = [];
  for (const entry of OWNED_CONFIG_KEYS) {
    const hit = ownedValue(extraConfig, entry.path.split('.'));
    if (!hit.set || entry.allows?.(hit.value, context)) continue;
    if (owned.includes(hit.at!)) continue; // a parent replaced by a non-mapping: reported once
    owned.push(hit.at!);
    errors.push(`${option}.${hit.at}: the library sets ${entry.path}${entry.breaks ? ` (${entry.breaks})` : ''}; ${describe(entry)}`);
  }
  const isOwned = (p: string) => owned.some((o) => p === o || p.startsWith(`${o}.`) || p.startsWith(`${o}[`));
  errors.push(...literalCredentialErrors(option, extraConfig, TEMPO_CREDENTIAL_ADVICE, isOwned));
  return errors;
}

/** Whether extraConfig sets `path` (or replaces one of its parents by something that is no mapping). */
function ownedValue(config: Record<string, unknown>, path: readonly string[]): { set: boolean; value?: unknown; at?: string } {
  let node: unknown = config;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(node)) return { set: false };
    const value = node[path[i]];
    if (value === undefined) return { set: false };
    const at = path.slice(0, i + 1).join('.');
    if (i === path.length - 1) return { set: true, value, at };
    if (!isPlainObject(value)) return { set: true, value, at };
    node = value;
  }
  return { set: false };
}

/** Calls `visit` for every non-empty literal string (EnvReferences are placeholders, not credentials). */
function walk(value: unknown, path: string[], visit: (path: string[], value: string) => void): void {
  if (value instanceof EnvReference) return;
  if (typeof value === 'string') {
    if (value !== '') visit(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, `[${i}]`], visit));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
  }
}
