import { Duration, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoCertificate, TempoDistributed, TempoDistributedProps, TempoMonolithic, TempoReceiver, TempoStorage, TempoVersion } from '../lib';
import { find, Manifest, minioStorage, testChart } from './support/synth';
import { TempoTlsChart } from '../main';

const ISSUER = { name: 'tempo-ca' };
const KAFKA = { ingest: { kafka: { address: 'kafka:9092', topic: 'tempo', partitions: 2 } } };

function distributed(props: Partial<TempoDistributedProps>, namespace: string | null = 'tracing') {
  const chart = testChart(namespace);
  const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), ...props });
  return { tempo, manifests: Testing.synth(chart) as Manifest[], config: yaml.load(tempo.configText) as any };
}

const podSpec = (m: Manifest) => m.spec.template.spec;
// Tempo's own workloads (zones add the rollout-operator, which has nothing to do with TLS).
const workloads = (ms: Manifest[]) => ms.filter((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && podSpec(m).containers[0].image.startsWith('grafana/tempo:'));

describe('receiver TLS', () => {
  test('every TCP receiver gets the collector tls block; UDP receivers none; only the distributor mounts the Secret', () => {
    const { manifests, config } = distributed({
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.zipkin(), TempoReceiver.jaegerThriftCompact()],
      tls: { receivers: { certificate: TempoCertificate.fromSecret('public-tls', { cert: 'cert.pem', key: 'key.pem' }) } },
    });
    const tls = { cert_file: '/etc/tempo/tls/receivers/cert.pem', key_file: '/etc/tempo/tls/receivers/key.pem', reload_interval: '5m' };
    const r = config.distributor.receivers;
    expect(r.otlp.protocols.grpc.tls).toEqual(tls);
    expect(r.otlp.protocols.http.tls).toEqual(tls);
    expect(r.zipkin.tls).toEqual(tls);
    expect(r.jaeger.protocols.thrift_compact.tls).toBeUndefined();
    // The Secret is only mounted, never copied into a ConfigMap; no CA key without client certificates.
    const dist = find(manifests, 'Deployment', 'tempo-distributor');
    expect(podSpec(dist).volumes).toContainEqual({ name: 'tls-receivers', secret: { secretName: 'public-tls', items: [{ key: 'cert.pem', path: 'cert.pem' }, { key: 'key.pem', path: 'key.pem' }] } });
    expect(podSpec(dist).containers[0].volumeMounts).toContainEqual({ name: 'tls-receivers', mountPath: '/etc/tempo/tls/receivers', readOnly: true });
    for (const w of workloads(manifests).filter((m) => m !== dist)) expect(JSON.stringify(podSpec(w).volumes)).not.toContain('public-tls');
    expect(JSON.stringify(manifests.filter((m) => m.kind === 'ConfigMap'))).not.toMatch(/BEGIN|public-tls/);
    expect(manifests.filter((m) => m.kind === 'Certificate')).toEqual([]);
  });

  test('client certificates: client_ca_file and the CA key mounted; cert-manager Certificate for the distributor Service', () => {
    const { manifests, config } = distributed({
      tls: { receivers: { certificate: TempoCertificate.certManager({ issuer: ISSUER, extraDnsNames: ['traces.example.com'] }), requireClientCertificate: true, reloadInterval: Duration.minutes(1) } },
    });
    expect(config.distributor.receivers.otlp.protocols.grpc.tls).toEqual({
      cert_file: '/etc/tempo/tls/receivers/tls.crt', key_file: '/etc/tempo/tls/receivers/tls.key', client_ca_file: '/etc/tempo/tls/receivers/ca.crt', reload_interval: '1m',
    });
    const cert = find(manifests, 'Certificate', 'tempo-receivers-tls');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.metadata.namespace).toBe('tracing');
    expect(cert.spec).toMatchObject({
      secretName: 'tempo-receivers-tls',
      dnsNames: ['tempo-distributor', 'tempo-distributor.tracing', 'tempo-distributor.tracing.svc', 'tempo-distributor.tracing.svc.cluster.local', 'traces.example.com'],
      issuerRef: { name: 'tempo-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: '2160h',
      renewBefore: '720h',
      usages: ['server auth', 'digital signature'],
    });
    expect(podSpec(find(manifests, 'Deployment', 'tempo-distributor')).volumes).toContainEqual({
      name: 'tls-receivers',
      secret: { secretName: 'tempo-receivers-tls', items: ['tls.crt', 'tls.key', 'ca.crt'].map((k) => ({ key: k, path: k })) },
    });
  });

  test('the single binary: receiver TLS on its own Service name', () => {
    const chart = testChart('tracing');
    const tempo = new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), serviceName: 'tempo', tls: { receivers: { certificate: TempoCertificate.certManager({ issuer: ISSUER }) } } });
    const ms = Testing.synth(chart) as Manifest[];
    expect(find(ms, 'Certificate', 'tempo-receivers-tls').spec.dnsNames).toEqual(['tempo', 'tempo.tracing', 'tempo.tracing.svc', 'tempo.tracing.svc.cluster.local']);
    expect((yaml.load(tempo.configText) as any).server.grpc_tls_config).toBeUndefined();
    expect(podSpec(find(ms, 'StatefulSet', 'tempo')).containers[0].volumeMounts).toContainEqual({ name: 'tls-receivers', mountPath: '/etc/tempo/tls/receivers', readOnly: true });
  });
});

describe('internal mutual TLS', () => {
  const client = { tls_enabled: true, tls_cert_path: '/etc/tempo/tls/internal/tls.crt', tls_key_path: '/etc/tempo/tls/internal/tls.key', tls_ca_path: '/etc/tempo/tls/internal/ca.crt', tls_server_name: 'tempo-gossip-ring.tracing.svc.cluster.local' };
  const server = { cert_file: '/etc/tempo/tls/internal/tls.crt', key_file: '/etc/tempo/tls/internal/tls.key', client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: '/etc/tempo/tls/internal/ca.crt' };
  const internal = { internal: { certificate: TempoCertificate.certManager({ issuer: { name: 'tempo-ca', kind: 'Issuer' as const } }) } };

  test.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8].map((v) => [v.version, v] as const))('Tempo %s: gRPC server, ingester, generator and frontend clients, memberlist', (_v, version) => {
    const { config } = distributed({ version, tls: internal, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    expect(config.server.grpc_tls_config).toEqual(server);
    expect(config.ingester_client.grpc_client_config).toEqual(client);
    expect(config.metrics_generator_client.grpc_client_config).toEqual(client);
    expect(config.querier.frontend_worker.grpc_client_config).toEqual(client);
    expect(config.querier.frontend_worker.frontend_address).toBe('tempo-query-frontend-discovery:9095');
    expect(config.memberlist).toMatchObject({ ...client, bind_port: 7946 });
    // 2.x has no live-stores nor backend scheduler in use: their clients are not written.
    expect(config.live_store_client).toBeUndefined();
    expect(config.backend_scheduler_client).toBeUndefined();
  });

  test('Tempo 3.0: live-store, backend-scheduler and frontend clients (3.0 has no ingester or generator client keys)', () => {
    const { config } = distributed({ version: TempoVersion.V3_0_3, ...KAFKA, tls: internal, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    expect(config.server.grpc_tls_config).toEqual(server);
    expect(config.live_store_client.grpc_client_config).toEqual(client);
    expect(config.backend_scheduler_client.grpc_client_config).toEqual(client);
    expect(config.querier.frontend_worker.grpc_client_config).toEqual(client);
    expect(config.ingester_client).toBeUndefined();
    expect(config.metrics_generator_client).toBeUndefined();
  });

  test('memberlist: false keeps gossip in plain text', () => {
    const { config } = distributed({ tls: { internal: { certificate: TempoCertificate.fromSecret('mtls'), memberlist: false } } });
    expect(config.memberlist.tls_enabled).toBeUndefined();
    expect(config.ingester_client.grpc_client_config.tls_enabled).toBe(true);
  });

  test('every workload mounts the Secret; the Certificate names every Service, headless pod names and the verified server name', () => {
    const { manifests } = distributed({ tls: internal, ingester: { zones: ['a', 'b'], replicas: 2, replicationFactor: 1 } });
    for (const w of workloads(manifests)) {
      expect(podSpec(w).volumes).toContainEqual({ name: 'tls-internal', secret: { secretName: 'tempo-internal-tls', items: ['tls.crt', 'tls.key', 'ca.crt'].map((k) => ({ key: k, path: k })) } });
      expect(w.metadata.annotations?.['secret.reloader.stakater.com/reload']).toBeUndefined();
    }
    const cert = find(manifests, 'Certificate', 'tempo-internal-tls');
    expect(cert.spec.issuerRef).toEqual({ name: 'tempo-ca', kind: 'Issuer', group: 'cert-manager.io' });
    expect(cert.spec.usages).toEqual(['server auth', 'client auth', 'digital signature']);
    const names: string[] = cert.spec.dnsNames;
    expect(names[0]).toBe('tempo-gossip-ring.tracing.svc.cluster.local');
    // Every Service of the instance (what a client may dial), in every namespace form.
    for (const svc of manifests.filter((m) => m.kind === 'Service')) expect(names).toContain(`${svc.metadata.name}.tracing.svc`);
    for (const headless of ['tempo-ingester-a', 'tempo-ingester-b', 'tempo-query-frontend-discovery', 'tempo-gossip-ring']) {
      expect(names).toContain(`*.${headless}.tracing.svc.cluster.local`);
    }
    expect(names).not.toContain('*.tempo-distributor.tracing.svc.cluster.local');
    expect(new Set(names).size).toBe(names.length);
  });

  test('restartOnRenewal: Reloader annotation naming the Secrets each workload mounts; clusterDomain', () => {
    const { manifests } = distributed({
      tls: { ...internal, receivers: { certificate: TempoCertificate.fromSecret('public-tls') }, restartOnRenewal: true, clusterDomain: 'example.internal' },
    });
    expect(find(manifests, 'Deployment', 'tempo-distributor').metadata.annotations?.['secret.reloader.stakater.com/reload']).toBe('public-tls,tempo-internal-tls');
    expect(find(manifests, 'StatefulSet', 'tempo-ingester').metadata.annotations?.['secret.reloader.stakater.com/reload']).toBe('tempo-internal-tls');
    expect(find(manifests, 'Certificate', 'tempo-internal-tls').spec.dnsNames[0]).toBe('tempo-gossip-ring.tracing.svc.example.internal');
  });

  test('without a namespace the names are the short Service names', () => {
    const { manifests, config } = distributed({ tls: internal }, null);
    expect(config.memberlist.tls_server_name).toBe('tempo-gossip-ring');
    expect(find(manifests, 'Certificate', 'tempo-internal-tls').spec.dnsNames).toContain('tempo-querier');
  });
});

describe('errors name the option', () => {
  const fails = (props: Partial<TempoDistributedProps>) => () => distributed(props);
  test.each<[string, Partial<TempoDistributedProps>, RegExp]>([
    ['gateway', { gateway: {}, tls: { receivers: { certificate: TempoCertificate.fromSecret('t') } } }, /tls\.receivers: the gateway forwards to the distributor's receivers in plain text/],
    ['exposure', { exposure: { hostnames: ['traces.example.com'], gatewayApi: { parentRef: { name: 'public' } } }, tls: { receivers: { certificate: TempoCertificate.fromSecret('t') } } }, /tls\.receivers: exposure routes the ingress controller to the receivers in plain text; allowed: exposure\.ingest: false/],
    ['UDP only', { receivers: [TempoReceiver.jaegerThriftCompact()], tls: { receivers: { certificate: TempoCertificate.fromSecret('t') } } }, /tls\.receivers: no enabled receiver can serve TLS/],
    ['own tls settings', { receivers: [TempoReceiver.otlpGrpc({ settings: { tls: { cert_file: '/x' } } })], tls: { receivers: { certificate: TempoCertificate.fromSecret('t') } } }, /receivers: otlp-grpc settings set tls, which tls\.receivers owns/],
    ['Secret name', { tls: { internal: { certificate: TempoCertificate.fromSecret('Bad_Name') } } }, /tls\.internal\.certificate\.secretName: "Bad_Name" is not a valid Secret name/],
    ['Secret key', { tls: { internal: { certificate: TempoCertificate.fromSecret('ok', { ca: '../ca' }) } } }, /tls\.internal\.certificate\.keys\.ca: "\.\.\/ca" is invalid/],
    ['issuer', { tls: { internal: { certificate: TempoCertificate.certManager({ issuer: { name: '' } }) } } }, /tls\.internal\.certificate\.issuer\.name: "" is invalid/],
    ['renewBefore', { tls: { receivers: { certificate: TempoCertificate.certManager({ issuer: ISSUER, duration: Duration.days(10), renewBefore: Duration.days(10) }) } } }, /tls\.receivers\.certificate\.renewBefore: 240h is invalid; allowed: at least 5 minutes and shorter than duration \(240h\)/],
    ['extra DNS name', { tls: { receivers: { certificate: TempoCertificate.certManager({ issuer: ISSUER, extraDnsNames: ['Traces.Example.com'] }) } } }, /tls\.receivers\.certificate\.extraDnsNames\[0\]: "Traces\.Example\.com" is invalid/],
    ['plain object', { tls: { internal: { certificate: { secretName: 'x' } as any } } }, /tls\.internal\.certificate: .* is invalid; allowed: TempoCertificate\.fromSecret/],
    ['empty', { tls: {} }, /tls: neither receivers nor internal is set/],
    ['extraConfig', { extraConfig: { memberlist: { tls_enabled: true } } }, /extraConfig\.memberlist\.tls_enabled: the library sets memberlist\.tls_enabled .*tls\.internal/],
  ])('%s', (_t, props, message) => {
    expect(fails(props)).toThrow(message);
  });

  test('exposure of queries only goes with receiver TLS', () => {
    expect(() => distributed({ exposure: { hostnames: ['traces.example.com'], ingest: false, grpc: false, gatewayApi: { parentRef: { name: 'public' } } }, tls: { receivers: { certificate: TempoCertificate.fromSecret('t') } } })).not.toThrow();
  });

  test('internal TLS on the single binary is refused with what to use', () => {
    expect(() => new TempoMonolithic(testChart('tracing'), 'Tempo', { storage: TempoStorage.local(), tls: { internal: { certificate: TempoCertificate.fromSecret('x') } } }))
      .toThrow(/tls\.internal: the single binary has no gRPC or gossip between components; allowed: tls\.receivers only, or TempoDistributed/);
  });
});

test('the TLS example of main.ts (dist/tempo-tls): receivers and internal mTLS from Secrets, Reloader annotations, no Certificate', () => {
  const chart = new TempoTlsChart(Testing.app(), 'tempo-tls');
  const ms = Testing.synth(chart) as Manifest[];
  const config = yaml.load(chart.tempo.configText) as any;
  expect(config.distributor.receivers.otlp.protocols.grpc.tls.client_ca_file).toBe('/etc/tempo/tls/receivers/ca.crt');
  expect(config.server.grpc_tls_config.client_auth_type).toBe('RequireAndVerifyClientCert');
  expect(config.metrics_generator_client.grpc_client_config.tls_enabled).toBe(true);
  expect(find(ms, 'Deployment', 'tempo-distributor').metadata.annotations?.['secret.reloader.stakater.com/reload']).toBe('tempo-otlp-tls,tempo-mtls');
  expect(ms.filter((m) => m.kind === 'Certificate')).toEqual([]);
});
