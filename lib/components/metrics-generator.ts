import { Duration, Size } from 'cdk8s';
import { Cpu } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoComponent, TempoComponentContext, TempoComponentProps } from './component';
import { sizeErrors } from '../config/units';
import { MetricsGeneratorSettings, runsLocalBlocks } from '../config/tempo-config';
import { storageClassNameErrors } from '../k8s/validation';
import type { StatefulStorageProps } from '../stateful/storage-change';
import type { TempoVersion } from '../version';

/** Options of the metrics-generator. Giving them deploys it. */
export interface MetricsGeneratorProps extends TempoComponentProps, MetricsGeneratorSettings, StatefulStorageProps {
  /**
   * Size of each generator's volume at /var/tempo (remote-write WAL, the local-blocks
   * processor's WAL and the last `completeBlockTimeout` of blocks). Only with local-blocks.
   * @default Size.gibibytes(10)
   */
  readonly storageSize?: Size;
  /** StorageClass of the volumes (only with local-blocks). @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * Size limit of the emptyDir holding the remote-write WAL at /var/tempo, when the
   * generator runs without local-blocks (a Deployment).
   * @default Size.gibibytes(5)
   */
  readonly walSizeLimit?: Size;
}

/**
 * Derives span metrics and service-graph metrics from incoming spans and
 * remote-writes them to Prometheus; joins the gossip ring (the distributors
 * find generators through it).
 *
 * With the `local-blocks` processor (the default) it also keeps recent spans
 * for TraceQL metrics and Traces Drilldown, so it is a StatefulSet with a
 * `data` volume claim template at /var/tempo: a restarted generator replays
 * its blocks instead of losing the last hour. Without local-blocks it is a
 * Deployment with an emptyDir (series are rebuilt from new spans).
 *
 * Identity: StatefulSet (or Deployment) `<instance>-metrics-generator`, Service of the same name, claim template `data`.
 *
 * Default resources: requests 250m CPU / 512Mi, memory limit 1Gi; grace period 5 minutes.
 */
export class MetricsGenerator extends TempoComponent {
  constructor(scope: Construct, id: string, context: TempoComponentContext, props: MetricsGeneratorProps) {
    const persistent = runsLocalBlocks(props, context.version);
    super(scope, id, context, {
      component: 'metrics-generator',
      target: 'metrics-generator',
      workloadKind: persistent ? 'StatefulSet' : 'Deployment',
      ringMember: true,
      defaultReplicas: 1,
      defaultResources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
      defaultTerminationGrace: Duration.minutes(5),
      liveness: false,
      persistentData: persistent ? { size: props.storageSize ?? Size.gibibytes(10), storageClassName: props.storageClassName, retentionPolicy: props.persistentVolumeClaimRetentionPolicy } : undefined,
      scratchSizeLimit: persistent ? undefined : props.walSizeLimit ?? Size.gibibytes(5),
      // Kept a ClusterIP Service (also the StatefulSet's governing Service): its identity predates the StatefulSet.
      serviceKind: 'ClusterIP',
    }, props);
  }
}

/** Errors of the generator's volume options (`option` is `metricsGenerator`): each belongs to one workload kind. */
export function metricsGeneratorVolumeErrors(option: string, props: MetricsGeneratorProps, version: TempoVersion): string[] {
  const persistent = runsLocalBlocks(props, version);
  const errors = [
    ...sizeErrors(`${option}.walSizeLimit`, props.walSizeLimit),
    ...sizeErrors(`${option}.storageSize`, props.storageSize),
    ...storageClassNameErrors(`${option}.storageClassName`, props.storageClassName),
  ];
  if (persistent && props.walSizeLimit !== undefined) {
    errors.push(`${option}.walSizeLimit: sizes the emptyDir of a generator without local-blocks, but local-blocks runs (the generator has a volume); allowed: ${option}.storageSize`);
  }
  if (!persistent) {
    for (const key of ['storageSize', 'storageClassName', 'storageChange', 'persistentVolumeClaimRetentionPolicy'] as const) {
      if (props[key] !== undefined) errors.push(`${option}.${key}: set but the generator runs without local-blocks (no volume, an emptyDir); allowed: ${option}.walSizeLimit, or GeneratorProcessor.LOCAL_BLOCKS in ${option}.processors`);
    }
  }
  return errors;
}
