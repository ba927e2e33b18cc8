import type { ITempoInstance, TempoMetricsTarget } from '../instance';

/** The roles Tempo's mixin selects on by `job="<namespace>/<role>"`. */
export enum TempoRole {
  DISTRIBUTOR = 'distributor',
  INGESTER = 'ingester',
  QUERIER = 'querier',
  QUERY_FRONTEND = 'query-frontend',
  COMPACTOR = 'compactor',
  METRICS_GENERATOR = 'metrics-generator',
  /** Tempo 3.x. */
  LIVE_STORE = 'live-store',
  /** Tempo 3.x microservices (the 3.x single binary has none: its live-store writes the blocks). */
  BLOCK_BUILDER = 'block-builder',
  /** Tempo 3.x. */
  BACKEND_SCHEDULER = 'backend-scheduler',
  /** Tempo 3.x. */
  BACKEND_WORKER = 'backend-worker',
}

/** Every role, in write-path then read-path order (2.x and 3.x roles together). */
export const TEMPO_ROLES: readonly TempoRole[] = [
  TempoRole.DISTRIBUTOR, TempoRole.INGESTER, TempoRole.LIVE_STORE, TempoRole.BLOCK_BUILDER, TempoRole.METRICS_GENERATOR,
  TempoRole.QUERY_FRONTEND, TempoRole.QUERIER, TempoRole.COMPACTOR, TempoRole.BACKEND_SCHEDULER, TempoRole.BACKEND_WORKER,
];

// Roles of one architecture only: a single binary (one target serving every role) runs only its version's.
const TEMPO2_ONLY: readonly TempoRole[] = [TempoRole.INGESTER, TempoRole.COMPACTOR];
const TEMPO3_ONLY: readonly TempoRole[] = [TempoRole.LIVE_STORE, TempoRole.BLOCK_BUILDER, TempoRole.BACKEND_SCHEDULER, TempoRole.BACKEND_WORKER];

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Error messages for a `cluster` label value. */
export function clusterErrors(option: string, cluster: string): string[] {
  return LABEL_VALUE.test(cluster)
    ? []
    : [`${option}: "${cluster}" is invalid; allowed: 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`];
}

/**
 * How a Tempo instance's series are found in Prometheus: `cluster` (added by
 * the ServiceMonitors' relabelling) and `job="<namespace>/<component>"`.
 * For a single binary (one metrics target), that target serves every role.
 */
export class TempoJobs {
  /** Value of the `cluster` label. */
  public readonly cluster: string;
  /** Namespace of the instance, when known. */
  public readonly namespace?: string;

  constructor(public readonly instance: ITempoInstance, cluster?: string) {
    this.cluster = cluster ?? instance.name;
    this.namespace = instance.namespace;
  }

  /** The metrics target serving a role, if the instance runs that role. */
  public targetFor(role: TempoRole): TempoMetricsTarget | undefined {
    const targets = this.instance.metricsTargets;
    if (role === TempoRole.METRICS_GENERATOR && !this.instance.metricsGeneratorEnabled) return undefined;
    if ((this.instance.version.kafkaArchitecture ? TEMPO2_ONLY : TEMPO3_ONLY).includes(role)) return undefined;
    const single = targets.length === 1 && role !== TempoRole.BLOCK_BUILDER;
    return targets.find((t) => t.component === role) ?? (single ? targets[0] : undefined);
  }

  /** Whether the instance runs a role. */
  public hasRole(role: TempoRole): boolean {
    return this.targetFor(role) !== undefined;
  }

  /** `job` value of a component: `<namespace>/<component>`. */
  public jobOf(component: string): string | undefined {
    return this.namespace ? `${this.namespace}/${component}` : undefined;
  }

  /**
   * PromQL label matchers (without braces) selecting this instance's series,
   * optionally of one role: `cluster="tempo", job="monitoring/compactor"`.
   * @throws if the instance does not run the role
   */
  public matchers(role?: TempoRole): string {
    return `cluster="${this.cluster}", ${this.jobMatcher(role)}`;
  }

  /** The `job` matcher alone (see `matchers`). */
  public jobMatcher(role?: TempoRole): string {
    if (role === undefined) return this.namespace ? `job=~"${this.namespace}/.+"` : 'job=~".+/.+"';
    const target = this.targetFor(role);
    if (!target) throw new Error(`the Tempo instance "${this.instance.name}" runs no ${role}`);
    return this.namespace ? `job="${this.namespace}/${target.component}"` : `job=~".+/${target.component}"`;
  }

  /** Whether the instance runs an exporter sidecar of that component (`memcached`, `gateway`). */
  public hasExporter(component: string): boolean {
    return (this.instance.exporterTargets ?? []).some((t) => t.component === component);
  }

  /**
   * PromQL matchers of an exporter's series (`cluster="tempo", job="monitoring/memcached"`), as
   * `TempoServiceMonitors` labels them.
   * @throws if the instance has no such exporter
   */
  public exporterMatchers(component: string): string {
    if (!this.hasExporter(component)) throw new Error(`the Tempo instance "${this.instance.name}" has no ${component} exporter`);
    return `cluster="${this.cluster}", ${this.namespace ? `job="${this.namespace}/${component}"` : `job=~".+/${component}"`}`;
  }

  /**
   * Grafana dashboard matchers of an exporter's series: `cluster=~"$cluster", job=~"$namespace/memcached"`.
   * @throws if the instance has no such exporter
   */
  public exporterDashboardMatchers(component: string): string {
    if (!this.hasExporter(component)) throw new Error(`the Tempo instance "${this.instance.name}" has no ${component} exporter`);
    return `cluster=~"$cluster", job=~"$namespace/${component}"`;
  }

  /**
   * Grafana dashboard matchers: `cluster=~"$cluster", job=~"$namespace/<component>"`.
   * @throws if the instance does not run the role
   */
  public dashboardMatchers(role?: TempoRole): string {
    if (role === undefined) return 'cluster=~"$cluster", job=~"$namespace/.+"';
    const target = this.targetFor(role);
    if (!target) throw new Error(`the Tempo instance "${this.instance.name}" runs no ${role}`);
    return `cluster=~"$cluster", job=~"$namespace/${target.component}"`;
  }
}
