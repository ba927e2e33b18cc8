import { Duration, Size, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { buildTempoConfig, DevMinio, TempoStorage, TempoDistributed, TempoMonolithic, TempoMonolithicProps, TempoReceiver, TempoVersion } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { find, Manifest, minioStorage, tempoConfig, testChart } from './support/synth';

function synthMonolithic(props: Partial<TempoMonolithicProps> = {}) {
  const chart = testChart('tracing');
  const tempo = new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), ...props });
  return { tempo, manifests: Testing.synth(chart) as Manifest[] };
}

const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };

describe('TempoMonolithic', () => {
  const { tempo, manifests } = synthMonolithic({
    serviceName: 'tempo',
    retention: Duration.hours(24),
    storageSize: Size.gibibytes(5),
    storageClassName: 'local-path',
    receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerThriftCompact()],
  });
  const sts = find(manifests, 'StatefulSet', 'tempo');
  const container = sts.spec.template.spec.containers[0];
  const config = tempoConfig(manifests);

  test('one StatefulSet pod running -target=all with the config file', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(container.args).toEqual(['-target=all', '-config.file=/conf/tempo.yaml', '-config.expand-env=true']);
    expect(manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')).toHaveLength(1);
  });

  test('the chosen Service name exposes http 3200, OTLP 4317/4318 and Jaeger compact 6831/UDP', () => {
    const svc = find(manifests, 'Service', 'tempo');
    expect(svc.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['3200/TCP', '4317/TCP', '4318/TCP', '6831/UDP']);
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(tempo.queryEndpoint).toEqual({ serviceName: 'tempo', port: 3200, portName: 'http', podSelector: sts.spec.selector.matchLabels });
  });

  test('traces and WAL on a 5Gi local-path claim at /var/tempo', () => {
    const vct = sts.spec.volumeClaimTemplates[0];
    expect(vct.metadata.name).toBe('data');
    expect(vct.spec.resources.requests.storage).toBe('5Gi');
    expect(vct.spec.storageClassName).toBe('local-path');
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/tempo' });
    expect(config.storage.trace).toEqual({ backend: 'local', local: { path: '/var/tempo/traces' }, wal: { path: '/var/tempo/wal' } });
    expect(config.compactor.compaction.block_retention).toBe('24h');
  });

  test('single process: in-memory rings, no memberlist, its own query-frontend for its querier, replication factor 1', () => {
    expect(config.memberlist).toBeUndefined();
    // explicit, so Tempo does not print "Worker address is empty in single binary mode" (its own fallback)
    expect(config.querier).toEqual({ frontend_worker: { frontend_address: '127.0.0.1:9095' } });
    expect(config.ingester.lifecycler.ring).toEqual({ kvstore: { store: 'inmemory' }, replication_factor: 1 });
    expect(config.multitenancy_enabled).toBe(false);
    expect(container.ports.map((p: any) => p.name)).not.toContain('memberlist');
  });

  test('same security defaults as the distributed mode', () => {
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('object storage and the metrics-generator work in this mode (2.6.1 and 2.10.8)', () => {
    for (const version of [TempoVersion.V2_6_1, TempoVersion.V2_10_8]) {
      const { manifests: m } = synthMonolithic({ version, storage: minioStorage(), metricsGenerator: GENERATOR });
      const cfg = tempoConfig(m);
      expect(cfg.storage.trace.backend).toBe('s3');
      expect(cfg.metrics_generator.storage.remote_write[0].url).toBe(GENERATOR.remoteWriteUrl);
      expect(cfg.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics', 'local-blocks']);
      expect(cfg.metrics_generator.traces_storage.path).toBe('/var/tempo/generator/traces');
      const c = find(m, 'StatefulSet', 'tempo').spec.template.spec.containers[0];
      expect(c.env).toContainEqual({ name: 'TEMPO_S3_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } });
      expect(validateK8sManifests(m).errors).toEqual([]);
    }
  });

  test('service name defaults to the instance name; bad names are refused', () => {
    expect(find(synthMonolithic({ name: 'traces' }).manifests, 'Service', 'traces')).toBeDefined();
    expect(() => synthMonolithic({ serviceName: 'Tempo_1' })).toThrow(/serviceName: "Tempo_1" is invalid; allowed: a DNS label/);
    expect(() => synthMonolithic({ retention: Duration.minutes(10) })).toThrow(/retention: 10m is invalid; allowed: a whole number of seconds, at least 1h/);
    expect(() => synthMonolithic({ version: TempoVersion.V2_10_8, receivers: [TempoReceiver.openCensus()] })).toThrow(/receivers: opencensus/);
  });
});

test('the single binary and the distributed mode render their shared config sections from the same code', () => {
  const receivers = [TempoReceiver.otlpGrpc(), TempoReceiver.zipkin()];
  const common = { storage: minioStorage(), receivers, metricsGenerator: { ...GENERATOR, spanMetricsDimensions: ['http.method'] } };
  const chart = Testing.chart();
  const mono = new TempoMonolithic(chart, 'Mono', { name: 'mono', retention: Duration.days(3), ...common });
  const dist = new TempoDistributed(chart, 'Dist', { name: 'dist', compactor: { retention: Duration.days(3) }, ...common });
  const a = yaml.load(mono.configText) as any;
  const b = yaml.load(dist.configText) as any;
  for (const section of ['server', 'storage', 'overrides', 'usage_report', 'multitenancy_enabled']) expect(a[section]).toEqual(b[section]);
  expect(a.distributor.receivers).toEqual(b.distributor.receivers);
  expect(a.compactor.compaction).toEqual(b.compactor.compaction);
  expect(a.metrics_generator.processor).toEqual(b.metrics_generator.processor);
  expect(a.metrics_generator.storage).toEqual(b.metrics_generator.storage);
  // and only the documented differences remain
  expect(b.memberlist.join_members).toEqual(['dns+dist-gossip-ring:7946']);
  expect(a.memberlist).toBeUndefined();
  // both are the output of the one pure builder
  expect(typeof buildTempoConfig).toBe('function');
  expect(Object.keys(a).filter((k) => !(k in b))).toEqual([]);
});

// Start-up warnings of the single binary (proved gone against real Tempo in test/acceptance/single-binary-startup).
test('the single binary keeps its compactor out of any ring; the distributed compactors share one', () => {
  const mono = yaml.load(new TempoMonolithic(Testing.chart(), 'Mono', { storage: TempoStorage.local() }).configText) as any;
  // no compactor ring: Tempo 2.6 would wait a minute for it to be stable before /ready
  expect(mono.compactor.ring).toBeUndefined();
  expect(mono.compactor.compaction.block_retention).toBeDefined();
  const dist = yaml.load(new TempoDistributed(Testing.chart(), 'Dist', { storage: minioStorage() }).configText) as any;
  expect(dist.compactor.ring.kvstore.store).toBe('memberlist');
  expect(dist.querier.frontend_worker.frontend_address).toBe('tempo-query-frontend-discovery:9095');
});

describe('DevMinio', () => {
  const chart = testChart('monitoring');
  const minio = new DevMinio(chart, 'Minio', { rootCredentials: { secretName: 'minio-credentials' } });
  new TempoDistributed(chart, 'Tempo', { storage: minio.storage() });
  const manifests = Testing.synth(chart) as Manifest[];

  test('StatefulSet with a volume, Service on 9000/9001, root credentials from the named Secret', () => {
    const sts = find(manifests, 'StatefulSet', 'minio');
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toContain('/data');
    expect(c.env).toEqual([
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } },
    ]);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(find(manifests, 'Service', 'minio').spec.ports.map((p: any) => p.port)).toEqual([9000, 9001]);
  });

  test('a Job creates the bucket, idempotently', () => {
    const job = find(manifests, 'Job', 'minio-create-buckets');
    const script = job.spec.template.spec.containers[0].command[2];
    expect(script).toContain('mc alias set local http://minio:9000');
    expect(script).toContain('mc mb --ignore-existing local/tempo-traces');
  });

  test('plugs into the S3 storage in one line', () => {
    expect(tempoConfig(manifests).storage.trace.s3).toEqual({
      bucket: 'tempo-traces', endpoint: 'minio:9000', insecure: true, forcepathstyle: true,
      access_key: '${TEMPO_S3_ACCESS_KEY_ID}', secret_key: '${TEMPO_S3_SECRET_ACCESS_KEY}',
    });
    expect(() => minio.storage('other')).toThrow(/minio\.storage: bucket "other" is not created by this MinIO; allowed: tempo-traces/);
  });

  test('restricted pod security for the server and the Job; schema-valid', () => {
    for (const m of [find(manifests, 'StatefulSet', 'minio'), find(manifests, 'Job', 'minio-create-buckets')]) {
      const pod = m.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('bad bucket names are refused', () => {
    expect(() => new DevMinio(Testing.chart(), 'M', { rootCredentials: { secretName: 's' }, buckets: ['Bad_Bucket'] })).toThrow(/minio\.buckets: "Bad_Bucket" is invalid/);
  });
});
