/**
 * Tempo 3.0 config acceptance: every Tempo workload of varied 3.x configurations runs the real 3.0.3 binary with
 * its container's args and `-config.verify=true` (see config-acceptance.test.ts for the bar), and the 3.0 single
 * binary starts without Kafka and answers /ready (proof that TempoMonolithic on 3.x needs no broker).
 */
import { Duration, Size } from 'cdk8s';
import { DevKafka, TempoDistributed, TempoDistributedProps, TempoKafka, TempoMonolithic, TempoMonolithicProps, TempoReceiver, TempoStorage, TempoVersion } from '../../lib';
import { podProcessSpec } from '../support/pod-process';
import { find, minioStorage, testChart, type Manifest } from '../support/synth';
import { describeWithBinaries, tempoBinary } from '../support/tempo-binaries';
import { cleanup, failures, problemLines, startBounded, tempRoot, verifyManifests } from './run-tempo';

const V3 = TempoVersion.V3_0_3;
const KAFKA = { address: 'kafka.kafka.svc:9092', topic: 'tempo-ingest', partitions: 4 };
const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };

type Distributed = Omit<TempoDistributedProps, 'version' | 'ingest'> & { readonly ingest?: TempoDistributedProps['ingest'] };

const DISTRIBUTED: Record<string, Distributed> = {
  'defaults, S3 with static credentials': { storage: minioStorage() },
  'SASL from a Secret, three zones, two block-builders, metrics-generator, retention': {
    storage: minioStorage(),
    ingest: { kafka: { ...KAFKA, sasl: { secretName: 'kafka-tempo' } } },
    liveStore: { zones: ['a', 'b', 'c'], replicas: 4 },
    blockBuilder: { replicas: 2 },
    backendWorker: { replicas: 2, retention: Duration.days(30) },
    metricsGenerator: GENERATOR,
  },
  'Strimzi cluster, cache, gateway, tenants, every receiver': {
    storage: TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'gcs-key' } }),
    ingest: { kafka: TempoKafka.strimzi({ cluster: 'events', namespace: 'kafka', topic: 'tempo', partitions: 2 }) },
    cache: {},
    gateway: { basicAuth: { secretName: 'tempo-htpasswd' } },
    multitenancy: true,
    tenants: { 'team-a': { ingestionRateLimit: Size.mebibytes(20), retention: Duration.days(7) } },
    receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.zipkin()],
  },
};

const MONOLITHIC: Record<string, Omit<TempoMonolithicProps, 'version'>> = {
  'local storage, defaults': { storage: TempoStorage.local() },
  'S3, metrics-generator, retention': { storage: minioStorage(), metricsGenerator: GENERATOR, retention: Duration.days(3) },
};

function expectAccepted(manifests: readonly Manifest[], expected: number): void {
  const results = verifyManifests(manifests);
  expect(results.map((r) => r.binaryVersion)).toEqual(Array(expected).fill('3.0.3'));
  expect(results.map((r) => r.workload).join(' ')).not.toMatch(/ingester|compactor/);
  expect(failures(results)).toEqual([]);
}

describeWithBinaries('Tempo 3.0 config acceptance (real Tempo 3.0.3, -config.verify=true)', ['tempo-3.0.3'], () => {
  test.each(Object.entries(DISTRIBUTED))('distributed: %s', (_title, props) => {
    const chart = testChart('tracing');
    new TempoDistributed(chart, 'Tempo', { ingest: { kafka: KAFKA }, ...props, version: V3 });
    // distributor, live-stores per zone, block-builder, backend scheduler and worker, querier, query-frontend, generator
    const expected = 6 + (props.liveStore?.zones?.length ?? 2) + (props.metricsGenerator ? 1 : 0);
    expectAccepted(chart.toJson(), expected);
  });

  test('distributed with a DevKafka', () => {
    const chart = testChart('tracing');
    const kafka = new DevKafka(chart, 'Kafka');
    new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), version: V3, ingest: { kafka: kafka.kafka() } });
    expectAccepted(chart.toJson(), 8);
  });

  test.each(Object.entries(MONOLITHIC))('monolithic: %s', (_title, props) => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { ...props, version: V3 });
    expectAccepted(chart.toJson(), 1);
  });

  // Known start-up notices of a correct configuration: receivers bound to 0.0.0.0 (they must be, in a pod), WAL
  // replay skipping Tempo's own `blocks` folder (2.x prints it too), and 3.0's single binary saying its in-process
  // metrics-generator is off (it always loads the module; no generator was asked for).
  const KNOWN_WARNINGS = [
    /Using the 0\.0\.0\.0 address exposes this server/,
    /unowned file entry ignored during wal replay.*file=blocks/,
    /metrics-generator is not configured.*no metrics_generator\.storage\.path configured/,
  ];
  test('the 3.0 single binary starts without Kafka and is ready', () => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), version: V3 });
    const manifests = chart.toJson() as Manifest[];
    const root = tempRoot('start3');
    try {
      const spec = podProcessSpec(manifests, find(manifests, 'StatefulSet', 'tempo'), { root });
      const res = startBounded(spec, tempoBinary('3.0.3')!, 'http://127.0.0.1:3200/ready', 60);
      const startup = res.output.split('received SIGINT/SIGTERM')[0];
      expect(startup).toContain('Tempo started');
      expect(startup).not.toMatch(/kafka/i);
      expect(problemLines(startup).filter((l) => !KNOWN_WARNINGS.some((k) => k.test(l)))).toEqual([]);
      expect(res.readySeconds).toBeDefined();
      // eslint-disable-next-line no-console
      console.log(`tempo 3.0.3 single binary: /ready after ${res.readySeconds} s`);
    } finally {
      cleanup(root);
    }
  }, 90_000);
});
