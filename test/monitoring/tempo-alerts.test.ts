import { Duration } from 'cdk8s';
import { AlertSeverity, SpanKind, TEMPO_ALERT_IDS, TempoAlerts } from '../../lib';
import { validateK8sManifests } from '../support/k8s-validation';
import { find } from '../support/synth';
import { withDistributed, withMonolithic } from './support';

function rulesOf(manifests: any[], name = 'tempo-alerts'): any[] {
  return find(manifests, 'PrometheusRule', name).spec.groups.flatMap((g: any) => g.rules);
}
function alert(manifests: any[], name: string, severity?: string): any {
  const found = rulesOf(manifests).filter((r) => r.alert === name && (!severity || r.labels.severity === severity));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('TempoAlerts: what is emitted', () => {
  const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo }));
  const rule = find(manifests, 'PrometheusRule', 'tempo-alerts');

  test('one PrometheusRule <instance>-alerts with recording rules, mixin alerts and trace alerts in named groups', () => {
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/managed-by': 'cdk8s-tempo' });
    expect(rule.spec.groups.map((g: any) => g.name)).toEqual(['tempo_rules', 'tempo_alerts', 'tempo_trace_alerts']);
    expect(rule.spec.groups[0].rules.map((r: any) => r.record)).toEqual([
      'cluster_namespace_job_route:tempo_request_duration_seconds:99quantile',
      'cluster_namespace_job_route:tempo_request_duration_seconds:50quantile',
      'cluster_namespace_job_route:tempo_request_duration_seconds:avg',
      'cluster_namespace_job_route:tempo_request_duration_seconds_bucket:sum_rate',
      'cluster_namespace_job_route:tempo_request_duration_seconds_sum:sum_rate',
      'cluster_namespace_job_route:tempo_request_duration_seconds_count:sum_rate',
    ]);
  });

  test('covers the conditions of Tempo\'s 2.x mixin (peers.md 4.1) plus the ingester and generator ring checks', () => {
    const names = rule.spec.groups[1].rules.map((r: any) => r.alert);
    for (const mixin of [
      'TempoRequestLatency', 'TempoCompactorUnhealthy', 'TempoDistributorUnhealthy', 'TempoCompactionsFailing',
      'TempoIngesterFlushesUnhealthy', 'TempoIngesterFlushesFailing', 'TempoPollsFailing', 'TempoTenantIndexFailures',
      'TempoNoTenantIndexBuilders', 'TempoTenantIndexTooOld', 'TempoBlockListRisingQuickly', 'TempoBadOverrides',
      'TempoUserConfigurableOverridesReloadFailing', 'TempoProvisioningTooManyWrites', 'TempoCompactorsTooManyOutstandingBlocks',
      'TempoIngesterReplayErrors',
    ]) expect(names).toContain(mixin);
    expect(names.filter((n: string) => n === 'TempoCompactorsTooManyOutstandingBlocks')).toHaveLength(2);
    expect(names).toEqual(expect.arrayContaining(['TempoIngesterUnhealthy', 'TempoMetricsGeneratorUnhealthy']));
  });

  test('mixin thresholds, for and severities', () => {
    expect(alert(manifests, 'TempoRequestLatency')).toMatchObject({ for: '15m', labels: { severity: 'critical' } });
    expect(alert(manifests, 'TempoRequestLatency').expr).toMatch(/> 3$/);
    expect(alert(manifests, 'TempoDistributorUnhealthy').labels.severity).toBe('warning');
    expect(alert(manifests, 'TempoPollsFailing').for).toBeUndefined();
    expect(alert(manifests, 'TempoTenantIndexTooOld').expr).toMatch(/> 600$/);
    expect(alert(manifests, 'TempoCompactorsTooManyOutstandingBlocks', 'warning')).toMatchObject({ for: '6h' });
    expect(alert(manifests, 'TempoCompactorsTooManyOutstandingBlocks', 'warning').expr).toMatch(/> 100$/);
    expect(alert(manifests, 'TempoCompactorsTooManyOutstandingBlocks', 'critical')).toMatchObject({ for: '24h' });
    expect(alert(manifests, 'TempoProvisioningTooManyWrites').expr).toMatch(/\/ 1024 \/ 1024 > 30$/);
  });

  test('selectors pick this instance: cluster label and job="<namespace>/<component>", never a literal template', () => {
    const text = JSON.stringify(rule.spec);
    expect(alert(manifests, 'TempoCompactionsFailing').expr).toContain('tempodb_compaction_errors_total{cluster="tempo", job="monitoring/compactor"}');
    expect(alert(manifests, 'TempoIngesterReplayErrors').expr).toContain('job="monitoring/ingester"');
    expect(alert(manifests, 'TempoPollsFailing').expr).toContain('job=~"monitoring/.+"');
    // the upstream TempoBlockListRisingQuickly matches namespace=".*" literally and "$namespace/$component"
    const rising = alert(manifests, 'TempoBlockListRisingQuickly').expr;
    expect(rising).toContain('tempodb_blocklist_length{cluster="tempo", job="monitoring/compactor"} offset 7d');
    expect(text).not.toMatch(/namespace="\.\*"|\$namespace|\$component/);
  });

  test('trace alerts use the metric and label names the metrics-generator emits (not the seeds\')', () => {
    const latency = alert(manifests, 'HighTraceLatency');
    expect(latency.expr).toBe('histogram_quantile(0.95, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"}[5m]))) > 1');
    expect(latency).toMatchObject({ for: '2m', labels: { severity: 'warning' } });
    const errors = alert(manifests, 'HighTraceErrorRatio');
    expect(errors.expr).toContain('status_code="STATUS_CODE_ERROR"');
    expect(errors.expr).toContain('traces_spanmetrics_calls_total');
    const text = JSON.stringify(rule.spec);
    expect(text).not.toContain('traces_spanmetrics_duration');
    expect(text).not.toContain('service_name');
  });

  test('every alert has summary and description; mixin alerts link to Tempo\'s runbook', () => {
    for (const r of rulesOf(manifests).filter((x) => x.alert)) {
      expect(r.annotations.summary).toBeTruthy();
      expect(r.annotations.description).toBeTruthy();
      if (r.alert.startsWith('Tempo')) expect(r.annotations.runbook_url).toBe(`https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md#${r.alert}`);
    }
  });

  test('passes the project\'s Kubernetes validation', () => {
    expect(validateK8sManifests([rule]).errors).toEqual([]);
  });

  test('TEMPO_ALERT_IDS lists every built-in alert id', () => {
    expect(TEMPO_ALERT_IDS).toContain('TempoCompactorsTooManyOutstandingBlocksWarning');
    expect(TEMPO_ALERT_IDS).toContain('TempoCompactorsTooManyOutstandingBlocksCritical');
    expect(TEMPO_ALERT_IDS).toContain('HighTraceLatency');
    expect(TEMPO_ALERT_IDS).toHaveLength(35); // 21 of Tempo's mixin and the library, 5 for Tempo 3's write path, 9 on the exporters
  });
});

describe('TempoAlerts: instances without some components', () => {
  test('no metrics-generator: no generator ring alert and no trace alerts', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo }), { metricsGenerator: undefined });
    const names = rulesOf(manifests).map((r) => r.alert);
    expect(names).not.toContain('TempoMetricsGeneratorUnhealthy');
    expect(names).not.toContain('HighTraceLatency');
    expect(find(manifests, 'PrometheusRule', 'tempo-alerts').spec.groups.map((g: any) => g.name)).toEqual(['tempo_rules', 'tempo_alerts']);
  });

  test('trace alerts can be forced on without a generator (span metrics from elsewhere), with extra matchers', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', {
      instance: tempo, traceAlerts: { enabled: true, spanKinds: [SpanKind.SERVER], latencyQuantile: 0.99, matchers: { source: 'alloy' } },
    }), { metricsGenerator: undefined });
    expect(alert(manifests, 'HighTraceLatency').expr).toBe('histogram_quantile(0.99, sum by (le, service) (rate(traces_spanmetrics_latency_bucket{span_kind="SPAN_KIND_SERVER", source="alloy"}[5m]))) > 1');
  });

  test('a single binary serves every role: its one job is selected', () => {
    const { manifests } = withMonolithic((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo, cluster: 'edge' }));
    expect(alert(manifests, 'TempoCompactionsFailing').expr).toContain('{cluster="edge", job="tracing/single-binary"}');
    expect(alert(manifests, 'TempoIngesterReplayErrors').expr).toContain('job="tracing/single-binary"');
    expect(rulesOf(manifests).map((r) => r.alert)).toContain('HighTraceLatency');
  });

  test('a chart without a namespace matches the component in any namespace', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo }), {}, null);
    expect(alert(manifests, 'TempoCompactionsFailing').expr).toContain('job=~".+/compactor"');
  });
});

describe('TempoAlerts: tuning and custom alerts', () => {
  test('threshold, for, severity, labels, annotations and enabled per alert; alertLabels on every alert; object labels', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', {
      instance: tempo,
      labels: { release: 'prometheus' },
      alertLabels: { team: 'observability' },
      tuning: {
        TempoRequestLatency: { threshold: 5, for: Duration.minutes(30), severity: AlertSeverity.WARNING, labels: { page: 'no' }, annotations: { dashboard: 'https://grafana/d/tempo-reads' } },
        HighTraceErrorRatio: { threshold: 0.1 },
        TempoBlockListRisingQuickly: { enabled: false },
      },
    }));
    const latency = alert(manifests, 'TempoRequestLatency');
    expect(latency.expr).toMatch(/> 5$/);
    expect(latency.for).toBe('30m');
    expect(latency.labels).toEqual({ page: 'no', severity: 'warning', team: 'observability' });
    expect(latency.annotations.dashboard).toBe('https://grafana/d/tempo-reads');
    expect(latency.annotations.description).toContain('(threshold 5s)');
    expect(alert(manifests, 'HighTraceErrorRatio').expr).toMatch(/> 0.1$/);
    expect(alert(manifests, 'HighTraceErrorRatio').annotations.description).toContain('(threshold 10%)');
    expect(rulesOf(manifests).map((r) => r.alert)).not.toContain('TempoBlockListRisingQuickly');
    expect(alert(manifests, 'TempoPollsFailing').labels.team).toBe('observability');
    expect(find(manifests, 'PrometheusRule', 'tempo-alerts').metadata.labels?.release).toBe('prometheus');
  });

  test('custom alerts from props and addAlert() go to <instance>_custom_alerts, parsed and checked at synth time', () => {
    const { manifests } = withDistributed((chart, tempo) => {
      const a = new TempoAlerts(chart, 'Alerts', {
        instance: tempo,
        customAlerts: [{ name: 'CheckoutSlow', expr: 'histogram_quantile(0.9, sum by (le) (rate(traces_spanmetrics_latency_bucket{service="checkout"}[5m]))) > 0.5', for: Duration.minutes(10) }],
      });
      a.addAlert({ name: 'TempoTargetDown', expr: 'up{job=~"monitoring/.+"} == 0', extraSeries: ['up'], severity: AlertSeverity.CRITICAL, description: '{{ $labels.instance }} is down' });
      return a;
    });
    const custom = find(manifests, 'PrometheusRule', 'tempo-alerts').spec.groups.find((g: any) => g.name === 'tempo_custom_alerts');
    expect(custom.rules).toEqual([
      {
        alert: 'CheckoutSlow',
        expr: 'histogram_quantile(0.9, sum by (le) (rate(traces_spanmetrics_latency_bucket{service="checkout"}[5m]))) > 0.5',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: { summary: 'CheckoutSlow' },
      },
      {
        alert: 'TempoTargetDown',
        expr: 'up{job=~"monitoring/.+"} == 0',
        labels: { severity: 'critical' },
        annotations: { description: '{{ $labels.instance }} is down', summary: 'TempoTargetDown' },
      },
    ]);
  });
});

describe('TempoAlerts: bad input fails at synth time naming the option', () => {
  const build = (props: object, add?: (a: TempoAlerts) => void) => () => withDistributed((chart, tempo) => {
    const a = new TempoAlerts(chart, 'Alerts', { instance: tempo, ...props });
    add?.(a);
  });

  test('the seeds\' metric names are refused with the name Tempo uses', () => {
    expect(build({
      customAlerts: [{ name: 'HighTraceLatencySeed', expr: 'histogram_quantile(0.95, sum(rate(traces_spanmetrics_duration_seconds_bucket[5m])) by (le, service_name)) > 1' }],
    })).toThrow('customAlerts["HighTraceLatencySeed"].expr: metric "traces_spanmetrics_duration_seconds_bucket" is not emitted by Tempo; use "traces_spanmetrics_latency_bucket"');
  });

  test('a metric Tempo does not emit is refused unless declared in extraSeries', () => {
    expect(build({}, (a) => a.addAlert({ name: 'NodeDown', expr: 'kube_node_status_condition == 0' })))
      .toThrow(/customAlerts\["NodeDown"\].expr: metric "kube_node_status_condition" is not emitted by Tempo 2.x or its metrics-generator/);
    expect(build({}, (a) => a.addAlert({ name: 'NodeDown', expr: 'kube_node_status_condition == 0', extraSeries: ['kube_node_status_condition'] }))).not.toThrow();
  });

  test('a PromQL syntax error is refused with its column', () => {
    expect(build({ customAlerts: [{ name: 'Broken', expr: 'sum(rate(traces_spanmetrics_calls_total[5m]) > ' }] }))
      .toThrow(/customAlerts\["Broken"\].expr: invalid PromQL \(syntax error at column \d+/);
    expect(build({ customAlerts: [{ name: 'Empty', expr: ' ' }] })).toThrow('customAlerts["Empty"].expr: invalid PromQL (the expression is empty)');
  });

  test('alert names: invalid or taken', () => {
    expect(build({ customAlerts: [{ name: 'bad name', expr: 'tempo_build_info' }] })).toThrow(/customAlerts\["bad name"\].name: "bad name" is invalid/);
    expect(build({ customAlerts: [{ name: 'TempoPollsFailing', expr: 'tempo_build_info' }] })).toThrow(/is already used by another alert; allowed: a new name \(tune built-in alerts with `tuning`\)/);
  });

  test('tuning: unknown alert id, threshold on an alert without one, bad severity, bad duration, severity as a label', () => {
    expect(build({ tuning: { HighLatency: { threshold: 2 } } })).toThrow(/tuning: "HighLatency" is not a built-in alert; allowed: TempoRequestLatency, .*HighTraceErrorRatio/);
    expect(build({ tuning: { TempoBadOverrides: { threshold: 2 } } })).toThrow('tuning.TempoBadOverrides.threshold: this alert has no threshold');
    expect(build({ tuning: { TempoBadOverrides: { severity: 'page' } } })).toThrow('tuning.TempoBadOverrides.severity: "page" is invalid; allowed: critical, warning, info');
    expect(build({ tuning: { TempoBadOverrides: { for: Duration.millis(1500) } } })).toThrow('tuning.TempoBadOverrides.for: 1 second 500 millis is invalid; allowed: a whole number of seconds');
    expect(build({ tuning: { TempoBadOverrides: { labels: { severity: 'x' } } } })).toThrow('tuning.TempoBadOverrides.labels: "severity" is set by the severity option');
    expect(build({ tuning: { TempoRequestLatency: { threshold: Number.NaN } } })).toThrow('tuning.TempoRequestLatency.threshold: NaN is invalid; allowed: a finite number');
  });

  test('cluster, labels, alertLabels and trace options', () => {
    expect(build({ cluster: 'a b' })).toThrow(/cluster: "a b" is invalid/);
    expect(build({ labels: { 'app.kubernetes.io/instance': 'x' } })).toThrow('labels: "app.kubernetes.io/instance" is set by the library');
    expect(build({ alertLabels: { 'team-name': 'x' } })).toThrow(/alertLabels: label "team-name" is invalid/);
    expect(build({ traceAlerts: { latencyQuantile: 95 } })).toThrow('traceAlerts.latencyQuantile: 95 is invalid; allowed: a number between 0 and 1 (exclusive)');
    expect(build({ traceAlerts: { spanKinds: [] } })).toThrow(/traceAlerts.spanKinds: \[\] is invalid; allowed: a non-empty list of SPAN_KIND_SERVER/);
    expect(build({ name: 'Tempo_Alerts' })).toThrow('name: "Tempo_Alerts" is invalid');
  });
});
