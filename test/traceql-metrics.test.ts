import { Duration, Size } from 'cdk8s';
import * as yaml from 'js-yaml';
import { GeneratorProcessor, TempoVersion } from '../lib';
import { validateTempoSchema } from '../lib/config/schema-validation';
import { find, minioStorage, synthDistributed, tempoConfig } from './support/synth';
import { Testing } from 'cdk8s';
import { TempoMonolithic } from '../lib';

const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };
const VERSIONS = [TempoVersion.V2_6_1, TempoVersion.V2_7_2, TempoVersion.V2_8_4, TempoVersion.V2_9_5, TempoVersion.V2_10_8];

describe('local-blocks: TraceQL metrics and Traces Drilldown', () => {
  test('on by default with a metrics-generator: processor listed, configured, traces storage on the volume', () => {
    const cfg = tempoConfig(synthDistributed({ metricsGenerator: GENERATOR }).manifests);
    expect(cfg.overrides.defaults.metrics_generator.processors).toContain('local-blocks');
    expect(cfg.metrics_generator.processor.local_blocks).toEqual({ filter_server_spans: false, flush_to_storage: true });
    expect(cfg.metrics_generator.traces_storage).toEqual({ path: '/var/tempo/generator/traces' });
    // the remote-write WAL and the traces WAL are distinct directories on the same volume
    expect(cfg.metrics_generator.storage.path).not.toBe(cfg.metrics_generator.traces_storage.path);
  });

  test('typed options reach metrics_generator.processor.local_blocks', () => {
    const cfg = tempoConfig(synthDistributed({
      metricsGenerator: {
        ...GENERATOR,
        localBlocks: { filterServerSpans: true, flushToStorage: false, maxLiveTraces: 5000, completeBlockTimeout: Duration.minutes(30), maxBlockDuration: Duration.minutes(2) },
      },
    }).manifests);
    expect(cfg.metrics_generator.processor.local_blocks).toEqual({
      filter_server_spans: true, flush_to_storage: false, max_live_traces: 5000, complete_block_timeout: '30m', max_block_duration: '2m',
    });
  });

  test.each(VERSIONS.map((v) => [v.version, v] as const))('every emitted key is in the %s key schema (distributed and monolithic)', (_, version) => {
    const localBlocks = { filterServerSpans: false, maxLiveTraces: 100, completeBlockTimeout: Duration.hours(2), maxBlockDuration: Duration.minutes(5) };
    const dist = tempoConfig(synthDistributed({ version, metricsGenerator: { ...GENERATOR, localBlocks } }).manifests);
    expect(validateTempoSchema(dist, version.schemaVersion, 'config')).toEqual([]);
    const chart = Testing.chart();
    const mono = new TempoMonolithic(chart, 'Mono', { version, storage: minioStorage(), metricsGenerator: { ...GENERATOR, localBlocks } });
    const monoCfg = yaml.load(mono.configText) as any;
    expect(validateTempoSchema(monoCfg, version.schemaVersion, 'config')).toEqual([]);
    expect(monoCfg.metrics_generator.traces_storage.path).toBe('/var/tempo/generator/traces');
    expect(monoCfg.stream_over_http_enabled).toBe(true);
  });

  test('the generator becomes a StatefulSet keeping its Service and selector; sized by storageSize', () => {
    const { manifests } = synthDistributed({ metricsGenerator: { ...GENERATOR, storageSize: Size.gibibytes(20), storageClassName: 'fast' } });
    const sts = find(manifests, 'StatefulSet', 'tempo-metrics-generator');
    expect(manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'tempo-metrics-generator')).toBeUndefined();
    expect(sts.spec.serviceName).toBe('tempo-metrics-generator');
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
    const svc = find(manifests, 'Service', 'tempo-metrics-generator');
    // Same ClusterIP Service and selector as the Deployment had: spec.clusterIP is immutable.
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'metrics-generator',
    });
  });

  test('without local-blocks the generator stays a Deployment with its emptyDir, and the config has no local-blocks', () => {
    const processors = [GeneratorProcessor.SPAN_METRICS];
    const { manifests } = synthDistributed({ metricsGenerator: { ...GENERATOR, processors, walSizeLimit: Size.gibibytes(2) } });
    const dep = find(manifests, 'Deployment', 'tempo-metrics-generator');
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir.sizeLimit).toBe('2Gi');
    const cfg = tempoConfig(manifests);
    expect(cfg.metrics_generator.traces_storage).toBeUndefined();
    expect(cfg.metrics_generator.processor?.local_blocks).toBeUndefined();
  });

  test('bad options fail naming the option path and the allowed values', () => {
    const bad = (metricsGenerator: object) => () => synthDistributed({ metricsGenerator: { ...GENERATOR, ...metricsGenerator } });
    expect(bad({ localBlocks: { maxLiveTraces: 0 } })).toThrow(/metricsGenerator\.localBlocks\.maxLiveTraces: 0 is invalid; allowed: an integer >= 1/);
    expect(bad({ localBlocks: { completeBlockTimeout: Duration.seconds(30) } })).toThrow(/metricsGenerator\.localBlocks\.completeBlockTimeout: 30s is invalid; allowed: a whole number of seconds, at least 1m/);
    expect(bad({ localBlocks: { completeBlockTimeout: Duration.minutes(5), maxBlockDuration: Duration.minutes(5) } }))
      .toThrow(/metricsGenerator\.localBlocks\.maxBlockDuration: 5m is not shorter than completeBlockTimeout \(5m\)/);
    expect(bad({ localBlocks: { flushToStorage: 'yes' } })).toThrow(/metricsGenerator\.localBlocks\.flushToStorage: "yes" is invalid; allowed: true or false/);
    expect(bad({ processors: [GeneratorProcessor.SPAN_METRICS], localBlocks: {} })).toThrow(/metricsGenerator\.localBlocks: set but metricsGenerator\.processors does not list GeneratorProcessor\.LOCAL_BLOCKS/);
    expect(bad({ walSizeLimit: Size.gibibytes(1) })).toThrow(/metricsGenerator\.walSizeLimit: sizes the emptyDir .* allowed: metricsGenerator\.storageSize/);
    expect(bad({ processors: [GeneratorProcessor.SPAN_METRICS], storageSize: Size.gibibytes(1) })).toThrow(/metricsGenerator\.storageSize: set but the generator runs without local-blocks/);
  });

  test('extraConfig may not set what the typed options own', () => {
    expect(() => synthDistributed({ metricsGenerator: GENERATOR, extraConfig: { metrics_generator: { processor: { local_blocks: { filter_server_spans: true } } } } }))
      .toThrow(/extraConfig\.metrics_generator\.processor\.local_blocks\.filter_server_spans: .*use metricsGenerator\.localBlocks\.filterServerSpans/);
    expect(() => synthDistributed({ extraConfig: { stream_over_http_enabled: false } })).toThrow(/extraConfig\.stream_over_http_enabled: the library sets/);
    // keys without a typed option stay open
    const cfg = tempoConfig(synthDistributed({ metricsGenerator: GENERATOR, extraConfig: { metrics_generator: { processor: { local_blocks: { trace_idle_period: '20s' } } } } }).manifests);
    expect(cfg.metrics_generator.processor.local_blocks.trace_idle_period).toBe('20s');
  });

  test('a long instance name that fits a Deployment but not a StatefulSet is refused up front', () => {
    const name = 'a'.repeat(35); // "<name>-metrics-generator" = 53 characters: over the StatefulSet limit (52)
    expect(() => synthDistributed({ name, metricsGenerator: GENERATOR })).toThrow(/name: .*metrics-generator/);
    expect(() => synthDistributed({ name, metricsGenerator: { ...GENERATOR, processors: [GeneratorProcessor.SPAN_METRICS] } })).not.toThrow();
  });
});

describe('stream_over_http_enabled', () => {
  test.each(VERSIONS.map((v) => [v.version, v] as const))('always on (%s), with or without a generator', (_, version) => {
    expect(tempoConfig(synthDistributed({ version }).manifests).stream_over_http_enabled).toBe(true);
  });
});
