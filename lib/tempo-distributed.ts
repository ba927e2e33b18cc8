import { k8s } from './k8s/plus';
import { Construct } from 'constructs';
import { TempoCacheRole, TempoMemcached, TempoMemcachedProps, cacheRoleErrors, DEFAULT_CACHE_ROLES, memcachedClient, memcachedErrors, resolveMemcached } from './cache/memcached';
import { TempoCommonProps } from './common-props';
import { Compactor, CompactorProps } from './components/compactor';
import { componentErrors, TempoComponent } from './components/component';
import { Distributor, DistributorProps } from './components/distributor';
import { Ingester, INGESTER_ZONE_ENV, ingesterErrors, IngesterProps, resolveIngesters } from './components/ingester';
import { MetricsGenerator, MetricsGeneratorProps } from './components/metrics-generator';
import { Querier, QuerierProps } from './components/querier';
import { QueryFrontend, QueryFrontendProps } from './components/query-frontend';
import { TempoPorts } from './config/paths';
import { extraConfigErrors } from './config/owned-keys';
import { sizeErrors } from './config/units';
import { gatewayErrors, resolveGateway, TempoGateway, TempoGatewayProps } from './gateway/gateway';
import { ITempoInstance, receiverIngestEndpoint, TempoIngestEndpoint, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
import { disruptionBudget } from './k8s/disruption-budget';
import { gossipSelector, instanceSelector, LabelKeys, selectorLabels } from './k8s/labels';
import { storageClassNameErrors } from './k8s/validation';
import { defaultClusterLabel } from './k8s/names';
import { recordNameOptionBelow } from './k8s/unique-objects';
import { networkPolicyErrors, TempoNetworkPolicies } from './network/tempo-network-policies';
import { renderStackConfig, resolveStack, sharedObjects, stackErrors, throwIfInvalid } from './tempo-stack';
import { TempoVersion } from './version';

/** The memcached of a `TempoDistributed`. */
export interface TempoCacheProps extends Omit<TempoMemcachedProps, 'instanceName' | 'namespace' | 'partOf'> {
  /** Cache roles served by this memcached. @default DEFAULT_CACHE_ROLES (bloom, parquet-footer, frontend-search) */
  readonly roles?: readonly TempoCacheRole[];
}

/** The gateway of a `TempoDistributed`; the Services, receivers and multitenancy are derived. */
export type TempoDistributedGatewayProps = Omit<TempoGatewayProps, 'instanceName' | 'namespace' | 'partOf' | 'distributorServiceName' | 'queryFrontendServiceName' | 'queryFrontendPort' | 'receivers' | 'multitenancy'>;

/** Options of `TempoDistributed`. */
export interface TempoDistributedProps extends TempoCommonProps {
  /** The distributors. @default 1 replica */
  readonly distributor?: DistributorProps;
  /** The ingesters. @default 3 replicas, replication factor 3, 10Gi volumes */
  readonly ingester?: IngesterProps;
  /** The queriers. @default 1 replica */
  readonly querier?: QuerierProps;
  /** The query-frontend. @default 1 replica */
  readonly queryFrontend?: QueryFrontendProps;
  /** The compactor. @default 1 replica, 14 days retention */
  readonly compactor?: CompactorProps;
  /**
   * The metrics-generator; deployed when given, with span-metrics and
   * service-graphs enabled for every tenant.
   * @default not deployed
   */
  readonly metricsGenerator?: MetricsGeneratorProps;
  /**
   * A memcached for Tempo's caches (bloom filters, Parquet footers, frontend
   * search by default), wired into `cache.caches`.
   * @default no cache
   */
  readonly cache?: TempoCacheProps;
  /**
   * An nginx gateway in front of the distributor and the query-frontend,
   * with optional basic auth and tenant header handling.
   * @default no gateway
   */
  readonly gateway?: TempoDistributedGatewayProps;
  /**
   * Memberlist cluster label: gossip from another Tempo (or Loki, Mimir)
   * ring with a different label is ignored.
   * @default `<name>.<namespace>` (`<name>` without a namespace), cut to 63 characters for long namespaces
   */
  readonly clusterLabel?: string;
}

/**
 * Grafana Tempo in microservices mode: distributor, ingester, querier,
 * query-frontend, compactor and (optionally) metrics-generator, wired
 * together: the gossip ring Service and `memberlist.join_members`, the
 * queriers' frontend address, ring replication against ingester replicas,
 * storage credentials on every pod. The configuration is checked against
 * Tempo's key schema for the chosen version at synth time.
 */
export class TempoDistributed extends Construct implements ITempoInstance {
  /** Instance name. */
  public readonly name: string;
  /** The Tempo release deployed. */
  public readonly version: TempoVersion;
  /** The distributors. */
  public readonly distributor: Distributor;
  /** The ingesters (the first StatefulSet when zone-aware). */
  public readonly ingester: Ingester;
  /** Every ingester StatefulSet: one, or one per zone. */
  public readonly ingesters: readonly Ingester[];
  /** The queriers. */
  public readonly querier: Querier;
  /** The query-frontend, with its discovery Service. */
  public readonly queryFrontend: QueryFrontend;
  /** The compactor. */
  public readonly compactor: Compactor;
  /** Present when `metricsGenerator` is given. */
  public readonly metricsGenerator?: MetricsGenerator;
  /** Every component. */
  public readonly components: readonly (Distributor | Ingester | Querier | QueryFrontend | Compactor | MetricsGenerator)[];
  /** The memcached, when `cache` is given. */
  public readonly memcached?: TempoMemcached;
  /** The gateway, when `gateway` is given. */
  public readonly gateway?: TempoGateway;
  /** Headless Service of the memberlist gossip ring. */
  public readonly gossipService: k8s.KubeService;
  /** The rendered tempo.yaml. */
  public readonly configText: string;
  /** The rendered runtime overrides.yaml. */
  public readonly runtimeOverridesText: string;
  /** Namespace of the chart, when set. */
  public readonly namespace?: string;
  /** The query-frontend Service's HTTP port (3200), where Grafana sends queries. */
  public readonly queryEndpoint: TempoServiceEndpoint;
  /** Every component, as a metrics target. */
  public readonly metricsTargets: readonly TempoMetricsTarget[];
  /** Whether the metrics-generator is deployed (`metricsGenerator` is given). */
  public readonly metricsGeneratorEnabled: boolean;
  /** Where applications send traces: the gateway when there is one, else the distributor. */
  public readonly ingestEndpoint: TempoIngestEndpoint;
  /** The distributor's own receivers, bypassing the gateway (for in-cluster probes such as `TempoVulture`). */
  public readonly receiverEndpoint: TempoIngestEndpoint;

  constructor(scope: Construct, id: string, props: TempoDistributedProps) {
    super(scope, id);
    // 1. Every default, decided once.
    const r = resolveStack(this, props, props.compactor?.retention, props.metricsGenerator);
    const { name, names, namespace } = r;
    const ingesterProps = props.ingester ?? {};
    const ingesters = resolveIngesters(ingesterProps);
    const clusterLabel = props.clusterLabel ?? defaultClusterLabel(name, namespace);
    const cacheProps = props.cache && { ...props.cache, instanceName: name, partOf: props.partOf };
    const cache = cacheProps && resolveMemcached(cacheProps, namespace);
    const cacheRoles = props.cache?.roles ?? DEFAULT_CACHE_ROLES;
    const gatewayProps = props.gateway && {
      ...props.gateway,
      instanceName: name,
      namespace,
      partOf: props.partOf,
      distributorServiceName: names.component('distributor'),
      queryFrontendServiceName: names.component('query-frontend'),
      queryFrontendPort: TempoPorts.HTTP,
      receivers: r.receivers,
      multitenancy: r.multitenancy,
    };
    const gateway = gatewayProps && resolveGateway(gatewayProps, namespace);

    // 2. One validation pass over every option, with the user's option paths.
    throwIfInvalid('TempoDistributed', name, [
      ...stackErrors(r, {
        requiresSharedStorage: true,
        retentionOption: 'compactor.retention',
        metricsGeneratorOption: 'metricsGenerator',
        derivedNames: names.distributed({
          zones: ingesters.zones,
          metricsGenerator: props.metricsGenerator !== undefined,
          cache: cache !== undefined,
          cacheSuffix: props.cache?.nameSuffix,
          gateway: gateway !== undefined,
        }),
        ingesterMaxBlockDuration: ingesterProps.maxBlockDuration,
        extraConfig: props.extraConfig,
      }),
      ...extraConfigErrors('extraConfig', props.extraConfig, { remoteWriteUrl: props.metricsGenerator?.remoteWriteUrl }),
      ...componentErrors('distributor', props.distributor ?? {}),
      ...componentErrors('ingester', ingesterProps),
      ...sizeErrors('ingester.storageSize', ingesterProps.storageSize),
      ...storageClassNameErrors('ingester.storageClassName', ingesterProps.storageClassName),
      ...ingesterErrors(ingesters),
      ...componentErrors('querier', props.querier ?? {}),
      ...componentErrors('queryFrontend', props.queryFrontend ?? {}),
      ...componentErrors('compactor', props.compactor ?? {}),
      ...(props.metricsGenerator ? [...componentErrors('metricsGenerator', props.metricsGenerator), ...sizeErrors('metricsGenerator.walSizeLimit', props.metricsGenerator.walSizeLimit)] : []),
      ...(props.clusterLabel !== undefined && !/^[A-Za-z0-9._-]{1,63}$/.test(props.clusterLabel)
        ? [`clusterLabel: "${props.clusterLabel}" is invalid; allowed: 1-63 characters of [A-Za-z0-9._-]`]
        : []),
      ...(cache && cacheProps ? [...memcachedErrors('cache', cacheProps, cache), ...cacheRoleErrors('cache.roles', r.version, cacheRoles)] : []),
      ...(gateway && gatewayProps ? gatewayErrors('gateway', gatewayProps, gateway) : []),
      ...networkPolicyErrors(props.networkPolicy, gateway !== undefined),
    ]);

    // 3. The configuration.
    const config = renderStackConfig(r, {
      ring: { kind: 'memberlist', joinMembers: [`dns+${names.gossipRing}:${TempoPorts.MEMBERLIST}`], clusterLabel },
      replicationFactor: ingesters.replicationFactor,
      frontendAddress: `${names.queryFrontendDiscovery}:${TempoPorts.GRPC}`,
      flushOnShutdown: ingesterProps.flushOnShutdown ?? true,
      ingesterMaxBlockDuration: ingesterProps.maxBlockDuration,
      caches: cache ? [{ roles: [...cacheRoles], memcached: memcachedClient(cache) }] : undefined,
      ingesterZoneEnv: ingesters.zones.length ? INGESTER_ZONE_ENV : undefined,
    }, props.extraConfig);

    // 4. The objects.
    const memcached = cacheProps ? new TempoMemcached(this, 'Memcached', cacheProps) : undefined;
    this.memcached = memcached;
    const context = sharedObjects(this, r, config, undefined);
    this.name = name;
    this.version = r.version;
    this.namespace = namespace;
    this.configText = config.configText;
    this.runtimeOverridesText = config.runtimeOverridesText;
    const receivers = r.receivers;
    const gen = props.metricsGenerator;
    const instanceLabels = r.instanceLabels;

    this.distributor = new Distributor(this, 'Distributor', context, receivers, props.distributor);
    const zones = ingesters.zones;
    this.ingesters = zones.length
      ? zones.map((zone) => new Ingester(this, `Ingester-${zone}`, context, ingesterProps, ingesters, zone))
      : [new Ingester(this, 'Ingester', context, ingesterProps, ingesters)];
    this.ingester = this.ingesters[0];
    this.querier = new Querier(this, 'Querier', context, props.querier);
    this.queryFrontend = new QueryFrontend(this, 'QueryFrontend', context, props.queryFrontend);
    this.compactor = new Compactor(this, 'Compactor', context, props.compactor);
    this.metricsGenerator = gen ? new MetricsGenerator(this, 'MetricsGenerator', context, gen) : undefined;
    this.components = [this.distributor, ...this.ingesters, this.querier, this.queryFrontend, this.compactor, ...(this.metricsGenerator ? [this.metricsGenerator] : [])];

    this.queryEndpoint = { serviceName: this.queryFrontend.serviceName, port: TempoPorts.HTTP, portName: 'http', podSelector: this.queryFrontend.selectorLabels };
    this.metricsTargets = metricsTargetsOf(this.components);
    this.metricsGeneratorEnabled = this.metricsGenerator !== undefined;

    if (zones.length && ingesters.replicas > 1 && ingesterProps.podDisruptionBudget !== false) {
      // One budget across all zones: the ring tolerates floor((RF-1)/2) missing copies, wherever they are.
      disruptionBudget(this, 'IngesterDisruptionBudget', names.component('ingester'), { ...instanceLabels, [LabelKeys.COMPONENT]: 'ingester' },
        selectorLabels(name, 'ingester'), Ingester.disruptionBudgetOf(ingesters.replicationFactor));
    }

    this.gateway = gatewayProps ? new TempoGateway(this, 'Gateway', gatewayProps) : undefined;

    const networkPolicy = props.networkPolicy?.enabled !== false;
    const gw = this.gateway;
    this.receiverEndpoint = receiverIngestEndpoint({ serviceName: this.distributor.serviceName, namespace, podSelector: this.distributor.selectorLabels, networkPolicy, tenantRequired: r.multitenancy }, receivers);
    this.ingestEndpoint = gw
      ? {
        serviceName: gw.serviceName,
        namespace,
        otlpGrpcPort: gw.otlpGrpcPort,
        otlpHttpPort: receivers.some((rc) => rc.name === 'otlp-http') ? gw.httpPort : undefined,
        podSelector: gw.selectorLabels,
        networkPolicy,
        tenantRequired: r.multitenancy,
        tenantFromCredentials: gw.tenantFromCredentials,
        basicAuth: gw.basicAuth,
      }
      : this.receiverEndpoint;

    if (networkPolicy) {
      new TempoNetworkPolicies(this, 'NetworkPolicies', {
        instanceName: name,
        labels: instanceLabels,
        tempoSelector: instanceSelector(name),
        ingest: { selector: this.distributor.selectorLabels, ports: receivers.map((rc) => ({ port: rc.port, protocol: rc.protocol })) },
        query: { selector: this.queryFrontend.selectorLabels, ports: [{ port: TempoPorts.HTTP, protocol: 'TCP' }] },
        storage: context.storage,
        remoteWriteUrl: gen?.remoteWriteUrl,
        cache: memcached && {
          selector: memcached.selectorLabels,
          ports: [{ port: memcached.port, protocol: 'TCP' }],
          metricsPorts: memcached.metricsPort ? [{ port: memcached.metricsPort, protocol: 'TCP' }] : [],
        },
        gateway: this.gateway && {
          selector: this.gateway.selectorLabels,
          ports: [{ port: 8080, protocol: 'TCP' }, ...(this.gateway.otlpGrpcPort ? [{ port: 4317, protocol: 'TCP' as const }] : [])],
          forwards: receivers.filter((r) => this.gateway!.routes.some((route) => route.receiver === r.name) || (r.name === 'otlp-grpc' && this.gateway!.otlpGrpcPort))
            .map((r) => ({ port: r.port, protocol: r.protocol })),
        },
        options: props.networkPolicy ?? {},
      });
    }

    this.gossipService = new k8s.KubeService(this, 'GossipRing', {
      metadata: { name: names.gossipRing, labels: { ...instanceLabels, [LabelKeys.COMPONENT]: 'gossip-ring' } },
      spec: {
        clusterIp: 'None',
        // Members must find each other while starting, before they are ready.
        publishNotReadyAddresses: true,
        selector: gossipSelector(name),
        ports: [{ name: 'memberlist', port: TempoPorts.MEMBERLIST, targetPort: k8s.IntOrString.fromString('memberlist'), protocol: 'TCP' }],
      },
    });
    recordNameOptionBelow(this, 'TempoDistributed.name');
  }
}

/**
 * One metrics target per component: the zone StatefulSets of the ingesters
 * are one `ingester` target selecting all of them (the mixin's job is per
 * component, and one ServiceMonitor per component keeps names unique).
 */
function metricsTargetsOf(components: readonly TempoComponent[]): TempoMetricsTarget[] {
  const byComponent = new Map<string, TempoComponent[]>();
  for (const c of components) byComponent.set(c.component, [...(byComponent.get(c.component) ?? []), c]);
  return [...byComponent.entries()].map(([component, members]) => ({
    component,
    serviceNames: members.map((m) => m.serviceName),
    // The labels every member shares: the component's selector without e.g. the zone.
    selectorLabels: Object.fromEntries(Object.entries(members[0].selectorLabels).filter(([k, v]) => members.every((m) => m.selectorLabels[k] === v))),
  }));
}
