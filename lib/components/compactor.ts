import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { AutoscalableComponentProps, TempoComponent, TempoComponentContext } from './component';

/** Options of the compactor. */
export interface CompactorProps extends AutoscalableComponentProps {
  /** How long trace blocks are kept in storage (`compactor.compaction.block_retention`). @default Duration.days(14), Tempo's own default */
  readonly retention?: Duration;
}

/**
 * Merges blocks in object storage and deletes blocks past the retention.
 * Deployment; joins the gossip ring (compactors shard work through it).
 *
 * Default resources: requests 250m CPU / 1Gi, memory limit 2Gi.
 */
export class Compactor extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: CompactorProps = {}) {
    super(scope, id, context, {
      component: 'compactor',
      target: 'compactor',
      workloadKind: 'Deployment',
      ringMember: true,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) } },
      defaultTerminationGrace: Duration.seconds(30),
      liveness: true,
      serviceKind: 'ClusterIP',
      autoscaling: props.autoscaling,
    }, props);
  }
}
