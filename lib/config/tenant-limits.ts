import { Duration, Size } from 'cdk8s';
import { deepMerge, prune } from './merge';
import { bytes, describeDuration, goDuration } from './units';

/** How the ingestion rate limit is shared. */
export enum RateStrategy {
  /** Each distributor enforces the full limit. */
  LOCAL = 'local',
  /** The limit is split across the healthy distributors. */
  GLOBAL = 'global',
}

/**
 * Limits of one tenant (or of every tenant, as defaults), rendered in Tempo's
 * nested overrides format and checked against the overrides key schema.
 */
export interface TenantLimits {
  /** Ingestion rate (`ingestion.rate_limit_bytes`), per second. @default Tempo's (15 MB/s) */
  readonly ingestionRateLimit?: Size;
  /** Ingestion burst (`ingestion.burst_size_bytes`). @default Tempo's (20 MB) */
  readonly ingestionBurstSize?: Size;
  /** How the rate limit is shared across distributors (`ingestion.rate_strategy`). @default Tempo's (local) */
  readonly rateStrategy?: RateStrategy;
  /** Live traces per ingester (`ingestion.max_traces_per_user`). @default Tempo's (10000) */
  readonly maxTracesPerUser?: number;
  /** Largest trace accepted (`global.max_bytes_per_trace`). @default Tempo's (5 MB) */
  readonly maxBytesPerTrace?: Size;
  /** Block retention of the tenant (`compaction.block_retention`). @default the compactor's retention */
  readonly retention?: Duration;
  /** Longest time range of a search (`read.max_search_duration`). @default Tempo's (unlimited) */
  readonly maxSearchDuration?: Duration;
  /** Metrics-generator processors of the tenant (`metrics_generator.processors`). @default the deployment's processors */
  readonly metricsGeneratorProcessors?: readonly string[];
}

// Tempo's tenant ID rules: up to 150 characters from this set, and not "." or "..".
const TENANT_ID = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;

/** Error messages for invalid limits; `option` names the prop. */
export function tenantLimitsErrors(option: string, limits: TenantLimits | undefined): string[] {
  if (!limits) return [];
  const errors: string[] = [];
  const sizes: Array<[string, Size | undefined]> = [
    ['ingestionRateLimit', limits.ingestionRateLimit],
    ['ingestionBurstSize', limits.ingestionBurstSize],
    ['maxBytesPerTrace', limits.maxBytesPerTrace],
  ];
  for (const [key, size] of sizes) {
    if (size !== undefined && !(bytes(size) >= 1)) errors.push(`${option}.${key}: must be at least 1 byte`);
  }
  if (limits.ingestionRateLimit && limits.ingestionBurstSize && bytes(limits.ingestionBurstSize) < bytes(limits.ingestionRateLimit)) {
    errors.push(`${option}.ingestionBurstSize: below ingestionRateLimit; allowed: a burst at least as large as one second of the rate`);
  }
  if (limits.maxTracesPerUser !== undefined && !(Number.isInteger(limits.maxTracesPerUser) && limits.maxTracesPerUser > 0)) {
    errors.push(`${option}.maxTracesPerUser: ${limits.maxTracesPerUser} is invalid; allowed: a positive integer`);
  }
  if (limits.retention !== undefined && !(limits.retention.toSeconds() >= 3600)) {
    errors.push(`${option}.retention: ${describeDuration(limits.retention)} is invalid; allowed: at least 1h`);
  }
  return errors;
}

/** Error messages for invalid tenant IDs. */
export function tenantIdErrors(option: string, ids: readonly string[]): string[] {
  return ids
    .filter((id) => !TENANT_ID.test(id) || id === '.' || id === '..')
    .map((id) => `${option}: tenant ID "${id}" is invalid; allowed: 1-150 characters of letters, digits and !-_.*'() (not "." or "..")`);
}

/** Tempo's nested overrides for these limits (pure data). */
export function tenantOverrides(limits: TenantLimits): Record<string, unknown> {
  return prune({
    ingestion: {
      rate_limit_bytes: limits.ingestionRateLimit && bytes(limits.ingestionRateLimit),
      burst_size_bytes: limits.ingestionBurstSize && bytes(limits.ingestionBurstSize),
      rate_strategy: limits.rateStrategy,
      max_traces_per_user: limits.maxTracesPerUser,
    },
    global: { max_bytes_per_trace: limits.maxBytesPerTrace && bytes(limits.maxBytesPerTrace) },
    compaction: { block_retention: limits.retention && goDuration(limits.retention) },
    read: { max_search_duration: limits.maxSearchDuration && goDuration(limits.maxSearchDuration) },
    metrics_generator: { processors: limits.metricsGeneratorProcessors && [...limits.metricsGeneratorProcessors] },
  });
}

/**
 * Per-tenant entries of the runtime overrides file. Each tenant's entry
 * repeats the defaults it does not override: a tenant listed in the runtime
 * file otherwise loses settings such as the generator processors.
 */
export function perTenantOverrides(defaults: Record<string, unknown>, tenants: Readonly<Record<string, TenantLimits>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.keys(tenants).sort().map((id) => [id, deepMerge(defaults, tenantOverrides(tenants[id]))]));
}
