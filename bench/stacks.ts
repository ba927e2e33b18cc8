/**
 * Benchmark app: N TempoDistributed stacks (the reference deployment's options, one chart and
 * namespace each) in one cdk8s app, synthesized one folder per chart.
 *
 *   node -r ./scripts/ts-register.js bench/stacks.ts N OUTDIR
 *
 * Prints one JSON line: construct and synth time (ms) measured inside the process, heap and peak RSS.
 */
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { GeneratorProcessor, TempoStorage, TempoDistributed, TempoReceiver } from '../lib';

const started = process.hrtime.bigint();
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const n = Number(process.argv[2]);
const outdir = process.argv[3];
if (!Number.isInteger(n) || n < 1 || !outdir) throw new Error('usage: stacks.ts N OUTDIR');

const app = new App({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
for (let i = 0; i < n; i++) {
  const chart = new Chart(app, `tempo-${i}`, { namespace: `tracing-${i}` });
  new TempoDistributed(chart, 'Tempo', {
    storage: TempoStorage.s3({
      bucket: `traces-${i}`,
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
    },
  });
}
const constructed = ms(started);
const synthStart = process.hrtime.bigint();
app.synth();
const synth = ms(synthStart);
process.stdout.write(`${JSON.stringify({
  stacks: n,
  loadMs: Math.round(process.uptime() * 1000 - constructed - synth),
  constructMs: Math.round(constructed),
  synthMs: Math.round(synth),
  heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
})}\n`);
