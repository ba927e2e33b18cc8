import { Duration } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ServiceMapHistogramType, TempoDatasource, TempoVersion, tracesToLogsFromLegacy } from '../../lib';
import { validateK8sManifests } from '../support/k8s-validation';
import { find } from '../support/synth';
import { ofKind, withDistributed, withMonolithic } from '../monitoring/support';

function provisioning(manifests: any[], name = 'tempo-datasource'): any {
  const cm = find(manifests, 'ConfigMap', name);
  return { cm, text: cm.data[`${name}.yaml`], doc: yaml.load(cm.data[`${name}.yaml`]) as any };
}

describe('TempoDatasource: the provisioning ConfigMap', () => {
  const { manifests, result: ds } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'Datasource', {
    instance: tempo,
    tracesToLogs: { datasourceUid: 'loki', tags: ['pod', { key: 'service.name', value: 'service_name' }], spanStartTimeShift: '-1h', spanEndTimeShift: '1h' },
    tracesToMetrics: { datasourceUid: 'prometheus' },
    serviceMap: { datasourceUid: 'prometheus' },
  }));
  const { cm, text, doc } = provisioning(manifests);

  test('labelled for Grafana\'s sidecar, in the chart namespace, one data source of type tempo', () => {
    expect(cm.metadata.labels.grafana_datasource).toBe('1');
    expect(cm.metadata.namespace).toBe('monitoring');
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources).toHaveLength(1);
    expect(doc.datasources[0]).toMatchObject({ name: 'Tempo', type: 'tempo', uid: 'tempo', access: 'proxy', isDefault: false, editable: false });
  });

  test('the URL names the query-frontend Service and its http port, both present in the same output', () => {
    const url = new URL(doc.datasources[0].url);
    expect(url.toString()).toBe('http://tempo-query-frontend.monitoring.svc:3200/');
    const [service, namespace] = url.hostname.split('.');
    const svc = find(manifests, 'Service', service);
    expect(svc.metadata.namespace).toBe(namespace);
    expect(svc.spec.ports).toContainEqual(expect.objectContaining({ name: 'http', port: Number(url.port) }));
    expect(ds.url).toBe('http://tempo-query-frontend.monitoring.svc:3200');
  });

  test('trace to logs in Grafana\'s current v2 form: tag objects, trace id filter on by default', () => {
    expect(doc.datasources[0].jsonData.tracesToLogsV2).toEqual({
      datasourceUid: 'loki',
      tags: [{ key: 'pod' }, { key: 'service.name', value: 'service_name' }],
      spanStartTimeShift: '-1h',
      spanEndTimeShift: '1h',
      filterByTraceID: true,
      filterBySpanID: false,
      customQuery: false,
    });
    expect(doc.datasources[0].jsonData.tracesToLogs).toBeUndefined();
  });

  test('trace to metrics on Tempo\'s span metrics (label service), service map, node graph, streaming off', () => {
    const j = doc.datasources[0].jsonData;
    expect(j.tracesToMetrics.datasourceUid).toBe('prometheus');
    expect(j.tracesToMetrics.tags).toEqual([{ key: 'service.name', value: 'service' }]);
    expect(j.tracesToMetrics.queries.map((q: any) => q.name)).toEqual(['Request rate', 'Error rate', 'Latency p95']);
    expect(j.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    expect(j.nodeGraph).toEqual({ enabled: true });
    expect(j.streamingEnabled).toEqual({ search: false, metrics: false });
  });

  test('every $ is escaped as $$ in the provisioning file (Grafana expands $VAR there); the jsonData property stays plain', () => {
    const q = doc.datasources[0].jsonData.tracesToMetrics.queries[0].query;
    expect(q).toBe('sum by (span_name) (rate(traces_spanmetrics_calls_total{$$__tags}[5m]))');
    expect(text).not.toMatch(/(^|[^$])\$(?!\$)/m);
    expect((ds.jsonData.tracesToMetrics as any).queries[0].query).toBe('sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags}[5m]))');
  });

  test('passes the project\'s Kubernetes validation', () => {
    expect(validateK8sManifests([cm]).errors).toEqual([]);
  });
});

describe('TempoDatasource: options', () => {
  test('a single binary: the URL is its Service; namespace, label, name and uid are options', () => {
    const { manifests } = withMonolithic((chart, tempo) => new TempoDatasource(chart, 'DS', {
      instance: tempo, name: 'Traces', uid: 'traces', isDefault: true,
      sidecar: { namespace: 'grafana', labelKey: 'grafana_datasource', labelValue: 'tempo', annotations: { note: 'x' } },
    }), { serviceName: 'tempo' });
    // a uid other than the default names the objects too (one data source per tenant needs nothing else)
    const { cm, doc } = provisioning(manifests, 'tempo-datasource-traces');
    expect(cm.metadata).toMatchObject({ namespace: 'grafana', labels: { grafana_datasource: 'tempo' }, annotations: { note: 'x' } });
    expect(doc.datasources[0]).toMatchObject({ name: 'Traces', uid: 'traces', isDefault: true, url: 'http://tempo.tracing.svc:3200' });
    expect(find(manifests, 'Service', 'tempo').spec.ports).toContainEqual(expect.objectContaining({ name: 'http', port: 3200 }));
  });

  test('without a chart namespace the URL is the bare Service name', () => {
    const { result } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', { instance: tempo }), {}, null);
    expect(result.url).toBe('http://tempo-query-frontend:3200');
  });

  test('the seeds\' deprecated tracesToLogs block is converted the way Grafana reads it', () => {
    expect(tracesToLogsFromLegacy({ datasourceUid: 'loki', tags: ['job', 'instance', 'pod', 'namespace'] })).toEqual({
      datasourceUid: 'loki', tags: ['job', 'instance', 'pod', 'namespace'], filterByTraceId: false, filterBySpanId: false,
      spanStartTimeShift: undefined, spanEndTimeShift: undefined, customQuery: undefined,
    });
    expect(tracesToLogsFromLegacy({ datasourceUid: 'loki', filterByTraceID: true, mapTagNamesEnabled: true, mappedTags: [{ key: 'service.name', value: 'service' }], tags: ['pod'] }).tags)
      .toEqual([{ key: 'service.name', value: 'service' }]);
    const { result } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', {
      instance: tempo, tracesToLogs: tracesToLogsFromLegacy({ datasourceUid: 'loki', tags: ['pod'], filterByTraceID: true }),
    }));
    expect(result.jsonData.tracesToLogsV2).toEqual({ datasourceUid: 'loki', tags: [{ key: 'pod' }], filterByTraceID: true, filterBySpanID: false, customQuery: false });
  });

  test('custom log query, search, trace-id time shift, tenant header, histogram type, extra jsonData', () => {
    const { manifests, result } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', {
      instance: tempo,
      tracesToLogs: { datasourceUid: 'loki', customQuery: '{namespace="${__span.tags.namespace}"} |= "${__trace.traceId}"' },
      search: { hide: false, filters: [{ id: 'service-name', tag: 'service.name', operator: '=', scope: 'resource' }] },
      traceQueryTimeShift: { spanStartTimeShift: '1h' },
      serviceMap: { datasourceUid: 'mimir', histogramType: ServiceMapHistogramType.NATIVE },
      tenant: 'team-a',
      extraJsonData: { tagLimit: 1000 },
    }));
    const j = result.jsonData as any;
    expect(j.tracesToLogsV2).toMatchObject({ customQuery: true, query: '{namespace="${__span.tags.namespace}"} |= "${__trace.traceId}"' });
    expect(j.search).toEqual({ hide: false, filters: [{ id: 'service-name', tag: 'service.name', operator: '=', scope: 'resource' }] });
    expect(j.traceQuery).toEqual({ timeShiftEnabled: true, spanStartTimeShift: '1h', spanEndTimeShift: '30m' });
    expect(j.serviceMap).toEqual({ datasourceUid: 'mimir', histogramType: 'native' });
    expect(j.httpHeaderName1).toBe('X-Scope-OrgID');
    expect(j.tagLimit).toBe(1000);
    const { doc } = provisioning(manifests);
    expect(doc.datasources[0].secureJsonData).toEqual({ httpHeaderValue1: 'team-a' });
    expect(doc.datasources[0].jsonData.tracesToLogsV2.query).toBe('{namespace="$${__span.tags.namespace}"} |= "$${__trace.traceId}"');
  });

  test('grafana-operator GrafanaDatasource: same data source, unescaped, instance selector; the sidecar ConfigMap can be turned off', () => {
    const { manifests } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', {
      instance: tempo,
      tracesToMetrics: { datasourceUid: 'prometheus' },
      sidecar: { enabled: false },
      operator: { instanceSelector: { dashboards: 'grafana' }, allowCrossNamespaceImport: true, resyncPeriod: Duration.minutes(5) },
    }));
    expect(ofKind(manifests, 'ConfigMap').map((c) => c.metadata.name)).not.toContain('tempo-datasource');
    const gd = find(manifests, 'GrafanaDatasource', 'tempo-datasource');
    expect(gd.apiVersion).toBe('grafana.integreatly.org/v1beta1');
    expect(gd.spec).toMatchObject({
      instanceSelector: { matchLabels: { dashboards: 'grafana' } },
      allowCrossNamespaceImport: true,
      resyncPeriod: '5m',
      uid: 'tempo',
      datasource: { name: 'Tempo', type: 'tempo', access: 'proxy', url: 'http://tempo-query-frontend.monitoring.svc:3200' },
    });
    expect(gd.spec.datasource.jsonData.tracesToMetrics.queries[0].query).toContain('{$__tags}');
    expect(validateK8sManifests([gd]).errors).toEqual([]);
  });

  test('streaming: search and (Tempo >= 2.7) metrics', () => {
    const { result } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', { instance: tempo, streaming: { search: true, metrics: true } }), { version: TempoVersion.V2_10_8 });
    expect(result.jsonData.streamingEnabled).toEqual({ search: true, metrics: true });
  });

  test('loki derived field pointing back at this data source', () => {
    const { result } = withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', { instance: tempo, uid: 'traces' }));
    expect(result.lokiDerivedField()).toMatchObject({ name: 'TraceID', datasourceUid: 'traces', url: '${__value.raw}' });
  });
});

describe('TempoDatasource: bad input fails naming the option and the allowed values', () => {
  const build = (props: object, version = TempoVersion.V2_6_1) => () => withDistributed((chart, tempo) => new TempoDatasource(chart, 'DS', { instance: tempo, ...props }), { version });

  test.each([
    [{ uid: 'tempo/main' }, 'uid: "tempo/main" is invalid; allowed: 1-40 characters of [A-Za-z0-9_-]'],
    [{ url: 'tempo:3200' }, 'url: "tempo:3200" is invalid; allowed: an http(s) URL'],
    [{ streaming: { metrics: true } }, 'streaming.metrics: needs Tempo >= 2.7; this instance runs 2.6.1'],
    [{ tracesToLogs: { datasourceUid: 'loki', spanStartTimeShift: '1 hour' } }, 'tracesToLogs.spanStartTimeShift: "1 hour" is invalid; allowed: a Grafana duration'],
    [{ tracesToLogs: { datasourceUid: 'loki', tags: [''] } }, 'tracesToLogs.tags[0]: must name a span attribute'],
    [{ tracesToLogs: { datasourceUid: '' } }, 'tracesToLogs.datasourceUid: "(empty)" is invalid'],
    [{ tracesToMetrics: { datasourceUid: 'prometheus', queries: [{ name: 'p95', query: 'histogram_quantile(0.95, sum(rate(traces_spanmetrics_duration_seconds_bucket{$__tags}[5m])) by (le))' }] } },
      'tracesToMetrics.queries[0] ("p95"): metric "traces_spanmetrics_duration_seconds_bucket" is not emitted by Tempo; use "traces_spanmetrics_latency_bucket"'],
    [{ tracesToMetrics: { datasourceUid: 'prometheus', queries: [{ name: 'bad', query: 'sum(rate(traces_spanmetrics_calls_total{$__tags}[5m])' }] } }, 'tracesToMetrics.queries[0] ("bad"): invalid PromQL'],
    [{ serviceMap: { datasourceUid: 'prometheus', histogramType: 'exponential' } }, 'serviceMap.histogramType: "exponential" is invalid; allowed: classic, native, both'],
    [{ search: { filters: [{ id: 'x', scope: 'global' }] } }, 'search.filters[0].scope: "global" is invalid; allowed: resource, span'],
    [{ extraJsonData: { tracesToLogsV2: {} } }, 'extraJsonData: "tracesToLogsV2" is generated from a typed option'],
    [{ tenant: 'a b' }, 'tenant: "a b" is invalid'],
    [{ operator: { instanceSelector: {} } }, 'operator.instanceSelector: must select at least one label'],
    [{ sidecar: { namespace: 'Grafana' } }, 'sidecar.namespace: "Grafana" is invalid; allowed: a DNS label'],
  ])('%j', (props, message) => {
    expect(build(props)).toThrow(message);
  });
});
