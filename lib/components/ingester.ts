import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';

/** Options of the ingesters. */
export interface IngesterProps extends TempoComponentProps {
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
  /** Default number of ingester pods. */
  public static readonly DEFAULT_REPLICAS = 3;

  /** The replication factor the props ask for, or its default for their replica count. */
  public static replicationFactorOf(props: IngesterProps): number {
    const replicas = props.replicas ?? Ingester.DEFAULT_REPLICAS;
    return props.replicationFactor ?? (replicas >= 3 ? 3 : 1);
  }

  /**
   * maxUnavailable of the ingester budget: writes need floor(RF/2)+1 healthy
   * copies, so at most floor((RF-1)/2) ingesters may be down (at least 1).
   */
  public static disruptionBudgetOf(replicationFactor: number): number {
    return Math.max(1, Math.floor((replicationFactor - 1) / 2));
  }

  /** The zone of this StatefulSet, when zone-aware. */
  public readonly zone?: string;

  constructor(scope: Construct, id: string, context: TempoComponentContext, props: IngesterProps = {}, zone?: { readonly name: string; readonly replicas: number }) {
    const storageSize = props.storageSize ?? Size.gibibytes(10);
    super(scope, id, context, {
      workloadName: zone ? `${context.instanceName}-ingester-${zone.name}` : undefined,
      extraSelectorLabels: zone ? { [INGESTER_ZONE_LABEL]: zone.name } : undefined,
      extraEnv: zone ? { [INGESTER_ZONE_ENV]: zone.name } : undefined,
      requiredNodeAffinity: zone ? { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone.name] }] } : undefined,
      // zoned ingesters share one budget across zones, created by the composite
      disruptionBudget: zone ? 0 : Ingester.disruptionBudgetOf(Ingester.replicationFactorOf(props)),
      component: 'ingester',
      target: 'ingester',
      workloadKind: 'StatefulSet',
      ringMember: true,
      defaultReplicas: Ingester.DEFAULT_REPLICAS,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.minutes(5),
      liveness: false,
      persistentData: { size: storageSize, storageClassName: props.storageClassName },
      serviceKind: 'Headless',
    }, zone ? { ...props, replicas: zone.replicas } : props);
    this.zone = zone?.name;
  }
}
