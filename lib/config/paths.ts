/** Where Tempo's files live inside every Tempo container. Shared by the config and the pod specs. */
export const TempoPaths = {
  /** Directory of the main configuration ConfigMap. */
  CONFIG_DIR: '/conf',
  /** The main configuration file. */
  CONFIG_FILE: '/conf/tempo.yaml',
  /** Directory of the runtime (per-tenant) overrides ConfigMap. */
  RUNTIME_CONFIG_DIR: '/runtime-config',
  /** The runtime overrides file Tempo reloads periodically. */
  RUNTIME_OVERRIDES_FILE: '/runtime-config/overrides.yaml',
  /** The writable data volume. */
  DATA_DIR: '/var/tempo',
  /** Write-ahead log of ingesters (and the single binary). */
  WAL_DIR: '/var/tempo/wal',
  /** Ring tokens of an ingester, kept across restarts on its volume. */
  TOKENS_FILE: '/var/tempo/tokens.json',
  /** Write-ahead log of the metrics-generator's remote write. */
  GENERATOR_WAL_DIR: '/var/tempo/generator/wal',
  /** WAL and blocks of the metrics-generator's local-blocks processor (`metrics_generator.traces_storage`). */
  GENERATOR_TRACES_DIR: '/var/tempo/generator/traces',
} as const;

/** Tempo's own listening ports. */
export const TempoPorts = {
  HTTP: 3200,
  GRPC: 9095,
  MEMBERLIST: 7946,
} as const;
