import { Testing } from 'cdk8s';
import { DevMinio, TempoDistributed, TempoMonolithic, TempoStorage } from '../lib';
import { TempoNames } from '../lib/k8s/names';
import { Manifest, minioStorage, testChart } from './support/synth';

const KINDS = ['Service', 'StatefulSet', 'Deployment', 'ConfigMap', 'ServiceAccount', 'NetworkPolicy'];

/** The names the instance-name check sees must be the names actually emitted, or the check checks something else. */
describe('the naming module lists exactly the names a stack emits', () => {
  test('distributed with zones, generator, cache and gateway', () => {
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    const chart = testChart('monitoring');
    new TempoDistributed(chart, 'Tempo', {
      name: 'traces', storage: minioStorage(), ingester: { zones }, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' },
      cache: {}, gateway: {},
    });
    const emitted = (Testing.synth(chart) as Manifest[]).filter((m) => KINDS.includes(m.kind)).map((m) => `${m.kind}/${m.metadata.name}`);
    const derived = new TempoNames('traces').distributed({ zones, metricsGenerator: 'statefulset', cache: true, gateway: true, rolloutOperator: true })
      .filter((d) => KINDS.includes(d.kind)).map((d) => `${d.kind}/${d.name}`);
    // Deployments carry their Service's name; policies for absent peers are listed too (a bound, never too loose).
    const services = new Set(derived.filter((d) => d.startsWith('Service/')).map((d) => d.slice('Service/'.length)));
    for (const e of emitted) {
      const [kind, name] = e.split('/');
      expect({ e, listed: kind === 'Deployment' ? services.has(name) || derived.includes(e) : derived.includes(e) }).toEqual({ e, listed: true });
    }
  });

  test('single binary', () => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { name: 'traces', storage: TempoStorage.local() });
    const emitted = (Testing.synth(chart) as Manifest[]).filter((m) => KINDS.includes(m.kind) && m.kind !== 'Service').map((m) => `${m.kind}/${m.metadata.name}`);
    const derived = new TempoNames('traces').monolithic().map((d) => `${d.kind}/${d.name}`);
    for (const e of emitted) expect(derived).toContain(e);
  });
});

test('DevMinio names are bounded by its bucket Job (pods <job>-<5 characters> within 63)', () => {
  const make = (name: string) => new DevMinio(Testing.chart(), 'Minio', { name, rootCredentials: { secretName: 'minio-root' } });
  expect(() => make('m'.repeat(42))).not.toThrow();
  expect(() => make('m'.repeat(43))).toThrow(/minio\.name: "m{43}" is invalid; allowed: a DNS label of at most 42 characters .*Job "m{43}-create-buckets" would be 58 characters; at most 57/);
});
