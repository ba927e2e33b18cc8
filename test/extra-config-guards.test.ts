import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { EnvReference, TempoMonolithic, TempoStorage } from '../lib';
import { extraConfigErrors, OWNED_CONFIG_KEYS } from '../lib/config/owned-keys';
import { find, synthDistributed, tempoConfig } from './support/synth';

// issue 9, defect 8: extraConfig must not silently break what the library derives, nor carry credentials.
const GEN = { remoteWriteUrl: 'https://mimir.example.com/api/v1/push' };

describe('extraConfig keys the library owns are refused, pointing at the typed option', () => {
  test.each([
    ['a receiver', { distributor: { receivers: { zipkin: { endpoint: '0.0.0.0:9411' } } } },
      /extraConfig\.distributor\.receivers: the library sets distributor\.receivers \(receivers set here get no container port, Service port, NetworkPolicy rule or 0\.0\.0\.0 endpoint\); use receivers \(TempoReceiver/],
    ['the replication factor', { ingester: { lifecycler: { ring: { replication_factor: 2 } } } },
      /extraConfig\.ingester\.lifecycler\.ring\.replication_factor: the library sets .*; use ingester\.replicationFactor/],
    ['the HTTP port', { server: { http_listen_port: 8080 } }, /extraConfig\.server\.http_listen_port: .* it is not configurable \(fixed at 3200\)/],
    ['the gRPC port', { server: { grpc_listen_port: 9096 } }, /extraConfig\.server\.grpc_listen_port: .*fixed at 9095/],
    ['memberlist members', { memberlist: { join_members: ['tempo-gossip:7946'] } }, /extraConfig\.memberlist\.join_members: .*derived from the gossip ring Service/],
    ['memberlist port', { memberlist: { bind_port: 7947 } }, /extraConfig\.memberlist\.bind_port: .*fixed at 7946/],
    ['the storage backend', { storage: { trace: { backend: 'gcs' } } }, /extraConfig\.storage\.trace\.backend: .*use storage \(TempoStorage/],
    ['the frontend address', { querier: { frontend_worker: { frontend_address: 'qf:9095' } } }, /extraConfig\.querier\.frontend_worker\.frontend_address: .*query-frontend discovery Service/],
    ['the retention', { compactor: { compaction: { block_retention: '720h' } } }, /extraConfig\.compactor\.compaction\.block_retention: .*use compactor\.retention/],
    ['a literal S3 secret key', { storage: { trace: { s3: { secret_key: 'wJalrXUtnFEMI' } } } }, /extraConfig\.storage\.trace\.s3\.secret_key: .*credentials from a Secret through their typed options/],
    ['an Azure account key', { storage: { trace: { azure: { storage_account_key: 'abc==' } } } }, /extraConfig\.storage\.trace\.azure\.storage_account_key: .*use storage/],
    ['a whole section replaced', { server: null }, /extraConfig\.server: the library sets multitenancy_enabled|extraConfig\.server: the library sets server\.http_listen_port/],
    ['a cache the NetworkPolicies do not know', { cache: { caches: [{ roles: ['bloom'], memcached: { host: 'x' } }] } }, /extraConfig\.cache\.caches: .*NetworkPolicies open egress to the library's memcached only/],
    ['remote write to another URL', { metrics_generator: { storage: { remote_write: [{ url: 'http://other:9090/api/v1/write' }] } } }, /extraConfig\.metrics_generator\.storage\.remote_write: .*use metricsGenerator\.remoteWriteUrl/],
  ])('%s', (_name, extraConfig, message) => {
    expect(() => synthDistributed({ metricsGenerator: GEN, extraConfig: extraConfig as Record<string, unknown> })).toThrow(message);
  });

  test('the single binary is guarded too', () => {
    expect(() => new TempoMonolithic(Testing.chart(), 'T', { storage: TempoStorage.local(), extraConfig: { server: { http_listen_port: 80 } } }))
      .toThrow(/TempoMonolithic "tempo":\n {2}extraConfig\.server\.http_listen_port: the library sets server\.http_listen_port/);
  });

  test('a replaced parent is reported once', () => {
    const errors = extraConfigErrors('extraConfig', { server: 'x' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^extraConfig\.server: the library sets server\./);
  });

  test('keys the library does not own pass', () => {
    const { manifests } = synthDistributed({ extraConfig: { ingester: { complete_block_timeout: '1m' }, storage: { trace: { blocklist_poll: '10m', s3: { part_size: 10485760 } } }, server: { http_server_read_timeout: '45s' } } });
    const config = tempoConfig(manifests);
    expect(config.ingester.complete_block_timeout).toBe('1m');
    expect(config.storage.trace.s3.part_size).toBe(10485760);
    expect(config.server.http_listen_port).toBe(3200);
  });

  test('every owned path is a key of some Tempo version (the table cannot rot silently)', () => {
    const dir = path.join(__dirname, '..', 'lib', 'config', 'schemas');
    const schemas = fs.readdirSync(dir).filter((f) => f.startsWith('tempo-')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    const exists = (schema: any, keys: string[]): boolean => {
      let node = schema;
      for (const key of keys) {
        const options = node?.oneOf ?? [node];
        node = options.map((o: any) => o?.properties?.[key] ?? (typeof o?.additionalProperties === 'object' ? o.additionalProperties : undefined)).find(Boolean);
        if (!node) return false;
      }
      return true;
    };
    const missing = OWNED_CONFIG_KEYS.map((k) => k.path).filter((p) => !schemas.some((s) => exists(s, p.split('.'))));
    expect(missing).toEqual([]);
  });
});

describe('literal credentials in extraConfig are refused; EnvReferences pass', () => {
  test('a remote-write password for the typed URL: literal refused, EnvReference rendered as ${NAME}', () => {
    const literal = { metrics_generator: { storage: { remote_write: [{ url: GEN.remoteWriteUrl, basic_auth: { username: 'tempo', password: 'hunter2' } }] } } };
    let message = '';
    try {
      synthDistributed({ metricsGenerator: GEN, extraConfig: literal });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/extraConfig\.metrics_generator\.storage\.remote_write\[0\]\.basic_auth\.password: a literal credential would be written to a ConfigMap; allowed: EnvReference\.of\('NAME'\)/);
    expect(message).not.toMatch(/hunter2/);

    const { manifests } = synthDistributed({
      metricsGenerator: { ...GEN, env: { RW_PASSWORD: EnvValue.fromSecretValue({ secret: { name: 'rw' } as any, key: 'password' }) } },
      extraConfig: { metrics_generator: { storage: { remote_write: [{ url: GEN.remoteWriteUrl, send_exemplars: true, basic_auth: { username: 'tempo', password: EnvReference.of('RW_PASSWORD') } }] } } },
    });
    const text = find(manifests, 'ConfigMap', 'tempo-config').data['tempo.yaml'];
    expect((yaml.load(text) as any).metrics_generator.storage.remote_write[0].basic_auth.password).toBe('${RW_PASSWORD}');
  });

  test.each([
    [{ some: { api_token: 'abc' } }, /extraConfig\.some\.api_token: a literal credential/],
    [{ a: { client_secret: 'abc' } }, /extraConfig\.a\.client_secret: a literal credential/],
    [{ a: { tls_config: { key: '-----BEGIN KEY-----' } } }, /extraConfig\.a\.tls_config\.key: a literal credential/],
    [{ a: { http_headers: { Authorization: { values: ['Bearer abc'] } } } }, /extraConfig\.a\.http_headers\.Authorization\.values\[0\]: a literal credential/],
    [{ a: { http_headers: { 'X-Scope': { secrets: ['abc'] } } } }, /extraConfig\.a\.http_headers\.X-Scope\.secrets\[0\]: a literal credential/],
    [{ a: { endpoint: 'https://user:pw@example.com' } }, /extraConfig\.a\.endpoint: the URL holds credentials \(user:password@\)/],
  ])('%j', (extraConfig, message) => {
    const errors = extraConfigErrors('extraConfig', extraConfig);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test('non-credentials and placeholders pass', () => {
    expect(extraConfigErrors('extraConfig', {
      a: { password: EnvReference.of('P'), password_file: '/secrets/p', api_token: '', tokens_file_path: '/var/tempo/t', override_ring_key: 'ring' },
      b: { span_multiplier_key: 'x', url: 'https://example.com/path@v1' },
    })).toEqual([]);
  });
});

test('defaults set in extraConfig.overrides.defaults reach the named tenants too', () => {
  const { manifests } = synthDistributed({
    multitenancy: true,
    tenants: { 'team-a': { maxTracesPerUser: 5000 } },
    extraConfig: { overrides: { defaults: { read: { max_bytes_per_tag_values_query: 1000 } } } },
  });
  const overrides = yaml.load(find(manifests, 'ConfigMap', 'tempo-runtime').data['overrides.yaml']) as any;
  expect(overrides.overrides['team-a'].read.max_bytes_per_tag_values_query).toBe(1000);
  expect(overrides.overrides['team-a'].ingestion.max_traces_per_user).toBe(5000);
});
