import { Duration, Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu } from './k8s/plus';
import type { CompactorProps } from './components/compactor';
import type { DistributorProps } from './components/distributor';
import type { IngesterProps } from './components/ingester';
import type { QuerierProps } from './components/querier';
import type { QueryFrontendProps } from './components/query-frontend';
import { bytes } from './config/units';

/** Expected trace traffic. Give `spansPerSecond` or `tracesPerSecond`. */
export interface TrafficEstimate {
  /** Spans received per second. @default derived from tracesPerSecond × spansPerTrace */
  readonly spansPerSecond?: number;
  /** Traces received per second. @default derived from spansPerSecond ÷ spansPerTrace */
  readonly tracesPerSecond?: number;
  /** Average spans per trace, to convert between the two rates. @default 10 */
  readonly spansPerTrace?: number;
  /** Average encoded span size as received. @default Size.kibibytes(1) */
  readonly averageSpanSize?: Size;
  /** How long traces are kept. */
  readonly retention: Duration;
  /** Received bytes per stored byte in object storage (Parquet + compression). @default 5 */
  readonly compressionRatio?: number;
  /**
   * Stored bytes per trace, replacing the `averageSpanSize ÷ compressionRatio`
   * estimate. `TempoSizing.SEED_STORED_BYTES_PER_TRACE` reproduces the seed
   * guide's rule of thumb (1 GB per 1000 traces/s per day).
   * @default derived from the span size and compression ratio
   */
  readonly storedBytesPerTrace?: number;
  /** Ingester replication factor. @default 3 */
  readonly replicationFactor?: number;
}

/** The seed's resource tiers for the single binary. */
export enum SizingTier {
  SMALL = 'small',
  MEDIUM = 'medium',
  LARGE = 'large',
}

/** Props for `TempoMonolithic`. */
export interface MonolithicSizing {
  /** The seed's tier the received bytes per second fall into. */
  readonly tier: SizingTier;
  /** The tier's CPU and memory requests, with limits of 5× the CPU and 4× the memory request. */
  readonly resources: ContainerResources;
  /** Volume for WAL and local blocks (local storage) or WAL only (object storage). */
  readonly storageSize: Size;
}

/** Props for each `TempoDistributed` component. */
export interface DistributedSizing {
  /** Replicas and resources of the distributors. */
  readonly distributor: DistributorProps;
  /** Replicas, resources, replication factor (at most the replicas) and WAL volume size of the ingesters. */
  readonly ingester: IngesterProps;
  /** Replicas and resources of the queriers. */
  readonly querier: QuerierProps;
  /** Replicas and resources of the query-frontend. */
  readonly queryFrontend: QueryFrontendProps;
  /** Replicas, resources and retention of the compactor. */
  readonly compactor: CompactorProps;
  /** Merge into `metricsGenerator` (it also needs `remoteWriteUrl`). */
  readonly metricsGenerator: { readonly replicas: number; readonly resources: ContainerResources };
}

const MB = 1_000_000;
const GB = 1_000_000_000;
const DAY_SECONDS = 86_400;
/** Seed 000: "24h = ~1GB per 1000 traces/second". */
const SEED_GB_PER_1000_TPS_DAY = 1;
/** Seed 000: "WAL: additional 20 %". */
const WAL_HEADROOM = 0.2;
/** Ingester WAL window: max_block_duration (30m) + complete_block_timeout (15m), Tempo's defaults. */
const INGESTER_WAL_WINDOW_SECONDS = 45 * 60;

/** Per-replica capacity (received MB/s) and full-load resources, from Tempo's "Size the cluster" guidance. */
interface ComponentGuidance {
  readonly mbPerSecondPerReplica: number;
  readonly minReplicas: number;
  readonly cpuCores: number;
  readonly memoryGiB: number;
}

// Midpoints of the published ranges ("1 replica per 3-5 MB/s", "4-20 GB").
const GUIDANCE: Record<'distributor' | 'ingester' | 'querier' | 'queryFrontend' | 'compactor' | 'metricsGenerator', ComponentGuidance> = {
  distributor: { mbPerSecondPerReplica: 10, minReplicas: 1, cpuCores: 2, memoryGiB: 2 },
  ingester: { mbPerSecondPerReplica: 4, minReplicas: 3, cpuCores: 2.5, memoryGiB: 8 },
  querier: { mbPerSecondPerReplica: 1.5, minReplicas: 1, cpuCores: 1, memoryGiB: 4 },
  queryFrontend: { mbPerSecondPerReplica: Infinity, minReplicas: 2, cpuCores: 0.5, memoryGiB: 1 },
  compactor: { mbPerSecondPerReplica: 4, minReplicas: 1, cpuCores: 1, memoryGiB: 4 },
  metricsGenerator: { mbPerSecondPerReplica: 2, minReplicas: 1, cpuCores: 1, memoryGiB: 4 },
};

const TIERS: ReadonlyArray<{ tier: SizingTier; maxMbPerSecond: number; cpuMillis: number; memoryMiB: number }> = [
  { tier: SizingTier.SMALL, maxMbPerSecond: 0.25, cpuMillis: 100, memoryMiB: 128 },
  { tier: SizingTier.MEDIUM, maxMbPerSecond: 1, cpuMillis: 200, memoryMiB: 256 },
  { tier: SizingTier.LARGE, maxMbPerSecond: Infinity, cpuMillis: 500, memoryMiB: 512 },
];

/**
 * Replicas, resources and volume sizes derived from expected traffic. The
 * formula and its assumptions are in the README ("Sizing"). Results plug
 * straight into the constructs: `new TempoDistributed(..., { ...sizing.distributed, storage })`.
 */
export class TempoSizing {
  /** Stored bytes per trace implied by the seed's "1 GB per 1000 traces/s per 24h". */
  public static readonly SEED_STORED_BYTES_PER_TRACE = (SEED_GB_PER_1000_TPS_DAY * GB) / (1000 * DAY_SECONDS);

  /** Computes a sizing; throws with the option name on invalid input. */
  public static fromTraffic(traffic: TrafficEstimate): TempoSizing {
    return new TempoSizing(traffic);
  }

  /** Spans received per second. */
  public readonly spansPerSecond: number;
  /** Traces received per second. */
  public readonly tracesPerSecond: number;
  /** Bytes received per second. */
  public readonly ingestBytesPerSecond: number;
  /** Bytes in object (or local) storage at steady state, for the whole retention. */
  public readonly storedBytes: number;
  /** The seed's WAL allowance: 20 % of the stored bytes. */
  public readonly walBytes: number;
  /** Stored bytes plus WAL: the single binary's volume need with local storage. */
  public readonly totalBytes: number;
  /** Sizing for `TempoMonolithic`. */
  public readonly monolithic: MonolithicSizing;
  /** Sizing for `TempoDistributed`. */
  public readonly distributed: DistributedSizing;
  /** `true` when the traffic exceeds what the seed's largest single-binary tier is meant for (2 MB/s). */
  public readonly distributedRecommended: boolean;

  private constructor(t: TrafficEstimate) {
    const spansPerTrace = t.spansPerTrace ?? 10;
    positive('sizing.spansPerTrace', spansPerTrace);
    if ((t.spansPerSecond === undefined) === (t.tracesPerSecond === undefined)) {
      throw new Error('sizing: give exactly one of spansPerSecond and tracesPerSecond');
    }
    if (t.spansPerSecond !== undefined) positive('sizing.spansPerSecond', t.spansPerSecond);
    if (t.tracesPerSecond !== undefined) positive('sizing.tracesPerSecond', t.tracesPerSecond);
    const compression = t.compressionRatio ?? 5;
    positive('sizing.compressionRatio', compression);
    const rf = t.replicationFactor ?? 3;
    if (!Number.isInteger(rf) || rf < 1) throw new Error(`sizing.replicationFactor: ${rf} is invalid; allowed: an integer >= 1`);
    const retentionSeconds = t.retention.toSeconds();
    positive('sizing.retention', retentionSeconds);
    const spanBytes = bytes(t.averageSpanSize ?? Size.kibibytes(1));
    positive('sizing.averageSpanSize', spanBytes);
    if (t.storedBytesPerTrace !== undefined) positive('sizing.storedBytesPerTrace', t.storedBytesPerTrace);

    this.spansPerSecond = t.spansPerSecond ?? t.tracesPerSecond! * spansPerTrace;
    this.tracesPerSecond = t.tracesPerSecond ?? t.spansPerSecond! / spansPerTrace;
    this.ingestBytesPerSecond = this.spansPerSecond * spanBytes;
    const storedPerSecond = t.storedBytesPerTrace !== undefined
      ? this.tracesPerSecond * t.storedBytesPerTrace
      : this.ingestBytesPerSecond / compression;
    this.storedBytes = storedPerSecond * retentionSeconds;
    this.walBytes = this.storedBytes * WAL_HEADROOM;
    this.totalBytes = this.storedBytes + this.walBytes;

    const mbps = this.ingestBytesPerSecond / MB;
    this.distributedRecommended = mbps > 2;
    const tier = TIERS.find((x) => mbps <= x.maxMbPerSecond)!;
    this.monolithic = {
      tier: tier.tier,
      // The seed's deployment pairs the small tier's requests with the large tier's limits: 5× CPU, 4× memory.
      resources: {
        cpu: { request: Cpu.millis(tier.cpuMillis), limit: Cpu.millis(tier.cpuMillis * 5) },
        memory: { request: Size.mebibytes(tier.memoryMiB), limit: Size.mebibytes(tier.memoryMiB * 4) },
      },
      // The seed's 5Gi is the floor.
      storageSize: gibibytesAtLeast(this.totalBytes, 5),
    };

    const ingesterReplicas = replicasFor(GUIDANCE.ingester, mbps);
    // Each ingester holds RF/replicas of the traffic for the WAL window, uncompressed, plus the seed's 20 %.
    const walPerIngester = (this.ingestBytesPerSecond * rf / ingesterReplicas) * INGESTER_WAL_WINDOW_SECONDS * (1 + WAL_HEADROOM);
    this.distributed = {
      distributor: componentSizing(GUIDANCE.distributor, mbps),
      ingester: { ...componentSizing(GUIDANCE.ingester, mbps), replicationFactor: Math.min(rf, ingesterReplicas), storageSize: gibibytesAtLeast(walPerIngester, 10) },
      querier: componentSizing(GUIDANCE.querier, mbps),
      queryFrontend: componentSizing(GUIDANCE.queryFrontend, mbps),
      compactor: { ...componentSizing(GUIDANCE.compactor, mbps), retention: t.retention },
      metricsGenerator: componentSizing(GUIDANCE.metricsGenerator, mbps),
    };
  }
}

function positive(option: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option}: ${value} is invalid; allowed: a positive number`);
}

function replicasFor(g: ComponentGuidance, mbps: number): number {
  return Math.max(g.minReplicas, Math.ceil(mbps / g.mbPerSecondPerReplica));
}

/** Replicas from the per-replica capacity; resources scale with each replica's load, between a floor and the full-load figures. */
function componentSizing(g: ComponentGuidance, mbps: number): { replicas: number; resources: ContainerResources } {
  const replicas = replicasFor(g, mbps);
  const load = Number.isFinite(g.mbPerSecondPerReplica) ? Math.min(1, mbps / replicas / g.mbPerSecondPerReplica) : Math.min(1, mbps / 10);
  const cpuMillis = Math.max(100, Math.ceil((g.cpuCores * 1000 * load) / 50) * 50);
  const memoryMiB = Math.max(256, Math.ceil((g.memoryGiB * 1024 * load) / 128) * 128);
  return {
    replicas,
    resources: { cpu: { request: Cpu.millis(cpuMillis) }, memory: { request: Size.mebibytes(memoryMiB), limit: Size.mebibytes(memoryMiB * 2) } },
  };
}

function gibibytesAtLeast(byteCount: number, minGiB: number): Size {
  return Size.gibibytes(Math.max(minGiB, Math.ceil(byteCount / 2 ** 30)));
}
