import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';
import type { MetricsGeneratorSettings } from '../config/tempo-config';

/** Options of the metrics-generator. Giving them deploys it. */
export interface MetricsGeneratorProps extends TempoComponentProps, MetricsGeneratorSettings {
  /** Size limit of the emptyDir holding the remote-write WAL at /var/tempo. @default Size.gibibytes(5) */
  readonly walSizeLimit?: Size;
}

/**
 * Derives span metrics and service-graph metrics from incoming spans and
 * remote-writes them to Prometheus. Deployment; joins the gossip ring (the
 * distributors find generators through it). Its remote-write WAL lives on an
 * emptyDir: after a restart the series are rebuilt from new spans.
 *
 * Default resources: requests 250m CPU / 512Mi, memory limit 1Gi; grace period 5 minutes.
 */
export class MetricsGenerator extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: MetricsGeneratorProps) {
    super(scope, id, context, {
      component: 'metrics-generator',
      target: 'metrics-generator',
      workloadKind: 'Deployment',
      ringMember: true,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
      defaultTerminationGrace: Duration.minutes(5),
      liveness: false,
      scratchSizeLimit: props.walSizeLimit ?? Size.gibibytes(5),
      serviceKind: 'ClusterIP',
    }, props);
  }
}
