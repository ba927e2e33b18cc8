import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { AutoscalableComponentProps, TempoComponent, TempoComponentContext } from './component';
import { TempoPorts } from '../config/paths';
import { TempoNames } from '../k8s/names';

/** Options of the query-frontend. */
export interface QueryFrontendProps extends AutoscalableComponentProps {}

/**
 * Entry point of the read path (Grafana's datasource URL): shards queries
 * into jobs for the queriers. Deployment with a ClusterIP Service (http
 * 3200, grpc 9095) and a headless discovery Service that publishes
 * not-ready addresses, through which queriers connect to every frontend.
 * Not a ring member. No liveness probe: its readiness depends on connected
 * queriers, and restarting it would not fix them.
 *
 * Default resources: requests 250m CPU / 256Mi, memory limit 512Mi.
 */
export class QueryFrontend extends TempoComponent {
  /** Headless Service the queriers' frontend workers resolve. */
  public readonly discoveryService: k8s.KubeService;
  /** Name of the discovery Service. */
  public readonly discoveryServiceName: string;

  constructor(scope: Construct, id: string, context: TempoComponentContext, props: QueryFrontendProps = {}) {
    super(scope, id, context, {
      component: 'query-frontend',
      target: 'query-frontend',
      workloadKind: 'Deployment',
      ringMember: false,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
      defaultTerminationGrace: Duration.seconds(30),
      liveness: false,
      serviceKind: 'ClusterIP',
      autoscaling: props.autoscaling,
    }, props);
    this.discoveryServiceName = new TempoNames(context.instanceName).queryFrontendDiscovery;
    this.discoveryService = new k8s.KubeService(this, 'DiscoveryService', {
      metadata: { name: this.discoveryServiceName, labels: { ...this.labels } },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: { ...this.selectorLabels },
        ports: [
          { name: 'http', port: TempoPorts.HTTP, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'grpc', port: TempoPorts.GRPC, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP' },
          // gRPC clients that look up SRV records for _grpclb find the frontends here.
          { name: 'grpclb', port: TempoPorts.GRPC + 1, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP' },
        ],
      },
    });
  }

  /** `host:port` the queriers' frontend workers connect to. */
  public get frontendAddress(): string {
    return `${this.discoveryServiceName}:${TempoPorts.GRPC}`;
  }
}
