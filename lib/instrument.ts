import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvFieldPaths, EnvValue, ISecret, Workload } from 'cdk8s-plus-28';
import { cdk8sPlus, k8s } from './k8s/plus';
import type { ITempoInstance } from './instance';
import { TempoNames } from './k8s/names';
import { recordNameOption } from './k8s/unique-objects';

/** How an OpenTelemetry SDK sends spans (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export enum OtlpProtocol {
  /** OTLP over gRPC (port 4317 on Tempo). */
  GRPC = 'grpc',
  /** OTLP over HTTP with protobuf bodies (port 4318 on Tempo; SDKs append `/v1/traces`). */
  HTTP_PROTOBUF = 'http/protobuf',
}

/** Basic-auth credentials for a gateway that asks for them. */
export interface InstrumentCredentials {
  /** Secret in the workload's namespace. */
  readonly secretName: string;
  /** Key holding base64(`user:password`), the token after `Basic `. */
  readonly key: string;
}

/** Options of `instrument()`. */
export interface InstrumentOptions {
  /** The Tempo the workload sends traces to. */
  readonly instance: ITempoInstance;
  /** `service.name` of the spans (`OTEL_SERVICE_NAME`). */
  readonly serviceName: string;
  /**
   * Tenant sent as `X-Scope-OrgID`. Required when the instance is multi-tenant and the tenant is not
   * taken from gateway credentials; refused when the instance is single-tenant.
   * @default no tenant header
   */
  readonly tenant?: string;
  /**
   * Protocol of the exporter.
   * @default OtlpProtocol.GRPC when the instance receives OTLP gRPC, else OtlpProtocol.HTTP_PROTOBUF
   */
  readonly protocol?: OtlpProtocol;
  /** Credentials for a gateway with basic auth. Required exactly when the instance's gateway asks for them. @default none */
  readonly credentials?: InstrumentCredentials;
  /** Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`), besides the pod's namespace, name and node. @default none */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /** Names of the containers to instrument. @default every container of the pod template */
  readonly containers?: readonly string[];
}

/** Workloads `instrument()` accepts: cdk8s-plus workloads and the L1 objects with a pod template. */
export type InstrumentableWorkload = Workload | k8s.KubeDeployment | k8s.KubeStatefulSet | k8s.KubeDaemonSet;

/** One container environment variable. */
export interface EnvVar {
  /** Variable name. */
  readonly name: string;
  /** Literal value. @default none (valueFrom) */
  readonly value?: string;
  /** Value from the downward API or a Secret. @default none (value) */
  readonly valueFrom?: k8s.EnvVarSource;
}

const RESOURCE_KEY = /^[A-Za-z0-9._/-]+$/;
const TENANT = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;
// Downward-API variables are listed first: Kubernetes expands $(NAME) only from variables defined earlier.
const POD_NAMESPACE_VAR = 'OTEL_K8S_NAMESPACE';
const POD_NAME_VAR = 'OTEL_K8S_POD_NAME';
const NODE_NAME_VAR = 'OTEL_K8S_NODE_NAME';
const AUTH_VAR = 'OTEL_TEMPO_BASIC_AUTH';

/**
 * Points a workload's OpenTelemetry SDK at a Tempo instance in one line: sets
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES` (namespace, pod and node from the downward API) and, when
 * needed, `OTEL_EXPORTER_OTLP_HEADERS` (tenant, gateway credentials from a Secret) on
 * every container; traffic goes through the instance's gateway when it has one. When the
 * instance runs NetworkPolicies, adds one that opens its receiver port to this
 * workload's pods (`<instance>-ingest-from-<workload>`).
 * @returns the NetworkPolicy, when one was added
 */
export function instrument(workload: InstrumentableWorkload, options: InstrumentOptions): k8s.KubeNetworkPolicy | undefined {
  const { instance } = options;
  const ingest = instance.ingestEndpoint;
  const target = objectOf(workload);
  const workloadNamespace = target.metadata.namespace ?? Chart.of(workload).namespace;
  const exp = otlpExportOf(options, ingest.otlpGrpcPort !== undefined ? OtlpProtocol.GRPC : OtlpProtocol.HTTP_PROTOBUF, workloadNamespace);
  const { protocol, port } = exp;
  const errors: string[] = [...exp.errors];
  if (typeof options.serviceName !== 'string' || !options.serviceName.trim() || /[,=]/.test(options.serviceName)) {
    errors.push(`serviceName: "${options.serviceName ?? ''}" is invalid; allowed: a non-empty service name without ',' or '='`);
  }
  if (workload.node.tryFindChild('TempoIngestPolicy') || workload.node.tryFindChild('TempoInstrumented')) {
    errors.push('workload: already instrumented; allowed: one instrument() call per workload');
  }
  const containers = containerNames(target);
  const chosen = options.containers ?? containers;
  const unknown = chosen.filter((c) => !containers.includes(c));
  if (unknown.length) errors.push(`containers: ${unknown.map((c) => `"${c}"`).join(', ')} not in the pod template; allowed: ${containers.join(', ') || '(no containers yet: add them before instrument())'}`);
  if (errors.length) throw new Error(`instrument(${workload.node.path}):\n  ${errors.join('\n  ')}`);

  const attributes = [
    `k8s.namespace.name=$(${POD_NAMESPACE_VAR})`,
    `k8s.pod.name=$(${POD_NAME_VAR})`,
    `k8s.node.name=$(${NODE_NAME_VAR})`,
    ...Object.entries(options.resourceAttributes ?? {}).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
  ];
  const { EnvFieldPaths } = cdk8sPlus();
  const env: EnvVar[] = [
    { name: POD_NAMESPACE_VAR, valueFrom: { fieldRef: { fieldPath: EnvFieldPaths.POD_NAMESPACE } } },
    { name: POD_NAME_VAR, valueFrom: { fieldRef: { fieldPath: EnvFieldPaths.POD_NAME } } },
    { name: NODE_NAME_VAR, valueFrom: { fieldRef: { fieldPath: EnvFieldPaths.NODE_NAME } } },
    ...exp.credentialEnv,
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: exp.endpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: protocol },
    { name: 'OTEL_SERVICE_NAME', value: options.serviceName },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: attributes.join(',') },
    ...exp.headerEnv,
  ];
  addEnv(workload, target, chosen, env);
  new Construct(workload, 'TempoInstrumented'); // marks the workload, so a second call is refused

  if (!ingest.networkPolicy) return undefined;
  const name = new TempoNames(instance.name).ingestFrom(target.metadata.name!);
  const policy = new k8s.KubeNetworkPolicy(workload, 'TempoIngestPolicy', {
    metadata: { name, namespace: ingest.namespace },
    spec: {
      podSelector: { matchLabels: { ...ingest.podSelector } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          podSelector: { matchLabels: podLabelsOf(workload, target) },
          ...(workloadNamespace && workloadNamespace !== ingest.namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': workloadNamespace } } } : {}),
        }],
        // NetworkPolicies name the pods' port, not the Service's
        ports: [{ port: k8s.IntOrString.fromNumber(protocol === OtlpProtocol.HTTP_PROTOBUF ? ingest.otlpHttpPodPort ?? port! : port!), protocol: 'TCP' }],
      }],
    },
  });
  recordNameOption(policy, 'instrument() (the instance name and the workload\'s metadata.name)');
  return policy;
}

/** How an OpenTelemetry SDK reaches an instance: endpoint, protocol and header variables, or what is wrong. */
export interface OtlpExport {
  /** Problems, each naming its option; empty when the settings are valid. */
  readonly errors: string[];
  /** The protocol chosen (the option, else the caller's default). */
  readonly protocol: OtlpProtocol;
  /** The ingest Service's port for that protocol, when it receives it. */
  readonly port?: number;
  /** `http://<Service>.<namespace>.svc:<port>` (SDKs append `/v1/traces` for HTTP). */
  readonly endpoint: string;
  /** The basic-auth token variable from the credentials Secret (before the headers that use it). */
  readonly credentialEnv: EnvVar[];
  /** `OTEL_EXPORTER_OTLP_HEADERS` (tenant, basic auth), when there are headers. */
  readonly headerEnv: EnvVar[];
}

/**
 * The OTLP export settings for SDKs in namespace `clientNamespace` sending to `options.instance` (shared by
 * `instrument()` and `TempoInstrumentation`): protocol, tenant and credential rules checked in one pass.
 */
export function otlpExportOf(options: Pick<InstrumentOptions, 'instance' | 'tenant' | 'protocol' | 'credentials' | 'resourceAttributes'>, defaultProtocol: OtlpProtocol, clientNamespace: string | undefined): OtlpExport {
  const { instance } = options;
  const ingest = instance.ingestEndpoint;
  const protocol = options.protocol ?? defaultProtocol;
  const port = protocol === OtlpProtocol.GRPC ? ingest.otlpGrpcPort : ingest.otlpHttpPort;
  const errors: string[] = [];
  if (port === undefined) {
    const offered = [ingest.otlpGrpcPort !== undefined ? 'OtlpProtocol.GRPC' : undefined, ingest.otlpHttpPort !== undefined ? 'OtlpProtocol.HTTP_PROTOBUF' : undefined].filter(Boolean);
    errors.push(`protocol: ${protocol} is not received by Tempo "${instance.name}"; allowed: ${offered.join(', ') || 'none (enable TempoReceiver.otlpGrpc() or otlpHttp() on the instance)'}`);
  }
  const needsTenant = ingest.tenantRequired && !ingest.tenantFromCredentials;
  if (options.tenant !== undefined && !ingest.tenantRequired) {
    errors.push(`tenant: "${options.tenant}" is set but Tempo "${instance.name}" is single-tenant; allowed: no tenant, or multitenancy: true on the instance`);
  } else if (options.tenant !== undefined && ingest.tenantFromCredentials) {
    errors.push(`tenant: the gateway of Tempo "${instance.name}" takes the tenant from the basic-auth user; allowed: no tenant (the credentials name it)`);
  } else if (needsTenant && options.tenant === undefined) {
    errors.push(`tenant: required because Tempo "${instance.name}" is multi-tenant (X-Scope-OrgID); allowed: a tenant ID`);
  } else if (options.tenant !== undefined && !TENANT.test(options.tenant)) {
    errors.push(`tenant: "${options.tenant}" is invalid; allowed: 1-150 characters of letters, digits and !-_.*'()`);
  }
  if (ingest.basicAuth && !options.credentials) {
    errors.push(`credentials: required because the gateway of Tempo "${instance.name}" asks for basic auth; allowed: { secretName, key } of a Secret holding base64(user:password)`);
  } else if (!ingest.basicAuth && options.credentials) {
    errors.push(`credentials: set but Tempo "${instance.name}" asks for no credentials; allowed: none`);
  }
  for (const key of Object.keys(options.resourceAttributes ?? {})) {
    if (!RESOURCE_KEY.test(key)) errors.push(`resourceAttributes: key "${key}" is invalid; allowed: letters, digits and . _ / -`);
  }
  if (!ingest.namespace && clientNamespace) {
    // The short Service name resolves only inside the instance's own namespace, which is unknown here.
    errors.push(`instance: Tempo "${instance.name}" has no namespace, so workloads in namespace "${clientNamespace}" cannot address it; allowed: give the instance's chart a namespace`);
  }
  const host = ingest.namespace ? `${ingest.serviceName}.${ingest.namespace}.svc` : ingest.serviceName;
  const headers = [
    ...(options.tenant !== undefined ? [`X-Scope-OrgID=${options.tenant}`] : []),
    ...(options.credentials ? [`Authorization=Basic%20$(${AUTH_VAR})`] : []),
  ];
  return {
    errors, protocol, port,
    endpoint: `http://${host}:${port}`,
    credentialEnv: options.credentials ? [{ name: AUTH_VAR, valueFrom: { secretKeyRef: { name: options.credentials.secretName, key: options.credentials.key } } }] : [],
    headerEnv: headers.length ? [{ name: 'OTEL_EXPORTER_OTLP_HEADERS', value: headers.join(',') }] : [],
  };
}

interface WorkloadJson {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: { readonly selector?: { readonly matchLabels?: Record<string, string> }; readonly template: { readonly spec: { readonly containers: ReadonlyArray<{ readonly name: string; readonly env?: EnvVar[] }> } } };
}

function objectOf(workload: InstrumentableWorkload): WorkloadJson {
  return ApiObject.of(workload).toJson() as WorkloadJson;
}

function containerNames(target: WorkloadJson): string[] {
  return (target.spec?.template?.spec?.containers ?? []).map((c) => c.name);
}

function podLabelsOf(workload: InstrumentableWorkload, target: WorkloadJson): Record<string, string> {
  if (workload instanceof cdk8sPlus().Workload) return { ...workload.matchLabels };
  const labels = target.spec.selector?.matchLabels;
  if (!labels || !Object.keys(labels).length) throw new Error(`instrument(${workload.node.path}): the workload has no spec.selector.matchLabels to open the NetworkPolicy to`);
  return { ...labels };
}

function addEnv(workload: InstrumentableWorkload, target: WorkloadJson, chosen: readonly string[], env: readonly EnvVar[]): void {
  if (workload instanceof cdk8sPlus().Workload) {
    for (const container of workload.containers) {
      if (!chosen.includes(container.name ?? '')) continue;
      for (const v of env) container.env.addVariable(v.name, envValueOf(workload, v));
    }
    return;
  }
  const api: ApiObject = workload;
  target.spec.template.spec.containers.forEach((c, i) => {
    if (!chosen.includes(c.name)) return;
    // instrument()'s variables replace same-named ones; the downward-API ones must precede their $(...) uses.
    const own = (c.env ?? []).filter((v) => !env.some((e) => e.name === v.name));
    api.addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${i}/env`, [...env, ...own]));
  });
}

function envValueOf(workload: Workload, v: EnvVar): EnvValue {
  const { EnvValue, Secret } = cdk8sPlus();
  const field = v.valueFrom?.fieldRef?.fieldPath;
  if (field) return EnvValue.fromFieldRef(field as EnvFieldPaths);
  const ref = v.valueFrom?.secretKeyRef;
  if (ref) {
    const secret = workload.node.tryFindChild('TempoCredentials') as ISecret | undefined ?? Secret.fromSecretName(workload, 'TempoCredentials', ref.name!);
    return EnvValue.fromSecretValue({ secret, key: ref.key });
  }
  return EnvValue.fromValue(v.value ?? '');
}
