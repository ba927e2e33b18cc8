/**
 * `promtool check rules` and `promtool test rules` on the PrometheusRule TempoAlerts synthesizes:
 * every alert has a unit test that makes it fire (with its exact labels and rendered annotations),
 * most of them next to series of another cluster or span kind that must not fire.
 */
import { Duration } from 'cdk8s';
import { AlertSeverity, TempoAlerts } from '../../lib';
import { find } from '../support/synth';
import { describeWithPromtool, RuleFileDir } from './promtool';
import { withDistributed } from './support';

const RUNBOOK = 'https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md';

/** Labels a scraped series of the test instance carries (cluster `tempo`, namespace `monitoring`). */
function target(component: string, extra: Record<string, string> = {}, cluster = 'tempo'): string {
  const labels = { cluster, namespace: 'monitoring', job: `monitoring/${component}`, instance: `${component}-0`, ...extra };
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

interface AlertCase {
  /** Alert name. */
  readonly alert: string;
  readonly interval: string;
  readonly series: Record<string, string>;
  readonly evalTime: string;
  readonly expected: { labels: Record<string, string>; annotations: Record<string, string> }[];
  /** Rule evaluation interval of the test file. @default 1m */
  readonly evaluationInterval?: string;
}

const ANN = (alert: string, summary: string, description: string, runbook = true) => ({
  summary, description, ...(runbook ? { runbook_url: `${RUNBOOK}#${alert}` } : {}),
});
const base = { cluster: 'tempo', namespace: 'monitoring' };

function ringCase(alert: string, ring: string, what: string, severity: string): AlertCase {
  return {
    alert,
    interval: '1m',
    series: {
      [`tempo_ring_members${target('querier', { name: ring, state: 'Unhealthy' })}`]: '1x30',
      [`tempo_ring_members${target('querier', { name: ring, state: 'ACTIVE' })}`]: '3x30',
      [`tempo_ring_members${target('querier', { name: ring, state: 'Unhealthy' }, 'other')}`]: '2x30',
    },
    evalTime: '16m',
    expected: [{
      labels: { ...base, severity },
      annotations: ANN(alert, `Tempo has unhealthy ${what} ring members.`, `There are 1 unhealthy ${what}(s) in the ring of tempo/monitoring.`),
    }],
  };
}

function failingCase(alert: string, metric: string, component: string, what: string, severity: string): AlertCase {
  return {
    alert,
    interval: '15s',
    series: {
      [`${metric}${target(component)}`]: '0+1x60',
      [`${metric}${target(component, {}, 'other')}`]: '0+1x60',
    },
    evalTime: '10m',
    expected: [{
      labels: { ...base, severity },
      annotations: ANN(alert, `Tempo ${what} are failing.`, `More than 2 ${what} failed in the past hour in tempo/monitoring (and some in the last 5 minutes).`),
    }],
  };
}

const CASES: AlertCase[] = [
  {
    alert: 'TempoRequestLatency',
    interval: '15s',
    series: {
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'api_search', le: '1' })}`]: '0x120',
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'api_search', le: '5' })}`]: '0+10x120',
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'api_search', le: '+Inf' })}`]: '0+10x120',
      // excluded route and another cluster: no alert
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'metrics', le: '1' })}`]: '0x120',
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'metrics', le: '+Inf' })}`]: '0+10x120',
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'api_search', le: '1' }, 'other')}`]: '0x120',
      [`tempo_request_duration_seconds_bucket${target('query-frontend', { route: 'api_search', le: '+Inf' }, 'other')}`]: '0+10x120',
    },
    evalTime: '20m',
    expected: [{
      labels: { ...base, job: 'monitoring/query-frontend', route: 'api_search', severity: 'critical' },
      annotations: ANN('TempoRequestLatency', 'Tempo requests are slow.', 'monitoring/query-frontend api_search has a 99th percentile latency of 4.96s (threshold 3s).'),
    }],
  },
  ringCase('TempoCompactorUnhealthy', 'compactor', 'compactor', 'critical'),
  ringCase('TempoDistributorUnhealthy', 'distributor', 'distributor', 'warning'),
  ringCase('TempoIngesterUnhealthy', 'ingester', 'ingester', 'critical'),
  ringCase('TempoMetricsGeneratorUnhealthy', 'metrics-generator', 'metrics-generator', 'critical'),
  failingCase('TempoCompactionsFailing', 'tempodb_compaction_errors_total', 'compactor', 'compactions', 'critical'),
  failingCase('TempoIngesterFlushesUnhealthy', 'tempo_ingester_failed_flushes_total', 'ingester', 'ingester flushes', 'warning'),
  failingCase('TempoIngesterFlushesFailing', 'tempo_ingester_flush_failed_retries_total', 'ingester', 'ingester flush retries', 'critical'),
  failingCase('TempoPollsFailing', 'tempodb_blocklist_poll_errors_total', 'querier', 'blocklist polls', 'critical'),
  failingCase('TempoTenantIndexFailures', 'tempodb_blocklist_tenant_index_errors_total', 'compactor', 'tenant index builds', 'critical'),
  {
    alert: 'TempoNoTenantIndexBuilders',
    interval: '1m',
    series: {
      [`tempodb_blocklist_tenant_index_builder${target('compactor', { tenant: 'single-tenant' })}`]: '0x30',
      [`tempodb_blocklist_tenant_index_builder${target('querier', { tenant: 'single-tenant' })}`]: '0x30',
      [`tempodb_blocklist_length${target('compactor', { tenant: 'single-tenant' })}`]: '10x30',
      // a tenant with a builder: no alert
      [`tempodb_blocklist_tenant_index_builder${target('compactor', { tenant: 'built' })}`]: '1x30',
      [`tempodb_blocklist_length${target('compactor', { tenant: 'built' })}`]: '10x30',
    },
    evalTime: '10m',
    expected: [{
      labels: { ...base, tenant: 'single-tenant', severity: 'critical' },
      annotations: ANN('TempoNoTenantIndexBuilders', 'No Tempo component builds the tenant index.',
        'No tenant index builder for tenant single-tenant in tempo/monitoring; the tenant index will quickly become stale.'),
    }],
  },
  {
    alert: 'TempoTenantIndexTooOld',
    interval: '1m',
    series: {
      [`tempodb_blocklist_tenant_index_age_seconds${target('querier', { tenant: 't1' })}`]: '900x30',
      [`tempodb_blocklist_tenant_index_age_seconds${target('querier', { tenant: 't2' })}`]: '60x30',
    },
    evalTime: '10m',
    expected: [{
      labels: { ...base, tenant: 't1', severity: 'critical' },
      annotations: ANN('TempoTenantIndexTooOld', 'The Tempo tenant index is too old.', 'The tenant index of tenant t1 in tempo/monitoring is 900s old (threshold 600s).'),
    }],
  },
  {
    alert: 'TempoBlockListRisingQuickly',
    interval: '5m',
    evaluationInterval: '15m',
    series: {
      // 100 blocks for 7 days, then 200
      [`tempodb_blocklist_length${target('compactor', { tenant: 't1' })}`]: '100x2016 200x60',
      // queriers poll the same block list; they are not counted
      [`tempodb_blocklist_length${target('querier', { tenant: 't1' })}`]: '100x2076',
    },
    evalTime: '172h',
    expected: [{
      labels: { ...base, severity: 'critical' },
      annotations: ANN('TempoBlockListRisingQuickly', 'The Tempo block list is growing quickly.',
        'The block list of tempo/monitoring is 2.00 times as long as 7 days ago (threshold 1.4); consider scaling the compactors.'),
    }],
  },
  {
    alert: 'TempoBadOverrides',
    interval: '1m',
    series: {
      [`tempo_runtime_config_last_reload_successful${target('distributor')}`]: '0x30',
      [`tempo_runtime_config_last_reload_successful${target('querier')}`]: '1x30',
    },
    evalTime: '16m',
    expected: [{
      labels: { ...base, job: 'monitoring/distributor', severity: 'warning' },
      annotations: ANN('TempoBadOverrides', 'Tempo failed to reload its runtime overrides.',
        'monitoring/distributor in tempo failed to reload overrides.yaml; it keeps running with the previous overrides.'),
    }],
  },
  {
    alert: 'TempoUserConfigurableOverridesReloadFailing',
    interval: '15s',
    series: { [`tempo_overrides_user_configurable_overrides_reload_failed_total${target('distributor')}`]: '0+1x60' },
    evalTime: '10m',
    expected: [{
      labels: { ...base, severity: 'critical' },
      annotations: ANN('TempoUserConfigurableOverridesReloadFailing', 'Tempo fails to reload user-configurable overrides.',
        'More than 5 user-configurable overrides reloads failed in the past hour in tempo/monitoring.'),
    }],
  },
  {
    alert: 'TempoProvisioningTooManyWrites',
    interval: '15s',
    series: {
      // 40 MiB/s on each of two ingesters, split across two tenants on one of them
      [`tempo_ingester_bytes_received_total${target('ingester', { instance: 'ingester-0', tenant: 'a', data_type: 'trace' })}`]: '0+314572800x120',
      [`tempo_ingester_bytes_received_total${target('ingester', { instance: 'ingester-0', tenant: 'b', data_type: 'trace' })}`]: '0+314572800x120',
      [`tempo_ingester_bytes_received_total${target('ingester', { instance: 'ingester-1', tenant: 'a', data_type: 'trace' })}`]: '0+629145600x120',
    },
    evalTime: '20m',
    expected: [{
      labels: { ...base, severity: 'warning' },
      annotations: ANN('TempoProvisioningTooManyWrites', 'Tempo ingesters receive more data than they are sized for.',
        'Ingesters in tempo/monitoring receive 40.0 MiB/s each on average (threshold 30 MiB/s); add ingesters.'),
    }],
  },
  {
    alert: 'TempoCompactorsTooManyOutstandingBlocks',
    interval: '5m',
    evaluationInterval: '5m',
    series: {
      // 300 outstanding blocks for one compactor: warning after 6h, critical after 24h
      [`tempodb_compaction_outstanding_blocks${target('compactor', { tenant: 't1' })}`]: '300x300',
      [`tempodb_compaction_outstanding_blocks${target('compactor', { tenant: 't2' })}`]: '10x300',
      [`tempo_build_info${target('compactor', { version: '2.6.1' })}`]: '1x300',
    },
    evalTime: '24h10m',
    expected: ['warning', 'critical'].map((severity) => ({
      labels: { ...base, tenant: 't1', severity },
      annotations: ANN('TempoCompactorsTooManyOutstandingBlocks', 'Tempo compactors are falling behind.',
        `Tenant t1 in tempo/monitoring has 300 outstanding blocks per compactor (threshold ${severity === 'warning' ? 100 : 250}); give the compactors more CPU or add compactors.`),
    })),
  },
  {
    alert: 'TempoIngesterReplayErrors',
    interval: '15s',
    series: { [`tempo_ingester_replay_errors_total${target('ingester', { tenant: 't1' })}`]: '0+1x60' },
    evalTime: '10m',
    expected: [{
      labels: { ...base, tenant: 't1', severity: 'critical' },
      annotations: ANN('TempoIngesterReplayErrors', 'A Tempo ingester failed to replay its WAL.',
        'An ingester in tempo/monitoring hit errors replaying a block of tenant t1 on startup.'),
    }],
  },
  {
    alert: 'HighTraceLatency',
    interval: '15s',
    series: {
      // checkout: server spans between 0.5s and 2.5s -> p95 2.4s
      'traces_spanmetrics_latency_bucket{service="checkout", span_name="GET /cart", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET", le="0.5"}': '0x60',
      'traces_spanmetrics_latency_bucket{service="checkout", span_name="GET /cart", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET", le="2.5"}': '0+10x60',
      'traces_spanmetrics_latency_bucket{service="checkout", span_name="GET /cart", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET", le="+Inf"}': '0+10x60',
      // frontend: slow client spans only (calls to others) -> no alert
      'traces_spanmetrics_latency_bucket{service="frontend", span_name="HTTP GET", span_kind="SPAN_KIND_CLIENT", status_code="STATUS_CODE_UNSET", le="2.5"}': '0x60',
      'traces_spanmetrics_latency_bucket{service="frontend", span_name="HTTP GET", span_kind="SPAN_KIND_CLIENT", status_code="STATUS_CODE_UNSET", le="+Inf"}': '0+10x60',
      // cart: fast server spans -> no alert
      'traces_spanmetrics_latency_bucket{service="cart", span_name="Get", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET", le="0.5"}': '0+10x60',
      'traces_spanmetrics_latency_bucket{service="cart", span_name="Get", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET", le="+Inf"}': '0+10x60',
    },
    evalTime: '10m',
    expected: [{
      labels: { service: 'checkout', severity: 'warning' },
      annotations: ANN('HighTraceLatency', 'High trace latency detected.', 'Service checkout has a high request latency: 2.40s (threshold 1s).', false),
    }],
  },
  {
    alert: 'HighTraceErrorRatio',
    interval: '15s',
    series: {
      'traces_spanmetrics_calls_total{service="checkout", span_name="POST /pay", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_ERROR"}': '0+1x60',
      'traces_spanmetrics_calls_total{service="checkout", span_name="POST /pay", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_UNSET"}': '0+9x60',
      // cart: 1 % errors -> no alert
      'traces_spanmetrics_calls_total{service="cart", span_name="Get", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_ERROR"}': '0+1x60',
      'traces_spanmetrics_calls_total{service="cart", span_name="Get", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_OK"}': '0+99x60',
    },
    evalTime: '10m',
    expected: [{
      labels: { service: 'checkout', severity: 'warning' },
      annotations: ANN('HighTraceErrorRatio', 'High ratio of failed requests in traces.', '10% of the requests of service checkout end with an error status (threshold 5%).', false),
    }],
  },
  {
    alert: 'CheckoutDown',
    interval: '15s',
    series: {
      'traces_spanmetrics_calls_total{service="checkout", span_name="POST /pay", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_OK"}': '0+1x20 _x40',
    },
    evalTime: '15m',
    expected: [{
      labels: { service: 'checkout', span_kind: 'SPAN_KIND_SERVER', severity: 'critical', team: 'shop' },
      annotations: { summary: 'Checkout receives no traffic.', description: 'No spans from checkout for 5 minutes.' },
    }],
  },
];

function toPromtoolCase(c: AlertCase) {
  return {
    interval: c.interval,
    input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: [{
      eval_time: c.evalTime,
      alertname: c.alert,
      exp_alerts: c.expected.map((e) => ({ exp_labels: e.labels, exp_annotations: e.annotations })),
    }],
  };
}

describeWithPromtool('TempoAlerts under promtool', () => {
  const { manifests, result: alerts } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', {
    instance: tempo,
    customAlerts: [{
      name: 'CheckoutDown',
      expr: 'absent_over_time(traces_spanmetrics_calls_total{service="checkout", span_kind="SPAN_KIND_SERVER"}[5m])',
      for: Duration.minutes(1),
      severity: AlertSeverity.CRITICAL,
      labels: { team: 'shop' },
      summary: 'Checkout receives no traffic.',
      description: 'No spans from checkout for 5 minutes.',
    }],
  }));
  const rule = find(manifests, 'PrometheusRule', 'tempo-alerts');
  const files = new RuleFileDir(rule.spec);
  afterAll(() => files.remove());

  test('promtool check rules accepts the synthesized rule file', () => {
    const res = files.check();
    expect({ status: res.status, output: res.output }).toMatchObject({ status: 0 });
    expect(res.output).toMatch(/SUCCESS: 28 rules found/);
  });

  test('every emitted alert has a promtool unit test below', () => {
    const emitted = new Set(alerts.renderGroups().flatMap((g) => g.rules).map((r) => r.alert).filter((a): a is string => !!a));
    expect(new Set(CASES.map((c) => c.alert))).toEqual(emitted);
  });

  test.each(CASES.map((c) => [c.alert, c] as const))('promtool test rules: %s fires with its labels and annotations', (_name, c) => {
    const res = files.test(c.alert, [toPromtoolCase(c)], c.evaluationInterval ?? '1m');
    if (res.status !== 0) throw new Error(`promtool test rules failed for ${c.alert}:\n${res.output}`);
    expect(res.output).toMatch(/SUCCESS/);
  });

  test('promtool test rules: the recording rules compute Tempo\'s request latency per job and route, only for this cluster', () => {
    const res = files.test('recording-rules', [{
      interval: '15s',
      input_series: [
        { series: `tempo_request_duration_seconds_count${target('querier', { route: 'querier_api_search' })}`, values: '0+10x60' },
        { series: `tempo_request_duration_seconds_sum${target('querier', { route: 'querier_api_search' })}`, values: '0+20x60' },
        { series: `tempo_request_duration_seconds_bucket${target('querier', { route: 'querier_api_search', le: '1' })}`, values: '0+5x60' },
        { series: `tempo_request_duration_seconds_bucket${target('querier', { route: 'querier_api_search', le: '+Inf' })}`, values: '0+10x60' },
        { series: `tempo_request_duration_seconds_count${target('querier', { route: 'querier_api_search' }, 'other')}`, values: '0+10x60' },
        { series: `tempo_request_duration_seconds_sum${target('querier', { route: 'querier_api_search' }, 'other')}`, values: '0+20x60' },
      ],
      promql_expr_test: [
        {
          expr: 'cluster_namespace_job_route:tempo_request_duration_seconds:avg',
          eval_time: '10m',
          exp_samples: [{ labels: 'cluster_namespace_job_route:tempo_request_duration_seconds:avg{cluster="tempo", job="monitoring/querier", namespace="monitoring", route="querier_api_search"}', value: 2 }],
        },
        {
          expr: 'cluster_namespace_job_route:tempo_request_duration_seconds:50quantile',
          eval_time: '10m',
          exp_samples: [{ labels: `cluster_namespace_job_route:tempo_request_duration_seconds:50quantile{cluster="tempo", job="monitoring/querier", namespace="monitoring", route="querier_api_search"}`, value: 1 }],
        },
        {
          expr: 'cluster_namespace_job_route:tempo_request_duration_seconds_count:sum_rate',
          eval_time: '10m',
          exp_samples: [{ labels: `cluster_namespace_job_route:tempo_request_duration_seconds_count:sum_rate{cluster="tempo", job="monitoring/querier", namespace="monitoring", route="querier_api_search"}`, value: 10 / 15 }],
        },
      ],
    }]);
    if (res.status !== 0) throw new Error(`promtool test rules failed for the recording rules:\n${res.output}`);
  });

  test('a tuned threshold changes what fires (promtool): HighTraceLatency at 3s stays silent for a 2.4s p95', () => {
    const tuned = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo, tuning: { HighTraceLatency: { threshold: 3 } } }));
    const dir = new RuleFileDir(find(tuned.manifests, 'PrometheusRule', 'tempo-alerts').spec);
    try {
      const c = { ...CASES.find((x) => x.alert === 'HighTraceLatency')!, expected: [] };
      const res = dir.test('tuned', [toPromtoolCase(c)]);
      if (res.status !== 0) throw new Error(`promtool test rules failed:\n${res.output}`);
    } finally {
      dir.remove();
    }
  });
});
