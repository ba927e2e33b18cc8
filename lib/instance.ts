import type { TempoReceiver } from './config/receivers';
import type { TempoVersion } from './version';

/** A Service port of a Tempo instance. */
export interface TempoServiceEndpoint {
  /** Service name. */
  readonly serviceName: string;
  /** Port number. */
  readonly port: number;
  /** Port name. */
  readonly portName: string;
  /** Labels of the pods behind the Service (for NetworkPolicies that let a client in). */
  readonly podSelector: Readonly<Record<string, string>>;
}

/** A component whose pods serve Prometheus metrics on `/metrics` of the `http` port. */
export interface TempoMetricsTarget {
  /** Component name as Tempo's mixin expects it in `job="<namespace>/<component>"` (`distributor`, ...). */
  readonly component: string;
  /**
   * The component's Services (selecting exactly its pods): one, or one per
   * zone for zone-aware ingesters.
   */
  readonly serviceNames: readonly string[];
  /** Labels every pod (and Service) of the component has. */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** A workload of an instance that is not Tempo and serves Prometheus metrics through an exporter sidecar (memcached, the gateway). */
export interface TempoExporterTarget {
  /** Its role in `job="<namespace>/<component>"`: `memcached` or `gateway`. */
  readonly component: string;
  /** The Service exposing the exporter port (also the ServiceMonitor's name). */
  readonly serviceName: string;
  /** Labels of its pods and Service. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Name of the exporter's Service port (scraped on `/metrics`). */
  readonly portName: string;
}

/** Where applications send traces: the gateway when there is one, else the distributor (or single binary). */
export interface TempoIngestEndpoint {
  /** Service receiving traces. */
  readonly serviceName: string;
  /** Namespace of that Service, when the instance's chart sets one. */
  readonly namespace?: string;
  /** OTLP gRPC port of the Service, when OTLP gRPC is received. */
  readonly otlpGrpcPort?: number;
  /** OTLP HTTP port of the Service, when OTLP HTTP is received (clients append `/v1/traces`). */
  readonly otlpHttpPort?: number;
  /**
   * Port the pods behind the Service listen on for OTLP HTTP, which a NetworkPolicy names (the gateway's
   * Service port 80 forwards to its pods' 8080).
   * @default otlpHttpPort
   */
  readonly otlpHttpPodPort?: number;
  /** Labels of the pods behind the Service. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Whether NetworkPolicies restrict who may reach those pods. */
  readonly networkPolicy: boolean;
  /** Whether Tempo needs a tenant (`multitenancy_enabled`). */
  readonly tenantRequired: boolean;
  /** Whether the gateway derives the tenant from the basic-auth user (clients send no tenant header). */
  readonly tenantFromCredentials: boolean;
  /** Whether the Service asks for basic-auth credentials. */
  readonly basicAuth: boolean;
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
  /** Where applications send traces (`instrument()`). */
  readonly ingestEndpoint: TempoIngestEndpoint;
  /**
   * The pods that receive traces themselves (distributor or single binary), bypassing any gateway:
   * for in-cluster probes such as `TempoVulture`.
   */
  readonly receiverEndpoint: TempoIngestEndpoint;
  /**
   * Exporter sidecars of the instance's other workloads (`TempoServiceMonitors` scrapes them).
   * @default none
   */
  readonly exporterTargets?: readonly TempoExporterTarget[];
}

/** The ingest endpoint of pods that receive directly (distributor, single binary), from the enabled receivers. */
export function receiverIngestEndpoint(
  base: Pick<TempoIngestEndpoint, 'serviceName' | 'namespace' | 'podSelector' | 'networkPolicy' | 'tenantRequired'>,
  receivers: readonly TempoReceiver[],
): TempoIngestEndpoint {
  return {
    ...base,
    otlpGrpcPort: receivers.find((r) => r.name === 'otlp-grpc')?.port,
    otlpHttpPort: receivers.find((r) => r.name === 'otlp-http')?.port,
    tenantFromCredentials: false,
    basicAuth: false,
  };
}
