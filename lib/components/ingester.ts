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
}

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

  constructor(scope: Construct, id: string, context: TempoComponentContext, props: IngesterProps = {}) {
    const storageSize = props.storageSize ?? Size.gibibytes(10);
    super(scope, id, context, {
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
    }, props);
  }
}
