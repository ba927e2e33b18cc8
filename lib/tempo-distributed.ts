import { Size } from 'cdk8s';
import { k8s } from './k8s/plus';
import { Construct } from 'constructs';
import { TempoCacheRole, TempoMemcached, TempoMemcachedProps, cacheRoleErrors, DEFAULT_CACHE_ROLES, memcachedClient, memcachedErrors, resolveMemcached } from './cache/memcached';
import { TempoCommonProps } from './common-props';
import { architectureErrors, resolveTempo3, tempo3Errors } from './architecture';
import { BackendScheduler, BackendSchedulerProps } from './components/backend-scheduler';
import { BackendWorker, BackendWorkerProps } from './components/backend-worker';
import { BlockBuilder, BlockBuilderProps } from './components/block-builder';
import { Compactor, CompactorProps } from './components/compactor';
import { componentErrors, TempoComponent } from './components/component';
import { Distributor, DistributorProps } from './components/distributor';
import { Ingester, INGESTER_ZONE_ENV, ingesterErrors, IngesterProps, resolveIngesters } from './components/ingester';
import { LIVE_STORE_ZONE_ENV, LiveStore, LiveStoreProps } from './components/live-store';
import { MetricsGenerator, MetricsGeneratorProps, metricsGeneratorVolumeErrors } from './components/metrics-generator';
import { Querier, QuerierProps } from './components/querier';
import { QueryFrontend, QueryFrontendProps } from './components/query-frontend';
import { TempoPorts } from './config/paths';
import { runsLocalBlocks } from './config/tempo-config';
import { extraConfigErrors } from './config/owned-keys';
import { sizeErrors } from './config/units';
import { GATEWAY_PORTS, gatewayErrors, gatewayRoutes, resolveGateway, TempoGateway, TempoGatewayProps } from './gateway/gateway';
import { ExposureTarget, exposureErrors, exposurePolicy, TempoExposure, TempoExposureProps } from './exposure/exposure';
import { kafkaPort, resolveKafka, TempoIngestProps } from './ingest/kafka';
import { ITempoInstance, receiverIngestEndpoint, TempoExporterTarget, TempoIngestEndpoint, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
import { disruptionBudget } from './k8s/disruption-budget';
import { gossipSelector, instanceSelector, LabelKeys, selectorLabels } from './k8s/labels';
import { imageErrors, storageClassNameErrors } from './k8s/validation';
import { defaultClusterLabel, TempoNames } from './k8s/names';
import { recordNameOptionBelow } from './k8s/unique-objects';
import { OPTION_PATH, TempoWorkloadCustomizationProps } from './k8s/customization';
import { NetworkPeer } from './network/network-peer';
import { networkPolicyErrors, TempoNetworkPolicies } from './network/tempo-network-policies';
import { renderStackConfig, resolveStack, sharedObjects, stackErrors, throwIfInvalid } from './tempo-stack';
import { CertManagerCertificate, instanceCertificates } from './tls/certificate';
import { resolveTls, serviceDnsNames } from './tls/tls';
import { imageVersionErrors, TempoVersion } from './version';
import { defaultDeployedManifests } from './stateful/deployed-manifests';
import {
  ClaimChange, claimChanges, dataClaims, PlannedClaims, STORAGE_CHANGE_IMAGE, StorageChangeOptions, storageChangeErrors, storageChangeJob, storageChangeLabels,
} from './stateful/storage-change';
import {
  ROLLOUT_OPERATOR_IMAGE, RolloutOperator, rolloutOperatorLabels, ZoneRollout, ZoneRolloutOptions, zoneRolloutErrors, zoneRolloutSpec,
} from './stateful/zone-rollout';

/** The memcached of a `TempoDistributed`. */
export interface TempoCacheProps extends Omit<TempoMemcachedProps, 'instanceName' | 'namespace' | 'partOf'> {
  /** Cache roles served by this memcached. @default DEFAULT_CACHE_ROLES (bloom, parquet-footer, frontend-search) */
  readonly roles?: readonly TempoCacheRole[];
}

/** The gateway of a `TempoDistributed`; the Services, receivers and multitenancy are derived. */
export type TempoDistributedGatewayProps = Omit<TempoGatewayProps, 'instanceName' | 'namespace' | 'partOf' | 'distributorServiceName' | 'queryFrontendServiceName' | 'queryFrontendPort' | 'receivers' | 'multitenancy'>;

/** Component options that carry their own `image`, in both architectures. */
const COMPONENT_OPTIONS = ['distributor', 'ingester', 'querier', 'queryFrontend', 'compactor', 'metricsGenerator', 'liveStore', 'blockBuilder', 'backendScheduler', 'backendWorker'] as const;

/** Options of `TempoDistributed`. */
export interface TempoDistributedProps extends TempoCommonProps {
  /** The distributors. @default 1 replica */
  readonly distributor?: DistributorProps;
  /** Tempo 2.x: the ingesters (3.x refuses them and names `liveStore`/`blockBuilder`). @default 3 replicas, replication factor 3, 10Gi volumes */
  readonly ingester?: IngesterProps;
  /** The queriers. @default 1 replica */
  readonly querier?: QuerierProps;
  /** The query-frontend. @default 1 replica */
  readonly queryFrontend?: QueryFrontendProps;
  /** Tempo 2.x: the compactor (3.x refuses it and names `backendWorker`). @default 1 replica, 14 days retention */
  readonly compactor?: CompactorProps;
  /**
   * Tempo 3.x: the Kafka cluster distributors write spans to (required on
   * 3.x, refused on 2.x). See `TempoKafka.strimzi()` and `DevKafka`.
   * @default none (2.x)
   */
  readonly ingest?: TempoIngestProps;
  /** Tempo 3.x: the live-stores (recent traces, one StatefulSet per zone). @default zones zone-a and zone-b, one live-store per partition in each */
  readonly liveStore?: LiveStoreProps;
  /** Tempo 3.x: the block-builders (blocks from Kafka to storage). @default one per partition */
  readonly blockBuilder?: BlockBuilderProps;
  /** Tempo 3.x: the backend scheduler (one pod with a 1Gi volume). @default defaults of `BackendSchedulerProps` */
  readonly backendScheduler?: BackendSchedulerProps;
  /** Tempo 3.x: the backend workers (compaction and retention). @default 1 replica, 14 days retention */
  readonly backendWorker?: BackendWorkerProps;
  /**
   * The metrics-generator; deployed when given, with span-metrics,
   * service-graphs and (2.x) local-blocks (TraceQL metrics) enabled for every tenant.
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
  /**
   * Changes of the StatefulSets' volume claim templates (`storageSize`, `storageClassName` of the ingesters,
   * live-stores, metrics-generator, backend scheduler): where the deployed manifests are read from, compared at
   * synth; a change fails the synth unless the component's `storageChange` names how to apply it.
   * @default deployed manifests from Git under `cdk8s synth` (see `StorageChangeOptions.deployedManifests`)
   */
  readonly storageChanges?: StorageChangeOptions;
  /**
   * How the zone StatefulSets (zone-aware ingesters on 2.x, live-stores on 3.x) roll: one zone at a time.
   * `ZoneRollout.ROLLOUT_OPERATOR` deploys Grafana's rollout-operator (`<name>-rollout-operator`) and sets the
   * zone StatefulSets to `OnDelete` with its `rollout-group` label; `ZoneRollout.ON_DELETE` leaves the order to you.
   * Only with zones.
   * @default ZoneRollout.ROLLOUT_OPERATOR when there are zone StatefulSets
   */
  readonly zoneRollout?: ZoneRolloutOptions;
  /**
   * Expose the instance outside the cluster through an Ingress or Gateway API routes: the gateway when there
   * is one, else the query-frontend and the distributor's HTTP receivers (plus gRPC routes for OTLP gRPC and
   * TraceQL streaming). The NetworkPolicies open the exposed ports to the controller's pods.
   * @default not exposed (ClusterIP Services only)
   */
  readonly exposure?: TempoExposureProps;
}

/**
 * Grafana Tempo in microservices mode, wired together: the gossip ring
 * Service and `memberlist.join_members`, the queriers' frontend address,
 * storage credentials on every pod. The configuration is checked against
 * Tempo's key schema for the chosen version at synth time.
 *
 * Tempo 2.x: distributor, ingesters (ring replication against their
 * replicas), querier, query-frontend, compactor and (optionally)
 * metrics-generator. Tempo 3.x: distributor writing to Kafka (`ingest`),
 * live-stores per zone, block-builders (replicas checked against the
 * partitions), backend scheduler and workers, querier, query-frontend and
 * (optionally) metrics-generator; no ingester or compactor. Options of the
 * other architecture are refused with what replaces them.
 */
export class TempoDistributed extends Construct implements ITempoInstance {
  /** Instance name. */
  public readonly name: string;
  /** The Tempo release deployed. */
  public readonly version: TempoVersion;
  /** The distributors. */
  public readonly distributor: Distributor;
  /** Tempo 2.x: the ingesters (the first StatefulSet when zone-aware: customize every zone through `ingesters`). */
  public readonly ingester?: Ingester;
  /** Tempo 2.x: every ingester StatefulSet, one or one per zone (none on 3.x). */
  public readonly ingesters: readonly Ingester[];
  /** Tempo 3.x: the live-store StatefulSets, one per zone (none on 2.x). */
  public readonly liveStores: readonly LiveStore[];
  /** Tempo 3.x: the block-builders. */
  public readonly blockBuilder?: BlockBuilder;
  /** Tempo 3.x: the backend scheduler. */
  public readonly backendScheduler?: BackendScheduler;
  /** Tempo 3.x: the backend workers. */
  public readonly backendWorker?: BackendWorker;
  /** The queriers. */
  public readonly querier: Querier;
  /** The query-frontend, with its discovery Service. */
  public readonly queryFrontend: QueryFrontend;
  /** Tempo 2.x: the compactor. */
  public readonly compactor?: Compactor;
  /** Present when `metricsGenerator` is given. */
  public readonly metricsGenerator?: MetricsGenerator;
  /** Every component. */
  public readonly components: readonly TempoComponent[];
  /** The memcached, when `cache` is given. */
  public readonly memcached?: TempoMemcached;
  /** The gateway, when `gateway` is given. */
  public readonly gateway?: TempoGateway;
  /** Headless Service of the memberlist gossip ring. */
  public readonly gossipService: k8s.KubeService;
  /** The cert-manager Certificates the library creates (`tls` with `TempoCertificate.certManager`). */
  public readonly certificates: readonly CertManagerCertificate[];
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
  /** The Ingresses or Gateway API routes, when `exposure` is given. */
  public readonly exposure?: TempoExposure;
  /** The memcached's and the gateway's exporters, when they run. */
  public readonly exporterTargets: readonly TempoExporterTarget[];
  /** The rollout-operator rolling the zone StatefulSets one zone at a time (`zoneRollout`), when deployed. */
  public readonly rolloutOperator?: RolloutOperator;
  /** The Argo CD PreSync Job applying volume claim template changes, when a change and its `storageChange` are given. */
  public readonly storageChangeJob?: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: TempoDistributedProps) {
    super(scope, id);
    // 1. Every default, decided once.
    const stack = resolveStack(this, props, undefined, props.metricsGenerator);
    const tempo3 = stack.version.kafkaArchitecture;
    // The compactor keeps blocks for the retention on 2.x, the backend workers on 3.x.
    const r = { ...stack, retention: (tempo3 ? props.backendWorker?.retention : props.compactor?.retention) ?? stack.retention };
    const { name, names, namespace } = r;
    const ingesterProps = tempo3 ? {} : props.ingester ?? {};
    const ingesters = resolveIngesters(ingesterProps);
    const t3 = resolveTempo3(props);
    const clusterLabel = props.clusterLabel ?? defaultClusterLabel(name, namespace);
    // The stack's registry and pull secrets reach the memcached and the gateway through their own props.
    const shared = (own: TempoWorkloadCustomizationProps, option: string) => ({
      imageRegistry: own.imageRegistry ?? props.imageRegistry,
      imagePullSecrets: props.imagePullSecrets || own.imagePullSecrets ? [...props.imagePullSecrets ?? [], ...own.imagePullSecrets ?? []] : undefined,
      [OPTION_PATH]: option,
    });
    const cacheProps = props.cache && { ...props.cache, instanceName: name, partOf: props.partOf, ...shared(props.cache, 'cache') };
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
      ...shared(props.gateway, 'gateway'),
    };
    const gateway = gatewayProps && resolveGateway(gatewayProps, namespace);
    const architecture = architectureErrors(r.version, props);
    const deployed = props.storageChanges?.deployedManifests ?? defaultDeployedManifests(this);
    const zoned = tempo3 ? t3.zones.length > 0 : ingesters.zones.length > 0;
    const rollout = props.zoneRollout ?? {};
    const rolloutOperator = zoned && (rollout.strategy ?? ZoneRollout.ROLLOUT_OPERATOR) === ZoneRollout.ROLLOUT_OPERATOR;
    const claims = claimChanges(plannedClaims(props, names, ingesters.zones, tempo3 ? t3.zones : undefined), deployed, namespace, names.storageChange);
    const exposureTarget: ExposureTarget = {
      instanceName: name,
      namespace,
      gateway: gateway && {
        serviceName: gateway.name,
        httpPort: GATEWAY_PORTS.serviceHttp,
        podHttpPort: GATEWAY_PORTS.podHttp,
        otlpGrpcPort: gateway.otlpGrpc ? GATEWAY_PORTS.otlpGrpc : undefined,
        routes: gatewayRoutes(gateway.receivers),
      },
      queryServiceName: names.component('query-frontend'),
      receiverServiceName: names.component('distributor'),
      receivers: r.receivers,
    };
    // Internal clients dial pod IPs (from the rings) and verify this name, which the internal certificate carries.
    const tls = resolveTls(props.tls, name, ['distributor'], serviceDnsNames(names.gossipRing, namespace, props.tls?.clusterDomain ?? 'cluster.local').slice(-1)[0]);

    // 2. One validation pass over every option, with the user's option paths.
    throwIfInvalid('TempoDistributed', name, [
      ...stackErrors(r, {
        requiresSharedStorage: true,
        retentionOption: tempo3 ? 'backendWorker.retention' : 'compactor.retention',
        metricsGeneratorOption: 'metricsGenerator',
        derivedNames: names.distributed({
          zones: ingesters.zones,
          liveStoreZones: tempo3 ? t3.zones : undefined,
          metricsGenerator: props.metricsGenerator === undefined ? 'none' : runsLocalBlocks(props.metricsGenerator, stack.version) ? 'statefulset' : 'deployment',
          cache: cache !== undefined,
          cacheSuffix: props.cache?.nameSuffix,
          gateway: gateway !== undefined,
          storageChange: claims.changes.length > 0,
          rolloutOperator,
        }),
        ingesterMaxBlockDuration: ingesterProps.maxBlockDuration,
        extraConfig: props.extraConfig,
        tls: { options: props.tls, multiComponent: true, gateway: gateway !== undefined, exposedIngest: !gateway && props.exposure !== undefined && props.exposure.ingest !== false },
      }),
      ...extraConfigErrors('extraConfig', props.extraConfig, { remoteWriteUrl: props.metricsGenerator?.remoteWriteUrl }),
      ...architecture,
      ...componentErrors('distributor', props.distributor ?? {}),
      ...imageVersionErrors(r.version, [['image', props.image], ...COMPONENT_OPTIONS.map((o) => [`${o}.image`, props[o]?.image] as const)]),
      ...(tempo3
        ? [
          ...tempo3Errors(t3, props),
          ...componentErrors('liveStore', props.liveStore ?? {}),
          ...sizeErrors('liveStore.storageSize', props.liveStore?.storageSize),
          ...storageClassNameErrors('liveStore.storageClassName', props.liveStore?.storageClassName),
          ...componentErrors('blockBuilder', props.blockBuilder ?? {}),
          ...sizeErrors('blockBuilder.walSizeLimit', props.blockBuilder?.walSizeLimit),
          ...componentErrors('backendScheduler', props.backendScheduler ?? {}),
          ...sizeErrors('backendScheduler.storageSize', props.backendScheduler?.storageSize),
          ...storageClassNameErrors('backendScheduler.storageClassName', props.backendScheduler?.storageClassName),
          ...componentErrors('backendWorker', props.backendWorker ?? {}),
        ]
        : [
          ...componentErrors('ingester', ingesterProps),
          ...sizeErrors('ingester.storageSize', ingesterProps.storageSize),
          ...storageClassNameErrors('ingester.storageClassName', ingesterProps.storageClassName),
          ...ingesterErrors(ingesters),
          ...componentErrors('compactor', props.compactor ?? {}),
        ]),
      ...componentErrors('querier', props.querier ?? {}),
      ...componentErrors('queryFrontend', props.queryFrontend ?? {}),
      ...(props.metricsGenerator ? [...componentErrors('metricsGenerator', props.metricsGenerator), ...metricsGeneratorVolumeErrors('metricsGenerator', props.metricsGenerator, stack.version)] : []),
      ...(props.clusterLabel !== undefined && !/^[A-Za-z0-9._-]{1,63}$/.test(props.clusterLabel)
        ? [`clusterLabel: "${props.clusterLabel}" is invalid; allowed: 1-63 characters of [A-Za-z0-9._-]`]
        : []),
      ...(cache && cacheProps ? [...memcachedErrors('cache', cacheProps, cache), ...cacheRoleErrors('cache.roles', r.version, cacheRoles)] : []),
      ...(gateway && gatewayProps ? gatewayErrors('gateway', gatewayProps, gateway) : []),
      ...networkPolicyErrors(props.networkPolicy, gateway !== undefined),
      ...STATEFUL_OPTIONS.flatMap((o) => storageChangeErrors(o, props[o])),
      ...imageErrors('storageChanges.jobImage', props.storageChanges?.jobImage),
      ...claims.errors,
      ...zoneRolloutErrors('zoneRollout', props.zoneRollout, zoned, tempo3 ? 'liveStore.zones' : 'ingester.zones'),
      ...imageErrors('zoneRollout.operatorImage', rollout.operatorImage),
      ...exposureErrors('exposure', props.exposure, exposureTarget),
    ]);

    // 3. The configuration.
    const kafkaProps = props.ingest?.kafka;
    const kafka = tempo3 && kafkaProps ? resolveKafka(kafkaProps, t3.blockBuilders) : undefined;
    const config = renderStackConfig(r, {
      ring: { kind: 'memberlist', joinMembers: [`dns+${names.gossipRing}:${TempoPorts.MEMBERLIST}`], clusterLabel },
      replicationFactor: ingesters.replicationFactor,
      frontendAddress: `${names.queryFrontendDiscovery}:${TempoPorts.GRPC}`,
      flushOnShutdown: tempo3 ? undefined : ingesterProps.flushOnShutdown ?? true,
      ingesterMaxBlockDuration: ingesterProps.maxBlockDuration,
      caches: cache ? [{ roles: [...cacheRoles], memcached: memcachedClient(cache) }] : undefined,
      ingesterZoneEnv: ingesters.zones.length ? INGESTER_ZONE_ENV : undefined,
      kafka: kafka?.settings,
      backendSchedulerAddress: tempo3 ? `${names.component('backend-scheduler')}:${TempoPorts.GRPC}` : undefined,
      liveStoreZoneEnv: tempo3 ? LIVE_STORE_ZONE_ENV : undefined,
      tls,
    }, props.extraConfig);

    // 4. The objects.
    const memcached = cacheProps ? new TempoMemcached(this, 'Memcached', cacheProps) : undefined;
    this.memcached = memcached;
    const context = sharedObjects(this, r, config, undefined, kafka?.secretEnv, tls);
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
    this.ingesters = tempo3 ? [] : zones.length
      ? zones.map((zone) => new Ingester(this, `Ingester-${zone}`, context, ingesterProps, ingesters, zone,
        zoneRolloutSpec(rollout, names.rolloutGroup('ingester'), ingesters.replicas / zones.length)))
      : [new Ingester(this, 'Ingester', context, ingesterProps, ingesters)];
    this.ingester = this.ingesters[0];
    const liveStoreProps = props.liveStore ?? {};
    this.liveStores = tempo3 ? t3.zones.map((zone) => new LiveStore(this, `LiveStore-${zone}`, context, liveStoreProps, zone, t3.liveStoresPerZone,
      zoneRolloutSpec(rollout, names.rolloutGroup('live-store'), t3.liveStoresPerZone))) : [];
    this.blockBuilder = tempo3 ? new BlockBuilder(this, 'BlockBuilder', context, props.blockBuilder ?? {}, t3.blockBuilders) : undefined;
    this.backendScheduler = tempo3 ? new BackendScheduler(this, 'BackendScheduler', context, props.backendScheduler) : undefined;
    this.backendWorker = tempo3 ? new BackendWorker(this, 'BackendWorker', context, props.backendWorker) : undefined;
    this.querier = new Querier(this, 'Querier', context, props.querier);
    this.queryFrontend = new QueryFrontend(this, 'QueryFrontend', context, props.queryFrontend);
    this.compactor = tempo3 ? undefined : new Compactor(this, 'Compactor', context, props.compactor);
    this.metricsGenerator = gen ? new MetricsGenerator(this, 'MetricsGenerator', context, gen) : undefined;
    this.components = [
      this.distributor, ...this.ingesters, ...this.liveStores,
      ...[this.blockBuilder, this.backendScheduler, this.backendWorker].filter((c): c is BlockBuilder | BackendScheduler | BackendWorker => c !== undefined),
      this.querier, this.queryFrontend, ...(this.compactor ? [this.compactor] : []), ...(this.metricsGenerator ? [this.metricsGenerator] : []),
    ];

    this.queryEndpoint = { serviceName: this.queryFrontend.serviceName, port: TempoPorts.HTTP, portName: 'http', podSelector: this.queryFrontend.selectorLabels };
    this.metricsTargets = metricsTargetsOf(this.components);
    this.metricsGeneratorEnabled = this.metricsGenerator !== undefined;

    if (!tempo3 && zones.length && ingesters.replicas > 1 && ingesterProps.podDisruptionBudget !== false) {
      // One budget across all zones: the ring tolerates floor((RF-1)/2) missing copies, wherever they are.
      disruptionBudget(this, 'IngesterDisruptionBudget', names.component('ingester'), { ...instanceLabels, [LabelKeys.COMPONENT]: 'ingester' },
        selectorLabels(name, 'ingester'), Ingester.disruptionBudgetOf(ingesters.replicationFactor));
    }

    if (tempo3 && t3.zones.length * t3.liveStoresPerZone > 1 && liveStoreProps.podDisruptionBudget !== false) {
      // One live-store down at a time across all zones: every partition keeps a live copy in another zone.
      // (Taking a whole zone down at once needs the rollout-operator's zone-aware budget, a CRD.)
      disruptionBudget(this, 'LiveStoreDisruptionBudget', names.component('live-store'), { ...instanceLabels, [LabelKeys.COMPONENT]: 'live-store' },
        selectorLabels(name, 'live-store'), 1);
    }

    this.gateway = gatewayProps ? new TempoGateway(this, 'Gateway', gatewayProps) : undefined;

    this.exporterTargets = [
      ...(memcached?.metricsPort ? [{ component: 'memcached', serviceName: memcached.name, selectorLabels: memcached.selectorLabels, portName: 'http-metrics' }] : []),
      ...(this.gateway?.metricsPort ? [{ component: 'gateway', serviceName: this.gateway.serviceName, selectorLabels: this.gateway.selectorLabels, portName: 'http-metrics' }] : []),
    ];

    const networkPolicy = props.networkPolicy?.enabled !== false;
    const gw = this.gateway;
    this.receiverEndpoint = receiverIngestEndpoint({ serviceName: this.distributor.serviceName, namespace, podSelector: this.distributor.selectorLabels, networkPolicy, tenantRequired: r.multitenancy }, receivers);
    this.ingestEndpoint = gw
      ? {
        serviceName: gw.serviceName,
        namespace,
        otlpGrpcPort: gw.otlpGrpcPort,
        otlpHttpPort: receivers.some((rc) => rc.name === 'otlp-http') ? gw.httpPort : undefined,
        otlpHttpPodPort: receivers.some((rc) => rc.name === 'otlp-http') ? gw.httpPodPort : undefined,
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
        kafka: kafkaProps && tempo3
          ? { ports: [{ port: kafkaPort(kafkaProps.address), protocol: 'TCP' }], peers: kafkaProps.networkPeers ?? [NetworkPeer.anywhere()] }
          : undefined,
        cache: memcached && {
          selector: memcached.selectorLabels,
          ports: [{ port: memcached.port, protocol: 'TCP' }],
          metricsPorts: memcached.metricsPort ? [{ port: memcached.metricsPort, protocol: 'TCP' }] : [],
        },
        gateway: this.gateway && {
          selector: this.gateway.selectorLabels,
          ports: [{ port: 8080, protocol: 'TCP' }, ...(this.gateway.otlpGrpcPort ? [{ port: 4317, protocol: 'TCP' as const }] : [])],
          metricsPorts: this.gateway.metricsPort ? [{ port: this.gateway.metricsPort, protocol: 'TCP' }] : [],
          forwards: receivers.filter((r) => this.gateway!.routes.some((route) => route.receiver === r.name) || (r.name === 'otlp-grpc' && this.gateway!.otlpGrpcPort))
            .map((r) => ({ port: r.port, protocol: r.protocol })),
        },
        exposure: props.exposure && exposurePolicy(exposureTarget, props.exposure),
        options: props.networkPolicy ?? {},
      });
    }
    this.exposure = props.exposure && new TempoExposure(this, 'Exposure', { ...props.exposure, target: exposureTarget, labels: instanceLabels });

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
    if (rolloutOperator) {
      const { labels, selector } = rolloutOperatorLabels(instanceLabels);
      this.rolloutOperator = new RolloutOperator(this, 'RolloutOperator', { name: names.rolloutOperator, labels, selector, image: rollout.operatorImage ?? ROLLOUT_OPERATOR_IMAGE,
        imageRegistry: props.imageRegistry, imagePullSecrets: props.imagePullSecrets });
    }
    // After the components: the Job selects the claims by their labels.
    this.storageChangeJob = claims.changes.length
      ? storageChangeJob(new Construct(this, 'StorageChange'), {
        name: names.storageChange,
        labels: storageChangeLabels(instanceLabels),
        targets: changeTargets(this.components, claims.changes),
        image: props.storageChanges?.jobImage ?? STORAGE_CHANGE_IMAGE,
      })
      : undefined;
    this.certificates = tls ? instanceCertificates(this, {
      tls,
      labels: instanceLabels,
      namespace,
      receiverServices: [this.distributor.serviceName],
      internalServices: [...new Set([...this.components.map((c) => c.serviceName), names.queryFrontendDiscovery, names.gossipRing])],
      headlessServices: [...new Set([...this.components.filter((c) => c.service.toJson().spec?.clusterIP === 'None').map((c) => c.serviceName), names.queryFrontendDiscovery, names.gossipRing])],
    }) : [];
    recordNameOptionBelow(this, 'TempoDistributed.name');
  }
}

/** The StatefulSet of each `storageChange` target, and the labels its claims carry. */
function changeTargets(components: readonly TempoComponent[], changes: readonly ClaimChange[]) {
  return changes.map((c) => ({ ...c, claimSelector: components.find((m) => m.name === c.statefulSet)!.selectorLabels }));
}

/** Components whose StatefulSets have claim templates. */
const STATEFUL_OPTIONS = ['ingester', 'liveStore', 'metricsGenerator', 'backendScheduler'] as const;

/** The claim templates every StatefulSet will have, from the options (before any object exists). */
function plannedClaims(props: TempoDistributedProps, names: TempoNames, ingesterZones: readonly string[], liveStoreZones: readonly string[] | undefined): PlannedClaims[] {
  const plan = (option: typeof STATEFUL_OPTIONS[number], statefulSets: readonly string[], size: Size | undefined, fallback: Size, recreateLoss?: string): PlannedClaims[] => {
    const o = props[option];
    const c = dataClaims(size ?? fallback, o?.storageClassName);
    return c ? statefulSets.map((statefulSet) => ({ option, statefulSet, claims: c, choice: o?.storageChange, recreateLoss })) : [];
  };
  const generator = props.metricsGenerator && runsLocalBlocks(props.metricsGenerator, props.version ?? TempoVersion.DEFAULT)
    ? plan('metricsGenerator', [names.component('metrics-generator')], props.metricsGenerator.storageSize, Size.gibibytes(10))
    : [];
  if (liveStoreZones) {
    return [
      ...plan('liveStore', liveStoreZones.map((z) => names.liveStoreZone(z)), props.liveStore?.storageSize, Size.gibibytes(10)),
      ...plan('backendScheduler', [names.component('backend-scheduler')], props.backendScheduler?.storageSize, Size.gibibytes(1)),
      ...generator,
    ];
  }
  const ingester = props.ingester;
  return [
    ...plan('ingester', ingesterZones.length ? ingesterZones.map((z) => names.ingesterZone(z)) : [names.component('ingester')], ingester?.storageSize, Size.gibibytes(10),
      ingester?.flushOnShutdown === false ? 'ingester.flushOnShutdown is false, so traces not yet in storage would be lost; allowed: flushOnShutdown true (the default) while the claims are recreated, or StorageChange.EXPAND' : undefined),
    ...generator,
  ];
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
