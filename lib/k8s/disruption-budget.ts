import { k8s } from './plus';
import { Construct } from 'constructs';

/** A PodDisruptionBudget allowing `maxUnavailable` of the selected pods to be evicted at once. */
export function disruptionBudget(
  scope: Construct,
  id: string,
  name: string,
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>>,
  maxUnavailable: number,
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name, labels: { ...labels } },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: { ...selector } } },
  });
}
