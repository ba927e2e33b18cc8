/**
 * The Grafana and Prometheus integration of both reference deployments (main.ts, i.e. dist/):
 * the data source points at a Service and port of the same output, the ServiceMonitors select
 * existing Services, promtool accepts the rules, and no rule, panel, variable or data source query
 * uses a metric name Tempo does not emit.
 */
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { addReferenceCharts } from '../../main';
import { EXPORTER_SERIES_NAMES, isTempoSeries, TEMPO_RECORDED_SERIES, VULTURE_SERIES } from '../../lib';
import { dashboardExpressions, substituteGrafanaVariables } from '../../lib/grafana/dashboard-model';
import { analyzePromQL } from '../../lib/monitoring/promql';
import { Manifest, selects } from '../support/synth';
import { describeWithPromtool, RuleFileDir } from './promtool';

const app = Testing.app();
// the charts that deploy a Tempo instance (others, such as the Argo CD chart, have no integrations)
const charts = addReferenceCharts(app).filter((c) => 'tempo' in c);
const outputs = charts.map((c) => ({ chart: c.node.id, manifests: Testing.synth(c) as Manifest[] }));
const RECORDED = new Set(TEMPO_RECORDED_SERIES);
const VULTURE = new Set<string>(Object.values(VULTURE_SERIES));
// what the memcached and gateway exporter sidecars expose (and Prometheus' `up` of their targets)
const EXPORTERS = new Set<string>(EXPORTER_SERIES_NAMES);

/** Every PromQL expression of a chart's integration objects, with where it comes from. */
function expressions(manifests: Manifest[]): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const m of manifests) {
    if (m.kind === 'PrometheusRule') {
      for (const g of m.spec.groups) for (const r of g.rules) out.push({ where: `${m.metadata.name} ${r.alert ?? r.record}`, expr: r.expr });
    }
    if (m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard) {
      for (const text of Object.values(m.data) as string[]) {
        for (const e of dashboardExpressions(JSON.parse(text))) out.push({ where: `${m.metadata.name} ${e.where}`, expr: substituteGrafanaVariables(e.expr) });
      }
    }
    if (m.kind === 'ConfigMap' && m.metadata.labels?.grafana_datasource) {
      for (const text of Object.values(m.data) as string[]) {
        for (const ds of (yaml.load(text) as any).datasources) {
          for (const q of ds.jsonData.tracesToMetrics?.queries ?? []) {
            // provisioning escapes `$` as `$$`; Grafana replaces $__tags with the span's tags
            out.push({ where: `${m.metadata.name} tracesToMetrics "${q.name}"`, expr: q.query.replace(/\$\$/g, '$').replace(/\$__tags/g, 'service="x"') });
          }
        }
      }
    }
  }
  return out;
}

describe.each(outputs)('reference deployment $chart: Grafana and Prometheus integration', ({ manifests }) => {
  const services = manifests.filter((m) => m.kind === 'Service');

  // one data source, or one per tenant (`tempo-datasource-<uid>`)
  const datasourceMaps = manifests.filter((m) => m.kind === 'ConfigMap' && /^tempo-datasource(-|$)/.test(m.metadata.name));

  test('has a data source, ServiceMonitors, a PrometheusRule and the seven dashboards', () => {
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(datasourceMaps.length).toBeGreaterThan(0);
    expect(kinds).toContain('PrometheusRule/tempo-alerts');
    expect(manifests.filter((m) => m.kind === 'ServiceMonitor').length).toBeGreaterThan(0);
    const titles = manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard)
      .map((m) => JSON.parse(Object.values(m.data)[0] as string).title).sort();
    expect(titles).toEqual(['Tempo / Operational', 'Tempo / Reads', 'Tempo / Resources', 'Tempo / Tenants', 'Tempo / Writes', 'Tempo Service Map', 'Trace Latency']);
  });

  test('every data source URL names a Service and port of this output', () => {
    for (const cm of datasourceMaps) {
      const ds = (yaml.load(Object.values<string>(cm.data)[0]) as any).datasources[0];
      const url = new URL(ds.url);
      const [name, namespace] = url.hostname.split('.');
      const svc = services.find((s) => s.metadata.name === name && s.metadata.namespace === namespace);
      expect(svc).toBeDefined();
      expect(svc!.spec.ports.map((p: any) => p.port)).toContain(Number(url.port));
      expect(ds.jsonData.tracesToLogsV2.datasourceUid).toBe('loki');
      expect(ds.jsonData.serviceMap.datasourceUid).toBe('prometheus');
    }
  });

  test('every ServiceMonitor keeps its component\'s main Services of this output (one per zone for zone-aware ingesters), each with the scraped port', () => {
    for (const sm of manifests.filter((m) => m.kind === 'ServiceMonitor')) {
      const regex: string = sm.spec.endpoints[0].relabelings[0].regex;
      const keep = new RegExp(`^(?:${regex})$`);
      const kept = services.filter((s) => s.metadata.namespace === sm.metadata.namespace
        && selects(sm.spec.selector.matchLabels, s.metadata.labels) && keep.test(s.metadata.name));
      expect({ sm: sm.metadata.name, kept: kept.length }).toEqual({ sm: sm.metadata.name, kept: regex.split('|').length });
      for (const svc of kept) expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
    }
  });

  test('every expression parses and selects only series Tempo (or its vulture, or the exporters) emits, or the recording rules write', () => {
    const all = expressions(manifests);
    expect(all.length).toBeGreaterThan(80);
    const problems = all.flatMap(({ where, expr }) => {
      const a = analyzePromQL(expr);
      return [
        ...a.syntaxErrors.map((e) => `${where}: ${e}`),
        ...a.metricNames.filter((n) => !isTempoSeries(n) && !RECORDED.has(n) && !VULTURE.has(n) && !EXPORTERS.has(n)).map((n) => `${where}: unknown metric ${n}`),
      ];
    });
    expect(problems).toEqual([]);
  });

  describeWithPromtool('promtool', () => {
    test('promtool check rules accepts the PrometheusRule', () => {
      const rule = manifests.find((m) => m.kind === 'PrometheusRule')!;
      const dir = new RuleFileDir(rule.spec);
      try {
        const res = dir.check();
        expect({ status: res.status, output: res.output }).toMatchObject({ status: 0 });
      } finally {
        dir.remove();
      }
    });
  });
});
