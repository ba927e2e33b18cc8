import * as grpc from '@grpc/grpc-js';
import { App } from 'cdk8s';
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { connect } from 'net';
import { join } from 'path';
import { TempoStorage } from '../../lib';
import { PRODUCTION_TENANTS, TempoProductionChart } from '../../main';
import type { Manifest } from '../support/synth';
import { binaryPath, describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { findBySearch, pushOnEveryReceiver, readBackById, readFromBlocks, remoteWriteArrives } from './harness/checks';
import { Deployment, ImageRunner } from './harness/deployment';
import { AZURITE_ACCOUNT, azureBlob, azureBlobs, createAzureContainer, Emulator, startAzurite, startDns, startSink } from './harness/emulators';
import { http } from './harness/http';
import type { ConfigChange } from './harness/overlay';
import { ScenarioRun } from './harness/scenario';
import { normaliseId, readTrace, search, streamSearch, TestTrace } from './harness/traces';
import { waitFor } from './harness/wait';

const [tenantA, tenantB] = PRODUCTION_TENANTS;
const PASSWORDS: Record<string, string> = { [tenantA]: 'e2e-checkout-password', [tenantB]: 'e2e-search-password' };
const basic = (tenant: string) => ({ authorization: `Basic ${Buffer.from(`${tenant}:${PASSWORDS[tenant]}`).toString('base64')}` });
const CONTAINER = 'tempo-traces';
/** The e2e overlay's extra cleartext-HTTP/2 listener of the gateway (see the nginx runner). */
const STREAMING_TEST_PORT = 8090;

/** Debian's nginx for the gateway image: the generated nginx.conf, with listen addresses on the pod's address. */
const nginx: ImageRunner = (pod, address) => {
  const dir = pod.mounts['/etc/nginx/gateway'];
  let conf = readFileSync(join(dir, 'nginx.conf'), 'utf8');
  const changes: ConfigChange[] = [];
  const change = (from: string, to: string) => {
    if (!conf.includes(from)) throw new Error(`${pod.name}: nginx.conf has no "${from}"`);
    conf = conf.split(from).join(to);
    changes.push({ pod: pod.name, key: 'nginx.conf', from, to });
  };
  // Debian 12's nginx 1.22 predates `http2 on;` (1.25.1) and cannot serve HTTP/1.1 and cleartext HTTP/2 on one port
  // (the gateway's own nginx 1.27 does). So the generated 8080 server is served twice: on 8080 with HTTP/1.1 only
  // (the suite's HTTP checks) and, copied unchanged but for its listen line, on STREAMING_TEST_PORT with cleartext
  // HTTP/2 (`listen ... http2`, prior knowledge), where the streaming test calls the generated
  // /tempopb.StreamingQuerier/ location: the same location block, auth and headers, only the port differs.
  const head = '  server {\n    listen 8080;\n    http2 on;\n';
  const start = conf.indexOf(head);
  const end = conf.indexOf('\n  }\n', start) + '\n  }\n'.length;
  if (start < 0 || end <= start) throw new Error(`${pod.name}: nginx.conf has no 8080 server block`);
  const server = conf.slice(start, end);
  const h2 = server.replace('    listen 8080;\n    http2 on;\n', `    listen ${address}:${STREAMING_TEST_PORT} http2;\n`);
  conf = conf.slice(0, end) + `\n  # e2e overlay: the server above, cleartext HTTP/2 only.\n${h2}` + conf.slice(end);
  changes.push({ pod: pod.name, key: 'nginx.conf', from: null, to: `copy of the 8080 server on ${address}:${STREAMING_TEST_PORT} http2` });
  change('listen 8080;\n    http2 on;', `listen ${address}:8080;`);
  // The OTLP gRPC listener is HTTP/2 only: the same setting in 1.22's syntax.
  change('listen 4317;\n    http2 on;', `listen ${address}:4317 http2;`);
  // The exporter's stub_status listener is the pod's own loopback; pods share one here, so each takes its address
  // (two gateways on 127.0.0.1:8081 made the second nginx exit, and whichever lost the race broke the scenario).
  change('listen 127.0.0.1:8081;', `listen ${address}:8081;`);
  const out = join(pod.root, 'e2e-overlay');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'nginx.conf'), conf);
  // The htpasswd Secret: one user per tenant ({SHA} scheme), test passwords.
  const sha = (p: string) => createHash('sha1').update(p).digest('base64');
  writeFileSync(join(pod.mounts['/etc/nginx/secrets'], '.htpasswd'), Object.entries(PASSWORDS).map(([u, p]) => `${u}:{SHA}${sha(p)}`).join('\n') + '\n');
  const argv = pod.args.slice(); // nginx's own args after the command: -c <conf>
  const c = argv.indexOf('-c');
  argv[c + 1] = join(out, 'nginx.conf');
  return { argv: ['nginx', ...argv], changes };
};

/** Debian's memcached with the container's args, listening on the pod's address (as root it needs a user). */
const memcached: ImageRunner = (pod, address) => ({
  argv: ['memcached', ...pod.args, '-l', address, '-u', 'nobody'],
  changes: [{ pod: pod.name, key: 'memcached args', from: null, to: `-l ${address} -u nobody` }],
});

/** Tempo Vulture (the example's TempoVulture) with its container args, metrics on the pod's address. */
const vulture: ImageRunner = (pod, address) => {
  const binary = binaryPath(`tempo-vulture-${pod.version}`);
  if (!binary) throw new Error(`${pod.name}: no tempo-vulture-${pod.version} in TEMPO_BIN_DIR`);
  const from = pod.args.find((a) => a.startsWith('-prometheus-listen-address='))!;
  const to = `-prometheus-listen-address=${address}:${from.split(':').pop()}`;
  return { argv: [binary, ...pod.args.map((a) => (a === from ? to : a))], changes: [{ pod: pod.name, key: 'vulture args', from, to }] };
};

async function memcachedStats(socket: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let buf = '';
    s.setTimeout(5000, () => s.destroy(new Error('memcached stats: no answer')));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('END\r\n')) {
        s.end();
        resolve(Object.fromEntries([...buf.matchAll(/^STAT (\S+) (\S+)\r$/gm)].map((m) => [m[1], Number(m[2])])));
      }
    });
    s.on('error', reject);
    s.write('stats\r\n');
  });
}

// The production-style example (dist/tempo-production): Tempo 2.10.8, zone-aware ingesters, memcached, nginx gateway
// with basic auth and two tenants, autoscaled distributors and queriers at their minimum, storage on Azurite (the
// chart's storage option, as the example offers for emulators: account devstoreaccount1 at http://azurite).
describeWithBinaries('e2e: production example (2.10.8, Azure on Azurite, gateway, memcached, two tenants)', ['tempo-2.10.8', 'tempo-vulture-2.10.8'], () => {
  jest.setTimeout(300_000);
  let s: ScenarioRun;
  let d: Deployment;
  let sink: Emulator;
  let azurite: Awaited<ReturnType<typeof startAzurite>>;
  let pushed: { traces: TestTrace[]; old: TestTrace };
  let gatewayH2: string;
  const gateway = 'tempo-gateway-0';
  const querier = 'tempo-querier-0';

  beforeAll(async () => {
    s = new ScenarioRun('production example, Tempo 2.10.8, Azure (Azurite), gateway, memcached, two tenants');
    const storage = TempoStorage.azure({ containerName: CONTAINER, storageAccountName: AZURITE_ACCOUNT.name, accountKey: { secretName: 'tempo-azure-credentials', key: 'accountKey' }, endpointSuffix: 'azurite' });
    const manifests = new TempoProductionChart(new App(), 'tempo-production', {}, storage).toJson() as Manifest[];
    d = s.deployment = new Deployment({
      ns: s.ns, manifests, binDir: TEMPO_BIN_DIR!, runners: { 'nginxinc/nginx-unprivileged': nginx, memcached, 'grafana/tempo-vulture': vulture },
      secretEnv: { TEMPO_AZURE_STORAGE_ACCOUNT_KEY: AZURITE_ACCOUNT.key },
    });
    gatewayH2 = s.ns.bridge(`${gateway}-h2`, [{ host: d.pod(gateway).address, port: STREAMING_TEST_PORT }])[0];
    // Azurite as `azurite` on port 80 (Tempo: http://<endpoint_suffix>/<account> when the suffix is not blob.*).
    azurite = await startAzurite(s.ns, ['azurite'], 80);
    await createAzureContainer(azurite, CONTAINER);
    sink = await startSink(s.ns, ['prometheus.monitoring.svc', 'prometheus.monitoring.svc.cluster.local'], 9090);
    await startDns(s.ns, ['kube-dns.kube-system.svc.cluster.local'], d.srv);
    d.start();
    await d.waitReady(240_000);
    s.mark(`start: ${d.pods.length} pods /ready`);
  });

  afterAll(async () => {
    await s?.finish();
  });

  test('the gateway refuses a request without credentials (and with a wrong password)', async () => {
    const sock = d.socket(gateway, 8080);
    expect((await http(sock, 'GET', `/api/search?q=${encodeURIComponent('{}')}`)).status).toBe(401);
    expect((await http(sock, 'POST', '/v1/traces', { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await http(sock, 'GET', '/api/search', { headers: { authorization: `Basic ${Buffer.from(`${tenantA}:wrong`).toString('base64')}` } })).status).toBe(401);
    s.mark('gateway refuses missing/wrong credentials');
  });

  test(`accepts tenant ${tenantA}'s traces through the gateway (OTLP gRPC and HTTP, Zipkin)`, async () => {
    pushed = await pushOnEveryReceiver(s, [
      ['otlp-grpc', d.socket(gateway, 4317)], ['otlp-http', d.socket(gateway, 8080), '/otlp/v1/traces'], ['zipkin', d.socket(gateway, 8080), '/zipkin/spans'],
    ], d.socket(gateway, 8080), basic(tenantA));
  });

  test('reads them back by id and by TraceQL search through the gateway', async () => {
    await readBackById(s, d.socket(gateway, 8080), pushed.traces, basic(tenantA));
    await findBySearch(s, d.socket(gateway, 8080), pushed.traces, basic(tenantA));
  });

  test('streams a TraceQL search over gRPC (tempopb.StreamingQuerier/Search): on the query-frontend, and through the gateway\'s generated location', async () => {
    const q = `{ span.e2e.run = "${s.run}" }`;
    const now = Math.floor(Date.now() / 1000);
    const want = pushed.traces.map((t) => normaliseId(t.traceId)).sort();
    const streamed = async (what: string, socket: string, md: Record<string, string>) => waitFor(what, async () => {
      const r = await streamSearch(socket, q, now - 900, now + 60, md);
      return want.every((id) => r.ids.includes(id)) ? r : undefined;
    }, { timeoutMs: 45_000, intervalMs: 2000 });
    // (a) The query-frontend's gRPC port, tenant header as gRPC metadata.
    const direct = await streamed('streamed search on the query-frontend\'s gRPC port', d.socket('tempo-query-frontend-0', 9095), { 'x-scope-orgid': tenantA });
    expect(direct.ids.filter((id) => want.includes(id)).sort()).toEqual(want);
    s.mark(`streaming search on query-frontend:9095 (${direct.messages} messages)`);
    // (b) Through the gateway: the overlay's extra HTTP/2 listener serves the generated location block byte for byte.
    const generated = readFileSync(join(d.pod(gateway).spec.mounts['/etc/nginx/gateway'], 'nginx.conf'), 'utf8');
    const served = readFileSync(join(d.pod(gateway).spec.root, 'e2e-overlay', 'nginx.conf'), 'utf8');
    const location = /\n( *location \/tempopb\.StreamingQuerier\/ \{\n[^}]*\})/.exec(generated)?.[1];
    expect(location).toContain('grpc_pass grpc://$query_frontend:3200;');
    const h2Server = served.slice(served.indexOf(`listen ${d.pod(gateway).address}:${STREAMING_TEST_PORT} http2;`));
    expect(h2Server.slice(0, h2Server.indexOf('\n  }\n'))).toContain(location!);
    const via = await streamed('streamed search through the gateway', gatewayH2, basic(tenantA));
    expect(via.ids.filter((id) => want.includes(id)).sort()).toEqual(want);
    // The gateway sets the tenant from the basic-auth user (grpc_set_header X-Scope-OrgID) and refuses anonymous calls.
    expect((await streamSearch(gatewayH2, q, now - 900, now + 60, basic(tenantB))).ids).toEqual([]);
    await expect(streamSearch(gatewayH2, q, now - 900, now + 60)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    s.note(`streaming search: ${want.length} traces on query-frontend:9095 (${direct.messages} messages) and through the gateway's /tempopb.StreamingQuerier/ -> query-frontend:3200 (${via.messages} messages); ${tenantB} streams none, no credentials -> UNAUTHENTICATED`);
    s.mark('streaming search through the gateway');
  });

  test(`tenant ${tenantB} sees none of them`, async () => {
    for (const t of pushed.traces) {
      const r = await readTrace(d.socket(gateway, 8080), t.traceId, '', basic(tenantB));
      expect({ id: t.traceId, ...r }).toEqual({ id: t.traceId, v1: [], v2: [] });
    }
    const now = Math.floor(Date.now() / 1000);
    expect(await search(d.socket(gateway, 8080), `{ span.e2e.run = "${s.run}" }`, now - 900, now + 60, basic(tenantB))).toEqual([]);
    s.note(`tenants: ${tenantB} finds none of ${tenantA}'s ${pushed.traces.length} traces by id or search`);
    s.mark('tenant isolation');
  });

  test('the metrics-generator remote-writes span metrics', async () => {
    await remoteWriteArrives(s, sink);
  });

  test('after /flush and a querier restart, traces are read from the Azure blocks only, with memcached hits', async () => {
    const ingesters = d.pods.filter((p) => p.spec.name.startsWith('tempo-ingester-'));
    expect(ingesters.map((i) => i.spec.env.TEMPO_AVAILABILITY_ZONE).sort()).toEqual(['zone-a', 'zone-b', 'zone-c']);
    for (const i of ingesters) expect((await http(d.socket(i.spec.name, 3200), 'GET', '/flush')).status).toBeLessThan(300);
    const metas = await waitFor('flushed blocks in Azurite', async () => {
      const names = (await azureBlobs(azurite, CONTAINER, `${tenantA}/`)).filter((n) => n.endsWith('/meta.json'));
      return names.length >= ingesters.length ? names : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    const parsed = await Promise.all(metas.map(async (n) => JSON.parse(await azureBlob(azurite, CONTAINER, n))));
    s.note(`Azure: ${metas.length} blocks of ${tenantA} in container ${CONTAINER}`);
    s.mark('flush: blocks in Azure');
    await d.restartPod(querier);
    await d.waitReady(120_000, [querier]);
    s.mark('querier restart');
    const tenant = { 'X-Scope-OrgID': tenantA };
    await readFromBlocks(s, d.socket(querier, 3200), pushed.traces, pushed.old, parsed, tenant);
    // Again: bloom filters and parquet footers now come from memcached.
    await readFromBlocks(s, d.socket(querier, 3200), pushed.traces, pushed.old, parsed, tenant);
    const stats = await memcachedStats(d.socket('tempo-memcached-0', 11211));
    expect(stats.get_hits).toBeGreaterThan(0);
    s.note(`memcached: ${stats.get_hits} hits, ${stats.get_misses} misses, ${stats.curr_items} items`);
  });

  test('the example\'s Tempo Vulture runs against it and exports its metrics', async () => {
    const r = await http(d.socket('tempo-vulture-0', 8080), 'GET', '/metrics');
    expect(r.status).toBe(200);
    const series = r.body.split('\n').filter((l) => l.startsWith('tempo_vulture_') && !l.includes('_bucket'));
    expect(series.length).toBeGreaterThan(0);
    s.note(`vulture: ${series.slice(0, 6).join('; ')}`);
  });
});
