import { ApiObject, Chart, Duration } from 'cdk8s';
import { recordNameOption } from './k8s/unique-objects';
import { Construct } from 'constructs';
import { TempoCommonProps, TempoServiceAccountOptions } from './common-props';
import { TempoComponentContext } from './components/component';
import { isPlainObject, resolveEnvReferences } from './config/env-reference';
import { TempoPorts } from './config/paths';
import { defaultReceivers, receiverErrors, TempoReceiver } from './config/receivers';
import { buildTempoConfig, defaultOverrides, KafkaIngestSettings, LogFormat, LogLevel, MetricsGeneratorSettings, renderRuntimeOverrides, renderTempoConfig, RingDiscovery } from './config/tempo-config';
import { validateTempoSchema } from './config/schema-validation';
import { perTenantOverrides, TenantLimits, tenantIdErrors, tenantLimitsErrors } from './config/tenant-limits';
import { describeDuration, durationError } from './config/units';
import { metricsGeneratorErrors } from './config/metrics-generator';
import { LabelKeys, labelErrors } from './k8s/labels';
import { DerivedName, instanceNameErrors, TempoNames } from './k8s/names';
import { dnsSubdomainErrors, imageErrors } from './k8s/validation';
import { registryErrors } from './k8s/customization';
import { TempoSharedResources } from './shared-resources';
import type { SecretEnvVar, StorageBinding } from './storage/storage';
import { internalGrpcClients, internalTlsConfig, receiverTlsSettings, ResolvedTls, TempoTlsOptions, tlsErrors } from './tls/tls';
import { TempoVersion } from './version';

/*
 * The assembly path both modes follow, in this order and nowhere else:
 *   1. resolveStack: every default of the shared options decided once;
 *   2. one validation pass (stackErrors plus the mode's own checks), thrown together by throwIfInvalid;
 *   3. renderStackConfig: tempo.yaml and overrides.yaml from the resolved options and the mode's wiring;
 *   4. sharedObjects and the mode's objects.
 * Nothing here calls back into a mode: a mode passes plain data.
 */

/** The shared options of a Tempo deployment with every default decided. */
export interface ResolvedStack {
  /** Instance name. */
  readonly name: string;
  /** Every object name of the instance. */
  readonly names: TempoNames;
  /** The Tempo release. */
  readonly version: TempoVersion;
  /** The chart's namespace, when set. */
  readonly namespace?: string;
  /** Image of every Tempo container unless a component sets its own. */
  readonly image: string;
  /** Enabled receivers. */
  readonly receivers: readonly TempoReceiver[];
  /** The bound storage; absent when `storage` is missing or invalid (see `storageErrors`). */
  readonly storage?: StorageBinding;
  /** Why `storage` could not be bound. */
  readonly storageErrors: readonly string[];
  /** How long blocks are kept. */
  readonly retention: Duration;
  /** The metrics-generator settings, when it runs. */
  readonly metricsGenerator?: MetricsGeneratorSettings;
  /** `multitenancy_enabled`. */
  readonly multitenancy: boolean;
  /** Log level. */
  readonly logLevel: LogLevel;
  /** Log format. */
  readonly logFormat: LogFormat;
  /** Limits of every tenant. */
  readonly limits?: TenantLimits;
  /** Limits of named tenants. */
  readonly tenants: Readonly<Record<string, TenantLimits>>;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf: string;
  /** Labels of the instance's shared objects (no component). */
  readonly instanceLabels: Readonly<Record<string, string>>;
  /** Registry override of every image, when set. */
  readonly imageRegistry?: string;
  /** Pull secrets of every pod. */
  readonly imagePullSecrets: readonly string[];
  /** Name and extra annotations of the ServiceAccount. */
  readonly serviceAccount: TempoServiceAccountOptions;
}

/** Resolves the shared options; `retention` and `metricsGenerator` come from where each mode declares them. */
export function resolveStack(scope: Construct, props: TempoCommonProps, retention: Duration | undefined, metricsGenerator: MetricsGeneratorSettings | undefined): ResolvedStack {
  const name = props.name ?? 'tempo';
  const version = props.version ?? TempoVersion.DEFAULT;
  const partOf = props.partOf ?? 'tempo';
  const { storage, errors: storageErrors } = bindStorage(props.storage);
  return {
    name,
    names: new TempoNames(name),
    version,
    namespace: Chart.of(scope).namespace,
    image: props.image ?? version.image,
    receivers: props.receivers ?? defaultReceivers(),
    storage,
    storageErrors,
    retention: retention ?? Duration.days(14),
    metricsGenerator,
    multitenancy: props.multitenancy ?? false,
    logLevel: props.logLevel ?? LogLevel.INFO,
    logFormat: props.logFormat ?? LogFormat.LOGFMT,
    limits: props.limits,
    tenants: props.tenants ?? {},
    partOf,
    imageRegistry: props.imageRegistry,
    imagePullSecrets: props.imagePullSecrets ?? [],
    serviceAccount: props.serviceAccount ?? {},
    instanceLabels: {
      [LabelKeys.NAME]: 'tempo',
      [LabelKeys.INSTANCE]: name,
      [LabelKeys.PART_OF]: partOf,
      [LabelKeys.VERSION]: version.version,
      [LabelKeys.MANAGED_BY]: 'cdk8s-tempo',
    },
  };
}

const STORAGE_FACTORIES = 'TempoStorage.s3(...), TempoStorage.gcs(...), TempoStorage.azure(...) or TempoStorage.local(...)';

/** Binds the storage, turning a missing value (plain JavaScript) or a refused option into messages. */
function bindStorage(storage: unknown): { storage?: StorageBinding; errors: string[] } {
  if (typeof (storage as { bind?: unknown } | undefined)?.bind !== 'function') {
    return { errors: [`storage: ${storage === undefined ? 'required' : `${JSON.stringify(storage)} is invalid`}; allowed: ${STORAGE_FACTORIES}`] };
  }
  try {
    return { storage: (storage as { bind(): StorageBinding }).bind(), errors: [] };
  } catch (e) {
    return { errors: [(e as Error).message] };
  }
}

/** What a mode tells the shared validation pass, as plain data. */
export interface StackChecks {
  /** Whether the storage must be shared object storage. */
  readonly requiresSharedStorage: boolean;
  /** Option path of the retention (`compactor.retention`). */
  readonly retentionOption: string;
  /** Option path of the metrics-generator settings. */
  readonly metricsGeneratorOption: string;
  /** Every object name the instance derives with its options. */
  readonly derivedNames: readonly DerivedName[];
  /** The ingesters' longest block duration, when set. */
  readonly ingesterMaxBlockDuration?: Duration;
  /** Raw configuration merged over the generated one. */
  readonly extraConfig?: Record<string, unknown>;
  /** The `tls` option and what the mode can do with it. @default no TLS */
  readonly tls?: { readonly options: TempoTlsOptions | undefined; readonly multiComponent: boolean; readonly gateway: boolean; readonly exposedIngest: boolean };
}

/** The validation of the shared options, with the user's option paths. */
export function stackErrors(r: ResolvedStack, checks: StackChecks): string[] {
  const errors: string[] = [];
  errors.push(...instanceNameErrors('name', r.name, checks.derivedNames));
  errors.push(...r.storageErrors);
  if (r.storage && checks.requiresSharedStorage && !r.storage.shared) {
    errors.push(`storage: the ${r.storage.backend} backend keeps blocks on one pod's disk, which distributed components cannot share; allowed: TempoStorage.s3(), TempoStorage.gcs() or TempoStorage.azure() (or use TempoMonolithic)`);
  }
  errors.push(...metricsGeneratorErrors(checks.metricsGeneratorOption, r.metricsGenerator, r.version), ...imageErrors('image', r.image));
  const retentionError = minimumDurationError(checks.retentionOption, r.retention, Duration.hours(1));
  if (retentionError) errors.push(retentionError);
  const blockDuration = checks.ingesterMaxBlockDuration;
  if (blockDuration !== undefined) {
    const blockError = minimumDurationError('ingester.maxBlockDuration', blockDuration, Duration.minutes(1));
    if (blockError) errors.push(blockError);
    else if (!retentionError && blockDuration.toSeconds() >= r.retention.toSeconds()) {
      errors.push(`${checks.retentionOption}: ${describeDuration(r.retention)} is not longer than ingester.maxBlockDuration (${describeDuration(blockDuration)}); allowed: a retention longer than the block duration, or blocks are deleted as soon as they are flushed`);
    }
  }
  errors.push(...labelErrors('partOf', { [LabelKeys.PART_OF]: r.partOf }));
  errors.push(...receiverErrors(r.receivers, r.version, [TempoPorts.HTTP, TempoPorts.GRPC, TempoPorts.MEMBERLIST]));
  errors.push(...tenantLimitsErrors('limits', r.limits));
  errors.push(...tenantIdErrors('tenants', Object.keys(r.tenants)));
  for (const [id, limits] of Object.entries(r.tenants)) errors.push(...tenantLimitsErrors(`tenants.${id}`, limits));
  if (Object.keys(r.tenants).length && !r.multitenancy) {
    errors.push('tenants: per-tenant limits are set but multitenancy is off; allowed: multitenancy: true, or `limits` for the single tenant');
  }
  errors.push(...extraConfigErrors(checks.extraConfig, r.version));
  if (checks.tls) {
    errors.push(...tlsErrors('tls', checks.tls.options, {
      ...checks.tls,
      tlsReceivers: r.receivers.filter((rc) => rc.supportsTls).map((rc) => rc.name),
      receiversWithOwnTls: checks.tls.options?.receivers ? r.receivers.filter((rc) => rc.hasOwnTls).map((rc) => rc.name) : [],
    }));
  }
  errors.push(...customizationErrors(r));
  return errors;
}

// Cloud identity annotations the storage binding sets from its own options: set there, once.
const IDENTITY_ANNOTATIONS: Readonly<Record<string, string>> = {
  'eks.amazonaws.com/role-arn': 'TempoStorage.s3({ iamRoleArn })',
  'iam.gke.io/gcp-service-account': 'TempoStorage.gcs({ workloadIdentity })',
  'azure.workload.identity/client-id': 'TempoStorage.azure({ workloadIdentity })',
};

/** The stack-wide customization: registry, pull secrets, ServiceAccount. */
function customizationErrors(r: ResolvedStack): string[] {
  const errors = r.imageRegistry === undefined ? [] : registryErrors('imageRegistry', r.imageRegistry);
  r.imagePullSecrets.forEach((s, i) => errors.push(...dnsSubdomainErrors(`imagePullSecrets[${i}]`, s, 'Secret name')));
  const sa = r.serviceAccount;
  if (sa.name !== undefined) errors.push(...dnsSubdomainErrors('serviceAccount.name', sa.name, 'ServiceAccount name'));
  errors.push(...labelErrors('serviceAccount.annotations', sa.annotations, true));
  for (const key of Object.keys(sa.annotations ?? {})) {
    const owner = IDENTITY_ANNOTATIONS[key];
    if (owner) errors.push(`serviceAccount.annotations: "${key}" is the storage's cloud identity, which also mounts the token the pods need; allowed: set it with ${owner}`);
  }
  return errors;
}

/** Keys and types of `extraConfig` against the version's key schema, named by the option path (`extraConfig.querier.x`). */
function extraConfigErrors(extraConfig: Record<string, unknown> | undefined, version: TempoVersion): string[] {
  if (extraConfig === undefined) return [];
  if (!isPlainObject(extraConfig)) return [`extraConfig: ${JSON.stringify(extraConfig)} is invalid; allowed: an object of tempo.yaml keys`];
  const violations = validateTempoSchema(resolveEnvReferences(extraConfig), version.schemaVersion, 'config');
  if (!violations.length) return [];
  const lines = violations.map((v) => `\n    - extraConfig.${v.path}: ${v.message}`);
  return [`extraConfig: tempo.yaml is not valid for Tempo ${version.version}:${lines.join('')}`];
}

/** `durationError`, also for values that are no Duration at all (plain JavaScript). */
function minimumDurationError(option: string, d: unknown, min: Duration): string | undefined {
  if (!(d instanceof Duration)) return `${option}: ${JSON.stringify(d)} is invalid; allowed: a Duration of at least ${describeDuration(min)} (e.g. Duration.days(14))`;
  return durationError(option, d, min);
}

/** Throws one Error listing every problem, or returns. */
export function throwIfInvalid(constructName: string, name: string, errors: readonly string[]): void {
  if (errors.length) throw new Error(`${constructName} "${name}":\n  ${errors.join('\n  ')}`);
}

/** How a mode wires Tempo's processes together. */
export interface StackWiring {
  /** How ring members find each other. */
  readonly ring: RingDiscovery;
  /** Ingester ring replication factor. */
  readonly replicationFactor: number;
  /** gRPC address of the query-frontend for querier workers; absent in the single binary. */
  readonly frontendAddress?: string;
  /** Longest time a block stays in an ingester. */
  readonly ingesterMaxBlockDuration?: Duration;
  /** Ingesters flush everything on shutdown. */
  readonly flushOnShutdown?: boolean;
  /** Environment variable ingesters read their zone from. */
  readonly ingesterZoneEnv?: string;
  /** `cache.caches` entries. */
  readonly caches?: readonly Record<string, unknown>[];
  /** Tempo 3 microservices: the Kafka cluster. */
  readonly kafka?: KafkaIngestSettings;
  /** Tempo 3 microservices: gRPC address of the backend scheduler. */
  readonly backendSchedulerAddress?: string;
  /** Tempo 3 microservices: environment variable live-stores read their zone from. */
  readonly liveStoreZoneEnv?: string;
  /** TLS of the receivers and between components. */
  readonly tls?: ResolvedTls;
}

/** The rendered configuration files of an instance. */
export interface StackConfig {
  /** tempo.yaml, checked against the version's key schema. */
  readonly configText: string;
  /** overrides.yaml, checked against the overrides key schema. */
  readonly runtimeOverridesText: string;
}

/** Renders tempo.yaml and overrides.yaml (after validation: the storage is bound). */
export function renderStackConfig(r: ResolvedStack, wiring: StackWiring, extraConfig: Record<string, unknown> | undefined): StackConfig {
  const input = {
    version: r.version,
    multitenancy: r.multitenancy,
    logLevel: r.logLevel,
    logFormat: r.logFormat,
    ring: wiring.ring,
    receivers: r.receivers,
    storage: r.storage!,
    replicationFactor: wiring.replicationFactor,
    frontendAddress: wiring.frontendAddress,
    retention: r.retention,
    metricsGenerator: r.metricsGenerator,
    defaultLimits: r.limits,
    flushOnShutdown: wiring.flushOnShutdown,
    ingesterMaxBlockDuration: wiring.ingesterMaxBlockDuration,
    ingesterZoneEnv: wiring.ingesterZoneEnv,
    caches: wiring.caches,
    kafka: wiring.kafka,
    backendSchedulerAddress: wiring.backendSchedulerAddress,
    liveStoreZoneEnv: wiring.liveStoreZoneEnv,
    tls: wiring.tls && {
      receiver: wiring.tls.receivers && receiverTlsSettings(wiring.tls.receivers),
      internal: wiring.tls.internal && internalTlsConfig(wiring.tls.internal, internalGrpcClients(r.version.kafkaArchitecture, r.metricsGenerator !== undefined)),
    },
    extraConfig,
  };
  return {
    configText: renderTempoConfig(buildTempoConfig(input), r.version),
    runtimeOverridesText: renderRuntimeOverrides(perTenantOverrides(defaultOverrides(input), r.tenants), r.version),
  };
}

/** The ConfigMaps and ServiceAccount every pod uses, and the context components are built from. */
export function sharedObjects(scope: Construct, r: ResolvedStack, config: StackConfig, image: string | undefined, secretEnv: readonly SecretEnvVar[] = [], tls?: ResolvedTls): TempoComponentContext {
  const storage = r.storage!;
  const shared = new TempoSharedResources(scope, 'Shared', {
    names: r.names,
    serviceAccount: r.serviceAccount,
    configText: config.configText,
    runtimeOverridesText: config.runtimeOverridesText,
    storage,
    labels: r.instanceLabels,
  });
  if (r.serviceAccount.name !== undefined) recordNameOption(shared.node.findChild('ServiceAccount') as ApiObject, 'serviceAccount.name');
  return {
    instanceName: r.name,
    version: r.version,
    image: image ?? r.image,
    configMapName: shared.configMapName,
    runtimeConfigMapName: shared.runtimeConfigMapName,
    configText: config.configText,
    storage,
    serviceAccountName: shared.serviceAccountName,
    mountServiceAccountToken: shared.mountServiceAccountToken,
    partOf: r.partOf,
    imageRegistry: r.imageRegistry,
    imagePullSecrets: r.imagePullSecrets,
    secretEnv,
    tlsSecrets: tls ? [tls.receivers, tls.internal].filter((t) => t !== undefined) : undefined,
    restartOnRenewal: tls?.restartOnRenewal,
  };
}
