import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ServiceMonitor,
  ServiceMonitorSpecEndpointsRelabelings,
  ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/servicemonitor-monitoring.coreos.com';
import type { ITempoInstance } from '../instance';
import { TempoNames } from '../k8s/names';
import { extraLabelErrors, integrationLabels, promDuration, throwIfErrors } from './common';
import { clusterErrors, TempoJobs } from './targets';

/** Options of `TempoServiceMonitors`. */
export interface TempoServiceMonitorsProps {
  /** The Tempo deployment to scrape (`TempoDistributed`, `TempoMonolithic`). */
  readonly instance: ITempoInstance;
  /**
   * Value of the `cluster` label written on every scraped series. Tempo does
   * not emit it, but its mixin's dashboards and alerts (and this library's)
   * select on it. Use the same value for `TempoAlerts` and `TempoDashboards`.
   * @default the instance name
   */
  readonly cluster?: string;
  /** Scrape interval. @default Prometheus' global `scrape_interval` */
  readonly interval?: Duration;
  /** Scrape timeout (at most the interval). @default Prometheus' global `scrape_timeout` */
  readonly scrapeTimeout?: Duration;
  /**
   * Extra labels of the ServiceMonitor objects, e.g. `{ release: 'prometheus' }` (the Helm
   * release name) so kube-prometheus-stack's default `serviceMonitorSelector` picks them up.
   * `TempoAlerts` takes the same `labels` for its PrometheusRule.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One prometheus-operator `ServiceMonitor` per Tempo component
 * (`<instance>-<component>`), scraping `/metrics` on the `http` port of
 * exactly that component's Service, relabelled the way Tempo's mixin
 * expects: `job="<namespace>/<component>"` and a `cluster` label; and one
 * per exporter sidecar of the instance (memcached's, the gateway's), named
 * after its Service and scraping its `http-metrics` port, with
 * `job="<namespace>/memcached"` or `job="<namespace>/gateway"`.
 *
 * Each ServiceMonitor keeps only its component's main Service (the
 * query-frontend's headless discovery Service selects the same pods and would
 * otherwise be scraped twice). Relabelling actions are written out in full so
 * the API server's defaulting leaves nothing for Argo CD to report as drift.
 */
export class TempoServiceMonitors extends Construct {
  /** The ServiceMonitors, one per metrics target. */
  public readonly serviceMonitors: readonly ServiceMonitor[];
  /** Their names. */
  public readonly names: readonly string[];
  /** Value of the `cluster` label. */
  public readonly cluster: string;
  /** How the scraped series are selected. */
  public readonly jobs: TempoJobs;

  constructor(scope: Construct, id: string, props: TempoServiceMonitorsProps) {
    super(scope, id);
    const instance = props.instance;
    const cluster = props.cluster ?? instance.name;
    const interval = props.interval && promDuration('interval', props.interval, 1);
    const timeout = props.scrapeTimeout && promDuration('scrapeTimeout', props.scrapeTimeout, 1);
    const errors = [
      ...clusterErrors('cluster', cluster),
      ...extraLabelErrors('labels', props.labels),
      ...[interval?.error, timeout?.error].filter((e): e is string => !!e),
    ];
    if (props.interval && props.scrapeTimeout && !interval?.error && !timeout?.error
      && props.scrapeTimeout.toSeconds() > props.interval.toSeconds()) {
      errors.push(`scrapeTimeout: ${props.scrapeTimeout.toHumanString()} is longer than interval ${props.interval.toHumanString()}; allowed: at most the interval`);
    }
    if (instance.metricsTargets.length === 0) errors.push(`instance: "${instance.name}" has no metrics targets; allowed: a Tempo instance with at least one component`);
    throwIfErrors(`TempoServiceMonitors "${instance.name}"`, errors);

    this.cluster = cluster;
    this.jobs = new TempoJobs(instance, cluster);
    const monitors: ServiceMonitor[] = [];
    const names = new TempoNames(instance.name);
    // Tempo's components, then the exporters of the instance's other workloads (named after their Service).
    const targets = [
      ...instance.metricsTargets.map((t) => ({ ...t, name: names.serviceMonitor(t.component), port: 'http' })),
      ...(instance.exporterTargets ?? []).map((t) => ({ ...t, name: t.serviceName, serviceNames: [t.serviceName], port: t.portName })),
    ];
    for (const target of targets) {
      const relabelings: ServiceMonitorSpecEndpointsRelabelings[] = [
        // The component's main Services only (not e.g. the query-frontend discovery Service).
        {
          action: ServiceMonitorSpecEndpointsRelabelingsAction.KEEP,
          sourceLabels: ['__meta_kubernetes_service_name'],
          regex: target.serviceNames.map(escapeRegex).join('|'),
        },
        {
          action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE,
          sourceLabels: ['__meta_kubernetes_namespace'],
          regex: '(.+)',
          replacement: `$1/${target.component}`,
          targetLabel: 'job',
        },
        {
          action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE,
          replacement: cluster,
          targetLabel: 'cluster',
        },
      ];
      monitors.push(new ServiceMonitor(this, target.component, {
        metadata: { name: target.name, labels: integrationLabels(instance.name, target.component, props.labels) },
        spec: {
          selector: { matchLabels: { ...target.selectorLabels } },
          endpoints: [{
            port: target.port,
            path: '/metrics',
            scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
            interval: interval?.value,
            scrapeTimeout: timeout?.value,
            relabelings,
          }],
        },
      }));
    }
    this.serviceMonitors = monitors;
    this.names = monitors.map((m) => m.metadata.name!);
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
