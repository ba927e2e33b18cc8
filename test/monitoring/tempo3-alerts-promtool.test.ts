/**
 * TempoAlerts for Tempo 3.0: which rules a 3.x instance gets (no ingester or compactor rules; the write-path rules
 * only where their components run), and `promtool test rules` making each 3.x alert fire with its labels and
 * annotations next to series that must not fire.
 */
import { TempoAlerts, TempoMonolithic, TempoStorage, TempoVersion } from '../../lib';
import { find, Manifest, testChart } from '../support/synth';
import { Testing } from 'cdk8s';
import { describeWithPromtool, RuleFileDir } from './promtool';
import { withDistributed } from './support';

const RUNBOOK = 'https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md';
const KAFKA = { address: 'kafka:9092', topic: 'tempo', partitions: 2 };
const TEMPO3_ALERTS = ['TempoLiveStoreUnhealthy', 'TempoLiveStoreNotReady', 'TempoLiveStoreDroppingRecords', 'TempoBlockBuilderFetchesFailing', 'TempoKafkaConsumerLagging'];
const TEMPO2_ALERTS = ['TempoIngesterUnhealthy', 'TempoCompactorUnhealthy', 'TempoCompactionsFailing', 'TempoIngesterFlushesUnhealthy', 'TempoIngesterFlushesFailing',
  'TempoBlockListRisingQuickly', 'TempoProvisioningTooManyWrites', 'TempoCompactorsTooManyOutstandingBlocks', 'TempoIngesterReplayErrors'];

function target(component: string, extra: Record<string, string> = {}, cluster = 'tempo'): string {
  const labels = { cluster, namespace: 'monitoring', job: `monitoring/${component}`, instance: `${component}-0`, ...extra };
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}
const base = { cluster: 'tempo', namespace: 'monitoring' };
const ann = (alert: string, summary: string, description: string) => ({ summary, description, runbook_url: `${RUNBOOK}#${alert}` });

const alertsOf = (manifests: readonly Manifest[]) => find(manifests, 'PrometheusRule', 'tempo-alerts').spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.alert).filter(Boolean);

describe('TempoAlerts on Tempo 3.0', () => {
  test('microservices: the write-path alerts, no ingester or compactor alerts', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo }), { version: TempoVersion.V3_0_3, ingest: { kafka: KAFKA } });
    const alerts = alertsOf(manifests);
    for (const a of TEMPO3_ALERTS) expect(alerts).toContain(a);
    for (const a of TEMPO2_ALERTS) expect(alerts).not.toContain(a);
  });

  test('single binary: live-store alerts only (no block-builder, no Kafka); 2.x single binaries get none of them', () => {
    const rulesFor = (version: TempoVersion) => {
      const chart = testChart('tracing');
      const tempo = new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), version });
      new TempoAlerts(chart, 'Alerts', { instance: tempo });
      return alertsOf(Testing.synth(chart) as Manifest[]);
    };
    const v3 = rulesFor(TempoVersion.V3_0_3);
    expect(v3).toEqual(expect.arrayContaining(['TempoLiveStoreNotReady', 'TempoLiveStoreDroppingRecords']));
    expect(v3).not.toContain('TempoBlockBuilderFetchesFailing');
    expect(v3).not.toContain('TempoKafkaConsumerLagging');
    for (const a of TEMPO2_ALERTS) expect(v3).not.toContain(a);
    const v2 = rulesFor(TempoVersion.V2_10_8);
    for (const a of TEMPO3_ALERTS) expect(v2).not.toContain(a);
    expect(v2).toContain('TempoCompactionsFailing');
  });
});

describeWithPromtool('Tempo 3.0 alerts under promtool', () => {
  const { manifests } = withDistributed((chart, tempo) => new TempoAlerts(chart, 'Alerts', { instance: tempo }), { version: TempoVersion.V3_0_3, ingest: { kafka: KAFKA } });
  const files = new RuleFileDir(find(manifests, 'PrometheusRule', 'tempo-alerts').spec);
  afterAll(() => files.remove());

  const CASES = [
    {
      alert: 'TempoLiveStoreNotReady', interval: '1m',
      series: {
        [`tempo_live_store_ready${target('live-store', { instance: 'tempo-live-store-zone-a-0' })}`]: '0x60',
        [`tempo_live_store_ready${target('live-store', { instance: 'tempo-live-store-zone-b-0' })}`]: '1x60',
        [`tempo_live_store_ready${target('live-store', {}, 'other')}`]: '0x60',
      },
      evalTime: '40m',
      expected: [{
        labels: { ...base, instance: 'tempo-live-store-zone-a-0', severity: 'critical' },
        annotations: ann('TempoLiveStoreNotReady', 'A Tempo live-store is not ready to serve queries.',
          'Live-store tempo-live-store-zone-a-0 in tempo/monitoring has not caught up with Kafka for 35 minutes; recent traces of its partition may be missing from queries.'),
      }],
    },
    {
      alert: 'TempoLiveStoreDroppingRecords', interval: '1m',
      series: { [`tempo_live_store_records_dropped_total${target('live-store', { tenant: 't1', reason: 'too_old' })}`]: '0+10x40' },
      evalTime: '30m',
      expected: [{
        labels: { ...base, reason: 'too_old', severity: 'warning' },
        annotations: ann('TempoLiveStoreDroppingRecords', 'Tempo live-stores are dropping Kafka records.',
          'Live-stores in tempo/monitoring drop 50 records per 5 minutes (too_old); those spans are missing from recent-trace queries.'),
      }],
    },
    {
      alert: 'TempoBlockBuilderFetchesFailing', interval: '15s',
      series: {
        [`tempo_block_builder_fetch_errors_total${target('block-builder', { partition: '0' })}`]: '0+1x60',
        [`tempo_block_builder_fetch_errors_total${target('block-builder', { partition: '0' }, 'other')}`]: '0+1x60',
      },
      evalTime: '10m',
      expected: [{
        labels: { ...base, severity: 'critical' },
        annotations: ann('TempoBlockBuilderFetchesFailing', 'Tempo block-builder Kafka fetches are failing.',
          'More than 2 block-builder Kafka fetches failed in the past hour in tempo/monitoring (and some in the last 5 minutes).'),
      }],
    },
    {
      alert: 'TempoKafkaConsumerLagging', interval: '1m',
      series: {
        [`tempo_ingest_group_partition_lag_seconds${target('block-builder', { group: 'block-builder', partition: '1' })}`]: '1200x40',
        [`tempo_ingest_group_partition_lag_seconds${target('live-store', { group: 'tempo-live-store-zone-a', partition: '1' })}`]: '3x40',
      },
      evalTime: '20m',
      expected: [{
        labels: { ...base, group: 'block-builder', partition: '1', severity: 'warning' },
        annotations: ann('TempoKafkaConsumerLagging', 'A Tempo Kafka consumer is falling behind.',
          'Consumer group block-builder is 1200s behind on partition 1 in tempo/monitoring (threshold 900s).'),
      }],
    },
    {
      alert: 'TempoLiveStoreUnhealthy', interval: '1m',
      series: {
        [`tempo_ring_members${target('querier', { name: 'live-store', state: 'Unhealthy' })}`]: '1x30',
        [`tempo_ring_members${target('querier', { name: 'live-store', state: 'Unhealthy' }, 'other')}`]: '2x30',
      },
      evalTime: '16m',
      expected: [{
        labels: { ...base, severity: 'critical' },
        annotations: ann('TempoLiveStoreUnhealthy', 'Tempo has unhealthy live-store ring members.', 'There are 1 unhealthy live-store(s) in the ring of tempo/monitoring.'),
      }],
    },
  ];

  test('every Tempo 3 write-path alert has a case', () => {
    expect(CASES.map((c) => c.alert).sort()).toEqual([...TEMPO3_ALERTS].sort());
  });

  test.each(CASES.map((c) => [c.alert, c] as const))('promtool test rules: %s fires with its labels and annotations', (_name, c) => {
    const res = files.test(c.alert, [{
      interval: c.interval,
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{ eval_time: c.evalTime, alertname: c.alert, exp_alerts: c.expected.map((e) => ({ exp_labels: e.labels, exp_annotations: e.annotations })) }],
    }], '1m');
    if (res.status !== 0) throw new Error(`promtool test rules failed for ${c.alert}:\n${res.output}`);
    expect(res.output).toMatch(/SUCCESS/);
  });
});
