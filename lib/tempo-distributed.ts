import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TempoCommonProps } from './common-props';
import { Compactor, CompactorProps } from './components/compactor';
import { Distributor, DistributorProps } from './components/distributor';
import { Ingester, INGESTER_ZONE_ENV, IngesterProps } from './components/ingester';
import { MetricsGenerator, MetricsGeneratorProps } from './components/metrics-generator';
import { Querier, QuerierProps } from './components/querier';
import { QueryFrontend, QueryFrontendProps } from './components/query-frontend';
import { TempoPorts } from './config/paths';
import { gossipSelector, instanceSelector, LabelKeys, selectorLabels } from './k8s/labels';
import { TempoNetworkPolicies } from './network/tempo-network-policies';
import { disruptionBudget } from './k8s/disruption-budget';
import { recordNameOptionBelow } from './k8s/unique-objects';
import { TempoCacheRole, TempoMemcached, TempoMemcachedProps } from './cache/memcached';
import { TempoGateway, TempoGatewayProps } from './gateway/gateway';
import { ITempoInstance, receiverIngestEndpoint, TempoIngestEndpoint, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
import { TempoFoundation } from './tempo-foundation';
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
   * @default `<name>.<namespace>` (`<name>` without a namespace)
   */
  readonly clusterLabel?: string;
}

function gossipServiceName(instance: string): string {
  return `${instance}-gossip-ring`;
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

  constructor(scope: Construct, id: string, props: TempoDistributedProps) {
    super(scope, id);
    const ingesterProps = props.ingester ?? {};
    const instanceName = props.name ?? 'tempo';
    // The cache is created first: its address goes into tempo.yaml.
    const memcached = props.cache
      ? new TempoMemcached(this, 'Memcached', { ...props.cache, instanceName, partOf: props.partOf })
      : undefined;
    this.memcached = memcached;
    const foundation = new TempoFoundation(this, 'Foundation', props, {
      constructName: 'TempoDistributed',
      longestNameSuffix: '-query-frontend-discovery',
      requiresSharedStorage: true,
      retentionOption: 'compactor.retention',
      retention: props.compactor?.retention,
      metricsGenerator: props.metricsGenerator,
      metricsGeneratorOption: 'metricsGenerator',
      wiring: (name, namespace) => {
        const errors: string[] = [];
        const replicas = ingesterProps.replicas ?? Ingester.DEFAULT_REPLICAS;
        const replicationFactor = Ingester.replicationFactorOf(ingesterProps);
        if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
          errors.push(`ingester.replicationFactor: ${replicationFactor} is invalid; allowed: an integer >= 1`);
        } else if (replicationFactor > replicas) {
          errors.push(`ingester.replicationFactor: ${replicationFactor} is above ingester.replicas (${replicas}); allowed: 1 to ${replicas}, or more ingester replicas (writes need floor(RF/2)+1 healthy ingesters)`);
        }
        const zones = ingesterProps.zones;
        if (zones) {
          const invalid = zones.filter((z) => !/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(z));
          if (invalid.length) errors.push(`ingester.zones: ${invalid.map((z) => `"${z}"`).join(', ')} invalid; allowed: zone names of at most 20 lower-case letters, digits and '-' (values of topology.kubernetes.io/zone)`);
          if (new Set(zones).size !== zones.length) errors.push(`ingester.zones: ${zones.join(', ')} has duplicates; allowed: distinct zones`);
          if (zones.length < replicationFactor) errors.push(`ingester.zones: ${zones.length} zones for replication factor ${replicationFactor}; allowed: at least ${replicationFactor} zones, so every copy lands in a different zone`);
          if (zones.length && replicas % zones.length !== 0) errors.push(`ingester.replicas: ${replicas} does not divide evenly over ${zones.length} zones; allowed: a multiple of ${zones.length}`);
        }
        const clusterLabel = props.clusterLabel ?? (namespace ? `${name}.${namespace}` : name);
        if (!/^[A-Za-z0-9._-]{1,63}$/.test(clusterLabel)) errors.push(`clusterLabel: "${clusterLabel}" is invalid; allowed: 1-63 characters of [A-Za-z0-9._-]`);
        return {
          errors,
          ring: { kind: 'memberlist', joinMembers: [`dns+${gossipServiceName(name)}:${TempoPorts.MEMBERLIST}`], clusterLabel },
          replicationFactor,
          frontendAddress: `${QueryFrontend.discoveryServiceNameOf(name)}:${TempoPorts.GRPC}`,
          flushOnShutdown: ingesterProps.flushOnShutdown ?? true,
          ingesterMaxBlockDuration: ingesterProps.maxBlockDuration,
          caches: memcached ? [memcached.cacheConfig(props.version ?? TempoVersion.V2_6_1, props.cache?.roles)] : undefined,
          ingesterZoneEnv: zones?.length ? INGESTER_ZONE_ENV : undefined,
        };
      },
    });
    const { name, context } = foundation;
    this.name = name;
    this.version = foundation.version;
    this.namespace = foundation.namespace;
    this.configText = foundation.configText;
    this.runtimeOverridesText = foundation.runtimeOverridesText;
    const receivers = foundation.receivers;
    const gen = props.metricsGenerator;
    const instanceLabels = foundation.instanceLabels;

    this.distributor = new Distributor(this, 'Distributor', context, receivers, props.distributor);
    const zones = ingesterProps.zones ?? [];
    const ingesterReplicas = ingesterProps.replicas ?? Ingester.DEFAULT_REPLICAS;
    this.ingesters = zones.length
      ? zones.map((zone) => new Ingester(this, `Ingester-${zone}`, context, ingesterProps, { name: zone, replicas: ingesterReplicas / zones.length }))
      : [new Ingester(this, 'Ingester', context, ingesterProps)];
    this.ingester = this.ingesters[0];
    this.querier = new Querier(this, 'Querier', context, props.querier);
    this.queryFrontend = new QueryFrontend(this, 'QueryFrontend', context, props.queryFrontend);
    this.compactor = new Compactor(this, 'Compactor', context, props.compactor);
    this.metricsGenerator = gen ? new MetricsGenerator(this, 'MetricsGenerator', context, gen) : undefined;
    this.components = [this.distributor, ...this.ingesters, this.querier, this.queryFrontend, this.compactor, ...(this.metricsGenerator ? [this.metricsGenerator] : [])];

    this.queryEndpoint = { serviceName: this.queryFrontend.serviceName, port: TempoPorts.HTTP, portName: 'http' };
    this.metricsTargets = this.components.map((c) => ({ component: c.component, serviceName: c.serviceName, selectorLabels: c.selectorLabels }));
    this.metricsGeneratorEnabled = this.metricsGenerator !== undefined;

    if (zones.length && ingesterReplicas > 1 && ingesterProps.podDisruptionBudget !== false) {
      // One budget across all zones: the ring tolerates floor((RF-1)/2) missing copies, wherever they are.
      disruptionBudget(this, 'IngesterDisruptionBudget', `${name}-ingester`, { ...instanceLabels, [LabelKeys.COMPONENT]: 'ingester' },
        selectorLabels(name, 'ingester'), Ingester.disruptionBudgetOf(Ingester.replicationFactorOf(ingesterProps)));
    }

    this.gateway = props.gateway
      ? new TempoGateway(this, 'Gateway', {
        ...props.gateway,
        instanceName: name,
        namespace: this.namespace,
        partOf: props.partOf,
        distributorServiceName: this.distributor.serviceName,
        queryFrontendServiceName: this.queryFrontend.serviceName,
        queryFrontendPort: TempoPorts.HTTP,
        receivers,
        multitenancy: props.multitenancy ?? false,
      })
      : undefined;

    const networkPolicy = props.networkPolicy?.enabled !== false;
    const multitenancy = props.multitenancy ?? false;
    const gateway = this.gateway;
    this.ingestEndpoint = gateway
      ? {
        serviceName: gateway.serviceName,
        namespace: this.namespace,
        otlpGrpcPort: gateway.otlpGrpcPort,
        otlpHttpPort: receivers.some((r) => r.name === 'otlp-http') ? gateway.httpPort : undefined,
        podSelector: gateway.selectorLabels,
        networkPolicy,
        tenantRequired: multitenancy,
        tenantFromCredentials: gateway.tenantFromCredentials,
        basicAuth: gateway.basicAuth,
      }
      : receiverIngestEndpoint({ serviceName: this.distributor.serviceName, namespace: this.namespace, podSelector: this.distributor.selectorLabels, networkPolicy, tenantRequired: multitenancy }, receivers);

    // The optional pieces get the same rule as the components: a budget as soon as more than one pod runs.
    for (const extra of [memcached, this.gateway]) {
      if (extra && extra.replicas > 1) disruptionBudget(extra, 'DisruptionBudget', extra.name, extra.labels, extra.selectorLabels, 1);
    }

    if (props.networkPolicy?.enabled !== false) {
      new TempoNetworkPolicies(this, 'NetworkPolicies', {
        instanceName: name,
        labels: instanceLabels,
        tempoSelector: instanceSelector(name),
        ingest: { selector: this.distributor.selectorLabels, ports: receivers.map((r) => ({ port: r.port, protocol: r.protocol })) },
        query: { selector: this.queryFrontend.selectorLabels, ports: [{ port: TempoPorts.HTTP, protocol: 'TCP' }] },
        storage: foundation.storage,
        remoteWriteUrl: gen?.remoteWriteUrl,
        cache: memcached && {
          selector: memcached.selectorLabels,
          ports: [{ port: memcached.port, protocol: 'TCP' }],
          metricsPorts: memcached.metricsPort ? [{ port: memcached.metricsPort, protocol: 'TCP' }] : [],
        },
        gateway: this.gateway && {
          selector: this.gateway.selectorLabels,
          ports: [{ port: 8080, protocol: 'TCP' }, ...(this.gateway.otlpGrpcPort ? [{ port: 4317, protocol: 'TCP' as const }] : [])],
        },
        options: props.networkPolicy ?? {},
      });
    }

    this.gossipService = new k8s.KubeService(this, 'GossipRing', {
      metadata: { name: gossipServiceName(name), labels: { ...instanceLabels, [LabelKeys.COMPONENT]: 'gossip-ring' } },
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
