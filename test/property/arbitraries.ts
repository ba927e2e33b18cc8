/**
 * fast-check generators of VALID Apps (see spec.ts for the data shape). Each generator covers the
 * whole option space of its props interface in lib/, within the rules the library documents
 * (e.g. replicationFactor <= ingester replicas, replicas a multiple of the zones, autoscaling or
 * replicas but not both). Cases a known defect breaks are steered clear of through known-gaps.ts.
 */
import * as fc from 'fast-check';
import { type TempoSchemaVersion, TempoVersion } from '../../lib';
import { extraConfigLeaves, schemaReceiverTypes } from './extra-config';
import { gapOpen } from './known-gaps';
import type { AppSpec, ChartSpec, IntegrationSpec, ReceiverKind, StackSpec, Tagged } from './spec';

type Props = Record<string, any>;

/** Drops undefined fields, so printed counterexamples show only what is set. */
function compact<T extends Props>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A record arbitrary whose fields are each present or not (fast-check shrinks absent first). */
function partial<T extends Props>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<Partial<T>> {
  return fc.record(fields, { requiredKeys: [] }).map((r) => compact(r as Props) as Partial<T>);
}

const size = (u: 'kibibytes' | 'mebibytes' | 'gibibytes', n: number): Tagged => ({ $: 'size', u, n });
const dur = (u: 'millis' | 'seconds' | 'minutes' | 'hours' | 'days', n: number): Tagged => ({ $: 'dur', u, n });

// ---------------------------------------------------------------------------------------------
// names and labels

const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const ALNUM = [...LOWER, ...'0123456789'.split('')];

/** A DNS label of `min`..`max` characters starting with a letter; long ones are as likely as short ones. */
export function dnsLabel(min: number, max: number): fc.Arbitrary<string> {
  return fc.integer({ min, max }).chain((len) => {
    if (len === 1) return fc.constantFrom(...LOWER);
    return fc.tuple(fc.constantFrom(...LOWER), fc.array(fc.constantFrom(...ALNUM, '-'), { minLength: len - 2, maxLength: len - 2 }), fc.constantFrom(...ALNUM))
      .map(([a, mid, z]) => `${a}${mid.join('')}${z}`);
  });
}

/**
 * Instance names: the common ones, or any DNS label up to `longest`. Up to 20 characters every
 * derived name fits; longer ones may be refused, naming `name` (see acceptableRejection).
 */
function instanceName(longest: number): fc.Arbitrary<string> {
  const cap = gapOpen('d2-long-names') || gapOpen('d3-dashboard-uid-default') ? Math.min(longest, 20) : longest;
  return fc.oneof(fc.constantFrom('tempo', 'traces', 'tempo-prod'), dnsLabel(1, cap));
}

function namespace(): fc.Arbitrary<string | undefined> {
  const longest = gapOpen('d3-long-namespace') ? 30 : 63;
  return fc.oneof(fc.constant(undefined), fc.constantFrom('monitoring', 'tracing', 'observability'), dnsLabel(1, longest));
}

const labelValue = fc.oneof(fc.constantFrom('tempo', 'team-a', 'v1.2.3', 'x'), fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,20}[A-Za-z0-9])?$/));
const labelName = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,15}[A-Za-z0-9])?$/);
const labelKey = fc.oneof(
  fc.constantFrom('team', 'cost-center', 'example.com/owner', 'app.example.io/tier'),
  fc.tuple(fc.array(dnsLabel(1, 10), { minLength: 1, maxLength: 2 }), labelName).map(([prefix, name]) => `${prefix.join('.')}/${name}`),
  labelName,
).filter((k) => !/(^|\.)(kubernetes\.io|k8s\.io)\//.test(k));
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const annotations = fc.dictionary(labelKey, fc.string({ maxLength: 30 }), { maxKeys: 2 });

// ---------------------------------------------------------------------------------------------
// sizes, CPU, resources

/** A positive size; fractional units only once defect 5 is fixed. */
function positiveSize(unit: 'mebibytes' | 'gibibytes', max: number): fc.Arbitrary<Tagged> {
  const whole = fc.integer({ min: 1, max }).map((n) => size(unit, n));
  if (gapOpen('d5-fractional-sizes')) return whole;
  return fc.oneof(whole, fc.integer({ min: 11, max: max * 10 }).map((n) => size(unit, n / 10)));
}

/** CPU and memory, requests never above limits. */
const resources: fc.Arbitrary<Props> = fc.record({
  cpuReq: fc.integer({ min: 10, max: 4000 }),
  cpuExtra: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
  memReq: fc.integer({ min: 64, max: 8192 }),
  memExtra: fc.option(fc.integer({ min: 0, max: 8192 }), { nil: undefined }),
  fractional: gapOpen('d5-fractional-sizes') ? fc.constant(false) : fc.boolean(),
}).map((r) => {
  const mem = (mib: number): Tagged => (r.fractional && mib % 1024 !== 0 ? size('gibibytes', Math.round((mib / 1024) * 10) / 10 || 0.1) : size('mebibytes', mib));
  const memReq = mem(r.memReq);
  const memLimit = r.memExtra === undefined ? undefined : mem(r.memReq + r.memExtra + 1024);
  return compact({
    cpu: compact({ request: { $: 'cpu', u: 'millis', n: r.cpuReq }, limit: r.cpuExtra === undefined ? undefined : { $: 'cpu', u: 'millis', n: r.cpuReq + r.cpuExtra } }),
    // a memory limit is always set by the library's defaults; keep requests below it
    memory: compact({ request: memReq, limit: memLimit ?? size('mebibytes', r.memReq + 512) }),
  });
});

// ---------------------------------------------------------------------------------------------
// scheduling and component options

const toleration = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute') }),
  fc.record({ key: labelKey, operator: fc.constant('Exists'), effect: fc.constantFrom('NoSchedule', 'NoExecute') }),
  fc.record({ operator: fc.constant('Exists') }),
);

const scheduling = partial<Props>({
  nodeSelector: labels,
  tolerations: fc.array(toleration, { maxLength: 2 }),
  priorityClassName: fc.oneof(fc.constantFrom('high-priority', 'system-cluster-critical'), dnsLabel(1, 40)),
  spread: fc.boolean(),
  affinity: fc.constant({
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 50, preference: { matchExpressions: [{ key: 'node.example.com/pool', operator: 'In', values: ['tempo'] }] },
      }],
    },
  }),
});

const extraArgs = fc.uniqueArray(fc.constantFrom('-log.level=debug', '-log.format=json'), { maxLength: 2 });

const componentBase = partial<Props>({
  resources,
  image: fc.constantFrom('registry.example.com/grafana/tempo:custom-build', 'mirror.local/tempo@sha256:' + 'a'.repeat(64)),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/).filter((k) => !k.startsWith('TEMPO_') && k !== 'GOMEMLIMIT'), fc.string({ maxLength: 20 }).map((value) => ({ $: 'env', value } as Tagged)), { maxKeys: 2 }),
  extraArgs,
  podLabels: labels,
  podAnnotations: annotations,
  terminationGracePeriod: fc.integer({ min: 1, max: 600 }).map((n) => dur('seconds', n)),
  podDisruptionBudget: fc.boolean(),
}).chain((base) => scheduling.map((s) => ({ ...base, ...s })));

/** Replicas, or autoscaling (never both). */
const scaling: fc.Arbitrary<Props> = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 1, max: 5 }).map((replicas) => ({ replicas })),
  fc.record({ min: fc.integer({ min: 1, max: 4 }), extra: fc.integer({ min: 0, max: 6 }), cpu: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }), mem: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }) })
    .map((a) => ({ autoscaling: compact({ minReplicas: a.min, maxReplicas: a.min + a.extra, targetCpuUtilization: a.cpu, targetMemoryUtilization: a.mem }) })),
);

const statelessComponent: fc.Arbitrary<Props> = fc.tuple(componentBase, scaling).map(([b, s]) => ({ ...b, ...s }));

// ---------------------------------------------------------------------------------------------
// Tempo options

/** Every release line: its key schema, its newest patch (a TempoVersion constant) and an older patch (`TempoVersion.of`). */
const LINES: readonly { readonly schema: TempoSchemaVersion; readonly patches: readonly [string, string] }[] = [
  { schema: '2.6.1', patches: ['2.6.1', '2.6.0'] },
  { schema: '2.7.2', patches: ['2.7.2', '2.7.0'] },
  { schema: '2.8.4', patches: ['2.8.4', '2.8.1'] },
  { schema: '2.9.5', patches: ['2.9.5', '2.9.0'] },
  { schema: '2.10.8', patches: ['2.10.8', '2.10.3'] },
];
/** Tempo 3 (Kafka write path): generated for the single binary, which needs no Kafka. */
const LINES_3: typeof LINES = [{ schema: '3.0.3', patches: ['3.0.3', '3.0.0'] }];
const RECEIVER_TYPES: Readonly<Record<ReceiverKind, string>> = {
  otlpGrpc: 'otlp', otlpHttp: 'otlp', jaegerGrpc: 'jaeger', jaegerThriftHttp: 'jaeger', jaegerThriftCompact: 'jaeger', jaegerThriftBinary: 'jaeger', zipkin: 'zipkin', openCensus: 'opencensus',
};
/** Ports the library's servers use; receivers must stay off them. */
const RESERVED_PORTS = [3200, 9095, 7946];

/** Receivers of every type the version's distributor registers. */
function receivers(schema: TempoSchemaVersion): fc.Arbitrary<Tagged[]> {
  const types = schemaReceiverTypes(schema);
  const kinds = (Object.keys(RECEIVER_TYPES) as ReceiverKind[]).filter((k) => types.includes(RECEIVER_TYPES[k]));
  return fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1, maxLength: kinds.length })
    .chain((ks) => fc.tuple(...ks.map((kind) => fc.option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined, freq: 3 }).map((port) => ({ kind, port })))))
    .map((rs) => {
      const used = new Set<number>(RESERVED_PORTS);
      return rs.map(({ kind, port }) => {
        const custom = port !== undefined && !used.has(port) && !DEFAULT_PORTS.includes(port) ? port : undefined;
        if (custom !== undefined) used.add(custom);
        return { $: 'receiver', kind, options: custom === undefined ? undefined : { port: custom } } as Tagged;
      });
    });
}
const DEFAULT_PORTS = [4317, 4318, 14250, 14268, 6831, 6832, 9411, 55678];

const storageS3 = fc.record({
  // AWS reserves some prefixes and suffixes
  bucket: fc.oneof(fc.constantFrom('tempo-traces', 'traces'), dnsLabel(3, 63).filter((b) => !/^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(b))),
  where: fc.oneof(
    fc.constantFrom('eu-west-1', 'us-east-2').map((region) => ({ region })),
    fc.constantFrom('minio:9000', 'minio.storage.svc:9000', 's3.example.com', 'rgw.ceph.local:7480').map((endpoint) => ({ endpoint, insecure: true, forcePathStyle: true })),
  ),
  auth: fc.oneof(
    fc.constant({}),
    fc.record({ secretName: fc.oneof(fc.constant('s3-credentials'), dnsLabel(1, 60)), accessKeyIdKey: fc.constantFrom('accessKeyId', 'AWS_ACCESS_KEY_ID', 'rootUser'), secretAccessKeyKey: fc.constantFrom('secretAccessKey', 'rootPassword') }, { requiredKeys: ['secretName'] })
      .map((credentials) => ({ credentials })),
    fc.integer({ min: 100000000000, max: 999999999999 }).map((acct) => ({ iamRoleArn: `arn:aws:iam::${acct}:role/tempo` })),
    fc.constant({ podIdentity: true }),
  ),
}).map((s) => ({ $: 'storage', kind: 's3', props: { bucket: s.bucket, ...s.where, ...s.auth } } as Tagged));

const storageGcs = fc.record({
  // Google reserves "goog" prefixes and "google"
  bucket: fc.oneof(fc.constant('tempo-traces'), dnsLabel(3, 63).filter((b) => !b.startsWith('goog') && !/g[o0]{2}g[l1]e/.test(b))),
  auth: fc.oneof(
    fc.constant({}),
    fc.record({ secretName: fc.constantFrom('gcs-key', 'tempo-gcs'), key: fc.constantFrom('key.json', 'sa.json') }, { requiredKeys: ['secretName'] }).map((serviceAccountKey) => ({ serviceAccountKey })),
    fc.constantFrom('tempo@my-project.iam.gserviceaccount.com').map((workloadIdentityServiceAccount) => ({ workloadIdentityServiceAccount })),
  ),
}).map((s) => ({ $: 'storage', kind: 'gcs', props: { bucket: s.bucket, ...s.auth } } as Tagged));

const storageAzure = fc.record({
  containerName: fc.oneof(fc.constant('tempo'), dnsLabel(3, 40).filter((c) => !c.includes('--'))),
  storageAccountName: fc.constantFrom('tempostore', 'traces01'),
  auth: fc.oneof(
    fc.record({ secretName: fc.constantFrom('azure-key'), key: fc.constantFrom('accountKey', 'key') }, { requiredKeys: ['secretName'] }).map((accountKey) => ({ accountKey })),
    fc.constant({ workloadIdentityClientId: '00000000-0000-0000-0000-000000000001' }),
    fc.constant({ useManagedIdentity: true }),
  ),
  endpointSuffix: fc.option(fc.constant('blob.core.chinacloudapi.cn'), { nil: undefined }),
}).map((s) => ({ $: 'storage', kind: 'azure', props: compact({ containerName: s.containerName, storageAccountName: s.storageAccountName, endpointSuffix: s.endpointSuffix, ...s.auth }) } as Tagged));

const storageLocal = fc.option(fc.constantFrom('/var/tempo/traces', '/var/tempo/blocks'), { nil: undefined })
  .map((path) => ({ $: 'storage', kind: 'local', props: path === undefined ? undefined : { path } } as Tagged));

const tenantLimits = partial<Props>({
  ingestionRateLimit: fc.integer({ min: 1, max: 50 }).map((n) => size('mebibytes', n)),
  rateStrategy: fc.constantFrom('local', 'global'),
  maxTracesPerUser: fc.integer({ min: 1, max: 100000 }),
  maxBytesPerTrace: fc.integer({ min: 1, max: 50 }).map((n) => size('mebibytes', n)),
  retention: fc.integer({ min: 1, max: 720 }).map((n) => dur('hours', n)),
  maxSearchDuration: fc.integer({ min: 1, max: 168 }).map((n) => dur('hours', n)),
  metricsGeneratorProcessors: fc.uniqueArray(fc.constantFrom('span-metrics', 'service-graphs'), { minLength: 1 }),
}).map((l) => (l.ingestionRateLimit ? { ...l, ingestionBurstSize: size('mebibytes', (l.ingestionRateLimit as any).n * 2) } : l));

const tenantId = fc.oneof(fc.constantFrom('team-a', 'team_b', 'Tenant.1'), fc.stringMatching(/^[A-Za-z0-9!_*'()-][A-Za-z0-9!_.*'()-]{0,20}$/));

const peer: fc.Arbitrary<Tagged> = fc.oneof(
  fc.constant({ $: 'peer', kind: 'anyPodInCluster', args: [] } as Tagged),
  dnsLabel(1, 40).map((ns) => ({ $: 'peer', kind: 'namespace', args: [ns] } as Tagged)),
  fc.tuple(fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 2 }), fc.option(fc.oneof(fc.constant('*'), dnsLabel(1, 30)), { nil: undefined }))
    .map(([l, ns]) => ({ $: 'peer', kind: 'pods', args: ns === undefined ? [l] : [l, ns] } as Tagged)),
  fc.constantFrom(['10.0.0.0/8'], ['192.168.0.0/16', ['192.168.1.0/24']], ['fd00::/8']).map((args) => ({ $: 'peer', kind: 'cidr', args } as Tagged)),
  fc.constant({ $: 'peer', kind: 'anywhere', args: [] } as Tagged),
);
const peers = fc.array(peer, { maxLength: 2 });
const networkPolicy = fc.oneof(
  fc.constant(undefined),
  fc.constant({ enabled: false }),
  partial<Props>({ ingestFrom: peers, queryFrom: peers, metricsFrom: peers, objectStorage: peers, remoteWrite: peers, identityProvider: peers }),
);

const remoteWriteUrl = fc.constantFrom(
  'http://prometheus:9090/api/v1/write',
  'http://prometheus.monitoring.svc:9090/api/v1/write',
  'https://mimir.example.com/api/v1/push',
  'http://10.0.0.5:9090/api/v1/write',
);
const buckets = fc.uniqueArray(fc.integer({ min: 1, max: 60000 }), { minLength: 1, maxLength: 8 }).map((a) => a.sort((x, y) => x - y).map((ms) => ms / 1000));
const dimensions = fc.uniqueArray(fc.constantFrom('http.method', 'http.status_code', 'service.version', 'k8s.namespace.name'), { maxLength: 3 });
const generatorSettings = fc.record({
  remoteWriteUrl,
  sendExemplars: fc.boolean(),
  processors: fc.uniqueArray(fc.constantFrom('span-metrics', 'service-graphs'), { minLength: 1 }),
  spanMetricsDimensions: dimensions,
  spanMetricsHistogramBuckets: buckets,
  serviceGraphDimensions: dimensions,
  serviceGraphHistogramBuckets: buckets,
  // Prometheus label names; a leading __ is reserved
  externalLabels: fc.dictionary(fc.stringMatching(/^[a-zA-Z]([a-zA-Z0-9_]{0,10})$|^_[a-zA-Z0-9][a-zA-Z0-9_]{0,9}$/), labelValue, { maxKeys: 2 }),
}, { requiredKeys: ['remoteWriteUrl'] });

/** Options of every mode: the parts of TempoCommonProps that do not depend on the mode. */
function commonProps(mode: 'distributed' | 'monolithic'): fc.Arbitrary<Props> {
  return fc.record({ line: fc.constantFrom(...LINES, ...(mode === 'monolithic' ? LINES_3 : [])), patch: fc.boolean() }).chain(({ line, patch }) => {
    const v: Tagged = { $: 'version', v: line.patches[patch ? 1 : 0] };
    const schema = line.schema;
    return fc.record({
      version: fc.option(fc.constant(v), { nil: undefined, freq: 4 }),
      receivers: fc.option(receivers(schema), { nil: undefined }),
      multitenancy: fc.option(fc.boolean(), { nil: undefined }),
      logLevel: fc.option(fc.constantFrom('debug', 'info', 'warn', 'error'), { nil: undefined }),
      logFormat: fc.option(fc.constantFrom('logfmt', 'json'), { nil: undefined }),
      extraConfig: fc.option(extraConfig(schema), { nil: undefined }),
      limits: fc.option(tenantLimits, { nil: undefined }),
      networkPolicy,
      partOf: fc.option(fc.constantFrom('observability', 'tracing-stack'), { nil: undefined }),
      image: fc.option(fc.constant('registry.example.com/grafana/tempo:custom'), { nil: undefined }),
      tenantIds: fc.uniqueArray(tenantId, { maxLength: 3 }),
      tenantLimits: fc.array(tenantLimits, { minLength: 3, maxLength: 3 }),
    }).map((c) => {
      // left out only on the default version's line (the receivers depend on the line)
      const { tenantIds, tenantLimits: tl, ...rest } = c;
      const props: Props = { ...rest, version: c.version ?? (schema !== TempoVersion.DEFAULT.schemaVersion ? v : undefined) };
      if (c.multitenancy && tenantIds.length) props.tenants = Object.fromEntries(tenantIds.map((id, i) => [id, tl[i]]));
      return compact(props);
    });
  });
}

/** extraConfig: 0 to 3 scalar leaves of the version's key schema that the library does not derive. */
function extraConfig(schema: TempoSchemaVersion): fc.Arbitrary<Props> {
  const leaves = extraConfigLeaves(schema);
  const leaf = fc.constantFrom(...leaves).chain((l) => {
    const value: fc.Arbitrary<unknown> = l.type === 'boolean' ? fc.boolean()
      : l.type === 'integer' ? fc.integer({ min: 1, max: 1000 })
        : l.type === 'number' ? fc.integer({ min: 1, max: 100 }).map((n) => n / 100)
          : fc.constantFrom('5s', '30s', '2m', '1h');
    return value.map((v) => [l.path, v] as const);
  });
  return fc.uniqueArray(leaf, { minLength: 1, maxLength: 3, selector: ([p]) => p.split('.').slice(0, 2).join('.') }).map((entries) => {
    const out: Props = {};
    for (const [path, v] of entries) {
      const keys = path.split('.');
      let node = out;
      for (const k of keys.slice(0, -1)) node = node[k] ??= {};
      node[keys[keys.length - 1]] = v;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// the two modes

/** `StatefulStorageProps` (StorageChange and ClaimRetention are string enums: their values are written). */
const statefulStorage = {
  storageChange: fc.constantFrom('expand', 'recreate'),
  persistentVolumeClaimRetentionPolicy: partial<Props>({ whenDeleted: fc.constantFrom('Retain', 'Delete'), whenScaled: fc.constantFrom('Retain', 'Delete') }),
};

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c', 'asia-southeast1-a', 'asia-southeast1-b', 'us-central1-f', 'zone-1', 'z'];

const ingester: fc.Arbitrary<Props> = fc.record({
  base: componentBase,
  rf: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  zoneCount: fc.constantFrom(0, 0, 2, 3),
  perZone: fc.integer({ min: 1, max: 2 }),
  extraReplicas: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  zones: fc.shuffledSubarray(ZONES, { minLength: 3, maxLength: 3 }),
  rest: partial<Props>({
    storageSize: positiveSize('gibibytes', 50),
    storageClassName: fc.constantFrom('gp3', 'standard-rwo', 'local-path'),
    maxBlockDuration: fc.integer({ min: 1, max: 59 }).map((n) => dur('minutes', n)),
    flushOnShutdown: fc.boolean(),
    ...statefulStorage,
  }),
}).map((i) => {
  const rf = i.rf ?? 3;
  if (i.zoneCount) {
    const count = Math.max(i.zoneCount, rf);
    return compact({ ...i.base, ...i.rest, replicationFactor: i.rf, zones: i.zones.slice(0, count), replicas: count * i.perZone });
  }
  const replicas = i.extraReplicas === undefined && rf <= 3 ? undefined : rf + (i.extraReplicas ?? 0);
  return compact({ ...i.base, ...i.rest, replicationFactor: i.rf, replicas });
});

const cache = partial<Props>({
  replicas: fc.integer({ min: 1, max: 3 }),
  memory: fc.integer({ min: 64, max: 4096 }).map((n) => size('mebibytes', n)),
  connectionLimit: fc.integer({ min: 1, max: 65536 }),
  exporter: fc.boolean(),
  roles: fc.uniqueArray(fc.constantFrom('bloom', 'trace-id-index', 'parquet-footer', 'parquet-column-idx', 'parquet-offset-idx', 'parquet-page', 'frontend-search'), { minLength: 1 }),
  clientTimeout: fc.integer({ min: 1, max: 5000 }).map((n) => dur('millis', n)),
  clientMaxIdleConnections: fc.integer({ min: 1, max: 100 }),
  clusterDomain: fc.constantFrom('cluster.local', 'k8s.example.internal'),
  nameSuffix: fc.constantFrom('blocks', 'a1'),
}).chain((c) => {
  // maxItemSize: a multiple of 512Ki, at most half the memory
  const memMiB = (c.memory as any)?.n ?? 1024;
  return fc.option(fc.integer({ min: 1, max: Math.min(2048, memMiB) }).map((k) => size('kibibytes', k * 512)), { nil: undefined })
    .map((maxItemSize) => compact({ ...c, maxItemSize }));
});

function gateway(multitenancy: boolean, hasOtlpGrpc: boolean): fc.Arbitrary<Props> {
  return partial<Props>({
    basicAuth: fc.record({ secretName: fc.constantFrom('gateway-htpasswd', 'tempo-auth'), key: fc.constantFrom('.htpasswd', 'htpasswd') }, { requiredKeys: ['secretName'] }),
    replicas: fc.integer({ min: 1, max: 3 }),
    workerProcesses: fc.integer({ min: 1, max: 64 }),
    maxRequestBodySize: fc.integer({ min: 1, max: 100 }).map((n) => size('mebibytes', n)),
    queryTimeout: fc.integer({ min: 1, max: 600 }).map((n) => dur('seconds', n)),
    otlpGrpcListener: hasOtlpGrpc ? fc.boolean() : fc.constant(false),
    clusterDomain: fc.constantFrom('cluster.local'),
    tenantHeader: fc.constantFrom('from-basic-auth-user', 'pass-through'),
    exporter: fc.boolean(),
    exporterImage: fc.constantFrom('registry.example.com/nginx/nginx-prometheus-exporter:1.3.0'),
    podDisruptionBudget: fc.boolean(),
  }).map((g) => {
    const out = { ...g };
    if (!out.exporter) delete out.exporterImage;
    if (!multitenancy) delete out.tenantHeader;
    else if ((out.tenantHeader ?? 'from-basic-auth-user') === 'from-basic-auth-user' && !out.basicAuth) out.tenantHeader = 'pass-through';
    return out;
  });
}

/** While defect 11 is open: no NetworkPolicies when credentials come from the node metadata server. */
function steerIdentityEgress(props: Props): Props {
  const st = props.storage;
  const metadataServer = (st.kind === 'gcs' && !st.props?.serviceAccountKey) || (st.kind === 'azure' && st.props?.useManagedIdentity);
  return gapOpen('d11-identity-egress') && metadataServer ? { ...props, networkPolicy: { enabled: false } } : props;
}

/** Receivers the gateway forwards (OTLP gRPC with its listener on). */
const GATEWAY_ROUTED: readonly ReceiverKind[] = ['otlpHttp', 'otlpGrpc', 'jaegerThriftHttp', 'zipkin'];

/** `networkPolicy.ingestOnlyThroughGateway`, where a gateway runs: only receivers it forwards, its OTLP gRPC listener on. */
function ingestOnlyThroughGateway(props: Props): Props {
  if (!props.gateway || props.networkPolicy?.enabled === false) return props;
  const routed = (props.receivers ?? [{ $: 'receiver', kind: 'otlpGrpc' }, { $: 'receiver', kind: 'otlpHttp' }]).filter((r: any) => GATEWAY_ROUTED.includes(r.kind));
  const receivers = routed.length ? routed : [{ $: 'receiver', kind: 'otlpHttp' }];
  const grpc = receivers.some((r: any) => r.kind === 'otlpGrpc');
  return {
    ...props,
    receivers,
    gateway: { ...props.gateway, otlpGrpcListener: grpc || undefined },
    networkPolicy: { ...props.networkPolicy, ingestOnlyThroughGateway: true },
  };
}

function hasReceiver(props: Props, kind: ReceiverKind): boolean {
  return (props.receivers ?? [{ kind: 'otlpGrpc' }, { kind: 'otlpHttp' }]).some((r: any) => r.kind === kind);
}

/** A generated stack, with what was deployed before (resolved once its name is known, see `withDeployed`). */
type GeneratedStack = StackSpec & { readonly deployed?: 'none' | 'same' | 'grow' | 'other-class' };

const BYTES = { kibibytes: 2 ** 10, mebibytes: 2 ** 20, gibibytes: 2 ** 30 } as const;

/**
 * `storageChanges.deployedManifests` holding the ingester StatefulSets as deployed before: the same claims
 * (written in another unit), smaller claims (grown with the ingester's storageChange, EXPAND by default) or
 * another StorageClass (StorageChange.RECREATE, which needs flushOnShutdown).
 */
function withDeployed(s: GeneratedStack, namespace: string | undefined): StackSpec {
  const { deployed, ...stack } = s;
  if (!deployed || stack.mode !== 'distributed') return stack;
  const p = stack.props;
  const none = { $: 'deployed', statefulSets: [] };
  if (deployed === 'none') return { ...stack, props: { ...p, storageChanges: { ...p.storageChanges, deployedManifests: none } } };
  const ing: Props = p.ingester ?? {};
  const bytes = ing.storageSize ? ing.storageSize.n * BYTES[ing.storageSize.u as keyof typeof BYTES] : 10 * 2 ** 30;
  if (!Number.isInteger(bytes / 2 ** 20)) return stack;
  const name = p.name ?? 'tempo';
  const statefulSets = (ing.zones?.length ? ing.zones.map((z: string) => `${name}-ingester-${z}`) : [`${name}-ingester`]).map((n: string) => compact({
    name: n, namespace,
    storage: deployed === 'grow' ? `${Math.floor(bytes / 2 ** 21)}Mi` : `${bytes / 2 ** 20}Mi`,
    storageClassName: deployed === 'other-class' ? 'old-class' : ing.storageClassName,
  }));
  const ingester: Props = deployed === 'same' ? ing
    : deployed === 'grow' ? { ...ing, storageChange: ing.storageChange === 'recreate' && ing.flushOnShutdown !== false ? 'recreate' : 'expand' }
      : compact({ ...ing, storageChange: 'recreate', flushOnShutdown: ing.flushOnShutdown || undefined });
  return { ...stack, props: { ...p, ingester, storageChanges: { ...p.storageChanges, deployedManifests: { $: 'deployed', statefulSets } } } };
}

function distributed(chartNamespace: string | undefined): fc.Arbitrary<GeneratedStack> {
  return commonProps('distributed').chain((common) => fc.record({
    storage: fc.oneof(storageS3, storageGcs, storageAzure),
    distributor: fc.option(statelessComponent, { nil: undefined }),
    ingester: fc.option(ingester, { nil: undefined }),
    querier: fc.option(statelessComponent, { nil: undefined }),
    queryFrontend: fc.option(statelessComponent, { nil: undefined }),
    compactor: fc.option(fc.tuple(statelessComponent, fc.option(fc.integer({ min: 2, max: 90 }).map((n) => dur('days', n)), { nil: undefined }))
      .map(([c, retention]) => compact({ ...c, retention })), { nil: undefined }),
    metricsGenerator: fc.option(fc.tuple(generatorSettings, componentBase, fc.option(positiveSize('gibibytes', 10), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), partial<Props>(statefulStorage))
      // Without a processors list the generator runs local-blocks (a StatefulSet sized by storageSize); with one of
      // these lists it is a Deployment whose emptyDir walSizeLimit sizes.
      .map(([g, c, size, replicas, st]) => compact({ ...c, ...g, ...(g.processors ? { walSizeLimit: size } : { storageSize: size, ...st }), replicas })), { nil: undefined }),
    storageChanges: fc.option(partial<Props>({ jobImage: fc.constantFrom('registry.example.com/alpine/k8s:1.28.14', 'bitnami/kubectl:1.28') }), { nil: undefined }),
    deployed: fc.constantFrom(undefined, 'none', 'same', 'grow', 'other-class'),
    cache: fc.option(cache, { nil: undefined }),
    gateway: chartNamespace ? fc.option(gateway(common.multitenancy ?? false, hasReceiver(common, 'otlpGrpc')), { nil: undefined }) : fc.constant(undefined),
    clusterLabel: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,63}$/), { nil: undefined, freq: 8 }),
    onlyThroughGateway: fc.boolean(),
  }).map(({ onlyThroughGateway, deployed, ...d }) => {
    const props = steerIdentityEgress(compact({ ...common, ...d }));
    return { mode: 'distributed' as const, props: onlyThroughGateway ? ingestOnlyThroughGateway(props) : props, deployed };
  }));
}

function monolithic(): fc.Arbitrary<StackSpec> {
  return commonProps('monolithic').chain((common) => fc.record({
    component: componentBase,
    storage: fc.oneof(storageLocal, storageLocal, storageS3, storageGcs, storageAzure),
    // long enough not to meet another object's name (two equal Service names are a mistake, see mistakes.ts)
    serviceName: fc.option(dnsLabel(8, 63), { nil: undefined }),
    retention: fc.option(fc.integer({ min: 2, max: 2000 }).map((n) => dur('hours', n)), { nil: undefined }),
    storageSize: fc.option(positiveSize('gibibytes', 100), { nil: undefined }),
    storageClassName: fc.option(fc.constantFrom('local-path', 'gp3'), { nil: undefined }),
    metricsGenerator: fc.option(generatorSettings, { nil: undefined }),
  }).map(({ component, ...m }) => ({ mode: 'monolithic' as const, props: steerIdentityEgress(compact({ ...common, ...component, ...m })) })));
}

// ---------------------------------------------------------------------------------------------
// exposure (Ingress or Gateway API routes)

const HOSTNAMES = [['tempo.example.com'], ['tempo.example.com', '*.traces.example.com'], ['traces.internal']];

const ingressController: fc.Arbitrary<Tagged> = fc.oneof(
  partial<Props>({ namespace: fc.constantFrom('ingress-nginx', 'ingress'), className: fc.constantFrom('nginx', 'public') })
    .map((options) => ({ $: 'ingressController', kind: 'ingressNginx', options } as Tagged)),
  fc.constantFrom('traefik', 'haproxy').map((className) => ({
    $: 'ingressController', kind: 'of', options: { className, peer: { $: 'peer', kind: 'pods', args: [{ 'app.kubernetes.io/name': className }, className] } },
  } as Tagged)),
);
const ingressTls: fc.Arbitrary<Tagged> = fc.oneof(
  fc.constant({ $: 'ingressTls', kind: 'fromSecret', arg: 'tempo-tls' } as Tagged),
  fc.constantFrom({ clusterIssuer: 'letsencrypt' }, { issuer: 'internal-ca' }, { clusterIssuer: 'letsencrypt', secretName: 'tempo-cert' })
    .map((arg) => ({ $: 'ingressTls', kind: 'certManager', arg } as Tagged)),
);

/**
 * `exposure` of a stack: host names, what is exposed (ingestion only where OTLP HTTP is received), and an Ingress
 * (gRPC off where the controller cannot route it) or Gateway API routes (the GRPCRoute on its own listener).
 */
function exposure(props: Props): fc.Arbitrary<Props> {
  const ingestable = hasReceiver(props, 'otlpHttp');
  return fc.record({
    hostnames: fc.constantFrom(...HOSTNAMES),
    side: fc.constantFrom<Props>({}, { query: false }, { ingest: false }).map((side) => (ingestable ? side : { ingest: false })),
    grpcOff: fc.boolean(),
    way: fc.oneof(
      fc.record({ controller: ingressController, tls: fc.option(ingressTls, { nil: undefined }), annotations: fc.option(fc.constant({ 'nginx.ingress.kubernetes.io/proxy-body-size': '20m' }), { nil: undefined }) })
        .map((i) => ({ ingress: compact(i) })),
      fc.record({ namespace: fc.option(fc.constantFrom('gateway-system'), { nil: undefined }), name: fc.constantFrom('public', 'internal') })
        .map((g) => ({ gatewayApi: { parentRef: compact({ ...g, sectionName: 'https' }), grpcParentRef: compact({ ...g, sectionName: 'grpc' }) } })),
    ),
  }).map(({ hostnames, side, grpcOff, way }) => {
    const i = (way as Props).ingress;
    // ingress-nginx serves gRPC only over TLS; IngressController.of without grpc cannot route it
    const noGrpc = grpcOff || (i && (i.controller.kind === 'of' || !i.tls));
    return compact({ hostnames, ...side, ...way, grpc: noGrpc ? false : undefined });
  });
}

/** Sometimes exposes a stack. */
function withExposure(s: GeneratedStack): fc.Arbitrary<GeneratedStack> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: exposure(s.props) }).map((e) => (e ? { ...s, props: { ...s.props, exposure: e } } : s));
}

// ---------------------------------------------------------------------------------------------
// integrations

const grafanaTarget = fc.oneof(
  fc.constant({}),
  partial<Props>({ sidecar: partial<Props>({ namespace: fc.constantFrom('grafana', 'monitoring'), labelValue: fc.constantFrom('1', 'tempo'), annotations }) }),
  fc.record({ operator: partial<Props>({ instanceSelector: fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 2 }), allowCrossNamespaceImport: fc.boolean(), resyncPeriod: fc.constantFrom(dur('minutes', 10), dur('hours', 1)), namespace: fc.constantFrom('grafana') }).filter((o) => o.instanceSelector !== undefined) }),
);

const timeShift = fc.constantFrom('-1h', '30m', '1h30m', '-5m');

/** The OTLP protocols a stack's ingest endpoint (its gateway, else its distributor or single binary) takes, as `OtlpProtocol` values. */
function otlpProtocols(props: Props): ('grpc' | 'http/protobuf')[] {
  const grpc = hasReceiver(props, 'otlpGrpc') && (!props.gateway || props.gateway.otlpGrpcListener === true);
  return [...(grpc ? ['grpc' as const] : []), ...(hasReceiver(props, 'otlpHttp') ? ['http/protobuf' as const] : [])];
}

/** Options shared by `instrument()` and `TempoInstrumentation`: tenant and credentials as the stack's ingest endpoint asks for them. */
function exportOptions(props: Props): fc.Arbitrary<Props> {
  const protocols = otlpProtocols(props);
  const basicAuth = props.gateway?.basicAuth !== undefined;
  const tenantFromCredentials = props.multitenancy && props.gateway && (props.gateway.tenantHeader ?? 'from-basic-auth-user') === 'from-basic-auth-user';
  return fc.record({
    protocol: fc.option(fc.constantFrom(...protocols), { nil: undefined }),
    tenant: props.multitenancy && !tenantFromCredentials ? tenantId : fc.constant(undefined),
    credentials: basicAuth ? fc.constant({ secretName: 'tempo-otlp-auth', key: 'auth' }) : fc.constant(undefined),
    resourceAttributes: fc.option(fc.dictionary(fc.constantFrom('deployment.environment', 'service.namespace', 'team'), fc.constantFrom('prod', 'shop', 'a b/c'), { maxKeys: 2 }), { nil: undefined }),
  }).map(compact);
}

function integration(stack: number, instanceName: string, atLeast2_7: boolean, props: Props, chartNamespace: string | undefined): fc.Arbitrary<IntegrationSpec> {
  const exporting = otlpProtocols(props).length ? [
    fc.tuple(exportOptions(props), partial<Props>({
      name: fc.constantFrom(`${instanceName}-java`, `${instanceName}-otel`),
      namespace: chartNamespace ? fc.constantFrom('shop', chartNamespace) : fc.constant(undefined),
      propagators: fc.uniqueArray(fc.constantFrom('tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'xray'), { minLength: 1, maxLength: 3 }),
      sampler: fc.constantFrom('always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'),
      ratio: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
    })).map(([o, i]) => {
      const ratioSampler = i.sampler === undefined || String(i.sampler).endsWith('traceidratio');
      return { kind: 'instrumentation' as const, stack, props: compact({ ...o, ...i, ratio: ratioSampler ? i.ratio : undefined }) };
    }),
    fc.tuple(exportOptions(props), fc.constantFrom('checkout', 'billing-api', 'svc.a')).map(([o, serviceName]) => ({
      kind: 'instrumented' as const, stack, props: { ...o, serviceName, workloadName: `${instanceName}-client` },
    })),
  ] : [];
  const vulture = partial<Props>({
    writeInterval: fc.integer({ min: 1, max: 120 }).map((n) => dur('seconds', n)),
    readInterval: fc.integer({ min: 1, max: 120 }).map((n) => dur('seconds', n)),
    searchInterval: fc.integer({ min: 0, max: 300 }).map((n) => dur('seconds', n)),
    retention: fc.integer({ min: 1, max: 30 }).map((n) => dur('days', n)),
    errorRatioThreshold: fc.integer({ min: 1, max: 99 }).map((n) => n / 100),
    alertFor: fc.integer({ min: 1, max: 30 }).map((n) => dur('minutes', n)),
    alertSeverity: fc.constantFrom('critical', 'warning'),
    labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
  }).map((v) => ({ kind: 'vulture' as const, stack, props: props.multitenancy ? { ...v, tenant: 'vulture' } : v }));
  // the vulture pushes OTLP over gRPC
  const withVulture = hasReceiver(props, 'otlpGrpc') ? [vulture] : [];
  return fc.oneof(
    ...withVulture,
    ...exporting,
    partial<Props>({
      cluster: fc.constantFrom('prod-eu', 'dev'),
      interval: fc.integer({ min: 10, max: 120 }).map((n) => dur('seconds', n)),
      labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
    }).map((props) => {
      // a scrape timeout must not be above the interval
      const p: Props = { ...props };
      if (p.interval) p.scrapeTimeout = dur('seconds', Math.max(1, Math.floor(p.interval.n / 2)));
      return { kind: 'serviceMonitors' as const, stack, props: p };
    }),
    partial<Props>({
      cluster: fc.constantFrom('prod-eu', 'dev'),
      name: fc.constant(`${instanceName}-rules`),
      labels: fc.dictionary(labelKey, labelValue, { maxKeys: 2 }),
      alertLabels: fc.dictionary(fc.constantFrom('team', 'route'), labelValue, { maxKeys: 2 }),
      tuning: fc.dictionary(fc.constantFrom('TempoRequestLatency', 'TempoCompactionsFailing', 'TempoIngesterFlushesFailing', 'HighTraceLatency', 'TempoMemcachedEvictions', 'TempoMemcachedHitRatioLow', 'TempoGatewayDown', 'TempoGatewayDroppingConnections'),
        partial<Props>({ enabled: fc.boolean(), for: fc.integer({ min: 1, max: 60 }).map((n) => dur('minutes', n)), severity: fc.constantFrom('critical', 'warning', 'info') }), { maxKeys: 2 }),
      traceAlerts: partial<Props>({
        enabled: fc.boolean(),
        spanKinds: fc.uniqueArray(fc.constantFrom('SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_CONSUMER'), { minLength: 1 }),
        latencyQuantile: fc.constantFrom(0.5, 0.9, 0.99),
      }),
      customAlerts: fc.uniqueArray(fc.record({
        name: fc.constantFrom('TempoDiskFilling', 'MyTracingAlert', 'CustomX'),
        expr: fc.constantFrom('sum(rate(tempo_distributor_spans_received_total[5m])) == 0', 'rate(tempo_distributor_spans_received_total[5m]) == 0'),
        severity: fc.constantFrom('critical', 'warning'),
        summary: fc.constant('Something is wrong'),
      }, { requiredKeys: ['name', 'expr'] }), { maxLength: 2, selector: (a) => a.name }),
    }).map((props) => ({ kind: 'alerts' as const, stack, props })),
    fc.tuple(partial<Props>({
      name: fc.constantFrom('Tempo', 'Traces (prod)'),
      isDefault: fc.boolean(),
      tenant: tenantId,
      tracesToLogs: fc.record({ datasourceUid: fc.constant('loki'), filterByTraceId: fc.boolean(), spanStartTimeShift: timeShift, tags: fc.constantFrom(['job'], ['job', 'namespace']) }, { requiredKeys: ['datasourceUid'] }),
      tracesToMetrics: fc.record({ datasourceUid: fc.constant('prometheus'), spanEndTimeShift: timeShift }, { requiredKeys: ['datasourceUid'] }),
      serviceMap: fc.record({ datasourceUid: fc.constant('prometheus') }),
      nodeGraph: fc.boolean(),
      search: partial<Props>({ hide: fc.boolean() }),
      traceQueryTimeShift: partial<Props>({ spanStartTimeShift: timeShift }),
      streaming: partial<Props>({ search: fc.boolean(), metrics: atLeast2_7 ? fc.boolean() : fc.constant(false) }),
    }), grafanaTarget).map(([props, target]) => ({ kind: 'datasource' as const, stack, props: { ...props, ...target } })),
    fc.tuple(partial<Props>({
      cluster: fc.constantFrom('prod-eu'),
      prometheusDatasourceUid: fc.constantFrom('prometheus', 'mimir'),
      tempoDatasourceUid: fc.constantFrom('tempo'),
      dashboards: fc.uniqueArray(fc.constantFrom('service-map', 'trace-latency', 'writes', 'reads', 'resources'), { minLength: 1 }),
      uidPrefix: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
      titleSuffix: fc.constantFrom(' (prod)', ''),
      folder: fc.constantFrom('Tempo', 'Tracing'),
    }), grafanaTarget).map(([props, target]) => ({ kind: 'dashboards' as const, stack, props: { ...props, ...target } })),
  );
}

// ---------------------------------------------------------------------------------------------
// charts and apps

function chart(index: number, ns: string | undefined, usedNames: fc.Arbitrary<string[]>): fc.Arbitrary<ChartSpec> {
  return fc.constantFrom(1, 1, 1, 2).chain((count) => usedNames.chain((names) => fc.tuple(
    ...Array.from({ length: count }, (_, i) => fc.oneof({ weight: 3, arbitrary: distributed(ns) }, { weight: 2, arbitrary: monolithic() as fc.Arbitrary<GeneratedStack> }).chain(withExposure).map((s) => withDeployed({
      // instance names are unique across the App, so that every object name is
      ...s, props: { ...s.props, name: names[i] } as Props,
    }, ns))),
  ))).chain((stacks) => {
    const perStack = stacks.map((s, i) => fc.uniqueArray(integration(i, s.props.name, !(s.props.version?.v ?? TempoVersion.DEFAULT.version).startsWith('2.6.'), s.props, ns), { maxLength: 4, selector: (x) => x.kind }).map((xs) => xs.filter((x) => {
      if (gapOpen('d1-zones-with-service-monitors') && x.kind === 'serviceMonitors' && s.props.ingester?.zones) return false;
      return true;
    })));
    return fc.tuple(...perStack).map((ints) => ({ id: `chart${index}`, namespace: ns, stacks, integrations: ints.flat() }));
  });
}

/** Options of `appSpec`. */
export interface AppSpecOptions {
  /** Longest instance name. @default 40 (above TempoDistributed's longest, 38) */
  readonly longestName?: number;
}

/** A valid App: 1-3 charts (distinct namespaces), 1-2 stacks each, integrations, maybe Argo CD. */
export function appSpec(options: AppSpecOptions = {}): fc.Arbitrary<AppSpec> {
  return fc.constantFrom(1, 1, 1, 2, 2, 3).chain((n) => fc.uniqueArray(namespace(), { minLength: n, maxLength: n })).chain((namespaces) => {
    const names = fc.uniqueArray(instanceName(options.longestName ?? 40), { minLength: 2 * namespaces.length, maxLength: 2 * namespaces.length });
    return names.chain((all) => fc.tuple(...namespaces.map((ns, i) => chart(i, ns, fc.constant(all.slice(2 * i, 2 * i + 2))))));
  }).chain((charts) => {
    const anyNamespace = charts.some((c) => c.namespace);
    const argocd = anyNamespace
      ? fc.option(partial<Props>({
        appProject: fc.constant({}),
        syncWaves: fc.boolean(),
        application: partial<Props>({ automated: fc.constant({ prune: true, selfHeal: true }), createNamespace: fc.boolean(), serverSideApply: fc.boolean(), targetRevision: fc.constantFrom('main', 'HEAD') }),
      }).map((a) => ({ repoUrl: 'https://git.example.com/platform/gitops.git', ...a })), { nil: undefined })
      : fc.constant(undefined);
    return fc.record({
      argocd,
      outdir: gapOpen('d10-argocd-paths') ? fc.constant(undefined) : fc.option(fc.constantFrom('dist', 'manifests'), { nil: undefined }),
      outputType: gapOpen('d10-argocd-paths')
        ? fc.constant('FOLDER_PER_CHART_FILE_PER_RESOURCE' as const)
        : fc.option(fc.constantFrom('FILE_PER_CHART' as const, 'FOLDER_PER_CHART_FILE_PER_RESOURCE' as const), { nil: undefined }),
    }).map((rest) => {
      // while defect 10 is open: Grafana objects stay in their chart's namespace under an AppProject
      const steered = gapOpen('d10-argocd-paths') && (rest.argocd as Props | undefined)?.appProject
        ? charts.map((c) => ({ ...c, integrations: c.integrations.map((i) => ({ ...i, props: { ...i.props, sidecar: i.props.sidecar && { ...i.props.sidecar, namespace: undefined }, operator: i.props.operator && { ...i.props.operator, namespace: undefined } } })) }))
        : charts;
      return compact({ charts: steered, ...rest }) as AppSpec;
    });
  });
}
