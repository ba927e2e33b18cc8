/**
 * The catalogue of single mistakes: each takes the first Tempo stack of a valid App and breaks one
 * option, and names the option path the error message must contain. `gap` marks a mistake that
 * today's library does not catch yet (see known-gaps.ts).
 */
import type { Gap } from './known-gaps';
import type { AppSpec, StackSpec, Tagged } from './spec';

type Props = Record<string, any>;
type Mode = StackSpec['mode'];

/** What a mistake did: the broken App and the option path its error must name. */
export interface Injected {
  readonly spec: AppSpec;
  readonly option: string;
}

export interface Mistake {
  readonly id: string;
  /** The defect of issue 9 that keeps the library from catching it, while open. */
  readonly gap?: Gap;
  /** Modes it applies to. @default both */
  readonly modes?: readonly Mode[];
  /** Whether it needs a component path (`distributor`, ... in distributed mode, top level in monolithic mode). */
  readonly perComponent?: boolean;
  /** Breaks the props of the first stack; `at` is the component's option prefix ('' at the top level). */
  readonly apply: (props: Props, at: string, mode: Mode) => { props: Props; option: string } | { spec: (s: AppSpec) => AppSpec; option: string };
}

const size = (u: 'kibibytes' | 'mebibytes' | 'gibibytes', n: number): Tagged => ({ $: 'size', u, n });
const dur = (u: 'millis' | 'seconds' | 'minutes' | 'hours' | 'days', n: number): Tagged => ({ $: 'dur', u, n });
const receiver = (kind: string, options?: Props): Tagged => ({ $: 'receiver', kind, options } as Tagged);

/** Sets `field` on the component at `at` ('' = the props themselves); returns props and the option path. */
function setField(props: Props, at: string, field: string, value: unknown, drop: readonly string[] = []): { props: Props; option: string } {
  const target: Props = { ...(at ? props[at] ?? {} : props) };
  for (const d of drop) delete target[d];
  target[field] = value;
  return { props: at ? { ...props, [at]: target } : target, option: at ? `${at}.${field}` : field };
}

function withStorage(props: Props, kind: string, storageProps: Props): Props {
  return { ...props, storage: { $: 'storage', kind, props: storageProps } };
}

/** What was deployed: one ingester StatefulSet (no zones) of the first stack with a `data` claim of `storage`. */
function deployedIngester(props: Props, s: AppSpec, storage: string, storageClassName?: string): Tagged {
  return { $: 'deployed', statefulSets: [{ name: `${props.name ?? 'tempo'}-ingester`, namespace: s.charts[0].namespace, storage, storageClassName }] };
}

/** The first stack's ingester without zones, claims of 10Gi and `ingester` set, compared with `deployed`. */
function storageChangeMistake(ingester: Props, deployed: (p: Props, s: AppSpec) => Tagged, option: string): Mistake['apply'] {
  return (p) => ({
    option,
    spec: (s) => {
      const props = {
        ...p,
        ingester: { ...p.ingester, zones: undefined, replicationFactor: undefined, replicas: undefined, storageSize: size('gibibytes', 10), storageClassName: undefined, storageChange: undefined, ...ingester },
        storageChanges: { deployedManifests: deployed(p, s) },
      };
      const chart = s.charts[0];
      return { ...s, charts: [{ ...chart, stacks: [{ ...chart.stacks[0], props }, ...chart.stacks.slice(1)] }, ...s.charts.slice(1)] };
    },
  });
}

/**
 * The first stack with OTLP over HTTP and gRPC on its distributor or single binary (no gateway, NetworkPolicies
 * as generated), `stack` merged into its props, and one integration of the first chart: `kind` with `props`.
 */
function exporterMistake(kind: 'instrumentation' | 'instrumented', integrationProps: Props, option: string, stack: Props = {}): Mistake['apply'] {
  return (p) => ({
    option,
    spec: (s) => {
      const chart = s.charts[0];
      const networkPolicy = p.networkPolicy && { ...p.networkPolicy, ingestOnlyThroughGateway: undefined };
      const props = { ...p, receivers: undefined, gateway: undefined, multitenancy: false, tenants: undefined, networkPolicy, ...stack };
      const integration = { kind, stack: 0, props: kind === 'instrumented' ? { serviceName: 'checkout', workloadName: 'checkout', ...integrationProps } : integrationProps };
      return { ...s, charts: [{ ...chart, stacks: [{ ...chart.stacks[0], props }, ...chart.stacks.slice(1)], integrations: [integration] }, ...s.charts.slice(1)] };
    },
  });
}

const NGINX: Tagged = { $: 'ingressController', kind: 'ingressNginx' };

export const MISTAKES: readonly Mistake[] = [
  { id: 'instance name not a DNS label', gap: 'd7-option-paths', apply: (p) => ({ props: { ...p, name: 'Tempo_Prod' }, option: 'name' }) },
  { id: 'instance name too long', apply: (p) => ({ props: { ...p, name: `t${'x'.repeat(70)}` }, option: 'name' }) },
  { id: 'negative replicas', perComponent: true, modes: ['distributed'], apply: (p, at) => setField(p, at, 'replicas', -1, ['autoscaling']) },
  { id: 'fractional replicas', perComponent: true, modes: ['distributed'], apply: (p, at) => setField(p, at, 'replicas', 1.5, ['autoscaling']) },
  { id: 'distributor without pods', gap: 'd6-pass-through-fields', modes: ['distributed'], apply: (p) => setField(p, 'distributor', 'replicas', 0, ['autoscaling']) },
  { id: 'ingester without pods', gap: 'd7-option-paths', modes: ['distributed'], apply: (p) => setField(p, 'ingester', 'replicas', 0, ['zones', 'replicationFactor']) },
  {
    id: 'replication factor above ingester replicas', modes: ['distributed'],
    apply: (p) => ({ props: { ...p, ingester: { ...p.ingester, zones: undefined, replicas: 2, replicationFactor: 3 } }, option: 'ingester.replicationFactor' }),
  },
  {
    id: 'zones do not divide the ingester replicas', modes: ['distributed'],
    apply: (p) => ({ props: { ...p, ingester: { ...p.ingester, zones: ['zone-a', 'zone-b', 'zone-c'], replicationFactor: 3, replicas: 4 } }, option: 'ingester.replicas' }),
  },
  { id: 'zero ingester volume', gap: 'd5-fractional-sizes', modes: ['distributed'], apply: (p) => setField(p, 'ingester', 'storageSize', size('gibibytes', 0)) },
  { id: 'zero single-binary volume', gap: 'd5-fractional-sizes', modes: ['monolithic'], apply: (p) => setField(p, '', 'storageSize', size('gibibytes', 0)) },
  { id: 'zero memory limit', gap: 'd5-fractional-sizes', perComponent: true, apply: (p, at) => {
    const r = setField(p, at, 'resources', { cpu: { request: { $: 'cpu', u: 'millis', n: 100 } }, memory: { request: size('mebibytes', 0), limit: size('mebibytes', 0) } });
    return { props: r.props, option: `${r.option}.memory` };
  } },
  {
    id: 'image of another release line', perComponent: true,
    apply: (p, at) => setField({ ...p, version: { $: 'version', v: '2.10.8' } }, at, 'image', 'grafana/tempo:2.6.1'),
  },
  { id: 'pod label key with a space', perComponent: true, apply: (p, at) => setField(p, at, 'podLabels', { 'bad key': 'x' }) },
  { id: 'pod label value too long', perComponent: true, apply: (p, at) => setField(p, at, 'podLabels', { team: 'x'.repeat(64) }) },
  { id: 'node selector key invalid', perComponent: true, apply: (p, at) => setField(p, at, 'nodeSelector', { '-bad/': 'x' }) },
  { id: 'toleration operator In', gap: 'd6-pass-through-fields', perComponent: true, apply: (p, at) => setField(p, at, 'tolerations', [{ key: 'dedicated', operator: 'In', value: 'tempo' }]) },
  { id: 'priority class not a DNS name', gap: 'd6-pass-through-fields', perComponent: true, apply: (p, at) => setField(p, at, 'priorityClassName', 'Tempo_Critical') },
  { id: 'grace period of 2.5 s', gap: 'd7-option-paths', perComponent: true, apply: (p, at) => setField(p, at, 'terminationGracePeriod', dur('millis', 2500)) },
  { id: 'library-managed flag in extraArgs', gap: 'd7-option-paths', perComponent: true, apply: (p, at) => setField(p, at, 'extraArgs', ['-target=all']) },
  {
    id: 'autoscaling together with replicas', gap: 'd7-option-paths', perComponent: true, modes: ['distributed'],
    apply: (p, at) => {
      const comp = at === 'ingester' ? 'querier' : at;
      return { props: { ...p, [comp]: { ...p[comp], replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 3 } } }, option: `${comp}.autoscaling` };
    },
  },
  {
    id: 'autoscaling CPU target above 1000 %', gap: 'd7-option-paths', modes: ['distributed'],
    apply: (p) => ({ props: { ...p, querier: { ...p.querier, replicas: undefined, autoscaling: { minReplicas: 1, maxReplicas: 3, targetCpuUtilization: 5000 } } }, option: 'querier.autoscaling.targetCpuUtilization' }),
  },
  { id: 'S3 bucket with upper case', gap: 'd6-pass-through-fields', apply: (p) => ({ props: withStorage(p, 's3', { bucket: 'My_Bucket', region: 'eu-west-1' }), option: 'storage.s3.bucket' }) },
  { id: 'GCS bucket with a space', gap: 'd6-pass-through-fields', apply: (p) => ({ props: withStorage(p, 'gcs', { bucket: 'my bucket' }), option: 'storage.gcs.bucket' }) },
  { id: 'Azure container with upper case', gap: 'd6-pass-through-fields', apply: (p) => ({ props: withStorage(p, 'azure', { containerName: 'Tempo_Blocks', storageAccountName: 'tempostore', useManagedIdentity: true }), option: 'storage.azure.containerName' }) },
  { id: 'S3 endpoint with a scheme', apply: (p) => ({ props: withStorage(p, 's3', { bucket: 'tempo', endpoint: 'http://minio:9000' }), option: 'storage.s3.endpoint' }) },
  { id: 'S3 without endpoint or region', apply: (p) => ({ props: withStorage(p, 's3', { bucket: 'tempo' }), option: 'storage.s3' }) },
  { id: 'IAM role ARN malformed', apply: (p) => ({ props: withStorage(p, 's3', { bucket: 'tempo', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123:role/tempo' }), option: 'storage.s3.iamRoleArn' }) },
  {
    id: 'Secret key name with a space', gap: 'd6-pass-through-fields',
    apply: (p) => ({ props: withStorage(p, 's3', { bucket: 'tempo', region: 'eu-west-1', credentials: { secretName: 's3', accessKeyIdKey: 'root user' } }), option: 'storage.s3.credentials.accessKeyIdKey' }),
  },
  { id: 'Secret name with upper case', apply: (p) => ({ props: withStorage(p, 'gcs', { bucket: 'tempo', serviceAccountKey: { secretName: 'GCS_Key' } }), option: 'storage.gcs.serviceAccountKey.secretName' }) },
  { id: 'Azure with two credentials', apply: (p) => ({ props: withStorage(p, 'azure', { containerName: 'tempo', storageAccountName: 'st', useManagedIdentity: true, workloadIdentityClientId: 'x' }), option: 'storage.azure' }) },
  { id: 'local storage for distributed components', modes: ['distributed'], apply: (p) => ({ props: { ...p, storage: { $: 'storage', kind: 'local' } }, option: 'storage' }) },
  { id: 'local storage path outside the volume', modes: ['monolithic'], apply: (p) => ({ props: { ...p, storage: { $: 'storage', kind: 'local', props: { path: '/tmp/traces' } } }, option: 'storage.local.path' }) },
  { id: 'remote-write URL without scheme', apply: (p) => ({ props: { ...p, metricsGenerator: { ...p.metricsGenerator, remoteWriteUrl: 'prometheus:9090/api/v1/write' } }, option: 'metricsGenerator.remoteWriteUrl' }) },
  { id: 'remote-write URL port out of range', gap: 'd6-pass-through-fields', apply: (p) => ({ props: { ...p, metricsGenerator: { ...p.metricsGenerator, remoteWriteUrl: 'http://prometheus:90900/api/v1/write' } }, option: 'metricsGenerator.remoteWriteUrl' }) },
  {
    id: 'histogram buckets unsorted', gap: 'd6-pass-through-fields',
    apply: (p) => ({ props: { ...p, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', ...p.metricsGenerator, spanMetricsHistogramBuckets: [1, 0.5, 2] } }, option: 'metricsGenerator.spanMetricsHistogramBuckets' }),
  },
  { id: 'OpenCensus receiver on Tempo 2.10 (removed after 2.8)', apply: (p) => ({ props: { ...p, version: { $: 'version', v: '2.10.8' }, receivers: [receiver('otlpGrpc'), receiver('openCensus')] }, option: 'receivers' }) },
  { id: 'receiver on the HTTP server port', apply: (p) => ({ props: { ...p, receivers: [receiver('otlpGrpc', { port: 3200 })] }, option: 'receivers' }) },
  { id: 'receiver port out of range', apply: (p) => ({ props: { ...p, receivers: [receiver('zipkin', { port: 70000 })] }, option: 'receivers' }) },
  { id: 'no receivers', apply: (p) => ({ props: { ...p, receivers: [] }, option: 'receivers' }) },
  { id: 'unsupported version line', apply: (p) => ({ props: { ...p, version: { $: 'version', v: '2.11.0' } }, option: 'version' }) },
  { id: 'tenants without multitenancy', apply: (p) => ({ props: { ...p, multitenancy: false, tenants: { 'team-a': { maxTracesPerUser: 10 } } }, option: 'tenants' }) },
  { id: 'tenant ID with a slash', apply: (p) => ({ props: { ...p, multitenancy: true, tenants: { 'team/a': {} } }, option: 'tenants' }) },
  { id: 'burst below the rate limit', apply: (p) => ({ props: { ...p, limits: { ingestionRateLimit: size('mebibytes', 10), ingestionBurstSize: size('mebibytes', 5) } }, option: 'limits.ingestionBurstSize' }) },
  { id: 'retention under an hour', modes: ['distributed'], apply: (p) => setField(p, 'compactor', 'retention', dur('minutes', 30)) },
  { id: 'single-binary retention under an hour', modes: ['monolithic'], apply: (p) => setField(p, '', 'retention', dur('minutes', 30)) },
  { id: 'cluster label with a space', modes: ['distributed'], apply: (p) => ({ props: { ...p, clusterLabel: 'tempo prod' }, option: 'clusterLabel' }) },
  { id: 'service name with upper case', modes: ['monolithic'], apply: (p) => ({ props: { ...p, serviceName: 'Tempo' }, option: 'serviceName' }) },
  { id: 'cache below 64Mi', gap: 'd7-option-paths', modes: ['distributed'], apply: (p) => setField(p, 'cache', 'memory', size('mebibytes', 32)) },
  { id: 'cache without pods', gap: 'd7-option-paths', modes: ['distributed'], apply: (p) => setField(p, 'cache', 'replicas', 0) },
  { id: 'gateway with zero workers', gap: 'd7-option-paths', modes: ['distributed'], apply: (p) => setField(p, 'gateway', 'workerProcesses', 0) },
  { id: 'extraConfig key unknown to the version', gap: 'd8-extra-config-schema-path', apply: (p) => ({ props: { ...p, extraConfig: { querier: { no_such_key: 1 } } }, option: 'extraConfig.querier.no_such_key' }) },
  { id: 'extraConfig moves the HTTP port', gap: 'd8-extra-config', apply: (p) => ({ props: { ...p, extraConfig: { server: { http_listen_port: 8080 } } }, option: 'extraConfig.server.http_listen_port' }) },
  { id: 'extraConfig switches the storage backend', gap: 'd8-extra-config', apply: (p) => ({ props: { ...p, extraConfig: { storage: { trace: { backend: 'gcs' } } } }, option: 'extraConfig.storage.trace.backend' }) },
  { id: 'extraConfig adds a receiver', gap: 'd8-extra-config', apply: (p) => ({ props: { ...p, extraConfig: { distributor: { receivers: { zipkin: {} } } } }, option: 'extraConfig.distributor.receivers' }) },
  { id: 'extraConfig with a literal S3 secret', gap: 'd8-extra-config', apply: (p) => ({ props: { ...p, extraConfig: { storage: { trace: { s3: { secret_key: 'hunter2' } } } } }, option: 'extraConfig.storage.trace.s3.secret_key' }) },
  { id: 'extraConfig overrides the replication factor', gap: 'd8-extra-config', modes: ['distributed'], apply: (p) => ({ props: { ...p, extraConfig: { ingester: { lifecycler: { ring: { replication_factor: 1 } } } } }, option: 'extraConfig.ingester.lifecycler.ring.replication_factor' }) },
  {
    id: 'two stacks with the same instance name in one chart', gap: 'd4-duplicate-objects',
    apply: () => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], stacks: [s.charts[0].stacks[0], s.charts[0].stacks[0]], integrations: [] }, ...s.charts.slice(1)] }), option: 'name' }),
  },
  {
    id: 'two single binaries with the same serviceName', gap: 'd4-service-name-attribution', modes: ['monolithic'],
    apply: (p) => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], stacks: [{ mode: 'monolithic', props: { ...p, serviceName: 'tempo' } }, { mode: 'monolithic', props: { name: 'other', storage: { $: 'storage', kind: 'local' }, serviceName: 'tempo' } }], integrations: [] }, ...s.charts.slice(1)] }), option: 'serviceName' }),
  },
  {
    id: 'two data sources for one instance', gap: 'd4-duplicate-objects',
    apply: () => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], integrations: [{ kind: 'datasource', stack: 0, props: { tenant: 'a' } }, { kind: 'datasource', stack: 0, props: { tenant: 'b' } }] }, ...s.charts.slice(1)] }), option: 'name' }),
  },
  {
    id: 'alerts named like a Secret', apply: () => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], integrations: [{ kind: 'alerts', stack: 0, props: { name: 'Tempo_Alerts' } }] }, ...s.charts.slice(1)] }), option: 'name' }),
  },
  {
    id: 'scrape timeout above the interval', apply: () => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], integrations: [{ kind: 'serviceMonitors', stack: 0, props: { interval: dur('seconds', 10), scrapeTimeout: dur('seconds', 30) } }] }, ...s.charts.slice(1)] }), option: 'scrapeTimeout' }),
  },
  // volume claim templates against the deployed manifests (storageChanges)
  { id: 'storageChange not a StorageChange', modes: ['distributed'], apply: (p) => setField(p, 'ingester', 'storageChange', 'grow') },
  {
    id: 'claim retention Keep', modes: ['distributed'],
    apply: (p) => ({ props: { ...p, ingester: { ...p.ingester, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Keep' } } }, option: 'ingester.persistentVolumeClaimRetentionPolicy.whenScaled' }),
  },
  {
    id: 'generator claim retention without local-blocks', modes: ['distributed'],
    apply: (p) => ({ props: { ...p, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', processors: ['span-metrics'], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } } }, option: 'metricsGenerator.persistentVolumeClaimRetentionPolicy' }),
  },
  { id: 'storage-change Job image with upper case', modes: ['distributed'], apply: (p) => ({ props: { ...p, storageChanges: { jobImage: 'Alpine/K8s:1.28' } }, option: 'storageChanges.jobImage' }) },
  {
    id: 'ingester claims grown without storageChange', modes: ['distributed'],
    apply: storageChangeMistake({}, (p, s) => deployedIngester(p, s, '5Gi'), 'ingester.storageSize'),
  },
  {
    id: 'ingester StorageClass changed without storageChange', modes: ['distributed'],
    apply: storageChangeMistake({ storageClassName: 'gp3' }, (p, s) => deployedIngester(p, s, '10Gi', 'gp2'), 'ingester.storageClassName'),
  },
  {
    id: 'StorageChange.EXPAND shrinking the claims', modes: ['distributed'],
    apply: storageChangeMistake({ storageChange: 'expand' }, (p, s) => deployedIngester(p, s, '20Gi'), 'ingester.storageChange'),
  },
  {
    id: 'StorageChange.RECREATE without flushOnShutdown', modes: ['distributed'],
    apply: storageChangeMistake({ storageChange: 'recreate', flushOnShutdown: false }, (p, s) => deployedIngester(p, s, '5Gi'), 'ingester.storageChange'),
  },
  // OTLP exporters pointed at the instance
  { id: 'Instrumentation ratio above 1', apply: exporterMistake('instrumentation', { ratio: 1.5 }, 'ratio') },
  { id: 'Instrumentation ratio with always_on', apply: exporterMistake('instrumentation', { sampler: 'always_on', ratio: 0.5 }, 'ratio') },
  { id: 'Instrumentation name with upper case', apply: exporterMistake('instrumentation', { name: 'Tempo_Java' }, 'name') },
  { id: 'Instrumentation without propagators', apply: exporterMistake('instrumentation', { propagators: [] }, 'propagators') },
  { id: 'Instrumentation tenant for a single-tenant instance', apply: exporterMistake('instrumentation', { tenant: 'team-a' }, 'tenant: "team-a" is set') },
  { id: 'Instrumentation gRPC without an OTLP gRPC receiver', apply: exporterMistake('instrumentation', { protocol: 'grpc' }, 'protocol', { receivers: [receiver('otlpHttp')] }) },
  { id: 'instrument() without the tenant of a multi-tenant instance', apply: exporterMistake('instrumented', {}, 'tenant: required', { multitenancy: true }) },
  { id: 'instrument() service name with a comma', apply: exporterMistake('instrumented', { serviceName: 'checkout,eu' }, 'serviceName') },
  { id: 'instrument() credentials without basic auth', apply: exporterMistake('instrumented', { credentials: { secretName: 'auth', key: 'auth' } }, 'credentials') },
  { id: 'gateway exporter image without the exporter', modes: ['distributed'], apply: (p) => setField(p, 'gateway', 'exporterImage', 'nginx/nginx-prometheus-exporter:1.3.0', ['exporter']) },
  // exposure (Ingress or Gateway API routes)
  { id: 'exposure with both ingress and gatewayApi', apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo.example.com'], ingress: { controller: NGINX }, gatewayApi: { parentRef: { name: 'public' } }, grpc: false } }, option: 'exposure' }) },
  { id: 'exposure host name with a space', apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo example.com'], gatewayApi: { parentRef: { name: 'public' } }, grpc: false } }, option: 'exposure.hostnames' }) },
  { id: 'exposure of neither queries nor ingestion', apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo.example.com'], gatewayApi: { parentRef: { name: 'public' } }, query: false, ingest: false } }, option: 'exposure' }) },
  {
    id: 'IngressClass name with upper case',
    apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo.example.com'], ingress: { controller: { $: 'ingressController', kind: 'of', options: { className: 'Traefik_Public', peer: { $: 'peer', kind: 'anyPodInCluster', args: [] } } } }, grpc: false } }, option: 'exposure.ingress.controller.className' }),
  },
  {
    id: 'cert-manager with an Issuer and a ClusterIssuer',
    apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo.example.com'], ingress: { controller: NGINX, tls: { $: 'ingressTls', kind: 'certManager', arg: { issuer: 'ca', clusterIssuer: 'letsencrypt' } } }, grpc: false } }, option: 'exposure.ingress.tls' }),
  },
  { id: 'Gateway name with upper case', apply: (p) => ({ props: { ...p, exposure: { hostnames: ['tempo.example.com'], gatewayApi: { parentRef: { name: 'Public' } }, grpc: false } }, option: 'exposure.gatewayApi.parentRef.name' }) },
  {
    id: 'dashboard uid prefix with a slash', apply: () => ({ spec: (s) => ({ ...s, charts: [{ ...s.charts[0], integrations: [{ kind: 'dashboards', stack: 0, props: { uidPrefix: 'tempo/prod' } }] }, ...s.charts.slice(1)] }), option: 'uidPrefix' }),
  },
];

/** Components a per-component mistake may hit in distributed mode. */
export const DISTRIBUTED_COMPONENTS = ['distributor', 'ingester', 'querier', 'queryFrontend', 'compactor'] as const;

/** Applies `m` to the first stack of `spec`. */
export function inject(spec: AppSpec, m: Mistake, component: string): Injected {
  const chart = spec.charts[0];
  const stack = chart.stacks[0];
  const at = m.perComponent && stack.mode === 'distributed' ? component : '';
  const r = m.apply(stack.props, at, stack.mode);
  if ('spec' in r) return { spec: r.spec(spec), option: r.option };
  const charts = [{ ...chart, stacks: [{ ...stack, props: r.props }, ...chart.stacks.slice(1)] }, ...spec.charts.slice(1)];
  return { spec: { ...spec, charts }, option: r.option };
}
