import { App } from 'cdk8s';
import { TempoDistributedChart } from '../../main';
import type { Manifest } from '../support/synth';
import { describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { findBySearch, pushOnEveryReceiver, readBackById, readFromBlocks, remoteWriteArrives, traceqlMetricsAnswer } from './harness/checks';
import { Deployment } from './harness/deployment';
import { Emulator, s3Stats, startS3, startSink } from './harness/emulators';
import { http } from './harness/http';
import { ScenarioRun } from './harness/scenario';
import { TestTrace } from './harness/traces';
import { waitFor } from './harness/wait';

// The distributed reference deployment (seed 001, dist/tempo-distributed): Tempo 2.6.1 microservices, three
// ingesters (replication factor 3), memberlist, traces in S3 (`minio:9000`, here s3rver with the fixes Tempo needs).
describeWithBinaries('e2e: distributed reference (2.6.1, S3 on s3rver)', ['tempo-2.6.1'], () => {
  jest.setTimeout(300_000);
  let s: ScenarioRun;
  let d: Deployment;
  let sink: Emulator;
  let s3: Awaited<ReturnType<typeof startS3>>;
  let pushed: { traces: TestTrace[]; old: TestTrace };
  const distributor = 'tempo-distributor-0';
  const frontend = 'tempo-query-frontend-0';
  const querier = 'tempo-querier-0';

  beforeAll(async () => {
    s = new ScenarioRun('distributed reference, Tempo 2.6.1, S3 (s3rver)');
    const manifests = new TempoDistributedChart(new App(), 'tempo-distributed').toJson() as Manifest[];
    d = s.deployment = new Deployment({ ns: s.ns, manifests, binDir: TEMPO_BIN_DIR! });
    const env = d.pod(distributor).env;
    s3 = await startS3(s.ns, ['minio', 'minio.monitoring.svc.cluster.local'], 9000, 'tempo-traces', env.TEMPO_S3_ACCESS_KEY_ID, env.TEMPO_S3_SECRET_ACCESS_KEY);
    sink = await startSink(s.ns, ['prometheus', 'prometheus.monitoring.svc.cluster.local'], 9090);
    d.start();
    await d.waitReady(240_000);
    s.mark(`start: ${d.pods.length} pods /ready`);
  });

  afterAll(async () => {
    await s?.finish();
  });

  test('accepts a trace on every enabled receiver (OTLP gRPC and HTTP, Jaeger gRPC, Zipkin)', async () => {
    expect(d.pod(distributor).spec.ports.map((p) => p.containerPort)).toEqual(expect.arrayContaining([4317, 4318, 14250, 9411]));
    pushed = await pushOnEveryReceiver(s, [
      ['otlp-grpc', d.socket(distributor, 4317)], ['otlp-http', d.socket(distributor, 4318)],
      ['jaeger-grpc', d.socket(distributor, 14250)], ['zipkin', d.socket(distributor, 9411)],
    ], d.socket(distributor, 4318));
  });

  test('returns each trace by id through the query-frontend (v1 and v2 APIs)', async () => {
    await readBackById(s, d.socket(frontend, 3200), pushed.traces);
  });

  test('finds the traces by TraceQL search through the query-frontend', async () => {
    await findBySearch(s, d.socket(frontend, 3200), pushed.traces);
  });

  test('answers a TraceQL metrics query ({} | rate()) through the query-frontend, from the generator\'s local blocks (issue 12)', async () => {
    await traceqlMetricsAnswer(s, d.socket(frontend, 3200));
  });

  test('the metrics-generator remote-writes span metrics and service graphs', async () => {
    await remoteWriteArrives(s, sink);
  });

  test('after /flush on every ingester and a querier restart, traces are read from the S3 blocks only', async () => {
    const ingesters = d.workload('tempo-ingester');
    expect(ingesters).toHaveLength(3);
    for (const i of ingesters) expect((await http(d.socket(i.spec.name, 3200), 'GET', '/flush')).status).toBeLessThan(300);
    const metas = await waitFor('flushed blocks in S3', () => {
      const m = s3.objects('single-tenant/').filter((o) => o.key.endsWith('/meta.json'));
      // Replication factor 3: each ingester flushes its own block holding every trace.
      return m.length >= ingesters.length ? m : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    // The aws-chunked fix is exercised and objects hold plain content (JSON.parse fails on chunk framing).
    expect((await s3Stats(s3)).decoded).toBeGreaterThan(0);
    const parsed = metas.map((o) => JSON.parse(o.content));
    s.mark('flush: blocks in S3');
    // A fresh querier polls the blocklist at start-up: listing tenants needs the emulator's delimiter fix.
    await d.restartPod(querier);
    await d.waitReady(120_000, [querier, frontend]);
    s.mark('querier restart');
    const stats = await s3Stats(s3);
    expect(stats.prefixesListed).toBeGreaterThan(0);
    s.note(`S3: ${metas.length} blocks (${s3.objects('').length} objects), ${stats.decoded} aws-chunked uploads decoded, ${stats.prefixesListed} of ${stats.delimiterListings} delimiter listings found prefixes`);
    await readFromBlocks(s, d.socket(querier, 3200), pushed.traces, pushed.old, parsed);
  });
});
