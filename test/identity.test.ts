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
  'tempo-distributed/tempo-distributor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'distributor' } },
  'tempo-distributed/tempo-ingester': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'ingester' }, serviceName: 'tempo-ingester', claims: ['data'] },
  'tempo-distributed/tempo-querier': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'querier' } },
  'tempo-distributed/tempo-query-frontend': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'query-frontend' } },
  'tempo-distributed/tempo-compactor': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'compactor' } },
  'tempo-distributed/tempo-metrics-generator': { kind: 'Deployment', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'metrics-generator' } },
  'tempo-monolithic/tempo': { kind: 'StatefulSet', selector: { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'single-binary' }, serviceName: 'tempo', claims: ['data'] },
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
