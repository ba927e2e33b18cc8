import { App } from 'cdk8s';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { TempoMonolithicChart } from '../../main';
import type { Manifest } from '../support/synth';
import { describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { findBySearch, pushOnEveryReceiver, readBackById, readFromBlocks, remoteWriteArrives, traceqlMetricsAnswer } from './harness/checks';
import { Deployment } from './harness/deployment';
import { Emulator, startSink } from './harness/emulators';
import { http } from './harness/http';
import { ScenarioRun } from './harness/scenario';
import { TestTrace } from './harness/traces';
import { waitFor } from './harness/wait';

// The monolithic reference deployment (seed 000, dist/tempo-monolithic): Tempo 2.6.1 single binary, local storage.
describeWithBinaries('e2e: monolithic reference (2.6.1, local storage)', ['tempo-2.6.1'], () => {
  jest.setTimeout(240_000);
  let s: ScenarioRun;
  let d: Deployment;
  let sink: Emulator;
  let pushed: { traces: TestTrace[]; old: TestTrace };
  const pod = 'tempo-0';

  beforeAll(async () => {
    s = new ScenarioRun('monolithic reference, Tempo 2.6.1, local storage');
    const manifests = new TempoMonolithicChart(new App(), 'tempo-monolithic').toJson() as Manifest[];
    sink = await startSink(s.ns, ['prometheus.monitoring.svc', 'prometheus.monitoring.svc.cluster.local'], 9090);
    d = s.deployment = new Deployment({ ns: s.ns, manifests, binDir: TEMPO_BIN_DIR! });
    d.start();
    await d.waitReady(180_000);
    s.mark('start: /ready');
  });

  afterAll(async () => {
    await s?.finish();
  });

  test('accepts a trace on every enabled receiver (OTLP gRPC and HTTP, Jaeger thrift-compact over UDP)', async () => {
    expect(d.pod(pod).spec.ports.map((p) => p.containerPort)).toEqual(expect.arrayContaining([4317, 4318, 6831]));
    pushed = await pushOnEveryReceiver(s, [['otlp-grpc', d.socket(pod, 4317)], ['otlp-http', d.socket(pod, 4318)], ['jaeger-thrift-compact', d.socket(pod, 6831)]], d.socket(pod, 4318));
  });

  test('returns each trace by id (v1 and v2 APIs)', async () => {
    await readBackById(s, d.socket(pod, 3200), pushed.traces);
  });

  test('finds the traces by TraceQL search', async () => {
    await findBySearch(s, d.socket(pod, 3200), pushed.traces);
  });

  test('answers a TraceQL metrics query ({} | rate()) from the local-blocks processor (issue 12)', async () => {
    await traceqlMetricsAnswer(s, d.socket(pod, 3200));
  });

  test('the metrics-generator remote-writes span metrics and service graphs', async () => {
    await remoteWriteArrives(s, sink);
  });

  test('after /flush and a restart, traces are read from blocks only', async () => {
    expect((await http(d.socket(pod, 3200), 'GET', '/flush')).status).toBeLessThan(300);
    const tenantDir = join(d.pod(pod).spec.mounts['/var/tempo'], 'traces', 'single-tenant');
    const blocks = () => (existsSync(tenantDir) ? readdirSync(tenantDir).filter((b) => existsSync(join(tenantDir, b, 'meta.json'))) : []);
    await waitFor('a flushed block in local storage', () => blocks().length > 0, { timeoutMs: 60_000, intervalMs: 1000 });
    s.mark('flush: block in local storage');
    await d.restartPod(pod);
    await d.waitReady(180_000);
    s.mark('restart (single binary: querier and ingester)');
    const metas = blocks().map((b) => JSON.parse(readFileSync(join(tenantDir, b, 'meta.json'), 'utf8')));
    await readFromBlocks(s, d.socket(pod, 3200), pushed.traces, pushed.old, metas);
  });
});
