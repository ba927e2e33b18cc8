import { TempoVersion, ZoneRollout, ZoneRolloutOptions } from '../../lib';
import { podSecurityViolations } from '../support/pod-security';
import { find, Manifest, synthDistributed } from '../support/synth';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const zoned = (zoneRollout?: ZoneRolloutOptions, replicas = 6) => synthDistributed({
  ingester: { replicas, zones: ZONES },
  metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' },
  zoneRollout,
}).manifests;
const statefulSet = (m: Manifest[], name: string) => find(m, 'StatefulSet', name);

describe('zone StatefulSets roll one zone at a time', () => {
  test('by default the rollout-operator rolls the ingester zones: OnDelete, one rollout group per instance, a zone at once', () => {
    const m = zoned();
    for (const zone of ZONES) {
      const sts = statefulSet(m, `tempo-ingester-${zone}`);
      expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
      expect(sts.metadata.labels!['rollout-group']).toBe('tempo-ingester');
      expect(sts.metadata.annotations!['rollout-max-unavailable']).toBe('2'); // 6 ingesters over 3 zones
      // Identity unchanged: the operator finds the pods through the StatefulSet's own selector.
      expect(sts.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'ingester', 'tempo-ingester-zone': zone });
      expect(sts.spec.template.metadata.labels['rollout-group']).toBeUndefined();
    }
    // Other StatefulSets keep rolling by themselves.
    expect(statefulSet(m, 'tempo-metrics-generator').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  });

  test('the operator: one pod replaced (never two at once), namespace-scoped Role, restricted pod outside Tempo\'s policies', () => {
    const m = zoned();
    const deployment = find(m, 'Deployment', 'tempo-rollout-operator');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.replicas).toBe(1);
    expect(podSecurityViolations(deployment)).toEqual([]);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('grafana/rollout-operator:v0.23.0');
    expect(container.args).toEqual(['-kubernetes.namespace=$(POD_NAMESPACE)']);
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('rollout-operator');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('tempo-rollout-operator');
    expect(find(m, 'Role', 'tempo-rollout-operator').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get', 'watch', 'delete'] },
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['list', 'get', 'watch', 'patch'] },
      { apiGroups: ['apps'], resources: ['statefulsets/status'], verbs: ['update'] },
    ]);
    expect(find(m, 'RoleBinding', 'tempo-rollout-operator').subjects).toEqual([{ kind: 'ServiceAccount', name: 'tempo-rollout-operator' }]);
  });

  test('maxUnavailable and the image are options', () => {
    const m = zoned({ maxUnavailable: 1, operatorImage: 'registry.example.com/grafana/rollout-operator:v0.23.0' });
    expect(statefulSet(m, 'tempo-ingester-zone-b').metadata.annotations!['rollout-max-unavailable']).toBe('1');
    expect(find(m, 'Deployment', 'tempo-rollout-operator').spec.template.spec.containers[0].image).toBe('registry.example.com/grafana/rollout-operator:v0.23.0');
  });

  test('ON_DELETE: OnDelete without an operator', () => {
    const m = zoned({ strategy: ZoneRollout.ON_DELETE });
    expect(statefulSet(m, 'tempo-ingester-zone-a').spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(statefulSet(m, 'tempo-ingester-zone-a').metadata.labels!['rollout-group']).toBeUndefined();
    expect(m.filter((o) => o.metadata.name === 'tempo-rollout-operator')).toEqual([]);
  });

  test('without zones nothing changes, and the option is refused', () => {
    const m = synthDistributed({}).manifests;
    expect(statefulSet(m, 'tempo-ingester').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(m.filter((o) => o.metadata.name === 'tempo-rollout-operator')).toEqual([]);
    expect(() => synthDistributed({ zoneRollout: { strategy: ZoneRollout.ON_DELETE } })).toThrow(/zoneRollout: set but there are no zone StatefulSets; allowed: ingester\.zones/);
  });

  test('invalid values are option errors', () => {
    expect(() => zoned({ strategy: ZoneRollout.ON_DELETE, maxUnavailable: 0 })).toThrow(
      /zoneRollout\.maxUnavailable: 0 is invalid; allowed: an integer >= 1[\s\S]*zoneRollout\.maxUnavailable: set but zoneRollout\.strategy is ZoneRollout\.ON_DELETE/,
    );
    expect(() => zoned({ strategy: 'partition' as ZoneRollout })).toThrow(/zoneRollout\.strategy: "partition" is invalid; allowed: ZoneRollout\.ROLLOUT_OPERATOR or ZoneRollout\.ON_DELETE/);
  });

  test('Tempo 3: the live-store zones are one rollout group', () => {
    const m = synthDistributed({ version: TempoVersion.V3_0_3, ingest: { kafka: { address: 'kafka:9092', topic: 'tempo', partitions: 2 } } }).manifests;
    for (const zone of ['zone-a', 'zone-b']) {
      const sts = statefulSet(m, `tempo-live-store-${zone}`);
      expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
      expect(sts.metadata.labels!['rollout-group']).toBe('tempo-live-store');
      expect(sts.metadata.annotations!['rollout-max-unavailable']).toBe('2');
    }
    expect(statefulSet(m, 'tempo-block-builder').spec.updateStrategy.type).toBe('RollingUpdate');
    find(m, 'Deployment', 'tempo-rollout-operator');
  });
});
