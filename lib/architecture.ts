import type { BackendSchedulerProps } from './components/backend-scheduler';
import type { BackendWorkerProps } from './components/backend-worker';
import type { BlockBuilderProps } from './components/block-builder';
import type { CompactorProps } from './components/compactor';
import type { IngesterProps } from './components/ingester';
import type { LiveStoreProps } from './components/live-store';
import { kafkaErrors, TempoIngestProps } from './ingest/kafka';
import type { TempoVersion } from './version';

/*
 * Which options belong to which architecture of `TempoDistributed`, decided here once:
 * 2.x (ingesters and compactor) or 3.x (Kafka, live-stores, block-builders, backend scheduler and workers).
 */

/** The options of `TempoDistributed` that exist on one architecture only. */
export interface ArchitectureOptions {
  /** 2.x only. @default not set */
  readonly ingester?: IngesterProps;
  /** 2.x only. @default not set */
  readonly compactor?: CompactorProps;
  /** 3.x only. @default not set */
  readonly ingest?: TempoIngestProps;
  /** 3.x only. @default not set */
  readonly liveStore?: LiveStoreProps;
  /** 3.x only. @default not set */
  readonly blockBuilder?: BlockBuilderProps;
  /** 3.x only. @default not set */
  readonly backendScheduler?: BackendSchedulerProps;
  /** 3.x only. @default not set */
  readonly backendWorker?: BackendWorkerProps;
}

// What replaces each 2.x option on 3.x; `undefined` keys fall back to the section's replacement.
const INGESTER_ON_3: Record<string, string> = {
  replicas: 'liveStore.replicas (per zone; Kafka partitions bound it) and blockBuilder.replicas',
  zones: 'liveStore.zones',
  storageSize: 'liveStore.storageSize',
  storageClassName: 'liveStore.storageClassName',
  replicationFactor: 'nothing: Kafka keeps the data durable and Tempo 3 writes each trace once (RF1); the live-store zones are the copies for reads',
  maxBlockDuration: 'extraConfig live_store.max_block_duration (recent blocks) or block_builder.consume_cycle_duration (blocks in storage)',
  flushOnShutdown: 'nothing: block-builders write blocks from Kafka, no pod holds unflushed data',
};
const COMPACTOR_ON_3: Record<string, string> = {
  retention: 'backendWorker.retention (backend_worker.compaction.block_retention)',
};
const ON_2: Record<string, string> = {
  ingest: 'nothing: 2.x distributors send spans to the ingesters over gRPC (no Kafka)',
  liveStore: 'ingester.*',
  blockBuilder: 'ingester.* (ingesters write the blocks)',
  backendScheduler: 'compactor.*',
  backendWorker: 'compactor.* (retention: compactor.retention)',
};

/** Errors for options of the other architecture than `version`'s, each naming what replaces it. */
export function architectureErrors(version: TempoVersion, o: ArchitectureOptions): string[] {
  const errors: string[] = [];
  if (version.kafkaArchitecture) {
    const refuse = (section: string, props: object | undefined, replacements: Record<string, string>, whole: string) => {
      if (props === undefined) return;
      const keys = Object.keys(props).filter((k) => (props as Record<string, unknown>)[k] !== undefined);
      for (const key of keys.length ? keys : ['']) {
        const path = key ? `${section}.${key}` : section;
        errors.push(`${path}: Tempo ${version.version} has no ${section}; allowed: ${replacements[key] ?? whole}`);
      }
    };
    refuse('ingester', o.ingester, INGESTER_ON_3, 'liveStore.* (recent traces) and blockBuilder.* (blocks to storage)');
    refuse('compactor', o.compactor, COMPACTOR_ON_3, 'backendWorker.* (compaction and retention jobs) and backendScheduler.*');
    errors.push(...kafkaErrors('ingest.kafka', o.ingest?.kafka));
  } else {
    for (const [option, replacement] of Object.entries(ON_2)) {
      if ((o as Record<string, unknown>)[option] !== undefined) {
        errors.push(`${option}: exists on Tempo 3.x only (this instance runs ${version.version}); allowed: ${replacement}, or version: TempoVersion.V3_0_3`);
      }
    }
  }
  return errors;
}

/** Tempo 3's write path with every default decided. */
export interface ResolvedTempo3 {
  /** Partitions of the Kafka topic. */
  readonly partitions: number;
  /** Live-store zones. */
  readonly zones: readonly string[];
  /** Live-stores per zone. */
  readonly liveStoresPerZone: number;
  /** Block-builders. */
  readonly blockBuilders: number;
}

/** Decides the defaults: two zones, one live-store per partition and zone, one block-builder per partition. */
export function resolveTempo3(o: ArchitectureOptions): ResolvedTempo3 {
  const given = o.ingest?.kafka?.partitions;
  const partitions = Number.isInteger(given) && given! >= 1 ? given! : 1;
  return {
    partitions,
    zones: o.liveStore?.zones ?? ['zone-a', 'zone-b'],
    liveStoresPerZone: o.liveStore?.replicas ?? partitions,
    blockBuilders: o.blockBuilder?.replicas ?? partitions,
  };
}

/** Errors of the live-store and block-builder counts against the Kafka partitions. */
export function tempo3Errors(r: ResolvedTempo3, o: ArchitectureOptions): string[] {
  const errors: string[] = [];
  const partitionsValid = Number.isInteger(o.ingest?.kafka?.partitions) && o.ingest!.kafka.partitions >= 1;
  const zones = r.zones;
  if (!zones.length) errors.push('liveStore.zones: empty; allowed: at least one zone (two or more keep recent traces readable while a zone is down)');
  const invalid = zones.filter((z) => typeof z !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(z));
  if (invalid.length) errors.push(`liveStore.zones: ${invalid.map((z) => `"${z}"`).join(', ')} invalid; allowed: zone names of at most 20 lower-case letters, digits and '-'`);
  if (new Set(zones).size !== zones.length) errors.push(`liveStore.zones: ${zones.join(', ')} has duplicates; allowed: distinct zones`);
  const live = r.liveStoresPerZone;
  if (!Number.isInteger(live) || live < 1) {
    errors.push(`liveStore.replicas: ${live} is invalid; allowed: an integer >= 1 (live-stores per zone)`);
  } else if (partitionsValid && live > r.partitions) {
    errors.push(`liveStore.replicas: ${live} per zone is above ingest.kafka.partitions (${r.partitions}); allowed: 1 to ${r.partitions} (live-store n owns partition n), or more partitions`);
  }
  const schedulerReplicas = (o.backendScheduler as { replicas?: unknown } | undefined)?.replicas;
  if (schedulerReplicas !== undefined && schedulerReplicas !== 1) {
    errors.push(`backendScheduler.replicas: ${JSON.stringify(schedulerReplicas)} is invalid; allowed: 1 (the backend scheduler is a singleton: it owns the job list)`);
  }
  const bb = r.blockBuilders;
  if (!Number.isInteger(bb) || bb < 1) {
    errors.push(`blockBuilder.replicas: ${bb} is invalid; allowed: an integer >= 1`);
  } else if (partitionsValid && r.partitions % bb !== 0) {
    const divisors = r.partitions <= 1000 ? [...Array(r.partitions).keys()].map((i) => i + 1).filter((d) => r.partitions % d === 0) : ['a divisor of it'];
    errors.push(`blockBuilder.replicas: ${bb} does not divide ingest.kafka.partitions (${r.partitions}) evenly, so some partitions would never be written to storage; allowed: ${divisors.join(', ')}`);
  }
  return errors;
}
