import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';

/** Options of Tempo 3's block-builders. */
export interface BlockBuilderProps extends TempoComponentProps {
  /**
   * Block-builders. Block-builder n consumes partitions
   * [n*k, (n+1)*k) with k = partitions / replicas, so `ingest.kafka.partitions`
   * must be a multiple of it.
   * @default ingest.kafka.partitions (one partition each)
   */
  readonly replicas?: number;
  /** Size limit of the emptyDir holding the block-builder's WAL at /var/tempo. @default Size.gibibytes(10) */
  readonly walSizeLimit?: Size;
}

/**
 * Tempo 3's block-builders: consume their Kafka partitions in cycles and
 * write blocks to object storage (what ingesters flushed in 2.x). StatefulSet
 * (the ordinal picks the partitions) with a headless Service and an emptyDir
 * WAL: an interrupted cycle is consumed again from the last committed offset.
 *
 * Identity: StatefulSet `<instance>-block-builder`.
 *
 * Default resources: requests 500m CPU / 1Gi, memory limit 2Gi; grace period 60 seconds (Tempo's jsonnet).
 */
export class BlockBuilder extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: BlockBuilderProps, replicas: number) {
    super(scope, id, context, {
      component: 'block-builder',
      target: 'block-builder',
      workloadKind: 'StatefulSet',
      ringMember: true,
      defaultReplicas: replicas,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.seconds(60),
      liveness: false,
      scratchSizeLimit: props.walSizeLimit ?? Size.gibibytes(10),
      serviceKind: 'Headless',
    }, { ...props, replicas });
  }
}
