import { Chart, Testing } from 'cdk8s';
import { DevKafka, TempoDistributed, TempoVersion } from '../../lib';
import { minioStorage, testChart, type Manifest } from '../support/synth';
import { binaryPath, describeWithBinaries, TEMPO_BIN_DIR } from '../support/tempo-binaries';
import { findBySearch, pushOnEveryReceiver, readBackById } from './harness/checks';
import { Deployment, ImageRunner } from './harness/deployment';
import { startS3 } from './harness/emulators';
import { ScenarioRun } from './harness/scenario';
import { TestTrace } from './harness/traces';
import { waitFor } from './harness/wait';

// Tempo 3.0 microservices on DevKafka's address, the broker run by kafka-fake (../shared/tempo/README.md): one group
// per live-store zone (the StatefulSet name) and block-builder must exist before Tempo fetches their offsets.
const kafkaFake: ImageRunner = (pod, address) => ({
  argv: [binaryPath('kafka-fake')!, '-listen', `${address}:9092`, '-topics', 'tempo-ingest', '-partitions', '2',
    '-groups', 'tempo-live-store-zone-a,tempo-live-store-zone-b,block-builder'],
  changes: [{ pod: pod.name, key: 'image apache/kafka', from: null, to: `kafka-fake on ${address}:9092` }],
});

describeWithBinaries('e2e: Tempo 3.0 microservices on Kafka (kafka-fake), S3 on s3rver', ['tempo-3.0.3', 'kafka-fake'], () => {
  jest.setTimeout(300_000);
  let s: ScenarioRun;
  let d: Deployment;
  let s3: Awaited<ReturnType<typeof startS3>>;
  let pushed: { traces: TestTrace[]; old: TestTrace };
  const distributor = 'tempo-distributor-0';
  const frontend = 'tempo-query-frontend-0';

  beforeAll(async () => {
    s = new ScenarioRun('Tempo 3.0.3 microservices, kafka-fake, S3 (s3rver)');
    const chart: Chart = testChart('tracing-v3');
    const kafka = new DevKafka(chart, 'Kafka', { partitions: 2 });
    new TempoDistributed(chart, 'Tempo', {
      version: TempoVersion.V3_0_3, storage: minioStorage(), ingest: { kafka: kafka.kafka() },
      // a short stability wait for the workers' ring in a test (default 1 minute)
      // short cycles for a test: the workers' ring stability wait (1 min) and block-builder cycles (5 min)
      extraConfig: { backend_worker: { ring: { wait_stability_min_duration: '1s' } }, block_builder: { consume_cycle_duration: '10s' } },
    });
    const manifests = Testing.synth(chart) as Manifest[];
    d = s.deployment = new Deployment({ ns: s.ns, manifests, binDir: TEMPO_BIN_DIR!, runners: { 'apache/kafka': kafkaFake } });
    const env = d.pod(distributor).env;
    s3 = await startS3(s.ns, ['minio', 'minio.tracing-v3.svc.cluster.local'], 9000, 'tempo-traces', env.TEMPO_S3_ACCESS_KEY_ID, env.TEMPO_S3_SECRET_ACCESS_KEY);
    d.start();
    await d.waitReady(240_000);
    s.mark(`start: ${d.pods.length} pods /ready`);
  });

  afterAll(async () => {
    await s?.finish();
  });

  test('accepts traces through the distributor (written to Kafka)', async () => {
    // Distributors write only to ACTIVE partitions: live-stores own theirs after min_partition_owners_duration.
    pushed = await waitFor('active partitions (a push the distributor accepts)', async () => {
      try {
        return await pushOnEveryReceiver(s, [['otlp-grpc', d.socket(distributor, 4317)], ['otlp-http', d.socket(distributor, 4318)]], d.socket(distributor, 4318));
      } catch {
        return undefined;
      }
    }, { timeoutMs: 90_000, intervalMs: 2000 });
  });

  test('reads them back by id and by TraceQL search through the query-frontend (live-stores)', async () => {
    await readBackById(s, d.socket(frontend, 3200), pushed.traces);
    await findBySearch(s, d.socket(frontend, 3200), pushed.traces);
  });

  test('block-builders write blocks to object storage', async () => {
    const metas = await waitFor('blocks in S3', () => {
      const m = s3.objects('single-tenant/').filter((o) => o.key.endsWith('/meta.json'));
      return m.length ? m : undefined;
    }, { timeoutMs: 120_000, intervalMs: 2000 });
    s.mark(`block-builder: ${metas.length} block(s) in S3`);
    expect(metas.length).toBeGreaterThan(0);
  }, 150_000);
});
