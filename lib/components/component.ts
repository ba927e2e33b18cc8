import { Duration, Size } from 'cdk8s';
import type { ContainerResources, EnvValue } from 'cdk8s-plus-28';
import { k8s } from '../k8s/plus';
import { localeOrder } from '../sort-order';
import { Construct } from 'constructs';
import { TempoPaths, TempoPorts } from '../config/paths';
import { ReceiverProtocol } from '../config/receivers';
import { describeDuration, sizeQuantity } from '../config/units';
import { componentLabels, LabelKeys, labelErrors, selectorLabels } from '../k8s/labels';
import { TempoNames } from '../k8s/names';
import { PodSchedulingProps } from '../k8s/scheduling';
import { goMemLimit, resourceErrors, toResourceRequirements } from '../k8s/resources';
import { envNameErrors, imageErrors, podSchedulingErrors, replicaErrors } from '../k8s/validation';
import { TEMPO_UID } from '../k8s/security';
import { dataClaimTemplate, reservedPodParts, workload, WorkloadSpec } from '../k8s/workload';
import { customizedService, TempoCustomizableWorkload, TempoWorkloadCustomizationProps, validateCustomization, WorkloadCustomization } from '../k8s/customization';
import { claimRetentionPolicy, ClaimRetentionPolicy } from '../stateful/storage-change';
import type { ZoneRolloutSpec } from '../stateful/zone-rollout';
import type { SecretEnvVar, StorageBinding } from '../storage/storage';
import type { ResolvedTlsSecret } from '../tls/tls';
import type { TempoVersion } from '../version';

/** Options every Tempo component accepts. */
export interface TempoComponentProps extends PodSchedulingProps, TempoWorkloadCustomizationProps {
  /** Number of pods. @default 1 (ingester: 3) */
  readonly replicas?: number;
  /**
   * CPU and memory. Always emitted explicitly; GOMEMLIMIT is set to 80 % of the memory limit.
   * @default per component, see each component's documentation
   */
  readonly resources?: ContainerResources;
  /** Container image. @default the stack's image (`grafana/tempo:<version>`) */
  readonly image?: string;
  /**
   * Extra environment variables, e.g. `EnvValue.fromSecretValue(...)`. They
   * win over variables the library sets with the same name.
   * @default none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Extra command-line flags such as `-log.level=debug`. `-target` and `-config.file` are the library's. @default none */
  readonly extraArgs?: readonly string[];
  /** Extra pod labels (never used in selectors). @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Extra pod annotations. @default none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Time a pod gets to shut down. @default 30 seconds (ingester and metrics-generator: 5 minutes) */
  readonly terminationGracePeriod?: Duration;
  /**
   * A PodDisruptionBudget, created when more than one pod runs.
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
}

/** Horizontal pod autoscaling (autoscaling/v2) of a stateless component. */
export interface ComponentAutoscaling {
  /** Fewest pods. */
  readonly minReplicas: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of the request. @default 60 */
  readonly targetCpuUtilization?: number;
  /** Target average memory utilization, percent of the request. @default none */
  readonly targetMemoryUtilization?: number;
  /** How fast the autoscaler scales up and down (`spec.behavior`). @default Kubernetes' (scale up at once, down after 5 minutes) */
  readonly behavior?: TempoAutoscalingBehavior;
}

/** Scaling behaviour of a HorizontalPodAutoscaler (autoscaling/v2 `behavior`). */
export interface TempoAutoscalingBehavior {
  /** Rules for scaling up. @default Kubernetes' (no stabilization, double or +4 pods every 15 seconds) */
  readonly scaleUp?: TempoScalingRules;
  /** Rules for scaling down. @default Kubernetes' (5 minutes stabilization, any number of pods) */
  readonly scaleDown?: TempoScalingRules;
}

/** Rules for one scaling direction. */
export interface TempoScalingRules {
  /** Window of past recommendations considered (whole seconds, at most 1 hour). @default Kubernetes' */
  readonly stabilizationWindow?: Duration;
  /** Which policy wins when several allow a change, or `Disabled` to never scale this way. @default 'Max' */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** Limits on the change per period. @default Kubernetes' */
  readonly policies?: readonly TempoScalingPolicy[];
}

/** At most `value` pods (or percent of the current pods) per `period`. */
export interface TempoScalingPolicy {
  /** `Pods` or `Percent`. */
  readonly type: 'Pods' | 'Percent';
  /** Number of pods or percentage, at least 1. */
  readonly value: number;
  /** Period the limit applies to (whole seconds, 1 second to 30 minutes). */
  readonly period: Duration;
}

/** Options of components that can scale horizontally on load. */
export interface AutoscalableComponentProps extends TempoComponentProps {
  /**
   * Scale with a HorizontalPodAutoscaler between min and max replicas; the
   * Deployment then has no fixed `replicas` (so GitOps does not fight the autoscaler).
   * @default no autoscaling
   */
  readonly autoscaling?: ComponentAutoscaling;
}

/** What a component takes from the deployment around it. Derived by `TempoDistributed` (or `TempoMonolithic`). */
export interface TempoComponentContext {
  /** Instance name: prefix of every object name and value of `app.kubernetes.io/instance`. */
  readonly instanceName: string;
  /** The Tempo release, written to the `app.kubernetes.io/version` label. */
  readonly version: TempoVersion;
  /** Default image for every component. */
  readonly image: string;
  /** ConfigMap holding `tempo.yaml`. */
  readonly configMapName: string;
  /** ConfigMap holding the runtime `overrides.yaml`. */
  readonly runtimeConfigMapName: string;
  /** The rendered tempo.yaml, hashed into the pod template so a change rolls the pods. */
  readonly configText: string;
  /** The storage binding: environment variables, Secret files and pod labels every pod gets. */
  readonly storage: StorageBinding;
  /** ServiceAccount of the pods. */
  readonly serviceAccountName: string;
  /** Whether pods mount the ServiceAccount token (only for cloud identity). */
  readonly mountServiceAccountToken: boolean;
  /** Value of `app.kubernetes.io/part-of`. */
  readonly partOf: string;
  /** Registry of every image unless a component sets its own (`imageRegistry`). @default none */
  readonly imageRegistry?: string;
  /** Pull secrets of every pod (`imagePullSecrets`). @default none */
  readonly imagePullSecrets?: readonly string[];
  /** Variables from Secrets besides the storage's (Tempo 3's Kafka SASL credentials). @default none */
  readonly secretEnv?: readonly SecretEnvVar[];
  /** TLS Secrets mounted into the components that use them (`tls`). @default none */
  readonly tlsSecrets?: readonly ResolvedTlsSecret[];
  /** Annotate workloads for stakater Reloader with the TLS Secrets they mount. @default false */
  readonly restartOnRenewal?: boolean;
}

/** A port a component listens on besides http and grpc. */
export interface ComponentPort {
  /** Port name, on the container and on the main Service. */
  readonly name: string;
  /** Port number, on the container and on the main Service. */
  readonly port: number;
  /** Transport protocol. */
  readonly protocol: ReceiverProtocol;
}

/** A volume claim template mounted at /var/tempo (StatefulSets). */
export interface PersistentDataSpec {
  /** Requested size of each claim. */
  readonly size: Size;
  /** StorageClass of the claims. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** What happens to the claims on delete and scale-down. @default not emitted (Kubernetes' Retain/Retain) */
  readonly retentionPolicy?: ClaimRetentionPolicy;
}

/** How one component differs from the others. The base turns it into Kubernetes objects. */
export interface ComponentSpec {
  /** Component name: object name suffix, label value and container name. */
  readonly component: string;
  /** Value of Tempo's `-target` flag. */
  readonly target: string;
  /** Kind of the workload; `persistentData` needs a StatefulSet. */
  readonly workloadKind: 'Deployment' | 'StatefulSet';
  /** Joins the memberlist gossip ring (gets the memberlist port and the gossip label). */
  readonly ringMember: boolean;
  /** Number of pods when the user sets no `replicas` (and no autoscaling). */
  readonly defaultReplicas: number;
  /** CPU and memory when the user sets no `resources`. */
  readonly defaultResources: ContainerResources;
  /** Shutdown grace period when the user sets no `terminationGracePeriod`. */
  readonly defaultTerminationGrace: Duration;
  /** Restart the container when /ready keeps failing (not for components whose readiness depends on others or on a long replay). */
  readonly liveness: boolean;
  /** Ports besides http, grpc and memberlist (e.g. the receivers). @default none */
  readonly extraPorts?: readonly ComponentPort[];
  /** Persistent /var/tempo (StatefulSet only); otherwise an emptyDir. */
  readonly persistentData?: PersistentDataSpec;
  /** Size limit of the /var/tempo emptyDir. @default none */
  readonly scratchSizeLimit?: Size;
  /** Main Service: ClusterIP, or headless (the governing Service of a StatefulSet). */
  readonly serviceKind: 'ClusterIP' | 'Headless';
  /** Name of the main Service. @default the workload name */
  readonly serviceName?: string;
  /** Whether the main Service exposes the gRPC port. @default true */
  readonly serviceExposesGrpc?: boolean;
  /** Name of the workload. @default `<instance>-<component>` */
  readonly workloadName?: string;
  /** Name of the container. @default the component name */
  readonly containerName?: string;
  /** Selector labels added to the component's (e.g. the zone of one ingester StatefulSet). @default none */
  readonly extraSelectorLabels?: Readonly<Record<string, string>>;
  /** Extra environment variables set by the library. @default none */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Node affinity the component requires (e.g. its zone). @default none */
  readonly requiredNodeAffinity?: k8s.NodeSelectorTerm;
  /** maxUnavailable of the PodDisruptionBudget; 0 disables it. @default 1 */
  readonly disruptionBudget?: number;
  /** Autoscaling, for components that support it. */
  readonly autoscaling?: ComponentAutoscaling;
  /** A zone StatefulSet's rollout: `OnDelete`, and the rollout-operator's label and annotation. @default RollingUpdate */
  readonly zoneRollout?: ZoneRolloutSpec;
}

const DATA_VOLUME = 'data';
const RELOADER_ANNOTATION = 'secret.reloader.stakater.com/reload';
const ARG_FLAG = /^--?[A-Za-z0-9][A-Za-z0-9._-]*(=.*)?$/;
const OWN_FLAGS = ['-target', '-config.file', '-config.expand-env'];

/**
 * One Tempo component: its workload (Deployment or StatefulSet) and its
 * Service, built from a `ComponentSpec`. Every component shares this code:
 * labels, security, probes, volumes, config checksum, resources.
 */
export abstract class TempoComponent extends TempoCustomizableWorkload {
  /** Object name of the workload (`<instance>-<component>` unless the component sets its own). */
  public readonly name: string;
  /** Component name (`distributor`, `ingester`, ...). */
  public readonly component: string;
  /** Labels the workload and its Services select on. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Number of pods. */
  public readonly replicas: number;
  /** The main Service. */
  public readonly service: k8s.KubeService;
  /** Name of the main Service. */
  public readonly serviceName: string;
  /** The workload. */
  public readonly workload: k8s.KubeDeployment | k8s.KubeStatefulSet;
  /** Whether the pods join the gossip ring. */
  public readonly ringMember: boolean;
  /** Recommended labels of this component's objects. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The PodDisruptionBudget, when more than one pod runs. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The HorizontalPodAutoscaler, when autoscaling is on. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;

  protected constructor(scope: Construct, id: string, context: TempoComponentContext, spec: ComponentSpec, props: TempoComponentProps) {
    super(scope, id);
    this.component = spec.component;
    this.name = spec.workloadName ?? new TempoNames(context.instanceName).component(spec.component);
    this.selectorLabels = { ...selectorLabels(context.instanceName, spec.component), ...spec.extraSelectorLabels };
    const autoscaling = spec.autoscaling;
    this.replicas = autoscaling ? autoscaling.minReplicas : props.replicas ?? spec.defaultReplicas;
    this.ringMember = spec.ringMember;
    this.serviceName = spec.serviceName ?? this.name;
    const resources = props.resources ?? spec.defaultResources;

    const labels = { ...componentLabels(context.instanceName, spec.component, context.version.version, context.partOf), ...spec.extraSelectorLabels };
    this.labels = labels;
    const ports = [
      { name: 'http', port: TempoPorts.HTTP, protocol: ReceiverProtocol.TCP },
      { name: 'grpc', port: TempoPorts.GRPC, protocol: ReceiverProtocol.TCP },
      ...(spec.ringMember ? [{ name: 'memberlist', port: TempoPorts.MEMBERLIST, protocol: ReceiverProtocol.TCP }] : []),
      ...(spec.extraPorts ?? []),
    ];
    const ready = { httpGet: { path: '/ready', port: k8s.IntOrString.fromString('http') } };
    const tlsSecrets = (context.tlsSecrets ?? []).filter((t) => !t.components || t.components.includes(spec.component));
    const option = spec.component === 'single-binary' ? '' : spec.component.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
    const at = (key: string) => (option ? `${option}.${key}` : key);
    const customization = this.useCustomization(new WorkloadCustomization(option, option || 'server',
      props.imageRegistry !== undefined ? { option: at('imageRegistry'), value: props.imageRegistry } : { value: context.imageRegistry },
      props.service).addProps(props, props.env, context.imagePullSecrets));
    const headless = spec.serviceKind === 'Headless';
    const service = customizedService(customization, ports.filter((p) => p.name !== 'memberlist' && (p.name !== 'grpc' || spec.serviceExposesGrpc !== false)).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: k8s.IntOrString.fromString(p.name),
      protocol: p.protocol,
    })));

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels, annotations: service.annotations },
      spec: {
        type: service.type,
        clusterIp: headless ? 'None' : undefined,
        publishNotReadyAddresses: headless ? true : undefined,
        selector: { ...this.selectorLabels },
        ports: service.ports,
      },
    });

    const podSpec: WorkloadSpec = {
      kind: spec.workloadKind,
      name: this.name,
      objectLabels: { ...labels, ...spec.zoneRollout?.labels },
      objectAnnotations: spec.zoneRollout && Object.keys(spec.zoneRollout.annotations).length ? spec.zoneRollout.annotations : undefined,
      onDelete: spec.zoneRollout !== undefined,
      selector: this.selectorLabels,
      replicas: this.replicas,
      autoscaled: autoscaling !== undefined,
      serviceName: this.serviceName,
      volumeClaimTemplates: spec.persistentData
        ? [dataClaimTemplate(this.selectorLabels, sizeQuantity(spec.persistentData.size), spec.persistentData.storageClassName)]
        : undefined,
      persistentVolumeClaimRetentionPolicy: claimRetentionPolicy(spec.persistentData?.retentionPolicy),
      disruptionBudget: props.podDisruptionBudget === false ? undefined : spec.disruptionBudget ?? 1,
      labels: {
        ...props.podLabels,
        ...context.storage.podLabels,
        ...labels,
        ...(spec.ringMember ? { [LabelKeys.GOSSIP_MEMBER]: 'true' } : {}),
      },
      annotations: props.podAnnotations,
      checksumOf: context.configText,
      uid: TEMPO_UID,
      serviceAccountName: context.serviceAccountName,
      mountServiceAccountToken: context.mountServiceAccountToken,
      terminationGracePeriodSeconds: (props.terminationGracePeriod ?? spec.defaultTerminationGrace).toSeconds(),
      scheduling: { props, selector: this.selectorLabels, requiredNodeAffinity: spec.requiredNodeAffinity },
      containers: [{
        name: spec.containerName ?? spec.component,
        image: props.image ?? context.image,
        args: [`-target=${spec.target}`, `-config.file=${TempoPaths.CONFIG_FILE}`, '-config.expand-env=true', ...(props.extraArgs ?? [])],
        env: containerEnv([...context.storage.secretEnv, ...(context.secretEnv ?? [])], context.storage, resources, spec.extraEnv ?? {}),
        ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
        readinessProbe: { ...ready, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 1 },
        livenessProbe: spec.liveness ? { ...ready, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 } : undefined,
        resources: toResourceRequirements(resources),
        volumeMounts: [
          { name: 'config', mountPath: TempoPaths.CONFIG_DIR, readOnly: true },
          { name: 'runtime-config', mountPath: TempoPaths.RUNTIME_CONFIG_DIR, readOnly: true },
          { name: DATA_VOLUME, mountPath: TempoPaths.DATA_DIR },
          { name: 'tmp', mountPath: '/tmp' },
          ...context.storage.secretFiles.map((f) => ({ name: f.volumeName, mountPath: f.mountPath, readOnly: true })),
          ...tlsSecrets.map((t) => ({ name: t.volumeName, mountPath: t.mountPath, readOnly: true })),
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: context.configMapName } },
        { name: 'runtime-config', configMap: { name: context.runtimeConfigMapName } },
        ...(spec.persistentData ? [] : [{
          name: DATA_VOLUME,
          emptyDir: { sizeLimit: spec.scratchSizeLimit && k8s.Quantity.fromString(sizeQuantity(spec.scratchSizeLimit)) },
        }]),
        { name: 'tmp', emptyDir: {} },
        ...context.storage.secretFiles.map((f) => ({ name: f.volumeName, secret: { secretName: f.secretName, items: [{ key: f.key, path: f.key }] } })),
        ...tlsSecrets.map((t) => ({
          name: t.volumeName,
          secret: { secretName: t.secretName, items: t.keys.map((key) => ({ key, path: key })) },
        })),
      ],
      customization,
    };
    const built = workload(this, 'Workload', podSpec);
    validateCustomization(this, customization, () => reservedPodParts(podSpec, { ports: service.ports.map((p) => p.name!), headless }));
    this.workload = built.workload;
    // A checksum cannot follow a Secret cert-manager rewrites; Reloader rolls the pods on a renewal (see lib/tls/tls.ts).
    if (context.restartOnRenewal && tlsSecrets.length) this.workload.metadata.addAnnotation(RELOADER_ANNOTATION, tlsSecrets.map((t) => t.secretName).join(','));
    this.podDisruptionBudget = built.podDisruptionBudget;
    if (autoscaling) {
      const target = (name: string, utilization: number): k8s.MetricSpecV2 => ({
        type: 'Resource',
        resource: { name, target: { type: 'Utilization', averageUtilization: utilization } },
      });
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: this.name, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: spec.workloadKind, name: this.name },
          minReplicas: autoscaling.minReplicas,
          maxReplicas: autoscaling.maxReplicas,
          metrics: [
            target('cpu', autoscaling.targetCpuUtilization ?? 60),
            ...(autoscaling.targetMemoryUtilization ? [target('memory', autoscaling.targetMemoryUtilization)] : []),
          ],
          behavior: autoscaling.behavior && {
            scaleUp: scalingRules(autoscaling.behavior.scaleUp),
            scaleDown: scalingRules(autoscaling.behavior.scaleDown),
          },
        },
      });
    }
  }

}

/**
 * Errors of one component's options, with the user's option path
 * (`queryFrontend`; `''` for the single binary, whose options are top-level).
 */
export function componentErrors(option: string, props: AutoscalableComponentProps, minReplicas = 1): string[] {
  const at = (key: string) => (option ? `${option}.${key}` : key);
  const replicas = props.replicas;
  const errors = [
    ...replicaErrors(at('replicas'), replicas, minReplicas, 'every component must run; leave out optional ones instead'),
    ...(props.resources ? resourceErrors(at('resources'), props.resources) : []),
    ...labelErrors(at('podLabels'), props.podLabels),
    ...labelErrors(at('podAnnotations'), props.podAnnotations, true),
    ...podSchedulingErrors(option, props),
    ...imageErrors(at('image'), props.image),
    ...envNameErrors(at('env'), Object.keys(props.env ?? {})),
    ...argErrors(at('extraArgs'), props.extraArgs ?? []),
    ...wholeSecondsErrors(at('terminationGracePeriod'), props.terminationGracePeriod),
  ];
  if (props.autoscaling) errors.push(...autoscalingErrors(at('autoscaling'), props.autoscaling, props.replicas));
  return errors;
}

/** An error unless `d`, when given, is a Duration of whole seconds (plain JavaScript may pass anything). */
export function wholeSecondsErrors(option: string, d: unknown): string[] {
  if (d === undefined) return [];
  if (!(d instanceof Duration)) return [`${option}: ${JSON.stringify(d)} is invalid; allowed: a Duration such as Duration.seconds(30)`];
  try {
    d.toSeconds();
    return [];
  } catch {
    return [`${option}: ${describeDuration(d)} is invalid; allowed: a whole number of seconds (e.g. Duration.seconds(30))`];
  }
}

function autoscalingErrors(option: string, a: ComponentAutoscaling, fixedReplicas: number | undefined): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(a.minReplicas) || a.minReplicas < 1) errors.push(`${option}.minReplicas: ${a.minReplicas} is invalid; allowed: an integer >= 1`);
  if (!Number.isInteger(a.maxReplicas) || a.maxReplicas < a.minReplicas) errors.push(`${option}.maxReplicas: ${a.maxReplicas} is invalid; allowed: an integer >= minReplicas (${a.minReplicas})`);
  for (const [key, v] of [['targetCpuUtilization', a.targetCpuUtilization], ['targetMemoryUtilization', a.targetMemoryUtilization]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 1000)) errors.push(`${option}.${key}: ${v} is invalid; allowed: an integer percentage from 1 to 1000`);
  }
  for (const direction of ['scaleUp', 'scaleDown'] as const) errors.push(...scalingRulesErrors(`${option}.behavior.${direction}`, a.behavior?.[direction]));
  if (fixedReplicas !== undefined) errors.push(`${option}: set together with replicas (${fixedReplicas}); allowed: one of them, the autoscaler owns the replica count`);
  return errors;
}

function scalingRules(r: TempoScalingRules | undefined): k8s.HpaScalingRulesV2 | undefined {
  return r && {
    stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
    selectPolicy: r.selectPolicy,
    policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
  };
}

function scalingRulesErrors(option: string, r: TempoScalingRules | undefined): string[] {
  if (!r) return [];
  const errors = wholeSecondsErrors(`${option}.stabilizationWindow`, r.stabilizationWindow);
  if (!errors.length && r.stabilizationWindow && r.stabilizationWindow.toSeconds() > 3600) errors.push(`${option}.stabilizationWindow: ${describeDuration(r.stabilizationWindow)} is invalid; allowed: 0 to 1 hour`);
  if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) errors.push(`${option}.selectPolicy: "${r.selectPolicy}" is invalid; allowed: Max, Min or Disabled`);
  (r.policies ?? []).forEach((p, i) => {
    const at = `${option}.policies[${i}]`;
    if (!['Pods', 'Percent'].includes(p.type)) errors.push(`${at}.type: "${p.type}" is invalid; allowed: Pods or Percent`);
    if (!Number.isInteger(p.value) || p.value < 1) errors.push(`${at}.value: ${p.value} is invalid; allowed: an integer >= 1`);
    const period = wholeSecondsErrors(`${at}.period`, p.period);
    errors.push(...period);
    if (!period.length && (p.period === undefined || p.period.toSeconds() < 1 || p.period.toSeconds() > 1800)) errors.push(`${at}.period: ${p.period ? describeDuration(p.period) : 'undefined'} is invalid; allowed: 1 second to 30 minutes`);
  });
  return errors;
}

/** The library's variables; the user's are merged over them by the customization. */
function containerEnv(secretEnv: readonly SecretEnvVar[], storage: StorageBinding, resources: ContainerResources, libraryEnv: Readonly<Record<string, string>>): k8s.EnvVar[] | undefined {
  const env = new Map<string, k8s.EnvVar>();
  for (const s of secretEnv) env.set(s.name, { name: s.name, valueFrom: { secretKeyRef: { name: s.secretName, key: s.key } } });
  for (const [name, value] of Object.entries({ ...storage.env, ...libraryEnv })) env.set(name, { name, value });
  const memLimit = goMemLimit(resources.memory?.limit);
  if (memLimit) env.set('GOMEMLIMIT', { name: 'GOMEMLIMIT', value: memLimit });
  const list = [...env.values()].sort((a, b) => localeOrder(a.name, b.name));
  return list.length ? list : undefined;
}

function argErrors(option: string, args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    if (!ARG_FLAG.test(arg)) return [`${option}: "${arg}" is invalid; allowed: flags like -name=value`];
    const flag = arg.replace(/^--?/, '-').split('=')[0];
    return OWN_FLAGS.includes(flag) ? [`${option}: "${arg}" sets ${flag}, which the library manages; allowed: any other Tempo flag`] : [];
  });
}
