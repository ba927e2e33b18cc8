import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as grpc from '@grpc/grpc-js';
import { Chart, Testing } from 'cdk8s';
import { TempoCertificate, TempoDistributed, TempoVersion, TlsPaths } from '../../lib';
import { minioStorage, testChart, type Manifest } from '../support/synth';
import { describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { findBySearch, readBackById } from './harness/checks';
import { Deployment } from './harness/deployment';
import { startS3 } from './harness/emulators';
import { http } from './harness/http';
import { ScenarioRun } from './harness/scenario';
import { loadService, newTrace, otlpRequest, TestTrace, unary } from './harness/traces';

// Tempo 2.10.8 microservices with TLS everywhere the library offers it: the receivers (OTLP gRPC and HTTP, client
// certificates required) and mutual TLS between components (gRPC server and every client, memberlist). The
// certificates are made here with the openssl CLI for exactly the DNS names of the synthesized cert-manager
// Certificates, so the test also proves those names cover what every client verifies.

interface Pem { readonly cert: string; readonly key: string }

/** A CA and leaf certificates signed by it (openssl CLI, EC P-256, one day). */
class TestCa {
  private readonly dir = mkdtempSync(join(tmpdir(), 'tempo-e2e-tls-'));
  public readonly cert: string;
  private serial = 1;

  constructor() {
    this.openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.path('ca.key'),
      '-out', this.path('ca.crt'), '-days', '1', '-subj', '/CN=tempo-e2e-ca');
    this.cert = readFileSync(this.path('ca.crt'), 'utf8');
  }

  public leaf(name: string, dnsNames: readonly string[]): Pem {
    const [key, csr, crt, ext] = ['key', 'csr', 'crt', 'ext'].map((x) => this.path(`${name}.${x}`));
    this.openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`);
    writeFileSync(ext, `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature\n`);
    this.openssl('x509', '-req', '-in', csr, '-CA', this.path('ca.crt'), '-CAkey', this.path('ca.key'), '-set_serial', String(this.serial++), '-days', '1', '-extfile', ext, '-out', crt);
    return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
  }

  public remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private path(f: string): string {
    return join(this.dir, f);
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { stdio: 'pipe', timeout: 20_000 });
  }
}

describeWithBinaries('e2e: TLS (receivers with client certificates, gRPC and memberlist mTLS), Tempo 2.10.8', ['tempo-2.10.8'], () => {
  jest.setTimeout(300_000);
  let s: ScenarioRun;
  let d: Deployment;
  let ca: TestCa;
  let client: Pem;
  let internal: Pem;
  const pushed: TestTrace[] = [];
  const distributor = 'tempo-distributor-0';
  const frontend = 'tempo-query-frontend-0';
  const receiverName = 'tempo-distributor.tracing.svc';

  beforeAll(async () => {
    s = new ScenarioRun('TLS: receivers and internal mTLS, Tempo 2.10.8, S3 (s3rver)');
    const chart: Chart = testChart('tracing');
    const issuer = { name: 'tempo-ca', kind: 'Issuer' as const };
    new TempoDistributed(chart, 'Tempo', {
      version: TempoVersion.V2_10_8,
      storage: minioStorage(),
      ingester: { replicas: 2, replicationFactor: 1 },
      tls: {
        receivers: { certificate: TempoCertificate.certManager({ issuer }), requireClientCertificate: true },
        internal: { certificate: TempoCertificate.certManager({ issuer }) },
      },
    });
    const manifests = Testing.synth(chart) as Manifest[];
    const dnsNames = (secret: string) => manifests.find((m) => m.kind === 'Certificate' && m.spec.secretName === secret)!.spec.dnsNames as string[];
    ca = new TestCa();
    // cert-manager's Secret layout: tls.crt, tls.key and the issuing CA in ca.crt.
    const secrets: Record<string, Pem> = {
      [TlsPaths.RECEIVERS]: ca.leaf('receivers', dnsNames('tempo-receivers-tls')),
      [TlsPaths.INTERNAL]: (internal = ca.leaf('internal', dnsNames('tempo-internal-tls'))),
    };
    client = ca.leaf('client', ['e2e-client']);
    d = s.deployment = new Deployment({ ns: s.ns, manifests, binDir: TEMPO_BIN_DIR! });
    // pod-process writes dummies for Secret files; put the real certificates where each pod mounts them.
    let written = 0;
    for (const p of d.pods) {
      for (const [mountPath, pem] of Object.entries(secrets)) {
        const dir = p.spec.mounts[mountPath];
        if (!dir) continue;
        writeFileSync(join(dir, 'tls.crt'), pem.cert);
        writeFileSync(join(dir, 'tls.key'), pem.key);
        writeFileSync(join(dir, 'ca.crt'), ca.cert);
        written++;
      }
    }
    s.note(`certificates written into ${written} mounts of ${d.pods.length} pods`);
    const env = d.pod(distributor).env;
    await startS3(s.ns, ['minio', 'minio.tracing.svc.cluster.local'], 9000, 'tempo-traces', env.TEMPO_S3_ACCESS_KEY_ID, env.TEMPO_S3_SECRET_ACCESS_KEY);
    d.start();
    await d.waitReady(240_000);
    s.mark(`start: ${d.pods.length} pods /ready (gossip and gRPC over mutual TLS)`);
  });

  afterAll(async () => {
    await s?.finish();
    ca?.remove();
  });

  const grpcPush = (t: TestTrace, withClientCert: boolean) => {
    const Svc = loadService('otlp-trace.proto', ['opentelemetry', 'proto', 'collector', 'trace', 'v1'], 'TraceService');
    const creds = withClientCert
      ? grpc.credentials.createSsl(Buffer.from(ca.cert), Buffer.from(client.key), Buffer.from(client.cert))
      : grpc.credentials.createSsl(Buffer.from(ca.cert));
    const c = new Svc(`unix://${d.socket(distributor, 4317)}`, creds, { 'grpc.ssl_target_name_override': receiverName, 'grpc.default_authority': receiverName });
    return unary(c, 'Export', otlpRequest(t, s.run, true), {});
  };
  const httpPush = (t: TestTrace, withClientCert: boolean) => http(d.socket(distributor, 4318), 'POST', '/v1/traces', {
    body: JSON.stringify(otlpRequest(t, s.run, false)),
    headers: { 'content-type': 'application/json' },
    tls: { ca: ca.cert, servername: receiverName, ...(withClientCert ? client : {}) },
  });

  test('the memberlist ring forms over TLS: every ingester is ACTIVE in the distributor\'s ring', async () => {
    const ring = await http(d.socket(distributor, 3200), 'GET', '/ingester/ring', { headers: { accept: 'application/json' } });
    expect(ring.status).toBe(200);
    const states = (JSON.parse(ring.body).shards as Array<{ state: string }>).map((x) => x.state);
    expect(states).toEqual(['ACTIVE', 'ACTIVE']);
  });

  test('accepts OTLP over gRPC with TLS and a client certificate, and refuses a client without one', async () => {
    const t = newTrace('otlp-grpc');
    await grpcPush(t, true);
    pushed.push(t);
    await expect(grpcPush(newTrace('otlp-grpc'), false)).rejects.toThrow();
    s.mark('OTLP/gRPC over TLS (client certificate required)');
  });

  test('accepts OTLP over HTTP with TLS and a client certificate, and refuses a client without one', async () => {
    const t = newTrace('otlp-http');
    expect((await httpPush(t, true)).status).toBe(200);
    pushed.push(t);
    await expect(httpPush(newTrace('otlp-http'), false)).rejects.toThrow();
    // Plain HTTP on the TLS port gets no trace in.
    const plain = await http(d.socket(distributor, 4318), 'POST', '/v1/traces', { body: '{}', headers: { 'content-type': 'application/json' } }).catch((e: Error) => ({ status: 0, body: e.message }));
    expect(plain.status).not.toBe(200);
    s.mark('OTLP/HTTP over TLS (client certificate required)');
  });

  test('an ingester\'s gRPC port answers only TLS clients with a certificate of the CA (what every component presents)', async () => {
    const Svc = loadService('otlp-trace.proto', ['opentelemetry', 'proto', 'collector', 'trace', 'v1'], 'TraceService');
    const serverName = 'tempo-gossip-ring.tracing.svc.cluster.local';
    const call = (creds: grpc.ChannelCredentials) => unary(new Svc(`unix://${d.socket('tempo-ingester-0', 9095)}`, creds, { 'grpc.ssl_target_name_override': serverName }), 'Export', otlpRequest(newTrace('otlp-grpc'), s.run, true), {})
      .then(() => 'ok', (e: grpc.ServiceError) => grpc.status[e.code]);
    // Past the handshake, the ingester answers that it has no OTLP service; before it, the channel is unavailable.
    expect(await call(grpc.credentials.createSsl(Buffer.from(ca.cert), Buffer.from(internal.key), Buffer.from(internal.cert)))).toBe('UNIMPLEMENTED');
    expect(await call(grpc.credentials.createSsl(Buffer.from(ca.cert)))).toBe('UNAVAILABLE');
    expect(await call(grpc.credentials.createInsecure())).toBe('UNAVAILABLE');
    s.note('ingester gRPC: mTLS client UNIMPLEMENTED (handshake passed), TLS without certificate and plain text UNAVAILABLE');
  });

  test('reads both traces back by id and by TraceQL search through the query-frontend (querier to frontend and ingesters over mTLS)', async () => {
    await readBackById(s, d.socket(frontend, 3200), pushed);
    await findBySearch(s, d.socket(frontend, 3200), pushed);
  });
});
