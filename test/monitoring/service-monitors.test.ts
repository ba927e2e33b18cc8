import { Duration } from 'cdk8s';
import { TempoServiceMonitors } from '../../lib';
import { validateK8sManifests } from '../support/k8s-validation';
import { find, selects } from '../support/synth';
import { ofKind, withDistributed, withMonolithic } from './support';

const COMPONENTS = ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'metrics-generator'];

describe('TempoServiceMonitors', () => {
  const { manifests } = withDistributed((chart, tempo) => new TempoServiceMonitors(chart, 'ServiceMonitors', { instance: tempo }));
  const monitors = ofKind(manifests, 'ServiceMonitor');

  test('one ServiceMonitor <instance>-<component> per component, in the instance namespace', () => {
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(COMPONENTS.map((c) => `tempo-${c}`).sort());
    for (const m of monitors) {
      expect(m.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(m.metadata.namespace).toBe('monitoring');
    }
  });

  test('each scrapes /metrics on the http port of Services that exist in the same output, and keeps only the component\'s main Service', () => {
    const services = ofKind(manifests, 'Service');
    for (const m of monitors) {
      const component = m.metadata.name.replace(/^tempo-/, '');
      const endpoint = m.spec.endpoints[0];
      expect(m.spec.endpoints).toHaveLength(1);
      expect(endpoint).toMatchObject({ port: 'http', path: '/metrics', scheme: 'http' });
      const selected = services.filter((s) => selects(m.spec.selector.matchLabels, s.metadata.labels));
      const keep = endpoint.relabelings.find((r: any) => r.action === 'keep');
      expect(keep.sourceLabels).toEqual(['__meta_kubernetes_service_name']);
      const kept = selected.filter((s) => new RegExp(`^(?:${keep.regex})$`).test(s.metadata.name));
      expect(kept.map((s) => s.metadata.name)).toEqual([`tempo-${component}`]);
      expect(kept[0].spec.ports.map((p: any) => p.name)).toContain('http');
    }
    // the query-frontend's headless discovery Service selects the same pods but is not scraped twice
    const qf = find(manifests, 'ServiceMonitor', 'tempo-query-frontend');
    expect(services.filter((s) => selects(qf.spec.selector.matchLabels, s.metadata.labels)).map((s) => s.metadata.name).sort())
      .toEqual(['tempo-query-frontend', 'tempo-query-frontend-discovery']);
  });

  test('relabelling: job = <namespace>/<component> (Tempo\'s mixin) and a cluster label; actions written out', () => {
    const m = find(manifests, 'ServiceMonitor', 'tempo-ingester');
    expect(m.spec.endpoints[0].relabelings).toEqual([
      { action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'tempo-ingester' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], regex: '(.+)', replacement: '$1/ingester', targetLabel: 'job' },
      { action: 'replace', replacement: 'tempo', targetLabel: 'cluster' },
    ]);
    for (const mon of monitors) for (const r of mon.spec.endpoints[0].relabelings) expect(r.action).toBeDefined();
  });

  test('pass the project\'s Kubernetes validation', () => {
    expect(validateK8sManifests(monitors).errors).toEqual([]);
  });

  test('cluster, interval, scrape timeout and object labels are options', () => {
    const { manifests: m } = withDistributed((chart, tempo) => new TempoServiceMonitors(chart, 'SM', {
      instance: tempo, cluster: 'prod-eu1', interval: Duration.seconds(30), scrapeTimeout: Duration.seconds(10), labels: { release: 'prometheus' },
    }), { metricsGenerator: undefined });
    const d = find(m, 'ServiceMonitor', 'tempo-distributor');
    expect(d.metadata.labels?.release).toBe('prometheus');
    expect(d.spec.endpoints[0]).toMatchObject({ interval: '30s', scrapeTimeout: '10s' });
    expect(d.spec.endpoints[0].relabelings[2]).toEqual({ action: 'replace', replacement: 'prod-eu1', targetLabel: 'cluster' });
    expect(ofKind(m, 'ServiceMonitor')).toHaveLength(5);
  });

  test('a single binary gets one ServiceMonitor for its Service', () => {
    const { manifests: m, result } = withMonolithic((chart, tempo) => new TempoServiceMonitors(chart, 'SM', { instance: tempo }), { serviceName: 'tempo' });
    expect(result.names).toEqual(['tempo-single-binary']);
    const sm = find(m, 'ServiceMonitor', 'tempo-single-binary');
    expect(sm.spec.endpoints[0].relabelings[0].regex).toBe('tempo');
    expect(sm.spec.endpoints[0].relabelings[1].replacement).toBe('$1/single-binary');
    expect(ofKind(m, 'Service').some((s) => s.metadata.name === 'tempo' && selects(sm.spec.selector.matchLabels, s.metadata.labels))).toBe(true);
  });

  test('bad input fails naming the option', () => {
    const build = (props: object) => () => withDistributed((chart, tempo) => new TempoServiceMonitors(chart, 'SM', { instance: tempo, ...props }));
    expect(build({ cluster: '' })).toThrow(/cluster: "" is invalid; allowed: 1-63 characters/);
    expect(build({ interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) })).toThrow('scrapeTimeout: 20 seconds is longer than interval 10 seconds');
    expect(build({ interval: Duration.millis(500) })).toThrow('interval: 500 millis is invalid');
    expect(build({ labels: { 'app.kubernetes.io/name': 'x' } })).toThrow('labels: "app.kubernetes.io/name" is set by the library');
  });
});
