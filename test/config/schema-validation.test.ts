import * as fs from 'fs';
import * as path from 'path';
import {
  formatViolations,
  receiverTypes,
  SchemaViolation,
  TEMPO_SCHEMA_VERSIONS,
  TempoSchemaVersion,
  validateTempoSchema,
} from '../../lib/config/schema-validation';

// The 2.x trees share these fixtures; 3.0.3 (no ingester, no compactor) is covered in test/tempo3.test.ts.
const VERSIONS: readonly TempoSchemaVersion[] = TEMPO_SCHEMA_VERSIONS.filter((v) => v.startsWith('2.'));

/** A realistic microservices-style tempo.yaml, valid for both 2.6.1 and 2.10.8. */
function realisticConfig(): Record<string, unknown> {
  return {
    multitenancy_enabled: true,
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      http_listen_port: 3200,
      grpc_listen_port: 9095,
      log_level: 'info',
      log_format: 'logfmt',
      http_server_read_timeout: '30s',
    },
    memberlist: {
      join_members: ['dns+tempo-gossip-ring.tracing.svc.cluster.local:7946'],
      cluster_label: 'tracing.tempo',
      bind_port: 7946,
      abort_if_cluster_join_fails: false,
    },
    distributor: {
      ring: { kvstore: { store: 'memberlist' } },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: '0.0.0.0:4317' },
            http: { endpoint: '0.0.0.0:4318' },
          },
        },
      },
    },
    ingester: {
      lifecycler: {
        ring: { replication_factor: 3, kvstore: { store: 'memberlist' } },
        tokens_file_path: '/var/tempo/tokens.json',
      },
      flush_all_on_shutdown: true,
      max_block_duration: '30m',
    },
    querier: { frontend_worker: { frontend_address: 'tempo-query-frontend-discovery:9095' } },
    query_frontend: { search: { duration_slo: '5s' } },
    compactor: {
      ring: { kvstore: { store: 'memberlist' } },
      compaction: { block_retention: '720h' },
    },
    metrics_generator: {
      ring: { kvstore: { store: 'memberlist' } },
      registry: { external_labels: { source: 'tempo', cluster: 'prod-eu-1' } },
      storage: {
        path: '/var/tempo/generator/wal',
        remote_write: [
          {
            url: 'http://prometheus.monitoring.svc:9090/api/v1/write',
            send_exemplars: true,
            name: 'prometheus',
            headers: { 'X-Scope-OrgID': 'tracing' },
          },
        ],
      },
      traces_storage: { path: '/var/tempo/generator/traces' },
      processor: {
        span_metrics: {
          dimensions: ['http.method', 'http.status_code'],
          histogram_buckets: [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048],
        },
        service_graphs: {
          dimensions: ['k8s.namespace.name'],
          histogram_buckets: [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8],
        },
      },
    },
    storage: {
      trace: {
        backend: 's3',
        wal: { path: '/var/tempo/wal' },
        local: { path: '/var/tempo/traces' },
        s3: {
          bucket: 'tempo-traces',
          endpoint: 's3.eu-west-1.amazonaws.com',
          region: 'eu-west-1',
          insecure: false,
          forcepathstyle: true,
          access_key: '${S3_ACCESS_KEY}',
          secret_key: '${S3_SECRET_KEY}',
        },
      },
    },
    overrides: {
      defaults: {
        ingestion: { rate_limit_bytes: 15_000_000, burst_size_bytes: 20_000_000 },
        metrics_generator: { processors: ['service-graphs', 'span-metrics'] },
      },
      per_tenant_override_config: '/runtime-config/overrides.yaml',
    },
  };
}

/** Sets a value at a dotted path, creating objects on the way (test helper). */
function withValue(config: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = config;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return config;
}

const paths = (violations: readonly SchemaViolation[]) => violations.map((v) => v.path);

describe('validateTempoSchema: main config', () => {
  test.each(VERSIONS)('a realistic config is valid for %s', (version) => {
    expect(validateTempoSchema(realisticConfig(), version, 'config')).toEqual([]);
  });

  test.each(VERSIONS)('an empty config and null sections are valid for %s', (version) => {
    expect(validateTempoSchema({}, version, 'config')).toEqual([]);
    expect(validateTempoSchema(null, version, 'config')).toEqual([]);
    expect(validateTempoSchema({ server: null, storage: { trace: { s3: undefined } } }, version, 'config')).toEqual([]);
  });

  test('an unknown key is reported with its full path and the allowed keys at that level', () => {
    const config = withValue(realisticConfig(), 'storage.trace.s3.bukcet', 'tempo-traces');
    const violations = validateTempoSchema(config, '2.10.8', 'config');
    expect(violations).toHaveLength(1);
    expect(violations[0].path).toBe('storage.trace.s3.bukcet');
    expect(violations[0].message).toMatch(/^unknown key "bukcet" \(allowed: access_key, bucket, /);
    expect(violations[0].message).toContain('did you mean "bucket"?');
  });

  test('an unknown top-level key is reported', () => {
    const violations = validateTempoSchema({ ...realisticConfig(), search_enabled: true }, '2.10.8', 'config');
    expect(paths(violations)).toEqual(['search_enabled']);
    expect(violations[0].message).toContain('multitenancy_enabled');
  });

  test('long allowed-key lists are truncated', () => {
    // server has more than 40 keys in both versions
    const violations = validateTempoSchema({ server: { no_such_key: 1 } }, '2.10.8', 'config');
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/, … \d+ more\)$/);
  });

  test('array items are addressed with [index]', () => {
    const config = realisticConfig();
    const mg = config.metrics_generator as { storage: { remote_write: Array<Record<string, unknown>> } };
    mg.storage.remote_write.push({ url: 'http://second:9090/api/v1/write', send_exemplar: true });
    const violations = validateTempoSchema(config, '2.6.1', 'config');
    expect(paths(violations)).toEqual(['metrics_generator.storage.remote_write[1].send_exemplar']);
  });

  test('keys that are not plain identifiers are quoted in paths', () => {
    const violations = validateTempoSchema({ overrides: { 'tenant.a': { ingestion: { rate_limit_bytes: 'lots' } } } }, '2.10.8', 'overrides');
    expect(paths(violations)).toEqual(['overrides["tenant.a"].ingestion.rate_limit_bytes']);
  });

  test('wrong types are reported as "expected <type>, got <kind> (<value>)"', () => {
    const config = realisticConfig();
    withValue(config, 'server.http_listen_port', 'http');
    withValue(config, 'ingester.flush_all_on_shutdown', 'yes');
    withValue(config, 'storage.trace.s3', 'tempo-traces');
    withValue(config, 'metrics_generator.processor.span_metrics.dimensions', 'http.method');
    withValue(config, 'metrics_generator.processor.span_metrics.histogram_buckets', [0.1, 'x']);
    withValue(config, 'storage.trace.backend', { type: 's3' });
    expect(validateTempoSchema(config, '2.10.8', 'config')).toEqual([
      { path: 'server.http_listen_port', message: 'expected integer, got string ("http")' },
      { path: 'ingester.flush_all_on_shutdown', message: 'expected boolean, got string ("yes")' },
      { path: 'metrics_generator.processor.span_metrics.dimensions', message: 'expected array, got string ("http.method")' },
      { path: 'metrics_generator.processor.span_metrics.histogram_buckets[1]', message: 'expected number, got string ("x")' },
      { path: 'storage.trace.backend', message: 'expected string, got object ({"type":"s3"})' },
      { path: 'storage.trace.s3', message: 'expected object, got string ("tempo-traces")' },
    ]);
  });

  test('any scalar decodes into a string field; number fields take only real numbers', () => {
    const config = realisticConfig();
    withValue(config, 'server.log_level', 5); // decodes into a string
    withValue(config, 'server.http_listen_port', '3200'); // js-yaml quotes it: yaml v2 refuses a quoted string for an int
    withValue(config, 'ingester.lifecycler.ring.replication_factor', 3.5);
    const violations = validateTempoSchema(config, '2.10.8', 'config');
    expect(paths(violations)).toEqual(['server.http_listen_port', 'ingester.lifecycler.ring.replication_factor']);
    expect(violations[1].message).toBe('expected integer, got number (3.5)');
  });

  test('${...} placeholders are accepted for string and duration fields only', () => {
    const config = realisticConfig();
    withValue(config, 'storage.trace.s3.bucket', '${BUCKET}');
    withValue(config, 'compactor.compaction.block_retention', '${RETENTION}');
    expect(validateTempoSchema(config, '2.6.1', 'config')).toEqual([]);
    withValue(config, 'server.http_listen_port', '${HTTP_PORT}');
    withValue(config, 'storage.trace.s3.insecure', '${S3_INSECURE}');
    const violations = validateTempoSchema(config, '2.6.1', 'config');
    expect(paths(violations).sort()).toEqual(['server.http_listen_port', 'storage.trace.s3.insecure']);
    expect(violations[0].message).toMatch(/placeholder .* decodes as a string/);
  });

  test('an integer where a Go duration is expected fails with a hint', () => {
    const config = withValue(realisticConfig(), 'ingester.max_block_duration', 1800);
    const violations = validateTempoSchema(config, '2.10.8', 'config');
    expect(paths(violations)).toEqual(['ingester.max_block_duration']);
    expect(violations[0].message).toMatch(/^expected Go duration .*, got number \(1800\); .*nanoseconds.*use a duration string/);
  });

  test('Go duration syntax', () => {
    for (const ok of ['30s', '1h30m', '0', '1.5h', '500ms', '720h']) {
      expect(validateTempoSchema({ compactor: { compaction: { block_retention: ok } } }, '2.10.8', 'config')).toEqual([]);
    }
    for (const bad of ['30', '1 h', 'forever', '']) {
      expect(paths(validateTempoSchema({ compactor: { compaction: { block_retention: bad } } }, '2.10.8', 'config'))).toEqual([
        'compactor.compaction.block_retention',
      ]);
    }
  });

  test('prometheus durations (model.Duration) take d/w/y, Go durations (time.Duration) do not', () => {
    // overrides.defaults.compaction.block_retention is model.Duration; compactor.compaction.block_retention is time.Duration
    for (const version of VERSIONS) {
      expect(validateTempoSchema({ overrides: { defaults: { compaction: { block_retention: '30d' } } } }, version, 'config')).toEqual([]);
      expect(validateTempoSchema({ overrides: { defaults: { compaction: { block_retention: '1w' } } } }, version, 'config')).toEqual([]);
      const goViolations = validateTempoSchema({ compactor: { compaction: { block_retention: '30d' } } }, version, 'config');
      expect(paths(goViolations)).toEqual(['compactor.compaction.block_retention']);
      expect(goViolations[0].message).toContain('use h (e.g. 720h)');
    }
    // remote_write timeouts come from Prometheus too
    const rw = { metrics_generator: { storage: { remote_write: [{ url: 'http://p:9090', remote_timeout: '1d', queue_config: { max_backoff: 5 } }] } } };
    expect(paths(validateTempoSchema(rw, '2.10.8', 'config'))).toEqual(['metrics_generator.storage.remote_write[0].queue_config.max_backoff']);
    // prometheus durations need whole units in descending order
    expect(validateTempoSchema({ overrides: { defaults: { compaction: { block_retention: '1.5h' } } } }, '2.10.8', 'config')).toHaveLength(1);
  });

  test('receiver keys must name a registered receiver type, optionally with /name', () => {
    const receivers = { otlp: {}, 'otlp/internal': {}, jaeger: { protocols: { thrift_http: null } }, zipkin: null, kafka: {} };
    for (const version of VERSIONS) {
      expect(validateTempoSchema({ distributor: { receivers } }, version, 'config')).toEqual([]);
    }
    const violations = validateTempoSchema({ distributor: { receivers: { prometheus: {}, 'otlp/': {} } } }, '2.10.8', 'config');
    expect(paths(violations)).toEqual(['distributor.receivers.prometheus', 'distributor.receivers.otlp/']);
    expect(violations[0].message).toBe(
      'unknown receiver type "prometheus" (allowed receiver types: jaeger, kafka, otlp, zipkin; a key is <type> or <type>/<name>)',
    );
  });

  test('the opencensus receiver exists in 2.6.1 and is gone in 2.10.8', () => {
    const config = withValue(realisticConfig(), 'distributor.receivers.opencensus', { endpoint: '0.0.0.0:55678' });
    expect(validateTempoSchema(config, '2.6.1', 'config')).toEqual([]);
    const violations = validateTempoSchema(config, '2.10.8', 'config');
    expect(paths(violations)).toEqual(['distributor.receivers.opencensus']);
    expect(violations[0].message).toContain('unknown receiver type "opencensus"');
  });

  test('keys removed between 2.6.1 and 2.10.8 pass on 2.6.1 and fail on 2.10.8', () => {
    const config = withValue(withValue(realisticConfig(), 'query_frontend.querier_forget_delay', '1m'), 'use_otel_tracer', true);
    expect(validateTempoSchema(config, '2.6.1', 'config')).toEqual([]);
    expect(paths(validateTempoSchema(config, '2.10.8', 'config'))).toEqual(['query_frontend.querier_forget_delay', 'use_otel_tracer']);
  });

  test('memberlist.join_members: a list in 2.6.1, a string or a list in 2.10.8', () => {
    expect(validateTempoSchema({ memberlist: { join_members: 'a:7946,b:7946' } }, '2.10.8', 'config')).toEqual([]);
    expect(validateTempoSchema({ memberlist: { join_members: 'a:7946,b:7946' } }, '2.6.1', 'config')).toEqual([
      { path: 'memberlist.join_members', message: 'expected array, got string ("a:7946,b:7946")' },
    ]);
    // when no shape fits, the message names every accepted shape
    expect(validateTempoSchema({ memberlist: { join_members: { a: 1 } } }, '2.10.8', 'config')).toEqual([
      { path: 'memberlist.join_members', message: 'expected string or array of string, got object ({"a":1})' },
    ]);
    // a list with a bad item is reported against the list shape
    expect(paths(validateTempoSchema({ memberlist: { join_members: ['a', ['b']] } }, '2.10.8', 'config'))).toEqual(['memberlist.join_members[1]']);
  });

  test('overrides: the new format and the legacy flat format are both accepted, mixing them is not', () => {
    const legacy = { overrides: { ingestion_rate_limit_bytes: 15_000_000, max_traces_per_user: 10_000, block_retention: '14d' } };
    const mixed = { overrides: { defaults: { ingestion: { rate_limit_bytes: 1, burst_size_bytes: 2 } }, ingestion_burst_size_bytes: 3 } };
    for (const version of VERSIONS) {
      expect(validateTempoSchema(legacy, version, 'config')).toEqual([]);
      const violations = validateTempoSchema(mixed, version, 'config');
      // reported against the new format, which recognises more of the keys
      expect(paths(violations)).toEqual(['overrides.ingestion_burst_size_bytes']);
      expect(violations[0].message).toMatch(/^unknown key "ingestion_burst_size_bytes" \(allowed: defaults, per_tenant_override_config, /);
    }
  });

  test('objects must be plain objects, not arrays or class instances', () => {
    class Server {
      http_listen_port = 3200;
    }
    expect(validateTempoSchema({ server: new Server() }, '2.10.8', 'config')).toEqual([
      { path: 'server', message: 'expected object, got object Server ({"http_listen_port":3200})' },
    ]);
    expect(validateTempoSchema([], '2.10.8', 'config')).toEqual([{ path: '', message: 'expected object, got array ([])' }]);
  });

  test('long values are shortened in messages', () => {
    const [violation] = validateTempoSchema({ server: { http_listen_port: 'x'.repeat(200) } }, '2.10.8', 'config');
    expect(violation.message.length).toBeLessThan(80);
    expect(violation.message).toContain('…');
  });
});

describe('validateTempoSchema: runtime overrides file', () => {
  test.each(VERSIONS)('empty and new-format overrides are valid for %s', (version) => {
    expect(validateTempoSchema({ overrides: {} }, version, 'overrides')).toEqual([]);
    expect(validateTempoSchema({ overrides: { 'tenant-a': { ingestion: { rate_limit_bytes: 1000 } } } }, version, 'overrides')).toEqual([]);
    expect(
      validateTempoSchema(
        {
          overrides: {
            'tenant-a': {
              ingestion: { rate_limit_bytes: 1000, burst_size_bytes: 2000, max_traces_per_user: 5000 },
              metrics_generator: { processors: ['span-metrics'] },
              compaction: { block_retention: '30d' },
            },
            'tenant-b': { read: { max_search_duration: '1d' } },
          },
        },
        version,
        'overrides',
      ),
    ).toEqual([]);
  });

  test.each(VERSIONS)('legacy flat per-tenant overrides are valid for %s', (version) => {
    const legacy = { overrides: { 'tenant-a': { ingestion_rate_limit_bytes: 1000, metrics_generator_processors: ['service-graphs'] } } };
    expect(validateTempoSchema(legacy, version, 'overrides')).toEqual([]);
  });

  test('mixing legacy and new keys in one file is reported against the closest format', () => {
    const mixed = { overrides: { 'tenant-a': { ingestion: { rate_limit_bytes: 1000, burst_size_bytes: 2000 }, ingestion_tenant_shard_size: 3 } } };
    expect(paths(validateTempoSchema(mixed, '2.10.8', 'overrides'))).toEqual(['overrides.tenant-a.ingestion_tenant_shard_size']);
  });

  test('unknown keys and wrong types in a tenant are reported', () => {
    expect(validateTempoSchema({ overrides: { 'tenant-a': { ingestion: { rate_limit_bytes: '1MB' } } } }, '2.6.1', 'overrides')).toEqual([
      { path: 'overrides.tenant-a.ingestion.rate_limit_bytes', message: 'expected integer, got string ("1MB")' },
    ]);
    expect(paths(validateTempoSchema({ tenants: {} }, '2.10.8', 'overrides'))).toEqual(['tenants']);
  });
});

describe('receiverTypes', () => {
  test('lists the receiver types the distributor registers', () => {
    expect(receiverTypes('2.6.1')).toEqual(['jaeger', 'kafka', 'opencensus', 'otlp', 'zipkin']);
    expect(receiverTypes('2.10.8')).toEqual(['jaeger', 'kafka', 'otlp', 'zipkin']);
  });

  test('returns a frozen copy', () => {
    const types = receiverTypes('2.10.8');
    expect(Object.isFrozen(types)).toBe(true);
    expect(receiverTypes('2.10.8')).toEqual(['jaeger', 'kafka', 'otlp', 'zipkin']);
  });

  test('rejects an unknown version', () => {
    expect(() => receiverTypes('9.9.9' as TempoSchemaVersion)).toThrow(/unsupported Tempo schema version "9.9.9"/);
    expect(() => validateTempoSchema({}, '2.10.8', 'runtime' as 'config')).toThrow(/unsupported Tempo schema kind/);
  });
});

describe('formatViolations', () => {
  test('one line per violation, root shown as (root)', () => {
    const text = formatViolations([
      { path: 'server.foo', message: 'unknown key "foo" (allowed: a, b)' },
      { path: '', message: 'expected object, got string ("x")' },
    ]);
    expect(text).toBe(
      ['2 Tempo configuration schema violations:', '  - server.foo: unknown key "foo" (allowed: a, b)', '  - (root): expected object, got string ("x")'].join('\n'),
    );
  });

  test('empty and very long lists', () => {
    expect(formatViolations([])).toBe('no Tempo configuration schema violations');
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `k${i}`, message: 'bad' }));
    const lines = formatViolations(many).split('\n');
    expect(lines[0]).toBe('60 Tempo configuration schema violations:');
    expect(lines).toHaveLength(52);
    expect(lines[51]).toBe('  … and 10 more');
  });
});

describe('schema data', () => {
  const schemaDir = path.join(__dirname, '..', '..', 'lib', 'config', 'schemas');

  test('a main and an overrides key tree per supported line are bundled with the library', () => {
    const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort();
    expect(TEMPO_SCHEMA_VERSIONS).toEqual(['2.6.1', '2.7.2', '2.8.4', '2.9.5', '2.10.8', '3.0.3']);
    expect(files).toEqual(TEMPO_SCHEMA_VERSIONS.flatMap((v) => [`overrides-v${v}.schema.json`, `tempo-v${v}.schema.json`]).sort());
    for (const file of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8'));
      expect(schema['x-tempoVersion']).toBe(`v${file.match(/v(\d+\.\d+\.\d+)/)![1]}`);
    }
  });

  test('the validator does not read ../shared', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'config', 'schema-validation.ts'), 'utf8');
    expect(source).not.toMatch(/shared\/|readFileSync/);
  });
});
