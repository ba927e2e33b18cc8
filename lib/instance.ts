import type { TempoVersion } from './version';

/** A Service port of a Tempo instance. */
export interface TempoServiceEndpoint {
  /** Service name. */
  readonly serviceName: string;
  /** Port number. */
  readonly port: number;
  /** Port name. */
  readonly portName: string;
}

/** A component whose pods serve Prometheus metrics on `/metrics` of the `http` port. */
export interface TempoMetricsTarget {
  /** Component name as Tempo's mixin expects it in `job="<namespace>/<component>"` (`distributor`, ...). */
  readonly component: string;
  /** The component's Service (selecting exactly its pods). */
  readonly serviceName: string;
  /** Labels of that Service's pods (and of the Service itself). */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/**
 * What integrations (Grafana datasource, scraping, alerts, Argo CD) need to
 * know about a deployed Tempo, whichever mode it runs in.
 */
export interface ITempoInstance {
  /** Instance name (`app.kubernetes.io/instance`). */
  readonly name: string;
  /** Namespace of the chart, when set. */
  readonly namespace?: string;
  /** The Tempo release deployed. */
  readonly version: TempoVersion;
  /** Where Grafana sends queries: the query-frontend (or single binary) HTTP port. */
  readonly queryEndpoint: TempoServiceEndpoint;
  /** Every component serving metrics. */
  readonly metricsTargets: readonly TempoMetricsTarget[];
  /** Whether a metrics-generator writes span metrics and service graphs. */
  readonly metricsGeneratorEnabled: boolean;
}
