import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { ContainerResources, EnvValue } from 'cdk8s-plus-28';
import { k8s } from './plus';
import { localeOrder } from '../sort-order';
import { labelErrors } from './labels';
import { resourceErrors, toResourceRequirements } from './resources';
import { restrictedContainerSecurityContext } from './security';
import { dnsSubdomainErrors, envNameErrors, imageErrors, portErrors, secretKeyErrors } from './validation';

/*
 * Typed customization of a workload: what a platform team adds to the library's pods (pull secrets, a registry
 * mirror, envFrom, volumes, init containers, sidecars, Service settings). Props and the mutators
 * (`addEnv`, `addVolume`, ...) feed one `WorkloadCustomization` per workload; the pod template renders it
 * lazily and one validation at synth checks everything in it, with the option (or mutator) that added it.
 */

/** A volume a pod gets besides the library's own; build it with the static factories. */
export class TempoVolume {
  /** A Secret's keys as files (all keys unless `items` maps keys to file names). */
  public static fromSecret(name: string, secretName: string, options: TempoVolumeOptions = {}): TempoVolume {
    return new TempoVolume(name, { secret: { secretName, items: itemsOf(options.items), defaultMode: options.defaultMode, optional: options.optional } });
  }

  /** A ConfigMap's keys as files (all keys unless `items` maps keys to file names). */
  public static fromConfigMap(name: string, configMapName: string, options: TempoVolumeOptions = {}): TempoVolume {
    return new TempoVolume(name, { configMap: { name: configMapName, items: itemsOf(options.items), defaultMode: options.defaultMode, optional: options.optional } });
  }

  /** A scratch directory that lives as long as the pod. */
  public static emptyDir(name: string, options: { readonly sizeLimit?: Size; readonly memory?: boolean } = {}): TempoVolume {
    const limit = options.sizeLimit && k8s.Quantity.fromString(`${options.sizeLimit.toMebibytes()}Mi`);
    return new TempoVolume(name, { emptyDir: { medium: options.memory ? 'Memory' : undefined, sizeLimit: limit } });
  }

  /** An existing PersistentVolumeClaim. */
  public static fromClaim(name: string, claimName: string, options: { readonly readOnly?: boolean } = {}): TempoVolume {
    return new TempoVolume(name, { persistentVolumeClaim: { claimName, readOnly: options.readOnly } });
  }

  /**
   * @param name Volume name in the pod (a DNS label, unique in the pod).
   * @param source The Kubernetes volume source (exactly one of secret, configMap, emptyDir, persistentVolumeClaim).
   */
  private constructor(public readonly name: string, public readonly source: Omit<k8s.Volume, 'name'>) {}
}

/** Options of `TempoVolume.fromSecret` and `fromConfigMap`. */
export interface TempoVolumeOptions {
  /** Keys to project, each to a file name. @default every key, named by the key */
  readonly items?: Readonly<Record<string, string>>;
  /** File mode (e.g. 0o440). @default Kubernetes' (0644) */
  readonly defaultMode?: number;
  /** Start the pod even when the Secret or ConfigMap is missing. @default false */
  readonly optional?: boolean;
}

/** A volume mounted into a container. */
export interface TempoVolumeMount {
  /** The volume (added to the pod once, even when mounted several times). */
  readonly volume: TempoVolume;
  /** Absolute path in the container; must not overlap the library's own mounts (e.g. /conf, /var/tempo). */
  readonly mountPath: string;
  /** Mount read-only. @default true for Secret and ConfigMap volumes, false otherwise */
  readonly readOnly?: boolean;
  /** A sub-path of the volume. @default the whole volume */
  readonly subPath?: string;
}

/** Environment variables from every key of a ConfigMap or Secret (`envFrom`); set exactly one of `configMap`, `secret`. */
export interface TempoEnvFrom {
  /** Name of a ConfigMap. @default none */
  readonly configMap?: string;
  /** Name of a Secret. @default none */
  readonly secret?: string;
  /** Prefix of every variable name. @default none */
  readonly prefix?: string;
  /** Start the container even when the ConfigMap or Secret is missing. @default false */
  readonly optional?: boolean;
}

/** A port of an init container or sidecar. */
export interface TempoContainerPort {
  /** Port name (at most 15 characters, unique in the pod). */
  readonly name: string;
  /** Port number. */
  readonly containerPort: number;
  /** Protocol. @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/**
 * The security settings an extra container may choose. The library always sets the restricted Pod Security
 * context (non-root, no privilege escalation, every capability dropped, RuntimeDefault seccomp, read-only root);
 * settings that would break it are refused at synth.
 */
export interface TempoContainerSecurity {
  /** User id (non-zero). @default the pod's user */
  readonly user?: number;
  /** Allow writes to the root filesystem. @default false (read-only) */
  readonly writableRootFilesystem?: boolean;
  /** Refused (restricted Pod Security): only `false` is accepted. @default false */
  readonly privileged?: boolean;
  /** Refused (restricted Pod Security): only `false` is accepted. @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Capabilities to add; restricted Pod Security allows only NET_BIND_SERVICE. @default none */
  readonly addCapabilities?: readonly string[];
}

/** An init container or sidecar: a typed subset of a Kubernetes container, run under the restricted security context. */
export interface TempoExtraContainer {
  /** Container name (a DNS label, unique in the pod). */
  readonly name: string;
  /** Image; the registry override applies to it as well. */
  readonly image: string;
  /** Entrypoint. @default the image's */
  readonly command?: readonly string[];
  /** Arguments. @default the image's */
  readonly args?: readonly string[];
  /** Environment variables. @default none */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Variables from ConfigMaps or Secrets. @default none */
  readonly envFrom?: readonly TempoEnvFrom[];
  /** Ports. @default none */
  readonly ports?: readonly TempoContainerPort[];
  /** CPU and memory. @default none */
  readonly resources?: ContainerResources;
  /** Volumes to mount; they are added to the pod. @default none */
  readonly volumeMounts?: readonly TempoVolumeMount[];
  /** Security settings within the restricted profile. @default the pod's user, read-only root */
  readonly securityContext?: TempoContainerSecurity;
}

/** Types of a Service the user may choose. */
export type TempoServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/**
 * Options of a component's client Service (not of headless discovery Services).
 *
 * `trafficDistribution` is not offered: the Kubernetes 1.28 API this library's output targets has no
 * `Service.spec.trafficDistribution` (1.30+); on 1.28 use topology-aware routing,
 * `annotations: { 'service.kubernetes.io/topology-mode': 'Auto' }`. A `trafficDistribution` passed anyway
 * (plain JavaScript) is refused at synth.
 */
export interface TempoServiceOptions {
  /** Service type; refused on headless Services. @default 'ClusterIP' */
  readonly type?: TempoServiceType;
  /** Annotations (e.g. a cloud load balancer's). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `appProtocol` per port name, e.g. `{ grpc: 'kubernetes.io/h2c' }`. @default none */
  readonly appProtocols?: Readonly<Record<string, string>>;
}

/** Customization of one workload's pods and Service, the same on every Tempo component, the memcached and the gateway. */
export interface TempoWorkloadCustomizationProps {
  /**
   * Registry of every image of the workload (library's and extra containers'), e.g. a mirror
   * `registry.example.com/hub`: `grafana/tempo:2.10.8` becomes `registry.example.com/hub/grafana/tempo:2.10.8`,
   * `memcached:1.6` becomes `<registry>/library/memcached:1.6` (Docker Hub's full name).
   * @default the stack's `imageRegistry`; none: images as written
   */
  readonly imageRegistry?: string;
  /** Secrets (`kubernetes.io/dockerconfigjson`) for pulling the images, added to the stack's. @default none */
  readonly imagePullSecrets?: readonly string[];
  /** Variables from ConfigMaps or Secrets for the main container. @default none */
  readonly envFrom?: readonly TempoEnvFrom[];
  /** Extra volumes mounted into the main container. @default none */
  readonly volumes?: readonly TempoVolumeMount[];
  /** Init containers, run before the main container. @default none */
  readonly initContainers?: readonly TempoExtraContainer[];
  /** Sidecar containers, run beside the main container. @default none */
  readonly sidecars?: readonly TempoExtraContainer[];
  /** The client Service's type, annotations and `appProtocol`s. @default ClusterIP (headless where the library needs it), no annotations */
  readonly service?: TempoServiceOptions;
}

/**
 * Mutators of a constructed workload, in the cdk8s-plus style. What they add is checked with the props at
 * synth (the same rules, errors naming the mutator, e.g. `querier.addVolume()`), and fails the synth before
 * anything is written.
 */
export interface ITempoCustomizable {
  /** Sets a variable on the main container; it wins over one the library sets with the same name. */
  addEnv(name: string, value: EnvValue): void;
  /** Adds every key of a ConfigMap or Secret as variables of the main container. */
  addEnvFrom(from: TempoEnvFrom): void;
  /** Mounts `volume` at `mountPath` in the main container (and adds it to the pod). */
  addVolume(volume: TempoVolume, mountPath: string, options?: { readonly readOnly?: boolean; readonly subPath?: string }): void;
  /** Adds an init container (restricted security context filled in). */
  addInitContainer(container: TempoExtraContainer): void;
  /** Adds a sidecar container (restricted security context filled in). */
  addSidecar(container: TempoExtraContainer): void;
  /** Adds an image pull secret to the pod. */
  addImagePullSecret(secretName: string): void;
}

/**
 * A construct with one workload the user can customize after construction: the base of every Tempo component,
 * `TempoMemcached` and `TempoGateway`. The mutators feed the workload's one `WorkloadCustomization`.
 */
export abstract class TempoCustomizableWorkload extends Construct implements ITempoCustomizable {
  private customization?: WorkloadCustomization;

  /** Sets a variable on the main container; it wins over one the library sets with the same name. */
  public addEnv(name: string, value: EnvValue): void {
    const c = this.model();
    c.addEnv(c.mutator('addEnv'), name, value);
  }

  /** Adds every key of a ConfigMap or Secret as variables of the main container. */
  public addEnvFrom(from: TempoEnvFrom): void {
    const c = this.model();
    c.addEnvFrom(c.mutator('addEnvFrom'), from);
  }

  /** Mounts `volume` at `mountPath` in the main container; the path must not overlap the library's mounts. */
  public addVolume(volume: TempoVolume, mountPath: string, options: { readonly readOnly?: boolean; readonly subPath?: string } = {}): void {
    const c = this.model();
    c.addVolume(c.mutator('addVolume'), { volume, mountPath, ...options });
  }

  /** Adds an init container (restricted security context filled in). */
  public addInitContainer(container: TempoExtraContainer): void {
    const c = this.model();
    c.addInitContainer(c.mutator('addInitContainer'), container);
  }

  /** Adds a sidecar container (restricted security context filled in). */
  public addSidecar(container: TempoExtraContainer): void {
    const c = this.model();
    c.addSidecar(c.mutator('addSidecar'), container);
  }

  /** Adds an image pull secret to the pods. */
  public addImagePullSecret(secretName: string): void {
    const c = this.model();
    c.addImagePullSecret(c.mutator('addImagePullSecret'), secretName);
  }

  /** Sets the customization the mutators feed (once, while constructing). */
  protected useCustomization(c: WorkloadCustomization): WorkloadCustomization {
    this.customization = c;
    return c;
  }

  private model(): WorkloadCustomization {
    if (!this.customization) throw new Error(`${this.node.path}: no customization model (a subclass must call useCustomization)`);
    return this.customization;
  }
}

/** Where a construct's props sit in an enclosing construct's props (`cache` in `TempoDistributed`); set by that construct. */
export const OPTION_PATH: unique symbol = Symbol('cdk8s-tempo.optionPath');

/** Props that may carry the path `OPTION_PATH`. */
export type WithOptionPath<T> = T & { readonly [OPTION_PATH]?: string };

/** The customization of a construct configured with `props` (memcached, gateway); `owner` names it in mutator errors. */
export function customizationOf(props: WithOptionPath<TempoWorkloadCustomizationProps>, owner: string): WorkloadCustomization {
  const option = props[OPTION_PATH] ?? '';
  const registry = props.imageRegistry === undefined ? {} : { option: option ? `${option}.imageRegistry` : 'imageRegistry', value: props.imageRegistry };
  return new WorkloadCustomization(option, option || owner, registry, props.service).addProps(props);
}

/** The Docker Hub names an image without a registry has. */
const DOCKER_HUB = 'docker.io';

/**
 * `image` with its registry replaced by `registry` (Docker Hub's short names get `library/`).
 * A reference is registry-qualified when its first component has a '.' or ':' or is `localhost`.
 */
export function withRegistry(image: string, registry: string | undefined): string {
  if (!registry || typeof image !== 'string') return image;
  const parts = image.split('/');
  const qualified = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  const path = qualified ? parts.slice(1) : parts;
  const hub = !qualified || parts[0] === DOCKER_HUB;
  return `${registry.replace(/\/+$/, '')}/${hub && path.length === 1 ? 'library/' : ''}${path.join('/')}`;
}

interface Tagged<T> {
  readonly option: string;
  readonly value: T;
}

/** What the library itself puts into a pod, which customization must not collide with. */
export interface ReservedPodParts {
  /** Names of the library's volumes. */
  readonly volumes: readonly string[];
  /** Mount paths of the library's containers. */
  readonly mountPaths: readonly string[];
  /** Names of the library's containers. */
  readonly containers: readonly string[];
  /** Port names of the library's containers. */
  readonly ports: readonly string[];
  /** Port names of the client Service. */
  readonly servicePorts: readonly string[];
  /** Whether the client Service is headless (its type cannot change). */
  readonly headlessService: boolean;
}

/**
 * The customization of one workload: the props and whatever mutators add later, each entry with the option
 * path that added it (`querier.volumes[0]`, `querier.addVolume()`). Rendered lazily into the pod template.
 */
export class WorkloadCustomization {
  private readonly env: Tagged<[string, EnvValue]>[] = [];
  private readonly envFrom: Tagged<TempoEnvFrom>[] = [];
  private readonly mounts: Tagged<TempoVolumeMount>[] = [];
  private readonly initContainers: Tagged<TempoExtraContainer>[] = [];
  private readonly sidecars: Tagged<TempoExtraContainer>[] = [];
  private readonly pullSecrets: Tagged<string>[] = [];
  private readonly stackPullSecrets: string[] = [];
  private readonly podVolumes: Tagged<TempoVolume>[] = [];

  /**
   * @param option The workload's option path (`querier`; '' for top-level props).
   * @param mutatorOwner How errors name the construct a mutator was called on (`querier`, `server`).
   * @param registry The registry override, with the option that set it (none: the stack's, checked by the stack).
   * @param service The client Service options.
   */
  public constructor(
    private readonly option: string,
    private readonly mutatorOwner: string,
    private readonly registry: { readonly option?: string; readonly value?: string },
    private readonly service: TempoServiceOptions | undefined,
  ) {}

  /** Adds the props' entries; `globalPullSecrets` come from the stack, which checks them. */
  public addProps(props: TempoWorkloadCustomizationProps, userEnv: Readonly<Record<string, EnvValue>> = {}, globalPullSecrets: readonly string[] = []): this {
    const at = (key: string) => (this.option ? `${this.option}.${key}` : key);
    for (const [name, value] of Object.entries(userEnv)) this.env.push({ option: at('env'), value: [name, value] });
    this.stackPullSecrets.push(...globalPullSecrets);
    (props.imagePullSecrets ?? []).forEach((s, i) => this.pullSecrets.push({ option: at(`imagePullSecrets[${i}]`), value: s }));
    (props.envFrom ?? []).forEach((e, i) => this.envFrom.push({ option: at(`envFrom[${i}]`), value: e }));
    (props.volumes ?? []).forEach((m, i) => this.mounts.push({ option: at(`volumes[${i}]`), value: m }));
    (props.initContainers ?? []).forEach((c, i) => this.initContainers.push({ option: at(`initContainers[${i}]`), value: c }));
    (props.sidecars ?? []).forEach((c, i) => this.sidecars.push({ option: at(`sidecars[${i}]`), value: c }));
    return this;
  }

  /** The option path of a mutator call, e.g. `querier.addVolume()`. */
  public mutator(method: string): string {
    return `${this.mutatorOwner}.${method}()`;
  }

  /** Adds one variable to the main container (it wins over the library's). */
  public addEnv(option: string, name: string, value: EnvValue): void {
    this.env.push({ option, value: [name, value] });
  }

  /** Adds variables from a ConfigMap or Secret to the main container. */
  public addEnvFrom(option: string, from: TempoEnvFrom): void {
    this.envFrom.push({ option, value: from });
  }

  /** Mounts a volume into the main container. */
  public addVolume(option: string, mount: TempoVolumeMount): void {
    this.mounts.push({ option, value: mount });
  }

  /** Adds a volume to the pod without mounting it in the main container (for extra containers). */
  public addPodVolume(option: string, volume: TempoVolume): void {
    this.podVolumes.push({ option, value: volume });
  }

  /** Adds an init container. */
  public addInitContainer(option: string, container: TempoExtraContainer): void {
    this.initContainers.push({ option, value: container });
  }

  /** Adds a sidecar. */
  public addSidecar(option: string, container: TempoExtraContainer): void {
    this.sidecars.push({ option, value: container });
  }

  /** Adds an image pull secret. */
  public addImagePullSecret(option: string, name: string): void {
    this.pullSecrets.push({ option, value: name });
  }

  /** The image as pulled: with the registry override. */
  public image(image: string): string {
    return withRegistry(image, this.registry.value);
  }

  /** The main container with the customization: env merged (user wins, sorted), envFrom and mounts added. */
  public mainContainer<C extends { readonly env?: k8s.EnvVar[]; readonly envFrom?: k8s.EnvFromSource[]; readonly volumeMounts?: k8s.VolumeMount[]; readonly image?: string }>(c: C): C {
    const env = new Map<string, k8s.EnvVar>((c.env ?? []).map((e) => [e.name, e]));
    for (const { value: [name, v] } of this.env) env.set(name, { name, value: v.value, valueFrom: v.valueFrom });
    const list = [...env.values()].sort((a, b) => localeOrder(a.name, b.name));
    const envFrom = [...(c.envFrom ?? []), ...this.envFrom.map((e) => envFromSource(e.value))];
    const mounts = [...(c.volumeMounts ?? []), ...this.mounts.map((m) => volumeMount(m.value))];
    return {
      ...c,
      image: c.image === undefined ? undefined : this.image(c.image),
      env: list.length ? list : undefined,
      envFrom: envFrom.length ? envFrom : undefined,
      volumeMounts: mounts.length ? mounts : undefined,
    };
  }

  /** Init containers, rendered with the restricted security context of `uid` unless they choose their user. */
  public renderInitContainers(uid: number): k8s.Container[] | undefined {
    return this.initContainers.length ? this.initContainers.map((c) => this.renderExtra(c.value, uid)) : undefined;
  }

  /** Sidecars, rendered like init containers. */
  public renderSidecars(uid: number): k8s.Container[] {
    return this.sidecars.map((c) => this.renderExtra(c.value, uid));
  }

  /** The volumes customization adds to the pod, each once, in the order first mentioned. */
  public renderVolumes(): k8s.Volume[] {
    const seen = new Set<string>();
    const out: k8s.Volume[] = [];
    for (const v of this.allVolumes()) {
      if (seen.has(v.value.name)) continue;
      seen.add(v.value.name);
      out.push({ name: v.value.name, ...v.value.source });
    }
    return out;
  }

  /** `imagePullSecrets` of the pod, each name once. */
  public renderPullSecrets(): k8s.LocalObjectReference[] | undefined {
    const names = [...new Set([...this.stackPullSecrets, ...this.pullSecrets.map((s) => s.value)])];
    return names.length ? names.map((name) => ({ name })) : undefined;
  }

  /** The Service spec with type and appProtocols applied; annotations via `serviceAnnotations`. */
  public serviceType(): TempoServiceType | undefined {
    return this.service?.type;
  }

  /** appProtocol of a Service port, when the user set one. */
  public appProtocol(port: string): string | undefined {
    return this.service?.appProtocols?.[port];
  }

  /** The Service annotations. */
  public serviceAnnotations(): Readonly<Record<string, string>> | undefined {
    return this.service?.annotations && Object.keys(this.service.annotations).length ? this.service.annotations : undefined;
  }

  /** Every problem of the customization, against what the library itself puts into the pod. */
  public errors(reserved: ReservedPodParts): string[] {
    const errors: string[] = [];
    const at = (key: string) => (this.option ? `${this.option}.${key}` : key);
    if (this.registry.option !== undefined) errors.push(...registryErrors(this.registry.option, this.registry.value));
    for (const s of this.pullSecrets) errors.push(...dnsSubdomainErrors(s.option, s.value, 'Secret name'));
    for (const e of this.env) errors.push(...envNameErrors(e.option, [e.value[0]]));
    for (const e of this.envFrom) errors.push(...envFromErrors(e.option, e.value));
    // Volumes: valid, not the library's names, one source per name.
    const volumes = new Map<string, Tagged<TempoVolume>>();
    for (const v of this.allVolumes()) {
      const name = v.value?.name;
      const where = `${v.option}.volume`;
      if (!(v.value instanceof TempoVolume)) {
        errors.push(`${where}: ${JSON.stringify(v.value)} is invalid; allowed: TempoVolume.fromSecret(), fromConfigMap(), emptyDir() or fromClaim() (no hostPath)`);
        continue;
      }
      errors.push(...volumeErrors(where, v.value));
      if (reserved.volumes.includes(name)) errors.push(`${where}.name: "${name}" is a volume of the library; allowed: another name (the library's: ${reserved.volumes.join(', ')})`);
      const first = volumes.get(name);
      if (first && first.value !== v.value && JSON.stringify(first.value.source) !== JSON.stringify(v.value.source)) {
        errors.push(`${where}.name: "${name}" is also a different volume at ${first.option}; allowed: a unique name per volume`);
      }
      if (!first) volumes.set(name, v);
    }
    errors.push(...mountErrors(this.mounts, reserved.mountPaths));
    // Containers: names unique in the pod, restricted security, their mounts.
    const containerNames = new Map<string, string>(reserved.containers.map((n) => [n, 'the library']));
    const portNames = new Map<string, string>(reserved.ports.map((n) => [n, 'the library']));
    for (const c of [...this.initContainers, ...this.sidecars]) {
      errors.push(...extraContainerErrors(c.option, c.value, containerNames, portNames));
      errors.push(...mountErrors((c.value.volumeMounts ?? []).map((m, i) => ({ option: `${c.option}.volumeMounts[${i}]`, value: m })), []));
    }
    // Service.
    const svc = this.service;
    if (svc) {
      const types = ['ClusterIP', 'NodePort', 'LoadBalancer'];
      if (svc.type !== undefined && reserved.headlessService) {
        errors.push(`${at('service.type')}: "${svc.type}" is set on a headless Service (clients and Tempo find each pod through it); allowed: leave it out`);
      } else if (svc.type !== undefined && !types.includes(svc.type)) {
        errors.push(`${at('service.type')}: "${svc.type}" is invalid; allowed: ${types.join(', ')}`);
      }
      errors.push(...labelErrors(at('service.annotations'), svc.annotations, true));
      for (const [port, protocol] of Object.entries(svc.appProtocols ?? {})) {
        if (!reserved.servicePorts.includes(port)) errors.push(`${at(`service.appProtocols.${port}`)}: the Service has no port "${port}"; allowed: ${reserved.servicePorts.join(', ')}`);
        if (typeof protocol !== 'string' || !APP_PROTOCOL.test(protocol)) errors.push(`${at(`service.appProtocols.${port}`)}: "${protocol}" is invalid; allowed: an IANA service name (e.g. http, h2c) or a prefixed name such as kubernetes.io/h2c`);
      }
      if ((svc as { trafficDistribution?: unknown }).trafficDistribution !== undefined) {
        errors.push(`${at('service.trafficDistribution')}: the Kubernetes 1.28 API this library targets has no Service trafficDistribution (added in 1.30); allowed: leave it out, or topology-aware routing with annotations: { 'service.kubernetes.io/topology-mode': 'Auto' }`);
      }
    }
    return errors;
  }

  private allVolumes(): Tagged<TempoVolume>[] {
    return [
      ...this.mounts.map((m) => ({ option: m.option, value: m.value?.volume })),
      ...this.podVolumes,
      ...[...this.initContainers, ...this.sidecars].flatMap((c) => (c.value.volumeMounts ?? []).map((m, i) => ({ option: `${c.option}.volumeMounts[${i}]`, value: m?.volume }))),
    ];
  }

  private renderExtra(c: TempoExtraContainer, uid: number): k8s.Container {
    const sec = c.securityContext ?? {};
    const restricted = restrictedContainerSecurityContext(sec.user ?? uid);
    const env = Object.entries(c.env ?? {}).sort(([a], [b]) => localeOrder(a, b)).map(([name, v]) => ({ name, value: v.value, valueFrom: v.valueFrom }));
    return {
      name: c.name,
      image: this.image(c.image),
      imagePullPolicy: 'IfNotPresent',
      command: c.command && [...c.command],
      args: c.args && [...c.args],
      env: env.length ? env : undefined,
      envFrom: c.envFrom?.length ? c.envFrom.map(envFromSource) : undefined,
      ports: c.ports?.length ? c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) : undefined,
      resources: c.resources && toResourceRequirements(c.resources),
      volumeMounts: c.volumeMounts?.length ? c.volumeMounts.map(volumeMount) : undefined,
      securityContext: {
        ...restricted,
        readOnlyRootFilesystem: !sec.writableRootFilesystem,
        capabilities: { ...restricted.capabilities, add: sec.addCapabilities?.length ? [...sec.addCapabilities] : undefined },
      },
    };
  }
}

/**
 * Registers the one validation of `c` on `scope`: it runs when the App synthesizes, after every mutator, and
 * fails the synth before anything is written.
 */
export function validateCustomization(scope: IConstruct, c: WorkloadCustomization, reserved: () => ReservedPodParts): void {
  scope.node.addValidation({ validate: () => c.errors(reserved()) });
}

/** A client Service's metadata annotations, type and ports with the customization applied. */
export function customizedService(c: WorkloadCustomization, ports: readonly k8s.ServicePort[]): { annotations?: Record<string, string>; type?: string; ports: k8s.ServicePort[] } {
  const annotations = c.serviceAnnotations();
  return {
    annotations: annotations && { ...annotations },
    type: c.serviceType(),
    ports: ports.map((p) => ({ ...p, appProtocol: c.appProtocol(p.name ?? '') })),
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const APP_PROTOCOL = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\/?$/;

/** Errors for a registry override (`host[:port][/path]`). */
export function registryErrors(option: string, registry: unknown): string[] {
  if (typeof registry === 'string' && REGISTRY.test(registry) && imageErrors('', withRegistry('grafana/tempo:1', registry)).length === 0) return [];
  return [`${option}: ${JSON.stringify(registry)} is invalid; allowed: a registry host[:port] with an optional lower-case path, e.g. registry.example.com/dockerhub`];
}

function itemsOf(items: Readonly<Record<string, string>> | undefined): k8s.KeyToPath[] | undefined {
  return items && Object.entries(items).map(([key, path]) => ({ key, path }));
}

function envFromSource(e: TempoEnvFrom): k8s.EnvFromSource {
  const optional = e.optional || undefined;
  return {
    prefix: e.prefix,
    configMapRef: e.configMap !== undefined ? { name: e.configMap, optional } : undefined,
    secretRef: e.secret !== undefined ? { name: e.secret, optional } : undefined,
  };
}

function volumeMount(m: TempoVolumeMount): k8s.VolumeMount {
  const readOnlyByDefault = m.volume.source.secret !== undefined || m.volume.source.configMap !== undefined;
  return { name: m.volume.name, mountPath: m.mountPath, subPath: m.subPath, readOnly: (m.readOnly ?? readOnlyByDefault) || undefined };
}

function envFromErrors(option: string, e: TempoEnvFrom): string[] {
  const errors: string[] = [];
  if ((e?.configMap === undefined) === (e?.secret === undefined)) return [`${option}: ${JSON.stringify(e)} is invalid; allowed: exactly one of configMap, secret`];
  if (e.configMap !== undefined) errors.push(...dnsSubdomainErrors(`${option}.configMap`, e.configMap, 'ConfigMap name'));
  if (e.secret !== undefined) errors.push(...dnsSubdomainErrors(`${option}.secret`, e.secret, 'Secret name'));
  if (e.prefix !== undefined) errors.push(...envNameErrors(`${option}.prefix`, [e.prefix]));
  return errors;
}

function volumeErrors(option: string, v: TempoVolume): string[] {
  const errors: string[] = [];
  if (typeof v.name !== 'string' || !DNS_LABEL.test(v.name) || v.name.length > 63) errors.push(`${option}.name: "${v.name}" is invalid; allowed: a DNS label (at most 63 lower-case letters, digits and '-')`);
  const s = v.source;
  const kinds = Object.keys(s).filter((k) => (s as Record<string, unknown>)[k] !== undefined);
  if (kinds.length !== 1 || !['secret', 'configMap', 'emptyDir', 'persistentVolumeClaim'].includes(kinds[0])) {
    return [...errors, `${option}: a volume of ${kinds.join(', ') || 'no source'} is refused (restricted Pod Security forbids hostPath; the library offers none of the others); allowed: a Secret, ConfigMap, emptyDir or PersistentVolumeClaim`];
  }
  if (s.secret) errors.push(...dnsSubdomainErrors(`${option}.secretName`, s.secret.secretName ?? '', 'Secret name'), ...itemErrors(option, s.secret.items), ...modeErrors(option, s.secret.defaultMode));
  if (s.configMap) errors.push(...dnsSubdomainErrors(`${option}.configMapName`, s.configMap.name ?? '', 'ConfigMap name'), ...itemErrors(option, s.configMap.items), ...modeErrors(option, s.configMap.defaultMode));
  if (s.persistentVolumeClaim) errors.push(...dnsSubdomainErrors(`${option}.claimName`, s.persistentVolumeClaim.claimName, 'PersistentVolumeClaim name'));
  return errors;
}

function itemErrors(option: string, items: readonly k8s.KeyToPath[] | undefined): string[] {
  return (items ?? []).flatMap((i) => [
    ...secretKeyErrors(`${option}.items`, i.key),
    ...(/^(?!\/)(?!.*(^|\/)\.\.(\/|$)).+$/.test(i.path) ? [] : [`${option}.items.${i.key}: "${i.path}" is invalid; allowed: a relative file path without '..'`]),
  ]);
}

function modeErrors(option: string, mode: number | undefined): string[] {
  return mode === undefined || (Number.isInteger(mode) && mode >= 0 && mode <= 0o777) ? [] : [`${option}.defaultMode: ${mode} is invalid; allowed: a file mode from 0 to 0o777`];
}

/** Paths overlap when one is the other or lies inside it. */
function overlaps(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  const [x, y] = [norm(a), norm(b)];
  return x === y || x.startsWith(`${y === '/' ? '' : y}/`) || y.startsWith(`${x === '/' ? '' : x}/`);
}

function mountErrors(mounts: readonly Tagged<TempoVolumeMount>[], reservedPaths: readonly string[]): string[] {
  const errors: string[] = [];
  const seen: Tagged<TempoVolumeMount>[] = [];
  for (const m of mounts) {
    const path = m.value?.mountPath;
    const where = `${m.option}.mountPath`;
    if (typeof path !== 'string' || !path.startsWith('/') || path.split('/').includes('..') || path.includes(':')) {
      errors.push(`${where}: ${JSON.stringify(path)} is invalid; allowed: an absolute path without '..' or ':'`);
      continue;
    }
    const own = reservedPaths.find((p) => overlaps(p, path));
    if (own) errors.push(`${where}: "${path}" overlaps the library's mount ${own}; allowed: a path outside ${reservedPaths.join(', ')}`);
    const twice = seen.find((s) => s.value.mountPath.replace(/\/+$/, '') === path.replace(/\/+$/, ''));
    if (twice) errors.push(`${where}: "${path}" is already mounted by ${twice.option}; allowed: one volume per path`);
    seen.push(m);
    if (m.value.subPath !== undefined && (m.value.subPath.startsWith('/') || m.value.subPath.split('/').includes('..'))) {
      errors.push(`${m.option}.subPath: "${m.value.subPath}" is invalid; allowed: a relative path without '..'`);
    }
  }
  return errors;
}

function extraContainerErrors(option: string, c: TempoExtraContainer, names: Map<string, string>, ports: Map<string, string>): string[] {
  const errors: string[] = [];
  if (typeof c?.name !== 'string' || !DNS_LABEL.test(c.name) || c.name.length > 63) errors.push(`${option}.name: "${c?.name}" is invalid; allowed: a DNS label (at most 63 lower-case letters, digits and '-')`);
  else if (names.has(c.name)) errors.push(`${option}.name: "${c.name}" is already a container of ${names.get(c.name)}; allowed: a name unique in the pod`);
  else names.set(c.name, option);
  errors.push(...(c.image === undefined ? [`${option}.image: required; allowed: an image reference`] : imageErrors(`${option}.image`, c.image)));
  errors.push(...envNameErrors(`${option}.env`, Object.keys(c.env ?? {})));
  (c.envFrom ?? []).forEach((e, i) => errors.push(...envFromErrors(`${option}.envFrom[${i}]`, e)));
  if (c.resources) errors.push(...resourceErrors(`${option}.resources`, c.resources));
  (c.ports ?? []).forEach((p, i) => {
    const at = `${option}.ports[${i}]`;
    errors.push(...portErrors(`${at}.containerPort`, p.containerPort ?? 0));
    if (typeof p.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) || p.name.length > 15 || !/[a-z]/.test(p.name)) {
      errors.push(`${at}.name: "${p.name}" is invalid; allowed: an IANA service name (at most 15 lower-case letters, digits and '-', with a letter)`);
    } else if (ports.has(p.name)) errors.push(`${at}.name: "${p.name}" is already a port of ${ports.get(p.name)}; allowed: a name unique in the pod`);
    else ports.set(p.name, at);
    if (p.protocol !== undefined && !['TCP', 'UDP'].includes(p.protocol)) errors.push(`${at}.protocol: "${p.protocol}" is invalid; allowed: TCP or UDP`);
  });
  const s = c.securityContext ?? {};
  const sec = `${option}.securityContext`;
  if (s.privileged) errors.push(`${sec}.privileged: true breaks restricted Pod Security; allowed: false`);
  if (s.allowPrivilegeEscalation) errors.push(`${sec}.allowPrivilegeEscalation: true breaks restricted Pod Security; allowed: false`);
  if (s.user !== undefined && !(Number.isInteger(s.user) && s.user > 0 && s.user <= 2 ** 31 - 1)) errors.push(`${sec}.user: ${s.user} is invalid (restricted Pod Security runs no container as root); allowed: a non-zero user id`);
  const added = (s.addCapabilities ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
  if (added.length) errors.push(`${sec}.addCapabilities: ${added.join(', ')} breaks restricted Pod Security; allowed: only NET_BIND_SERVICE`);
  // Plain JavaScript may pass raw Kubernetes fields the typed subset leaves out on purpose.
  const raw = c as unknown as Record<string, unknown>;
  for (const key of ['securityContext.runAsUser', 'securityContext.capabilities', 'securityContext.runAsNonRoot']) {
    const [a, b] = key.split('.');
    if ((raw[a] as Record<string, unknown> | undefined)?.[b] !== undefined) errors.push(`${option}.${key}: not an option (the library sets the restricted context); allowed: user, writableRootFilesystem, addCapabilities`);
  }
  return errors;
}
