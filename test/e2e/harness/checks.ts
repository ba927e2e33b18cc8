import { http } from './http';
import { ScenarioRun } from './scenario';
import { Emulator, sinkReceived } from './emulators';
import { newTrace, normaliseId, readTrace, ReceiverKind, search, searchBlock, send, servicesIn, TestTrace } from './traces';
import { waitFor } from './wait';

// The checks every scenario makes, each bounded in time and recorded in the scenario's report.

/**
 * Pushes one trace per receiver (socket of the receiver's port, and the path where a gateway maps an HTTP
 * receiver), plus one backdated two hours over OTLP/HTTP on `backdated`.
 */
export async function pushOnEveryReceiver(s: ScenarioRun, receivers: ReadonlyArray<[ReceiverKind, string, string?]>, backdated: string, headers: Record<string, string> = {}): Promise<{ traces: TestTrace[]; old: TestTrace }> {
  const traces: TestTrace[] = [];
  for (const [receiver, socket, path] of receivers) {
    const t = newTrace(receiver);
    await send(receiver, socket, t, s.run, headers, path);
    traces.push(t);
  }
  // Tempo files a backdated trace under its ingestion time (ingestion slack), so blocks hold it too.
  const old = newTrace('otlp-http', Date.now() - 2 * 3600_000);
  await send('otlp-http', backdated, old, s.run, headers);
  s.mark(`push: ${receivers.map(([r]) => r).join(', ')} + one backdated trace`);
  return { traces, old };
}

/** Every trace comes back by id through the v1 and v2 APIs. */
export async function readBackById(s: ScenarioRun, socket: string, traces: readonly TestTrace[], headers: Record<string, string> = {}): Promise<void> {
  for (const t of traces) {
    const found = await waitFor(`trace ${t.traceId} (${t.receiver}) by id`, async () => {
      const r = await readTrace(socket, t.traceId, '', headers);
      return r.v1.includes(t.service) && r.v2.includes(t.service) ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 1000 });
    expect({ id: t.traceId, v1: found.v1, v2: found.v2 }).toEqual({ id: t.traceId, v1: [t.service], v2: [t.service] });
  }
  s.mark(`read ${traces.length} traces by id (v1, v2)`);
}

/** A TraceQL search over the last 15 minutes finds every trace. */
export async function findBySearch(s: ScenarioRun, socket: string, traces: readonly TestTrace[], headers: Record<string, string> = {}): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await waitFor('TraceQL search to find every trace', async () => {
    const got = await search(socket, `{ span.e2e.run = "${s.run}" }`, now - 900, now + 60, headers);
    return traces.every((t) => got.includes(normaliseId(t.traceId))) ? got : undefined;
  }, { timeoutMs: 45_000, intervalMs: 2000 });
  s.mark('TraceQL search');
}

/** The metrics-generator's span metrics (and service graphs) reach the remote-write sink. */
export async function remoteWriteArrives(s: ScenarioRun, sink: Emulator): Promise<void> {
  const got = await waitFor('span metrics at the remote-write sink', async () => {
    const r = await sinkReceived(sink);
    return Object.keys(r.names).some((n) => n.startsWith('traces_spanmetrics_')) ? r : undefined;
  }, { timeoutMs: 90_000, intervalMs: 2000 });
  expect(got.errors).toEqual([]);
  s.note(`remote write: ${got.posts} POSTs, ${got.samples} samples, series ${Object.keys(got.names).sort().join(', ')}`);
  s.mark('remote write reached the sink');
}

/**
 * Reads every trace from blocks only: by id through a querier with `mode=blocks`, and by TraceQL search of each
 * flushed block (`metas`: their meta.json) through the same querier.
 */
export async function readFromBlocks(s: ScenarioRun, querier: string, traces: readonly TestTrace[], old: TestTrace, metas: readonly any[], headers: Record<string, string> = {}): Promise<void> {
  for (const t of [...traces, old]) {
    const r = await waitFor(`trace ${t.traceId} from blocks`, async () => {
      const a = await http(querier, 'GET', `/querier/api/traces/${t.traceId}?mode=blocks`, { headers: { accept: 'application/json', ...headers } });
      return a.status === 200 ? a : undefined;
    }, { timeoutMs: 30_000, intervalMs: 2000 });
    expect({ id: t.traceId, services: servicesIn(r.body) }).toEqual({ id: t.traceId, services: [t.service] });
  }
  const window: [number, number] = [Math.floor(old.startMs / 1000) - 60, Math.floor(Date.now() / 1000) + 60];
  const found = (await Promise.all(metas.map((m) => searchBlock(querier, m, `{ span.e2e.run = "${s.run}" }`, ...window, headers)))).flat();
  for (const t of [...traces, old]) expect({ id: t.traceId, found: found.includes(normaliseId(t.traceId)) }).toEqual({ id: t.traceId, found: true });
  s.note(`blocks only: ${traces.length + 1} traces by id (querier mode=blocks) and by TraceQL search of the ${metas.length} flushed block(s)`);
  s.mark('read from blocks only');
}

/**
 * A TraceQL metrics query (`{ <this run> } | rate()`, `/api/metrics/query_range`) returns a series with a non-zero
 * sample: the metrics-generator's local-blocks processor holds the run's spans and the querier reaches it.
 */
export async function traceqlMetricsAnswer(s: ScenarioRun, socket: string, headers: Record<string, string> = {}): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const q = encodeURIComponent(`{ span.e2e.run = "${s.run}" } | rate()`);
  const path = `/api/metrics/query_range?q=${q}&start=${now - 900}&end=${now + 60}&step=60s`;
  const series = await waitFor('series from a TraceQL metrics query', async () => {
    const res = await http(socket, 'GET', path, { headers });
    if (res.status !== 200) throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
    const got: any[] = JSON.parse(res.body).series ?? [];
    return got.some((x) => (x.samples ?? []).some((p: any) => Number(p.value) > 0)) ? got : undefined;
  }, { timeoutMs: 180_000, intervalMs: 3000 });
  s.note(`TraceQL metrics: ${series.length} series for { span.e2e.run } | rate()`);
  s.mark('TraceQL metrics query_range');
}
