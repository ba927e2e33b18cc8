/*
 * The public API of cdk8s-tempo, by name. Everything else under lib/ is internal (validation helpers, the
 * assembly path of lib/tempo-stack.ts, the naming module, the workload builder, resolved-option types) and
 * may change in any release. Adding a name here is a deliberate API decision: list it in the CHANGELOG.
 */

// Deployments
export { TempoDistributed } from './tempo-distributed';
export type { TempoCacheProps, TempoDistributedGatewayProps, TempoDistributedProps } from './tempo-distributed';
export { TempoMonolithic } from './tempo-monolithic';
export type { TempoMonolithicProps } from './tempo-monolithic';
export type { TempoCommonProps, TempoServiceAccountOptions } from './common-props';
export { TempoVolume } from './k8s/customization';
export type {
  ITempoCustomizable, TempoContainerPort, TempoCustomizableWorkload, TempoContainerSecurity, TempoEnvFrom, TempoExtraContainer, TempoServiceOptions, TempoServiceType,
  TempoVolumeMount, TempoVolumeOptions, TempoWorkloadCustomizationProps,
} from './k8s/customization';
export { TempoVersion } from './version';
export type { ITempoInstance, TempoExporterTarget, TempoIngestEndpoint, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
export { TempoSizing, SizingTier } from './sizing';
export type { DistributedSizing, MonolithicSizing, TrafficEstimate } from './sizing';

// Components (the workloads a TempoDistributed exposes, and their options)
export { TempoComponent } from './components/component';
export type { AutoscalableComponentProps, ComponentAutoscaling, TempoAutoscalingBehavior, TempoComponentProps, TempoScalingPolicy, TempoScalingRules } from './components/component';
export { Distributor } from './components/distributor';
export type { DistributorProps } from './components/distributor';
export { Ingester } from './components/ingester';
export type { IngesterProps } from './components/ingester';
export { Querier } from './components/querier';
export type { QuerierProps } from './components/querier';
export { QueryFrontend } from './components/query-frontend';
export type { QueryFrontendProps } from './components/query-frontend';
export { Compactor } from './components/compactor';
export type { CompactorProps } from './components/compactor';
export { MetricsGenerator } from './components/metrics-generator';
export type { MetricsGeneratorProps } from './components/metrics-generator';
// Tempo 3.x components
export { LiveStore } from './components/live-store';
export type { LiveStoreProps } from './components/live-store';
export { BlockBuilder } from './components/block-builder';
export type { BlockBuilderProps } from './components/block-builder';
export { BackendScheduler } from './components/backend-scheduler';
export type { BackendSchedulerProps } from './components/backend-scheduler';
export { BackendWorker } from './components/backend-worker';
export type { BackendWorkerProps } from './components/backend-worker';
export type { PodSchedulingProps } from './k8s/scheduling';

// Storage
export { StorageBackend, TempoStorage } from './storage/storage';
export type { SecretEnvVar, SecretFile, StorageBinding, StorageEgress } from './storage/storage';
export { S3Storage } from './storage/s3';
export type { S3CredentialsSecret, S3StorageProps } from './storage/s3';
export { GcsStorage } from './storage/gcs';
export type { GcsStorageProps } from './storage/gcs';
export { AzureStorage } from './storage/azure';
export type { AzureStorageProps } from './storage/azure';
export { LocalStorage } from './storage/local';
export type { LocalStorageProps } from './storage/local';

// Configuration
export { EnvReference } from './config/env-reference';
export { TempoPorts } from './config/paths';
export { ReceiverProtocol, TempoReceiver } from './config/receivers';
export type { ReceiverOptions } from './config/receivers';
export { buildTempoConfig, GeneratorProcessor, LogFormat, LogLevel, renderTempoConfig, TempoConfigError } from './config/tempo-config';
export type { KafkaIngestSettings, LocalBlocksOptions, MetricsGeneratorSettings, RingDiscovery, TempoConfigDocument, TempoConfigInput } from './config/tempo-config';
export { validateTempoSchema } from './config/schema-validation';
export type { SchemaViolation, TempoSchemaKind, TempoSchemaVersion } from './config/schema-validation';
export { RateStrategy } from './config/tenant-limits';
export type { TenantLimits } from './config/tenant-limits';

// Cache, gateway, development storage
export { DEFAULT_CACHE_ROLES, TempoCacheRole, TempoMemcached } from './cache/memcached';
export type { TempoMemcachedCacheEntry, TempoMemcachedClientConfig, TempoMemcachedProps } from './cache/memcached';
export { TempoGateway } from './gateway/gateway';
export type { TempoGatewayBasicAuth, TempoGatewayProps, TempoGatewayRoute, TempoGatewayTenantHeader } from './gateway/gateway';
export { DevMinio } from './dev/minio';
export type { DevMinioProps } from './dev/minio';

// Tempo 3's Kafka (ingest path)
export { TempoKafka } from './ingest/kafka';
export type { KafkaSaslSecret, StrimziKafkaProps, TempoIngestProps, TempoKafkaProps } from './ingest/kafka';
export { DevKafka } from './dev/kafka';
export type { DevKafkaProps } from './dev/kafka';

// TLS (receivers, mutual TLS between components, cert-manager Certificates)
export { TempoCertificate, TlsPaths } from './tls/tls';
export type { CertManagerCertificateOptions, CertManagerIssuer, TempoInternalTlsOptions, TempoReceiverTlsOptions, TempoTlsOptions, TlsSecretKeys } from './tls/tls';
export { CertManagerCertificate } from './tls/certificate';
export type { CertManagerCertificateProps } from './tls/certificate';

// Network
export { NetworkPeer } from './network/network-peer';
export type { TempoNetworkPolicyOptions } from './network/tempo-network-policies';
export { INGRESS_NGINX_BACKEND_PROTOCOL, IngressController, IngressTls } from './exposure/controllers';
export type { CertManagerIngressOptions, IngressControllerProps, IngressGrpcSupport, IngressNginxOptions } from './exposure/controllers';
export { OTLP_GRPC_SERVICE, STREAMING_GRPC_SERVICE, TempoExposure } from './exposure/exposure';
export type { ExposureRoute, GatewayParentRef, TempoExposureProps, TempoGatewayApiOptions, TempoIngressOptions } from './exposure/exposure';
export { instrument, OtlpProtocol } from './instrument';
export { OtelLanguage, OtelPropagator, OtelSampler, TempoInstrumentation } from './otel-instrumentation';
export type { TempoInstrumentationProps } from './otel-instrumentation';
export type { InstrumentableWorkload, InstrumentCredentials, InstrumentOptions } from './instrument';

// Prometheus
export { TempoServiceMonitors } from './monitoring/service-monitors';
export type { TempoServiceMonitorsProps } from './monitoring/service-monitors';
export { AlertSeverity, SpanKind, TEMPO_ALERT_IDS, TEMPO_RECORDED_SERIES, TempoAlerts } from './monitoring/tempo-alerts';
export type { AlertTuning, RenderedRule, RenderedRuleGroup, TempoAlertsProps, TempoCustomAlert, TraceAlertsOptions } from './monitoring/tempo-alerts';
export { TEMPO_ROLES, TempoJobs, TempoRole } from './monitoring/targets';
export { isTempoSeries, TEMPO_METRICS, TEMPO_SERIES_NAMES, TempoMetricType } from './monitoring/tempo-metrics';
export { EXPORTER_SERIES, EXPORTER_SERIES_NAMES } from './monitoring/exporter-metrics';
export type { TempoMetric } from './monitoring/tempo-metrics';

// Grafana
export type { GrafanaOperatorOptions, GrafanaSidecarOptions } from './grafana/common';
export { DEFAULT_TRACES_TO_METRICS_QUERIES, ServiceMapHistogramType, TempoDatasource, tracesToLogsFromLegacy } from './grafana/tempo-datasource';
export type {
  LegacyTracesToLogs, ServiceMapOptions, SpanTag, SpanTagMapping, TempoDatasourceProps, TempoSearchOptions, TempoStreamingOptions,
  TraceqlSearchFilter, TraceQueryTimeShiftOptions, TracesToLogsOptions, TracesToMetricsOptions, TraceToMetricsQuery,
} from './grafana/tempo-datasource';
export { TEMPO_DASHBOARD_TITLES, TempoDashboard, TempoDashboards } from './grafana/tempo-dashboards';
export type { TempoDashboardsProps } from './grafana/tempo-dashboards';
export { DEFAULT_TRACE_ID_REGEX, DerivedFieldMatcherType, lokiDerivedFieldsJsonData, lokiTraceDerivedField } from './grafana/loki-derived-fields';
export type { LokiDerivedField, LokiTraceDerivedFieldOptions } from './grafana/loki-derived-fields';

// Safe stateful changes: claim template changes against the deployed manifests, PVC retention
export { ClaimRetention, STORAGE_CHANGE_IMAGE, StorageChange } from './stateful/storage-change';
export type { ClaimRetentionPolicy, StatefulStorageProps, StorageChangeOptions } from './stateful/storage-change';
export { DeployedManifests } from './stateful/deployed-manifests';
export { ROLLOUT_OPERATOR_IMAGE, RolloutOperator, ZoneRollout } from './stateful/zone-rollout';
export type { RolloutOperatorProps, ZoneRolloutOptions } from './stateful/zone-rollout';
export type { ClaimTemplateSummary, DeployedStatefulSet } from './stateful/deployed-manifests';

// Argo CD (typed Application/AppProject bindings in imports/, generated from the Argo CD v3.5.1 CRDs
// with scripts/import-argocd-crds.sh)
export { DEFAULT_ARGOCD_NAMESPACE, IN_CLUSTER_SERVER, TempoArgoApplication, TempoArgoProject } from './argocd/application';
export type {
  ArgoAutomatedSync, ArgoDestination, ArgoResourceKind, ArgoSyncRetry, TempoArgoApplicationOptions, TempoArgoApplicationProps,
  TempoArgoProjectOptions, TempoArgoProjectProps,
} from './argocd/application';
export { TempoArgoCdChart } from './argocd/chart';
export type { TempoArgoCdChartProps } from './argocd/chart';
export { applySyncWaves, DEFAULT_SYNC_WAVES, SYNC_WAVE_ANNOTATION, SyncWave, syncWaveOf } from './argocd/sync-waves';
export type { SyncWaveOptions } from './argocd/sync-waves';

// Tempo Vulture (synthetic write/read probe)
export { TempoVulture, VULTURE_SERIES } from './vulture/tempo-vulture';
export type { TempoVultureProps } from './vulture/tempo-vulture';
