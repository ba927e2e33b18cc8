import { Chart, Duration, Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { TempoPorts } from '../config/paths';
import { defaultReceivers, TempoReceiver } from '../config/receivers';
import { bytes, describeDuration } from '../config/units';
import { LabelKeys, labelErrors, selectorLabels } from '../k8s/labels';
import { instanceNameErrors, NameLimits, serviceNames, TempoNames } from '../k8s/names';
import { resourceErrors, toResourceRequirements } from '../k8s/resources';
import { imageErrors, podSchedulingErrors, replicaErrors, secretKeyErrors, secretNameErrors } from '../k8s/validation';
import { PodSchedulingProps } from '../k8s/scheduling';
import { reservedPodParts, workload, WorkloadSpec } from '../k8s/workload';
import { customizationOf, customizedService, TempoCustomizableWorkload, TempoWorkloadCustomizationProps, validateCustomization } from '../k8s/customization';

/**
 * Where the gateway takes Tempo's tenant (`X-Scope-OrgID`) from when
 * multi-tenancy is on.
 *
 * - `from-basic-auth-user`: the authenticated user name is the tenant; a
 *   header sent by the client is replaced, so a user writes and reads only
 *   its own tenant. Needs `basicAuth`, whose user names must then be valid
 *   Tempo tenant IDs (letters, digits and `!-_.*'()`, at most 150 characters).
 * - `pass-through`: the client's header goes to Tempo unchanged (basic auth,
 *   if set, only gates access; any authenticated user can name any tenant).
 */
export type TempoGatewayTenantHeader = 'from-basic-auth-user' | 'pass-through';

const TENANT_HEADER_MODES: readonly TempoGatewayTenantHeader[] = ['from-basic-auth-user', 'pass-through'];

/** An existing Secret holding an htpasswd file for nginx's basic auth. */
export interface TempoGatewayBasicAuth {
  /**
   * Name of the Secret. nginx checks the password on every request, so prefer
   * a cheap hash such as `openssl passwd -6` (SHA-512) or `htpasswd -m` (APR1)
   * over bcrypt. nginx re-reads the file per request: updating the Secret
   * needs no restart.
   */
  readonly secretName: string;
  /** Key of the htpasswd file in the Secret. @default '.htpasswd' */
  readonly key?: string;
}

/** Options of `TempoGateway`. */
export interface TempoGatewayProps extends PodSchedulingProps, TempoWorkloadCustomizationProps {
  /**
   * Name of the Tempo instance behind the gateway: prefix of the object names
   * (`<instance>-gateway`) and value of `app.kubernetes.io/instance`.
   * @default 'tempo'
   */
  readonly instanceName?: string;
  /** Service of the distributor (ingestion routes go to its receiver ports). */
  readonly distributorServiceName: string;
  /** Service of the query-frontend (`/api/` goes to it). */
  readonly queryFrontendServiceName: string;
  /** HTTP port of the query-frontend Service. @default 3200 */
  readonly queryFrontendPort?: number;
  /**
   * Namespace of the distributor and query-frontend Services. nginx resolves
   * upstream names through `dnsResolver` without search domains, so it
   * writes fully qualified names.
   * @default the chart's namespace (required when the chart has none)
   */
  readonly namespace?: string;
  /** Kubernetes cluster domain of the fully qualified names. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * DNS server nginx asks at request time (`resolver`), a name or an IP, with an optional `:port`.
   * @default `kube-dns.kube-system.svc.<clusterDomain>`
   */
  readonly dnsResolver?: string;
  /**
   * The distributor's enabled receivers. The gateway routes OTLP HTTP
   * (`/v1/traces`, `/otlp/v1/traces`), Jaeger Thrift HTTP (`/jaeger/api/traces`),
   * Zipkin (`/zipkin/spans`) and OTLP gRPC (its own listener) when enabled;
   * other receivers stay reachable on the distributor's Service only.
   * @default [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()] (TempoDistributed's default)
   */
  readonly receivers?: readonly TempoReceiver[];
  /**
   * Listen for OTLP gRPC on 4317 (HTTP/2, `grpc_pass` to the distributor).
   * @default true when the OTLP gRPC receiver is enabled
   */
  readonly otlpGrpcListener?: boolean;
  /** Whether Tempo runs with `multitenancy_enabled`. When off, the gateway strips `X-Scope-OrgID`. @default false */
  readonly multitenancy?: boolean;
  /** Where the tenant comes from (multi-tenancy only). @default 'from-basic-auth-user' */
  readonly tenantHeader?: TempoGatewayTenantHeader;
  /** Require basic auth (every route but `/healthz`). @default none: no authentication */
  readonly basicAuth?: TempoGatewayBasicAuth;
  /** Number of pods. @default 1 */
  readonly replicas?: number;
  /** CPU and memory of nginx. @default 100m CPU, 64Mi memory request, 256Mi limit */
  readonly resources?: ContainerResources;
  /** Unprivileged nginx image (uid 101), nginx 1.25.1 or newer (the `http2` directive). @default TempoGateway.DEFAULT_IMAGE */
  readonly image?: string;
  /** nginx worker processes. @default 2 */
  readonly workerProcesses?: number;
  /** Largest request body (`client_max_body_size`), e.g. an OTLP batch. @default Size.mebibytes(20) (the OpenTelemetry Collector's HTTP limit) */
  readonly maxRequestBodySize?: Size;
  /** How long a query may take before nginx gives up (`proxy_read_timeout` of `/api/`). @default Duration.minutes(5) */
  readonly queryTimeout?: Duration;
  /** Value of `app.kubernetes.io/part-of`. @default 'tempo' */
  readonly partOf?: string;
  /** A PodDisruptionBudget (one pod at a time), created when more than one pod runs. @default true */
  readonly podDisruptionBudget?: boolean;
  /**
   * A Prometheus exporter sidecar (nginx-prometheus-exporter, port 9113 `http-metrics`, also on the
   * Service) reading nginx's `stub_status` from a listener bound to 127.0.0.1 only: connections and
   * requests (`nginx_up`, `nginx_connections_*`, `nginx_http_requests_total`). `TempoServiceMonitors`
   * scrapes it when on. nginx itself has no metrics endpoint.
   * @default false
   */
  readonly exporter?: boolean;
  /** Exporter image. @default TempoGateway.DEFAULT_EXPORTER_IMAGE */
  readonly exporterImage?: string;
  /** CPU and memory of the exporter. @default 10m CPU, 16Mi memory request, 64Mi limit */
  readonly exporterResources?: ContainerResources;
}

/** An ingestion route of the gateway. */
export interface TempoGatewayRoute {
  /** Path on the gateway (exact match). */
  readonly path: string;
  /** Receiver it reaches (`otlp-http`, `jaeger-http`, `zipkin`). */
  readonly receiver: string;
  /** Distributor port. */
  readonly port: number;
  /** Path at the distributor. */
  readonly upstreamPath: string;
}

/** The unprivileged nginx image's user and group. */
export const NGINX_UID = 101;
const HTTP_PORT = 8080;
const SERVICE_HTTP_PORT = 80;
const OTLP_GRPC_PORT = 4317;
/** The gateway's ports: Service HTTP (80), the pods' HTTP listener (8080), OTLP gRPC (4317, Service and pods). */
export const GATEWAY_PORTS = { serviceHttp: SERVICE_HTTP_PORT, podHttp: HTTP_PORT, otlpGrpc: OTLP_GRPC_PORT } as const;
const CONFIG_DIR = '/etc/nginx/gateway';
const CONFIG_FILE = `${CONFIG_DIR}/nginx.conf`;
const SECRET_DIR = '/etc/nginx/secrets';
const HEALTH_PATH = '/healthz';
const STUB_STATUS_PORT = 8081;
/** Port of the gateway's exporter sidecar (named `http-metrics`). */
export const GATEWAY_METRICS_PORT = 9113;
/** The exporter image's unprivileged user. */
const EXPORTER_UID = 65534;
/** gRPC service of TraceQL streaming (search, tags, metrics), served by the query-frontend. */
export const STREAMING_PATH = '/tempopb.StreamingQuerier/';
const MIB = 1024 * 1024;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOLVER = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;

/** HTTP ingestion routes per receiver, as the Helm chart's gateway offers them. */
const RECEIVER_ROUTES: Readonly<Record<string, ReadonlyArray<{ readonly path: string; readonly upstreamPath: string }>>> = {
  'otlp-http': [{ path: '/v1/traces', upstreamPath: '/v1/traces' }, { path: '/otlp/v1/traces', upstreamPath: '/v1/traces' }],
  'jaeger-http': [{ path: '/jaeger/api/traces', upstreamPath: '/api/traces' }],
  'zipkin': [{ path: '/zipkin/spans', upstreamPath: '/api/v2/spans' }],
};

/** The gateway's HTTP ingestion routes for these receivers, one per enabled receiver path. */
export function gatewayRoutes(receivers: readonly TempoReceiver[]): TempoGatewayRoute[] {
  return receivers.flatMap((r) => (RECEIVER_ROUTES[r.name] ?? []).map((route) => ({ ...route, receiver: r.name, port: r.port })));
}

/**
 * An unprivileged nginx in front of the distributor and the query-frontend,
 * as the Helm chart's gateway: one HTTP entry point (Service port 80) for
 * OTLP HTTP, Jaeger Thrift HTTP and Zipkin ingestion and for Tempo's query
 * API, an optional OTLP gRPC listener (4317), basic auth from an existing
 * Secret, and tenant header handling.
 *
 * Upstreams are written as variables resolved per request, so nginx starts
 * (and passes its probes on `/healthz`) before Tempo's Services resolve. The
 * pod runs as nginx's uid 101 with a read-only root filesystem; nginx.conf
 * lives in a ConfigMap whose hash rolls the pods on change.
 *
 * TraceQL streaming (Grafana's streaming search and metrics, gRPC
 * `/tempopb.StreamingQuerier/*`) goes through the HTTP listener too: it
 * speaks HTTP/1.1 and cleartext HTTP/2 on one port (`http2 on`, nginx >=
 * 1.25.1 tells them apart by the HTTP/2 preface), because Grafana sends its
 * gRPC streams to the data source URL's host and port; the route
 * `grpc_pass`es them to the query-frontend's HTTP port, where Tempo serves
 * gRPC with `stream_over_http_enabled` (always on in this library).
 */
export class TempoGateway extends TempoCustomizableWorkload {
  /** An nginx 1.27 release of the unprivileged image (listens on 8080, uid 101); override with `image`. */
  public static readonly DEFAULT_IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
  /** An nginx-prometheus-exporter release; override with `exporterImage`. */
  public static readonly DEFAULT_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:1.4.1';

  /** Name of the Deployment and of the Service (`<instance>-gateway`). */
  public readonly name: string;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** Name of the ConfigMap holding nginx.conf. */
  public readonly configMapName: string;
  /** HTTP port of the Service (80, named `http`). */
  public readonly httpPort = SERVICE_HTTP_PORT;
  /** Port the gateway's pods listen on for HTTP (the Service's `httpPort` forwards to it). */
  public readonly httpPodPort = HTTP_PORT;
  /** OTLP gRPC port of the Service (4317, named `grpc-otlp`), when the listener is on. */
  public readonly otlpGrpcPort?: number;
  /** Whether clients must send basic-auth credentials. */
  public readonly basicAuth: boolean;
  /** Whether the tenant (`X-Scope-OrgID`) is the authenticated user, so clients send no tenant header. */
  public readonly tenantFromCredentials: boolean;
  /** The HTTP ingestion routes, one per enabled receiver path. */
  public readonly routes: readonly TempoGatewayRoute[];
  /** The rendered nginx.conf. */
  public readonly nginxConf: string;
  /** Labels the Deployment and the Service select on (stable). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** Labels of every object of the gateway. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Number of nginx pods. */
  public readonly replicas: number;
  /** The nginx Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service (`http`, plus `grpc-otlp` when the OTLP gRPC listener is on). */
  public readonly service: k8s.KubeService;
  /** The ConfigMap holding nginx.conf. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The PodDisruptionBudget (one pod at a time), when more than one pod runs. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** Exporter port (9113, named `http-metrics`), when the exporter is on. */
  public readonly metricsPort?: number;

  constructor(scope: Construct, id: string, props: TempoGatewayProps) {
    super(scope, id);
    const g = resolveGateway(props, Chart.of(this).namespace);
    const { instance, name, namespace, receivers, otlpGrpc, replicas, resources, authKey } = g;
    const names = new TempoNames(instance);
    const errors = [
      // nginx.conf's ConfigMap is kept within a DNS label like the gateway's other names.
      ...instanceNameErrors('instanceName', instance, [...serviceNames(names.gateway), { kind: 'ConfigMap', name: names.gatewayConfig, limit: NameLimits.DNS_LABEL }]),
    ];
    for (const [option, value] of [['distributorServiceName', props.distributorServiceName], ['queryFrontendServiceName', props.queryFrontendServiceName]] as const) {
      if (typeof value !== 'string' || !DNS_LABEL.test(value) || value.length > NameLimits.DNS_LABEL) {
        errors.push(`${option}: "${value}" is invalid; allowed: a Service name (DNS label of at most 63 characters, starting with a letter)`);
      }
    }
    const seen = new Set<string>();
    for (const r of receivers) {
      if (seen.has(r.name)) errors.push(`receivers: ${r.name} is listed twice`);
      seen.add(r.name);
    }
    errors.push(...gatewayErrors('', props, g));
    errors.push(...labelErrors('partOf', { [LabelKeys.PART_OF]: g.partOf }));
    if (errors.length) throw new Error(`TempoGateway "${name}":\n  ${errors.join('\n  ')}`);
    const clusterDomain = g.clusterDomain;
    const multitenancy = g.multitenancy;
    const tenantHeader = g.tenantHeader;
    const bodyBytes = bytes(g.bodySize);
    const timeoutSeconds = seconds(g.queryTimeout);
    const qfPort = g.queryFrontendPort;

    this.name = name;
    this.serviceName = name;
    this.configMapName = names.gatewayConfig;
    this.replicas = replicas;
    this.otlpGrpcPort = otlpGrpc ? OTLP_GRPC_PORT : undefined;
    this.basicAuth = props.basicAuth !== undefined;
    this.tenantFromCredentials = multitenancy && tenantHeader === 'from-basic-auth-user';
    this.routes = gatewayRoutes(receivers);
    const fqdn = (svc: string) => `${svc}.${namespace}.svc.${clusterDomain}`;
    const tenant: string = !multitenancy ? '""' : tenantHeader === 'pass-through' ? '$http_x_scope_orgid' : '$remote_user';
    this.nginxConf = renderNginxConf({
      name,
      workers: g.workers,
      resolver: g.resolver,
      clientMaxBodySize: bodyBytes % MIB === 0 ? `${bodyBytes / MIB}m` : `${bodyBytes / 1024}k`,
      distributor: fqdn(props.distributorServiceName),
      queryFrontend: fqdn(props.queryFrontendServiceName),
      queryFrontendPort: qfPort,
      queryTimeoutSeconds: timeoutSeconds,
      routes: this.routes,
      otlpGrpcUpstreamPort: otlpGrpc ? receivers.find((r) => r.name === 'otlp-grpc')!.port : undefined,
      tenant,
      authFile: props.basicAuth ? `${SECRET_DIR}/${authKey}` : undefined,
      stubStatus: g.exporter,
    });
    this.metricsPort = g.exporter ? GATEWAY_METRICS_PORT : undefined;

    const selector = selectorLabels(instance, 'gateway');
    const labels = { ...selector, [LabelKeys.PART_OF]: g.partOf, [LabelKeys.MANAGED_BY]: 'cdk8s-tempo' };
    this.selectorLabels = selector;
    this.labels = labels;

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: this.configMapName, labels },
      data: { 'nginx.conf': this.nginxConf },
    });

    const customization = this.useCustomization(customizationOf(props, 'gateway'));
    const service = customizedService(customization, [
      { name: 'http', port: SERVICE_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
      ...(otlpGrpc ? [{ name: 'grpc-otlp', port: OTLP_GRPC_PORT, targetPort: k8s.IntOrString.fromString('grpc-otlp'), protocol: 'TCP' }] : []),
      ...(g.exporter ? [{ name: 'http-metrics', port: GATEWAY_METRICS_PORT, targetPort: k8s.IntOrString.fromString('http-metrics'), protocol: 'TCP' }] : []),
    ]);
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, labels, annotations: service.annotations },
      spec: {
        type: service.type,
        selector: { ...selector },
        ports: service.ports,
      },
    });

    const healthProbe = { httpGet: { path: HEALTH_PATH, port: k8s.IntOrString.fromString('http') } };
    const spec: WorkloadSpec = {
      kind: 'Deployment',
      name,
      objectLabels: labels,
      selector,
      replicas,
      disruptionBudget: props.podDisruptionBudget === false ? undefined : 1,
      labels,
      checksumOf: this.nginxConf,
      uid: NGINX_UID,
      terminationGracePeriodSeconds: 30,
      scheduling: { props, selector },
      containers: [{
        name: 'nginx',
        image: props.image ?? TempoGateway.DEFAULT_IMAGE,
        // nginx itself, not the image's entrypoint: its scripts would try to edit files on the read-only root filesystem.
        command: ['nginx', '-c', CONFIG_FILE],
        ports: [
          { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
          ...(otlpGrpc ? [{ name: 'grpc-otlp', containerPort: OTLP_GRPC_PORT, protocol: 'TCP' }] : []),
        ],
        readinessProbe: { ...healthProbe, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1 },
        livenessProbe: { ...healthProbe, initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
        resources: toResourceRequirements(resources),
        volumeMounts: [
          { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'cache', mountPath: '/var/cache/nginx' },
          { name: 'run', mountPath: '/var/run' },
          ...(props.basicAuth ? [{ name: 'htpasswd', mountPath: SECRET_DIR, readOnly: true }] : []),
        ],
      }, ...(g.exporter ? [{
        name: 'exporter',
        image: props.exporterImage ?? TempoGateway.DEFAULT_EXPORTER_IMAGE,
        args: [`--nginx.scrape-uri=http://127.0.0.1:${STUB_STATUS_PORT}/stub_status`, `--web.listen-address=:${GATEWAY_METRICS_PORT}`],
        ports: [{ name: 'http-metrics', containerPort: GATEWAY_METRICS_PORT, protocol: 'TCP' }],
        resources: toResourceRequirements(g.exporterResources),
        uid: EXPORTER_UID,
      }] : [])],
      volumes: [
        { name: 'config', configMap: { name: this.configMapName } },
        { name: 'tmp', emptyDir: {} },
        { name: 'cache', emptyDir: {} },
        { name: 'run', emptyDir: {} },
        ...(props.basicAuth
          ? [{ name: 'htpasswd', secret: { secretName: props.basicAuth.secretName, items: [{ key: authKey, path: authKey }], defaultMode: 0o440 } }]
          : []),
      ],
      customization,
    };
    const built = workload(this, 'Deployment', spec);
    validateCustomization(this, customization, () => reservedPodParts(spec, { ports: service.ports.map((p) => p.name!), headless: false }));
    this.deployment = built.workload as k8s.KubeDeployment;
    this.podDisruptionBudget = built.podDisruptionBudget;
  }

}

/** The options of a gateway with every default decided. */
export interface ResolvedGateway {
  /** Instance name. */
  readonly instance: string;
  /** Object name. */
  readonly name: string;
  /** Namespace of the Services, when known. */
  readonly namespace?: string;
  /** Kubernetes cluster domain. */
  readonly clusterDomain: string;
  /** DNS server nginx asks. */
  readonly resolver: string;
  /** The distributor's receivers. */
  readonly receivers: readonly TempoReceiver[];
  /** Whether the OTLP gRPC receiver is enabled. */
  readonly hasOtlpGrpc: boolean;
  /** Whether the OTLP gRPC listener is on. */
  readonly otlpGrpc: boolean;
  /** Whether Tempo requires a tenant. */
  readonly multitenancy: boolean;
  /** Where the tenant comes from. */
  readonly tenantHeader: TempoGatewayTenantHeader;
  /** Number of pods. */
  readonly replicas: number;
  /** nginx worker processes. */
  readonly workers: number;
  /** Largest request body. */
  readonly bodySize: Size;
  /** Query timeout. */
  readonly queryTimeout: Duration;
  /** The query-frontend's HTTP port. */
  readonly queryFrontendPort: number;
  /** `app.kubernetes.io/part-of`. */
  readonly partOf: string;
  /** Container resources. */
  readonly resources: ContainerResources;
  /** Key of the htpasswd file. */
  readonly authKey: string;
  /** Whether the exporter sidecar runs. */
  readonly exporter: boolean;
  /** Resources of the exporter. */
  readonly exporterResources: ContainerResources;
}

/** Decides every default of a gateway; `namespace` is the chart's. */
export function resolveGateway(props: Partial<TempoGatewayProps>, namespace: string | undefined): ResolvedGateway {
  const instance = props.instanceName ?? 'tempo';
  const clusterDomain = props.clusterDomain ?? 'cluster.local';
  const receivers = props.receivers ?? defaultReceivers();
  const hasOtlpGrpc = receivers.some((r) => r.name === 'otlp-grpc');
  return {
    instance,
    name: new TempoNames(instance).gateway,
    namespace: props.namespace ?? namespace,
    clusterDomain,
    resolver: props.dnsResolver ?? `kube-dns.kube-system.svc.${clusterDomain}`,
    receivers,
    hasOtlpGrpc,
    otlpGrpc: props.otlpGrpcListener ?? hasOtlpGrpc,
    multitenancy: props.multitenancy ?? false,
    tenantHeader: props.tenantHeader ?? 'from-basic-auth-user',
    replicas: props.replicas ?? 1,
    workers: props.workerProcesses ?? 2,
    bodySize: props.maxRequestBodySize ?? Size.mebibytes(20),
    queryTimeout: props.queryTimeout ?? Duration.minutes(5),
    queryFrontendPort: props.queryFrontendPort ?? TempoPorts.HTTP,
    partOf: props.partOf ?? 'tempo',
    resources: props.resources ?? { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
    authKey: props.basicAuth?.key ?? '.htpasswd',
    exporter: props.exporter ?? false,
    exporterResources: props.exporterResources ?? { cpu: { request: Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) } },
  };
}

/**
 * Errors of the options a user sets on a gateway, with `option` as the path
 * prefix (`gateway` inside `TempoDistributed`, `''` standalone). What the
 * deployment derives (instance, Services, receivers) is checked where it is set.
 */
export function gatewayErrors(option: string, props: Partial<TempoGatewayProps>, g: ResolvedGateway): string[] {
  const at = (key: string) => (option ? `${option}.${key}` : key);
  const errors: string[] = [];
  const namespace = g.namespace;
  if (!namespace && option) {
    // Inside a deployment the namespace is the chart's, not an option of the gateway.
    errors.push(`${option}: needs a namespace and the chart has none (nginx resolves fully qualified Service names only); allowed: a Chart with \`namespace\``);
  } else if (!namespace) {
    errors.push(`${at('namespace')}: not set and the chart has none; allowed: the namespace of the distributor and query-frontend Services (nginx resolves fully qualified names only)`);
  } else if (!DNS_LABEL.test(namespace) || namespace.length > NameLimits.DNS_LABEL) {
    errors.push(`${at('namespace')}: "${namespace}" is invalid; allowed: a DNS label of at most 63 characters`);
  }
  if (!DNS_SUBDOMAIN.test(g.clusterDomain)) errors.push(`${at('clusterDomain')}: "${g.clusterDomain}" is invalid; allowed: a DNS name such as cluster.local`);
  if (!RESOLVER.test(g.resolver)) errors.push(`${at('dnsResolver')}: "${g.resolver}" is invalid; allowed: a DNS name or an IP address, with an optional :port`);
  if (props.otlpGrpcListener && !g.hasOtlpGrpc) {
    errors.push(`${at('otlpGrpcListener')}: true but the otlp-grpc receiver is not enabled; allowed: add TempoReceiver.otlpGrpc() to receivers, or leave the listener off`);
  }
  const tenantHeader = g.tenantHeader;
  if (!TENANT_HEADER_MODES.includes(tenantHeader)) {
    errors.push(`${at('tenantHeader')}: "${tenantHeader}" is invalid; allowed: ${TENANT_HEADER_MODES.join(', ')}`);
  } else if (!g.multitenancy && props.tenantHeader !== undefined) {
    errors.push(`${at('tenantHeader')}: "${tenantHeader}" is set but multitenancy is off (the gateway strips X-Scope-OrgID); allowed: multitenancy: true, or no tenantHeader`);
  } else if (g.multitenancy && tenantHeader === 'from-basic-auth-user' && !props.basicAuth) {
    errors.push(`${at('tenantHeader')}: "from-basic-auth-user" needs basicAuth (the tenant is the authenticated user); allowed: set basicAuth, or tenantHeader: 'pass-through'`);
  }
  if (props.basicAuth) {
    errors.push(...secretNameErrors(at('basicAuth.secretName'), props.basicAuth.secretName), ...secretKeyErrors(at('basicAuth.key'), g.authKey));
  }
  errors.push(...replicaErrors(at('replicas'), g.replicas, 1, 'clients and Grafana reach Tempo through it'));
  if (!Number.isInteger(g.workers) || g.workers < 1 || g.workers > 64) errors.push(`${at('workerProcesses')}: ${g.workers} is invalid; allowed: an integer from 1 to 64`);
  const qfPort = g.queryFrontendPort;
  if (!Number.isInteger(qfPort) || qfPort < 1 || qfPort > 65535) errors.push(`${at('queryFrontendPort')}: ${qfPort} is invalid; allowed: an integer from 1 to 65535`);
  const bodyBytes = bytes(g.bodySize);
  if (!Number.isInteger(bodyBytes / 1024) || bodyBytes <= 0) errors.push(`${at('maxRequestBodySize')}: ${bodyBytes} bytes is invalid; allowed: a positive whole number of kibibytes`);
  const timeoutSeconds = seconds(g.queryTimeout);
  if (!(g.queryTimeout instanceof Duration)) errors.push(`${at('queryTimeout')}: ${JSON.stringify(g.queryTimeout)} is invalid; allowed: a Duration such as Duration.minutes(5)`);
  else if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) errors.push(`${at('queryTimeout')}: ${describeDuration(g.queryTimeout)} is invalid; allowed: a whole number of seconds, at least 1s`);
  errors.push(...resourceErrors(at('resources'), g.resources));
  if (props.exporter) errors.push(...resourceErrors(at('exporterResources'), g.exporterResources), ...imageErrors(at('exporterImage'), props.exporterImage));
  else if (props.exporterImage !== undefined || props.exporterResources !== undefined) {
    errors.push(`${at(props.exporterImage !== undefined ? 'exporterImage' : 'exporterResources')}: set but the exporter is off; allowed: exporter: true, or leave it out`);
  }
  errors.push(...podSchedulingErrors(option, props), ...imageErrors(at('image'), props.image));
  return errors;
}

interface NginxConfInput {
  readonly name: string;
  readonly workers: number;
  readonly resolver: string;
  readonly clientMaxBodySize: string;
  readonly distributor: string;
  readonly queryFrontend: string;
  readonly queryFrontendPort: number;
  readonly queryTimeoutSeconds: number;
  readonly routes: readonly TempoGatewayRoute[];
  readonly otlpGrpcUpstreamPort?: number;
  /** Value given to X-Scope-OrgID: `""` (strip), `$remote_user` or `$http_x_scope_orgid`. */
  readonly tenant: string;
  readonly authFile?: string;
  /** Serve `stub_status` on 127.0.0.1 for the exporter. */
  readonly stubStatus: boolean;
}

/**
 * nginx.conf of the gateway. Every `$` in it is an nginx variable meant
 * literally: the file is read by nginx only (no envsubst, no Tempo expansion).
 */
function renderNginxConf(c: NginxConfInput): string {
  const auth = c.authFile ? ['auth_basic "Tempo";', `auth_basic_user_file ${c.authFile};`, ''] : [];
  const distributor = `set $distributor ${c.distributor};`;
  const health = [
    `location = ${HEALTH_PATH} {`,
    ...indent([...(c.authFile ? ['auth_basic off;'] : []), 'access_log off;', 'default_type text/plain;', 'return 200 "ok\\n";']),
    '}',
  ];
  const httpServer = [
    '# HTTP/1.1 and cleartext HTTP/2 (Grafana\'s gRPC streaming) on one port: nginx tells them apart by the HTTP/2 preface.',
    'server {',
    ...indent([
      `listen ${HTTP_PORT};`,
      'http2 on;',
      '',
      distributor,
      `set $query_frontend ${c.queryFrontend};`,
      '',
      ...auth,
      'proxy_http_version 1.1;',
      `proxy_set_header X-Scope-OrgID ${c.tenant};`,
      `grpc_set_header X-Scope-OrgID ${c.tenant};`,
      ...(c.authFile ? ['proxy_set_header Authorization "";', 'grpc_set_header Authorization "";'] : []),
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '',
      ...health,
      '',
      // With a variable in proxy_pass, a URI replaces the request URI as is: keep the query string.
      ...c.routes.flatMap((r) => [
        `location = ${r.path} {`,
        `  proxy_pass http://$distributor:${r.port}${r.path === r.upstreamPath ? '' : `${r.upstreamPath}$is_args$args`};`,
        '}',
      ]),
      ...(c.routes.length ? [''] : []),
      '# TraceQL streaming (Grafana\'s streaming search and metrics): gRPC over cleartext HTTP/2 on this port,',
      '# to the query-frontend\'s HTTP port (stream_over_http_enabled).',
      `location ${STREAMING_PATH} {`,
      ...indent([
        `grpc_pass grpc://$query_frontend:${c.queryFrontendPort};`,
        `grpc_read_timeout ${c.queryTimeoutSeconds}s;`,
        `grpc_send_timeout ${c.queryTimeoutSeconds}s;`,
      ]),
      '}',
      '',
      '# Tempo query API; unbuffered so streamed responses reach the client as they come.',
      'location /api/ {',
      ...indent([
        `proxy_pass http://$query_frontend:${c.queryFrontendPort};`,
        'proxy_buffering off;',
        `proxy_read_timeout ${c.queryTimeoutSeconds}s;`,
      ]),
      '}',
      '',
      'location / {',
      '  return 404;',
      '}',
    ]),
    '}',
  ];
  const grpcServer = c.otlpGrpcUpstreamPort === undefined ? [] : [
    '',
    '# OTLP gRPC',
    'server {',
    ...indent([
      `listen ${OTLP_GRPC_PORT};`,
      'http2 on;',
      '',
      distributor,
      '',
      ...auth,
      `grpc_set_header X-Scope-OrgID ${c.tenant};`,
      ...(c.authFile ? ['grpc_set_header Authorization "";'] : []),
      '',
      'location / {',
      `  grpc_pass grpc://$distributor:${c.otlpGrpcUpstreamPort};`,
      '}',
    ]),
    '}',
  ];
  const stubStatusServer = !c.stubStatus ? [] : [
    '',
    '# stub_status for the exporter sidecar, on the loopback interface only.',
    'server {',
    ...indent([
      `listen 127.0.0.1:${STUB_STATUS_PORT};`,
      'access_log off;',
      'location = /stub_status {',
      '  stub_status;',
      '}',
      'location / {',
      '  return 404;',
      '}',
    ]),
    '}',
  ];
  return [
    `# nginx.conf of the Tempo gateway ${c.name}, generated by cdk8s-tempo.`,
    `worker_processes ${c.workers};`,
    // Each proxied request holds two connections; raise the soft limit (containerd 2 defaults it to 1024) up to the hard one.
    'worker_rlimit_nofile 8192;',
    'pid /tmp/nginx.pid;',
    'error_log stderr warn;',
    'daemon off;',
    '',
    'events {',
    '  worker_connections 4096;',
    '}',
    '',
    'http {',
    ...indent([
      '# Writable paths on the read-only root filesystem.',
      'client_body_temp_path /tmp/client_temp;',
      'proxy_temp_path /tmp/proxy_temp;',
      'fastcgi_temp_path /tmp/fastcgi_temp;',
      'uwsgi_temp_path /tmp/uwsgi_temp;',
      'scgi_temp_path /tmp/scgi_temp;',
      '',
      'default_type application/octet-stream;',
      'server_tokens off;',
      'sendfile on;',
      'tcp_nopush on;',
      `client_max_body_size ${c.clientMaxBodySize};`,
      'log_format main \'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent $request_time "$http_user_agent"\';',
      'access_log /dev/stdout main;',
      '',
      '# Upstreams are variables resolved per request, so nginx starts before Tempo\'s Services exist.',
      `resolver ${c.resolver} valid=10s;`,
      'resolver_timeout 5s;',
      '',
      ...httpServer,
      ...grpcServer,
      ...stubStatusServer,
    ]),
    '}',
    '',
  ].join('\n');
}

function indent(lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? '' : `  ${l}`));
}

function seconds(d: Duration): number {
  try {
    return d.toMilliseconds() / 1000;
  } catch {
    return NaN;
  }
}

