import { Construct } from 'constructs';
import { WorkloadCustomization } from '../k8s/customization';
import { k8s } from '../k8s/plus';
import { LabelKeys } from '../k8s/labels';
import { serviceAccountWithRole } from '../k8s/rbac';
import { podTemplate } from '../k8s/workload';

/** How the zone StatefulSets (2.x zone-aware ingesters, 3.x live-stores) take a new pod template. */
export enum ZoneRollout {
  /**
   * Grafana's rollout-operator, deployed with the instance: the zone StatefulSets use `OnDelete` and carry the
   * `rollout-group` label; the operator restarts one zone at a time (at most `maxUnavailable` of its pods at
   * once) and moves to the next zone only when every pod of the other zones is ready. Automatic and safe.
   */
  ROLLOUT_OPERATOR = 'rollout-operator',
  /**
   * `OnDelete` without an operator: a changed pod template waits until you delete the pods, one zone at a
   * time, each zone once the previous one is ready again (README, "Zone rollouts").
   */
  ON_DELETE = 'on-delete',
}

/** How zone StatefulSets roll; see `ZoneRollout`. */
export interface ZoneRolloutOptions {
  /** The strategy. @default ZoneRollout.ROLLOUT_OPERATOR */
  readonly strategy?: ZoneRollout;
  /**
   * Pods of one zone the rollout-operator restarts at once (`rollout-max-unavailable`).
   * @default every pod of the zone (the other zones keep a quorum of every trace's copies)
   */
  readonly maxUnavailable?: number;
  /** Image of the rollout-operator. @default ROLLOUT_OPERATOR_IMAGE */
  readonly operatorImage?: string;
}

/** The rollout-operator release Tempo 2.10.8's jsonnet deploys (needs no CRD and no webhook). */
export const ROLLOUT_OPERATOR_IMAGE = 'grafana/rollout-operator:v0.23.0';
/** StatefulSet label grouping the StatefulSets the rollout-operator rolls one at a time. */
export const ROLLOUT_GROUP_LABEL = 'rollout-group';
/** StatefulSet annotation: pods of that StatefulSet the rollout-operator restarts at once. */
export const ROLLOUT_MAX_UNAVAILABLE_ANNOTATION = 'rollout-max-unavailable';

/** What a zone StatefulSet gets for its rollout (always `OnDelete`). */
export interface ZoneRolloutSpec {
  /** Labels of the StatefulSet object (not its selector). */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of the StatefulSet object. */
  readonly annotations: Readonly<Record<string, string>>;
}

/** The StatefulSet metadata of a zone StatefulSet in rollout group `group` (one per instance and component) with `podsPerZone` pods. */
export function zoneRolloutSpec(options: ZoneRolloutOptions, group: string, podsPerZone: number): ZoneRolloutSpec {
  return (options.strategy ?? ZoneRollout.ROLLOUT_OPERATOR) === ZoneRollout.ROLLOUT_OPERATOR
    ? { labels: { [ROLLOUT_GROUP_LABEL]: group }, annotations: { [ROLLOUT_MAX_UNAVAILABLE_ANNOTATION]: String(options.maxUnavailable ?? podsPerZone) } }
    : { labels: {}, annotations: {} };
}

/** Errors of `zoneRollout` (`zoned`: whether the instance has zone StatefulSets). */
export function zoneRolloutErrors(option: string, options: ZoneRolloutOptions | undefined, zoned: boolean, zonesOption: string): string[] {
  if (options === undefined) return [];
  const errors: string[] = [];
  if (options.strategy !== undefined && !Object.values(ZoneRollout).includes(options.strategy)) {
    errors.push(`${option}.strategy: ${JSON.stringify(options.strategy)} is invalid; allowed: ZoneRollout.ROLLOUT_OPERATOR or ZoneRollout.ON_DELETE`);
  }
  const max = options.maxUnavailable;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1)) errors.push(`${option}.maxUnavailable: ${max} is invalid; allowed: an integer >= 1`);
  if (options.strategy === ZoneRollout.ON_DELETE) {
    for (const key of ['maxUnavailable', 'operatorImage'] as const) {
      if (options[key] !== undefined) errors.push(`${option}.${key}: set but ${option}.strategy is ZoneRollout.ON_DELETE (no operator); allowed: ZoneRollout.ROLLOUT_OPERATOR`);
    }
  }
  if (!zoned) errors.push(`${option}: set but there are no zone StatefulSets; allowed: ${zonesOption}`);
  return errors;
}

/** Props of `RolloutOperator`. */
export interface RolloutOperatorProps {
  /** Name of its Deployment, ServiceAccount, Role and RoleBinding. */
  readonly name: string;
  /** Labels of its objects (selecting none of Tempo's NetworkPolicies). */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels its Deployment selects its pod by. */
  readonly selector: Readonly<Record<string, string>>;
  /** Image. */
  readonly image: string;
  /** Registry replacing the image's (the stack's `imageRegistry`). @default none */
  readonly imageRegistry?: string;
  /** Pull secrets of the pod (the stack's `imagePullSecrets`). @default none */
  readonly imagePullSecrets?: readonly string[];
}

/** Metrics (and readiness) port of the rollout-operator. */
export const ROLLOUT_OPERATOR_PORT = 8001;

/**
 * Grafana's rollout-operator for the namespace, as Tempo's jsonnet runs it without webhooks: one pod (replaced,
 * never two at once), a Role limited to what it touches (pods: list/get/watch/delete; StatefulSets:
 * list/get/watch/patch; their status: update), restricted Pod Security.
 */
export class RolloutOperator extends Construct {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: RolloutOperatorProps) {
    super(scope, id);
    const metadata = { name: props.name, labels: { ...props.labels } };
    serviceAccountWithRole(this, metadata, [
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get', 'watch', 'delete'] },
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['list', 'get', 'watch', 'patch'] },
      { apiGroups: ['apps'], resources: ['statefulsets/status'], verbs: ['update'] },
    ]);
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        // Two operators must never delete pods at the same time.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...props.selector } },
        template: podTemplate({
          labels: { ...props.labels },
          uid: 10001, // the Helm chart's user for it
          serviceAccountName: props.name,
          mountServiceAccountToken: true,
          // The stack's registry and pull secrets, checked by the stack's validation.
          customization: new WorkloadCustomization('', 'rolloutOperator', { value: props.imageRegistry }, undefined).addProps({}, {}, props.imagePullSecrets),
          containers: [{
            name: 'rollout-operator',
            image: props.image,
            // Only its own namespace, whatever it is deployed to.
            args: ['-kubernetes.namespace=$(POD_NAMESPACE)'],
            env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
            ports: [{ name: 'http-metrics', containerPort: ROLLOUT_OPERATOR_PORT, protocol: 'TCP' }],
            readinessProbe: { httpGet: { path: '/ready', port: k8s.IntOrString.fromString('http-metrics') }, initialDelaySeconds: 5, timeoutSeconds: 1 },
            resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('100Mi') }, limits: { memory: k8s.Quantity.fromString('200Mi') } },
          }],
        }),
      },
    });
  }
}

/** Labels of the rollout-operator's objects and pod (its selector: name and instance). */
export function rolloutOperatorLabels(instanceLabels: Readonly<Record<string, string>>): { labels: Record<string, string>; selector: Record<string, string> } {
  const selector = { [LabelKeys.NAME]: 'rollout-operator', [LabelKeys.INSTANCE]: instanceLabels[LabelKeys.INSTANCE] };
  // Not Tempo's version label: the operator has its own release.
  const shared = Object.fromEntries(Object.entries(instanceLabels).filter(([k]) => k !== LabelKeys.VERSION));
  return { labels: { ...shared, ...selector, [LabelKeys.COMPONENT]: 'rollout-operator' }, selector };
}
