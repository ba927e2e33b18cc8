import { Duration } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  buildTempoConfig, EnvReference, LogFormat, LogLevel, renderTempoConfig,
  TempoStorage, TempoConfigError, TempoConfigInput, TempoReceiver, TempoVersion, validateTempoSchema,
} from '../../lib';
import { renderRuntimeOverrides, requiredEnvironment } from '../../lib/config/tempo-config';

/** The configuration model is pure data: these tests build no Kubernetes object. */
function input(overrides: Partial<TempoConfigInput> = {}): TempoConfigInput {
  return {
    version: TempoVersion.V2_6_1,
    multitenancy: false,
    logLevel: LogLevel.INFO,
    logFormat: LogFormat.LOGFMT,
    ring: { kind: 'memberlist', joinMembers: ['dns+tempo-gossip-ring:7946'], clusterLabel: 'tempo.monitoring' },
    receivers: [TempoReceiver.otlpGrpc()],
    storage: TempoStorage.s3({ bucket: 'traces', endpoint: 'minio:9000', credentials: { secretName: 'creds' } }).bind(),
    replicationFactor: 3,
    frontendAddress: 'tempo-query-frontend-discovery:9095',
    retention: Duration.days(14),
    ...overrides,
  };
}

describe('Tempo configuration model', () => {
  test.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8])('the generated config passes the key schema of %s', (version) => {
    const doc = buildTempoConfig(input({ version, metricsGenerator: { remoteWriteUrl: 'http://p:9090/api/v1/write', spanMetricsDimensions: ['a'] } }));
    const text = renderTempoConfig(doc, version);
    expect(validateTempoSchema(yaml.load(text), version.schemaVersion, 'config')).toEqual([]);
  });

  test('rendering is deterministic and keys are sorted', () => {
    const a = renderTempoConfig(buildTempoConfig(input()), TempoVersion.V2_6_1);
    const b = renderTempoConfig(buildTempoConfig(input()), TempoVersion.V2_6_1);
    expect(a).toBe(b);
    const top = Object.keys(yaml.load(a) as object);
    expect(top).toEqual([...top].sort());
  });

  test('credentials are env placeholders, single-quoted, and listed as required environment', () => {
    const doc = buildTempoConfig(input());
    expect(requiredEnvironment(doc)).toEqual(['TEMPO_S3_ACCESS_KEY_ID', 'TEMPO_S3_SECRET_ACCESS_KEY']);
    const text = renderTempoConfig(doc, TempoVersion.V2_6_1);
    expect(text).toContain("access_key: '${TEMPO_S3_ACCESS_KEY_ID}'");
    expect(text).toContain("secret_key: '${TEMPO_S3_SECRET_ACCESS_KEY}'");
  });

  test('single-binary input: in-memory ring, no memberlist, the worker on its own frontend, no compactor ring', () => {
    const doc = buildTempoConfig(input({ ring: { kind: 'inmemory' }, frontendAddress: undefined, replicationFactor: 1 }));
    expect(doc.memberlist).toBeUndefined();
    expect(doc.querier).toEqual({ frontend_worker: { frontend_address: '127.0.0.1:9095' } });
    expect((doc.compactor as any).ring).toBeUndefined();
    expect((doc.ingester as any).lifecycler.ring.kvstore.store).toBe('inmemory');
    renderTempoConfig(doc, TempoVersion.V2_6_1);
  });

  describe('extra config (escape hatch)', () => {
    test('deep-merges maps, replaces lists, and is checked like the rest', () => {
      const doc = buildTempoConfig(input({
        extraConfig: {
          query_frontend: { search: { duration_slo: '5s' } },
          memberlist: { join_members: ['dns+other:7946'] },
          storage: { trace: { s3: { bucket: 'other' } } },
        },
      }));
      const parsed = yaml.load(renderTempoConfig(doc, TempoVersion.V2_6_1)) as any;
      expect(parsed.query_frontend.search.duration_slo).toBe('5s');
      expect(parsed.memberlist.join_members).toEqual(['dns+other:7946']);
      expect(parsed.memberlist.cluster_label).toBe('tempo.monitoring');
      expect(parsed.storage.trace.s3).toMatchObject({ bucket: 'other', endpoint: 'minio:9000' });
    });

    test('an unknown key fails with its full path', () => {
      const doc = buildTempoConfig(input({ extraConfig: { storage: { trace: { s3: { buckett: 'x' } } } } }));
      expect(() => renderTempoConfig(doc, TempoVersion.V2_6_1)).toThrow(TempoConfigError);
      expect(() => renderTempoConfig(doc, TempoVersion.V2_6_1)).toThrow(/storage\.trace\.s3\.buckett: unknown key "buckett"/);
    });

    test('a wrong type fails with its path', () => {
      const doc = buildTempoConfig(input({ extraConfig: { compactor: { compaction: { block_retention: 3600 } } } }));
      expect(() => renderTempoConfig(doc, TempoVersion.V2_6_1)).toThrow(/compactor\.compaction\.block_retention: expected Go duration/);
    });

    test('a key removed in a later version fails only there', () => {
      const doc = buildTempoConfig(input({ extraConfig: { query_frontend: { querier_forget_delay: '1m' } } }));
      expect(() => renderTempoConfig(doc, TempoVersion.V2_6_1)).not.toThrow();
      expect(() => renderTempoConfig(buildTempoConfig(input({ version: TempoVersion.V2_10_8, extraConfig: { query_frontend: { querier_forget_delay: '1m' } } })), TempoVersion.V2_10_8))
        .toThrow(/Tempo 2\.10\.8:[\s\S]*query_frontend\.querier_forget_delay: unknown key/);
    });

    test('EnvReference in extra config becomes a placeholder; a literal $ is escaped', () => {
      const doc = buildTempoConfig(input({ extraConfig: { server: { http_path_prefix: EnvReference.of('PREFIX') }, memberlist: { cluster_label: 'a$b' } } }));
      const text = renderTempoConfig(doc, TempoVersion.V2_6_1);
      expect(text).toContain("http_path_prefix: '${PREFIX}'");
      expect(text).toContain('cluster_label: a$$b');
    });
  });

  test('receivers render in the OpenTelemetry Collector layout, with extra settings', () => {
    const doc = buildTempoConfig(input({
      receivers: [TempoReceiver.otlpGrpc({ settings: { max_recv_msg_size_mib: 16 } }), TempoReceiver.otlpHttp(), TempoReceiver.zipkin()],
    }));
    expect((doc.distributor as any).receivers).toEqual({
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317', max_recv_msg_size_mib: 16 }, http: { endpoint: '0.0.0.0:4318' } } },
      zipkin: { endpoint: '0.0.0.0:9411' },
    });
  });

  test('runtime overrides render in the nested format and are checked against the overrides schema', () => {
    expect(yaml.load(renderRuntimeOverrides({}, TempoVersion.V2_6_1))).toEqual({ overrides: {} });
    const text = renderRuntimeOverrides({ 'tenant-a': { ingestion: { rate_limit_bytes: 1000000, burst_size_bytes: 2000000 } } }, TempoVersion.V2_10_8);
    expect(yaml.load(text)).toEqual({ overrides: { 'tenant-a': { ingestion: { rate_limit_bytes: 1000000, burst_size_bytes: 2000000 } } } });
    expect(() => renderRuntimeOverrides({ 'tenant-a': { ingestion: { rate_limit: 1 } } }, TempoVersion.V2_6_1)).toThrow(/overrides\.yaml is not valid[\s\S]*tenant-a/);
  });
});

describe('TempoVersion', () => {
  test('known releases and patch releases of supported lines', () => {
    expect(TempoVersion.V2_6_1.image).toBe('grafana/tempo:2.6.1');
    expect(TempoVersion.V2_10_8.schemaVersion).toBe('2.10.8');
    expect(TempoVersion.of('2.6.0').schemaVersion).toBe('2.6.1');
    expect(TempoVersion.of('2.10.1').atLeast(2, 7)).toBe(true);
    expect(TempoVersion.V2_6_1.atLeast(2, 7)).toBe(false);
  });

  test.each(['2.5.0', '2.11.0', '3.1.0', 'latest', '2.10'])('"%s" is rejected with the allowed lines', (v) => {
    expect(() => TempoVersion.of(v)).toThrow(/version: ".*" is not supported; allowed: 2\.6\.x, 2\.7\.x, 2\.8\.x, 2\.9\.x, 2\.10\.x, 3\.0\.x/);
  });
});
