import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';
import { TempoNames } from '../k8s/names';
import type { StatefulStorageProps } from '../stateful/storage-change';
import type { ZoneRolloutSpec } from '../stateful/zone-rollout';

/** Options of the ingesters. */
export interface IngesterProps extends TempoComponentProps, StatefulStorageProps {
  /**
   * Copies of each trace written to different ingesters. Writes need a
   * majority (floor(RF/2)+1) of them, so it cannot exceed `replicas`.
   * @default 3 (1 when replicas is 1 or 2)
   */
  readonly replicationFactor?: number;
  /** Size of each ingester's volume (WAL, blocks not yet flushed, ring tokens). @default Size.gibibytes(10) */
  readonly storageSize?: Size;
  /** StorageClass of the volumes. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * Zone-aware replication: one StatefulSet per zone (`<instance>-ingester-<zone>`),
   * pinned to nodes of that `topology.kubernetes.io/zone`, with ring zone
   * awareness so each trace's copies land in different zones. `replicas` is
   * the total and must divide evenly; at least `replicationFactor` zones.
   * Switching an existing deployment to zones replaces the ingester StatefulSets.
   * @default no zones
   */
  readonly zones?: readonly string[];
  /** Longest time a block stays in an ingester before it is cut and flushed (`ingester.max_block_duration`). @default Tempo's (30 minutes) */
  readonly maxBlockDuration?: Duration;
  /** Flush every trace to storage when an ingester stops (scale-down safe). @default true */
  readonly flushOnShutdown?: boolean;
}

/** Pod label holding an ingester's zone. */
export const INGESTER_ZONE_LABEL = 'tempo-ingester-zone';
/** Environment variable an ingester reads its ring zone from. */
export const INGESTER_ZONE_ENV = 'TEMPO_AVAILABILITY_ZONE';

/**
 * Batches traces into blocks and flushes them to object storage. StatefulSet
 * (Parallel pod management) with a `data` volume claim template at
 * /var/tempo for the WAL and the ring tokens file, so a restarted ingester
 * replays its WAL and keeps its ring position. No liveness probe: WAL replay
 * can take long and a restart would only start it over.
 *
 * Identity: StatefulSet `<instance>-ingester`, governing headless Service of
 * the same name, claim template `data`. Renaming any of them loses data.
 *
 * Default resources: requests 500m CPU / 1Gi, memory limit 2Gi; grace period 5 minutes.
 */
export class Ingester extends TempoComponent {
  /**
   * maxUnavailable of the ingester budget: writes need floor(RF/2)+1 healthy
   * copies, so at most floor((RF-1)/2) ingesters may be down (at least 1).
   */
  public static disruptionBudgetOf(replicationFactor: number): number {
    return Math.max(1, Math.floor((replicationFactor - 1) / 2));
  }

  /** The zone of this StatefulSet, when zone-aware. */
  public readonly zone?: string;

  /** Built by `TempoDistributed` from its resolved options (replicas of this StatefulSet, RF, zone). */
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: IngesterProps, resolved: ResolvedIngesters, zone?: string, rollout?: ZoneRolloutSpec) {
    const names = new TempoNames(context.instanceName);
    super(scope, id, context, {
      workloadName: zone ? names.ingesterZone(zone) : undefined,
      extraSelectorLabels: zone ? { [INGESTER_ZONE_LABEL]: zone } : undefined,
      extraEnv: zone ? { [INGESTER_ZONE_ENV]: zone } : undefined,
      requiredNodeAffinity: zone ? { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] } : undefined,
      // zoned ingesters share one budget across zones, created by the composite
      disruptionBudget: zone ? 0 : Ingester.disruptionBudgetOf(resolved.replicationFactor),
      component: 'ingester',
      target: 'ingester',
      workloadKind: 'StatefulSet',
      ringMember: true,
      defaultReplicas: resolved.replicas,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.minutes(5),
      liveness: false,
      persistentData: { size: resolved.storageSize, storageClassName: props.storageClassName, retentionPolicy: props.persistentVolumeClaimRetentionPolicy },
      serviceKind: 'Headless',
      zoneRollout: zone ? rollout : undefined,
    }, { ...props, replicas: zone ? resolved.replicas / resolved.zones.length : resolved.replicas });
    this.zone = zone;
  }
}

/** The ingesters' options with every default decided (once, by `resolveIngesters`). */
export interface ResolvedIngesters {
  /** Total ingester pods (across zones). */
  readonly replicas: number;
  /** Ring replication factor. */
  readonly replicationFactor: number;
  /** Zones, or none. */
  readonly zones: readonly string[];
  /** Volume size of each ingester. */
  readonly storageSize: Size;
}

/** Decides the ingesters' defaults: 3 replicas, RF 3 (1 below 3 replicas), 10Gi volumes, no zones. */
export function resolveIngesters(props: IngesterProps): ResolvedIngesters {
  const replicas = props.replicas ?? 3;
  return {
    replicas,
    replicationFactor: props.replicationFactor ?? (replicas >= 3 ? 3 : 1),
    zones: props.zones ?? [],
    storageSize: props.storageSize ?? Size.gibibytes(10),
  };
}

/** Errors of the ingesters' replication options (`ingester.*`): RF against replicas, zones. */
export function ingesterErrors(r: ResolvedIngesters): string[] {
  const errors: string[] = [];
  const { replicas, replicationFactor: rf, zones } = r;
  // replicas itself is checked with the other component options; compare only with a usable count.
  const replicasValid = Number.isInteger(replicas) && replicas >= 1;
  if (!Number.isInteger(rf) || rf < 1) {
    errors.push(`ingester.replicationFactor: ${rf} is invalid; allowed: an integer >= 1`);
  } else if (replicasValid && rf > replicas) {
    errors.push(`ingester.replicationFactor: ${rf} is above ingester.replicas (${replicas}); allowed: 1 to ${replicas}, or more ingester replicas (writes need floor(RF/2)+1 healthy ingesters)`);
  }
  if (zones.length) {
    const invalid = zones.filter((z) => typeof z !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?$/.test(z));
    if (invalid.length) errors.push(`ingester.zones: ${invalid.map((z) => `"${z}"`).join(', ')} invalid; allowed: zone names of at most 20 lower-case letters, digits and '-' (values of topology.kubernetes.io/zone)`);
    if (new Set(zones).size !== zones.length) errors.push(`ingester.zones: ${zones.join(', ')} has duplicates; allowed: distinct zones`);
    if (Number.isInteger(rf) && zones.length < rf) errors.push(`ingester.zones: ${zones.length} zones for replication factor ${rf}; allowed: at least ${rf} zones, so every copy lands in a different zone`);
    if (replicasValid && replicas % zones.length !== 0) errors.push(`ingester.replicas: ${replicas} does not divide evenly over ${zones.length} zones; allowed: a multiple of ${zones.length}`);
  }
  return errors;
}
