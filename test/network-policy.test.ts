import { Testing } from 'cdk8s';
import { NetworkPeer, TempoStorage, TempoMonolithic, TempoReceiver } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { connectionAllowed, Endpoint, pod } from './support/network-policy';
import { Manifest, selects, synthDistributed, workloads, testChart } from './support/synth';

const NS = 'monitoring';
const GEN = { remoteWriteUrl: 'http://prometheus-operated.monitoring.svc:9090/api/v1/write' };
const podOf = (m: Manifest): Endpoint => pod(m.metadata.namespace ?? NS, m.spec.template.metadata.labels);

describe('TempoDistributed NetworkPolicies (default on)', () => {
  const { manifests } = synthDistributed({ metricsGenerator: GEN, receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerThriftCompact()] });
  const byName = (n: string) => podOf(workloads(manifests).find((w) => w.metadata.name === `tempo-${n}`)!);
  const [distributor, ingester, querier, frontend, compactor, generator] =
    ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'metrics-generator'].map(byName);
  const app = pod('shop', { app: 'checkout' });
  const grafana = pod('grafana', { 'app.kubernetes.io/name': 'grafana' });
  const prometheus = pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
  const minio = pod(NS, { app: 'minio' });
  const kubeDns = pod('kube-system', { 'k8s-app': 'kube-dns' });

  test('every Tempo pod is selected by a policy with both directions', () => {
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['tempo-ingest', 'tempo-internal', 'tempo-query']);
    for (const w of workloads(manifests)) {
      const types = policies.filter((p) => selects(p.spec.podSelector.matchLabels, w.spec.template.metadata.labels)).flatMap((p) => p.spec.policyTypes);
      expect(new Set(types)).toEqual(new Set(['Ingress', 'Egress']));
    }
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test.each([
    ['app → distributor OTLP gRPC', () => [app, distributor, 4317, 'TCP']],
    ['app → distributor OTLP HTTP', () => [app, distributor, 4318, 'TCP']],
    ['app → distributor Jaeger compact (UDP)', () => [app, distributor, 6831, 'UDP']],
    ['distributor → ingester gRPC (push)', () => [distributor, ingester, 9095, 'TCP']],
    ['distributor → metrics-generator gRPC (push)', () => [distributor, generator, 9095, 'TCP']],
    ['querier → ingester gRPC (recent traces)', () => [querier, ingester, 9095, 'TCP']],
    ['querier → query-frontend gRPC (frontend worker)', () => [querier, frontend, 9095, 'TCP']],
    ['querier → metrics-generator gRPC', () => [querier, generator, 9095, 'TCP']],
    ['ingester ↔ compactor memberlist', () => [ingester, compactor, 7946, 'TCP']],
    ['compactor ↔ ingester memberlist', () => [compactor, ingester, 7946, 'TCP']],
    ['distributor → querier memberlist', () => [distributor, querier, 7946, 'TCP']],
    ['generator → distributor memberlist', () => [generator, distributor, 7946, 'TCP']],
    ['Grafana → query-frontend HTTP', () => [grafana, frontend, 3200, 'TCP']],
    ['Prometheus → each component http (metrics)', () => [prometheus, ingester, 3200, 'TCP']],
    ['Prometheus → distributor http (metrics)', () => [prometheus, distributor, 3200, 'TCP']],
    ['ingester → DNS (UDP)', () => [ingester, kubeDns, 53, 'UDP']],
    ['querier → DNS (TCP)', () => [querier, kubeDns, 53, 'TCP']],
    ['ingester → MinIO in the namespace (S3 port)', () => [ingester, minio, 9000, 'TCP']],
    ['compactor → MinIO', () => [compactor, minio, 9000, 'TCP']],
    ['query-frontend → MinIO', () => [frontend, minio, 9000, 'TCP']],
    ['metrics-generator → Prometheus remote write', () => [generator, prometheus, 9090, 'TCP']],
  ] as Array<[string, () => [Endpoint, Endpoint, number, 'TCP' | 'UDP']]>)('allowed: %s', (_name, conn) => {
    const [from, to, port, protocol] = conn();
    expect(connectionAllowed(manifests, from, to, port, protocol)).toBe(true);
  });

  test.each([
    ['app → ingester gRPC', () => [app, ingester, 9095, 'TCP']],
    ['app → querier HTTP (API)', () => [app, querier, 3200, 'TCP']],
    ['app → query-frontend HTTP', () => [app, frontend, 3200, 'TCP']],
    ['Grafana → ingester HTTP', () => [grafana, ingester, 3200, 'TCP']],
    ['app → memberlist', () => [app, compactor, 7946, 'TCP']],
    ['ingester → arbitrary outside port', () => [ingester, { kind: 'external', ip: '93.184.216.34' }, 25, 'TCP']],
    ['distributor → other pods on a random port', () => [distributor, app, 8080, 'TCP']],
  ] as Array<[string, () => [Endpoint, Endpoint, number, 'TCP' | 'UDP']]>)('denied: %s', (_name, conn) => {
    const [from, to, port, protocol] = conn();
    expect(connectionAllowed(manifests, from, to, port, protocol)).toBe(false);
  });

  test('peers the user chooses replace the defaults', () => {
    const { manifests: m } = synthDistributed({
      networkPolicy: {
        ingestFrom: [NetworkPeer.namespace('shop'), NetworkPeer.cidr('10.20.0.0/16')],
        queryFrom: [NetworkPeer.pods({ app: 'grafana' }, 'observability')],
        metricsFrom: [NetworkPeer.namespace('monitoring')],
      },
    });
    const d = podOf(workloads(m).find((w) => w.metadata.name === 'tempo-distributor')!);
    const q = podOf(workloads(m).find((w) => w.metadata.name === 'tempo-query-frontend')!);
    expect(connectionAllowed(m, pod('shop', {}), d, 4317)).toBe(true);
    expect(connectionAllowed(m, pod('other', {}), d, 4317)).toBe(false);
    expect(connectionAllowed(m, { kind: 'external', ip: '10.20.3.4' }, d, 4318)).toBe(true);
    expect(connectionAllowed(m, pod('observability', { app: 'grafana' }), q, 3200)).toBe(true);
    expect(connectionAllowed(m, grafana, q, 3200)).toBe(false);
  });

  test('external object storage on 443 (S3 region endpoint) is allowed, port derived from the storage', () => {
    const { manifests: m } = synthDistributed({ storage: TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/t' }) });
    const ing = podOf(workloads(m).find((w) => w.metadata.name === 'tempo-ingester')!);
    expect(connectionAllowed(m, ing, { kind: 'external', ip: '52.95.150.1' }, 443)).toBe(true);
    expect(connectionAllowed(m, ing, { kind: 'external', ip: '52.95.150.1' }, 9000)).toBe(false);
  });

  test('opt-out removes every policy', () => {
    expect(synthDistributed({ networkPolicy: { enabled: false } }).manifests.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('a bad CIDR names the option', () => {
    expect(() => NetworkPeer.cidr('10.0.0.0')).toThrow(/networkPolicy: "10\.0\.0\.0" is not a CIDR/);
  });
});

test('TempoMonolithic: the single pod is selected; ingest, query and metrics reach it', () => {
  const chart = testChart('tracing');
  new TempoMonolithic(chart, 'T', { storage: TempoStorage.local(), receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.jaegerThriftCompact()] });
  const m = Testing.synth(chart) as Manifest[];
  const tempo = podOf(workloads(m)[0]);
  expect(connectionAllowed(m, pod('shop', {}), tempo, 4317)).toBe(true);
  expect(connectionAllowed(m, pod('shop', {}), tempo, 6831, 'UDP')).toBe(true);
  expect(connectionAllowed(m, pod('grafana', { 'app.kubernetes.io/name': 'grafana' }), tempo, 3200)).toBe(true);
  expect(connectionAllowed(m, pod('shop', {}), tempo, 3200)).toBe(false);
  expect(connectionAllowed(m, tempo, pod('kube-system', { 'k8s-app': 'kube-dns' }), 53, 'UDP')).toBe(true);
});

describe('empty peer lists mean nobody (a rule with an empty `from` would allow everyone)', () => {
  const { manifests } = synthDistributed({ networkPolicy: { ingestFrom: [], queryFrom: [], metricsFrom: [] } });
  const byName = (n: string) => podOf(workloads(manifests).find((w) => w.metadata.name === `tempo-${n}`)!);
  const anyone = pod('shop', { app: 'checkout' });

  test('no sender reaches the receivers, no client the query port, no scraper the metrics port', () => {
    expect(connectionAllowed(manifests, anyone, byName('distributor'), 4317)).toBe(false);
    expect(connectionAllowed(manifests, pod('grafana', { 'app.kubernetes.io/name': 'grafana' }), byName('query-frontend'), 3200)).toBe(false);
    expect(connectionAllowed(manifests, pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), byName('querier'), 3200)).toBe(false);
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
      for (const r of policy.spec.ingress ?? []) expect(r.from.length).toBeGreaterThan(0);
    }
  });

  test('Tempo\'s own pods still talk to each other', () => {
    expect(connectionAllowed(manifests, byName('querier'), byName('query-frontend'), 9095)).toBe(true);
  });
});
