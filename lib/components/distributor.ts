import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { AutoscalableComponentProps, TempoComponent, TempoComponentContext } from './component';
import type { TempoReceiver } from '../config/receivers';

/** Options of the distributor. */
export interface DistributorProps extends AutoscalableComponentProps {}

/**
 * Receives spans on the enabled receivers and forwards them to ingesters (and
 * the metrics-generator). Deployment; joins the gossip ring (rate limits are
 * shared through the distributor ring). Its Service exposes exactly the
 * enabled receivers plus http.
 *
 * Default resources: requests 500m CPU / 512Mi, memory limit 1Gi.
 */
export class Distributor extends TempoComponent {
  /** The receivers this distributor listens on. */
  public readonly receivers: readonly TempoReceiver[];

  constructor(scope: Construct, id: string, context: TempoComponentContext, receivers: readonly TempoReceiver[], props: DistributorProps = {}) {
    super(scope, id, context, {
      component: 'distributor',
      target: 'distributor',
      workloadKind: 'Deployment',
      ringMember: true,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
      defaultTerminationGrace: Duration.seconds(30),
      liveness: true,
      extraPorts: receivers.map((r) => ({ name: r.name, port: r.port, protocol: r.protocol })),
      serviceKind: 'ClusterIP',
      autoscaling: props.autoscaling,
    }, props);
    this.receivers = receivers;
  }
}
