import { k8s } from './plus';

/** Where pods may run: the scheduling options every workload of the library accepts. */
export interface PodSchedulingProps {
  /** Node labels the pods must run on. @default none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the pods tolerate. @default none */
  readonly tolerations?: readonly k8s.Toleration[];
  /** Affinity rules. @default none */
  readonly affinity?: k8s.Affinity;
  /** PriorityClass of the pods. @default none */
  readonly priorityClassName?: string;
  /**
   * Spread the pods across nodes and zones (topology spread constraints on
   * `kubernetes.io/hostname` and `topology.kubernetes.io/zone`, maxSkew 1,
   * ScheduleAnyway). Ignored when `topologySpreadConstraints` is given.
   * @default true
   */
  readonly spread?: boolean;
  /** Topology spread constraints replacing the default ones. @default see `spread` */
  readonly topologySpreadConstraints?: readonly k8s.TopologySpreadConstraint[];
}

/** The pod spec's topology spread constraints for these options and the pods' selector labels. */
export function topologySpread(props: PodSchedulingProps, selector: Readonly<Record<string, string>>): k8s.TopologySpreadConstraint[] | undefined {
  if (props.topologySpreadConstraints) return [...props.topologySpreadConstraints];
  if (props.spread === false) return undefined;
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
  }));
}

/** The scheduling fields of a pod spec: node selector, tolerations, affinity, priority and spread. */
export function podScheduling(props: PodSchedulingProps, selector: Readonly<Record<string, string>>): Pick<k8s.PodSpec,
'nodeSelector' | 'tolerations' | 'affinity' | 'priorityClassName' | 'topologySpreadConstraints'> {
  return {
    nodeSelector: props.nodeSelector && { ...props.nodeSelector },
    tolerations: props.tolerations && [...props.tolerations],
    affinity: props.affinity,
    priorityClassName: props.priorityClassName,
    topologySpreadConstraints: topologySpread(props, selector),
  };
}
