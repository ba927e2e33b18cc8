import { Size } from 'cdk8s';
import { TempoCacheRole, TempoReceiver, TempoVersion, validateTempoSchema } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { connectionAllowed, Endpoint, pod } from './support/network-policy';
import { find, Manifest, synthDistributed, tempoConfig } from './support/synth';

const podOf = (m: Manifest): Endpoint => pod(m.metadata.namespace ?? 'monitoring', m.spec.template.metadata.labels);

describe.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8])('TempoDistributed with cache and gateway (%s)', (version) => {
  const { manifests, tempo } = synthDistributed({
    version,
    multitenancy: true,
    receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.zipkin()],
    cache: { memory: Size.gibibytes(2), exporter: true, roles: [TempoCacheRole.BLOOM, TempoCacheRole.PARQUET_FOOTER] },
    gateway: { basicAuth: { secretName: 'tempo-gateway-htpasswd' }, replicas: 2 },
  });
  const config = tempoConfig(manifests);
  const w = (kind: string, name: string) => podOf(find(manifests, kind, name));

  test('tempo.yaml points at the memcached Service with the chosen roles, valid for the version', () => {
    expect(config.cache.caches).toEqual([{
      roles: ['bloom', 'parquet-footer'],
      memcached: expect.objectContaining({ host: 'tempo-memcached.monitoring.svc.cluster.local', service: 'client', consistent_hash: true }),
    }]);
    expect(find(manifests, 'Service', 'tempo-memcached').spec.clusterIP).toBe('None');
    expect(validateTempoSchema(config, version.schemaVersion, 'config')).toEqual([]);
  });

  test('the gateway routes to the derived Services and handles the tenant header', () => {
    const conf = find(manifests, 'ConfigMap', 'tempo-gateway-config').data['nginx.conf'];
    expect(conf).toContain('tempo-distributor.monitoring.svc.cluster.local');
    expect(conf).toContain('tempo-query-frontend.monitoring.svc.cluster.local');
    expect(conf).toMatch(/X-Scope-OrgID \$remote_user/);
    expect(tempo.gateway!.routes.map((r) => r.receiver).sort()).toEqual(['otlp-http', 'otlp-http', 'zipkin']);
    expect(find(manifests, 'PodDisruptionBudget', 'tempo-gateway')).toBeDefined();
  });

  test('network policies allow the gateway and the cache paths, and nothing more', () => {
    const app = pod('shop', {});
    const gateway = w('Deployment', 'tempo-gateway');
    const distributor = w('Deployment', 'tempo-distributor');
    const frontend = w('Deployment', 'tempo-query-frontend');
    const querier = w('Deployment', 'tempo-querier');
    const memcached = w('StatefulSet', 'tempo-memcached');
    const prometheus = pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
    expect(connectionAllowed(manifests, app, gateway, 8080)).toBe(true);
    expect(connectionAllowed(manifests, app, gateway, 4317)).toBe(true);
    expect(connectionAllowed(manifests, gateway, distributor, 4318)).toBe(true);
    expect(connectionAllowed(manifests, gateway, distributor, 4317)).toBe(true);
    expect(connectionAllowed(manifests, gateway, frontend, 3200)).toBe(true);
    expect(connectionAllowed(manifests, gateway, pod('kube-system', { 'k8s-app': 'kube-dns' }), 53, 'UDP')).toBe(true);
    expect(connectionAllowed(manifests, querier, memcached, 11211)).toBe(true);
    expect(connectionAllowed(manifests, prometheus, memcached, 9150)).toBe(true);
    expect(connectionAllowed(manifests, app, memcached, 11211)).toBe(false);
    expect(connectionAllowed(manifests, memcached, app, 80)).toBe(false);
    expect(connectionAllowed(manifests, gateway, w('StatefulSet', 'tempo-ingester'), 9095)).toBe(true); // gateway is a Tempo pod
    expect(connectionAllowed(manifests, app, w('StatefulSet', 'tempo-ingester'), 9095)).toBe(false);
  });

  test('memcached and gateway pods spread across nodes and zones like the components', () => {
    for (const [kind, name] of [['StatefulSet', 'tempo-memcached'], ['Deployment', 'tempo-gateway']]) {
      const m = find(manifests, kind, name);
      const tsc = m.spec.template.spec.topologySpreadConstraints;
      expect(tsc.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      expect(tsc[0].labelSelector.matchLabels).toEqual(m.spec.selector.matchLabels);
    }
  });

  test('every object passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

test('a cache role the version lacks is refused with the allowed roles', () => {
  expect(() => synthDistributed({ cache: { roles: ['not-a-role' as TempoCacheRole] } })).toThrow(/roles: "not-a-role" is not a cache role of Tempo 2\.10\.8; allowed:/);
});
