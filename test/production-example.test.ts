/** The production-style example of main.ts (`tempo-production`, Tempo 2.10.8): each promised property, checked on its objects. */
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { PRODUCTION_TENANTS, TempoProductionChart } from '../main';
import { TempoStorage } from '../lib';
import { find, Manifest, tempoConfig, workloads } from './support/synth';

const manifests = new TempoProductionChart(new App(), 'tempo-production').toJson() as Manifest[];
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);

test('everything in namespace tracing-prod; every Tempo workload runs 2.10.8', () => {
  expect(manifests.every((m) => m.metadata.namespace === 'tracing-prod')).toBe(true);
  const tempo = workloads(manifests).flatMap((w) => w.spec.template.spec.containers).filter((c: any) => c.image.includes('/grafana/tempo:'));
  expect(tempo.length).toBe(8); // six components (three ingester zones), not the vulture
  expect(new Set(tempo.map((c: any) => c.image))).toEqual(new Set(['registry.example.com/hub/grafana/tempo:2.10.8']));
});

test('ingesters in three zones, replication factor 3 with zone awareness', () => {
  const zones = byKind('StatefulSet').filter((s) => s.metadata.name.startsWith('tempo-ingester-'));
  expect(zones.map((s) => s.metadata.name)).toEqual(['tempo-ingester-zone-a', 'tempo-ingester-zone-b', 'tempo-ingester-zone-c']);
  for (const s of zones) {
    const zone = s.metadata.name.replace('tempo-ingester-', '');
    const env = s.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'TEMPO_AVAILABILITY_ZONE', value: zone });
    expect(JSON.stringify(s.spec.template.spec.affinity)).toContain(zone);
  }
  expect(tempoConfig(manifests).ingester.lifecycler.ring).toMatchObject({ replication_factor: 3, zone_awareness_enabled: true });
});

test('memcached serves the caches', () => {
  find(manifests, 'StatefulSet', 'tempo-memcached');
  expect(tempoConfig(manifests).cache.caches[0].memcached.host).toBe('tempo-memcached.tracing-prod.svc.cluster.local');
});

test('gateway with basic auth from the htpasswd Secret, deriving the tenant from the user', () => {
  const gw = find(manifests, 'Deployment', 'tempo-gateway');
  expect(JSON.stringify(gw.spec.template.spec.volumes)).toContain('tempo-gateway-htpasswd');
  const conf = Object.values<string>(find(manifests, 'ConfigMap', 'tempo-gateway-config').data).join('\n');
  expect(conf).toContain('auth_basic_user_file');
  expect(conf).toContain('X-Scope-OrgID $remote_user');
});

test('multitenancy with two tenants and typed per-tenant limits in the runtime overrides', () => {
  expect(tempoConfig(manifests).multitenancy_enabled).toBe(true);
  const overrides = (yaml.load(find(manifests, 'ConfigMap', 'tempo-runtime').data['overrides.yaml']) as any).overrides;
  expect(Object.keys(overrides).sort()).toEqual([...PRODUCTION_TENANTS]);
  expect(overrides['team-checkout'].ingestion).toMatchObject({ rate_limit_bytes: 40 * 1024 * 1024, max_traces_per_user: 100000 });
  expect(overrides['team-search'].ingestion.rate_strategy).toBe('global');
  expect(overrides['team-search'].read.max_search_duration).toBe('168h');
  // a data source per tenant, each sending its tenant
  for (const tenant of PRODUCTION_TENANTS) {
    const ds = (yaml.load(Object.values<string>(find(manifests, 'ConfigMap', `tempo-datasource-${tenant}`).data)[0]) as any).datasources[0];
    expect(ds.jsonData.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(ds.secureJsonData.httpHeaderValue1).toBe(tenant);
  }
});

test('distributors and queriers are autoscaled', () => {
  const hpas = byKind('HorizontalPodAutoscaler');
  expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['tempo-distributor', 'tempo-querier']);
  for (const h of hpas) expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
  // the HPA owns the replica count
  expect(find(manifests, 'Deployment', 'tempo-distributor').spec.replicas).toBeUndefined();
});

test('metrics-generator remote-writes to Prometheus and keeps local blocks for TraceQL metrics on its volume', () => {
  expect(find(manifests, 'StatefulSet', 'tempo-metrics-generator').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
  expect(tempoConfig(manifests).metrics_generator.processor.local_blocks).toEqual({ filter_server_spans: false, flush_to_storage: true, max_live_traces: 100000, complete_block_timeout: '1h' });
  expect(tempoConfig(manifests).overrides.defaults.metrics_generator.processors).toContain('local-blocks');
  expect(tempoConfig(manifests).stream_over_http_enabled).toBe(true);
  expect(tempoConfig(manifests).metrics_generator.storage.remote_write[0].url).toBe('http://prometheus.monitoring.svc:9090/api/v1/write');
});

test('Azure storage with the account key from a Secret, never in a ConfigMap', () => {
  const config = tempoConfig(manifests);
  expect(config.storage.trace.backend).toBe('azure');
  expect(config.storage.trace.azure.storage_account_key).toBe('${TEMPO_AZURE_STORAGE_ACCOUNT_KEY}');
  for (const w of workloads(manifests).filter((x) => x.spec.template.spec.containers[0].image.includes('/grafana/tempo:'))) {
    expect(w.spec.template.spec.containers[0].env).toContainEqual({
      name: 'TEMPO_AZURE_STORAGE_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'tempo-azure-credentials', key: 'accountKey' } },
    });
  }
});

test('customization: the mirror registry and pull Secret on every pod of the instance, the corporate CA on every Tempo container', () => {
  const instance = workloads(manifests).filter((w) => w.metadata.labels?.['app.kubernetes.io/instance'] === 'tempo' && w.metadata.name !== 'tempo-vulture');
  expect(instance.length).toBe(11); // eight Tempo workloads, memcached, gateway, rollout-operator
  for (const w of instance) {
    const spec = w.spec.template.spec;
    for (const c of spec.containers) expect(c.image).toMatch(/^registry\.example\.com\/hub\//);
    expect(spec.imagePullSecrets).toEqual([{ name: 'registry-example-pull' }]);
    if (!spec.containers[0].image.includes('/grafana/tempo:')) continue;
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'corporate-ca', mountPath: '/etc/ssl/corporate', readOnly: true });
    expect(spec.containers[0].env).toContainEqual({ name: 'SSL_CERT_DIR', value: '/etc/ssl/certs:/etc/ssl/corporate' });
  }
  expect(find(manifests, 'ServiceAccount', 'tempo').metadata.annotations).toMatchObject({ 'example.com/owner': 'observability' });
});

test('NetworkPolicies on, with ingest through the gateway', () => {
  expect(byKind('NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(expect.arrayContaining(['tempo-gateway', 'tempo-ingest', 'tempo-internal', 'tempo-query']));
});

test('exposed at tempo.example.com through ingress-nginx with a cert-manager certificate, everything to the gateway', () => {
  const http = find(manifests, 'Ingress', 'tempo-http');
  const grpc = find(manifests, 'Ingress', 'tempo-grpc');
  expect(http.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
  expect(grpc.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol']).toBe('GRPC');
  const backends = [http, grpc].flatMap((i) => i.spec.rules[0].http.paths.map((p: any) => `${p.path}->${p.backend.service.name}:${p.backend.service.port.number}`));
  expect(backends).toEqual(['/api->tempo-gateway:80', '/v1/traces->tempo-gateway:80', '/otlp/v1/traces->tempo-gateway:80', '/zipkin/spans->tempo-gateway:80',
    '/tempopb.StreamingQuerier->tempo-gateway:80', '/opentelemetry.proto.collector.trace.v1.TraceService->tempo-gateway:4317']);
  const fromController = find(manifests, 'NetworkPolicy', 'tempo-gateway').spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'ingress-nginx');
  expect(fromController.ports).toEqual([{ port: 4317, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' }]);
});

test('the storage can be replaced (e.g. by an emulator in tests) without changing anything else', () => {
  const other = new TempoProductionChart(new App(), 'p', {}, TempoStorage.azure({ containerName: 'tempo-traces', storageAccountName: 'devstoreaccount1', accountKey: { secretName: 's' }, endpointSuffix: 'azurite.storage.svc' })).toJson() as Manifest[];
  expect(tempoConfig(other).storage.trace.azure.endpoint_suffix).toBe('azurite.storage.svc');
  expect(other.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(manifests.map((m) => `${m.kind}/${m.metadata.name}`));
});

test('a Tempo Vulture probes the distributor and query-frontend as its own tenant, with its alert', () => {
  const args: string[] = find(manifests, 'Deployment', 'tempo-vulture').spec.template.spec.containers[0].args;
  expect(args).toEqual(expect.arrayContaining([
    '-tempo-push-url=http://tempo-distributor.tracing-prod.svc:4317',
    '-tempo-query-url=http://tempo-query-frontend.tracing-prod.svc:3200',
    '-tempo-org-id=vulture',
  ]));
  find(manifests, 'ServiceMonitor', 'tempo-vulture');
  expect(find(manifests, 'PrometheusRule', 'tempo-vulture-alerts').spec.groups[0].rules[0].alert).toBe('TempoVultureHighErrorRate');
});

test('kube-prometheus-stack picks up every ServiceMonitor and PrometheusRule (release label), exporter alerts and panels included', () => {
  const objects = [...byKind('ServiceMonitor'), ...byKind('PrometheusRule')];
  expect(objects.map((o) => o.metadata.name).sort()).toEqual([
    'tempo-alerts', 'tempo-compactor', 'tempo-distributor', 'tempo-gateway', 'tempo-ingester', 'tempo-memcached', 'tempo-metrics-generator',
    'tempo-querier', 'tempo-query-frontend', 'tempo-vulture', 'tempo-vulture-alerts',
  ]);
  for (const o of objects) expect({ name: o.metadata.name, release: o.metadata.labels?.release }).toEqual({ name: o.metadata.name, release: 'kube-prometheus-stack' });
  const groups = find(manifests, 'PrometheusRule', 'tempo-alerts').spec.groups.map((g: any) => g.name);
  expect(groups).toContain('tempo_exporter_alerts');
  const operational = Object.values<string>(find(manifests, 'ConfigMap', 'tempo-dashboard-operational').data)[0];
  expect(operational).toContain('Cache (memcached)');
  expect(operational).toContain('Gateway (nginx)');
});
