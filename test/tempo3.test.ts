import { Duration, Size, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  DevKafka, TempoDistributed, TempoDistributedProps, TempoKafka, TempoMonolithic, TempoStorage, TempoVersion, validateTempoSchema,
} from '../lib';
import { connectionAllowed, pod } from './support/network-policy';
import { find, Manifest, minioStorage, selects, tempoConfig, testChart, workloads } from './support/synth';

const KAFKA = { address: 'kafka.kafka.svc:9092', topic: 'tempo-ingest', partitions: 4 };

function synth3(props: Partial<TempoDistributedProps> = {}, namespace = 'tracing') {
  const chart = testChart(namespace);
  const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), version: TempoVersion.V3_0_3, ingest: { kafka: KAFKA }, ...props });
  return { tempo, manifests: Testing.synth(chart) as Manifest[] };
}

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const container = (m: Manifest) => m.spec.template.spec.containers[0];
// Tempo's own workloads (not the rollout-operator that rolls the live-store zones).
const tempoWorkloads = (m: readonly Manifest[]) => workloads(m).filter((w) => w.metadata.labels?.['app.kubernetes.io/name'] === 'tempo');
const envOf = (m: Manifest) => Object.fromEntries((container(m).env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('TempoDistributed on Tempo 3.0', () => {
  test('deploys distributor, live-stores per zone, block-builder, backend scheduler and worker, querier, query-frontend; no ingester or compactor', () => {
    const { tempo, manifests } = synth3({ metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    expect(tempoWorkloads(manifests).map((w) => `${w.kind}/${w.metadata.name} -target=${container(w).args[0].split('=')[1]}`).sort()).toEqual([
      'Deployment/tempo-backend-worker -target=backend-worker',
      'Deployment/tempo-distributor -target=distributor',
      'Deployment/tempo-metrics-generator -target=metrics-generator',
      'Deployment/tempo-querier -target=querier',
      'Deployment/tempo-query-frontend -target=query-frontend',
      'StatefulSet/tempo-backend-scheduler -target=backend-scheduler',
      'StatefulSet/tempo-block-builder -target=block-builder',
      'StatefulSet/tempo-live-store-zone-a -target=live-store',
      'StatefulSet/tempo-live-store-zone-b -target=live-store',
    ]);
    expect(tempo.ingester).toBeUndefined();
    expect(tempo.ingesters).toEqual([]);
    expect(tempo.compactor).toBeUndefined();
    expect(tempo.liveStores.map((l) => l.zone)).toEqual(['zone-a', 'zone-b']);
    const config = tempoConfig(manifests);
    expect(config.ingester).toBeUndefined();
    expect(config.compactor).toBeUndefined();
    expect(validateTempoSchema(config, '3.0.3', 'config')).toEqual([]);
    // and the 3.0.3 key tree refuses the 2.x sections
    expect(validateTempoSchema({ ingester: {}, compactor: {} }, '3.0.3', 'config').map((v) => v.path)).toEqual(['ingester', 'compactor']);
  });

  test('Kafka, partition ring and backend scheduler wiring in tempo.yaml', () => {
    const { manifests } = synth3({ blockBuilder: { replicas: 2 } });
    const config = tempoConfig(manifests);
    expect(config.ingest.kafka).toEqual({ address: 'kafka.kafka.svc:9092', topic: 'tempo-ingest', auto_create_topic_enabled: false });
    expect(config.block_builder.partitions_per_instance).toBe(2); // 4 partitions over 2 block-builders
    expect(config.live_store.partition_ring.kvstore.store).toBe('memberlist');
    expect(config.live_store.ring.kvstore.store).toBe('memberlist');
    expect(config.live_store.ring.instance_zone).toBe('${TEMPO_LIVE_STORE_ZONE}');
    expect(config.backend_worker.backend_scheduler_addr).toBe('tempo-backend-scheduler:9095');
    expect(config.backend_worker.ring.kvstore.store).toBe('memberlist');
    // the scheduler's Service serves that port
    expect(find(manifests, 'Service', 'tempo-backend-scheduler').spec.ports.map((p: any) => [p.name, p.port])).toEqual([['http', 3200], ['grpc', 9095]]);
  });

  test('live-stores: one StatefulSet per zone with a data claim, zone from the environment, one replica per partition and zone, one budget across zones', () => {
    const { manifests } = synth3({ liveStore: { zones: ['a', 'b', 'c'], replicas: 2, storageSize: Size.gibibytes(20) } });
    const zones = ['a', 'b', 'c'].map((z) => find(manifests, 'StatefulSet', `tempo-live-store-${z}`));
    for (const [i, sts] of zones.entries()) {
      const zone = ['a', 'b', 'c'][i];
      expect(sts.spec.replicas).toBe(2);
      expect(sts.spec.serviceName).toBe(`tempo-live-store-${zone}`);
      expect(find(manifests, 'Service', `tempo-live-store-${zone}`).spec.clusterIP).toBe('None');
      expect(sts.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c.spec.resources.requests.storage])).toEqual([['data', '20Gi']]);
      expect(container(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/tempo' });
      expect(envOf(sts).TEMPO_LIVE_STORE_ZONE).toBe(zone);
      expect(sts.spec.template.metadata.labels['tempo-gossip-member']).toBe('true');
      expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(1200);
      expect(container(sts).livenessProbe).toBeUndefined();
    }
    const pdbs = manifests.filter((m) => m.kind === 'PodDisruptionBudget' && zones.some((z) => selects(m.spec.selector.matchLabels, z.spec.template.metadata.labels)));
    expect(pdbs).toHaveLength(1);
    expect(pdbs[0].metadata.name).toBe('tempo-live-store');
    expect(pdbs[0].spec.maxUnavailable).toBe(1);
    for (const z of zones) expect(selects(pdbs[0].spec.selector.matchLabels, z.spec.template.metadata.labels)).toBe(true);
    expect(synth3({ liveStore: { podDisruptionBudget: false } }).manifests.filter((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name.includes('live-store'))).toEqual([]);
  });

  test('block-builder: StatefulSet (the ordinal picks the partitions), one per partition by default, emptyDir WAL', () => {
    const { manifests } = synth3();
    const bb = find(manifests, 'StatefulSet', 'tempo-block-builder');
    expect(bb.spec.replicas).toBe(4);
    expect(bb.spec.volumeClaimTemplates).toBeUndefined();
    expect(bb.spec.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir.sizeLimit).toBe('10Gi');
    expect(find(manifests, 'Service', 'tempo-block-builder').spec.clusterIP).toBe('None');
    expect(tempoConfig(manifests).block_builder.partitions_per_instance).toBe(1);
  });

  test('backend scheduler: a singleton StatefulSet with its own volume; workers scale and keep the retention', () => {
    const { manifests } = synth3({ backendWorker: { replicas: 3, retention: Duration.days(30) }, backendScheduler: { storageSize: Size.gibibytes(2) } });
    const scheduler = find(manifests, 'StatefulSet', 'tempo-backend-scheduler');
    expect(scheduler.spec.replicas).toBe(1);
    expect(scheduler.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2Gi');
    expect(find(manifests, 'Deployment', 'tempo-backend-worker').spec.replicas).toBe(3);
    expect(tempoConfig(manifests).backend_worker.compaction.block_retention).toBe('720h');
    // plain JavaScript may pass what the type omits
    expect(errorOf(() => synth3({ backendScheduler: { replicas: 2 } as any }))).toMatch(/backendScheduler\.replicas: 2 is invalid; allowed: 1 \(the backend scheduler is a singleton/);
  });

  test('SASL credentials: environment variables from the Secret on every Tempo pod, placeholders in tempo.yaml', () => {
    const { manifests } = synth3({ ingest: { kafka: { ...KAFKA, sasl: { secretName: 'kafka-tempo', passwordKey: 'pw' } } } });
    const config = tempoConfig(manifests);
    expect(config.ingest.kafka.sasl_username).toBe('${TEMPO_KAFKA_SASL_USERNAME}');
    expect(config.ingest.kafka.sasl_password).toBe('${TEMPO_KAFKA_SASL_PASSWORD}');
    for (const w of tempoWorkloads(manifests)) {
      expect(envOf(w).TEMPO_KAFKA_SASL_USERNAME).toEqual({ secretKeyRef: { name: 'kafka-tempo', key: 'username' } });
      expect(envOf(w).TEMPO_KAFKA_SASL_PASSWORD).toEqual({ secretKeyRef: { name: 'kafka-tempo', key: 'pw' } });
    }
  });

  test('NetworkPolicy: egress to the brokers on the address port; Strimzi clusters only to their pods', () => {
    const { manifests } = synth3();
    const distributor = pod('tracing', find(manifests, 'Deployment', 'tempo-distributor').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, distributor, { kind: 'external', ip: '10.1.2.3' }, 9092)).toBe(true);
    expect(connectionAllowed(manifests, distributor, { kind: 'external', ip: '10.1.2.3' }, 9093)).toBe(false);
    const strimzi = synth3({ ingest: { kafka: TempoKafka.strimzi({ cluster: 'events', namespace: 'kafka', topic: 'tempo', partitions: 2 }) } }).manifests;
    expect(tempoConfig(strimzi).ingest.kafka.address).toBe('events-kafka-bootstrap.kafka.svc:9092');
    const from = pod('tracing', find(strimzi, 'Deployment', 'tempo-distributor').spec.template.metadata.labels);
    expect(connectionAllowed(strimzi, from, pod('kafka', { 'strimzi.io/cluster': 'events' }), 9092)).toBe(true);
    expect(connectionAllowed(strimzi, from, pod('kafka', { 'strimzi.io/cluster': 'other' }), 9092)).toBe(false);
  });
});

describe('Kafka validation', () => {
  test.each([
    [{ address: 'kafka:9092,kafka-2:9092' }, /ingest\.kafka\.address: "kafka:9092,kafka-2:9092" is invalid; allowed: one bootstrap broker as host:port/],
    [{ address: 'kafka://kafka:9092' }, /ingest\.kafka\.address/],
    [{ address: 'kafka' }, /ingest\.kafka\.address/],
    [{ address: 'kafka:99999' }, /ingest\.kafka\.address/],
    [{ topic: 'tempo traces' }, /ingest\.kafka\.topic: "tempo traces" is invalid; allowed: 1-249 characters/],
    [{ topic: 'x'.repeat(250) }, /ingest\.kafka\.topic/],
    [{ topic: '..' }, /ingest\.kafka\.topic/],
    [{ topic: '__consumer_offsets' }, /ingest\.kafka\.topic: "__consumer_offsets" starts with "__"/],
    [{ partitions: 0 }, /ingest\.kafka\.partitions: 0 is invalid; allowed: an integer >= 1/],
    [{ partitions: 2.5 }, /ingest\.kafka\.partitions/],
    [{ sasl: { secretName: 'Kafka_User' } }, /ingest\.kafka\.sasl\.secretName: "Kafka_User" is not a valid Secret name/],
  ])('%j is refused', (kafka, message) => {
    expect(errorOf(() => synth3({ ingest: { kafka: { ...KAFKA, ...kafka } as any } }))).toMatch(message);
  });

  test('required on 3.x, naming the helpers', () => {
    expect(errorOf(() => synth3({ ingest: undefined }))).toMatch(/ingest\.kafka: required on Tempo 3\.x .*TempoKafka\.strimzi\(\.\.\.\) or a DevKafka's kafka\(\)/);
  });

  test('block-builder replicas must divide the partitions; live-stores per zone at most the partitions', () => {
    expect(errorOf(() => synth3({ blockBuilder: { replicas: 3 } }))).toMatch(/blockBuilder\.replicas: 3 does not divide ingest\.kafka\.partitions \(4\) evenly.*allowed: 1, 2, 4/);
    expect(errorOf(() => synth3({ blockBuilder: { replicas: 8 } }))).toMatch(/blockBuilder\.replicas: 8 does not divide/);
    expect(errorOf(() => synth3({ liveStore: { replicas: 5 } }))).toMatch(/liveStore\.replicas: 5 per zone is above ingest\.kafka\.partitions \(4\); allowed: 1 to 4/);
    expect(errorOf(() => synth3({ liveStore: { zones: [] } }))).toMatch(/liveStore\.zones: empty/);
    expect(errorOf(() => synth3({ liveStore: { zones: ['a', 'a'] } }))).toMatch(/liveStore\.zones: a, a has duplicates/);
    expect(() => synth3({ blockBuilder: { replicas: 2 }, liveStore: { replicas: 3 } })).not.toThrow();
  });

  test('live-store zone StatefulSet names count against the instance name length', () => {
    const err = errorOf(() => synth3({ name: 'a'.repeat(30), liveStore: { zones: ['zone-aaaaaaaaaaaaaaa'] } }));
    expect(err).toMatch(/name: "a{30}" is invalid; allowed: a DNS label of at most 20 characters .*StatefulSet "a{30}-live-store-zone-aaaaaaaaaaaaaaa"/);
  });
});

describe('options of the other architecture are refused with what replaces them', () => {
  test('ingester.* and compactor.* on 3.x', () => {
    const err = errorOf(() => synth3({
      ingester: { replicas: 3, zones: ['a', 'b', 'c'], replicationFactor: 3 },
      compactor: { retention: Duration.days(7), replicas: 2 },
    }));
    expect(err).toContain('ingester.replicas: Tempo 3.0.3 has no ingester; allowed: liveStore.replicas (per zone');
    expect(err).toContain('ingester.zones: Tempo 3.0.3 has no ingester; allowed: liveStore.zones');
    expect(err).toContain('ingester.replicationFactor: Tempo 3.0.3 has no ingester; allowed: nothing: Kafka keeps the data durable');
    expect(err).toContain('compactor.retention: Tempo 3.0.3 has no compactor; allowed: backendWorker.retention (backend_worker.compaction.block_retention)');
    expect(err).toContain('compactor.replicas: Tempo 3.0.3 has no compactor; allowed: backendWorker.*');
    expect(errorOf(() => synth3({ ingester: {} }))).toContain('ingester: Tempo 3.0.3 has no ingester; allowed: liveStore.*');
  });

  test('Tempo 3 options on 2.x', () => {
    const chart = testChart('tracing');
    const err = errorOf(() => new TempoDistributed(chart, 'Tempo', {
      storage: minioStorage(), version: TempoVersion.V2_10_8, ingest: { kafka: KAFKA }, liveStore: {}, blockBuilder: {}, backendScheduler: {}, backendWorker: { retention: Duration.days(3) },
    }));
    expect(err).toContain('ingest: exists on Tempo 3.x only (this instance runs 2.10.8); allowed: nothing');
    expect(err).toContain('liveStore: exists on Tempo 3.x only (this instance runs 2.10.8); allowed: ingester.*, or version: TempoVersion.V3_0_3');
    expect(err).toContain('backendWorker: exists on Tempo 3.x only (this instance runs 2.10.8); allowed: compactor.* (retention: compactor.retention)');
    expect(err).toContain('blockBuilder: exists on Tempo 3.x only');
    expect(err).toContain('backendScheduler: exists on Tempo 3.x only');
  });
});

describe('TempoMonolithic on Tempo 3.0', () => {
  // Tempo 3.0's single binary pushes spans in-process from the distributor to the live-store, which also
  // writes the blocks (modules.go: the `all` target has no block-builder; initLiveStore turns Kafka off).
  test('runs without Kafka: live-store and backend worker in memory, no ingester, compactor or ingest section', () => {
    const chart = testChart('tracing');
    const tempo = new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), version: TempoVersion.V3_0_3, retention: Duration.days(3) });
    const config = yaml.load(tempo.configText) as any;
    expect(config.ingest).toBeUndefined();
    expect(config.ingester).toBeUndefined();
    expect(config.compactor).toBeUndefined();
    expect(config.live_store.ring.kvstore.store).toBe('inmemory');
    expect(config.backend_worker.backend_scheduler_addr).toBe('127.0.0.1:9095');
    expect(config.backend_worker.compaction.block_retention).toBe('72h');
    const sts = find(Testing.synth(chart) as Manifest[], 'StatefulSet', 'tempo');
    expect(container(sts).args[0]).toBe('-target=all');
  });
});

describe('DevKafka', () => {
  test('a single KRaft broker in a restricted pod, advertising its namespaced Service name', () => {
    const chart = testChart('tracing');
    const kafka = new DevKafka(chart, 'Kafka', { partitions: 4 });
    const manifests = Testing.synth(chart) as Manifest[];
    const sts = find(manifests, 'StatefulSet', 'kafka');
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(sts).securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    // the image writes its generated config and logs; the root filesystem is read-only
    expect(container(sts).volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/opt/kafka/config', '/tmp', '/var/lib/kafka/data']);
    const env = envOf(sts);
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka.tracing.svc:9092');
    expect(env.KAFKA_NUM_PARTITIONS).toBe('4');
    expect(Buffer.from(env.CLUSTER_ID, 'base64url')).toHaveLength(16); // KRaft's cluster id is a UUID
    expect(container(sts).image).toBe(DevKafka.DEFAULT_IMAGE);
    expect(kafka.kafka()).toMatchObject({ address: 'kafka.tracing.svc:9092', topic: 'tempo-ingest', partitions: 4, autoCreateTopic: true });
  });

  test('plugs into TempoDistributed: the topic is auto-created with its partitions, egress only to the broker', () => {
    const chart = testChart('tracing');
    const kafka = new DevKafka(chart, 'Kafka');
    new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), version: TempoVersion.V3_0_3, ingest: { kafka: kafka.kafka() } });
    const manifests = Testing.synth(chart) as Manifest[];
    expect(tempoConfig(manifests).ingest.kafka).toMatchObject({ auto_create_topic_enabled: true, auto_create_topic_default_partitions: 2 });
    const from = pod('tracing', find(manifests, 'Deployment', 'tempo-distributor').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, from, pod('tracing', find(manifests, 'StatefulSet', 'kafka').spec.template.metadata.labels), 9092)).toBe(true);
    expect(connectionAllowed(manifests, from, { kind: 'external', ip: '10.1.2.3' }, 9092)).toBe(false);
  });

  test('bad options are refused', () => {
    expect(() => new DevKafka(testChart('t'), 'K', { topic: '__x', partitions: 0 })).toThrow(/kafka\.topic: "__x" is invalid[\s\S]*kafka\.partitions: 0 is invalid/);
  });
});
