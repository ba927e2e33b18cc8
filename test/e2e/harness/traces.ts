import { randomBytes } from 'crypto';
import { join } from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { http, udp } from './http';

const PROTOS = join(__dirname, '..', 'protos');

/** Receivers a scenario can push on (names of TempoReceiver's protocols). */
export type ReceiverKind = 'otlp-grpc' | 'otlp-http' | 'jaeger-grpc' | 'jaeger-thrift-compact' | 'jaeger-thrift-http' | 'zipkin';

/** One test trace: one span, service `e2e-<receiver>`, attribute `e2e.run` shared by the scenario's traces. */
export interface TestTrace {
  readonly receiver: ReceiverKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly service: string;
  readonly startMs: number;
}

/** A fresh trace for a receiver. */
export function newTrace(receiver: ReceiverKind, startMs = Date.now() - 2000): TestTrace {
  return { receiver, traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), service: `e2e-${receiver}`, startMs };
}

// Over one second on purpose: Tempo 2.6.1's TraceQL metrics skip a block whose start and end fall in the same
// second (meta times are whole seconds; timeRangeOverlap divides by a zero-length range; fixed by 2.10), so a
// test block of a few short spans pushed within one second answered `{} | rate()` with no samples at random.
const SPAN_MS = 1500;

export function otlpRequest(t: TestTrace, run: string, bytes: boolean) {
  const id = (hex: string) => (bytes ? Buffer.from(hex, 'hex') : hex);
  const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
  const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
  return {
    resourceSpans: [{
      resource: { attributes: [str('service.name', t.service)] },
      scopeSpans: [{
        scope: { name: 'cdk8s-tempo-e2e' },
        spans: [{
          traceId: id(t.traceId), spanId: id(t.spanId), name: `${t.receiver} request`, kind: 2,
          startTimeUnixNano: nanos(t.startMs), endTimeUnixNano: nanos(t.startMs + SPAN_MS),
          attributes: [str('e2e.run', run), str('e2e.receiver', t.receiver), str('http.method', 'GET'), { key: 'http.status_code', value: { intValue: 200 } }],
          status: {},
        }],
      }],
    }],
  };
}

/** OTLP/HTTP with a JSON body (`POST /v1/traces`). */
export async function sendOtlpHttp(socket: string, t: TestTrace, run: string, headers: Record<string, string> = {}, path = '/v1/traces'): Promise<void> {
  const body = JSON.stringify(otlpRequest(t, run, false));
  const r = await http(socket, 'POST', path, { body, headers: { 'content-type': 'application/json', ...headers } });
  if (r.status !== 200) throw new Error(`OTLP/HTTP push: ${r.status} ${r.body}`);
}

/** Zipkin v2 JSON (`POST /api/v2/spans`). */
export async function sendZipkin(socket: string, t: TestTrace, run: string, headers: Record<string, string> = {}, path = '/api/v2/spans'): Promise<void> {
  const body = JSON.stringify([{
    traceId: t.traceId, id: t.spanId, name: `${t.receiver} request`, kind: 'SERVER', timestamp: t.startMs * 1000, duration: SPAN_MS * 1000,
    localEndpoint: { serviceName: t.service }, tags: { 'e2e.run': run, 'e2e.receiver': t.receiver, 'http.method': 'GET' },
  }]);
  const r = await http(socket, 'POST', path, { body, headers: { 'content-type': 'application/json', ...headers } });
  if (r.status !== 202 && r.status !== 200) throw new Error(`Zipkin push: ${r.status} ${r.body}`);
}

export function loadService(file: string, pkg: string[], service: string, keepCase = false): grpc.ServiceClientConstructor {
  const def = protoLoader.loadSync(join(PROTOS, file), { keepCase, longs: String, defaults: false });
  let node: any = grpc.loadPackageDefinition(def);
  for (const p of pkg) node = node[p];
  return node[service];
}

export function unary(client: grpc.Client, method: string, req: unknown, metadata: Record<string, string>): Promise<unknown> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise((resolve, reject) => {
    (client as any)[method](req, md, { deadline: Date.now() + 10_000 }, (err: Error | null, res: unknown) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    });
  });
}

/** OTLP/gRPC `TraceService/Export` over the bridge socket. */
export async function sendOtlpGrpc(socket: string, t: TestTrace, run: string, metadata: Record<string, string> = {}): Promise<void> {
  const Svc = loadService('otlp-trace.proto', ['opentelemetry', 'proto', 'collector', 'trace', 'v1'], 'TraceService');
  const client = new Svc(`unix://${socket}`, grpc.credentials.createInsecure());
  await unary(client, 'Export', otlpRequest(t, run, true), metadata);
}

/** Jaeger gRPC `CollectorService/PostSpans` over the bridge socket. */
export async function sendJaegerGrpc(socket: string, t: TestTrace, run: string, metadata: Record<string, string> = {}): Promise<void> {
  const Svc = loadService('jaeger-collector.proto', ['jaeger', 'api_v2'], 'CollectorService');
  const client = new Svc(`unix://${socket}`, grpc.credentials.createInsecure());
  const tag = (key: string, v: string) => ({ key, vType: 0, vStr: v });
  await unary(client, 'PostSpans', {
    batch: {
      process: { serviceName: t.service },
      spans: [{
        traceId: Buffer.from(t.traceId, 'hex'), spanId: Buffer.from(t.spanId, 'hex'), operationName: `${t.receiver} request`, flags: 1,
        startTime: { seconds: Math.floor(t.startMs / 1000), nanos: (t.startMs % 1000) * 1_000_000 }, duration: { seconds: Math.floor(SPAN_MS / 1000), nanos: (SPAN_MS % 1000) * 1_000_000 },
        tags: [tag('e2e.run', run), tag('e2e.receiver', t.receiver), tag('span.kind', 'server')],
      }],
    },
  }, metadata);
}

/** Jaeger thrift (Agent.emitBatch, compact protocol) as one UDP datagram. */
export async function sendJaegerThriftCompact(socket: string, t: TestTrace, run: string): Promise<void> {
  await udp(socket, jaegerCompactBatch(t, run));
}

/** Jaeger thrift over HTTP (Batch, binary protocol, `POST /api/traces`). */
export async function sendJaegerThriftHttp(socket: string, t: TestTrace, run: string, headers: Record<string, string> = {}, path = '/api/traces'): Promise<void> {
  const r = await http(socket, 'POST', path, { body: jaegerBinaryBatch(t, run), headers: { 'content-type': 'application/x-thrift', ...headers } });
  if (r.status !== 202 && r.status !== 200) throw new Error(`Jaeger thrift-http push: ${r.status} ${r.body}`);
}

/** Pushes a trace on the receiver it names (HTTP receivers: `path` when a gateway maps them elsewhere). */
export function send(receiver: ReceiverKind, socket: string, t: TestTrace, run: string, headers: Record<string, string> = {}, path?: string): Promise<void> {
  switch (receiver) {
    case 'otlp-grpc': return sendOtlpGrpc(socket, t, run, headers);
    case 'otlp-http': return sendOtlpHttp(socket, t, run, headers, path);
    case 'jaeger-grpc': return sendJaegerGrpc(socket, t, run, headers);
    case 'jaeger-thrift-compact': return sendJaegerThriftCompact(socket, t, run);
    case 'jaeger-thrift-http': return sendJaegerThriftHttp(socket, t, run, headers, path);
    case 'zipkin': return sendZipkin(socket, t, run, headers, path);
  }
}

// --- Jaeger thrift encodings (jaeger-idl thrift/agent.thrift, jaeger.thrift) ---

interface ThriftWriter {
  struct(fields: Array<[number, number, (w: ThriftWriter) => void]>): void;
  i32(v: number): void;
  i64(v: bigint): void;
  str(v: string): void;
  list(elemType: number, items: Array<(w: ThriftWriter) => void>): void;
  bytes(): Buffer;
}

const T = { I32: 8, I64: 10, STRING: 11, STRUCT: 12, LIST: 15 }; // binary-protocol type ids
const C: Record<number, number> = { 8: 5, 10: 6, 11: 8, 12: 12, 15: 9 }; // binary -> compact type ids

function spanFields(t: TestTrace, run: string): Array<[number, number, (w: ThriftWriter) => void]> {
  const id = BigInt.asIntN(64, BigInt(`0x${t.traceId.slice(16)}`));
  const high = BigInt.asIntN(64, BigInt(`0x${t.traceId.slice(0, 16)}`));
  const tag = (k: string, v: string) => (w: ThriftWriter) => w.struct([[1, T.STRING, (x) => x.str(k)], [2, T.I32, (x) => x.i32(0)], [3, T.STRING, (x) => x.str(v)]]);
  return [
    [1, T.I64, (w) => w.i64(id)],
    [2, T.I64, (w) => w.i64(high)],
    [3, T.I64, (w) => w.i64(BigInt.asIntN(64, BigInt(`0x${t.spanId}`)))],
    [4, T.I64, (w) => w.i64(0n)],
    [5, T.STRING, (w) => w.str(`${t.receiver} request`)],
    [7, T.I32, (w) => w.i32(1)],
    [8, T.I64, (w) => w.i64(BigInt(t.startMs) * 1000n)],
    [9, T.I64, (w) => w.i64(BigInt(SPAN_MS) * 1000n)],
    [10, T.LIST, (w) => w.list(T.STRUCT, [tag('e2e.run', run), tag('e2e.receiver', t.receiver), tag('span.kind', 'server')])],
  ];
}

function batchFields(t: TestTrace, run: string): Array<[number, number, (w: ThriftWriter) => void]> {
  return [
    [1, T.STRUCT, (w) => w.struct([[1, T.STRING, (x) => x.str(t.service)]])],
    [2, T.LIST, (w) => w.list(T.STRUCT, [(x) => x.struct(spanFields(t, run))])],
  ];
}

class CompactWriter implements ThriftWriter {
  private readonly parts: Buffer[] = [];
  private varint(v: bigint): void {
    const out: number[] = [];
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      out.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    out.push(Number(x));
    this.parts.push(Buffer.from(out));
  }
  private zigzag(v: bigint): bigint {
    return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  }
  public raw(b: number[]): void {
    this.parts.push(Buffer.from(b));
  }
  public struct(fields: Array<[number, number, (w: ThriftWriter) => void]>): void {
    let last = 0;
    for (const [id, type, write] of fields) {
      this.raw([((id - last) << 4) | C[type]]);
      last = id;
      write(this);
    }
    this.raw([0]);
  }
  public i32(v: number): void {
    this.varint(this.zigzag(BigInt(v)));
  }
  public i64(v: bigint): void {
    this.varint(this.zigzag(v));
  }
  public str(v: string): void {
    const b = Buffer.from(v, 'utf8');
    this.varint(BigInt(b.length));
    this.parts.push(b);
  }
  public list(elemType: number, items: Array<(w: ThriftWriter) => void>): void {
    if (items.length >= 15) throw new Error('short lists only');
    this.raw([(items.length << 4) | C[elemType]]);
    for (const i of items) i(this);
  }
  public bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** `Agent.emitBatch(batch)` as a oneway compact-protocol message (what jaeger clients send to UDP 6831). */
export function jaegerCompactBatch(t: TestTrace, run: string): Buffer {
  const w = new CompactWriter();
  w.raw([0x82, 0x81]); // protocol id, version 1 | ONEWAY << 5
  w.raw([0]); // seqid 0 (varint)
  w.str('emitBatch');
  w.struct([[1, T.STRUCT, (x) => x.struct(batchFields(t, run))]]);
  return w.bytes();
}

class BinaryWriter implements ThriftWriter {
  private readonly parts: Buffer[] = [];
  public struct(fields: Array<[number, number, (w: ThriftWriter) => void]>): void {
    for (const [id, type, write] of fields) {
      const h = Buffer.alloc(3);
      h.writeInt8(type, 0);
      h.writeInt16BE(id, 1);
      this.parts.push(h);
      write(this);
    }
    this.parts.push(Buffer.from([0]));
  }
  public i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
  }
  public i64(v: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
  }
  public str(v: string): void {
    const b = Buffer.from(v, 'utf8');
    this.i32(b.length);
    this.parts.push(b);
  }
  public list(elemType: number, items: Array<(w: ThriftWriter) => void>): void {
    this.parts.push(Buffer.from([elemType]));
    this.i32(items.length);
    for (const i of items) i(this);
  }
  public bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A `Batch` struct in the binary protocol (the body of Jaeger's thrift-over-HTTP endpoint). */
export function jaegerBinaryBatch(t: TestTrace, run: string): Buffer {
  const w = new BinaryWriter();
  w.struct(batchFields(t, run));
  return w.bytes();
}

// --- reading back ---

/** The service names found in a v1 (`batches`) or v2 (`trace.resourceSpans`) trace-by-id answer. */
export function servicesIn(body: string): string[] {
  const json = JSON.parse(body);
  const batches = json.batches ?? json.resourceSpans ?? json.trace?.resourceSpans ?? json.trace?.batches ?? [];
  return batches.flatMap((b: any) => (b.resource?.attributes ?? []).filter((a: any) => a.key === 'service.name').map((a: any) => a.value?.stringValue));
}

/** Reads a trace by id through v1 and v2; resolves with the services found in each. */
export async function readTrace(socket: string, traceId: string, query = '', headers: Record<string, string> = {}): Promise<{ v1: string[]; v2: string[] }> {
  const v1 = await http(socket, 'GET', `/api/traces/${traceId}${query}`, { headers: { accept: 'application/json', ...headers } });
  const v2 = await http(socket, 'GET', `/api/v2/traces/${traceId}${query}`, { headers: { accept: 'application/json', ...headers } });
  return { v1: v1.status === 200 ? servicesIn(v1.body) : [], v2: v2.status === 200 ? servicesIn(v2.body) : [] };
}

/** TraceQL search through the query-frontend: the trace ids found. */
export async function search(socket: string, traceql: string, startS: number, endS: number, headers: Record<string, string> = {}): Promise<string[]> {
  const q = new URLSearchParams({ q: traceql, start: String(startS), end: String(endS), limit: '100' });
  const r = await http(socket, 'GET', `/api/search?${q}`, { headers, timeoutMs: 20_000 });
  if (r.status !== 200) throw new Error(`search ${traceql}: ${r.status} ${r.body}`);
  return (JSON.parse(r.body).traces ?? []).map((x: any) => normaliseId(x.traceID));
}

/**
 * TraceQL search over gRPC: `tempopb.StreamingQuerier/Search` on a unix socket (cleartext HTTP/2), as Grafana's
 * streaming search calls it. Collects the trace ids of every streamed response until the stream ends (bounded by a
 * deadline); resolves with them and the number of messages received.
 */
export async function streamSearch(socket: string, traceql: string, startS: number, endS: number, metadata: Record<string, string> = {}): Promise<{ ids: string[]; messages: number }> {
  // keepCase: Tempo's field names (Query, Limit) are capitalised.
  const Svc = loadService('tempo-streaming.proto', ['tempopb'], 'StreamingQuerier', true);
  const client = new Svc(`unix://${socket}`, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  const ids = new Set<string>();
  let messages = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const call = (client as any).Search({ Query: traceql, start: startS, end: endS, Limit: 100, SpansPerSpanSet: 3 }, md, { deadline: Date.now() + 20_000 });
      call.on('data', (r: any) => {
        messages++;
        for (const t of r.traces ?? []) ids.add(normaliseId(t.traceID));
      });
      call.on('error', reject);
      call.on('end', resolve);
    });
  } finally {
    client.close();
  }
  return { ids: [...ids], messages };
}

/** Search answers drop leading zeros of trace ids. */
export function normaliseId(id: string): string {
  return id.replace(/^0+/, '');
}

/**
 * TraceQL search of one backend block through a querier (`/querier/api/search` with the block's meta, as the
 * query-frontend shards backend jobs): reads that block only, never an ingester. Returns the trace ids found.
 */
export async function searchBlock(socket: string, meta: any, traceql: string, startS: number, endS: number, headers: Record<string, string> = {}): Promise<string[]> {
  const [start, end] = [startS, endS];
  const q = new URLSearchParams({
    q: traceql, start: String(start), end: String(end), limit: '100', spss: '3',
    blockID: meta.blockID, startPage: '0', pagesToSearch: String(meta.totalRecords), encoding: String(meta.encoding),
    indexPageSize: String(meta.indexPageSize ?? 0), totalRecords: String(meta.totalRecords), dataEncoding: String(meta.dataEncoding ?? ''),
    version: String(meta.format ?? meta.version), size: String(meta.size), footerSize: String(meta.footerSize ?? 0),
  });
  if (meta.dedicatedColumns?.length) q.set('dc', JSON.stringify(meta.dedicatedColumns));
  const r = await http(socket, 'GET', `/querier/api/search?${q}`, { headers, timeoutMs: 20_000 });
  if (r.status !== 200) throw new Error(`block search ${meta.blockID}: ${r.status} ${r.body}`);
  return (JSON.parse(r.body).traces ?? []).map((x: any) => normaliseId(x.traceID));
}
