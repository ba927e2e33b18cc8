import { Duration } from 'cdk8s';
import {
  GeneratorProcessor, isTempoSeries, TEMPO_DASHBOARD_TITLES, TempoDashboard, TempoDashboards, TempoDistributed,
} from '../../lib';
import { dashboardExpressions, substituteGrafanaVariables } from '../../lib/grafana/dashboard-model';
import { analyzePromQL } from '../../lib/monitoring/promql';
import { validateK8sManifests } from '../support/k8s-validation';
import { find, minioStorage, testChart } from '../support/synth';
import { ofKind, withDistributed, withMonolithic } from '../monitoring/support';

const SLUGS = ['service-map', 'trace-latency', 'writes', 'reads', 'resources', 'operational', 'tenants'];

function dashboardFrom(manifests: any[], slug: string): any {
  const cm = find(manifests, 'ConfigMap', `tempo-dashboard-${slug}`);
  const keys = Object.keys(cm.data);
  expect(keys).toEqual([`tempo-${slug}.json`]);
  return JSON.parse(cm.data[keys[0]]);
}

function panels(d: any): any[] {
  return d.panels.filter((p: any) => p.type !== 'row');
}

describe('TempoDashboards', () => {
  const { manifests, tempo } = withDistributed((chart, t) => new TempoDashboards(chart, 'Dashboards', { instance: t }));

  test('seven ConfigMaps labelled for Grafana\'s sidecar, each holding one valid JSON dashboard with the expected title and uid', () => {
    const cms = ofKind(manifests, 'ConfigMap').filter((c) => c.metadata.name.startsWith('tempo-dashboard-'));
    expect(cms.map((c) => c.metadata.name).sort()).toEqual(SLUGS.map((s) => `tempo-dashboard-${s}`).sort());
    for (const cm of cms) expect(cm.metadata.labels?.grafana_dashboard).toBe('1');
    const titles = SLUGS.map((s) => dashboardFrom(manifests, s).title);
    expect(titles).toEqual(['Tempo Service Map', 'Trace Latency', 'Tempo / Writes', 'Tempo / Reads', 'Tempo / Resources', 'Tempo / Operational', 'Tempo / Tenants']);
    for (const s of SLUGS) {
      const d = dashboardFrom(manifests, s);
      expect(d.uid).toBe(`tempo-${s}`);
      expect(d.tags).toEqual(['tempo', 'cdk8s-tempo']);
      expect(d.editable).toBe(false);
      expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    }
    expect(validateK8sManifests(cms).errors).toEqual([]);
  });

  test('panel ids are unique and every Prometheus panel reads the datasource variable', () => {
    for (const s of SLUGS) {
      const d = dashboardFrom(manifests, s);
      const ids = d.panels.map((p: any) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panels(d).filter((x) => x.type === 'timeseries')) {
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(p.targets.length).toBeGreaterThan(0);
        expect(p.options.legend.showLegend).toBe(true);
      }
    }
  });

  test('every query parses as PromQL and selects only series Tempo or its metrics-generator emit', () => {
    let checked = 0;
    for (const s of SLUGS) {
      for (const e of dashboardExpressions(dashboardFrom(manifests, s))) {
        const a = analyzePromQL(substituteGrafanaVariables(e.expr));
        expect({ where: `${s} ${e.where}`, errors: a.syntaxErrors }).toEqual({ where: `${s} ${e.where}`, errors: [] });
        for (const name of a.metricNames) expect({ where: `${s} ${e.where}`, name, known: isTempoSeries(name) }).toMatchObject({ known: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  test('service map: a node graph on the Tempo data source (service map query), plus rates on traces_service_graph_request_total', () => {
    const d = dashboardFrom(manifests, 'service-map');
    const node = panels(d).find((p) => p.type === 'nodeGraph');
    expect(node.title).toBe('Tempo Service Map');
    expect(node.datasource).toEqual({ type: 'tempo', uid: 'tempo' });
    expect(node.targets).toEqual([{ refId: 'A', queryType: 'serviceMap', datasource: { type: 'tempo', uid: 'tempo' }, filters: [] }]);
    expect(JSON.stringify(d)).toContain('traces_service_graph_request_total');
  });

  test('trace latency: the seed\'s p95-by-service panel with the names Tempo emits (latency_bucket, label service)', () => {
    const d = dashboardFrom(manifests, 'trace-latency');
    const p = panels(d).find((x) => x.title === 'Trace Latency');
    expect(p.targets[0].expr).toBe('histogram_quantile(0.95, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{service=~"$service", span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"}[$__rate_interval])))');
    expect(p.targets[0].legendFormat).toBe('{{service}}');
    const text = JSON.stringify(d);
    expect(text).not.toContain('service_name');
    expect(text).not.toContain('duration_seconds');
    expect(d.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'service']);
  });

  test('operational dashboards select cluster and job=<namespace>/<component> of components that exist', () => {
    const components = new Set(tempo.metricsTargets.map((t) => t.component));
    for (const s of ['writes', 'reads', 'resources']) {
      const d = dashboardFrom(manifests, s);
      expect(d.templating.list.map((v: any) => [v.name, v.current?.value])).toEqual([['datasource', 'prometheus'], ['cluster', 'tempo'], ['namespace', 'monitoring']]);
      for (const e of dashboardExpressions(d).filter((x) => x.where.startsWith('panel'))) {
        expect(e.expr).toContain('cluster=~"$cluster"');
        const job = /job=~"\$namespace\/([^"]+)"/.exec(e.expr)![1];
        if (job !== '.+') expect(components).toContain(job);
      }
    }
    expect(panels(dashboardFrom(manifests, 'writes')).map((p) => p.title)).toEqual(expect.arrayContaining(['Spans received / s', 'Push latency', 'Live traces', 'Outstanding blocks']));
    expect(dashboardFrom(manifests, 'reads').panels.filter((p: any) => p.type === 'row').map((p: any) => p.title))
      .toEqual(['Query frontend', 'Querier', 'Ingester', 'Object storage', 'Block list']);
    expect(dashboardFrom(manifests, 'resources').panels.filter((p: any) => p.type === 'row').map((p: any) => p.title))
      .toEqual(['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'metrics-generator']);
  });
});

describe('TempoDashboards: instances and options', () => {
  test('without a metrics-generator the span-metrics dashboards are left out (unless asked for)', () => {
    const { manifests } = withDistributed((chart, t) => new TempoDashboards(chart, 'D', { instance: t }), { metricsGenerator: undefined });
    expect(ofKind(manifests, 'ConfigMap').map((c) => c.metadata.name).filter((n) => n.includes('dashboard')).sort())
      .toEqual(['tempo-dashboard-operational', 'tempo-dashboard-reads', 'tempo-dashboard-resources', 'tempo-dashboard-tenants', 'tempo-dashboard-writes']);
    const writes = dashboardFrom(manifests, 'writes');
    expect(writes.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(['Distributor', 'Ingester', 'Compactor']);
    expect(JSON.stringify(writes)).not.toContain('metrics_generator');
    const { result } = withDistributed((chart, t) => new TempoDashboards(chart, 'D', { instance: t, dashboards: [TempoDashboard.SERVICE_MAP] }), { metricsGenerator: undefined });
    expect(Object.keys(result.dashboards)).toEqual(['service-map']);
  });

  test('a single binary: one job for every row, one resources row', () => {
    const { manifests } = withMonolithic((chart, t) => new TempoDashboards(chart, 'D', { instance: t }));
    const reads = dashboardFrom(manifests, 'reads');
    expect(reads.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(['Query frontend', 'Ingester', 'Object storage', 'Block list']);
    expect(JSON.stringify(reads)).toContain('job=~\\"$namespace/single-binary\\"');
    expect(dashboardFrom(manifests, 'resources').panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(['single-binary']);
    expect(dashboardFrom(manifests, 'writes').templating.list[2].current.value).toBe('tracing');
  });

  test('uids, titles, data source uids, folder, sidecar label and grafana-operator resources are options', () => {
    const { manifests } = withDistributed((chart, t) => new TempoDashboards(chart, 'D', {
      instance: t, cluster: 'prod', prometheusDatasourceUid: 'mimir', tempoDatasourceUid: 'traces', uidPrefix: 'prod-tempo', titleSuffix: ' (prod)',
      folder: 'Tempo', sidecar: { labelKey: 'dashboards', labelValue: 'tempo', namespace: 'grafana' },
      operator: { instanceSelector: { dashboards: 'grafana' }, resyncPeriod: Duration.hours(1) },
      dashboards: [TempoDashboard.SERVICE_MAP, TempoDashboard.WRITES],
    }));
    const cm = find(manifests, 'ConfigMap', 'prod-tempo-dashboard-writes');
    expect(cm.metadata).toMatchObject({ namespace: 'grafana', labels: { dashboards: 'tempo' }, annotations: { grafana_folder: 'Tempo' } });
    const d = JSON.parse(cm.data['prod-tempo-writes.json']);
    expect(d.title).toBe(`${TEMPO_DASHBOARD_TITLES[TempoDashboard.WRITES]} (prod)`);
    expect(d.templating.list[0].current.value).toBe('mimir');
    expect(d.templating.list[1].current.value).toBe('prod');
    const sm = JSON.parse(find(manifests, 'ConfigMap', 'prod-tempo-dashboard-service-map').data['prod-tempo-service-map.json']);
    expect(panels(sm)[0].datasource.uid).toBe('traces');
    const gd = find(manifests, 'GrafanaDashboard', 'prod-tempo-dashboard-writes');
    expect(gd.spec).toMatchObject({ instanceSelector: { matchLabels: { dashboards: 'grafana' } }, allowCrossNamespaceImport: false, folder: 'Tempo', uid: 'prod-tempo-writes', resyncPeriod: '1h' });
    expect(JSON.parse(gd.spec.json)).toEqual(d);
    expect(validateK8sManifests(ofKind(manifests, 'GrafanaDashboard')).errors).toEqual([]);
  });

  test('bad input fails naming the option', () => {
    const build = (props: object) => () => withDistributed((chart, t) => new TempoDashboards(chart, 'D', { instance: t, ...props }));
    expect(build({ dashboards: ['latency'] })).toThrow('dashboards: "latency" is invalid; allowed: service-map, trace-latency, writes, reads, resources');
    expect(build({ uidPrefix: 'a-very-long-prefix-for-the-dashboard-uids' })).toThrow(/uidPrefix: "a-very-long-prefix-for-the-dashboard-uids-service-map" is invalid; allowed: 1-40 characters/);
    expect(build({ prometheusDatasourceUid: 'prom etheus' })).toThrow('prometheusDatasourceUid: "prom etheus" is invalid');
    expect(build({ dashboards: [TempoDashboard.READS, TempoDashboard.READS] })).toThrow('dashboards: lists a dashboard twice');
    expect(build({ folder: ' ' })).toThrow('folder: must not be empty');
  });
});

describe('TempoDashboards default uid prefix', () => {
  test('a long instance name (valid for the instance) still gives valid uids: the prefix is cut, not refused', () => {
    const chart = testChart('monitoring');
    const name = 'tempo-shared-cluster-production-eu-01';
    // without local-blocks: the generator's StatefulSet name would not fit 52 characters
    const processors = [GeneratorProcessor.SERVICE_GRAPHS, GeneratorProcessor.SPAN_METRICS];
    const tempo = new TempoDistributed(chart, 'Tempo', { name, storage: minioStorage(), metricsGenerator: { remoteWriteUrl: 'http://p:9090/api/v1/write', processors } });
    const dashboards = new TempoDashboards(chart, 'Dashboards', { instance: tempo });
    const uids = Object.values(dashboards.dashboards).map((d) => d!.uid as string);
    expect(uids).toContain('tempo-shared-cluster-produ-trace-latency');
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
  });
});
