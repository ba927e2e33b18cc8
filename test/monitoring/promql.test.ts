import { isTempoSeries, TEMPO_METRICS, TEMPO_SERIES_NAMES, TempoMetricType } from '../../lib';
import { analyzePromQL, promqlErrors } from '../../lib/monitoring/promql';

describe('analyzePromQL', () => {
  test('lists the metric names an expression selects, including {__name__="..."}', () => {
    const a = analyzePromQL('sum by (le) (rate(foo_bucket{a="b"}[5m])) / on () group_left bar + {__name__="baz", x="1"} offset 7d');
    expect(a.syntaxErrors).toEqual([]);
    expect(a.metricNames).toEqual(['foo_bucket', 'bar', 'baz']);
  });

  test('function names and label names are not metric names', () => {
    expect(analyzePromQL('histogram_quantile(0.9, sum by (le, service) (rate(x[1m])))').metricNames).toEqual(['x']);
    expect(analyzePromQL('label_replace(up, "a", "$1", "job", "(.*)")').metricNames).toEqual(['up']);
  });

  test('reports syntax errors with a column', () => {
    expect(analyzePromQL('rate(foo[5m]').syntaxErrors[0]).toMatch(/^syntax error at column \d+ near "/);
    expect(analyzePromQL('sum(x) >').syntaxErrors).not.toEqual([]);
    expect(analyzePromQL('').syntaxErrors).toEqual(['the expression is empty']);
  });
});

describe('the metric catalogue', () => {
  test('histograms expand to _bucket, _sum and _count; every name is a valid, unique metric name', () => {
    expect(TEMPO_SERIES_NAMES).toContain('traces_spanmetrics_latency_bucket');
    expect(TEMPO_SERIES_NAMES).toContain('traces_spanmetrics_latency_count');
    expect(TEMPO_SERIES_NAMES).not.toContain('traces_spanmetrics_latency');
    expect(TEMPO_SERIES_NAMES).toContain('tempo_request_duration_seconds_bucket');
    expect(new Set(TEMPO_METRICS.map((m) => m.name)).size).toBe(TEMPO_METRICS.length);
    for (const name of TEMPO_SERIES_NAMES) expect(name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    for (const m of TEMPO_METRICS.filter((x) => x.type === TempoMetricType.COUNTER)) expect(m.name).toMatch(/_total$/);
  });

  test('holds what the metrics-generator really writes, not the seeds\' names', () => {
    for (const name of ['traces_spanmetrics_calls_total', 'traces_spanmetrics_latency_bucket', 'traces_service_graph_request_total',
      'traces_service_graph_request_failed_total', 'traces_service_graph_request_server_seconds_bucket']) {
      expect(isTempoSeries(name)).toBe(true);
    }
    expect(isTempoSeries('traces_spanmetrics_duration_seconds_bucket')).toBe(false);
    expect(TEMPO_METRICS.find((m) => m.name === 'traces_spanmetrics_calls_total')!.labels).toEqual(['service', 'span_name', 'span_kind', 'status_code']);
  });
});

describe('promqlErrors', () => {
  test('accepts Tempo series and declared extra series, refuses others with a hint for known wrong names', () => {
    expect(promqlErrors('q', 'sum(rate(tempo_distributor_spans_received_total[5m]))')).toEqual([]);
    expect(promqlErrors('q', 'up == 0')).toEqual(['q: metric "up" is not emitted by Tempo 2.x or its metrics-generator; allowed: a name of TEMPO_SERIES_NAMES']);
    expect(promqlErrors('q', 'up == 0', { extraSeries: ['up'] })).toEqual([]);
    expect(promqlErrors('q', 'up == 0', { checkMetricNames: false })).toEqual([]);
    expect(promqlErrors('q', 'rate(traces_spanmetrics_duration_seconds_bucket[5m])'))
      .toEqual(['q: metric "traces_spanmetrics_duration_seconds_bucket" is not emitted by Tempo; use "traces_spanmetrics_latency_bucket"']);
  });
});
