import { Chart, Duration, Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import type { TempoSchemaVersion } from '../config/schema-validation';
import { bytes, bytesQuantity, describeDuration, goDuration, mebibytes, sizeQuantity } from '../config/units';
import { LabelKeys, labelErrors } from '../k8s/labels';
import { imageErrors, podSchedulingErrors } from '../k8s/validation';
import { memcachedName, NameLimits } from '../k8s/names';
import { resourceErrors, toResourceRequirements } from '../k8s/resources';
import { PodSchedulingProps } from '../k8s/scheduling';
import { reservedPodParts, workload, WorkloadSpec } from '../k8s/workload';
import { customizationOf, customizedService, TempoCustomizableWorkload, TempoWorkloadCustomizationProps, validateCustomization } from '../k8s/customization';
import type { TempoVersion } from '../version';

/**
 * What Tempo keeps in a cache (`cache.caches[].roles`). Tempo refuses to
 * start when a role is unknown or claimed by two caches.
 */
export enum TempoCacheRole {
  /** Bloom filters of the blocks (trace ID lookups). */
  BLOOM = 'bloom',
  /** Trace ID index of legacy v2 blocks (unused by Parquet blocks). */
  TRACE_ID_INDEX = 'trace-id-index',
  /** Parquet footers (block metadata read by every search and lookup). */
  PARQUET_FOOTER = 'parquet-footer',
  /** Parquet column indexes. Tempo's maintainers are not sure Tempo uses them. */
  PARQUET_COLUMN_INDEX = 'parquet-column-idx',
  /** Parquet offset indexes. Tempo's maintainers are not sure Tempo uses them. */
  PARQUET_OFFSET_INDEX = 'parquet-offset-idx',
  /**
   * Parquet pages. Very high volume: it evicts everything else, so give it a
   * memcached of its own.
   */
  PARQUET_PAGE = 'parquet-page',
  /** Search job results of the query-frontend. */
  FRONTEND_SEARCH = 'frontend-search',
}

const ALL_ROLES: readonly TempoCacheRole[] = [
  TempoCacheRole.BLOOM,
  TempoCacheRole.TRACE_ID_INDEX,
  TempoCacheRole.PARQUET_FOOTER,
  TempoCacheRole.PARQUET_COLUMN_INDEX,
  TempoCacheRole.PARQUET_OFFSET_INDEX,
  TempoCacheRole.PARQUET_PAGE,
  TempoCacheRole.FRONTEND_SEARCH,
];

/**
 * Cache roles per key schema, from `allRoles()` in Tempo's modules/cache/config.go,
 * read at every shipped tag (v2.6.1, v2.7.2, v2.8.4, v2.9.5, v2.10.8, v3.0.3): the same
 * seven roles everywhere. Kept per version so a line that drops or adds a role
 * changes one row.
 */
const ROLES_BY_SCHEMA: { readonly [V in TempoSchemaVersion]: readonly TempoCacheRole[] } = {
  '2.6.1': ALL_ROLES,
  '2.7.2': ALL_ROLES,
  '2.8.4': ALL_ROLES,
  '2.9.5': ALL_ROLES,
  '2.10.8': ALL_ROLES,
  '3.0.3': ALL_ROLES,
};

/** Roles given to a cache when none are named: what the Helm chart's single memcached serves. */
export const DEFAULT_CACHE_ROLES: readonly TempoCacheRole[] = [
  TempoCacheRole.BLOOM,
  TempoCacheRole.PARQUET_FOOTER,
  TempoCacheRole.FRONTEND_SEARCH,
];

/** The cache roles a Tempo version accepts. */
export function cacheRolesOf(version: TempoVersion): readonly TempoCacheRole[] {
  return ROLES_BY_SCHEMA[version.schemaVersion];
}

/**
 * Errors for a list of `cache.caches` entries as a whole: Tempo refuses a role
 * claimed by more than one cache. `option` names the prop in the messages.
 */
export function cacheRoleConflicts(option: string, entries: readonly { readonly roles: readonly string[] }[]): string[] {
  const owner = new Map<string, number>();
  const errors: string[] = [];
  entries.forEach((entry, i) => {
    for (const role of entry.roles) {
      const first = owner.get(role);
      if (first !== undefined) errors.push(`${option}[${i}]: role "${role}" is already served by ${option}[${first}]; allowed: each role in one cache only`);
      else owner.set(role, i);
    }
  });
  return errors;
}

/** Tempo's client settings for one memcached (`cache.caches[].memcached`), valid for every 2.x line from 2.6. */
export type TempoMemcachedClientConfig = {
  /** Domain of the SRV lookup: `_<service>._tcp.<host>`. */
  readonly host: string;
  /** SRV service name: the Service's port name. */
  readonly service: string;
  readonly consistent_hash: boolean;
  /** Go duration. */
  readonly timeout: string;
  readonly max_idle_conns: number;
  /** Bytes; larger items are not sent (memcached would refuse them). */
  readonly max_item_size: number;
};

/** One item of `cache.caches` in tempo.yaml. */
export type TempoMemcachedCacheEntry = {
  readonly roles: TempoCacheRole[];
  readonly memcached: TempoMemcachedClientConfig;
};

/** Options of `TempoMemcached`. */
export interface TempoMemcachedProps extends PodSchedulingProps, TempoWorkloadCustomizationProps {
  /**
   * Name of the Tempo instance the cache serves: prefix of the object names
   * and value of `app.kubernetes.io/instance`.
   * @default 'tempo'
   */
  readonly instanceName?: string;
  /**
   * Suffix for a second cache of the same instance (e.g. `'pages'` gives
   * `<instance>-memcached-pages`). Part of the StatefulSet's identity.
   * @default none: `<instance>-memcached`
   */
  readonly nameSuffix?: string;
  /** Namespace of the Service, for the address Tempo uses. @default the chart's namespace; none: the short Service name (same namespace as Tempo) */
  readonly namespace?: string;
  /** Kubernetes cluster domain, for the fully qualified address. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Number of memcached pods; Tempo spreads keys over them by consistent hashing. @default 1 */
  readonly replicas?: number;
  /** Item memory of each pod (`-m`), whole mebibytes, at least 64Mi. @default Size.gibibytes(1) */
  readonly memory?: Size;
  /**
   * Largest item (`-I`), a multiple of 512Ki, at most half of `memory` and 1Gi.
   * Also Tempo's `max_item_size`, so Tempo never sends an item memcached would refuse.
   * @default Size.mebibytes(5) (Grafana's jsonnet; Parquet footers of large blocks exceed 1Mi)
   */
  readonly maxItemSize?: Size;
  /** Maximum simultaneous connections (`-c`). @default 4096 */
  readonly connectionLimit?: number;
  /** Extra memcached flags, e.g. `['-t', '8']`. `-m`, `-I`, `-c` and `-p` are the library's. @default none */
  readonly extraArgs?: readonly string[];
  /**
   * CPU and memory of the memcached container.
   * @default 500m CPU; memory request 1.2 × memory + 100Mi, limit the larger of the request and 1.5 × memory (1Gi: 1329Mi / 1536Mi, as Grafana's jsonnet)
   */
  readonly resources?: ContainerResources;
  /** memcached image. @default TempoMemcached.DEFAULT_IMAGE */
  readonly image?: string;
  /** Add the Prometheus exporter sidecar (port 9150 `http-metrics`, also on the Service). @default false */
  readonly exporter?: boolean;
  /** Exporter image. @default TempoMemcached.DEFAULT_EXPORTER_IMAGE */
  readonly exporterImage?: string;
  /** Exporter resources. @default 10m CPU, 32Mi memory request, 64Mi limit */
  readonly exporterResources?: ContainerResources;
  /** Tempo's timeout for one memcached request. @default Duration.millis(500) (Tempo's own default, 100ms, times out under load) */
  readonly clientTimeout?: Duration;
  /** Idle connections Tempo keeps to each memcached pod. @default 16 (Tempo's default) */
  readonly clientMaxIdleConnections?: number;
  /** Value of `app.kubernetes.io/part-of`. @default 'tempo' */
  readonly partOf?: string;
  /** A PodDisruptionBudget (one pod at a time), created when more than one pod runs. @default true */
  readonly podDisruptionBudget?: boolean;
}

/** The alpine image's `memcache` user and group (`adduser -u 11211`), numeric so kubelet can check runAsNonRoot. */
export const MEMCACHED_UID = 11211;
/** The exporter image's `nobody` user. */
const EXPORTER_UID = 65534;
const CLIENT_PORT = 11211;
const METRICS_PORT = 9150;
/** memcached's default slab_chunk_max: `-I` must be a multiple of it, and at least it. */
const SLAB_CHUNK = 512 * 1024;
const MIB = 1024 * 1024;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const OWN_FLAGS = ['-m', '--memory-limit', '-I', '--max-item-size', '-c', '--conn-limit', '-p', '--port'];

/**
 * memcached for Tempo's caches: a StatefulSet (stable pod names, so the
 * consistent hash keeps its keys across restarts), an optional exporter
 * sidecar, and a headless Service whose SRV records list every ready pod.
 * Pods run as memcached's own user with a read-only root filesystem and meet
 * the restricted Pod Security Standard.
 *
 * `cacheConfig(version, roles)` returns the `cache.caches` entry that points
 * Tempo at it.
 */
export class TempoMemcached extends TempoCustomizableWorkload {
  /** A memcached 1.6 release (the one the Helm chart pins); override with `image`. */
  public static readonly DEFAULT_IMAGE = 'memcached:1.6.39-alpine';
  /** A memcached exporter release; override with `exporterImage`. */
  public static readonly DEFAULT_EXPORTER_IMAGE = 'prom/memcached-exporter:v0.15.3';

  /** Name of the StatefulSet and of the headless Service. */
  public readonly name: string;
  /** Name of the headless Service. */
  public readonly serviceName: string;
  /** Domain Tempo looks up (`_client._tcp.<host>`). */
  public readonly host: string;
  /** Client port (11211, named `client`). */
  public readonly port = CLIENT_PORT;
  /** Exporter port (9150, named `http-metrics`), when the exporter is on. */
  public readonly metricsPort?: number;
  /** Labels the StatefulSet and the Service select on (stable). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels of every object of this cache. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Number of memcached pods. */
  public readonly replicas: number;
  /** Item memory of each pod. */
  public readonly memory: Size;
  /** Largest item. */
  public readonly maxItemSize: Size;
  /** The memcached StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The headless Service: the SRV records of its `client` port list every ready pod. */
  public readonly service: k8s.KubeService;
  /** The PodDisruptionBudget (one pod at a time), when more than one pod runs. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  private readonly resolved: ResolvedMemcached;

  constructor(scope: Construct, id: string, props: TempoMemcachedProps = {}) {
    super(scope, id);
    const m = resolveMemcached(props, Chart.of(this).namespace);
    const instanceErrors = [
      ...(DNS_LABEL.test(m.instance) ? [] : [`instanceName: "${m.instance}" is invalid; allowed: a DNS label (lower-case letters, digits, '-', starting with a letter)`]),
      ...(m.name.length > NameLimits.STATEFUL_SET
        ? [`instanceName/nameSuffix: "${m.name}" is ${m.name.length} characters; allowed: at most ${NameLimits.STATEFUL_SET} (pod names and revision labels append to it)`]
        : []),
      ...(props.namespace !== undefined && (!DNS_LABEL.test(props.namespace) || props.namespace.length > NameLimits.DNS_LABEL)
        ? [`namespace: "${props.namespace}" is invalid; allowed: a DNS label of at most 63 characters`]
        : []),
      ...labelErrors('partOf', { [LabelKeys.PART_OF]: m.partOf }),
    ];
    throwIfErrors(`TempoMemcached "${m.name}"`, [...instanceErrors, ...memcachedErrors('', props, m)]);

    this.name = m.name;
    this.serviceName = m.name;
    this.host = memcachedClient(m).host;
    this.replicas = m.replicas;
    this.memory = m.memory;
    this.maxItemSize = m.maxItemSize;
    this.metricsPort = m.exporter ? METRICS_PORT : undefined;
    this.resolved = m;

    const component = m.suffix === undefined ? 'memcached' : `memcached-${m.suffix}`;
    const selector = { [LabelKeys.NAME]: 'memcached', [LabelKeys.INSTANCE]: m.instance, [LabelKeys.COMPONENT]: component };
    const labels = { ...selector, [LabelKeys.PART_OF]: m.partOf, [LabelKeys.MANAGED_BY]: 'cdk8s-tempo' };
    this.selectorLabels = selector;
    this.labels = labels;
    const client = { tcpSocket: { port: k8s.IntOrString.fromString('client') } };

    const customization = this.useCustomization(customizationOf(props, 'memcached'));
    const service = customizedService(customization, [
      { name: 'client', port: CLIENT_PORT, targetPort: k8s.IntOrString.fromString('client'), protocol: 'TCP' },
      ...(m.exporter ? [{ name: 'http-metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('http-metrics'), protocol: 'TCP' }] : []),
    ]);
    // Headless: the SRV records of `client` list every ready pod, and Tempo hashes keys over them.
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: m.name, labels, annotations: service.annotations },
      spec: {
        type: service.type,
        clusterIp: 'None',
        selector: { ...selector },
        ports: service.ports,
      },
    });

    const spec: WorkloadSpec = {
      kind: 'StatefulSet',
      name: m.name,
      serviceName: m.name,
      objectLabels: labels,
      selector,
      replicas: m.replicas,
      disruptionBudget: props.podDisruptionBudget === false ? undefined : 1,
      labels,
      uid: MEMCACHED_UID,
      terminationGracePeriodSeconds: 30,
      scheduling: { props, selector },
      containers: [{
        name: 'memcached',
        image: props.image ?? TempoMemcached.DEFAULT_IMAGE,
        // The image's entrypoint prepends `memcached` to arguments starting with '-'.
        args: ['-m', String(m.memMiB), '-I', itemSizeArg(m.itemBytes), '-c', String(m.connections), '-v', ...(props.extraArgs ?? [])],
        ports: [{ name: 'client', containerPort: CLIENT_PORT, protocol: 'TCP' }],
        readinessProbe: { ...client, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 6 },
        livenessProbe: { ...client, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        resources: toResourceRequirements(m.resources),
      }, ...(m.exporter ? [{
        name: 'exporter',
        image: props.exporterImage ?? TempoMemcached.DEFAULT_EXPORTER_IMAGE,
        args: [`--memcached.address=localhost:${CLIENT_PORT}`, `--web.listen-address=:${METRICS_PORT}`],
        ports: [{ name: 'http-metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
        resources: toResourceRequirements(m.exporterResources),
        uid: EXPORTER_UID,
      }] : [])],
      customization,
    };
    const built = workload(this, 'StatefulSet', spec);
    validateCustomization(this, customization, () => reservedPodParts(spec, { ports: service.ports.map((p) => p.name!), headless: true }));
    this.statefulSet = built.workload as k8s.KubeStatefulSet;
    this.podDisruptionBudget = built.podDisruptionBudget;
  }


  /**
   * The `cache.caches` entry that points Tempo at this memcached, for roles
   * the version must know. Pure data: the same input gives the same object.
   * @param roles @default DEFAULT_CACHE_ROLES (bloom, parquet-footer, frontend-search)
   * @throws if a role is unknown to the version, listed twice, or none is given
   */
  public cacheConfig(version: TempoVersion, roles: readonly TempoCacheRole[] = DEFAULT_CACHE_ROLES): TempoMemcachedCacheEntry {
    const errors = cacheRoleErrors('roles', version, roles);
    if (errors.length) throw new Error(`TempoMemcached "${this.name}".cacheConfig:\n  ${errors.join('\n  ')}`);
    return {
      roles: [...roles],
      memcached: memcachedClient(this.resolved),
    };
  }
}

/** The options of a memcached with every default decided. */
export interface ResolvedMemcached {
  /** Instance name. */
  readonly instance: string;
  /** Name suffix of a second cache. */
  readonly suffix?: string;
  /** Object name. */
  readonly name: string;
  /** Namespace of the Services, when known. */
  readonly namespace?: string;
  /** Kubernetes cluster domain. */
  readonly clusterDomain: string;
  /** Number of pods. */
  readonly replicas: number;
  /** Item memory of each pod. */
  readonly memory: Size;
  /** Item memory in mebibytes. */
  readonly memMiB: number;
  /** Largest item. */
  readonly maxItemSize: Size;
  /** Largest item in bytes. */
  readonly itemBytes: number;
  /** Connection limit. */
  readonly connections: number;
  /** Tempo's request timeout. */
  readonly timeout: Duration;
  /** Idle connections Tempo keeps per pod. */
  readonly maxIdle: number;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf: string;
  /** Whether the exporter sidecar runs. */
  readonly exporter: boolean;
  /** Container resources. */
  readonly resources: ContainerResources;
  /** Exporter resources. */
  readonly exporterResources: ContainerResources;
}

/** Tempo's client settings for a memcached with these resolved options (pure: no construct needed). */
export function memcachedClient(m: ResolvedMemcached): TempoMemcachedClientConfig {
  return {
    host: m.namespace ? `${m.name}.${m.namespace}.svc.${m.clusterDomain}` : m.name,
    service: 'client',
    consistent_hash: true,
    timeout: goDuration(m.timeout),
    max_idle_conns: m.maxIdle,
    max_item_size: m.itemBytes,
  };
}

/** Decides every default of a memcached; `namespace` is the chart's. */
export function resolveMemcached(props: TempoMemcachedProps, namespace: string | undefined): ResolvedMemcached {
  const instance = props.instanceName ?? 'tempo';
  const memory = props.memory ?? Size.gibibytes(1);
  const maxItemSize = props.maxItemSize ?? Size.mebibytes(5);
  const memMiB = mebibytes(memory);
  return {
    instance,
    suffix: props.nameSuffix,
    name: memcachedName(instance, props.nameSuffix),
    namespace: props.namespace ?? namespace,
    clusterDomain: props.clusterDomain ?? 'cluster.local',
    replicas: props.replicas ?? 1,
    memory,
    memMiB,
    maxItemSize,
    itemBytes: bytes(maxItemSize),
    connections: props.connectionLimit ?? 4096,
    timeout: props.clientTimeout ?? Duration.millis(500),
    maxIdle: props.clientMaxIdleConnections ?? 16,
    partOf: props.partOf ?? 'tempo',
    exporter: props.exporter ?? false,
    resources: props.resources ?? defaultResources(memMiB),
    exporterResources: props.exporterResources ?? { cpu: { request: Cpu.millis(10) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
  };
}

/**
 * Errors of the options a user sets on a memcached, with `option` as the
 * path prefix (`cache` inside `TempoDistributed`, `''` standalone). The
 * instance name, namespace and part-of label are checked where they are set.
 */
export function memcachedErrors(option: string, props: TempoMemcachedProps, m: ResolvedMemcached): string[] {
  const at = (key: string) => (option ? `${option}.${key}` : key);
  let timeoutMs = NaN;
  try {
    timeoutMs = m.timeout.toMilliseconds();
  } catch {
    // reported below
  }
  const errors: string[] = [];
  if (m.suffix !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(m.suffix)) {
    errors.push(`${at('nameSuffix')}: "${m.suffix}" is invalid; allowed: lower-case letters, digits and '-', starting and ending alphanumeric`);
  }
  if (!DNS_SUBDOMAIN.test(m.clusterDomain)) errors.push(`${at('clusterDomain')}: "${m.clusterDomain}" is invalid; allowed: a DNS name such as cluster.local`);
  if (!Number.isInteger(m.replicas) || m.replicas < 1) errors.push(`${at('replicas')}: ${m.replicas} is invalid; allowed: an integer >= 1`);
  if (!Number.isInteger(m.memMiB) || m.memMiB < 64) errors.push(`${at('memory')}: ${sizeQuantity(m.memory)} is invalid; allowed: a whole number of mebibytes, at least 64Mi`);
  const itemMax = Math.min(1024 * MIB, Number.isInteger(m.memMiB) ? (m.memMiB * MIB) / 2 : Infinity);
  if (!Number.isInteger(m.itemBytes) || m.itemBytes < SLAB_CHUNK || m.itemBytes % SLAB_CHUNK !== 0 || m.itemBytes > itemMax) {
    errors.push(`${at('maxItemSize')}: ${sizeQuantity(m.maxItemSize)} is invalid; allowed: a multiple of 512Ki from 512Ki to ${bytesQuantity(itemMax)} (at most half of memory and 1Gi)`);
  }
  if (!Number.isInteger(m.connections) || m.connections < 1 || m.connections > 1_048_576) {
    errors.push(`${at('connectionLimit')}: ${m.connections} is invalid; allowed: an integer from 1 to 1048576`);
  }
  if (!(m.timeout instanceof Duration)) errors.push(`${at('clientTimeout')}: ${JSON.stringify(m.timeout)} is invalid; allowed: a Duration such as Duration.millis(500)`);
  else if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) errors.push(`${at('clientTimeout')}: ${describeDuration(m.timeout)} is invalid; allowed: a positive whole number of milliseconds`);
  if (!Number.isInteger(m.maxIdle) || m.maxIdle < 1) errors.push(`${at('clientMaxIdleConnections')}: ${m.maxIdle} is invalid; allowed: an integer >= 1`);
  errors.push(...resourceErrors(at('resources'), m.resources));
  errors.push(...resourceErrors(at('exporterResources'), m.exporterResources));
  const limit = m.resources.memory?.limit;
  if (limit && Number.isInteger(m.memMiB) && mebibytes(limit) <= m.memMiB) {
    errors.push(`${at('resources.memory.limit')}: ${sizeQuantity(limit)} is not above memory (${sizeQuantity(m.memory)}); allowed: memory plus overhead for connections and the hash table (default 1.5 × memory)`);
  }
  for (const arg of props.extraArgs ?? []) {
    const flag = arg.split('=')[0];
    if (OWN_FLAGS.includes(flag)) errors.push(`${at('extraArgs')}: "${arg}" sets ${flag}, which the library manages; allowed: other memcached flags (use memory, maxItemSize, connectionLimit)`);
  }
  errors.push(...podSchedulingErrors(option, props), ...imageErrors(at('image'), props.image), ...imageErrors(at('exporterImage'), props.exporterImage));
  return errors;
}

/** Errors for the roles of one cache; `option` names them in messages. */
export function cacheRoleErrors(option: string, version: TempoVersion, roles: readonly TempoCacheRole[]): string[] {
  const allowed = cacheRolesOf(version);
  const errors: string[] = [];
  if (roles.length === 0) errors.push(`${option}: empty; allowed: at least one of ${allowed.join(', ')}`);
  const seen = new Set<string>();
  for (const role of roles) {
    if (!allowed.includes(role)) errors.push(`${option}: "${role}" is not a cache role of Tempo ${version.version}; allowed: ${allowed.join(', ')}`);
    if (seen.has(role)) errors.push(`${option}: "${role}" is listed twice; allowed: each role once`);
    seen.add(role);
  }
  return errors;
}

function throwIfErrors(what: string, errors: readonly string[]): void {
  if (errors.length) throw new Error(`${what}:\n  ${errors.join('\n  ')}`);
}

function defaultResources(memMiB: number): ContainerResources {
  const m = Number.isInteger(memMiB) && memMiB > 0 ? memMiB : 1024;
  const request = Math.ceil(m * 1.2 + 100);
  const limit = Math.max(request, Math.ceil(m * 1.5));
  return { cpu: { request: Cpu.millis(500) }, memory: { request: Size.mebibytes(request), limit: Size.mebibytes(limit) } };
}

/** memcached's `-I` syntax: `5m`, or `1536k` when not whole mebibytes. */
function itemSizeArg(n: number): string {
  return n % MIB === 0 ? `${n / MIB}m` : `${n / 1024}k`;
}


