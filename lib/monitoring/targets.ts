import type { ITempoInstance, TempoMetricsTarget } from '../instance';

/** The roles Tempo's mixin selects on by `job="<namespace>/<role>"`. */
export enum TempoRole {
  DISTRIBUTOR = 'distributor',
  INGESTER = 'ingester',
  QUERIER = 'querier',
  QUERY_FRONTEND = 'query-frontend',
  COMPACTOR = 'compactor',
  METRICS_GENERATOR = 'metrics-generator',
}

/** Every role, in write-path then read-path order. */
export const TEMPO_ROLES: readonly TempoRole[] = [
  TempoRole.DISTRIBUTOR, TempoRole.INGESTER, TempoRole.METRICS_GENERATOR,
  TempoRole.QUERY_FRONTEND, TempoRole.QUERIER, TempoRole.COMPACTOR,
];

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
    return targets.find((t) => t.component === role) ?? (targets.length === 1 ? targets[0] : undefined);
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
