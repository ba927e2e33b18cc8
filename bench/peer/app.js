'use strict';
/*
 * The side-by-side app of `npm run bench`: main.ts's seed-001 TempoDistributed chart as a user writes it in
 * plain JavaScript against the packed library (no TypeScript transform at run time), copied into a fresh app.
 *
 *   node app.js OUTDIR [--integrations]
 *
 * Default: what values-reference.yaml asks of helm (TempoDistributed + ServiceMonitors). --integrations adds
 * the rest of the seed-001 chart (Grafana data source, alerts, dashboards), which the helm chart has no
 * counterpart for.
 */
const { App, Chart, Duration, YamlOutputType } = require('cdk8s');
const {
  GeneratorProcessor, TempoAlerts, TempoDashboards, TempoDatasource, TempoDistributed, TempoReceiver, TempoServiceMonitors, TempoStorage, TempoVersion,
} = require('cdk8s-tempo');

const [outdir, flag] = process.argv.slice(2);
const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
const chart = new Chart(app, 'tempo-distributed', { namespace: 'monitoring' });
const tempo = new TempoDistributed(chart, 'Tempo', {
  version: TempoVersion.V2_6_1, // as main.ts and values-reference.yaml
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
    processors: [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS],
    spanMetricsDimensions: ['http.method', 'http.status_code', 'service.version'],
    spanMetricsHistogramBuckets: [0.1, 0.5, 1.0, 2.5, 5.0, 10.0],
    serviceGraphDimensions: ['http.method', 'http.status_code'],
  },
});
new TempoServiceMonitors(chart, 'ServiceMonitors', { instance: tempo });
if (flag === '--integrations') {
  const datasource = new TempoDatasource(chart, 'GrafanaDatasource', {
    instance: tempo,
    tracesToLogs: { datasourceUid: 'loki', filterByTraceId: true },
    tracesToMetrics: { datasourceUid: 'prometheus' },
    serviceMap: { datasourceUid: 'prometheus' },
  });
  new TempoAlerts(chart, 'Alerts', { instance: tempo });
  new TempoDashboards(chart, 'Dashboards', { instance: tempo, tempoDatasourceUid: datasource.uid, prometheusDatasourceUid: 'prometheus' });
}
app.synth();
