import { k8s } from 'cdk8s-plus-28';

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
}
