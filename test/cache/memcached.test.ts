import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { cacheRoleConflicts, cacheRolesOf, DEFAULT_CACHE_ROLES, TempoCacheRole, TempoMemcached, TempoMemcachedProps } from '../../lib/cache/memcached';
import { validateTempoSchema } from '../../lib/config/schema-validation';
import { TempoVersion } from '../../lib/version';
import { validateK8sManifests } from '../support/k8s-validation';
import { find, Manifest, testChart } from '../support/synth';

function synth(props: TempoMemcachedProps = {}, namespace: string | null = 'monitoring') {
  const chart = testChart(namespace);
  const cache = new TempoMemcached(chart, 'Memcached', props);
  return { cache, manifests: Testing.synth(chart) as Manifest[] };
}

const VERSIONS = [TempoVersion.V2_6_1, TempoVersion.V2_10_8];
const ALL_ROLES = Object.values(TempoCacheRole);

describe('TempoMemcached defaults', () => {
  const { cache, manifests } = synth();
  const sts = find(manifests, 'StatefulSet', 'tempo-memcached');
  const svc = find(manifests, 'Service', 'tempo-memcached');
  const pod = sts.spec.template.spec;
  const container = pod.containers[0];

  test('one StatefulSet and one headless Service, named <instance>-memcached, nothing else', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['Service/tempo-memcached', 'StatefulSet/tempo-memcached']);
    expect(sts.spec.serviceName).toBe('tempo-memcached');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports).toEqual([{ name: 'client', port: 11211, targetPort: 'client', protocol: 'TCP' }]);
  });

  test('pinned memcached 1.6 alpine image; args -m 1024 -I 5m -c 4096 -v', () => {
    expect(pod.containers).toHaveLength(1);
    expect(container.image).toBe('memcached:1.6.39-alpine');
    expect(TempoMemcached.DEFAULT_IMAGE).toMatch(/^memcached:1\.6\.\d+-alpine$/);
    expect(container.args).toEqual(['-m', '1024', '-I', '5m', '-c', '4096', '-v']);
    expect(container.ports).toEqual([{ name: 'client', containerPort: 11211, protocol: 'TCP' }]);
  });

  test('TCP readiness (and liveness) probe on the client port', () => {
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'client' }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 6 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'client' });
  });

  test('explicit resources: memory limit = cache memory + overhead (1Gi → 1329Mi request, 1536Mi limit), no CPU limit', () => {
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '1329Mi' }, limits: { memory: '1536Mi' } });
  });

  test('restricted pod security as memcached\'s numeric user 11211, read-only root filesystem, no token', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 11211, runAsGroup: 11211, fsGroup: 11211, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 11211, runAsGroup: 11211, allowPrivilegeEscalation: false, privileged: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  test('recommended labels; the selector is the stable name/instance/component triple', () => {
    const labels = {
      'app.kubernetes.io/name': 'memcached',
      'app.kubernetes.io/instance': 'tempo',
      'app.kubernetes.io/component': 'memcached',
      'app.kubernetes.io/part-of': 'tempo',
      'app.kubernetes.io/managed-by': 'cdk8s-tempo',
    };
    for (const m of [sts, svc]) expect(m.metadata.labels).toEqual(labels);
    expect(sts.spec.template.metadata.labels).toEqual(labels);
    const selector = { 'app.kubernetes.io/name': 'memcached', 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/component': 'memcached' };
    expect(sts.spec.selector.matchLabels).toEqual(selector);
    expect(svc.spec.selector).toEqual(selector);
    expect(cache.selectorLabels).toEqual(selector);
  });

  test('passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('TempoMemcached options', () => {
  test('exporter sidecar: prom/memcached-exporter on 9150 http-metrics, also on the Service', () => {
    const { cache, manifests } = synth({ exporter: true });
    const pod = find(manifests, 'StatefulSet', 'tempo-memcached').spec.template.spec;
    const exporter = pod.containers[1];
    expect(exporter.name).toBe('exporter');
    expect(exporter.image).toBe('prom/memcached-exporter:v0.15.3');
    expect(exporter.args).toEqual(['--memcached.address=localhost:11211', '--web.listen-address=:9150']);
    expect(exporter.ports).toEqual([{ name: 'http-metrics', containerPort: 9150, protocol: 'TCP' }]);
    expect(exporter.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } });
    expect(exporter.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(find(manifests, 'Service', 'tempo-memcached').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['client:11211', 'http-metrics:9150']);
    expect(cache.metricsPort).toBe(9150);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('memory sets -m and the derived resources; item size renders as m or k', () => {
    const small = synth({ memory: Size.mebibytes(256), maxItemSize: Size.mebibytes(1), connectionLimit: 1024 });
    const c = find(small.manifests, 'StatefulSet', 'tempo-memcached').spec.template.spec.containers[0];
    expect(c.args).toEqual(['-m', '256', '-I', '1m', '-c', '1024', '-v']);
    // request ceil(256 × 1.2 + 100) = 408Mi; limit max(408, 1.5 × 256 = 384) = 408Mi
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '408Mi' }, limits: { memory: '408Mi' } });
    const odd = synth({ maxItemSize: Size.kibibytes(1536) });
    expect(find(odd.manifests, 'StatefulSet', 'tempo-memcached').spec.template.spec.containers[0].args.slice(2, 4)).toEqual(['-I', '1536k']);
    expect(odd.cache.cacheConfig(TempoVersion.V2_6_1).memcached.max_item_size).toBe(1536 * 1024);
  });

  test('explicit resources and extra args are used as given', () => {
    const { manifests } = synth({
      resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(1200), limit: Size.mebibytes(1400) } },
      extraArgs: ['-t', '8'],
    });
    const c = find(manifests, 'StatefulSet', 'tempo-memcached').spec.template.spec.containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '1200Mi' }, limits: { cpu: '1', memory: '1400Mi' } });
    expect(c.args).toEqual(['-m', '1024', '-I', '5m', '-c', '4096', '-v', '-t', '8']);
  });

  test('a second cache of the same instance gets its own names and a disjoint selector', () => {
    const chart = Testing.chart();
    const a = new TempoMemcached(chart, 'A', { instanceName: 'traces' });
    const b = new TempoMemcached(chart, 'B', { instanceName: 'traces', nameSuffix: 'pages', replicas: 3 });
    const manifests = Testing.synth(chart) as Manifest[];
    expect(b.name).toBe('traces-memcached-pages');
    expect(find(manifests, 'StatefulSet', 'traces-memcached-pages').spec.replicas).toBe(3);
    expect(b.selectorLabels['app.kubernetes.io/component']).toBe('memcached-pages');
    expect(a.selectorLabels).not.toEqual(b.selectorLabels);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('placement options reach the pod spec', () => {
    const { manifests } = synth({
      nodeSelector: { pool: 'cache' },
      tolerations: [{ key: 'cache', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'high',
    });
    const pod = find(manifests, 'StatefulSet', 'tempo-memcached').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ pool: 'cache' });
    expect(pod.tolerations).toEqual([{ key: 'cache', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('high');
  });

  test('output is deterministic', () => {
    expect(synth({ exporter: true }).manifests).toEqual(synth({ exporter: true }).manifests);
  });
});

describe('cacheConfig: Tempo\'s cache.caches entry', () => {
  const { cache, manifests } = synth();

  test('SRV discovery of the headless Service: host is its FQDN, service its port name', () => {
    const entry = cache.cacheConfig(TempoVersion.V2_6_1);
    expect(entry).toEqual({
      roles: ['bloom', 'parquet-footer', 'frontend-search'],
      memcached: {
        host: 'tempo-memcached.monitoring.svc.cluster.local',
        service: 'client',
        consistent_hash: true,
        timeout: '500ms',
        max_idle_conns: 16,
        max_item_size: 5 * 1024 * 1024,
      },
    });
    const svc = find(manifests, 'Service', 'tempo-memcached');
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(entry.memcached.service);
    expect(entry.memcached.host.startsWith(`${svc.metadata.name}.monitoring.svc.`)).toBe(true);
  });

  test('is valid against the cache section of both key schemas, for the default roles and for every role', () => {
    for (const version of VERSIONS) {
      const entry = cache.cacheConfig(version);
      expect(validateTempoSchema({ cache: { caches: [entry] } }, version.schemaVersion, 'config')).toEqual([]);
      const every = cache.cacheConfig(version, cacheRolesOf(version));
      expect(validateTempoSchema({ cache: { caches: [every] } }, version.schemaVersion, 'config')).toEqual([]);
    }
  });

  test('two caches split the roles; the validator would catch a misspelt key', () => {
    const chart = testChart('monitoring');
    const main = new TempoMemcached(chart, 'Main');
    const pages = new TempoMemcached(chart, 'Pages', { nameSuffix: 'pages', memory: Size.gibibytes(4) });
    for (const version of VERSIONS) {
      const caches = [main.cacheConfig(version), pages.cacheConfig(version, [TempoCacheRole.PARQUET_PAGE])];
      expect(cacheRoleConflicts('caches', caches)).toEqual([]);
      expect(validateTempoSchema({ cache: { caches } }, version.schemaVersion, 'config')).toEqual([]);
      expect(caches[1].memcached.host).toBe('tempo-memcached-pages.monitoring.svc.cluster.local');
      const typo = { ...caches[0], memcached: { ...caches[0].memcached, adresses: 'x' } };
      expect(validateTempoSchema({ cache: { caches: [typo] } }, version.schemaVersion, 'config').map((v) => v.path)).toEqual(['cache.caches[0].memcached.adresses']);
    }
  });

  test('client options and cluster domain', () => {
    const { cache: c } = synth({ clientTimeout: Duration.seconds(1), clientMaxIdleConnections: 64, clusterDomain: 'example.internal', namespace: 'tracing' });
    expect(c.cacheConfig(TempoVersion.V2_10_8).memcached).toMatchObject({ host: 'tempo-memcached.tracing.svc.example.internal', timeout: '1s', max_idle_conns: 64 });
  });

  test('without a namespace the short Service name is used (Tempo in the same namespace)', () => {
    expect(synth({}, null).cache.cacheConfig(TempoVersion.V2_6_1).memcached.host).toBe('tempo-memcached');
  });

  test('roles per version: the seven roles of Tempo\'s allRoles() in 2.6.x and 2.10.x', () => {
    const expected = ['bloom', 'trace-id-index', 'parquet-footer', 'parquet-column-idx', 'parquet-offset-idx', 'parquet-page', 'frontend-search'];
    for (const version of [...VERSIONS, TempoVersion.of('2.10.3'), TempoVersion.of('2.6.0')]) expect([...cacheRolesOf(version)]).toEqual(expected);
    expect([...ALL_ROLES].sort()).toEqual([...expected].sort());
    expect(DEFAULT_CACHE_ROLES).toEqual([TempoCacheRole.BLOOM, TempoCacheRole.PARQUET_FOOTER, TempoCacheRole.FRONTEND_SEARCH]);
  });

  test('a role the version lacks, a duplicate or no role fails naming the option, the value and the allowed roles', () => {
    expect(() => cache.cacheConfig(TempoVersion.V2_6_1, ['parquet-pages' as TempoCacheRole])).toThrow(
      /roles: "parquet-pages" is not a cache role of Tempo 2\.6\.1; allowed: bloom, trace-id-index, parquet-footer, parquet-column-idx, parquet-offset-idx, parquet-page, frontend-search/,
    );
    expect(() => cache.cacheConfig(TempoVersion.V2_10_8, ['none' as TempoCacheRole])).toThrow(/roles: "none" is not a cache role of Tempo 2\.10\.8; allowed: /);
    expect(() => cache.cacheConfig(TempoVersion.V2_6_1, [TempoCacheRole.BLOOM, TempoCacheRole.BLOOM])).toThrow(/roles: "bloom" is listed twice/);
    expect(() => cache.cacheConfig(TempoVersion.V2_6_1, [])).toThrow(/roles: empty; allowed: at least one of bloom/);
  });

  test('cacheRoleConflicts reports a role served by two caches (Tempo refuses to start)', () => {
    const a = cache.cacheConfig(TempoVersion.V2_6_1);
    const b = cache.cacheConfig(TempoVersion.V2_6_1, [TempoCacheRole.BLOOM, TempoCacheRole.PARQUET_PAGE]);
    expect(cacheRoleConflicts('cache', [a, b])).toEqual(['cache[1]: role "bloom" is already served by cache[0]; allowed: each role in one cache only']);
  });

  test('pure data: each call returns a fresh, equal object', () => {
    const a = cache.cacheConfig(TempoVersion.V2_6_1);
    const b = cache.cacheConfig(TempoVersion.V2_6_1);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a.roles).not.toBe(DEFAULT_CACHE_ROLES);
  });
});

describe('TempoMemcached bad input fails at construction, naming the option, the value and what is allowed', () => {
  const cases: Array<[string, TempoMemcachedProps, RegExp]> = [
    ['upper-case instance', { instanceName: 'Tempo' }, /instanceName: "Tempo" is invalid; allowed: a DNS label/],
    ['bad suffix', { nameSuffix: 'Pages_' }, /nameSuffix: "Pages_" is invalid; allowed: lower-case letters/],
    ['name too long', { instanceName: 'a'.repeat(45) }, /instanceName\/nameSuffix: "a{45}-memcached" is 55 characters; allowed: at most 52/],
    ['bad namespace', { namespace: 'Monitoring' }, /namespace: "Monitoring" is invalid; allowed: a DNS label/],
    ['bad cluster domain', { clusterDomain: 'cluster local' }, /clusterDomain: "cluster local" is invalid/],
    ['no replicas', { replicas: 0 }, /replicas: 0 is invalid; allowed: an integer >= 1/],
    ['memory too small', { memory: Size.mebibytes(16) }, /memory: 16Mi is invalid; allowed: a whole number of mebibytes, at least 64Mi/],
    ['memory not whole MiB', { memory: Size.kibibytes(100_000) }, /memory: 100000Ki is invalid; allowed: a whole number of mebibytes/],
    ['item size below the slab chunk', { maxItemSize: Size.kibibytes(100) }, /maxItemSize: 100Ki is invalid; allowed: a multiple of 512Ki from 512Ki to 512Mi/],
    ['item size not a slab chunk multiple', { maxItemSize: Size.kibibytes(768) }, /maxItemSize: 768Ki is invalid; allowed: a multiple of 512Ki/],
    ['item size above half the memory', { memory: Size.mebibytes(64), maxItemSize: Size.mebibytes(40) }, /maxItemSize: 40Mi is invalid; allowed: a multiple of 512Ki from 512Ki to 32Mi \(at most half of memory and 1Gi\)/],
    ['connection limit 0', { connectionLimit: 0 }, /connectionLimit: 0 is invalid; allowed: an integer from 1 to 1048576/],
    ['memory limit not above the cache memory', { resources: { memory: { limit: Size.mebibytes(512) } } }, /resources\.memory\.limit: 512Mi is not above memory \(1Gi\)/],
    ['request above limit', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } } }, /resources\.cpu: request 2 is above limit 1/],
    ['extra arg overriding -m', { extraArgs: ['-m', '64'] }, /extraArgs: "-m" sets -m, which the library manages/],
    ['extra arg overriding --conn-limit', { extraArgs: ['--conn-limit=10'] }, /extraArgs: "--conn-limit=10" sets --conn-limit/],
    ['zero client timeout', { clientTimeout: Duration.millis(0) }, /clientTimeout: .* is invalid; allowed: a positive whole number of milliseconds/],
    ['zero idle connections', { clientMaxIdleConnections: 0 }, /clientMaxIdleConnections: 0 is invalid; allowed: an integer >= 1/],
    ['bad node selector', { nodeSelector: { 'bad key!': 'x' } }, /nodeSelector: key "bad key!" is invalid/],
  ];
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('all problems are reported at once, under the construct name', () => {
    expect(() => synth({ replicas: 0, connectionLimit: 0 })).toThrow(/TempoMemcached "tempo-memcached":\n {2}replicas: 0 .*\n {2}connectionLimit: 0/);
  });
});
