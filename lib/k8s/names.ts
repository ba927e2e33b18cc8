/**
 * Every object name the library derives, and the length limit of each.
 * Names are resource identities (public API): each is built here and nowhere
 * else, so a length check sees exactly what will be emitted.
 */

/** Kubernetes length limits of object names and label values. */
export const NameLimits = {
  /** RFC 1123 label: Services (and Namespaces), whose names become DNS labels. */
  DNS_LABEL: 63,
  /**
   * StatefulSets: each pod carries `controller-revision-hash: <name>-<10-character hash>`,
   * a label value of at most 63 characters.
   */
  STATEFUL_SET: 52,
  /** RFC 1123 subdomain: ConfigMaps, Secrets, ServiceAccounts, Deployments, PDBs, HPAs, NetworkPolicies. */
  DNS_SUBDOMAIN: 253,
  /** Label values (`app.kubernetes.io/instance` holds the instance name). */
  LABEL_VALUE: 63,
  /** Jobs: each pod is `<name>-<5 characters>`, a DNS label. */
  JOB: 57,
} as const;

/** A name the library will emit, with the limit its kind imposes. */
export interface DerivedName {
  /** What carries the name (`StatefulSet`, `Service`, ...), for messages. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
  /** Longest allowed length. */
  readonly limit: number;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The names of one Tempo instance's objects. */
export class TempoNames {
  constructor(public readonly instance: string) {}

  /** Workload and main Service of a component: `<instance>-<component>`. */
  public component(component: string): string {
    return `${this.instance}-${component}`;
  }

  /** StatefulSet and governing Service of the ingesters of one zone: `<instance>-ingester-<zone>`. */
  public ingesterZone(zone: string): string {
    return `${this.instance}-ingester-${zone}`;
  }

  /** StatefulSet and governing Service of Tempo 3's live-stores of one zone: `<instance>-live-store-<zone>`. */
  public liveStoreZone(zone: string): string {
    return `${this.instance}-live-store-${zone}`;
  }

  /** Deployment (and ServiceAccount, Role, RoleBinding) of the rollout-operator rolling the zone StatefulSets. */
  public get rolloutOperator(): string {
    return `${this.instance}-rollout-operator`;
  }

  /** `rollout-group` label value of a component's zone StatefulSets. */
  public rolloutGroup(component: string): string {
    return `${this.instance}-${component}`;
  }

  /** PreSync Job (and its ServiceAccount, Role, RoleBinding) applying volume claim template changes. */
  public get storageChange(): string {
    return `${this.instance}-storage-change`;
  }

  /** Headless Service the queriers' frontend workers resolve. */
  public get queryFrontendDiscovery(): string {
    return `${this.instance}-query-frontend-discovery`;
  }

  /** Headless Service of the memberlist gossip ring. */
  public get gossipRing(): string {
    return `${this.instance}-gossip-ring`;
  }

  /** ConfigMap holding tempo.yaml. */
  public get config(): string {
    return `${this.instance}-config`;
  }

  /** ConfigMap holding the runtime overrides.yaml. */
  public get runtimeConfig(): string {
    return `${this.instance}-runtime`;
  }

  /** ServiceAccount of every Tempo pod. */
  public get serviceAccount(): string {
    return this.instance;
  }

  /** The single binary's StatefulSet. */
  public get singleBinary(): string {
    return this.instance;
  }

  /** A NetworkPolicy of the instance (`internal`, `ingest`, `query`, `cache`, `gateway`). */
  public networkPolicy(purpose: string): string {
    return `${this.instance}-${purpose}`;
  }

  /** StatefulSet and headless Service of a memcached (`nameSuffix` for a second one). */
  public memcached(suffix?: string): string {
    return memcachedName(this.instance, suffix);
  }

  /** Deployment and Service of the gateway. */
  public get gateway(): string {
    return `${this.instance}-gateway`;
  }

  /** ConfigMap holding the gateway's nginx.conf. */
  public get gatewayConfig(): string {
    return `${this.gateway}-config`;
  }

  /** Ingress, HTTPRoute or GRPCRoute of the instance's exposure (`http`, `grpc`): `<instance>-<protocol>`. */
  public exposure(protocol: 'http' | 'grpc'): string {
    return `${this.instance}-${protocol}`;
  }

  /** Secret cert-manager writes the exposure's certificate to, unless the user names one. */
  public get ingressTlsSecret(): string {
    return `${this.instance}-ingress-tls`;
  }

  /** ServiceMonitor of one component (`TempoServiceMonitors`). */
  public serviceMonitor(component: string): string {
    return this.component(component);
  }

  /** PrometheusRule of `TempoAlerts` when it is given no name. */
  public get alerts(): string {
    return `${this.instance}-alerts`;
  }

  /** ConfigMap or GrafanaDatasource of a `TempoDatasource`; `uidPart` (the uid as a name part) for a non-default uid. */
  public datasource(uidPart?: string): string {
    return uidPart === undefined ? `${this.instance}-datasource` : `${this.instance}-datasource-${uidPart}`;
  }

  /** NetworkPolicy letting one instrumented workload reach the instance's receivers, within 253 characters. */
  public ingestFrom(workload: string): string {
    return `${this.instance}-ingest-from-${workload}`.slice(0, NameLimits.DNS_SUBDOMAIN).replace(/[-.]+$/, '');
  }

  /** OpenTelemetry Operator `Instrumentation` of a `TempoInstrumentation` when it is given no name. */
  public get instrumentation(): string {
    return `${this.instance}-instrumentation`;
  }

  /** Secret (and cert-manager Certificate) of one TLS purpose: `<instance>-receivers-tls`, `<instance>-internal-tls`. */
  public tlsSecret(purpose: 'receivers' | 'internal'): string {
    return `${this.instance}-${purpose}-tls`;
  }

  /** Deployment, Service, ServiceMonitor and NetworkPolicy of a `TempoVulture`; its PrometheusRule adds `-alerts`. */
  public get vulture(): string {
    return `${this.instance}-vulture`;
  }

  /** Every name a `TempoDistributed` derives with these options, with its limit. */
  public distributed(o: DistributedNameOptions): DerivedName[] {
    const tempo3 = o.liveStoreZones !== undefined;
    const stateless = ['distributor', 'querier', 'query-frontend', tempo3 ? 'backend-worker' : 'compactor', ...(o.metricsGenerator === 'deployment' ? ['metrics-generator'] : [])];
    const stateful = tempo3
      ? [...(o.liveStoreZones ?? []).map((z) => this.liveStoreZone(z)), this.component('block-builder'), this.component('backend-scheduler')]
      : o.zones.length ? o.zones.map((z) => this.ingesterZone(z)) : [this.component('ingester')];
    return [
      ...stateless.flatMap((c) => serviceNames(this.component(c))),
      ...stateful.flatMap((n) => statefulSetNames(n)),
      ...(o.metricsGenerator === 'statefulset' ? statefulSetNames(this.component('metrics-generator')) : []),
      ...serviceNames(this.queryFrontendDiscovery),
      ...serviceNames(this.gossipRing),
      ...subdomainNames('ConfigMap', this.config, this.runtimeConfig),
      ...subdomainNames('ServiceAccount', this.serviceAccount),
      ...subdomainNames('NetworkPolicy', ...['internal', 'ingest', 'query', 'cache', 'gateway'].map((p) => this.networkPolicy(p))),
      ...(o.cache ? statefulSetNames(this.memcached(o.cacheSuffix)) : []),
      ...(o.gateway ? [...serviceNames(this.gateway), ...subdomainNames('ConfigMap', this.gatewayConfig)] : []),
      ...(o.storageChange ? [{ kind: 'Job', name: this.storageChange, limit: NameLimits.JOB }] : []),
      ...(o.rolloutOperator ? [
        ...subdomainNames('Deployment', this.rolloutOperator),
        ...subdomainNames('ServiceAccount', this.rolloutOperator),
        { kind: 'label rollout-group', name: this.rolloutGroup(tempo3 ? 'live-store' : 'ingester'), limit: NameLimits.LABEL_VALUE },
      ] : []),
    ];
  }

  /** Every name a `TempoMonolithic` derives from the instance name, with its limit. */
  public monolithic(o: { readonly storageChange?: boolean } = {}): DerivedName[] {
    return [
      ...(o.storageChange ? [{ kind: 'Job', name: this.storageChange, limit: NameLimits.JOB }] : []),
      { kind: 'StatefulSet', name: this.singleBinary, limit: NameLimits.STATEFUL_SET },
      ...subdomainNames('ConfigMap', this.config, this.runtimeConfig),
      ...subdomainNames('ServiceAccount', this.serviceAccount),
      ...subdomainNames('NetworkPolicy', ...['internal', 'ingest', 'query'].map((p) => this.networkPolicy(p))),
    ];
  }
}

/** The options of a `TempoDistributed` that change which names it derives. */
export interface DistributedNameOptions {
  /** Ingester zones (one StatefulSet each), or none. */
  readonly zones: readonly string[];
  /** Tempo 3: live-store zones (one StatefulSet each); the instance then has no ingester and no compactor. @default a 2.x instance */
  readonly liveStoreZones?: readonly string[];
  /** Whether the metrics-generator is deployed, and as which workload (a StatefulSet with local-blocks). */
  readonly metricsGenerator: 'none' | 'deployment' | 'statefulset';
  /** Whether the rollout-operator is deployed. @default false */
  readonly rolloutOperator?: boolean;
  /** Whether a storage-change Job is emitted. @default false */
  readonly storageChange?: boolean;
  /** Whether a memcached is deployed. */
  readonly cache: boolean;
  /** The memcached's name suffix. @default none */
  readonly cacheSuffix?: string;
  /** Whether the gateway is deployed. */
  readonly gateway: boolean;
}

/** ConfigMap or GrafanaDashboard of one dashboard: `<prefix>-dashboard-<dashboard>` (the prefix is the instance name or the uid prefix). */
export function dashboardName(prefix: string, dashboard: string): string {
  return `${prefix}-dashboard-${dashboard}`;
}

/** The bucket Job of a DevMinio. */
export function minioJobName(minio: string): string {
  return `${minio}-create-buckets`;
}

/** StatefulSet and headless Service of a memcached: `<instance>-memcached[-<suffix>]`. */
export function memcachedName(instance: string, suffix?: string): string {
  return `${instance}-memcached${suffix === undefined ? '' : `-${suffix}`}`;
}

/** A StatefulSet name and its governing Service of the same name. */
export function statefulSetNames(name: string): DerivedName[] {
  return [{ kind: 'StatefulSet', name, limit: NameLimits.STATEFUL_SET }, { kind: 'Service', name, limit: NameLimits.DNS_LABEL }];
}

/** A Deployment (or other object) name that is also a Service name. */
export function serviceNames(name: string): DerivedName[] {
  return [{ kind: 'Service', name, limit: NameLimits.DNS_LABEL }];
}

/** Names limited to a DNS subdomain (ConfigMaps, ServiceAccounts, PDBs, HPAs, NetworkPolicies). */
export function subdomainNames(kind: string, ...names: string[]): DerivedName[] {
  return names.map((name) => ({ kind, name, limit: NameLimits.DNS_SUBDOMAIN }));
}

/**
 * Errors for an instance name (`option`) given every name it derives: it must
 * be a DNS label, and short enough that the longest derived name fits its
 * limit. The allowed length is computed from the names actually derived
 * (zones and optional parts included), so the message states the real bound.
 */
export function instanceNameErrors(option: string, instance: string, derived: readonly DerivedName[]): string[] {
  const all: DerivedName[] = [{ kind: 'label app.kubernetes.io/instance', name: instance, limit: NameLimits.LABEL_VALUE }, ...derived];
  // Each derived name contains the instance name once; the rest is fixed by the options.
  const room = (d: DerivedName) => d.limit - (d.name.length - instance.length);
  const tightest = all.reduce((a, b) => (room(b) < room(a) ? b : a));
  const max = room(tightest);
  if (DNS_LABEL.test(instance) && instance.length <= max) return [];
  const over = all.find((d) => d.name.length > d.limit);
  const why = over ? ` (${over.kind} "${over.name}" would be ${over.name.length} characters; at most ${over.limit})` : '';
  if (max < 1) {
    return [`${option}: "${instance}" is invalid: ${tightest.kind} "${tightest.name}" exceeds ${tightest.limit} characters whatever the instance name; allowed: shorter names for what it derives from (e.g. zones)`];
  }
  return [`${option}: "${instance}" is invalid; allowed: a DNS label of at most ${max} characters (lower-case letters, digits, '-', starting with a letter)${why}`];
}

/** Errors for a name the user chose outright (e.g. a Service name), against its limit. */
export function objectNameErrors(option: string, d: DerivedName): string[] {
  return DNS_LABEL.test(d.name) && d.name.length <= d.limit
    ? []
    : [`${option}: "${d.name}" is invalid; allowed: a DNS label of at most ${d.limit} characters (lower-case letters, digits, '-', starting with a letter), as a ${d.kind} name`];
}

/**
 * The memberlist cluster label when the user sets none: `<name>.<namespace>`,
 * cut to 63 characters (and to an alphanumeric end) when the namespace is
 * long, so a valid configuration is never rejected for a value it did not set.
 */
export function defaultClusterLabel(instance: string, namespace: string | undefined): string {
  const full = namespace ? `${instance}.${namespace}` : instance;
  return full.length <= NameLimits.LABEL_VALUE ? full : full.slice(0, NameLimits.LABEL_VALUE).replace(/[-.]+$/, '');
}
