import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import { k8s } from './plus';
import { Construct } from 'constructs';
import { ReservedPodParts, WorkloadCustomization } from './customization';
import { disruptionBudget } from './disruption-budget';
import { CONFIG_CHECKSUM_ANNOTATION } from './labels';
import { podScheduling, PodSchedulingProps } from './scheduling';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/** A container of a workload; the builder adds the restricted security context and pulls `IfNotPresent`. */
export type WorkloadContainer = Omit<k8s.Container, 'securityContext' | 'imagePullPolicy'> & {
  /** User and group the container runs as. @default the pod's */
  readonly uid?: number;
};

/** What one workload states; everything else is the same for every pod the library emits. */
export interface PodTemplateSpec {
  /** Labels of the pods (selector labels included). */
  readonly labels: Readonly<Record<string, string>>;
  /** Extra pod annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Text whose SHA-256 goes into `checksum/config`, so a change of it rolls the pods. @default none */
  readonly checksumOf?: string;
  /** User and group of the pod (restricted Pod Security: numeric, non-root). */
  readonly uid: number;
  /** ServiceAccount of the pods. @default none (the namespace's default, token not mounted) */
  readonly serviceAccountName?: string;
  /** Whether the ServiceAccount token is mounted. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Shutdown grace period in seconds. @default Kubernetes' (30) */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Where the pods may run; the spread constraints select on `selector`.
   * @default no scheduling fields
   */
  readonly scheduling?: { readonly props: PodSchedulingProps; readonly selector: Readonly<Record<string, string>>; readonly requiredNodeAffinity?: k8s.NodeSelectorTerm };
  /** Restart policy (Jobs). @default Kubernetes' (Always) */
  readonly restartPolicy?: string;
  /** The containers. */
  readonly containers: readonly WorkloadContainer[];
  /** The volumes. @default none */
  readonly volumes?: readonly k8s.Volume[];
  /**
   * The user's customization (the first container is the main one), rendered when the chart synthesizes so
   * what mutators add later is included. @default none
   */
  readonly customization?: WorkloadCustomization;
}

/** A Deployment or StatefulSet with its disruption budget. */
export interface WorkloadSpec extends PodTemplateSpec {
  /** Object name. */
  readonly name: string;
  /** Labels of the workload object (and its budget). */
  readonly objectLabels: Readonly<Record<string, string>>;
  /** Labels the workload selects its pods by. */
  readonly selector: Readonly<Record<string, string>>;
  /** Kind of the workload. */
  readonly kind: 'Deployment' | 'StatefulSet';
  /** Number of pods (the autoscaler's minimum when `autoscaled`). */
  readonly replicas: number;
  /** An autoscaler owns the count: the Deployment states none, so GitOps does not fight it. @default false */
  readonly autoscaled?: boolean;
  /** StatefulSet: governing Service. */
  readonly serviceName?: string;
  /** StatefulSet: start and stop pods in parallel, update them all at once (partition 0). @default true */
  readonly parallel?: boolean;
  /** StatefulSet: claim templates. @default none */
  readonly volumeClaimTemplates?: readonly k8s.KubePersistentVolumeClaimProps[];
  /** StatefulSet: `OnDelete` update strategy (a rollout-operator or a person replaces the pods). @default false */
  readonly onDelete?: boolean;
  /** Annotations of the workload object. @default none */
  readonly objectAnnotations?: Readonly<Record<string, string>>;
  /** StatefulSet: what happens to the claims on delete and scale-down. @default not emitted (Kubernetes' Retain/Retain) */
  readonly persistentVolumeClaimRetentionPolicy?: k8s.StatefulSetPersistentVolumeClaimRetentionPolicy;
  /** maxUnavailable of a PodDisruptionBudget created when more than one pod runs. @default no budget */
  readonly disruptionBudget?: number;
}

/**
 * The pod template every workload of the library uses: restricted security
 * (pod and containers), no service links, the config checksum, scheduling.
 */
export function podTemplate(spec: PodTemplateSpec): k8s.PodTemplateSpec {
  const annotations = {
    ...spec.annotations,
    ...(spec.checksumOf === undefined ? {} : { [CONFIG_CHECKSUM_ANNOTATION]: createHash('sha256').update(spec.checksumOf).digest('hex') }),
  };
  const scheduling = spec.scheduling;
  const placement = scheduling ? podScheduling(scheduling.props, scheduling.selector) : {};
  const c = spec.customization;
  const containers = () => spec.containers.map(({ uid, ...container }, i) => {
    const rendered = { ...container, imagePullPolicy: 'IfNotPresent', securityContext: restrictedContainerSecurityContext(uid ?? spec.uid) };
    return c === undefined ? rendered : i === 0 ? c.mainContainer(rendered) : { ...rendered, image: rendered.image && c.image(rendered.image) };
  });
  const volumes = () => {
    const all = [...(spec.volumes ?? []), ...(c?.renderVolumes() ?? [])];
    return spec.volumes || all.length ? all : undefined;
  };
  return {
    metadata: { labels: { ...spec.labels }, annotations: Object.keys(annotations).length ? annotations : undefined },
    spec: {
      restartPolicy: spec.restartPolicy,
      serviceAccountName: spec.serviceAccountName,
      automountServiceAccountToken: spec.mountServiceAccountToken ?? false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(spec.uid),
      terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
      ...placement,
      affinity: withRequiredNodeAffinity(placement.affinity, scheduling?.requiredNodeAffinity),
      // With customization, rendered at synth: mutators may still add to it after construction.
      imagePullSecrets: c && Lazy.any({ produce: () => c.renderPullSecrets() }),
      initContainers: c && Lazy.any({ produce: () => c.renderInitContainers(spec.uid) }),
      containers: c ? Lazy.any({ produce: () => [...containers(), ...c.renderSidecars(spec.uid)] }) : containers(),
      volumes: c ? Lazy.any({ produce: volumes }) : volumes(),
    },
  };
}

/** What the library itself puts into the pod of `spec`, which customization must not collide with. */
export function reservedPodParts(spec: PodTemplateSpec, service: { readonly ports: readonly string[]; readonly headless: boolean }): ReservedPodParts {
  return {
    volumes: (spec.volumes ?? []).map((v) => v.name),
    mountPaths: (spec.containers[0]?.volumeMounts ?? []).map((m) => m.mountPath),
    containers: spec.containers.map((c) => c.name),
    ports: spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name ?? '')).filter((n) => n),
    servicePorts: service.ports,
    headlessService: service.headless,
  };
}

/** The workload and, when more than one pod runs and a budget is asked for, its PodDisruptionBudget. */
export function workload(scope: Construct, id: string, spec: WorkloadSpec): {
  readonly workload: k8s.KubeDeployment | k8s.KubeStatefulSet;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
} {
  const metadata = { name: spec.name, labels: { ...spec.objectLabels }, annotations: spec.objectAnnotations && { ...spec.objectAnnotations } };
  const selector = { matchLabels: { ...spec.selector } };
  const template = podTemplate(spec);
  const parallel = spec.parallel ?? true;
  const object = spec.kind === 'StatefulSet'
    ? new k8s.KubeStatefulSet(scope, id, {
      metadata,
      spec: {
        serviceName: spec.serviceName!,
        replicas: spec.replicas,
        podManagementPolicy: parallel ? 'Parallel' : undefined,
        updateStrategy: spec.onDelete ? { type: 'OnDelete' } : parallel ? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } : undefined,
        selector,
        template,
        volumeClaimTemplates: spec.volumeClaimTemplates && [...spec.volumeClaimTemplates],
        persistentVolumeClaimRetentionPolicy: spec.persistentVolumeClaimRetentionPolicy,
      },
    })
    : new k8s.KubeDeployment(scope, id, {
      metadata,
      spec: {
        replicas: spec.autoscaled ? undefined : spec.replicas,
        revisionHistoryLimit: 10,
        minReadySeconds: 10,
        // Surge one new pod before removing an old one: no capacity dip during a rollout.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        selector,
        template,
      },
    });
  const budget = spec.disruptionBudget;
  return {
    workload: object,
    podDisruptionBudget: budget !== undefined && budget > 0 && spec.replicas > 1
      ? disruptionBudget(scope, 'DisruptionBudget', spec.name, spec.objectLabels, spec.selector, budget)
      : undefined,
  };
}

/** A `data` claim template of `size` (a Kubernetes quantity) at the default or given StorageClass. */
export function dataClaimTemplate(labels: Readonly<Record<string, string>>, size: string, storageClassName: string | undefined): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', labels: { ...labels } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      volumeMode: 'Filesystem',
      resources: { requests: { storage: k8s.Quantity.fromString(size) } },
    },
  };
}

function withRequiredNodeAffinity(affinity: k8s.Affinity | undefined, term: k8s.NodeSelectorTerm | undefined): k8s.Affinity | undefined {
  if (!term) return affinity;
  const existing = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  // Terms are ORed: add the requirement to each of the user's terms so it always holds.
  const terms = existing?.length
    ? existing.map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), ...(term.matchExpressions ?? [])] }))
    : [term];
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
  };
}
