import { Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TempoCommonProps } from './common-props';
import { Compactor, CompactorProps } from './components/compactor';
import { TempoComponentContext } from './components/component';
import { Distributor, DistributorProps } from './components/distributor';
import { Ingester, IngesterProps } from './components/ingester';
import { MetricsGenerator, MetricsGeneratorProps } from './components/metrics-generator';
import { Querier, QuerierProps } from './components/querier';
import { QueryFrontend, QueryFrontendProps } from './components/query-frontend';
import { TempoPorts } from './config/paths';
import { defaultReceivers, receiverErrors } from './config/receivers';
import { durationError } from './config/units';
import { buildTempoConfig, LogFormat, LogLevel, renderRuntimeOverrides, renderTempoConfig } from './config/tempo-config';
import { gossipSelector, LabelKeys, labelErrors } from './k8s/labels';
import { ITempoInstance, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
import { TempoSharedResources } from './shared-resources';
import { TempoVersion } from './version';

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
   * Memberlist cluster label: gossip from another Tempo (or Loki, Mimir)
   * ring with a different label is ignored.
   * @default `<name>.<namespace>` (`<name>` without a namespace)
   */
  readonly clusterLabel?: string;
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// `<name>-query-frontend-discovery` is the longest name derived and must stay a DNS label (63).
const MAX_NAME_LENGTH = 63 - '-query-frontend-discovery'.length;

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
  public readonly version: TempoVersion;
  public readonly distributor: Distributor;
  public readonly ingester: Ingester;
  public readonly querier: Querier;
  public readonly queryFrontend: QueryFrontend;
  public readonly compactor: Compactor;
  /** Present when `metricsGenerator` is given. */
  public readonly metricsGenerator?: MetricsGenerator;
  /** Every component. */
  public readonly components: readonly (Distributor | Ingester | Querier | QueryFrontend | Compactor | MetricsGenerator)[];
  /** Headless Service of the memberlist gossip ring. */
  public readonly gossipService: k8s.KubeService;
  /** The rendered tempo.yaml. */
  public readonly configText: string;
  /** The rendered runtime overrides.yaml. */
  public readonly runtimeOverridesText: string;
  public readonly namespace?: string;
  public readonly queryEndpoint: TempoServiceEndpoint;
  public readonly metricsTargets: readonly TempoMetricsTarget[];
  public readonly metricsGeneratorEnabled: boolean;

  constructor(scope: Construct, id: string, props: TempoDistributedProps) {
    super(scope, id);
    const name = props.name ?? 'tempo';
    const version = props.version ?? TempoVersion.V2_6_1;
    const namespace = Chart.of(this).namespace;
    this.name = name;
    this.version = version;
    this.namespace = namespace;

    const receivers = props.receivers ?? defaultReceivers();
    const ingesterProps = props.ingester ?? {};
    const ingesterReplicas = ingesterProps.replicas ?? Ingester.DEFAULT_REPLICAS;
    const replicationFactor = Ingester.replicationFactorOf(ingesterProps);
    const storage = props.storage.bind();
    const gen = props.metricsGenerator;
    const clusterLabel = props.clusterLabel ?? (namespace ? `${name}.${namespace}` : name);

    const errors: string[] = [];
    if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) {
      errors.push(`name: "${name}" is invalid; allowed: a DNS label of at most ${MAX_NAME_LENGTH} characters (lower-case letters, digits, '-', starting with a letter)`);
    }
    if (!storage.shared) {
      errors.push(`storage: the ${storage.backend} backend keeps blocks on one pod's disk, which distributed components cannot share; allowed: Storage.s3(), Storage.gcs() or Storage.azure() (or use TempoMonolithic)`);
    }
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
      errors.push(`ingester.replicationFactor: ${replicationFactor} is invalid; allowed: an integer >= 1`);
    } else if (replicationFactor > ingesterReplicas) {
      errors.push(`ingester.replicationFactor: ${replicationFactor} is above ingester.replicas (${ingesterReplicas}); allowed: 1 to ${ingesterReplicas}, or more ingester replicas (writes need floor(RF/2)+1 healthy ingesters)`);
    }
    if (gen && !/^https?:\/\/[^\s/]+/.test(gen.remoteWriteUrl ?? '')) {
      errors.push(`metricsGenerator.remoteWriteUrl: "${gen.remoteWriteUrl ?? ''}" is invalid; allowed: an http(s) URL of a Prometheus remote-write endpoint (required when the metrics-generator is deployed)`);
    }
    const retention = props.compactor?.retention ?? Duration.days(14);
    const retentionError = durationError('compactor.retention', retention, Duration.hours(1));
    if (retentionError) errors.push(retentionError);
    if (!/^[A-Za-z0-9._-]{1,63}$/.test(clusterLabel)) errors.push(`clusterLabel: "${clusterLabel}" is invalid; allowed: 1-63 characters of [A-Za-z0-9._-]`);
    errors.push(...labelErrors('partOf', { [LabelKeys.PART_OF]: props.partOf ?? 'tempo' }));
    errors.push(...receiverErrors(receivers, version, [TempoPorts.HTTP, TempoPorts.GRPC, TempoPorts.MEMBERLIST]));
    if (errors.length) throw new Error(`TempoDistributed "${name}":\n  ${errors.join('\n  ')}`);

    const queryFrontendName = `${name}-query-frontend`;
    const gossipServiceName = `${name}-gossip-ring`;
    const configDoc = buildTempoConfig({
      version,
      multitenancy: props.multitenancy ?? false,
      logLevel: props.logLevel ?? LogLevel.INFO,
      logFormat: props.logFormat ?? LogFormat.LOGFMT,
      ring: { kind: 'memberlist', joinMembers: [`dns+${gossipServiceName}:${TempoPorts.MEMBERLIST}`], clusterLabel },
      receivers,
      storage,
      replicationFactor,
      frontendAddress: `${queryFrontendName}-discovery:${TempoPorts.GRPC}`,
      retention,
      metricsGenerator: gen,
      extraConfig: props.extraConfig,
    });
    this.configText = renderTempoConfig(configDoc, version);
    this.runtimeOverridesText = renderRuntimeOverrides({}, version);

    const partOf = props.partOf ?? 'tempo';
    const instanceLabels = {
      [LabelKeys.NAME]: 'tempo',
      [LabelKeys.INSTANCE]: name,
      [LabelKeys.PART_OF]: partOf,
      [LabelKeys.VERSION]: version.version,
      [LabelKeys.MANAGED_BY]: 'cdk8s-tempo',
    };
    const shared = new TempoSharedResources(this, 'Shared', {
      instanceName: name,
      configText: this.configText,
      runtimeOverridesText: this.runtimeOverridesText,
      storage,
      labels: instanceLabels,
    });
    const context: TempoComponentContext = {
      instanceName: name,
      version,
      image: props.image ?? version.image,
      configMapName: shared.configMapName,
      runtimeConfigMapName: shared.runtimeConfigMapName,
      configText: this.configText,
      storage,
      serviceAccountName: shared.serviceAccountName,
      mountServiceAccountToken: shared.mountServiceAccountToken,
      partOf,
    };

    this.distributor = new Distributor(this, 'Distributor', context, receivers, props.distributor);
    this.ingester = new Ingester(this, 'Ingester', context, ingesterProps);
    this.querier = new Querier(this, 'Querier', context, props.querier);
    this.queryFrontend = new QueryFrontend(this, 'QueryFrontend', context, props.queryFrontend);
    this.compactor = new Compactor(this, 'Compactor', context, props.compactor);
    this.metricsGenerator = gen ? new MetricsGenerator(this, 'MetricsGenerator', context, gen) : undefined;
    this.components = [this.distributor, this.ingester, this.querier, this.queryFrontend, this.compactor, ...(this.metricsGenerator ? [this.metricsGenerator] : [])];

    this.queryEndpoint = { serviceName: this.queryFrontend.serviceName, port: TempoPorts.HTTP, portName: 'http' };
    this.metricsTargets = this.components.map((c) => ({ component: c.component, serviceName: c.serviceName, selectorLabels: c.selectorLabels }));
    this.metricsGeneratorEnabled = this.metricsGenerator !== undefined;

    this.gossipService = new k8s.KubeService(this, 'GossipRing', {
      metadata: { name: gossipServiceName, labels: { ...instanceLabels, [LabelKeys.COMPONENT]: 'gossip-ring' } },
      spec: {
        clusterIp: 'None',
        // Members must find each other while starting, before they are ready.
        publishNotReadyAddresses: true,
        selector: gossipSelector(name),
        ports: [{ name: 'memberlist', port: TempoPorts.MEMBERLIST, targetPort: k8s.IntOrString.fromString('memberlist'), protocol: 'TCP' }],
      },
    });
  }
}
