import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { TempoStorage, TempoDistributed, TempoDistributedProps, TempoReceiver, TempoVersion } from '../lib';

// Each row: what is wrong, the props, and the message (which names the option, the value and what is allowed).
import { minioStorage } from './support/synth';

/** Builds an app the way main.ts does and synthesizes it into a fresh folder; returns that folder. */
function synthInto(props: Partial<TempoDistributedProps>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-bad-'));
  fs.rmSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
  new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), ...props });
  app.synth();
  return outdir;
}

const GEN = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };

const cases: Array<[string, () => Partial<TempoDistributedProps>, RegExp]> = [
  ['replication factor above ingester replicas', () => ({ ingester: { replicas: 2, replicationFactor: 3 } }), /ingester\.replicationFactor: 3 is above ingester\.replicas \(2\); allowed: 1 to 2/],
  ['replication factor 0', () => ({ ingester: { replicationFactor: 0 } }), /ingester\.replicationFactor: 0 is invalid; allowed: an integer >= 1/],
  ['local storage in distributed mode', () => ({ storage: TempoStorage.local() }), /storage: the local backend .* allowed: TempoStorage\.s3\(\), TempoStorage\.gcs\(\) or TempoStorage\.azure\(\)/],
  ['generator without remote write URL', () => ({ metricsGenerator: { remoteWriteUrl: '' } }), /metricsGenerator\.remoteWriteUrl: "" is invalid; allowed: an http\(s\) URL/],
  ['generator remote write URL without scheme', () => ({ metricsGenerator: { remoteWriteUrl: 'prometheus:9090' } }), /metricsGenerator\.remoteWriteUrl: "prometheus:9090" is invalid/],
  ['receiver missing from the version', () => ({ version: TempoVersion.V2_10_8, receivers: [TempoReceiver.openCensus()] }), /receivers: opencensus needs receiver type "opencensus", which Tempo 2\.10\.8 does not have; allowed types: jaeger, kafka, otlp, zipkin/],
  ['no receivers', () => ({ receivers: [] }), /receivers: at least one receiver is required/],
  ['duplicate receiver', () => ({ receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpGrpc({ port: 4319 })] }), /receivers: otlp-grpc is listed twice/],
  ['receiver port clash', () => ({ receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.zipkin({ port: 4317 })] }), /receivers: zipkin port 4317 is already used by otlp-grpc/],
  ['receiver on a Tempo server port', () => ({ receivers: [TempoReceiver.zipkin({ port: 3200 })] }), /receivers: zipkin port 3200 is already used by a Tempo server port/],
  ['receiver port out of range', () => ({ receivers: [TempoReceiver.zipkin({ port: 70000 })] }), /receivers: zipkin port 70000 is invalid; allowed: an integer from 1 to 65535/],
  ['upper-case instance name', () => ({ name: 'Tempo' }), /name: "Tempo" is invalid; allowed: a DNS label of at most 38 characters/],
  ['instance name too long', () => ({ name: 'a'.repeat(39) }), /name: "a{39}" is invalid; allowed: a DNS label of at most 38/],
  ['negative replicas', () => ({ querier: { replicas: -1 } }), /querier\.replicas: -1 is invalid; allowed: an integer >= 1/],
  ['fractional replicas', () => ({ distributor: { replicas: 1.5 } }), /distributor\.replicas: 1\.5 is invalid/],
  ['cpu request above limit', () => ({ compactor: { resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } } }), /compactor\.resources\.cpu: request 2 is above limit 500m; allowed: request <= limit/],
  ['memory request above limit', () => ({ ingester: { resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(2) } } } }), /ingester\.resources\.memory: request 4Gi is above limit 2Gi/],
  ['invalid pod label', () => ({ querier: { podLabels: { 'bad key!': 'x' } } }), /querier\.podLabels: key "bad key!" is invalid/],
  ['invalid pod label value', () => ({ querier: { podLabels: { team: 'has space' } } }), /querier\.podLabels: value "has space" of "team" is invalid/],
  ['extra arg overriding -target', () => ({ distributor: { extraArgs: ['-target=all'] } }), /distributor\.extraArgs: "-target=all" sets -target, which the library manages/],
  ['extra arg that is no flag', () => ({ distributor: { extraArgs: ['debug'] } }), /distributor\.extraArgs: "debug" is invalid; allowed: flags like -name=value/],
  ['S3 without bucket', () => ({ storage: TempoStorage.s3({ bucket: '', endpoint: 'minio:9000' }) }), /storage\.s3\.bucket: "" is invalid; allowed: an S3 bucket name of 3-63 characters/],
  ['S3 endpoint with scheme', () => ({ storage: TempoStorage.s3({ bucket: 'traces', endpoint: 'http://minio:9000' }) }), /storage\.s3\.endpoint: "http:\/\/minio:9000" has a scheme; allowed: host\[:port\] only/],
  ['S3 without endpoint or region', () => ({ storage: TempoStorage.s3({ bucket: 'traces' }) }), /storage\.s3: neither endpoint nor region is set/],
  ['S3 bad role ARN', () => ({ storage: TempoStorage.s3({ bucket: 'traces', region: 'us-east-1', iamRoleArn: 'tempo-role' }) }), /storage\.s3\.iamRoleArn: "tempo-role" is invalid/],
  ['S3 bad secret name', () => ({ storage: TempoStorage.s3({ bucket: 'traces', endpoint: 'm:9000', credentials: { secretName: 'Minio_Creds' } }) }), /storage\.s3\.credentials\.secretName: "Minio_Creds" is not a valid Secret name/],
  ['Azure without credentials', () => ({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct' }) }), /storage\.azure: no credentials are set; allowed: exactly one of accountKey, workloadIdentityClientId, useManagedIdentity/],
  ['GCS with two identities', () => ({ storage: TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'k' }, workloadIdentityServiceAccount: 'a@p.iam.gserviceaccount.com' }) }), /storage\.gcs: serviceAccountKey and workloadIdentityServiceAccount are both set/],
  ['unknown key in extra config', () => ({ extraConfig: { ingester: { max_block_duraton: '30m' } } }), /tempo\.yaml is not valid for Tempo 2\.10\.8:[\s\S]*ingester\.max_block_duraton: unknown key "max_block_duraton"/],
  ['wrong type in extra config', () => ({ extraConfig: { server: { grpc_server_max_recv_msg_size: 'big' } } }), /server\.grpc_server_max_recv_msg_size: expected integer/],
  ['invalid cluster label', () => ({ clusterLabel: 'has space' }), /clusterLabel: "has space" is invalid/],
  ['days for a Go duration key via extra config', () => ({ extraConfig: { ingester: { complete_block_timeout: '30d' } } }), /ingester\.complete_block_timeout: expected Go duration .* use h \(e\.g\. 720h\)/],
  // issue 9, defect 8: extraConfig guards
  ['a receiver added through extra config', () => ({ extraConfig: { distributor: { receivers: { zipkin: {} } } } }), /extraConfig\.distributor\.receivers: the library sets distributor\.receivers \(receivers set here get no container port, Service port, NetworkPolicy rule or 0\.0\.0\.0 endpoint\); use receivers/],
  ['replication factor through extra config', () => ({ extraConfig: { ingester: { lifecycler: { ring: { replication_factor: 1 } } } } }), /extraConfig\.ingester\.lifecycler\.ring\.replication_factor: .*use ingester\.replicationFactor/],
  ['listen port through extra config', () => ({ extraConfig: { server: { http_listen_port: 8080 } } }), /extraConfig\.server\.http_listen_port: the library sets server\.http_listen_port .* it is not configurable \(fixed at 3200\)/],
  ['memberlist members through extra config', () => ({ extraConfig: { memberlist: { join_members: ['x:7946'] } } }), /extraConfig\.memberlist\.join_members: .*derived from the gossip ring Service/],
  ['storage backend through extra config', () => ({ extraConfig: { storage: { trace: { backend: 'local' } } } }), /extraConfig\.storage\.trace\.backend: .*use storage/],
  ['literal S3 secret key in extra config', () => ({ extraConfig: { storage: { trace: { s3: { secret_key: 'abc' } } } } }), /extraConfig\.storage\.trace\.s3\.secret_key: .*credentials from a Secret/],
  ['literal remote-write password in extra config', () => ({ metricsGenerator: GEN, extraConfig: { metrics_generator: { storage: { remote_write: [{ url: GEN.remoteWriteUrl, basic_auth: { username: 'u', password: 'p' } }] } } } }), /extraConfig\.metrics_generator\.storage\.remote_write\[0\]\.basic_auth\.password: a literal credential would be written to a ConfigMap/],
  ['fractional retention', () => ({ compactor: { retention: Duration.millis(1.5) } }), /compactor\.retention: .* is invalid; allowed: a whole number of seconds, at least 1h/],
  ['retention too short', () => ({ compactor: { retention: Duration.minutes(5) } }), /compactor\.retention: 5m is invalid; allowed: a whole number of seconds, at least 1h/],
  ['span metrics buckets that are not numbers', () => ({ metricsGenerator: { ...GEN, spanMetricsHistogramBuckets: ['1s' as unknown as number] } }), /metricsGenerator\.spanMetricsHistogramBuckets: 1s invalid; allowed: finite, positive bounds/],
  ['zones fewer than the replication factor', () => ({ ingester: { replicas: 4, zones: ['a', 'b'] } }), /ingester\.zones: 2 zones for replication factor 3; allowed: at least 3 zones/],
  ['replicas not divisible by zones', () => ({ ingester: { replicas: 4, zones: ['a', 'b', 'c'] } }), /ingester\.replicas: 4 does not divide evenly over 3 zones; allowed: a multiple of 3/],
  ['duplicate zones', () => ({ ingester: { replicas: 3, zones: ['a', 'a', 'b'] } }), /ingester\.zones: a, a, b has duplicates/],
  ['invalid zone name', () => ({ ingester: { replicas: 3, zones: ['eu_west_1a', 'b', 'c'] } }), /ingester\.zones: "eu_west_1a" invalid/],
  ['autoscaling with fixed replicas', () => ({ querier: { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 5 } } }), /querier\.autoscaling: set together with replicas \(2\); allowed: one of them/],
  ['autoscaling max below min', () => ({ distributor: { autoscaling: { minReplicas: 3, maxReplicas: 2 } } }), /distributor\.autoscaling\.maxReplicas: 2 is invalid; allowed: an integer >= minReplicas \(3\)/],
  ['autoscaling min 0', () => ({ compactor: { autoscaling: { minReplicas: 0, maxReplicas: 2 } } }), /compactor\.autoscaling\.minReplicas: 0 is invalid; allowed: an integer >= 1/],
  ['autoscaling utilization out of range', () => ({ queryFrontend: { autoscaling: { minReplicas: 1, maxReplicas: 2, targetCpuUtilization: 0 } } }), /queryFrontend|query-frontend\.autoscaling\.targetCpuUtilization: 0 is invalid/],
  ['retention not longer than the ingester block duration', () => ({ compactor: { retention: Duration.hours(1) }, ingester: { maxBlockDuration: Duration.hours(2) } }), /compactor\.retention: 1h is not longer than ingester\.maxBlockDuration \(2h\)/],
  ['ingester block duration too short', () => ({ ingester: { maxBlockDuration: Duration.seconds(10) } }), /ingester\.maxBlockDuration: 10s is invalid; allowed: a whole number of seconds, at least 1m/],
  ['tenants without multitenancy', () => ({ tenants: { 'team-a': { ingestionRateLimit: Size.mebibytes(10) } } }), /tenants: per-tenant limits are set but multitenancy is off/],
  ['invalid tenant ID', () => ({ multitenancy: true, tenants: { 'team a': {} } }), /tenants: tenant ID "team a" is invalid/],
  ['burst below rate', () => ({ limits: { ingestionRateLimit: Size.mebibytes(20), ingestionBurstSize: Size.mebibytes(10) } }), /limits\.ingestionBurstSize: below ingestionRateLimit/],
  ['non-positive max traces', () => ({ multitenancy: true, tenants: { a: { maxTracesPerUser: 0 } } }), /tenants\.a\.maxTracesPerUser: 0 is invalid; allowed: a positive integer/],
  ['tenant retention too short', () => ({ multitenancy: true, tenants: { a: { retention: Duration.minutes(5) } } }), /tenants\.a\.retention: 5m is invalid; allowed: at least 1h/],
  ['invalid partOf label', () => ({ partOf: 'my app' }), /partOf: value "my app" of "app\.kubernetes\.io\/part-of" is invalid/],
  // issue 9, defect 5: sizes
  ['zero ingester volume', () => ({ ingester: { storageSize: Size.gibibytes(0) } }), /ingester\.storageSize: 0 is invalid; allowed: a size of at least 1 byte/],
  ['zero generator WAL limit', () => ({ metricsGenerator: { ...GEN, walSizeLimit: Size.gibibytes(0) } }), /metricsGenerator\.walSizeLimit: 0 is invalid; allowed: a size of at least 1 byte/],
  ['zero memory limit', () => ({ querier: { resources: { memory: { limit: Size.mebibytes(0) } } } }), /querier\.resources\.memory\.limit: 0 is invalid; allowed: a size of at least 1 byte/],
  ['ephemeral storage request above limit', () => ({ compactor: { resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } } }), /compactor\.resources\.ephemeralStorage: request 2Gi is above limit 1Gi/],
  // issue 9, defect 6: pass-through Kubernetes fields
  ['priority class with upper case and underscore', () => ({ querier: { priorityClassName: 'Tempo_Critical' } }), /querier\.priorityClassName: "Tempo_Critical" is not a valid PriorityClass name; allowed: at most 253 characters of lower-case letters, digits, '-' and '\.'/],
  ['toleration operator In', () => ({ ingester: { tolerations: [{ key: 'dedicated', operator: 'In', value: 'tempo' }] } }), /ingester\.tolerations\[0\]\.operator: "In" is invalid; allowed: Exists or Equal/],
  ['toleration with unknown effect', () => ({ ingester: { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoRun' }] } }), /ingester\.tolerations\[0\]\.effect: "NoRun" is invalid; allowed: NoSchedule, PreferNoSchedule, NoExecute/],
  ['invalid node selector key', () => ({ distributor: { nodeSelector: { 'node pool': 'tempo' } } }), /distributor\.nodeSelector: key "node pool" is invalid/],
  ['affinity with an unknown operator', () => ({ querier: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'Equals', values: ['a'] }] }] } } } } }), /querier\.affinity\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.operator: "Equals" is invalid; allowed: In, NotIn, Exists, DoesNotExist, Gt, Lt/],
  ['topology spread with maxSkew 0', () => ({ querier: { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] } }), /querier\.topologySpreadConstraints\[0\]\.maxSkew: 0 is invalid; allowed: an integer >= 1/],
  ['Secret key with a space', () => ({ storage: TempoStorage.s3({ bucket: 'traces', endpoint: 'minio:9000', credentials: { secretName: 'minio', accessKeyIdKey: 'root user' } }) }), /storage\.s3\.credentials\.accessKeyIdKey: "root user" is invalid; allowed: a Secret key of at most 253 characters of letters, digits, '-', '_' and '\.'/],
  ['S3 bucket with upper case', () => ({ storage: TempoStorage.s3({ bucket: 'Tempo_Traces', endpoint: 'minio:9000' }) }), /storage\.s3\.bucket: "Tempo_Traces" is invalid; allowed: an S3 bucket name of 3-63 characters/],
  ['S3 bucket with a reserved suffix', () => ({ storage: TempoStorage.s3({ bucket: 'traces-s3alias', region: 'eu-west-1' }) }), /storage\.s3\.bucket: "traces-s3alias" is invalid; .* nor ending with -s3alias/],
  ['S3 endpoint port out of range', () => ({ storage: TempoStorage.s3({ bucket: 'traces', endpoint: 'minio:90000' }) }), /storage\.s3\.endpoint: "minio:90000" is invalid; allowed: host\[:port\] .* port from 1 to 65535/],
  ['GCS bucket containing google', () => ({ storage: TempoStorage.gcs({ bucket: 'google-traces' }) }), /storage\.gcs\.bucket: "google-traces" is invalid; allowed: a GCS bucket name/],
  ['Azure container with consecutive dashes', () => ({ storage: TempoStorage.azure({ containerName: 'tempo--traces', storageAccountName: 'acct', useManagedIdentity: true }) }), /storage\.azure\.containerName: "tempo--traces" is invalid; allowed: an Azure container name .* no '--'/],
  ['Azure account key in a bad Secret key', () => ({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', accountKey: { secretName: 'azure', key: 'account key' } }) }), /storage\.azure\.accountKey\.key: "account key" is invalid/],
  ['unsorted span-metrics buckets', () => ({ metricsGenerator: { ...GEN, spanMetricsHistogramBuckets: [0.5, 0.1, 1] } }), /metricsGenerator\.spanMetricsHistogramBuckets: 0\.1 follows 0\.5 \(unsorted\); allowed: finite, positive bounds in seconds, strictly increasing/],
  ['negative service-graph bucket', () => ({ metricsGenerator: { ...GEN, serviceGraphHistogramBuckets: [-1, 1] } }), /metricsGenerator\.serviceGraphHistogramBuckets: -1 invalid; allowed: finite, positive bounds/],
  ['remote-write URL port 90900', () => ({ metricsGenerator: { remoteWriteUrl: 'http://prometheus:90900/api/v1/write' } }), /metricsGenerator\.remoteWriteUrl: "http:\/\/prometheus:90900\/api\/v1\/write" is invalid; allowed: an http\(s\) URL/],
  ['remote-write URL with a password', () => ({ metricsGenerator: { remoteWriteUrl: 'https://tempo:s3cret@mimir.example.com/api/v1/push' } }), /metricsGenerator\.remoteWriteUrl: the URL holds credentials \(user:password@\), which would be written to the tempo\.yaml ConfigMap/],
  ['invalid external label name', () => ({ metricsGenerator: { ...GEN, externalLabels: { 'my-label': 'x' } } }), /metricsGenerator\.externalLabels: label name "my-label" is invalid/],
  ['distributor with no replicas', () => ({ distributor: { replicas: 0 } }), /distributor\.replicas: 0 is invalid; allowed: an integer >= 1 \(every component must run/],
  ['compactor with no replicas', () => ({ compactor: { replicas: 0 } }), /compactor\.replicas: 0 is invalid; allowed: an integer >= 1/],
  ['autoscaling utilization fractional', () => ({ querier: { autoscaling: { minReplicas: 1, maxReplicas: 3, targetMemoryUtilization: 50.5 } } }), /querier\.autoscaling\.targetMemoryUtilization: 50\.5 is invalid; allowed: an integer percentage/],
  ['invalid image reference', () => ({ image: 'Grafana/Tempo:2.6.1' }), /image: "Grafana\/Tempo:2\.6\.1" is not a valid image reference/],
  ['invalid component image', () => ({ querier: { image: 'tempo latest' } }), /querier\.image: "tempo latest" is not a valid image reference/],
  ['invalid StorageClass name', () => ({ ingester: { storageClassName: 'Fast SSD' } }), /ingester\.storageClassName: "Fast SSD" is not a valid StorageClass name/],
  // Defect 7: every message names the user's option path and what is allowed.
  ['no ingesters', () => ({ ingester: { replicas: 0 } }), /ingester\.replicas: 0 is invalid; allowed: an integer >= 1(?![\s\S]*1 to 0)/],
  ['storage missing (plain JavaScript)', () => ({ storage: undefined as any }), /storage: required; allowed: TempoStorage\.s3\(\.\.\.\), TempoStorage\.gcs\(\.\.\.\)/],
  ['storage that is no TempoStorage (plain JavaScript)', () => ({ storage: { backend: 's3' } as any }), /storage: \{"backend":"s3"\} is invalid; allowed: TempoStorage\.s3/],
  ['grace period in milliseconds', () => ({ querier: { terminationGracePeriod: Duration.millis(2500) } }), /querier\.terminationGracePeriod: 2s500ms is invalid; allowed: a whole number of seconds/],
  ['grace period that is no Duration (plain JavaScript)', () => ({ ingester: { terminationGracePeriod: -5 as any } }), /ingester\.terminationGracePeriod: -5 is invalid; allowed: a Duration/],
  ['retention that is no Duration (plain JavaScript)', () => ({ compactor: { retention: -1 as any } }), /compactor\.retention: -1 is invalid; allowed: a Duration of at least 1h/],
  ['query-frontend options under the user\'s path', () => ({ queryFrontend: { replicas: -1 } }), /queryFrontend\.replicas: -1 is invalid/],
  ['metrics-generator options under the user\'s path', () => ({ metricsGenerator: { ...GEN, extraArgs: ['-target=all'] } }), /metricsGenerator\.extraArgs: "-target=all" sets -target/],
  ['cache options under the user\'s path', () => ({ cache: { replicas: 0 } }), /cache\.replicas: 0 is invalid; allowed: an integer >= 1/],
  ['gateway options under the user\'s path', () => ({ gateway: { workerProcesses: 0 } }), /gateway\.workerProcesses: 0 is invalid/],
  ['extraConfig key unknown to the version, under the user\'s path', () => ({ extraConfig: { querier: { no_such_key: 1 } } }), /extraConfig\.querier\.no_such_key: unknown key "no_such_key"/],
  ['cache timeout that is no Duration (plain JavaScript)', () => ({ cache: { clientTimeout: 500 as any } }), /cache\.clientTimeout: 500 is invalid; allowed: a Duration/],
  ['gateway timeout that is no Duration (plain JavaScript)', () => ({ gateway: { queryTimeout: '5m' as any } }), /gateway\.queryTimeout: "5m" is invalid; allowed: a Duration/],
  ['ingest only through a gateway that does not exist', () => ({ networkPolicy: { ingestOnlyThroughGateway: true } }), /networkPolicy\.ingestOnlyThroughGateway: true, but this instance has no gateway; allowed: false, or a gateway/],
  ['ingest only through the gateway without NetworkPolicies', () => ({ gateway: {}, networkPolicy: { enabled: false, ingestOnlyThroughGateway: true } }), /networkPolicy\.ingestOnlyThroughGateway: true, but networkPolicy\.enabled is false/],
  ['ingest only through a gateway that does not route a receiver', () => ({ gateway: {}, receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.jaegerGrpc()], networkPolicy: { ingestOnlyThroughGateway: true } }), /networkPolicy\.ingestOnlyThroughGateway: true, but the gateway does not forward receiver port\(s\) 14250\/TCP/],
  ['two S3 identities', () => ({ storage: TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', podIdentity: true, iamRoleArn: 'arn:aws:iam::123456789012:role/t' }) }), /storage\.s3: iamRoleArn and podIdentity are both set; allowed: one of them/],
  ['image tag of another Tempo line than version', () => ({ version: TempoVersion.V2_10_8, image: 'registry.example.com/grafana/tempo:2.6.1' }), /image: "registry\.example\.com\/grafana\/tempo:2\.6\.1" is Tempo 2\.6 but version is 2\.10\.8 .*allowed: an image of the 2\.10 line, or version: TempoVersion\.of\('2\.6\.1'\)/],
  ['component image of another Tempo line than version', () => ({ version: TempoVersion.V2_6_1, querier: { image: 'grafana/tempo:v2.10.8' } }), /querier\.image: "grafana\/tempo:v2\.10\.8" is Tempo 2\.10 but version is 2\.6\.1/],
];

describe('bad input fails at synth time with a clear error, and nothing is written', () => {
  test('the table covers at least 40 invalid inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  test.each(cases)('%s', (_name, props, message) => {
    let outdir: string | undefined;
    expect(() => { outdir = synthInto(props()); }).toThrow(message);
    expect(outdir).toBeUndefined();
  });

  test('several problems are reported together', () => {
    let message = '';
    try {
      synthInto({ name: 'BAD', ingester: { replicas: 1, replicationFactor: 3 }, receivers: [] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/name: "BAD" is invalid/);
    expect(message).toMatch(/ingester\.replicationFactor: 3 is above/);
    expect(message).toMatch(/receivers: at least one/);
  });

  test('component, cache and gateway problems come in the same single error as the rest', () => {
    let message = '';
    try {
      synthInto({ name: 'BAD', querier: { replicas: -1 }, cache: { replicas: 0 }, gateway: { workerProcesses: 0 }, storage: undefined as any, extraConfig: { querier: { no_such_key: 1 } } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/^TempoDistributed "BAD":/gm)).toHaveLength(1);
    for (const option of ['name', 'storage', 'querier.replicas', 'cache.replicas', 'gateway.workerProcesses', 'extraConfig']) expect(message).toContain(`\n  ${option}: `);
  });

  test('a valid app does write its output (the harness above can tell)', () => {
    const outdir = synthInto({});
    expect(fs.readdirSync(outdir).length).toBeGreaterThan(0);
    fs.rmSync(outdir, { recursive: true });
  });
});
