import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoDashboards, TempoDistributed, TempoServiceMonitors } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { find, Manifest, minioStorage, selects, testChart } from './support/synth';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

describe('defect 1: integrations of zone-aware ingesters', () => {
  const chart = testChart('monitoring');
  const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), ingester: { zones: ZONES } });
  new TempoServiceMonitors(chart, 'Monitors', { instance: tempo });
  new TempoDashboards(chart, 'Dashboards', { instance: tempo, tempoDatasourceUid: 'tempo', prometheusDatasourceUid: 'prometheus' });
  const manifests = Testing.synth(chart) as Manifest[];

  test('one metrics target per component; the ingester target names every zone Service', () => {
    expect(tempo.metricsTargets.map((t) => t.component)).toEqual(['distributor', 'ingester', 'querier', 'query-frontend', 'compactor']);
    const ingester = tempo.metricsTargets.find((t) => t.component === 'ingester')!;
    expect(ingester.serviceNames).toEqual(ZONES.map((z) => `tempo-ingester-${z}`));
    for (const name of ingester.serviceNames) expect(selects(ingester.selectorLabels, find(manifests, 'Service', name).metadata.labels)).toBe(true);
  });

  test('one ServiceMonitor tempo-ingester scrapes the Services of all three zones', () => {
    const monitor = find(manifests, 'ServiceMonitor', 'tempo-ingester');
    const keep = monitor.spec.endpoints[0].relabelings.find((r: any) => r.action === 'keep');
    const scraped = manifests
      .filter((m) => m.kind === 'Service' && selects(monitor.spec.selector.matchLabels, m.metadata.labels))
      .filter((s) => new RegExp(`^(?:${keep.regex})$`).test(s.metadata.name))
      .map((s) => s.metadata.name);
    expect(scraped).toEqual(ZONES.map((z) => `tempo-ingester-${z}`));
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('defect 2: names derived with zones are length-checked', () => {
  const zones = ['asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c'];
  const synth = (name: string) => {
    const chart = testChart('monitoring');
    new TempoDistributed(chart, 'Tempo', { name, storage: minioStorage(), ingester: { zones } });
    return Testing.synth(chart) as Manifest[];
  };

  test('a StatefulSet name above 52 characters is refused, naming the option and the real bound', () => {
    // tempo-shared-cluster-production-01-ingester-asia-southeast1-a: 61 characters
    expect(() => synth('tempo-shared-cluster-production-01')).toThrow(
      /name: "tempo-shared-cluster-production-01" is invalid; allowed: a DNS label of at most 25 characters .*StatefulSet "tempo-shared-cluster-production-01-ingester-asia-southeast1-a" would be 61 characters; at most 52/);
  });

  test('a 38-character name, valid without zones, is refused with them (its zone Service would exceed 63)', () => {
    const name = 'a'.repeat(38);
    expect(() => synth(name)).toThrow(/name: "a{38}" is invalid; allowed: a DNS label of at most 25 characters/);
  });

  test('at the bound, every emitted name is within its limit', () => {
    const manifests = synth('t'.repeat(25));
    for (const m of manifests) {
      const limit = m.kind === 'StatefulSet' ? 52 : m.kind === 'Service' ? 63 : 253;
      expect({ kind: m.kind, name: m.metadata.name, ok: m.metadata.name.length <= limit }).toEqual({ kind: m.kind, name: m.metadata.name, ok: true });
    }
  });
});

describe('defect 3: the default cluster label is derived valid', () => {
  const namespace = `ns-${'x'.repeat(57)}`; // 60 characters, a valid namespace

  test('a long namespace no longer rejects a configuration that sets no clusterLabel', () => {
    const chart = testChart(namespace);
    const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage() });
    const label = (yaml.load(tempo.configText) as any).memberlist.cluster_label as string;
    expect(label.length).toBeLessThanOrEqual(63);
    expect(label).toMatch(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/);
    expect(label.startsWith(`tempo.${namespace.slice(0, 20)}`)).toBe(true);
  });

  test('a short namespace keeps <name>.<namespace>', () => {
    const tempo = new TempoDistributed(testChart('monitoring'), 'Tempo', { storage: minioStorage() });
    expect((yaml.load(tempo.configText) as any).memberlist.cluster_label).toBe('tempo.monitoring');
  });

  test('an explicit invalid clusterLabel is still refused', () => {
    expect(() => new TempoDistributed(testChart(namespace), 'Tempo', { storage: minioStorage(), clusterLabel: 'x'.repeat(64) }))
      .toThrow(/clusterLabel: "x{64}" is invalid; allowed: 1-63 characters/);
  });
});

describe('a gateway inside TempoDistributed in a chart without namespace', () => {
  test('the error names the gateway and the chart, not an option the deployment does not offer', () => {
    const chart = testChart(null);
    expect(() => new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), gateway: {} }))
      .toThrow(/gateway: needs a namespace and the chart has none \(nginx resolves fully qualified Service names only\); allowed: a Chart with `namespace`/);
  });
});
