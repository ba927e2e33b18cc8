import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';
import { TempoPorts } from '../config/paths';
import type { StatefulStorageProps } from '../stateful/storage-change';

/** Options of Tempo 3's backend scheduler (always one pod). */
export interface BackendSchedulerProps extends Omit<TempoComponentProps, 'replicas' | 'podDisruptionBudget'>, StatefulStorageProps {
  /** Size of its volume (the work cache at /var/tempo). @default Size.gibibytes(1) */
  readonly storageSize?: Size;
  /** StorageClass of the volume. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/**
 * Tempo 3's backend scheduler: plans compaction and retention jobs over the
 * blocks in object storage and hands them to the backend workers (it
 * replaces the compactor with the workers). A singleton StatefulSet with its
 * own `data` volume for the work cache, as Tempo's jsonnet; ClusterIP
 * Service with http and grpc (the workers' `backend_scheduler_addr`).
 *
 * Identity: StatefulSet `<instance>-backend-scheduler`, claim template `data`.
 *
 * Default resources: requests 100m CPU / 256Mi, memory limit 512Mi.
 */
export class BackendScheduler extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: BackendSchedulerProps = {}) {
    super(scope, id, context, {
      component: 'backend-scheduler',
      target: 'backend-scheduler',
      workloadKind: 'StatefulSet',
      ringMember: false,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
      defaultTerminationGrace: Duration.seconds(30),
      liveness: true,
      persistentData: { size: props.storageSize ?? Size.gibibytes(1), storageClassName: props.storageClassName, retentionPolicy: props.persistentVolumeClaimRetentionPolicy },
      serviceKind: 'ClusterIP',
      disruptionBudget: 0,
    }, { ...props, replicas: 1 });
  }

  /** `host:port` the backend workers connect to. */
  public get schedulerAddress(): string {
    return `${this.serviceName}:${TempoPorts.GRPC}`;
  }
}
