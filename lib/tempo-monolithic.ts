import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from './k8s/plus';
import { Construct } from 'constructs';
import { TempoCommonProps } from './common-props';
import { componentErrors, TempoComponent, TempoComponentContext, TempoComponentProps } from './components/component';
import { TempoPorts } from './config/paths';
import { TempoReceiver } from './config/receivers';
import { extraConfigErrors } from './config/owned-keys';
import { sizeErrors } from './config/units';
import { MetricsGeneratorSettings } from './config/tempo-config';
import { ITempoInstance, receiverIngestEndpoint, TempoIngestEndpoint, TempoMetricsTarget, TempoServiceEndpoint } from './instance';
import { instanceSelector } from './k8s/labels';
import { imageErrors, storageClassNameErrors } from './k8s/validation';
import { defaultDeployedManifests } from './stateful/deployed-manifests';
import {
  claimChanges, dataClaims, PlannedClaims, STORAGE_CHANGE_IMAGE, StatefulStorageProps, StorageChangeOptions, storageChangeErrors, storageChangeJob, storageChangeLabels,
} from './stateful/storage-change';
import { NameLimits, objectNameErrors, TempoNames } from './k8s/names';
import { recordNameOption, recordNameOptionBelow } from './k8s/unique-objects';
import { networkPolicyErrors, TempoNetworkPolicies } from './network/tempo-network-policies';
import { ExposureTarget, exposureErrors, exposurePolicy, TempoExposure, TempoExposureProps } from './exposure/exposure';
import { CertManagerCertificate, instanceCertificates } from './tls/certificate';
import { resolveTls } from './tls/tls';
import { renderStackConfig, resolveStack, sharedObjects, stackErrors, throwIfInvalid } from './tempo-stack';
import { imageVersionErrors, TempoVersion } from './version';

/** Options of `TempoMonolithic`. */
export interface TempoMonolithicProps extends TempoCommonProps, Omit<TempoComponentProps, 'replicas'>, StatefulStorageProps {
  /**
   * Name of the Service clients and Grafana use (`http://<serviceName>:3200`,
   * OTLP `http://<serviceName>:4317`).
   * @default the instance name (`tempo`)
   */
  readonly serviceName?: string;
  /** How long trace blocks are kept (`compactor.compaction.block_retention`). @default Duration.days(14) */
  readonly retention?: Duration;
  /** Size of the volume at /var/tempo (WAL, local blocks, generator WAL). @default Size.gibibytes(10) */
  readonly storageSize?: Size;
  /** StorageClass of the volume. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * Run the metrics-generator in the same process, writing span metrics and
   * service graphs to Prometheus.
   * @default off
   */
  readonly metricsGenerator?: MetricsGeneratorSettings;
  /**
   * Where the deployed manifests are read from, to catch a change of the volume's claim template
   * (`storageSize`, `storageClassName`) at synth; see `TempoDistributedProps.storageChanges`.
   * @default deployed manifests from Git under `cdk8s synth` (see `StorageChangeOptions.deployedManifests`)
   */
  readonly storageChanges?: StorageChangeOptions;
  /**
   * Expose the single binary outside the cluster through an Ingress or Gateway API routes: the query API and
   * the HTTP receivers, plus gRPC routes for OTLP gRPC and TraceQL streaming. The NetworkPolicies open the
   * exposed ports to the controller's pods.
   * @default not exposed (a ClusterIP Service only)
   */
  readonly exposure?: TempoExposureProps;
}

const COMPONENT = 'single-binary';

/**
 * Grafana Tempo as one process (`-target=all`) for small clusters: a
 * StatefulSet of one pod with a volume at /var/tempo (WAL, and the blocks
 * when storage is local) and a Service whose name you choose. The
 * configuration comes from the same model as `TempoDistributed`; only the
 * ring (in memory) and the absent query-frontend wiring differ.
 *
 * Identity: StatefulSet `<instance>`, claim template `data`; renaming loses data.
 *
 * Default resources: requests 500m CPU / 1Gi, memory limit 2Gi; grace period 5 minutes.
 */
export class TempoMonolithic extends Construct implements ITempoInstance {
  /** Instance name; also the name of the StatefulSet. */
  public readonly name: string;
  /** The Tempo release deployed. */
  public readonly version: TempoVersion;
  /** Namespace of the chart, when set. */
  public readonly namespace?: string;
  /** The workload and its Service. */
  public readonly server: TempoComponent;
  /** The rendered tempo.yaml. */
  public readonly configText: string;
  /** The rendered runtime overrides.yaml. */
  public readonly runtimeOverridesText: string;
  /** The single binary Service's HTTP port (3200), where Grafana sends queries. */
  public readonly queryEndpoint: TempoServiceEndpoint;
  /** The single binary (component `single-binary`), the only metrics target. */
  public readonly metricsTargets: readonly TempoMetricsTarget[];
  /** Whether the in-process metrics-generator runs (`metricsGenerator` is given). */
  public readonly metricsGeneratorEnabled: boolean;
  /** Where applications send traces: the single binary's Service. */
  public readonly ingestEndpoint: TempoIngestEndpoint;
  /** The same as `ingestEndpoint`: the single binary receives traces itself. */
  public readonly receiverEndpoint: TempoIngestEndpoint;
  /** The Argo CD PreSync Job applying a volume claim template change, when one and its `storageChange` are given. */
  public readonly storageChangeJob?: k8s.KubeJob;
  /** The Ingresses or Gateway API routes, when `exposure` is given. */
  public readonly exposure?: TempoExposure;
  /** The cert-manager Certificate of the receivers (`tls.receivers` with `TempoCertificate.certManager`). */
  public readonly certificates: readonly CertManagerCertificate[];

  constructor(scope: Construct, id: string, props: TempoMonolithicProps) {
    super(scope, id);
    // 1. Every default, decided once.
    const r = resolveStack(this, props, props.retention, props.metricsGenerator);
    const serviceName = props.serviceName ?? r.names.singleBinary;
    const claims = claimChanges(plannedClaims(props, r.names.singleBinary, r.storage?.backend), props.storageChanges?.deployedManifests ?? defaultDeployedManifests(this), r.namespace, r.names.storageChange);
    const exposureTarget: ExposureTarget = { instanceName: r.name, namespace: r.namespace, queryServiceName: serviceName, receiverServiceName: serviceName, receivers: r.receivers };
    const tls = resolveTls(props.tls, r.name, [COMPONENT], serviceName);

    // 2. One validation pass.
    throwIfInvalid('TempoMonolithic', r.name, [
      ...stackErrors(r, {
        requiresSharedStorage: false,
        retentionOption: 'retention',
        metricsGeneratorOption: 'metricsGenerator',
        derivedNames: r.names.monolithic({ storageChange: claims.changes.length > 0 }),
        extraConfig: props.extraConfig,
        tls: { options: props.tls, multiComponent: false, gateway: false, exposedIngest: props.exposure !== undefined && props.exposure.ingest !== false },
      }),
      ...(props.serviceName === undefined ? [] : objectNameErrors('serviceName', { kind: 'Service', name: props.serviceName, limit: NameLimits.DNS_LABEL })),
      ...componentErrors('', { ...props, replicas: undefined }),
      ...imageVersionErrors(r.version, [['image', props.image]]),
      ...extraConfigErrors('extraConfig', props.extraConfig, { remoteWriteUrl: props.metricsGenerator?.remoteWriteUrl }),
      ...networkPolicyErrors(props.networkPolicy, false),
      ...exposureErrors('exposure', props.exposure, exposureTarget),
      ...sizeErrors('storageSize', props.storageSize),
      ...storageClassNameErrors('storageClassName', props.storageClassName),
      ...storageChangeErrors('', props),
      ...imageErrors('storageChanges.jobImage', props.storageChanges?.jobImage),
      ...claims.errors,
    ]);

    // 3. The configuration: one process, so the rings live in memory and the querier finds the frontend in-process.
    const config = renderStackConfig(r, { ring: { kind: 'inmemory' }, replicationFactor: 1, tls }, props.extraConfig);

    // 4. The objects.
    const context = sharedObjects(this, r, config, undefined, [], tls);
    this.name = r.name;
    this.version = r.version;
    this.namespace = r.namespace;
    this.configText = config.configText;
    this.runtimeOverridesText = config.runtimeOverridesText;
    this.server = new SingleBinary(this, 'SingleBinary', context, r.receivers, serviceName, props);
    this.queryEndpoint = { serviceName: this.server.serviceName, port: TempoPorts.HTTP, portName: 'http', podSelector: this.server.selectorLabels };
    this.metricsTargets = [{ component: COMPONENT, serviceNames: [this.server.serviceName], selectorLabels: this.server.selectorLabels }];
    this.metricsGeneratorEnabled = props.metricsGenerator !== undefined;
    this.ingestEndpoint = receiverIngestEndpoint({
      serviceName: this.server.serviceName,
      namespace: this.namespace,
      podSelector: this.server.selectorLabels,
      networkPolicy: props.networkPolicy?.enabled !== false,
      tenantRequired: props.multitenancy ?? false,
    }, r.receivers);
    this.receiverEndpoint = this.ingestEndpoint;
    if (props.networkPolicy?.enabled !== false) {
      const selector = this.server.selectorLabels;
      new TempoNetworkPolicies(this, 'NetworkPolicies', {
        instanceName: this.name,
        labels: r.instanceLabels,
        tempoSelector: instanceSelector(this.name),
        ingest: { selector, ports: r.receivers.map((rc) => ({ port: rc.port, protocol: rc.protocol })) },
        query: { selector, ports: [{ port: TempoPorts.HTTP, protocol: 'TCP' }] },
        storage: context.storage,
        remoteWriteUrl: props.metricsGenerator?.remoteWriteUrl,
        exposure: props.exposure && exposurePolicy(exposureTarget, props.exposure),
        options: props.networkPolicy ?? {},
      });
    }
    this.storageChangeJob = claims.changes.length
      ? storageChangeJob(new Construct(this, 'StorageChange'), {
        name: r.names.storageChange,
        labels: storageChangeLabels(r.instanceLabels),
        targets: claims.changes.map((c) => ({ ...c, claimSelector: this.server.selectorLabels })),
        image: props.storageChanges?.jobImage ?? STORAGE_CHANGE_IMAGE,
      })
      : undefined;
    this.exposure = props.exposure && new TempoExposure(this, 'Exposure', { ...props.exposure, target: exposureTarget, labels: r.instanceLabels });
    this.certificates = tls ? instanceCertificates(this, { tls, labels: r.instanceLabels, namespace: r.namespace, receiverServices: [serviceName], internalServices: [], headlessServices: [] }) : [];
    if (props.serviceName !== undefined) recordNameOption(this.server.service, 'TempoMonolithic.serviceName');
    recordNameOptionBelow(this, 'TempoMonolithic.name');
  }
}

/**
 * The single binary's claim template as it will be synthesized. Recreating its volume always loses traces:
 * local storage keeps the blocks there, and the single binary does not flush its WAL on shutdown.
 */
function plannedClaims(props: TempoMonolithicProps, statefulSet: string, backend: string | undefined): PlannedClaims[] {
  const claims = dataClaims(props.storageSize ?? Size.gibibytes(10), props.storageClassName);
  const recreateLoss = backend === 'local'
    ? 'the trace blocks are on that volume (TempoStorage.local()); allowed: StorageChange.EXPAND, or a new instance'
    : 'the single binary does not flush its WAL on shutdown, so traces not yet in object storage would be lost; allowed: StorageChange.EXPAND';
  return claims ? [{ option: '', statefulSet, claims, choice: props.storageChange, recreateLoss }] : [];
}

/** The single-binary workload: every component in one pod. */
class SingleBinary extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, receivers: readonly TempoReceiver[], serviceName: string, props: TempoMonolithicProps) {
    super(scope, id, context, {
      component: COMPONENT,
      target: 'all',
      workloadName: new TempoNames(context.instanceName).singleBinary,
      containerName: 'tempo',
      workloadKind: 'StatefulSet',
      ringMember: false,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.minutes(5),
      liveness: false,
      extraPorts: receivers.map((r) => ({ name: r.name, port: r.port, protocol: r.protocol })),
      persistentData: { size: props.storageSize ?? Size.gibibytes(10), storageClassName: props.storageClassName, retentionPolicy: props.persistentVolumeClaimRetentionPolicy },
      serviceKind: 'ClusterIP',
      serviceName,
      serviceExposesGrpc: false,
    }, { ...props, replicas: 1 });
  }
}
