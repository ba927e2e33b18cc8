import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { TempoCommonProps } from './common-props';
import { TempoComponentContext } from './components/component';
import { TempoPorts } from './config/paths';
import { defaultReceivers, receiverErrors, TempoReceiver } from './config/receivers';
import { buildTempoConfig, defaultOverrides, LogFormat, LogLevel, MetricsGeneratorSettings, renderRuntimeOverrides, renderTempoConfig, RingDiscovery } from './config/tempo-config';
import { perTenantOverrides, tenantIdErrors, tenantLimitsErrors } from './config/tenant-limits';
import { describeDuration, durationError } from './config/units';
import { LabelKeys, labelErrors } from './k8s/labels';
import { TempoSharedResources } from './shared-resources';
import type { StorageBinding } from './storage/storage';
import { TempoVersion } from './version';

/** What a deployment mode decides once the instance name and namespace are known. */
export interface TempoModeWiring {
  /** Mode-specific validation errors (option: value; allowed: ...). */
  readonly errors: readonly string[];
  /** How ring members find each other (memberlist, or in memory in a single process). */
  readonly ring: RingDiscovery;
  /** Ingester ring replication factor. */
  readonly replicationFactor: number;
  /** gRPC address (`host:port`) of the query-frontend for querier workers; absent in the single binary. */
  readonly frontendAddress?: string;
  /** Longest time a block stays in an ingester. */
  readonly ingesterMaxBlockDuration?: Duration;
  /** Ingester flushes everything to storage on shutdown. */
  readonly flushOnShutdown?: boolean;
  /** Environment variable ingesters read their zone from (zone-aware replication). */
  readonly ingesterZoneEnv?: string;
  /** `cache.caches` entries. */
  readonly caches?: readonly Record<string, unknown>[];
}

/** How a deployment mode uses the shared foundation. */
export interface TempoModeSpec {
  /** Construct name used in error messages (`TempoDistributed`). */
  readonly constructName: string;
  /** Suffix of the longest object name the mode derives from the instance name (63-character limit). */
  readonly longestNameSuffix: string;
  /** Whether the storage must be shared object storage. */
  readonly requiresSharedStorage: boolean;
  /** Option path of the retention, for messages (`compactor.retention`). */
  readonly retentionOption: string;
  /** How long blocks are kept; 14 days when absent. */
  readonly retention?: Duration;
  /** The metrics-generator settings, when it runs. */
  readonly metricsGenerator?: MetricsGeneratorSettings;
  /** Option path of the metrics-generator, for messages. */
  readonly metricsGeneratorOption: string;
  /** The mode's ring, replication and extra settings, and its validation errors, from the instance name and the chart's namespace. */
  readonly wiring: (name: string, namespace: string | undefined) => TempoModeWiring;
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * What every Tempo deployment mode shares: option resolution and validation,
 * the rendered configuration (checked against the key schema), the
 * ConfigMaps and ServiceAccount, and the context components are built from.
 * `TempoDistributed` and `TempoMonolithic` differ only in their `TempoModeSpec`.
 */
export class TempoFoundation extends Construct {
  /** Instance name (`tempo` unless `name` is given). */
  public readonly name: string;
  /** The Tempo release (`TempoVersion.V2_6_1` unless `version` is given). */
  public readonly version: TempoVersion;
  /** Namespace of the chart, when set. */
  public readonly namespace?: string;
  /** Enabled receivers (OTLP gRPC and HTTP unless `receivers` is given). */
  public readonly receivers: readonly TempoReceiver[];
  /** The bound storage. */
  public readonly storage: StorageBinding;
  /** The rendered tempo.yaml, checked against the version's key schema. */
  public readonly configText: string;
  /** The rendered runtime overrides.yaml, checked against the overrides key schema. */
  public readonly runtimeOverridesText: string;
  /** Labels of the instance's shared objects (no component). */
  public readonly instanceLabels: Readonly<Record<string, string>>;
  /** Context for the components. */
  public readonly context: TempoComponentContext;

  constructor(scope: Construct, id: string, props: TempoCommonProps, mode: TempoModeSpec) {
    super(scope, id);
    const name = props.name ?? 'tempo';
    const version = props.version ?? TempoVersion.V2_6_1;
    const namespace = Chart.of(this).namespace;
    const receivers = props.receivers ?? defaultReceivers();
    const storage = props.storage.bind();
    const retention = mode.retention ?? Duration.days(14);
    const gen = mode.metricsGenerator;
    const partOf = props.partOf ?? 'tempo';
    const wiring = mode.wiring(name, namespace);

    const maxName = 63 - mode.longestNameSuffix.length;
    const errors: string[] = [];
    if (!NAME.test(name) || name.length > maxName) {
      errors.push(`name: "${name}" is invalid; allowed: a DNS label of at most ${maxName} characters (lower-case letters, digits, '-', starting with a letter)`);
    }
    if (mode.requiresSharedStorage && !storage.shared) {
      errors.push(`storage: the ${storage.backend} backend keeps blocks on one pod's disk, which distributed components cannot share; allowed: Storage.s3(), Storage.gcs() or Storage.azure() (or use TempoMonolithic)`);
    }
    if (gen && !/^https?:\/\/[^\s/]+/.test(gen.remoteWriteUrl ?? '')) {
      errors.push(`${mode.metricsGeneratorOption}.remoteWriteUrl: "${gen.remoteWriteUrl ?? ''}" is invalid; allowed: an http(s) URL of a Prometheus remote-write endpoint (required when the metrics-generator is deployed)`);
    }
    const retentionError = durationError(mode.retentionOption, retention, Duration.hours(1));
    if (retentionError) errors.push(retentionError);
    const blockDuration = wiring.ingesterMaxBlockDuration;
    if (blockDuration) {
      const blockError = durationError('ingester.maxBlockDuration', blockDuration, Duration.minutes(1));
      if (blockError) errors.push(blockError);
      else if (!retentionError && blockDuration.toSeconds() >= retention.toSeconds()) {
        errors.push(`${mode.retentionOption}: ${describeDuration(retention)} is not longer than ingester.maxBlockDuration (${describeDuration(blockDuration)}); allowed: a retention longer than the block duration, or blocks are deleted as soon as they are flushed`);
      }
    }
    errors.push(...labelErrors('partOf', { [LabelKeys.PART_OF]: partOf }));
    errors.push(...receiverErrors(receivers, version, [TempoPorts.HTTP, TempoPorts.GRPC, TempoPorts.MEMBERLIST]));
    errors.push(...tenantLimitsErrors('limits', props.limits));
    const tenants = props.tenants ?? {};
    errors.push(...tenantIdErrors('tenants', Object.keys(tenants)));
    for (const [id, limits] of Object.entries(tenants)) errors.push(...tenantLimitsErrors(`tenants.${id}`, limits));
    if (Object.keys(tenants).length && !props.multitenancy) {
      errors.push('tenants: per-tenant limits are set but multitenancy is off; allowed: multitenancy: true, or `limits` for the single tenant');
    }
    errors.push(...wiring.errors);
    if (errors.length) throw new Error(`${mode.constructName} "${name}":\n  ${errors.join('\n  ')}`);

    this.name = name;
    this.version = version;
    this.namespace = namespace;
    this.receivers = receivers;
    this.storage = storage;
    const configInput = {
      version,
      multitenancy: props.multitenancy ?? false,
      logLevel: props.logLevel ?? LogLevel.INFO,
      logFormat: props.logFormat ?? LogFormat.LOGFMT,
      ring: wiring.ring,
      receivers,
      storage,
      replicationFactor: wiring.replicationFactor,
      frontendAddress: wiring.frontendAddress,
      retention,
      metricsGenerator: gen,
      defaultLimits: props.limits,
      flushOnShutdown: wiring.flushOnShutdown,
      ingesterMaxBlockDuration: wiring.ingesterMaxBlockDuration,
      ingesterZoneEnv: wiring.ingesterZoneEnv,
      caches: wiring.caches,
      extraConfig: props.extraConfig,
    };
    this.configText = renderTempoConfig(buildTempoConfig(configInput), version);
    this.runtimeOverridesText = renderRuntimeOverrides(perTenantOverrides(defaultOverrides(configInput), tenants), version);
    this.instanceLabels = {
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
      labels: this.instanceLabels,
    });
    this.context = {
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
  }
}
