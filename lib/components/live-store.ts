import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';
import { TempoNames } from '../k8s/names';
import type { StatefulStorageProps } from '../stateful/storage-change';
import type { ZoneRolloutSpec } from '../stateful/zone-rollout';

/** Options of Tempo 3's live-stores. */
export interface LiveStoreProps extends Omit<TempoComponentProps, 'podDisruptionBudget'>, StatefulStorageProps {
  /**
   * Live-stores per zone. The live-store with ordinal n owns Kafka partition
   * n in every zone, so at most `ingest.kafka.partitions`; partitions
   * without a live-store are neither written nor queried.
   * @default ingest.kafka.partitions
   */
  readonly replicas?: number;
  /**
   * Ring zones: one StatefulSet per zone (`<instance>-live-store-<zone>`),
   * each a full copy of recent traces, so queries survive a zone being down.
   * Zone names are ring labels; use `nodeSelector`/`affinity` to place them.
   * @default ['zone-a', 'zone-b'], as Tempo's own jsonnet
   */
  readonly zones?: readonly string[];
  /** Size of each live-store's volume (WAL and recent blocks at /var/tempo). @default Size.gibibytes(10) */
  readonly storageSize?: Size;
  /** StorageClass of the volumes. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * A PodDisruptionBudget over the live-stores of every zone allowing one
   * pod down at a time, so each partition keeps a copy in another zone.
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
}

/** Pod label holding a live-store's zone. */
export const LIVE_STORE_ZONE_LABEL = 'tempo-live-store-zone';
/** Environment variable a live-store reads its ring zone from. */
export const LIVE_STORE_ZONE_ENV = 'TEMPO_LIVE_STORE_ZONE';

/**
 * Tempo 3's live-stores: consume their partition from Kafka and answer
 * queries for recent traces (the last minutes, until block-builders have
 * written them). One StatefulSet per zone (Parallel pod management) with a
 * `data` volume claim template at /var/tempo, headless Service of the same
 * name, ring zone from `TEMPO_LIVE_STORE_ZONE`. No liveness probe: catching
 * up with Kafka after a restart takes long and a restart starts it over.
 * Kafka consumer group: the StatefulSet name (the pod name without its ordinal).
 *
 * Identity: StatefulSet `<instance>-live-store-<zone>`, claim template `data`.
 *
 * Default resources: requests 500m CPU / 1Gi, memory limit 2Gi; grace period 20 minutes (Tempo's jsonnet).
 */
export class LiveStore extends TempoComponent {
  /** The zone of this StatefulSet. */
  public readonly zone: string;

  /** Built by `TempoDistributed`: one per zone with its per-zone replica count. */
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: LiveStoreProps, zone: string, replicas: number, rollout?: ZoneRolloutSpec) {
    super(scope, id, context, {
      component: 'live-store',
      target: 'live-store',
      workloadName: new TempoNames(context.instanceName).liveStoreZone(zone),
      extraSelectorLabels: { [LIVE_STORE_ZONE_LABEL]: zone },
      extraEnv: { [LIVE_STORE_ZONE_ENV]: zone },
      // one budget across every zone, created by the composite
      disruptionBudget: 0,
      workloadKind: 'StatefulSet',
      ringMember: true,
      defaultReplicas: replicas,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.minutes(20),
      liveness: false,
      persistentData: { size: props.storageSize ?? Size.gibibytes(10), storageClassName: props.storageClassName, retentionPolicy: props.persistentVolumeClaimRetentionPolicy },
      serviceKind: 'Headless',
      zoneRollout: rollout,
    }, { ...props, replicas });
    this.zone = zone;
  }
}
