/**
 * The alerts on memcached's and the gateway's exporter sidecars (group `<instance>_exporter_alerts`): emitted only
 * when the instance runs those exporters, and each one fires under promtool with its labels and annotations on the
 * series the exporters really expose (memcached-exporter 0.15, nginx-prometheus-exporter 1.4.1), not on another
 * cluster's.
 */
import { TempoAlerts, TEMPO_ALERT_IDS } from '../../lib';
import { find } from '../support/synth';
import { describeWithPromtool, RuleFileDir } from './promtool';
import { ofKind, withDistributed, withMonolithic } from './support';

const MEMCACHED_ALERTS = ['TempoMemcachedExporterDown', 'TempoMemcachedDown', 'TempoMemcachedEvictions', 'TempoMemcachedHitRatioLow', 'TempoMemcachedConnectionsNearLimit', 'TempoMemcachedConnectionsRefused'];
const GATEWAY_ALERTS = ['TempoGatewayExporterDown', 'TempoGatewayDown', 'TempoGatewayDroppingConnections'];

/** A series scraped from an exporter of the test instance (cluster `tempo`, namespace `monitoring`). */
function exporter(component: string, extra: Record<string, string> = {}, cluster = 'tempo'): string {
  const labels = { cluster, namespace: 'monitoring', job: `monitoring/${component}`, instance: `${component}-0`, ...extra };
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

interface Case {
  readonly alert: string;
  readonly series: Record<string, string>;
  readonly evalTime: string;
  readonly labels: Record<string, string>;
  readonly summary: string;
  readonly description: string;
}

const at = (component: string, severity = 'warning') => ({ cluster: 'tempo', namespace: 'monitoring', instance: `${component}-0`, severity });

const CASES: Case[] = [
  {
    alert: 'TempoMemcachedExporterDown',
    series: { [`up${exporter('memcached')}`]: '0x10', [`up${exporter('memcached', {}, 'other')}`]: '0x10', [`up${exporter('gateway')}`]: '1x10' },
    evalTime: '6m', labels: at('memcached'),
    summary: 'The memcached exporter is not scraped.',
    description: 'Prometheus has not scraped the memcached exporter memcached-0 in tempo/monitoring for 5 minutes; its memcached is not monitored.',
  },
  {
    alert: 'TempoMemcachedDown',
    series: { [`memcached_up${exporter('memcached')}`]: '0x10', [`memcached_up${exporter('memcached', {}, 'other')}`]: '0x10' },
    evalTime: '6m', labels: at('memcached'),
    summary: 'A Tempo memcached is down.',
    description: 'The exporter memcached-0 in tempo/monitoring cannot reach its memcached; Tempo reads bloom filters and parquet footers from object storage instead (slower queries).',
  },
  {
    alert: 'TempoMemcachedEvictions',
    series: { [`memcached_items_evicted_total${exporter('memcached')}`]: '0+1200x60', [`memcached_items_evicted_total${exporter('memcached', {}, 'other')}`]: '0+1200x60' },
    evalTime: '40m', labels: at('memcached'),
    summary: 'Tempo\'s memcached evicts items.',
    description: 'memcached memcached-0 in tempo/monitoring evicts 20.0 items/s (threshold 10/s); give it more memory or pods.',
  },
  {
    alert: 'TempoMemcachedHitRatioLow',
    series: {
      [`memcached_commands_total${exporter('memcached', { command: 'get', status: 'hit' })}`]: '0+60x60',
      [`memcached_commands_total${exporter('memcached', { command: 'get', status: 'miss' })}`]: '0+180x60',
      // sets do not count; another cluster all misses
      [`memcached_commands_total${exporter('memcached', { command: 'set', status: 'hit' })}`]: '0+6000x60',
      [`memcached_commands_total${exporter('memcached', { command: 'get', status: 'miss' }, 'other')}`]: '0+180x60',
    },
    evalTime: '50m', labels: { cluster: 'tempo', namespace: 'monitoring', severity: 'warning' },
    summary: 'Tempo\'s memcached misses most reads.',
    description: 'Only 25% of memcached gets hit in tempo/monitoring (threshold 50%); the cache may be too small for the blocks queried.',
  },
  {
    alert: 'TempoMemcachedConnectionsNearLimit',
    series: {
      [`memcached_current_connections${exporter('memcached')}`]: '950x30', [`memcached_max_connections${exporter('memcached')}`]: '1024x30',
      [`memcached_current_connections${exporter('memcached', { instance: 'memcached-1' })}`]: '100x30', [`memcached_max_connections${exporter('memcached', { instance: 'memcached-1' })}`]: '1024x30',
    },
    evalTime: '16m', labels: at('memcached'),
    summary: 'Tempo\'s memcached is near its connection limit.',
    description: 'memcached memcached-0 in tempo/monitoring uses 92.77% of its connection limit (threshold 90%); raise connectionLimit.',
  },
  {
    alert: 'TempoMemcachedConnectionsRefused',
    series: { [`memcached_connections_listener_disabled_total${exporter('memcached')}`]: '0+1x20', [`memcached_connections_listener_disabled_total${exporter('memcached', { instance: 'memcached-1' })}`]: '3x20' },
    evalTime: '11m', labels: at('memcached'),
    summary: 'Tempo\'s memcached refuses connections.',
    description: 'memcached memcached-0 in tempo/monitoring hit its connection limit and stopped accepting connections 5 times in 5 minutes; raise connectionLimit.',
  },
  {
    alert: 'TempoGatewayExporterDown',
    series: { [`up${exporter('gateway')}`]: '0x10', [`up${exporter('gateway', {}, 'other')}`]: '0x10', [`up${exporter('memcached')}`]: '1x10' },
    evalTime: '6m', labels: at('gateway'),
    summary: 'The gateway exporter is not scraped.',
    description: 'Prometheus has not scraped the gateway exporter gateway-0 in tempo/monitoring for 5 minutes; its gateway is not monitored.',
  },
  {
    alert: 'TempoGatewayDown',
    series: { [`nginx_up${exporter('gateway')}`]: '0x10', [`nginx_up${exporter('gateway', { instance: 'gateway-1' })}`]: '1x10' },
    evalTime: '6m', labels: at('gateway', 'critical'),
    summary: 'A Tempo gateway\'s nginx is down.',
    description: 'The exporter gateway-0 in tempo/monitoring cannot read its nginx\'s stub_status: that gateway pod does not serve.',
  },
  {
    alert: 'TempoGatewayDroppingConnections',
    series: {
      [`nginx_connections_accepted${exporter('gateway')}`]: '0+120x20', [`nginx_connections_handled${exporter('gateway')}`]: '0+60x20',
      // every accepted connection handled: no alert
      [`nginx_connections_accepted${exporter('gateway', { instance: 'gateway-1' })}`]: '0+120x20', [`nginx_connections_handled${exporter('gateway', { instance: 'gateway-1' })}`]: '0+120x20',
    },
    evalTime: '11m', labels: at('gateway', 'critical'),
    summary: 'A Tempo gateway drops connections.',
    description: 'Gateway gateway-0 in tempo/monitoring closes 1.00 accepted connections/s without handling them (worker_connections or open-file limit reached); add gateway replicas or workers.',
  },
];

function alertNames(manifests: any[]): string[] {
  const rule = find(manifests, 'PrometheusRule', 'tempo-alerts');
  return rule.spec.groups.filter((g: any) => g.name === 'tempo_exporter_alerts').flatMap((g: any) => g.rules.map((r: any) => r.alert));
}

describe('exporter alerts: only for what the instance deploys', () => {
  const add = (chart: any, t: any) => new TempoAlerts(chart, 'Alerts', { instance: t });

  test('memcached and gateway exporters on: both sets, in group <instance>_exporter_alerts; ids are tunable', () => {
    const { manifests } = withDistributed(add, { cache: { exporter: true }, gateway: { exporter: true } });
    expect(alertNames(manifests)).toEqual([...MEMCACHED_ALERTS, ...GATEWAY_ALERTS]);
    expect(TEMPO_ALERT_IDS).toEqual(expect.arrayContaining([...MEMCACHED_ALERTS, ...GATEWAY_ALERTS]));
  });

  test('a cache without its exporter, a gateway without its exporter, or neither: no alert on them', () => {
    expect(alertNames(withDistributed(add, { cache: { exporter: true }, gateway: {} }).manifests)).toEqual(MEMCACHED_ALERTS);
    expect(alertNames(withDistributed(add, { cache: {}, gateway: { exporter: true } }).manifests)).toEqual(GATEWAY_ALERTS);
    expect(alertNames(withDistributed(add, { cache: {}, gateway: {} }).manifests)).toEqual([]);
    expect(alertNames(withMonolithic(add).manifests)).toEqual([]);
  });

  test('selectors are the exporter jobs TempoServiceMonitors writes; tuning applies', () => {
    const { manifests } = withDistributed((chart, t) => new TempoAlerts(chart, 'Alerts', {
      instance: t, cluster: 'prod', tuning: { TempoMemcachedEvictions: { threshold: 50 }, TempoGatewayExporterDown: { enabled: false } },
    }), { cache: { exporter: true }, gateway: { exporter: true } });
    const rules = ofKind(manifests, 'PrometheusRule')[0].spec.groups.find((g: any) => g.name === 'tempo_exporter_alerts').rules;
    const evictions = rules.find((r: any) => r.alert === 'TempoMemcachedEvictions');
    expect(evictions.expr).toBe('sum by (cluster, namespace, instance) (rate(memcached_items_evicted_total{cluster="prod", job="monitoring/memcached"}[5m])) > 50');
    expect(rules.find((r: any) => r.alert === 'TempoGatewayDown').expr).toContain('nginx_up{cluster="prod", job="monitoring/gateway"}');
    expect(rules.map((r: any) => r.alert)).not.toContain('TempoGatewayExporterDown');
    // no runbook: Tempo's mixin runbook does not cover them
    expect(rules.every((r: any) => r.annotations.runbook_url === undefined)).toBe(true);
  });
});

describeWithPromtool('exporter alerts under promtool', () => {
  const { manifests } = withDistributed((chart, t) => new TempoAlerts(chart, 'Alerts', { instance: t }), { cache: { exporter: true }, gateway: { exporter: true } });
  const files = new RuleFileDir(find(manifests, 'PrometheusRule', 'tempo-alerts').spec);
  afterAll(() => files.remove());

  test('promtool check rules accepts the rule file with the exporter alerts', () => {
    const res = files.check();
    expect({ status: res.status, output: res.output }).toMatchObject({ status: 0 });
  });

  test('every exporter alert has a case below', () => {
    expect(CASES.map((c) => c.alert).sort()).toEqual([...MEMCACHED_ALERTS, ...GATEWAY_ALERTS].sort());
  });

  test.each(CASES.map((c) => [c.alert, c] as const))('promtool test rules: %s fires with its labels and annotations', (_name, c) => {
    const res = files.test(c.alert, [{
      interval: '1m',
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{ eval_time: c.evalTime, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels, exp_annotations: { summary: c.summary, description: c.description } }] }],
    }]);
    if (res.status !== 0) throw new Error(`promtool test rules failed for ${c.alert}:\n${res.output}`);
  });
});
