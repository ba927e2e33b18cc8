import { App, Chart, ChartProps, Duration, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { GeneratorProcessor, Storage, TempoDistributed, TempoReceiver, TempoVersion } from './lib';

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
      storage: Storage.s3({
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
  }
}

/** Adds every reference deployment to an app: one chart (one dist/ folder) each. */
export function addReferenceCharts(app: App): Chart[] {
  return [new TempoDistributedChart(app, 'tempo-distributed')];
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
