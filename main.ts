import { App, Chart, ChartProps, Duration, Size, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeDeployment } from './imports/k8s';
import { Cpu, EnvValue } from 'cdk8s-plus-28';
import {
  ClaimRetention, DeployedManifests, instrument, DevKafka, DevMinio, GeneratorProcessor, IngressController, IngressTls, RateStrategy, TempoAlerts, TempoDashboards, TempoDatasource, TempoDistributed, TempoMonolithic,
  TempoCertificate, TempoReceiver, TempoServiceMonitors, TempoStorage, TempoVersion, TempoVolume, TempoVulture, TempoArgoCdChart,
} from './lib';

/**
 * The reference deployment of seed 001: Tempo 2.6.1 in microservices mode in
 * namespace `monitoring`, traces in MinIO, OTLP/Jaeger/Zipkin receivers, and
 * span metrics plus service graphs remote-written to Prometheus.
 */
export class TempoDistributedChart extends Chart {
  public readonly tempo: TempoDistributed;

  constructor(scope: Construct, id: string, props: ChartProps = {}, version = TempoVersion.V2_6_1) {
    super(scope, id, { namespace: 'monitoring', ...props });
    this.tempo = new TempoDistributed(this, 'Tempo', {
      version,
      storage: TempoStorage.s3({
        bucket: 'tempo-traces',
        endpoint: 'minio:9000',
        insecure: true,
        forcePathStyle: true,
        credentials: { secretName: 'minio-credentials', accessKeyIdKey: 'rootUser', secretAccessKeyKey: 'rootPassword' },
      }),
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.zipkin()],
      compactor: { retention: Duration.days(30) },
      metricsGenerator: {
        remoteWriteUrl: 'http://prometheus:9090/api/v1/write',
        // local-blocks: TraceQL metrics and Grafana's Traces Drilldown (the generator becomes a StatefulSet).
        processors: [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS, GeneratorProcessor.LOCAL_BLOCKS],
        spanMetricsDimensions: ['http.method', 'http.status_code', 'service.version'],
        spanMetricsHistogramBuckets: [0.1, 0.5, 1.0, 2.5, 5.0, 10.0],
        serviceGraphDimensions: ['http.method', 'http.status_code'],
      },
    });

    // Seed 001 "Integration": the Grafana data source (trace to Loki logs by trace id, trace to metrics
    // and service map on Prometheus), ServiceMonitors relabelled for Tempo's mixin, alerts, dashboards.
    addIntegration(this, this.tempo);
  }
}

/**
 * The reference deployment of seed 000: Tempo as a single binary in its own
 * namespace, blocks on a 5Gi `local-path` volume, 24h retention, the seed's
 * resources, no multi-tenancy, and a Service named `tempo` so that
 * `http://tempo:3200` (Grafana) and `http://tempo:4317` (OTLP) work.
 */
export class TempoMonolithicChart extends Chart {
  public readonly tempo: TempoMonolithic;

  constructor(scope: Construct, id: string, props: ChartProps = {}, version = TempoVersion.V2_6_1) {
    super(scope, id, { namespace: 'tracing', ...props });
    this.tempo = new TempoMonolithic(this, 'Tempo', {
      version,
      serviceName: 'tempo',
      storage: TempoStorage.local({ path: '/var/tempo/traces' }),
      retention: Duration.hours(24),
      storageSize: Size.gibibytes(5),
      storageClassName: 'local-path',
      multitenancy: false,
      resources: { cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerThriftCompact()],
      // The seed's service map and latency dashboards read span metrics and service graphs.
      metricsGenerator: { remoteWriteUrl: 'http://prometheus.monitoring.svc:9090/api/v1/write' },
    });

    // Seed 000's Grafana data source (trace to logs with its tags, trace to metrics with service.name -> service,
    // service map), scraping, alerts (incl. its HighTraceLatency) and the service map / latency dashboards.
    // Same data source and dashboard uids as the distributed deployment: the two are alternatives for one Grafana.
    const datasource = new TempoDatasource(this, 'GrafanaDatasource', {
      instance: this.tempo,
      tracesToLogs: { datasourceUid: 'loki', tags: ['job', 'instance', 'pod', 'namespace'] },
      tracesToMetrics: { datasourceUid: 'prometheus', tags: [{ key: 'service.name', value: 'service' }] },
      serviceMap: { datasourceUid: 'prometheus' },
    });
    new TempoServiceMonitors(this, 'ServiceMonitors', { instance: this.tempo });
    new TempoAlerts(this, 'Alerts', { instance: this.tempo });
    new TempoDashboards(this, 'Dashboards', { instance: this.tempo, tempoDatasourceUid: datasource.uid, prometheusDatasourceUid: 'prometheus' });
  }
}

/** The production example's two tenants. */
export const PRODUCTION_TENANTS = ['team-checkout', 'team-search'] as const;

/**
 * Production-style example on Tempo 2.10.8 (not from a seed) in namespace `tracing-prod`: ingesters in three
 * zones, memcached, an nginx gateway with basic auth (htpasswd in the Secret `tempo-gateway-htpasswd`) that
 * derives the tenant from the user, two tenants with their own limits, autoscaled distributors and queriers,
 * the metrics-generator with local-blocks (TraceQL metrics, Traces Drilldown), streaming data sources, Azure Blob Storage
 * with the account key from the Secret `tempo-azure-credentials`, NetworkPolicies, scraping, alerts, dashboards and a
 * Tempo Vulture (tenant `vulture`). The ingester zones roll one at a time (the rollout-operator, by default), a
 * changed ingester volume is checked against the committed manifests, and scaled-down ingesters' claims are deleted.
 * It is exposed at tempo.example.com through ingress-nginx with a cert-manager certificate (query API, OTLP HTTP and
 * Zipkin on one Ingress; TraceQL streaming and OTLP gRPC on a gRPC Ingress; the gateway's NetworkPolicy opens its
 * ports to the controller's pods).
 * Images come through the mirror `registry.example.com/hub` with the pull Secret `registry-example-pull`, the
 * ServiceAccount carries an owner annotation, and every Tempo component trusts the corporate CA from the Secret
 * `corporate-ca` (mounted by a mutator, added to Go's `SSL_CERT_DIR`), e.g. for a TLS-inspecting egress proxy.
 * `storage` replaces the Azure account (e.g. an emulator in tests).
 */
export class TempoProductionChart extends Chart {
  public readonly tempo: TempoDistributed;
  public readonly vulture: TempoVulture;

  constructor(scope: Construct, id: string, props: ChartProps = {}, storage?: TempoStorage) {
    super(scope, id, { namespace: 'tracing-prod', ...props });
    const [checkout, search] = PRODUCTION_TENANTS;
    this.tempo = new TempoDistributed(this, 'Tempo', {
      version: TempoVersion.V2_10_8,
      storage: storage ?? TempoStorage.azure({
        containerName: 'tempo-traces',
        storageAccountName: 'tempoprodtraces',
        accountKey: { secretName: 'tempo-azure-credentials', key: 'accountKey' },
      }),
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.zipkin()],
      multitenancy: true,
      limits: { ingestionRateLimit: Size.mebibytes(15), ingestionBurstSize: Size.mebibytes(30), maxBytesPerTrace: Size.mebibytes(5) },
      tenants: {
        [checkout]: { ingestionRateLimit: Size.mebibytes(40), ingestionBurstSize: Size.mebibytes(80), maxTracesPerUser: 100_000, retention: Duration.days(30) },
        [search]: { ingestionRateLimit: Size.mebibytes(10), rateStrategy: RateStrategy.GLOBAL, maxSearchDuration: Duration.days(7), retention: Duration.days(7) },
      },
      distributor: { autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 } },
      querier: { autoscaling: { minReplicas: 2, maxReplicas: 8, targetCpuUtilization: 70 } },
      queryFrontend: { replicas: 2 },
      ingester: {
        replicas: 3,
        zones: ['zone-a', 'zone-b', 'zone-c'],
        storageSize: Size.gibibytes(50),
        // Scaling down flushes the removed ingesters (flushOnShutdown), so their claims can go.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      },
      compactor: { retention: Duration.days(14) },
      metricsGenerator: {
        remoteWriteUrl: 'http://prometheus.monitoring.svc:9090/api/v1/write',
        processors: [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS, GeneratorProcessor.LOCAL_BLOCKS],
        spanMetricsDimensions: ['http.method', 'http.status_code'],
        // TraceQL metrics / Traces Drilldown: every span kept, an hour on the generators' volumes, older blocks in Azure.
        localBlocks: { filterServerSpans: false, flushToStorage: true, maxLiveTraces: 100_000, completeBlockTimeout: Duration.hours(1) },
        storageSize: Size.gibibytes(20),
      },
      // Exporter sidecars on memcached and the gateway: TempoServiceMonitors scrapes them too.
      cache: { exporter: true },
      gateway: { replicas: 2, basicAuth: { secretName: 'tempo-gateway-htpasswd' }, exporter: true },
      networkPolicy: { enabled: true },
      // A changed storageSize/storageClassName is compared with the committed manifests (what Argo CD applies);
      // `npm run synth` writes into a staging folder, so the folder is named here.
      storageChanges: { deployedManifests: DeployedManifests.fromGit('dist/tempo-production') },
      // Clients outside the cluster reach the gateway (basic auth, tenant from the user) over TLS.
      exposure: {
        hostnames: ['tempo.example.com'],
        ingress: { controller: IngressController.ingressNginx(), tls: IngressTls.certManager({ clusterIssuer: 'letsencrypt' }) },
      },
      // Every image through the company's mirror of Docker Hub, pulled with its credentials.
      imageRegistry: 'registry.example.com/hub',
      imagePullSecrets: ['registry-example-pull'],
      serviceAccount: { annotations: { 'example.com/owner': 'observability' } },
    });
    // The corporate CA next to the system's: Go reads every directory of SSL_CERT_DIR.
    const corporateCa = TempoVolume.fromSecret('corporate-ca', 'corporate-ca', { items: { 'ca.crt': 'corporate-ca.crt' } });
    for (const component of this.tempo.components) {
      component.addVolume(corporateCa, '/etc/ssl/corporate');
      component.addEnv('SSL_CERT_DIR', EnvValue.fromValue('/etc/ssl/certs:/etc/ssl/corporate'));
    }

    // `release` is the label kube-prometheus-stack's default selectors want (its Helm release name).
    const prometheusSelector = { release: 'kube-prometheus-stack' };
    new TempoServiceMonitors(this, 'ServiceMonitors', { instance: this.tempo, labels: prometheusSelector });
    new TempoAlerts(this, 'Alerts', { instance: this.tempo, labels: prometheusSelector });
    // Writes and reads back a trace every few seconds as its own tenant, alerting when reads go wrong.
    this.vulture = new TempoVulture(this, 'Vulture', { instance: this.tempo, tenant: 'vulture', labels: prometheusSelector });
    // One Grafana data source per tenant (each sends its X-Scope-OrgID).
    const datasources = PRODUCTION_TENANTS.map((tenant) => new TempoDatasource(this, `Datasource-${tenant}`, {
      instance: this.tempo,
      uid: tenant,
      name: `Tempo (${tenant})`,
      tenant,
      tracesToLogs: { datasourceUid: 'loki', filterByTraceId: true },
      tracesToMetrics: { datasourceUid: 'prometheus' },
      serviceMap: { datasourceUid: 'prometheus' },
      // Tempo always runs with stream_over_http_enabled, so Grafana may stream search results and TraceQL metrics.
      streaming: { search: true, metrics: true },
    }));
    new TempoDashboards(this, 'Dashboards', { instance: this.tempo, tempoDatasourceUid: datasources[0].uid, prometheusDatasourceUid: 'prometheus' });
  }
}

/**
 * An application sending traces to the production example: a `checkout` Deployment in namespace `shop`, pointed at
 * the gateway by `instrument()` (OTLP endpoint, tenant credentials from the Secret `checkout-tempo-credentials`,
 * resource attributes), which also opens the instance's ingest NetworkPolicy to these pods only.
 */
export class InstrumentedAppChart extends Chart {
  constructor(scope: Construct, id: string, tempo: TempoDistributed, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });
    const labels = { 'app.kubernetes.io/name': 'checkout' };
    // A plain Deployment meeting Pod Security "restricted" (cdk8s-plus-28 Deployments work the same way).
    const checkout = new KubeDeployment(this, 'Checkout', {
      metadata: { name: 'checkout' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'checkout',
              image: 'registry.example.com/shop/checkout:1.4.2',
              ports: [{ name: 'http', containerPort: 8080 }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    });
    instrument(checkout, {
      instance: tempo,
      serviceName: 'checkout',
      // The gateway takes the tenant from the basic-auth user (team-checkout), so no tenant header is sent.
      credentials: { secretName: 'checkout-tempo-credentials', key: 'basicAuth' },
    });
  }
}

/**
 * Tempo 3.0 in microservices mode, self-contained for a development cluster in namespace `tracing-v3`: a
 * single-node Kafka (DevKafka, 2 partitions) and MinIO (DevMinio), then distributor, live-stores in two zones,
 * block-builders, backend scheduler and workers, querier and query-frontend. For production, replace the two
 * Dev constructs with `TempoKafka.strimzi({...})` (or `{ address, topic, partitions, sasl }`) and a real bucket.
 * The Secret `minio-credentials` (keys `rootUser`, `rootPassword`) is created outside the library.
 */
export class TempoV3Chart extends Chart {
  public readonly tempo: TempoDistributed;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'tracing-v3', ...props });
    const kafka = new DevKafka(this, 'Kafka', { partitions: 2 });
    const minio = new DevMinio(this, 'Minio', { rootCredentials: { secretName: 'minio-credentials' } });
    this.tempo = new TempoDistributed(this, 'Tempo', {
      version: TempoVersion.V3_0_3,
      storage: minio.storage(),
      ingest: { kafka: kafka.kafka() },
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()],
      backendWorker: { retention: Duration.days(7) },
      // On 3.x the generator consumes the spans from Kafka too.
      metricsGenerator: { remoteWriteUrl: 'http://prometheus.monitoring.svc:9090/api/v1/write' },
    });
    // The same integration as the 2.x deployments (an alternative for one Grafana: same data source uid).
    addIntegration(this, this.tempo);
  }
}

/**
 * TLS example on Tempo 2.10.8 in namespace `tracing-tls` (not from a seed): the OTLP receivers serve TLS and
 * require client certificates (Secret `tempo-otlp-tls`: tls.crt, tls.key and the clients' CA in ca.crt), and the
 * components speak mutual TLS to each other, gRPC and memberlist (Secret `tempo-mtls`). Both Secrets are made
 * outside, e.g. by cert-manager Certificates (`TempoCertificate.certManager` creates those itself; see README "TLS");
 * stakater Reloader rolls the pods when a Secret changes (memberlist reads its certificate only at start).
 */
export class TempoTlsChart extends Chart {
  public readonly tempo: TempoDistributed;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'tracing-tls', ...props });
    this.tempo = new TempoDistributed(this, 'Tempo', {
      version: TempoVersion.V2_10_8,
      storage: TempoStorage.s3({ bucket: 'tempo-traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo-traces' }),
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()],
      // Distributors and queriers reach the generators over mutual TLS too.
      metricsGenerator: { remoteWriteUrl: 'http://prometheus.monitoring.svc:9090/api/v1/write', processors: [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS] },
      tls: {
        receivers: { certificate: TempoCertificate.fromSecret('tempo-otlp-tls'), requireClientCertificate: true },
        internal: { certificate: TempoCertificate.fromSecret('tempo-mtls') },
        restartOnRenewal: true,
      },
    });
    // Grafana queries and Prometheus scrapes port 3200, which stays plain HTTP (TLS covers receivers, gRPC, gossip).
    addIntegration(this, this.tempo);
  }
}

/** The seed 001 integration: Grafana data source (logs, metrics, service map), ServiceMonitors, alerts, dashboards. */
function addIntegration(scope: Construct, tempo: TempoDistributed): void {
  const datasource = new TempoDatasource(scope, 'GrafanaDatasource', {
    instance: tempo,
    tracesToLogs: { datasourceUid: 'loki', filterByTraceId: true },
    tracesToMetrics: { datasourceUid: 'prometheus' },
    serviceMap: { datasourceUid: 'prometheus' },
  });
  new TempoServiceMonitors(scope, 'ServiceMonitors', { instance: tempo });
  new TempoAlerts(scope, 'Alerts', { instance: tempo });
  new TempoDashboards(scope, 'Dashboards', { instance: tempo, tempoDatasourceUid: datasource.uid, prometheusDatasourceUid: 'prometheus' });
}

/** Adds every reference deployment to an app: one chart (one dist/ folder) each. */
export function addReferenceCharts(app: App): Chart[] {
  const production = new TempoProductionChart(app, 'tempo-production');
  const charts = [
    new TempoDistributedChart(app, 'tempo-distributed'),
    new TempoMonolithicChart(app, 'tempo-monolithic'),
    production,
    new InstrumentedAppChart(app, 'shop-checkout', production.tempo),
    new TempoV3Chart(app, 'tempo-v3'),
    new TempoTlsChart(app, 'tempo-tls'),
  ];
  // dist/argocd: one Argo CD Application per chart above (and sync-wave annotations on their objects)
  // `outdir`: where dist/ is in the repository (`npm run synth` writes into a staging folder first).
  return [...charts, new TempoArgoCdChart(app, 'argocd', { charts, repoUrl: 'https://git.example.com/platform/gitops.git', outdir: 'dist', appProject: {}, application: { automated: {} } })];
}

/** Synthesizes the reference deployments into `outdir`: one folder per chart, one file per resource. */
export function synthReferenceApp(outdir: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
  addReferenceCharts(app);
  app.synth();
  return app;
}

if (require.main === module) {
  synthReferenceApp(process.env.CDK8S_OUTDIR ?? 'dist');
}
