import * as api from '../lib';

/**
 * The package's runtime exports, pinned: adding or removing one is an API decision (CHANGELOG), never a side
 * effect of a new helper in some module. Types are checked by the compiler (test/package/consumer-test.mjs).
 */
const PUBLIC_VALUES = [
  'AlertSeverity', 'AzureStorage', 'CertManagerCertificate', 'TempoCertificate', 'TlsPaths', 'BackendScheduler', 'BackendWorker', 'BlockBuilder', 'ClaimRetention', 'Compactor',
  'DEFAULT_ARGOCD_NAMESPACE', 'DEFAULT_CACHE_ROLES', 'DEFAULT_SYNC_WAVES', 'DEFAULT_TRACES_TO_METRICS_QUERIES', 'DEFAULT_TRACE_ID_REGEX',
  'DeployedManifests', 'DerivedFieldMatcherType', 'DevKafka', 'DevMinio', 'Distributor', 'EXPORTER_SERIES', 'EXPORTER_SERIES_NAMES',
  'EnvReference', 'GcsStorage', 'GeneratorProcessor', 'INGRESS_NGINX_BACKEND_PROTOCOL', 'IN_CLUSTER_SERVER', 'Ingester',
  'IngressController', 'IngressTls', 'LiveStore', 'LocalStorage', 'LogFormat', 'LogLevel', 'MetricsGenerator', 'NetworkPeer',
  'OTLP_GRPC_SERVICE', 'OtelLanguage', 'OtelPropagator', 'OtelSampler', 'OtlpProtocol', 'Querier', 'QueryFrontend',
  'ROLLOUT_OPERATOR_IMAGE', 'RateStrategy', 'ReceiverProtocol', 'RolloutOperator', 'S3Storage', 'STORAGE_CHANGE_IMAGE',
  'STREAMING_GRPC_SERVICE', 'SYNC_WAVE_ANNOTATION', 'ServiceMapHistogramType', 'SizingTier', 'SpanKind', 'StorageBackend', 'StorageChange',
  'SyncWave', 'TEMPO_ALERT_IDS', 'TEMPO_DASHBOARD_TITLES', 'TEMPO_METRICS', 'TEMPO_RECORDED_SERIES', 'TEMPO_ROLES', 'TEMPO_SERIES_NAMES',
  'TempoAlerts', 'TempoArgoApplication', 'TempoArgoCdChart', 'TempoArgoProject', 'TempoCacheRole', 'TempoComponent', 'TempoConfigError',
  'TempoDashboard', 'TempoDashboards', 'TempoDatasource', 'TempoDistributed', 'TempoExposure', 'TempoGateway', 'TempoInstrumentation',
  'TempoJobs', 'TempoKafka', 'TempoMemcached', 'TempoMetricType', 'TempoMonolithic', 'TempoPorts', 'TempoReceiver', 'TempoRole',
  'TempoServiceMonitors', 'TempoSizing', 'TempoStorage', 'TempoVersion', 'TempoVolume', 'TempoVulture', 'VULTURE_SERIES', 'ZoneRollout', 'applySyncWaves',
  'buildTempoConfig', 'instrument', 'isTempoSeries', 'lokiDerivedFieldsJsonData', 'lokiTraceDerivedField', 'renderTempoConfig',
  'syncWaveOf', 'tracesToLogsFromLegacy', 'validateTempoSchema',
];

test('the runtime exports are exactly the deliberate public API', () => {
  expect(Object.keys(api).sort()).toEqual([...PUBLIC_VALUES].sort());
});

test('helpers and the old names are not public', () => {
  for (const name of ['Storage', 'TempoFoundation', 'TempoSharedResources', 'TempoNetworkPolicies', 'isPlainObject', 'requireText', 'storageBinding',
    'podScheduling', 'receiverErrors', 'chartFolder', 'defaultReceivers', 'tenantLimitsErrors', 'componentErrors']) {
    expect(Object.keys(api)).not.toContain(name);
  }
});

test('the storage factory cannot be confused with the DOM/Node Storage global', () => {
  for (const factory of ['s3', 'gcs', 'azure', 'local'] as const) expect(typeof api.TempoStorage[factory]).toBe('function');
  expect(api.TempoStorage.local()).toBeInstanceOf(api.TempoStorage);
  expect(api.TempoStorage.s3({ bucket: 'b', region: 'eu-west-1' })).toBeInstanceOf(api.S3Storage);
});
