/**
 * Config acceptance: every Tempo workload is handed to the real Tempo binary of its release line with the
 * container's own args plus `-config.verify=true`, its env (Secrets as dummies) and its mounted files
 * (test/support/pod-process.ts). Tempo parses the file strictly and runs its CheckConfig; the bar is exit 0
 * with no warning or error in the output.
 *
 * Covered: every chart of main.ts (the reference app, i.e. dist/), and a table of varied configurations
 * (both modes, every storage backend, receivers, zones, cache, gateway, tenants, metrics-generator), each on
 * 2.6.1 and 2.10.8. Releases of lines without a shipped binary are listed and skipped.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import { addReferenceCharts } from '../../main';
import {
  GeneratorProcessor, LogFormat, LogLevel, RateStrategy, TempoStorage, TempoDistributed, TempoDistributedProps, TempoMonolithic, TempoMonolithicProps, TempoReceiver, TempoVersion,
} from '../../lib';
import { minioStorage, testChart, type Manifest } from '../support/synth';
import { describeWithBinaries } from '../support/tempo-binaries';
import { failures, unverified, verifyManifests, VerifyResult } from './run-tempo';

const BINARIES = ['tempo-2.6.1', 'tempo-2.10.8'];
const VERSIONS = [TempoVersion.V2_6_1, TempoVersion.V2_10_8];

function expectAccepted(results: readonly VerifyResult[]): void {
  const notes = unverified(results);
  // eslint-disable-next-line no-console
  if (notes.length) console.log(`config acceptance: no shipped binary for Tempo ${notes.join(', ')}; not verified`);
  expect(failures(results)).toEqual([]);
}

const s3Static = () => minioStorage();
const s3Irsa = () => TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo' });
const azureKey = () => TempoStorage.azure({ containerName: 'traces', storageAccountName: 'tempoacct', accountKey: { secretName: 'azure-credentials' } });
const azureWorkload = () => TempoStorage.azure({ containerName: 'traces', storageAccountName: 'tempoacct', workloadIdentityClientId: '00000000-0000-0000-0000-000000000000' });
const gcsKey = () => TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'gcs-key' } });
const gcsWorkload = () => TempoStorage.gcs({ bucket: 'traces', workloadIdentityServiceAccount: 'tempo@project.iam.gserviceaccount.com' });

const ALL_RECEIVERS = () => [
  TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.jaegerThriftHttp(),
  TempoReceiver.jaegerThriftCompact(), TempoReceiver.jaegerThriftBinary(), TempoReceiver.zipkin(),
];
const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };
const TENANTS = {
  'team-a': { ingestionRateLimit: Size.mebibytes(20), maxTracesPerUser: 50_000, retention: Duration.days(7) },
  'team-b': { ingestionRateLimit: Size.mebibytes(5), rateStrategy: RateStrategy.GLOBAL, maxSearchDuration: Duration.hours(24) },
};

type Distributed = Omit<TempoDistributedProps, 'version'>;
type Monolithic = Omit<TempoMonolithicProps, 'version'>;

/** Varied configurations; each runs on every version in VERSIONS. */
const DISTRIBUTED: Record<string, Distributed> = {
  'defaults, S3 with static credentials': { storage: s3Static() },
  'S3 with IRSA, every receiver, metrics-generator': { storage: s3Irsa(), receivers: ALL_RECEIVERS(), metricsGenerator: { ...GENERATOR, processors: [GeneratorProcessor.SPAN_METRICS] } },
  'Azure account key, zone-aware ingesters, cache': {
    storage: azureKey(), ingester: { zones: ['zone-a', 'zone-b', 'zone-c'], replicas: 3 }, cache: {},
  },
  'Azure workload identity, gateway with basic auth, two tenants': {
    storage: azureWorkload(), multitenancy: true, tenants: TENANTS, limits: { maxBytesPerTrace: Size.mebibytes(5) },
    gateway: { basicAuth: { secretName: 'tempo-htpasswd' } },
  },
  'GCS key file, autoscaled distributors and queriers, network policies': {
    storage: gcsKey(),
    distributor: { autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilization: 70 } },
    querier: { autoscaling: { minReplicas: 2, maxReplicas: 4 } },
    networkPolicy: { enabled: true },
  },
  'GCS workload identity, metrics-generator with dimensions, debug JSON logs': {
    storage: gcsWorkload(), logLevel: LogLevel.DEBUG, logFormat: LogFormat.JSON,
    metricsGenerator: { ...GENERATOR, spanMetricsDimensions: ['http.method'], serviceGraphDimensions: ['http.status_code'] },
    ingester: { replicas: 2, replicationFactor: 1, maxBlockDuration: Duration.minutes(30), flushOnShutdown: true },
  },
  'custom name, gateway pass-through tenant header, cache and generator': {
    name: 'traces', storage: s3Static(), multitenancy: true, cache: {}, metricsGenerator: GENERATOR,
    gateway: { tenantHeader: 'pass-through' },
  },
};

const MONOLITHIC: Record<string, Monolithic> = {
  'local storage, defaults': { storage: TempoStorage.local() },
  'local storage, every receiver, generator, tenants': {
    storage: TempoStorage.local(), receivers: ALL_RECEIVERS(), metricsGenerator: GENERATOR, multitenancy: true, tenants: TENANTS,
  },
  'S3 with static credentials, retention': { storage: s3Static(), retention: Duration.days(3), storageSize: Size.gibibytes(20) },
  'Azure account key': { storage: azureKey() },
  'GCS key file': { storage: gcsKey() },
};

function synth(build: (chart: Chart) => void): Manifest[] {
  const chart = testChart('tracing');
  build(chart);
  return chart.toJson();
}

describeWithBinaries('config acceptance (real Tempo, -config.verify=true)', BINARIES, () => {
  test('every Tempo workload of the reference app (main.ts, dist/) is accepted', () => {
    const app = new App();
    addReferenceCharts(app);
    const results = app.charts.flatMap((c) => verifyManifests(c.toJson()));
    expect(results.length).toBeGreaterThanOrEqual(7);
    expectAccepted(results);
  });

  // The bar can fail: a CheckConfig warning (complete_block_timeout shorter than the blocklist poll) and a
  // key Tempo does not know, slipped into the synthesized ConfigMap, are both reported.
  test('a configuration Tempo warns about or refuses fails the check', () => {
    const warned = synth((chart) => new TempoDistributed(chart, 'Tempo', {
      storage: s3Static(), extraConfig: { ingester: { complete_block_timeout: '1m' }, storage: { trace: { blocklist_poll: '10m' } } },
    }));
    expect(failures(verifyManifests(warned)).join('\n')).toMatch(/level=warn.*complete_block_timeout|level=warn.*blocklist/i);
    const broken = synth((chart) => new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local() }));
    const cm = broken.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'tempo-config')!;
    cm.data['tempo.yaml'] += 'no_such_key: 1\n';
    expect(failures(verifyManifests(broken)).join('\n')).toContain('no_such_key');
  });

  test('another patch release of a shipped line runs on that line\'s binary; a line without one is listed, not failed', () => {
    const patch = verifyManifests(synth((chart) => new TempoDistributed(chart, 'Tempo', { storage: s3Static(), version: TempoVersion.of('2.10.3') })));
    expect(patch.map((r) => [r.version, r.binaryVersion])).toEqual(patch.map(() => ['2.10.3', '2.10.8']));
    expectAccepted(patch);
    const unshipped = verifyManifests(synth((chart) => new TempoDistributed(chart, 'Tempo', { storage: s3Static(), version: TempoVersion.V2_8_4 })));
    expect(unverified(unshipped)).toEqual(['2.8.4']);
    expect(failures(unshipped)).toEqual([]);
  });

  describe.each(VERSIONS.map((v) => [v.version, v] as const))('Tempo %s', (_name, version) => {
    test.each(Object.entries(DISTRIBUTED))('distributed: %s', (_title, props) => {
      const results = verifyManifests(synth((chart) => new TempoDistributed(chart, 'Tempo', { ...props, version })));
      expect(results.every((r) => r.version === version.version)).toBe(true);
      expectAccepted(results);
    });

    test.each(Object.entries(MONOLITHIC))('monolithic: %s', (_title, props) => {
      const results = verifyManifests(synth((chart) => new TempoMonolithic(chart, 'Tempo', { ...props, version })));
      expect(results).toHaveLength(1);
      expectAccepted(results);
    });
  });
});
