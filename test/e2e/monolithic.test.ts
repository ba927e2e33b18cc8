import { App } from 'cdk8s';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { TempoMonolithicChart } from '../../main';
import type { Manifest } from '../support/synth';
import { describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { Deployment } from './harness/deployment';
import { Emulator, sinkReceived, startSink } from './harness/emulators';
import { http } from './harness/http';
import { ScenarioRun } from './harness/scenario';
import { newTrace, normaliseId, readTrace, ReceiverKind, search, searchBlock, send, servicesIn, TestTrace } from './harness/traces';
import { waitFor } from './harness/wait';

// The monolithic reference deployment (seed 000, dist/tempo-monolithic): Tempo 2.6.1 single binary, local storage.
describeWithBinaries('e2e: monolithic reference (2.6.1, local storage)', ['tempo-2.6.1'], () => {
  jest.setTimeout(240_000);
  let s: ScenarioRun;
  let d: Deployment;
  let sink: Emulator;
  const receivers: Array<[ReceiverKind, number]> = [['otlp-grpc', 4317], ['otlp-http', 4318], ['jaeger-thrift-compact', 6831]];
  const traces: TestTrace[] = [];
  // Backdated two hours (Tempo files it under its ingestion time, within the ingestion slack).
  const old = newTrace('otlp-http', Date.now() - 2 * 3600_000);
  const pod = 'tempo-0';

  beforeAll(async () => {
    s = new ScenarioRun('monolithic reference, Tempo 2.6.1, local storage');
    const chart = new TempoMonolithicChart(new App(), 'tempo-monolithic');
    const manifests = chart.toJson() as Manifest[];
    sink = await startSink(s.ns, ['prometheus.monitoring.svc', 'prometheus.monitoring.svc.cluster.local'], 9090);
    d = s.deployment = new Deployment({ ns: s.ns, manifests, binDir: TEMPO_BIN_DIR! });
    d.start();
    await d.waitReady(180_000);
    s.mark('start: /ready');
  });

  afterAll(async () => {
    await s?.finish();
  });

  test('accepts a trace on every enabled receiver', async () => {
    const enabled = d.pod(pod).spec.ports.map((p) => p.containerPort);
    for (const [receiver, port] of receivers) {
      expect(enabled).toContain(port);
      const t = newTrace(receiver);
      await send(receiver, d.socket(pod, port), t, s.run);
      traces.push(t);
    }
    await send('otlp-http', d.socket(pod, 4318), old, s.run);
    s.mark(`push: ${receivers.map(([r]) => r).join(', ')} + one backdated trace`);
  });

  test('returns each trace by id (v1 and v2 APIs)', async () => {
    for (const t of traces) {
      const found = await waitFor(`trace ${t.traceId} (${t.receiver})`, async () => {
        const r = await readTrace(d.socket(pod, 3200), t.traceId);
        return r.v1.includes(t.service) && r.v2.includes(t.service) ? r : undefined;
      }, { timeoutMs: 30_000, intervalMs: 1000 });
      expect(found.v1).toEqual([t.service]);
    }
    s.mark('read by id (v1, v2)');
  });

  test('finds the traces by TraceQL search', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ids = await waitFor('search to find every trace', async () => {
      const got = await search(d.socket(pod, 3200), `{ span.e2e.run = "${s.run}" }`, now - 900, now + 60);
      return traces.every((t) => got.includes(normaliseId(t.traceId))) ? got : undefined;
    }, { timeoutMs: 30_000, intervalMs: 2000 });
    expect(ids.length).toBeGreaterThanOrEqual(traces.length);
    s.mark('TraceQL search');
  });

  test('the metrics-generator remote-writes span metrics and service graphs', async () => {
    const got = await waitFor('span metrics at the remote-write sink', async () => {
      const r = await sinkReceived(sink);
      return Object.keys(r.names).some((n) => n.startsWith('traces_spanmetrics_')) ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 2000 });
    expect(got.errors).toEqual([]);
    s.note(`remote write: ${got.posts} POSTs, ${got.samples} samples, series ${Object.keys(got.names).sort().join(', ')}`);
    s.mark('remote write reached the sink');
  });

  test('after /flush and a restart, traces are read from blocks only', async () => {
    const flush = await http(d.socket(pod, 3200), 'GET', '/flush');
    expect(flush.status).toBeLessThan(300);
    const data = d.pod(pod).spec.mounts['/var/tempo'];
    const tenantDir = join(data, 'traces', 'single-tenant');
    await waitFor('a flushed block in local storage', () => existsSync(tenantDir) && readdirSync(tenantDir).some((b) => existsSync(join(tenantDir, b, 'meta.json'))), { timeoutMs: 60_000, intervalMs: 1000 });
    s.mark('flush: block in local storage');
    await d.restartPod(pod);
    await d.waitReady(180_000);
    s.mark('restart (all-in-one: querier and ingester)');
    for (const t of [...traces, old]) {
      const r = await http(d.socket(pod, 3200), 'GET', `/querier/api/traces/${t.traceId}?mode=blocks`, { headers: { accept: 'application/json' } });
      expect({ id: t.traceId, status: r.status }).toEqual({ id: t.traceId, status: 200 });
      expect(servicesIn(r.body)).toEqual([t.service]);
    }
    const metas = readdirSync(tenantDir).filter((b) => existsSync(join(tenantDir, b, 'meta.json'))).map((b) => JSON.parse(readFileSync(join(tenantDir, b, 'meta.json'), 'utf8')));
    const window: [number, number] = [Math.floor(old.startMs / 1000) - 60, Math.floor(Date.now() / 1000) + 60];
    const found = (await Promise.all(metas.map((m) => searchBlock(d.socket(pod, 3200), m, `{ span.e2e.run = "${s.run}" }`, ...window)))).flat();
    for (const t of [...traces, old]) expect(found).toContain(normaliseId(t.traceId));
    s.note(`blocks only: ${traces.length + 1} traces by id (querier mode=blocks) and by TraceQL search of the ${metas.length} flushed block(s)`);
    s.mark('read from blocks');
  });
});
