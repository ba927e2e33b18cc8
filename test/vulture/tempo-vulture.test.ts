import { Duration } from 'cdk8s';
import { TempoReceiver, TempoVulture, TempoVultureProps } from '../../lib';
import { validateK8sManifests } from '../support/k8s-validation';
import { connectionAllowed, pod } from '../support/network-policy';
import { find, Manifest, selects } from '../support/synth';
import { describeWithPromtool, RuleFileDir } from '../monitoring/promtool';
import { withDistributed, withMonolithic } from '../monitoring/support';

const MULTITENANT_WITH_GATEWAY = { multitenancy: true, gateway: { basicAuth: { secretName: 'htpasswd' } } };

function distributedWithVulture(props: Partial<TempoVultureProps> = {}, instanceProps: Record<string, unknown> = MULTITENANT_WITH_GATEWAY) {
  return withDistributed((chart, tempo) => new TempoVulture(chart, 'Vulture', { instance: tempo, tenant: 'vulture', ...props }), instanceProps);
}

describe('TempoVulture on a multi-tenant TempoDistributed with a gateway', () => {
  const { manifests, tempo } = distributedWithVulture();
  const deployment = find(manifests, 'Deployment', 'tempo-vulture');
  const container = deployment.spec.template.spec.containers[0];

  test('pushes to the distributor itself (not the basic-auth gateway) and reads through the query-frontend, as its tenant', () => {
    expect(container.args).toEqual([
      '-prometheus-listen-address=:8080',
      '-tempo-push-url=http://tempo-distributor.monitoring.svc:4317',
      '-tempo-query-url=http://tempo-query-frontend.monitoring.svc:3200',
      '-tempo-org-id=vulture',
      '-tempo-write-backoff-duration=15s',
      '-tempo-read-backoff-duration=30s',
      '-tempo-search-backoff-duration=1m',
      '-tempo-retention-duration=336h',
    ]);
    // the Services it names exist in the output with those ports
    expect(find(manifests, 'Service', 'tempo-distributor').spec.ports.map((p: any) => p.port)).toContain(4317);
    expect(find(manifests, 'Service', 'tempo-query-frontend').spec.ports.map((p: any) => p.port)).toContain(3200);
  });

  test('the vulture image of the instance release, restricted pod security', () => {
    expect(container.image).toBe(`grafana/tempo-vulture:${tempo.version.version}`);
    const spec = deployment.spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('Service and ServiceMonitor select exactly the vulture pods, on the metrics port', () => {
    const labels = deployment.spec.template.metadata.labels;
    const svc = find(manifests, 'Service', 'tempo-vulture');
    const sm = find(manifests, 'ServiceMonitor', 'tempo-vulture');
    expect(selects(svc.spec.selector, labels)).toBe(true);
    expect(selects(sm.spec.selector.matchLabels, svc.metadata.labels)).toBe(true);
    const tempoPods = manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name !== 'tempo-vulture').map((m) => m.spec.template.metadata.labels);
    expect(tempoPods.some((l) => selects(svc.spec.selector, l))).toBe(false);
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http-metrics', path: '/metrics' });
    expect(container.ports).toEqual([{ name: 'http-metrics', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('with the instance\'s NetworkPolicies, the vulture may reach the distributor\'s OTLP gRPC and the query-frontend\'s HTTP port, nothing more', () => {
    const vulture = pod('monitoring', deployment.spec.template.metadata.labels);
    const labelsOf = (name: string) => pod('monitoring', find(manifests, 'Deployment', name).spec.template.metadata.labels);
    expect(connectionAllowed(manifests, vulture, labelsOf('tempo-distributor'), 4317)).toBe(true);
    expect(connectionAllowed(manifests, vulture, labelsOf('tempo-query-frontend'), 3200)).toBe(true);
    expect(connectionAllowed(manifests, vulture, labelsOf('tempo-querier'), 3200)).toBe(false);
    // another pod gains nothing from the vulture's policy
    expect(connectionAllowed(manifests, pod('monitoring', { app: 'other' }), labelsOf('tempo-query-frontend'), 3200)).toBe(false);
  });

  test('passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests.filter((m) => !m.apiVersion.includes('coreos'))).errors).toEqual([]);
  });
});

test('single binary without tenants: pushes to and reads from the single binary, no org ID, no policy when the instance has none', () => {
  const { manifests } = withMonolithic((chart, tempo) => new TempoVulture(chart, 'Vulture', { instance: tempo, searchInterval: Duration.seconds(0), retention: Duration.hours(24) }),
    { networkPolicy: { enabled: false } });
  const args: string[] = find(manifests, 'Deployment', 'tempo-vulture').spec.template.spec.containers[0].args;
  expect(args).toContain('-tempo-push-url=http://tempo.tracing.svc:4317');
  expect(args).toContain('-tempo-query-url=http://tempo.tracing.svc:3200');
  expect(args).toContain('-tempo-search-backoff-duration=0s');
  expect(args).toContain('-tempo-retention-duration=24h');
  expect(args.some((a) => a.startsWith('-tempo-org-id'))).toBe(false);
  expect(manifests.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
});

test('bad input names the option and what is allowed', () => {
  expect(() => distributedWithVulture({ tenant: undefined })).toThrow(/tenant: required because instance "tempo" is multi-tenant/);
  expect(() => distributedWithVulture({}, { receivers: [TempoReceiver.zipkin()] })).toThrow(/instance: "tempo" has no OTLP gRPC receiver; allowed: an instance with TempoReceiver.otlpGrpc\(\)/);
  expect(() => distributedWithVulture({ tenant: '..' })).toThrow(/tenant: tenant ID "\.\." is invalid/);
  expect(() => distributedWithVulture({ errorRatioThreshold: 1.5 })).toThrow(/errorRatioThreshold: 1.5 is invalid; allowed: a number between 0 and 1/);
  expect(() => distributedWithVulture({ writeInterval: Duration.millis(10) })).toThrow(/writeInterval: \S+ is invalid; allowed: a whole number of milliseconds, at least 1 second/);
  expect(() => distributedWithVulture({ name: 'Bad_Name' })).toThrow(/name: "Bad_Name" is invalid/);
});

describeWithPromtool('TempoVulture alert under promtool', () => {
  const { manifests } = distributedWithVulture({ errorRatioThreshold: 0.2 });
  const rule = find(manifests, 'PrometheusRule', 'tempo-vulture-alerts') as Manifest;
  const files = new RuleFileDir(rule.spec);
  afterAll(() => files.remove());
  const series = (metric: string, extra: Record<string, string> = {}, service = 'tempo-vulture') =>
    `${metric}{${Object.entries({ namespace: 'monitoring', service, job: 'monitoring/tempo-vulture', ...extra }).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

  test('promtool check rules accepts it', () => {
    const res = files.check();
    expect(res.status).toBe(0);
    expect(res.output).toMatch(/SUCCESS: 1 rules found/);
  });

  test('fires per error kind once that kind stays above the ratio for 5 minutes, not for a smaller ratio or another vulture', () => {
    const res = files.test('vulture', [{
      interval: '1m',
      input_series: [
        // 10 traces checked a minute; 3 of them not found by ID (30%), 1 with missing spans (10%)
        { series: series('tempo_vulture_trace_total'), values: '0+10x30' },
        { series: series('tempo_vulture_trace_error_total', { error: 'notfound_byid' }), values: '0+3x30' },
        { series: series('tempo_vulture_trace_error_total', { error: 'missing_spans' }), values: '0+1x30' },
        // another vulture (another Service) failing everything: not this alert's business
        { series: series('tempo_vulture_trace_total', {}, 'other-vulture'), values: '0+10x30' },
        { series: series('tempo_vulture_trace_error_total', { error: 'notfound_byid' }, 'other-vulture'), values: '0+10x30' },
      ],
      alert_rule_test: [
        { alertname: 'TempoVultureHighErrorRate', eval_time: '5m', exp_alerts: [] },
        {
          alertname: 'TempoVultureHighErrorRate',
          eval_time: '15m',
          exp_alerts: [{
            exp_labels: { severity: 'critical', error: 'notfound_byid' },
            exp_annotations: {
              summary: 'Tempo Vulture reads back too many traces wrong or not at all.',
              description: '0.30 of the traces the vulture tempo-vulture checked failed with error notfound_byid (threshold 0.2).',
              runbook_url: 'https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md#TempoVultureHighErrorRate',
            },
          }],
        },
      ],
    }]);
    if (res.status !== 0) throw new Error(res.output);
    expect(res.output).toMatch(/SUCCESS/);
  });
});
