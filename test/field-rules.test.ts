import { Size, Testing } from 'cdk8s';
import { EnvReference, GeneratorProcessor, NetworkPeer, TempoArgoApplication, TempoDatasource, TempoMonolithic, TempoReceiver, TempoStorage } from '../lib';
import { histogramBucketErrors, remoteWriteUrlErrors } from '../lib/config/metrics-generator';
import { bytes, sizeErrors, sizeQuantity } from '../lib/config/units';
import { goMemLimit } from '../lib/k8s/resources';
import { affinityErrors, cidrErrors, imageErrors, podSchedulingErrors, secretKeyErrors, tolerationErrors } from '../lib/k8s/validation';
import { azureContainerErrors, gcsBucketErrors, hostPortErrors, s3BucketErrors } from '../lib/storage/names';
import { find, synthDistributed } from './support/synth';

describe('sizes render as exact quantities (issue 9, defect 5)', () => {
  test.each([
    [Size.gibibytes(10), '10Gi'],
    [Size.mebibytes(1536), '1536Mi'],
    [Size.gibibytes(1.5), '1536Mi'],
    [Size.tebibytes(2), '2Ti'],
    [Size.kibibytes(3), '3Ki'],
    // not a whole number of KiB: bytes, a fraction of a byte rounded up
    [Size.gibibytes(2.4), '2576980378'],
    [Size.gibibytes(2.2), '2362232013'],
    [Size.gibibytes(1.1), '1181116007'],
    [Size.kibibytes(1.5), '1536'],
  ])('%# -> %s', (size, quantity) => {
    expect(sizeQuantity(size)).toBe(quantity);
  });

  test('float noise does not add a byte', () => {
    expect(bytes(Size.gibibytes(0.1 * 3))).toBe(Math.ceil(0.3 * 2 ** 30));
    expect(bytes(Size.mebibytes(0.5))).toBe(2 ** 19);
  });

  test('GOMEMLIMIT is 80 % of the limit in MiB, bytes below 1MiB', () => {
    expect(goMemLimit(Size.gibibytes(2))).toBe('1638MiB');
    expect(goMemLimit(Size.gibibytes(2.4))).toBe('1966MiB');
    expect(goMemLimit(Size.kibibytes(512))).toBe('419430B');
  });

  test('zero and non-finite sizes are errors naming the option', () => {
    expect(sizeErrors('ingester.storageSize', Size.gibibytes(0))).toEqual(['ingester.storageSize: 0 is invalid; allowed: a size of at least 1 byte']);
    expect(sizeErrors('x', Size.gibibytes(NaN))[0]).toMatch(/^x: NaNGi is invalid/);
    expect(sizeErrors('x', Size.gibibytes(Infinity))[0]).toMatch(/^x: InfinityGi is invalid/);
    expect(sizeErrors('x', undefined)).toEqual([]);
  });

  test('a fractional memory limit, claim and WAL limit render as bytes, not "0"', () => {
    const { manifests } = synthDistributed({
      querier: { resources: { memory: { request: Size.gibibytes(1.2), limit: Size.gibibytes(2.4) } } },
      ingester: { storageSize: Size.gibibytes(2.2) },
      metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', processors: [GeneratorProcessor.SPAN_METRICS], walSizeLimit: Size.gibibytes(1.1) },
    });
    const querier = find(manifests, 'Deployment', 'tempo-querier').spec.template.spec.containers[0];
    expect(querier.resources).toEqual({ requests: { memory: '1288490189' }, limits: { memory: '2576980378' } });
    expect(querier.env.find((e: { name: string }) => e.name === 'GOMEMLIMIT').value).toBe('1966MiB');
    const claim = find(manifests, 'StatefulSet', 'tempo-ingester').spec.volumeClaimTemplates[0];
    expect(claim.spec.resources.requests.storage).toBe('2362232013');
    const generator = find(manifests, 'Deployment', 'tempo-metrics-generator').spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data');
    expect(generator.emptyDir.sizeLimit).toBe('1181116007');
    const quantities = JSON.stringify(manifests).match(/"(memory|storage|sizeLimit|ephemeral-storage)":"[^"]*"/g) ?? [];
    expect(quantities.filter((q) => q.endsWith(':"0"'))).toEqual([]);
  });

  test('zero-sized volumes are refused (distributed and monolithic)', () => {
    expect(() => synthDistributed({ ingester: { storageSize: Size.gibibytes(0) } })).toThrow(/ingester\.storageSize: 0 is invalid; allowed: a size of at least 1 byte/);
    expect(() => synthDistributed({ metricsGenerator: { remoteWriteUrl: 'http://p:9090/api/v1/write', walSizeLimit: Size.mebibytes(0) } }))
      .toThrow(/metricsGenerator\.walSizeLimit: 0 is invalid/);
    expect(() => new TempoMonolithic(Testing.chart(), 'T', { storage: TempoStorage.local(), storageSize: Size.gibibytes(0) })).toThrow(/storageSize: 0 is invalid/);
    expect(() => synthDistributed({ querier: { resources: { memory: { limit: Size.gibibytes(0) } } } })).toThrow(/querier\.resources\.memory\.limit: 0 is invalid/);
  });
});

describe('Kubernetes field rules (issue 9, defect 6)', () => {
  test('tolerations follow the API server', () => {
    expect(tolerationErrors('t', [{ key: 'dedicated', operator: 'Equal', value: 'tempo', effect: 'NoSchedule' }])).toEqual([]);
    expect(tolerationErrors('t', [{ operator: 'Exists' }])).toEqual([]);
    expect(tolerationErrors('t', [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }])).toEqual([]);
    expect(tolerationErrors('t', [{ key: 'k', operator: 'In' }])).toEqual(['t[0].operator: "In" is invalid; allowed: Exists or Equal']);
    expect(tolerationErrors('t', [{ key: 'k', effect: 'NoRun' }])[0]).toMatch(/t\[0\]\.effect: "NoRun" is invalid; allowed: NoSchedule, PreferNoSchedule, NoExecute/);
    expect(tolerationErrors('t', [{ key: 'k', operator: 'Exists', value: 'v' }])[0]).toMatch(/value: "v" is set with operator Exists/);
    expect(tolerationErrors('t', [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 60 }])[0]).toMatch(/tolerationSeconds: set with effect NoSchedule; allowed: only with effect NoExecute/);
    expect(tolerationErrors('t', [{ key: 'bad key' }])[0]).toMatch(/t\[0\]\.key: key "bad key" is invalid/);
    expect(tolerationErrors('t', [{ value: 'v' }])[0]).toMatch(/an empty key needs operator Exists/);
  });

  test('affinity selector operators and values are checked', () => {
    const ok = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['tempo'] }] }] } } };
    expect(affinityErrors('a', ok)).toEqual([]);
    expect(affinityErrors('a', { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'Equals', values: ['x'] }] }] } } })[0])
      .toMatch(/a\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.operator: "Equals" is invalid; allowed: In, NotIn, Exists, DoesNotExist, Gt, Lt/);
    expect(affinityErrors('a', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] } }] } })[0])
      .toMatch(/labelSelector\.matchExpressions\[0\]\.operator: "Gt" is invalid; allowed: In, NotIn, Exists, DoesNotExist/);
    expect(affinityErrors('a', { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: '' } }] } }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/weight: 0 is invalid; allowed: an integer from 1 to 100/), expect.stringMatching(/topologyKey: "" is invalid/)]));
    expect(affinityErrors('a', { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In' }] }] } } })[0])
      .toMatch(/values: empty with operator In/);
  });

  test('scheduling errors name every option', () => {
    const errors = podSchedulingErrors('querier', {
      nodeSelector: { 'bad key': 'x' },
      priorityClassName: 'Tempo_Critical',
      topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'Maybe' }],
    });
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^querier\.nodeSelector: key "bad key" is invalid/),
      expect.stringMatching(/^querier\.priorityClassName: "Tempo_Critical" is not a valid PriorityClass name; allowed: at most 253 characters of lower-case letters/),
      expect.stringMatching(/^querier\.topologySpreadConstraints\[0\]\.maxSkew: 0 is invalid/),
      expect.stringMatching(/^querier\.topologySpreadConstraints\[0\]\.whenUnsatisfiable: "Maybe" is invalid/),
    ]));
  });

  test.each([
    ['rootUser', true], ['key.json', true], ['.htpasswd', true], ['root user', false], ['a/b', false], ['..', false], ['x'.repeat(254), false],
  ])('Secret key %s valid: %s', (key, valid) => {
    expect(secretKeyErrors('k', key).length === 0).toBe(valid);
  });

  test.each([
    ['grafana/tempo:2.6.1', true], ['mirror.local:5000/grafana/tempo:2.6.1', true], ['tempo@sha256:' + 'a'.repeat(64), true], ['localhost/tempo', true],
    ['Grafana/Tempo', false], ['grafana/tempo:', false], ['grafana tempo', false], ['', false],
  ])('image %s valid: %s', (image, valid) => {
    expect(imageErrors('image', image).length === 0).toBe(valid);
  });
});

describe('storage names per backend (issue 9, defect 6)', () => {
  test.each([
    ['tempo-traces', true], ['my.traces.bucket', true], ['abc', true],
    ['ab', false], ['Tempo', false], ['my_bucket', false], ['-traces', false], ['a..b', false], ['192.168.5.4', false],
    ['xn--traces', false], ['sthree-traces', false], ['traces-s3alias', false], ['traces--ol-s3', false], ['traces.mrap', false], ['x'.repeat(64), false],
  ])('S3 bucket %s valid: %s', (name, valid) => {
    expect(s3BucketErrors('b', name).length === 0).toBe(valid);
  });

  test.each([
    ['tempo_traces', true], ['traces.example.com', true], [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}`, true],
    ['goog-traces', false], ['my-google-traces', false], ['x'.repeat(64), false], [`${'a'.repeat(64)}.com`, false], ['192.168.5.4', false], ['_traces', false],
  ])('GCS bucket %s valid: %s', (name, valid) => {
    expect(gcsBucketErrors('b', name).length === 0).toBe(valid);
  });

  test.each([
    ['traces', true], ['tempo-traces-1', true], ['tempo--traces', false], ['Traces', false], ['traces-', false], ['ab', false], ['tempo.traces', false],
  ])('Azure container %s valid: %s', (name, valid) => {
    expect(azureContainerErrors('c', name).length === 0).toBe(valid);
  });

  test.each([
    ['minio:9000', true], ['s3.eu-west-1.amazonaws.com', true], ['10.0.0.1:9000', true], ['minio:90000', false], ['minio:0', false], ['minio/path', false],
  ])('endpoint %s valid: %s', (endpoint, valid) => {
    expect(hostPortErrors('e', endpoint).length === 0).toBe(valid);
  });
});

describe('metrics-generator values (issue 9, defect 6)', () => {
  test.each([
    [[0.1, 0.5, 1], []],
    [[0.5, 0.1], [/0\.1 follows 0\.5 \(unsorted\)/]],
    [[0.1, 0.1], [/0\.1 follows 0\.1 \(duplicate\)/]],
    [[-1, 1], [/-1 invalid; allowed: finite, positive bounds/]],
    [[1, Infinity], [/Infinity invalid/]],
    [[NaN], [/NaN invalid/]],
    [[], [/empty/]],
  ] as Array<[number[], RegExp[]]>)('buckets %j', (buckets, expected) => {
    const errors = histogramBucketErrors('b', buckets);
    expect(errors).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(errors[i]).toMatch(re));
  });

  test('remote-write URLs: port range and credentials', () => {
    expect(remoteWriteUrlErrors('u', 'http://prometheus:9090/api/v1/write')).toEqual([]);
    expect(remoteWriteUrlErrors('u', 'https://mimir.example.com/api/v1/push')).toEqual([]);
    expect(remoteWriteUrlErrors('u', 'http://prometheus:90900/api/v1/write')[0]).toMatch(/u: "http:\/\/prometheus:90900\/api\/v1\/write" is invalid; allowed: an http\(s\) URL .* port from 1 to 65535/);
    expect(remoteWriteUrlErrors('u', 'http://user:hunter2@prometheus:9090/api/v1/write')[0]).toMatch(/u: the URL holds credentials .* ConfigMap; allowed: the URL without them; .* basic_auth: { username, password: EnvReference.of/);
    expect(remoteWriteUrlErrors('u', 'http://user:hunter2@prometheus:9090/api/v1/write')[0]).not.toMatch(/hunter2/);
  });
});

describe('credentials in other values that land in plain-text objects (issue 9, defect 6/8)', () => {
  test('receiver settings: a literal TLS key or password is refused, EnvReference passes', () => {
    expect(() => synthDistributed({ receivers: [TempoReceiver.otlpGrpc({ settings: { tls: { key_pem: '-----BEGIN PRIVATE KEY-----', cert_file: '/tls/crt' } } })] }))
      .toThrow(/receivers: otlp-grpc settings\.otlp\.protocols\.grpc\.tls\.key_pem: a literal credential/);
    expect(() => synthDistributed({ receivers: [TempoReceiver.otlpGrpc({ settings: { tls: { key_file: '/tls/key', cert_file: '/tls/crt' } } })] })).not.toThrow();
    expect(() => synthDistributed({ receivers: [TempoReceiver.otlpHttp({ settings: { auth: { password: 'hunter2' } } })] }))
      .toThrow(/receivers: otlp-http settings\.otlp\.protocols\.http\.auth\.password: a literal credential would be written to a ConfigMap; allowed: EnvReference\.of/);
    expect(() => synthDistributed({ receivers: [TempoReceiver.otlpHttp({ settings: { auth: { password: EnvReference.of('P') } } })] })).not.toThrow();
  });

  test('Grafana data source: URL credentials and credentials in extraJsonData are refused', () => {
    const { tempo, chart } = synthDistributed();
    expect(() => new TempoDatasource(chart, 'DS1', { instance: tempo, url: 'http://admin:secret@tempo:3200' }))
      .toThrow(/url: the URL holds credentials \(user:password@\), which would be stored in plain text/);
    expect(() => new TempoDatasource(chart, 'DS3', { instance: tempo, url: 'http://tempo:32000/x' })).not.toThrow();
    expect(() => new TempoDatasource(chart, 'DS4', { instance: tempo, url: 'http://tempo:320000' })).toThrow(/url: "http:\/\/tempo:320000" is invalid; allowed: an http\(s\) URL \(a port from 1 to 65535\)/);
    expect(() => new TempoDatasource(chart, 'DS2', { instance: tempo, extraJsonData: { basicAuthPassword: 'secret' } }))
      .toThrow(/extraJsonData\.basicAuthPassword: a literal credential would be written to a ConfigMap; allowed: no credentials in jsonData/);
  });

  test('Argo CD: a token in the repository URL is refused; ssh user names pass', () => {
    expect(() => new TempoArgoApplication(Testing.chart(), 'A', { repoUrl: 'https://x-access-token:ghp_abc@github.com/org/gitops.git', path: 'dist/tempo', destinationNamespace: 'monitoring' }))
      .toThrow(/repoUrl: the URL holds credentials .* \(Argo CD reads repository credentials from its repository Secrets\)/);
    expect(() => new TempoArgoApplication(Testing.chart(), 'B', { repoUrl: 'ssh://git@github.com/org/gitops.git', path: 'dist/tempo', destinationNamespace: 'monitoring' })).not.toThrow();
  });

  test('local storage path cannot leave the data volume', () => {
    expect(() => TempoStorage.local({ path: '/var/tempo/../etc' }).bind()).toThrow(/storage\.local\.path: "\/var\/tempo\/\.\.\/etc" is outside the data volume/);
  });
});

describe('network peers (issue 9, defect 6)', () => {
  test.each([
    ['10.0.0.0/8', true], ['0.0.0.0/0', true], ['fd00::/8', true], ['::/0', true], ['2001:db8::1/128', true],
    ['999.1.1.1/8', false], ['10.0.0.0/33', false], ['10.0.0.0', false], ['fd00::/129', false], ['1::2::3/64', false],
  ])('CIDR %s valid: %s', (cidr, valid) => {
    expect(cidrErrors('c', cidr).length === 0).toBe(valid);
  });

  test('peers refuse invalid namespaces, labels and CIDRs', () => {
    expect(() => NetworkPeer.cidr('10.0.0.0/33')).toThrow(/networkPolicy: "10\.0\.0\.0\/33" is not a CIDR/);
    expect(() => NetworkPeer.namespace('Monitoring')).toThrow(/NetworkPeer\.namespace: "Monitoring" is not a valid namespace/);
    expect(() => NetworkPeer.pods({ 'app name': 'grafana' })).toThrow(/NetworkPeer\.pods labels: key "app name" is invalid/);
    expect(() => NetworkPeer.pods({ app: 'grafana' }, '*')).not.toThrow();
  });
});
