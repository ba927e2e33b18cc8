import { TempoAlerts, TempoDashboard, TempoDashboards, TempoServiceMonitors } from '../../lib';
import { dashboardExpressions } from '../../lib/grafana/dashboard-model';
import { find } from '../support/synth';
import { ofKind, withDistributed, withMonolithic } from './support';

const RELEASE = { release: 'kube-prometheus-stack' };

describe('ServiceMonitors for the exporters of memcached and the gateway (issue 12 part 4)', () => {
  const { manifests, tempo } = withDistributed((chart, t) => {
    new TempoServiceMonitors(chart, 'ServiceMonitors', { instance: t, labels: RELEASE });
    new TempoAlerts(chart, 'Alerts', { instance: t, labels: RELEASE });
  }, { cache: { exporter: true }, gateway: { exporter: true } });

  test('one ServiceMonitor per exporter, named after its Service, scraping http-metrics with job <namespace>/<component>', () => {
    expect(tempo.exporterTargets.map((t) => t.component)).toEqual(['memcached', 'gateway']);
    for (const [name, component] of [['tempo-memcached', 'memcached'], ['tempo-gateway', 'gateway']]) {
      const sm = find(manifests, 'ServiceMonitor', name);
      const endpoint = sm.spec.endpoints[0];
      expect(endpoint.port).toBe('http-metrics');
      expect(endpoint.relabelings[0]).toEqual({ action: 'keep', regex: name, sourceLabels: ['__meta_kubernetes_service_name'] });
      expect(endpoint.relabelings[1].replacement).toBe(`$1/${component}`);
      // the selected Service has that port
      const svc = find(manifests, 'Service', name);
      expect(svc.spec.ports.map((p: any) => p.name)).toContain('http-metrics');
      expect(Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => svc.metadata.labels?.[k] === v)).toBe(true);
    }
  });

  test('the one `labels` option (kube-prometheus-stack\'s release label) is on every ServiceMonitor and the PrometheusRule', () => {
    const objects = [...ofKind(manifests, 'ServiceMonitor'), ...ofKind(manifests, 'PrometheusRule')];
    expect(objects.length).toBe(9); // 6 components, 2 exporters, 1 rule
    for (const o of objects) expect(o.metadata.labels?.release).toBe('kube-prometheus-stack');
  });

  test('the gateway exporter reads stub_status on loopback only; Prometheus may reach 9113 through the gateway policy', () => {
    const gw = find(manifests, 'Deployment', 'tempo-gateway');
    const exporter = gw.spec.template.spec.containers.find((c: any) => c.name === 'exporter');
    expect(exporter.args).toEqual(['--nginx.scrape-uri=http://127.0.0.1:8081/stub_status', '--web.listen-address=:9113']);
    expect(exporter.securityContext.runAsNonRoot).toBe(true);
    const conf = find(manifests, 'ConfigMap', 'tempo-gateway-config').data['nginx.conf'];
    expect(conf).toMatch(/listen 127\.0\.0\.1:8081;[\s\S]*location = \/stub_status \{\s+stub_status;/);
    const policy = find(manifests, 'NetworkPolicy', 'tempo-gateway');
    const metricsRule = policy.spec.ingress.find((r: any) => r.ports.some((p: any) => p.port === 9113));
    expect(metricsRule.from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus' });
  });

  test('without exporters there are no exporter ServiceMonitors and no stub_status listener', () => {
    const plain = withDistributed((chart, t) => new TempoServiceMonitors(chart, 'ServiceMonitors', { instance: t }), { cache: {}, gateway: {} });
    expect(ofKind(plain.manifests, 'ServiceMonitor').map((m) => m.metadata.name)).not.toContain('tempo-gateway');
    expect(find(plain.manifests, 'ConfigMap', 'tempo-gateway-config').data['nginx.conf']).not.toContain('stub_status');
    expect(() => withDistributed(() => undefined, { gateway: { exporterImage: 'nginx/nginx-prometheus-exporter:1.4.1' } }))
      .toThrow(/gateway\.exporterImage: set but the exporter is off/);
  });
});

describe('Tempo / Operational and Tempo / Tenants dashboards', () => {
  const build = (mode: 'distributed' | 'monolithic') => {
    const add = (chart: any, t: any) => new TempoDashboards(chart, 'Dashboards', { instance: t });
    return mode === 'distributed' ? withDistributed(add).result : withMonolithic(add).result;
  };

  test.each(['distributed', 'monolithic'] as const)('both are emitted by default (%s) and every query names a catalogued series', (mode) => {
    const d = build(mode);
    for (const which of [TempoDashboard.OPERATIONAL, TempoDashboard.TENANTS]) {
      const model = d.dashboards[which]!;
      expect(model.title).toBe(which === TempoDashboard.OPERATIONAL ? 'Tempo / Operational' : 'Tempo / Tenants');
      // parsed and checked against the catalogue at synth time; here: something is there
      expect(dashboardExpressions(model).length).toBeGreaterThan(5);
    }
  });

  test('Tenants: a tenant variable, and limits read from tempo_limits_overrides for the tenant, else the defaults', () => {
    const model = build('distributed').dashboards[TempoDashboard.TENANTS]!;
    expect(model.templating.list.map((v: any) => v.name)).toContain('tenant');
    const exprs = dashboardExpressions(model).map((e) => e.expr);
    expect(exprs.some((e) => /tempo_limits_overrides\{[^}]*user="\$tenant", limit_name="ingestion_rate_limit_bytes"\}\) or max by \(limit_name\) \(tempo_limits_defaults/.test(e))).toBe(true);
    expect(exprs.some((e) => e.includes('tempo_query_frontend_queries_total') && e.includes('tenant="$tenant"'))).toBe(true);
  });

  test('Operational shows the local-blocks processor when a generator runs', () => {
    const exprs = dashboardExpressions(build('distributed').dashboards[TempoDashboard.OPERATIONAL]!).map((e) => e.expr);
    expect(exprs.some((e) => e.includes('tempo_metrics_generator_processor_local_blocks_spans_total'))).toBe(true);
    const noGen = withDistributed((chart, t) => new TempoDashboards(chart, 'Dashboards', { instance: t }), { metricsGenerator: undefined }).result;
    expect(dashboardExpressions(noGen.dashboards[TempoDashboard.OPERATIONAL]!).map((e) => e.expr).join('\n')).not.toContain('local_blocks');
  });

  test('Operational has memcached and gateway rows on their exporters\' jobs only when those exporters run', () => {
    const add = (chart: any, t: any) => new TempoDashboards(chart, 'Dashboards', { instance: t });
    const rowTitles = (model: Record<string, any>) => model.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title);
    const withBoth = withDistributed(add, { cache: { exporter: true }, gateway: { exporter: true } }).result.dashboards[TempoDashboard.OPERATIONAL]!;
    expect(rowTitles(withBoth)).toEqual(expect.arrayContaining(['Cache (memcached)', 'Gateway (nginx)']));
    const byTitle = Object.fromEntries(withBoth.panels.filter((p: any) => p.targets).map((p: any) => [p.title, p.targets.map((t: any) => t.expr)]));
    expect(byTitle['Hit ratio']).toEqual(['sum(rate(memcached_commands_total{cluster=~"$cluster", job=~"$namespace/memcached", command="get", status="hit"}[$__rate_interval])) / sum(rate(memcached_commands_total{cluster=~"$cluster", job=~"$namespace/memcached", command="get"}[$__rate_interval]))']);
    expect(byTitle['Evictions / s'][0]).toContain('memcached_items_evicted_total{cluster=~"$cluster", job=~"$namespace/memcached"}');
    expect(byTitle['Connections'].join('\n')).toMatch(/memcached_current_connections[\s\S]*memcached_max_connections/);
    expect(byTitle['Requests / s']).toEqual(['sum by (instance) (rate(nginx_http_requests_total{cluster=~"$cluster", job=~"$namespace/gateway"}[$__rate_interval]))']);
    expect(byTitle['Active connections']).toEqual(['sum by (instance) (nginx_connections_active{cluster=~"$cluster", job=~"$namespace/gateway"})']);
    // a cache and a gateway without exporters (and a single binary): no such rows, no exporter series
    for (const model of [
      withDistributed(add, { cache: {}, gateway: {} }).result.dashboards[TempoDashboard.OPERATIONAL]!,
      withMonolithic(add).result.dashboards[TempoDashboard.OPERATIONAL]!,
    ]) {
      expect(rowTitles(model)).not.toEqual(expect.arrayContaining(['Cache (memcached)']));
      expect(dashboardExpressions(model).map((e) => e.expr).join('\n')).not.toMatch(/memcached_|nginx_/);
    }
    const onlyCache = withDistributed(add, { cache: { exporter: true }, gateway: {} }).result.dashboards[TempoDashboard.OPERATIONAL]!;
    expect(rowTitles(onlyCache)).toContain('Cache (memcached)');
    expect(rowTitles(onlyCache)).not.toContain('Gateway (nginx)');
  });
});
