import { Chart, Duration, Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import {
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr,
} from '../../imports/prometheusrule-monitoring.coreos.com';
import {
  ServiceMonitor,
  ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/servicemonitor-monitoring.coreos.com';
import { tenantIdErrors } from '../config/tenant-limits';
import { describeDuration, goDuration } from '../config/units';
import type { ITempoInstance } from '../instance';
import { LabelKeys } from '../k8s/labels';
import { objectNameErrors, serviceNames, TempoNames } from '../k8s/names';
import { resourceErrors, toResourceRequirements } from '../k8s/resources';
import { podSchedulingErrors } from '../k8s/validation';
import { PodSchedulingProps } from '../k8s/scheduling';
import { TEMPO_UID } from '../k8s/security';
import { recordNameOptionBelow } from '../k8s/unique-objects';
import { workload } from '../k8s/workload';
import { extraLabelErrors, integrationLabels, promDuration, throwIfErrors } from '../monitoring/common';
import { promqlErrors } from '../monitoring/promql';
import { AlertSeverity } from '../monitoring/tempo-alerts';

/** Series the vulture exports (cmd/tempo-vulture/metrics.go at v2.10.8). */
export const VULTURE_SERIES = {
  /** Traces the vulture read back or searched for. */
  TRACES: 'tempo_vulture_trace_total',
  /** Traces read back wrong or not at all, by `error` (`notfound_byid`, `missing_spans`, `incorrect_result`, ...). */
  TRACE_ERRORS: 'tempo_vulture_trace_error_total',
  /** Unexpected errors, e.g. a failed push. */
  ERRORS: 'tempo_vulture_error_total',
} as const;

const METRICS_PORT = 8080;
const COMPONENT = 'vulture';

/** Options of `TempoVulture`. */
export interface TempoVultureProps extends PodSchedulingProps {
  /** The Tempo instance to probe: traces go to its distributor (or single binary), reads to its query-frontend. */
  readonly instance: ITempoInstance;
  /** Name of the Deployment, Service, ServiceMonitor and NetworkPolicy; the PrometheusRule adds `-alerts`. @default `<instance>-vulture` */
  readonly name?: string;
  /** Tenant the vulture writes and reads as (`X-Scope-OrgID`); required when the instance is multi-tenant. @default none */
  readonly tenant?: string;
  /** Image. @default `grafana/tempo-vulture:<instance version>` */
  readonly image?: string;
  /** Pause between pushes of a new trace. @default 15 seconds */
  readonly writeInterval?: Duration;
  /** Pause between reads of a trace by ID. @default 30 seconds */
  readonly readInterval?: Duration;
  /** Pause between searches for a trace; `Duration.seconds(0)` turns search checks off. @default 1 minute */
  readonly searchInterval?: Duration;
  /** How long the instance keeps traces: the vulture only asks for traces younger than this. @default 14 days (the compactor's default) */
  readonly retention?: Duration;
  /** Container resources. @default requests 50m CPU / 100Mi, limit 500Mi memory (Tempo's jsonnet) */
  readonly resources?: ContainerResources;
  /** Alert when this share of the checked traces fails, for any one error kind. @default 0.1 (Tempo's mixin) */
  readonly errorRatioThreshold?: number;
  /** How long the ratio must stay above the threshold. @default 5 minutes (Tempo's mixin) */
  readonly alertFor?: Duration;
  /** Severity label of the alert. @default AlertSeverity.CRITICAL (Tempo's mixin) */
  readonly alertSeverity?: AlertSeverity;
  /** Extra labels of the ServiceMonitor and PrometheusRule objects, e.g. `{ release: 'prometheus' }`. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Tempo Vulture: a Deployment that keeps writing traces to a Tempo instance's distributor and reading them back
 * by ID and by search through its query-frontend, with its Service, a ServiceMonitor, and a PrometheusRule that
 * alerts when the share of traces read back wrong exceeds a threshold (Tempo's `TempoVultureHighErrorRate`,
 * scoped to this vulture). The vulture talks to the distributor directly (it has no basic auth for a gateway);
 * when the instance has NetworkPolicies, one more lets the vulture's pods in.
 */
export class TempoVulture extends Construct {
  /** Name of the Deployment, Service, ServiceMonitor and NetworkPolicy. */
  public readonly name: string;
  /** Name of the alert (`TempoVultureHighErrorRate`). */
  public readonly alertName = 'TempoVultureHighErrorRate';
  /** The alert's PromQL expression. */
  public readonly alertExpr: string;
  /** Labels of the vulture's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service (metrics port `http-metrics`). */
  public readonly service: k8s.KubeService;
  /** The ServiceMonitor. */
  public readonly serviceMonitor: ServiceMonitor;
  /** The PrometheusRule with the error-ratio alert. */
  public readonly prometheusRule: PrometheusRule;
  /** The NetworkPolicy letting the vulture reach the instance, when the instance has NetworkPolicies. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: TempoVultureProps) {
    super(scope, id);
    const instance = props.instance;
    const push = instance.receiverEndpoint;
    const query = instance.queryEndpoint;
    const name = props.name ?? new TempoNames(instance.name).vulture;
    const namespace = Chart.of(this).namespace;
    const threshold = props.errorRatioThreshold ?? 0.1;
    const alertFor = promDuration('alertFor', props.alertFor ?? Duration.minutes(5));
    const resources: ContainerResources = props.resources ?? {
      cpu: { request: Cpu.millis(50) },
      memory: { request: Size.mebibytes(100), limit: Size.mebibytes(500) },
    };
    const intervals = {
      writeInterval: props.writeInterval ?? Duration.seconds(15),
      readInterval: props.readInterval ?? Duration.seconds(30),
      searchInterval: props.searchInterval ?? Duration.minutes(1),
      retention: props.retention ?? Duration.days(14),
    };

    const errors = [
      ...objectNameErrors('name', serviceNames(name)[0]),
      ...extraLabelErrors('labels', props.labels),
      ...resourceErrors('resources', resources),
      ...podSchedulingErrors('', props),
      ...(alertFor.error ? [alertFor.error] : []),
    ];
    if (push.otlpGrpcPort === undefined) {
      errors.push(`instance: "${instance.name}" has no OTLP gRPC receiver; allowed: an instance with TempoReceiver.otlpGrpc() (the vulture pushes OTLP over gRPC)`);
    }
    if (push.tenantRequired && props.tenant === undefined) {
      errors.push(`tenant: required because instance "${instance.name}" is multi-tenant; allowed: a tenant ID the vulture writes and reads as`);
    }
    if (props.tenant !== undefined) errors.push(...tenantIdErrors('tenant', [props.tenant]));
    if (!(threshold > 0 && threshold < 1)) errors.push(`errorRatioThreshold: ${threshold} is invalid; allowed: a number between 0 and 1 (exclusive)`);
    for (const [option, d] of Object.entries(intervals)) {
      const zeroAllowed = option === 'searchInterval';
      const ms = d.toMilliseconds();
      if (!Number.isInteger(ms) || ms < (zeroAllowed ? 0 : 1000)) {
        errors.push(`${option}: ${describeDuration(d)} is invalid; allowed: a whole number of milliseconds, at least ${zeroAllowed ? '0 (off)' : '1 second'}`);
      }
    }
    throwIfErrors(`TempoVulture "${name}"`, errors);

    this.name = name;
    const host = (svc: string) => (instance.namespace ? `${svc}.${instance.namespace}.svc` : svc);
    const selector = { [LabelKeys.NAME]: 'tempo-vulture', [LabelKeys.INSTANCE]: instance.name };
    const labels = { ...selector, [LabelKeys.COMPONENT]: COMPONENT, [LabelKeys.VERSION]: instance.version.version, [LabelKeys.MANAGED_BY]: 'cdk8s-tempo' };
    this.selectorLabels = selector;

    const args = [
      `-prometheus-listen-address=:${METRICS_PORT}`,
      `-tempo-push-url=http://${host(push.serviceName)}:${push.otlpGrpcPort}`,
      `-tempo-query-url=http://${host(query.serviceName)}:${query.port}`,
      ...(props.tenant !== undefined ? [`-tempo-org-id=${props.tenant}`] : []),
      `-tempo-write-backoff-duration=${goDuration(intervals.writeInterval)}`,
      `-tempo-read-backoff-duration=${goDuration(intervals.readInterval)}`,
      `-tempo-search-backoff-duration=${goDuration(intervals.searchInterval)}`,
      `-tempo-retention-duration=${goDuration(intervals.retention)}`,
    ];
    const metricsProbe = { httpGet: { path: '/metrics', port: k8s.IntOrString.fromString('http-metrics') } };
    this.deployment = workload(this, 'Deployment', {
      kind: 'Deployment',
      name,
      objectLabels: labels,
      selector,
      replicas: 1,
      labels,
      uid: TEMPO_UID,
      terminationGracePeriodSeconds: 30,
      scheduling: { props, selector },
      containers: [{
        name: 'vulture',
        image: props.image ?? `grafana/tempo-vulture:${instance.version.version}`,
        args,
        ports: [{ name: 'http-metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
        readinessProbe: { ...metricsProbe, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1 },
        livenessProbe: { ...metricsProbe, initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
        resources: toResourceRequirements(resources),
      }],
    }).workload as k8s.KubeDeployment;

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels },
      spec: {
        selector: { ...selector },
        ports: [{ name: 'http-metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('http-metrics'), protocol: 'TCP' }],
      },
    });

    this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
      metadata: { name, labels: integrationLabels(instance.name, COMPONENT, props.labels) },
      spec: {
        selector: { matchLabels: { ...selector } },
        endpoints: [{
          port: 'http-metrics',
          path: '/metrics',
          scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
          relabelings: [
            { action: ServiceMonitorSpecEndpointsRelabelingsAction.KEEP, sourceLabels: ['__meta_kubernetes_service_name'], regex: name },
            // `job="<namespace>/tempo-vulture"`, as Tempo's mixin names it
            { action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE, sourceLabels: ['__meta_kubernetes_namespace'], regex: '(.+)', replacement: '$1/tempo-vulture', targetLabel: 'job' },
          ],
        }],
      },
    });

    // This vulture's series only: its Service (a target label the operator sets) in its namespace.
    const m = `{${namespace ? `namespace="${namespace}", ` : ''}service="${name}"}`;
    this.alertExpr = `sum by (error) (rate(${VULTURE_SERIES.TRACE_ERRORS}${m}[5m]))\n`
      + `  / ignoring (error) group_left\nsum(rate(${VULTURE_SERIES.TRACES}${m}[5m]))\n  > ${threshold}`;
    // Checked like every built-in rule: a library bug fails the synth.
    throwIfErrors(`TempoVulture "${name}" (built-in alert)`, promqlErrors(`${this.alertName}.expr`, this.alertExpr, { extraSeries: Object.values(VULTURE_SERIES) }));
    this.prometheusRule = new PrometheusRule(this, 'Rule', {
      metadata: { name: `${name}-alerts`, labels: integrationLabels(instance.name, 'prometheus-rules', props.labels) },
      spec: {
        groups: [{
          name: `${name.replace(/-/g, '_')}_alerts`,
          rules: [{
            alert: this.alertName,
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(this.alertExpr),
            for: alertFor.value,
            labels: { severity: props.alertSeverity ?? AlertSeverity.CRITICAL },
            annotations: {
              summary: 'Tempo Vulture reads back too many traces wrong or not at all.',
              description: `{{ printf "%0.2f" $value }} of the traces the vulture ${name} checked failed with error {{ $labels.error }} (threshold ${threshold}).`,
              runbook_url: 'https://github.com/grafana/tempo/tree/main/operations/tempo-mixin/runbook.md#TempoVultureHighErrorRate',
            },
          }],
        }],
      },
    });

    if (push.networkPolicy) {
      // Tempo's own policies admit only the gateway/senders and Grafana; this one adds the vulture's pods.
      const targets = [
        { selector: push.podSelector, port: push.otlpGrpcPort! },
        { selector: query.podSelector, port: query.port },
      ];
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: { name, labels },
        spec: {
          podSelector: {
            matchExpressions: [{ key: LabelKeys.COMPONENT, operator: 'In', values: [...new Set(targets.map((t) => t.selector[LabelKeys.COMPONENT]))].sort() }],
            matchLabels: { [LabelKeys.INSTANCE]: instance.name, [LabelKeys.NAME]: targets[0].selector[LabelKeys.NAME] },
          },
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{ podSelector: { matchLabels: { ...selector } } }],
            ports: [...new Set(targets.map((t) => t.port))].sort((a, b) => a - b).map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
          }],
        },
      });
    }
    recordNameOptionBelow(this, 'TempoVulture.name');
  }
}
