import { Duration, Size } from 'cdk8s';
import * as yaml from 'js-yaml';
import { GeneratorProcessor, RateStrategy } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { find, selects, synthDistributed, tempoConfig, workloads } from './support/synth';

describe('PodDisruptionBudgets', () => {
  test('every workload with more than one pod has one; the ingester budget follows the replication factor', () => {
    const { manifests } = synthDistributed({ distributor: { replicas: 2 }, querier: { replicas: 3 }, ingester: { replicas: 5, replicationFactor: 5 } });
    const pdbs = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
    for (const w of workloads(manifests)) {
      const covering = pdbs.filter((p) => selects(p.spec.selector.matchLabels, w.spec.template.metadata.labels));
      expect(covering).toHaveLength(w.spec.replicas > 1 ? 1 : 0);
    }
    expect(find(manifests, 'PodDisruptionBudget', 'tempo-ingester').spec.maxUnavailable).toBe(2); // RF 5 tolerates 2
    expect(find(manifests, 'PodDisruptionBudget', 'tempo-querier').spec.maxUnavailable).toBe(1);
    expect(find(synthDistributed().manifests, 'PodDisruptionBudget', 'tempo-ingester').spec.maxUnavailable).toBe(1); // RF 3
  });

  test('can be turned off per component', () => {
    const { manifests } = synthDistributed({ ingester: { podDisruptionBudget: false } });
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

test('topology spread across nodes and zones by default, replaceable', () => {
  const { manifests } = synthDistributed({ querier: { spread: false }, compactor: { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] } });
  const tsc = find(manifests, 'StatefulSet', 'tempo-ingester').spec.template.spec.topologySpreadConstraints;
  expect(tsc.map((c: any) => [c.topologyKey, c.maxSkew, c.whenUnsatisfiable])).toEqual([
    ['kubernetes.io/hostname', 1, 'ScheduleAnyway'], ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
  ]);
  expect(tsc[0].labelSelector.matchLabels['app.kubernetes.io/component']).toBe('ingester');
  expect(find(manifests, 'Deployment', 'tempo-querier').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  expect(find(manifests, 'Deployment', 'tempo-compactor').spec.template.spec.topologySpreadConstraints[0].maxSkew).toBe(2);
});

test('HorizontalPodAutoscalers (autoscaling/v2) for the stateless components; the Deployment leaves replicas to them', () => {
  const auto = { minReplicas: 2, maxReplicas: 10, targetMemoryUtilization: 80 };
  const { manifests } = synthDistributed({ distributor: { autoscaling: auto }, querier: { autoscaling: auto }, queryFrontend: { autoscaling: auto }, compactor: { autoscaling: auto } });
  for (const c of ['distributor', 'querier', 'query-frontend', 'compactor']) {
    const hpa = find(manifests, 'HorizontalPodAutoscaler', `tempo-${c}`);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `tempo-${c}` });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 10]);
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 80]]);
    expect(find(manifests, 'Deployment', `tempo-${c}`).spec.replicas).toBeUndefined();
    expect(find(manifests, 'PodDisruptionBudget', `tempo-${c}`).spec.maxUnavailable).toBe(1);
  }
  expect(validateK8sManifests(manifests).errors).toEqual([]);
});

describe('zone-aware ingesters', () => {
  const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
  const { manifests, tempo } = synthDistributed({ ingester: { replicas: 6, zones } });
  const config = tempoConfig(manifests);

  test('one StatefulSet per zone, pinned to its zone, with its own selector and governing Service', () => {
    for (const zone of zones) {
      const sts = find(manifests, 'StatefulSet', `tempo-ingester-${zone}`);
      expect(sts.spec.replicas).toBe(2);
      expect(sts.spec.selector.matchLabels['tempo-ingester-zone']).toBe(zone);
      expect(sts.spec.serviceName).toBe(`tempo-ingester-${zone}`);
      expect(find(manifests, 'Service', `tempo-ingester-${zone}`).spec.clusterIP).toBe('None');
      const term = sts.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0];
      expect(term.matchExpressions).toEqual([{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }]);
      expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'TEMPO_AVAILABILITY_ZONE', value: zone });
    }
    expect(tempo.ingesters).toHaveLength(3);
  });

  test('ring zone awareness and the zone from the environment', () => {
    expect(config.ingester.lifecycler.ring.zone_awareness_enabled).toBe(true);
    expect(config.ingester.lifecycler.availability_zone).toBe('${TEMPO_AVAILABILITY_ZONE}');
  });

  test('one budget across all zones', () => {
    const pdbs = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name)).toEqual(['tempo-ingester']);
    const ingesterPods = workloads(manifests).filter((w) => w.metadata.name.startsWith('tempo-ingester-'));
    expect(ingesterPods.every((w) => selects(pdbs[0].spec.selector.matchLabels, w.spec.template.metadata.labels))).toBe(true);
    expect(pdbs[0].spec.maxUnavailable).toBe(1);
  });

  test('the gossip ring still selects every ingester', () => {
    const gossip = find(manifests, 'Service', 'tempo-gossip-ring').spec.selector;
    expect(workloads(manifests).filter((w) => selects(gossip, w.spec.template.metadata.labels)).map((w) => w.metadata.name))
      .toEqual(expect.arrayContaining(zones.map((z) => `tempo-ingester-${z}`)));
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

test('graceful shutdown: ingesters flush on shutdown within a long grace period', () => {
  const { manifests } = synthDistributed({ ingester: { maxBlockDuration: Duration.minutes(20) } });
  expect(tempoConfig(manifests).ingester.flush_all_on_shutdown).toBe(true);
  expect(tempoConfig(manifests).ingester.max_block_duration).toBe('20m');
  expect(find(manifests, 'StatefulSet', 'tempo-ingester').spec.template.spec.terminationGracePeriodSeconds).toBe(300);
  expect(tempoConfig(synthDistributed({ ingester: { flushOnShutdown: false } }).manifests).ingester.flush_all_on_shutdown).toBe(false);
});

describe('tenants', () => {
  const { manifests } = synthDistributed({
    multitenancy: true,
    metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' },
    limits: { ingestionRateLimit: Size.mebibytes(10), ingestionBurstSize: Size.mebibytes(20), maxBytesPerTrace: Size.mebibytes(5) },
    tenants: {
      'team-a': { ingestionRateLimit: Size.mebibytes(50), ingestionBurstSize: Size.mebibytes(60), rateStrategy: RateStrategy.GLOBAL, retention: Duration.days(7) },
      'team-b': { maxTracesPerUser: 50000, metricsGeneratorProcessors: [GeneratorProcessor.SPAN_METRICS], maxSearchDuration: Duration.hours(24) },
    },
  });
  const config = tempoConfig(manifests);
  const runtime = yaml.load(find(manifests, 'ConfigMap', 'tempo-runtime').data['overrides.yaml']) as any;

  test('multitenancy switch and defaults in the nested format', () => {
    expect(config.multitenancy_enabled).toBe(true);
    expect(config.overrides.defaults).toEqual({
      metrics_generator: { processors: ['service-graphs', 'span-metrics', 'local-blocks'] },
      ingestion: { rate_limit_bytes: 10485760, burst_size_bytes: 20971520 },
      global: { max_bytes_per_trace: 5242880 },
    });
  });

  test('per-tenant limits in the runtime overrides, each repeating the defaults it does not override', () => {
    expect(runtime.overrides['team-a']).toEqual({
      metrics_generator: { processors: ['service-graphs', 'span-metrics', 'local-blocks'] },
      ingestion: { rate_limit_bytes: 52428800, burst_size_bytes: 62914560, rate_strategy: 'global' },
      global: { max_bytes_per_trace: 5242880 },
      compaction: { block_retention: '168h' },
    });
    expect(runtime.overrides['team-b'].metrics_generator.processors).toEqual(['span-metrics']);
    expect(runtime.overrides['team-b'].ingestion).toEqual({ rate_limit_bytes: 10485760, burst_size_bytes: 20971520, max_traces_per_user: 50000 });
    expect(runtime.overrides['team-b'].read).toEqual({ max_search_duration: '24h' });
  });
});
