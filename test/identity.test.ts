import { Testing } from 'cdk8s';
import { addReferenceCharts } from '../main';
import { Manifest } from './support/synth';

/**
 * Resource identities are public API: a renamed StatefulSet, a changed
 * selector or claim template name makes Kubernetes (or Argo CD) replace the
 * object, and an ingester's volume (its WAL) is orphaned. Changing this table
 * is a breaking change that needs a migration note.
 */
const PINNED: Record<string, { kind: string; selector: Record<string, string>; serviceName?: string; claims?: string[] }> = {
  // the example application instrumented against the production instance (main.ts InstrumentedAppChart)
  'shop-checkout/checkout': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'checkout' } },
  'tempo-distributed/tempo-distributor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'distributor' } },
  'tempo-distributed/tempo-ingester': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'ingester' }, serviceName: 'tempo-ingester', claims: ['data'] },
  'tempo-distributed/tempo-querier': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'querier' } },
  'tempo-distributed/tempo-query-frontend': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'query-frontend' } },
  'tempo-distributed/tempo-compactor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'compactor' } },
  // a StatefulSet since local-blocks (issue 12; CHANGELOG Breaking): same name, selector and Service
  'tempo-distributed/tempo-metrics-generator': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'metrics-generator' }, serviceName: 'tempo-metrics-generator', claims: ['data'] },
  'tempo-monolithic/tempo': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'single-binary' }, serviceName: 'tempo', claims: ['data'] },
  // the production-style example (Tempo 2.10.8, zone-aware ingesters, memcached, gateway)
  'tempo-production/tempo-compactor': { kind: 'Deployment', selector: { 'app.kubernetes.io/component': 'compactor', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' } },
  'tempo-production/tempo-distributor': { kind: 'Deployment', selector: { 'app.kubernetes.io/component': 'distributor', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' } },
  'tempo-production/tempo-gateway': { kind: 'Deployment', selector: { 'app.kubernetes.io/component': 'gateway', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' } },
  'tempo-production/tempo-ingester-zone-a': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/component': 'ingester', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo', 'tempo-ingester-zone': 'zone-a' }, serviceName: 'tempo-ingester-zone-a', claims: ['data'] },
  'tempo-production/tempo-ingester-zone-b': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/component': 'ingester', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo', 'tempo-ingester-zone': 'zone-b' }, serviceName: 'tempo-ingester-zone-b', claims: ['data'] },
  'tempo-production/tempo-ingester-zone-c': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/component': 'ingester', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo', 'tempo-ingester-zone': 'zone-c' }, serviceName: 'tempo-ingester-zone-c', claims: ['data'] },
  'tempo-production/tempo-memcached': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/component': 'memcached', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'memcached' }, serviceName: 'tempo-memcached', claims: [] },
  'tempo-production/tempo-metrics-generator': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/component': 'metrics-generator', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' }, serviceName: 'tempo-metrics-generator', claims: ['data'] },
  'tempo-production/tempo-querier': { kind: 'Deployment', selector: { 'app.kubernetes.io/component': 'querier', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' } },
  'tempo-production/tempo-query-frontend': { kind: 'Deployment', selector: { 'app.kubernetes.io/component': 'query-frontend', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'tempo' } },
  // rolls the zone StatefulSets one zone at a time (zoneRollout, issue 13)
  'tempo-production/tempo-rollout-operator': { kind: 'Deployment', selector: { 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'rollout-operator' } },
  'tempo-production/tempo-vulture': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo-vulture', 'app.kubernetes.io/instance': 'tempo' } },
  // Tempo 3.0 (the live-store zones and the backend scheduler hold volumes)
  'tempo-v3/kafka': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': 'kafka', 'app.kubernetes.io/component': 'message-broker' }, serviceName: 'kafka', claims: ['data'] },
  'tempo-v3/minio': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/component': 'object-storage' }, serviceName: 'minio', claims: ['data'] },
  'tempo-v3/tempo-distributor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'distributor' } },
  'tempo-v3/tempo-querier': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'querier' } },
  'tempo-v3/tempo-query-frontend': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'query-frontend' } },
  'tempo-v3/tempo-metrics-generator': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'metrics-generator' } },
  'tempo-v3/tempo-backend-worker': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'backend-worker' } },
  'tempo-v3/tempo-live-store-zone-a': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'live-store', 'tempo-live-store-zone': 'zone-a' }, serviceName: 'tempo-live-store-zone-a', claims: ['data'] },
  'tempo-v3/tempo-live-store-zone-b': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'live-store', 'tempo-live-store-zone': 'zone-b' }, serviceName: 'tempo-live-store-zone-b', claims: ['data'] },
  'tempo-v3/tempo-rollout-operator': { kind: 'Deployment', selector: { 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/name': 'rollout-operator' } },
  'tempo-v3/tempo-block-builder': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'block-builder' }, serviceName: 'tempo-block-builder', claims: [] },
  'tempo-v3/tempo-backend-scheduler': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'backend-scheduler' }, serviceName: 'tempo-backend-scheduler', claims: ['data'] },
  'tempo-tls/tempo-distributor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'distributor' } },
  'tempo-tls/tempo-querier': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'querier' } },
  'tempo-tls/tempo-query-frontend': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'query-frontend' } },
  'tempo-tls/tempo-compactor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'compactor' } },
  'tempo-tls/tempo-metrics-generator': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'metrics-generator' } },
  'tempo-tls/tempo-ingester': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'ingester' }, serviceName: 'tempo-ingester', claims: ['data'] },
};

test('every workload of the reference deployments keeps its name, selector, service name and claim templates', () => {
  const app = Testing.app();
  const found: Record<string, unknown> = {};
  for (const chart of addReferenceCharts(app)) {
    for (const m of Testing.synth(chart) as Manifest[]) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind)) continue;
      found[`${chart.node.id}/${m.metadata.name}`] = {
        kind: m.kind,
        selector: m.spec.selector.matchLabels,
        ...(m.kind === 'StatefulSet' ? { serviceName: m.spec.serviceName, claims: (m.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name) } : {}),
      };
    }
  }
  expect(found).toEqual(PINNED);
});
