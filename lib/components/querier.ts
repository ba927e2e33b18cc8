import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { AutoscalableComponentProps, TempoComponent, TempoComponentContext } from './component';

/** Options of the queriers. */
export interface QuerierProps extends AutoscalableComponentProps {}

/**
 * Runs the query jobs the query-frontend hands out (its frontend worker
 * connects to the query-frontend's discovery Service), reading ingesters and
 * object storage. Deployment; joins the gossip ring to find ingesters.
 *
 * Default resources: requests 250m CPU / 512Mi, memory limit 1Gi.
 */
export class Querier extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: QuerierProps = {}) {
    super(scope, id, context, {
      component: 'querier',
      target: 'querier',
      workloadKind: 'Deployment',
      ringMember: true,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
      defaultTerminationGrace: Duration.seconds(30),
      liveness: true,
      serviceKind: 'ClusterIP',
      autoscaling: props.autoscaling,
    }, props);
  }
}
