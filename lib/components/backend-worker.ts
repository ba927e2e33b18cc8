import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { AutoscalableComponentProps, TempoComponent, TempoComponentContext } from './component';

/** Options of Tempo 3's backend workers. */
export interface BackendWorkerProps extends AutoscalableComponentProps {
  /** How long trace blocks are kept in storage (`backend_worker.compaction.block_retention`; 2.x: `compactor.retention`). @default Duration.days(14), Tempo's own default */
  readonly retention?: Duration;
}

/**
 * Tempo 3's backend workers: run the compaction and retention jobs of the
 * backend scheduler against object storage. Deployment; joins the gossip
 * ring (workers share tenants through it). Blocks past the retention
 * (`backend_worker.compaction.block_retention`) are deleted by them.
 *
 * Default resources: requests 250m CPU / 1Gi, memory limit 2Gi.
 */
export class BackendWorker extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: BackendWorkerProps = {}) {
    super(scope, id, context, {
      component: 'backend-worker',
      target: 'backend-worker',
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
