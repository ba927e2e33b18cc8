/**
 * Every supported Tempo release line (2.6 to 2.10): a deployment with every feature renders a tempo.yaml and
 * overrides.yaml that pass that line's own key tree, and the version-gated features follow the line.
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoMonolithic, TempoReceiver, TempoStorage, TempoVersion, validateTempoSchema } from '../lib';
import { receiverTypes } from '../lib/config/schema-validation';
import { find, Manifest, minioStorage, synthDistributed, testChart } from './support/synth';

const LINES = [
  { version: TempoVersion.V2_6_1, line: '2.6', openCensus: true },
  { version: TempoVersion.V2_7_2, line: '2.7', openCensus: true },
  { version: TempoVersion.V2_8_4, line: '2.8', openCensus: true },
  { version: TempoVersion.V2_9_5, line: '2.9', openCensus: false },
  { version: TempoVersion.V2_10_8, line: '2.10', openCensus: false },
];

function receiversOf(openCensus: boolean): TempoReceiver[] {
  return [
    TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.jaegerThriftHttp(),
    TempoReceiver.jaegerThriftCompact(), TempoReceiver.jaegerThriftBinary(), TempoReceiver.zipkin(),
    ...(openCensus ? [TempoReceiver.openCensus()] : []),
  ];
}

function configMapYaml(manifests: Manifest[], name: string, key: string): unknown {
  return yaml.load(find(manifests, 'ConfigMap', name).data[key]);
}

describe.each(LINES)('Tempo $line', ({ version, openCensus }) => {
  test('a distributed deployment with every feature passes the line\'s key trees', () => {
    const { manifests } = synthDistributed({
      version,
      receivers: receiversOf(openCensus),
      multitenancy: true,
      limits: { ingestionRateLimit: Size.mebibytes(20), maxSearchDuration: Duration.hours(12) },
      tenants: { 'team-a': { ingestionBurstSize: Size.mebibytes(40) } },
      ingester: { replicas: 6, zones: ['zone-a', 'zone-b', 'zone-c'] },
      metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' },
      cache: { memory: Size.gibibytes(1) },
      gateway: { basicAuth: { secretName: 'htpasswd' } },
    });
    expect(validateTempoSchema(configMapYaml(manifests, 'tempo-config', 'tempo.yaml'), version.schemaVersion, 'config')).toEqual([]);
    expect(validateTempoSchema(configMapYaml(manifests, 'tempo-runtime', 'overrides.yaml'), version.schemaVersion, 'overrides')).toEqual([]);
    expect(find(manifests, 'Deployment', 'tempo-distributor').spec.template.spec.containers[0].image).toBe(`grafana/tempo:${version.version}`);
  });

  test('the single binary passes the line\'s key tree', () => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { version, storage: minioStorage(), metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    const manifests = Testing.synth(chart) as Manifest[];
    expect(validateTempoSchema(configMapYaml(manifests, 'tempo-config', 'tempo.yaml'), version.schemaVersion, 'config')).toEqual([]);
  });

  test('OpenCensus is offered exactly where the line has the receiver', () => {
    expect(receiverTypes(version.schemaVersion).includes('opencensus')).toBe(openCensus);
    const attempt = () => synthDistributed({ version, receivers: [TempoReceiver.openCensus()] });
    if (openCensus) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(new RegExp(`receivers: opencensus needs receiver type "opencensus", which Tempo ${version.version.replace(/\./g, '\\.')} does not have`));
  });

  test('patch releases of the line use its key tree and their own image tag', () => {
    const patch = TempoVersion.of(`${version.version.split('.').slice(0, 2).join('.')}.0`);
    expect(patch.schemaVersion).toBe(version.schemaVersion);
    expect(patch.image).toBe(`grafana/tempo:${patch.version}`);
  });
});

describe('image tags and the configured version', () => {
  test('tags of the same line, non-release tags and digests pass', () => {
    for (const image of ['grafana/tempo:2.10.3', 'mirror.local:5000/tempo:v2.10.8-amd64', 'grafana/tempo:latest', 'grafana/tempo@sha256:' + 'a'.repeat(64), 'grafana/tempo']) {
      expect(() => synthDistributed({ version: TempoVersion.V2_10_8, image })).not.toThrow();
    }
  });

  test('a single binary with a tag of another line is refused', () => {
    const chart = testChart('tracing');
    expect(() => new TempoMonolithic(chart, 'Tempo', { version: TempoVersion.V2_9_5, image: 'grafana/tempo:2.6.1', storage: TempoStorage.local() }))
      .toThrow(/image: "grafana\/tempo:2\.6\.1" is Tempo 2\.6 but version is 2\.9\.5/);
  });
});

describe('Azure emulator endpoint', () => {
  test('endpointSuffix takes host:port (Azurite) as well as a DNS suffix, and refuses a bad port', () => {
    const azure = (endpointSuffix: string) => TempoStorage.azure({ containerName: 'tempo-traces', storageAccountName: 'devstoreaccount1', accountKey: { secretName: 'azurite' }, endpointSuffix });
    for (const suffix of ['azurite:10000', 'blob.core.chinacloudapi.cn', 'azurite']) {
      const { manifests } = synthDistributed({ storage: azure(suffix) });
      expect((yaml.load(find(manifests, 'ConfigMap', 'tempo-config').data['tempo.yaml']) as any).storage.trace.azure.endpoint_suffix).toBe(suffix);
    }
    expect(() => synthDistributed({ storage: azure('azurite:100000') })).toThrow(/storage\.azure\.endpointSuffix: "azurite:100000" is invalid/);
  });
});
