import { Duration, Size } from 'cdk8s';
import { Cpu, EnvValue } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { S3Storage, TempoStorage, TempoReceiver, TempoVersion } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { find, Manifest, selects, synthDistributed, tempoConfig, workloads } from './support/synth';

const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };
const COMPONENTS = ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'metrics-generator'];

function container(m: Manifest) {
  return m.spec.template.spec.containers[0];
}

describe('TempoDistributed: components', () => {
  const { manifests } = synthDistributed({ metricsGenerator: GENERATOR });

  test('all six components are present, each with its -target and the config file', () => {
    for (const component of COMPONENTS) {
      const w = workloads(manifests).find((m) => m.metadata.name === `tempo-${component}`)!;
      expect(w).toBeDefined();
      expect(container(w).args).toEqual([`-target=${component}`, '-config.file=/conf/tempo.yaml', '-config.expand-env=true']);
    }
    expect(workloads(manifests)).toHaveLength(6);
  });

  test('the ingester is a StatefulSet with a data volume claim template at /var/tempo, Parallel, long grace period', () => {
    const sts = find(manifests, 'StatefulSet', 'tempo-ingester');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.serviceName).toBe('tempo-ingester');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    const vct = sts.spec.volumeClaimTemplates[0];
    expect(vct.metadata.name).toBe('data');
    expect(vct.spec.resources.requests.storage).toBe('10Gi');
    expect(vct.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(container(sts).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/tempo' });
    // the claim template provides the volume: no pod volume of that name may shadow it
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(300);
    expect(find(manifests, 'Service', 'tempo-ingester').spec.clusterIP).toBe('None');
    expect(tempoConfig(manifests).ingester.lifecycler.tokens_file_path).toBe('/var/tempo/tokens.json');
  });

  test('ingester volume size and storage class are configurable', () => {
    const { manifests: m } = synthDistributed({ ingester: { storageSize: Size.gibibytes(50), storageClassName: 'fast-ssd' } });
    const vct = find(m, 'StatefulSet', 'tempo-ingester').spec.volumeClaimTemplates[0];
    expect(vct.spec.resources.requests.storage).toBe('50Gi');
    expect(vct.spec.storageClassName).toBe('fast-ssd');
  });

  test('the metrics-generator (with local-blocks) has a data volume claim and the WAL paths in the config', () => {
    const gen = find(manifests, 'StatefulSet', 'tempo-metrics-generator');
    expect(gen.spec.template.spec.volumes.find((v: any) => v.name === 'data')).toBeUndefined();
    expect(gen.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(gen.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(container(gen).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/tempo' });
    expect(tempoConfig(manifests).metrics_generator.storage.path).toBe('/var/tempo/generator/wal');
    expect(tempoConfig(manifests).metrics_generator.traces_storage.path).toBe('/var/tempo/generator/traces');
  });

  test('named ports: http 3200 and grpc 9095 everywhere, memberlist 7946 on ring members only', () => {
    for (const w of workloads(manifests)) {
      const ports = Object.fromEntries(container(w).ports.map((p: any) => [p.name, p.containerPort]));
      expect(ports.http).toBe(3200);
      expect(ports.grpc).toBe(9095);
      const ringMember = w.metadata.name !== 'tempo-query-frontend';
      expect(ports.memberlist).toBe(ringMember ? 7946 : undefined);
    }
  });

  test('readiness on /ready everywhere; liveness only where a restart helps', () => {
    const withLiveness = workloads(manifests).filter((w) => container(w).livenessProbe).map((w) => w.metadata.name).sort();
    expect(withLiveness).toEqual(['tempo-compactor', 'tempo-distributor', 'tempo-querier']);
    for (const w of workloads(manifests)) {
      expect(container(w).readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    }
  });

  test('recommended labels on every workload and pod template; selectors use only stable labels', () => {
    for (const w of workloads(manifests)) {
      const component = w.metadata.name.replace(/^tempo-/, '');
      const expected = {
        'app.kubernetes.io/name': 'tempo',
        'app.kubernetes.io/instance': 'tempo',
        'app.kubernetes.io/component': component,
        'app.kubernetes.io/part-of': 'tempo',
        'app.kubernetes.io/version': '2.10.8',
        'app.kubernetes.io/managed-by': 'cdk8s-tempo',
      };
      expect(w.metadata.labels).toEqual(expected);
      expect(w.spec.template.metadata.labels).toMatchObject(expected);
      expect(w.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/name': 'tempo',
        'app.kubernetes.io/instance': 'tempo',
        'app.kubernetes.io/component': component,
      });
      expect(JSON.stringify(w)).not.toContain('cdk8s.io/metadata.addr');
    }
  });

  test('object names are human and stable: no hash suffixes', () => {
    for (const m of manifests) expect(m.metadata.name).toMatch(/^tempo(-[a-z-]+)?$/);
  });

  test('a config change changes the checksum annotation on every pod template', () => {
    const other = synthDistributed({ metricsGenerator: GENERATOR, compactor: { retention: Duration.days(7) } }).manifests;
    for (const w of workloads(manifests)) {
      const before = w.spec.template.metadata.annotations['checksum/config'];
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      const after = find(other, w.kind, w.metadata.name).spec.template.metadata.annotations['checksum/config'];
      expect(after).not.toBe(before);
    }
  });

  test('pods meet the restricted Pod Security Standard', () => {
    for (const w of workloads(manifests)) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001,
        fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.hostNetwork).toBeUndefined();
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
          capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        });
        // every path Tempo writes is a volume, since the root filesystem is read-only
        const mounts = c.volumeMounts.map((v: any) => v.mountPath);
        expect(mounts).toEqual(expect.arrayContaining(['/var/tempo', '/tmp']));
      }
    }
  });

  test('resources are always explicit; GOMEMLIMIT follows the memory limit', () => {
    for (const w of workloads(manifests)) {
      const r = container(w).resources;
      expect(r.requests.cpu).toBeDefined();
      expect(r.requests.memory).toBeDefined();
      expect(r.limits.memory).toBeDefined();
    }
    const { manifests: m } = synthDistributed({
      querier: { resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(2) }, memory: { request: Size.gibibytes(1), limit: Size.gibibytes(4) } } },
    });
    const q = container(find(m, 'Deployment', 'tempo-querier'));
    expect(q.resources).toEqual({ requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(q.env).toContainEqual({ name: 'GOMEMLIMIT', value: '3276MiB' });
  });

  test('per-component options reach the pod: replicas, image, env, args, scheduling, labels, grace period', () => {
    const { manifests: m } = synthDistributed({
      distributor: {
        replicas: 4,
        image: 'registry.example.com/grafana/tempo:2.10.8',
        env: { GOGC: EnvValue.fromValue('50'), TOKEN: EnvValue.fromSecretValue({ secret: { name: 'tok' } as any, key: 'value' }) },
        extraArgs: ['-log.level=debug'],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'tracing', effect: 'NoSchedule' }],
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
        podLabels: { team: 'observability' },
        podAnnotations: { 'example.com/note': 'hello world' },
        terminationGracePeriod: Duration.seconds(45),
        priorityClassName: 'tracing-critical',
      },
    });
    const d = find(m, 'Deployment', 'tempo-distributor');
    const pod = d.spec.template.spec;
    expect(d.spec.replicas).toBe(4);
    expect(pod.containers[0].image).toBe('registry.example.com/grafana/tempo:2.10.8');
    expect(pod.containers[0].args).toContain('-log.level=debug');
    expect(pod.containers[0].env).toContainEqual({ name: 'GOGC', value: '50' });
    expect(pod.containers[0].env).toContainEqual({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tok', key: 'value' } } });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'tracing', effect: 'NoSchedule' }]);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
    expect(pod.priorityClassName).toBe('tracing-critical');
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(d.spec.template.metadata.labels.team).toBe('observability');
    expect(d.spec.template.metadata.annotations['example.com/note']).toBe('hello world');
    expect(d.spec.selector.matchLabels.team).toBeUndefined();
  });
});

describe('TempoDistributed: wiring', () => {
  const { manifests } = synthDistributed({ metricsGenerator: GENERATOR });
  const config = tempoConfig(manifests);

  test('memberlist join_members names the gossip Service and its port', () => {
    expect(config.memberlist.join_members).toEqual(['dns+tempo-gossip-ring:7946']);
    const svc = find(manifests, 'Service', 'tempo-gossip-ring');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(svc.spec.ports).toEqual([{ name: 'memberlist', port: 7946, targetPort: 'memberlist', protocol: 'TCP' }]);
    expect(config.memberlist.bind_port).toBe(7946);
    expect(config.memberlist.cluster_label).toBe('tempo.monitoring');
  });

  test('the gossip Service selects exactly the ring members', () => {
    const selector = find(manifests, 'Service', 'tempo-gossip-ring').spec.selector;
    const selected = workloads(manifests).filter((w) => selects(selector, w.spec.template.metadata.labels)).map((w) => w.metadata.name).sort();
    expect(selected).toEqual(['tempo-compactor', 'tempo-distributor', 'tempo-ingester', 'tempo-metrics-generator', 'tempo-querier']);
    for (const section of ['distributor', 'compactor', 'metrics_generator']) expect(config[section].ring.kvstore.store).toBe('memberlist');
    expect(config.ingester.lifecycler.ring.kvstore.store).toBe('memberlist');
  });

  test('the queriers connect to the query-frontend discovery Service on its gRPC port', () => {
    const [host, port] = config.querier.frontend_worker.frontend_address.split(':');
    const svc = find(manifests, 'Service', host);
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(svc.spec.ports.find((p: any) => p.port === Number(port)).targetPort).toBe('grpc');
    expect(selects(svc.spec.selector, find(manifests, 'Deployment', 'tempo-query-frontend').spec.template.metadata.labels)).toBe(true);
    const qf = find(manifests, 'Service', 'tempo-query-frontend');
    expect(qf.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['http', 3200], ['grpc', 9095]]);
  });

  test('every Service selects the pods of its component and targets named ports those pods declare', () => {
    for (const svc of manifests.filter((m) => m.kind === 'Service')) {
      const pods = workloads(manifests).filter((w) => selects(svc.spec.selector, w.spec.template.metadata.labels));
      expect(pods.length).toBeGreaterThan(0);
      for (const pod of pods) {
        const names = container(pod).ports.map((p: any) => p.name);
        for (const p of svc.spec.ports) expect(names).toContain(p.targetPort);
      }
    }
  });

  test('the distributor Service exposes exactly the enabled receivers (plus http and grpc)', () => {
    const { manifests: m } = synthDistributed({
      receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.jaegerThriftCompact(), TempoReceiver.zipkin({ port: 9412 })],
    });
    const svc = find(m, 'Service', 'tempo-distributor');
    expect(svc.spec.ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`)).toEqual([
      'http:3200/TCP', 'grpc:9095/TCP', 'otlp-grpc:4317/TCP', 'jaeger-compact:6831/UDP', 'zipkin:9412/TCP',
    ]);
    const receivers = tempoConfig(m).distributor.receivers;
    expect(receivers).toEqual({
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } },
      jaeger: { protocols: { thrift_compact: { endpoint: '0.0.0.0:6831' } } },
      zipkin: { endpoint: '0.0.0.0:9412' },
    });
  });

  test('every receiver binds on 0.0.0.0 explicitly', () => {
    const all = [
      TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.jaegerThriftHttp(),
      TempoReceiver.jaegerThriftCompact(), TempoReceiver.jaegerThriftBinary(), TempoReceiver.zipkin(),
    ];
    const { manifests: m } = synthDistributed({ version: TempoVersion.V2_10_8, receivers: all });
    const text = find(m, 'ConfigMap', 'tempo-config').data['tempo.yaml'];
    const endpoints = text.match(/endpoint: 0\.0\.0\.0.*/g);
    expect(endpoints).toEqual(['endpoint: 0.0.0.0:14250', 'endpoint: 0.0.0.0:6832', 'endpoint: 0.0.0.0:6831', 'endpoint: 0.0.0.0:14268',
      'endpoint: 0.0.0.0:4317', 'endpoint: 0.0.0.0:4318', 'endpoint: 0.0.0.0:9411']);
    const ports = find(m, 'Service', 'tempo-distributor').spec.ports.map((p: any) => p.port);
    expect(ports).toEqual([3200, 9095, 4317, 4318, 14250, 14268, 6831, 6832, 9411]);
  });

  test('default receivers are OTLP gRPC and HTTP', () => {
    const { manifests: m } = synthDistributed();
    expect(Object.keys(tempoConfig(m).distributor.receivers)).toEqual(['otlp']);
    expect(Object.keys(tempoConfig(m).distributor.receivers.otlp.protocols)).toEqual(['grpc', 'http']);
  });

  test('replication factor follows the ingester replicas', () => {
    expect(config.ingester.lifecycler.ring.replication_factor).toBe(3);
    expect(tempoConfig(synthDistributed({ ingester: { replicas: 1 } }).manifests).ingester.lifecycler.ring.replication_factor).toBe(1);
    expect(tempoConfig(synthDistributed({ ingester: { replicas: 5, replicationFactor: 5 } }).manifests).ingester.lifecycler.ring.replication_factor).toBe(5);
  });

  test('runtime overrides ConfigMap is mounted and referenced; generator processors enabled through overrides.defaults', () => {
    expect(config.overrides.per_tenant_override_config).toBe('/runtime-config/overrides.yaml');
    expect(config.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics', 'local-blocks']);
    const runtime = find(manifests, 'ConfigMap', 'tempo-runtime');
    expect(yaml.load(runtime.data['overrides.yaml'])).toEqual({ overrides: {} });
    for (const w of workloads(manifests)) {
      expect(w.spec.template.spec.volumes).toContainEqual({ name: 'runtime-config', configMap: { name: 'tempo-runtime' } });
      expect(container(w).volumeMounts).toContainEqual({ name: 'runtime-config', mountPath: '/runtime-config', readOnly: true });
    }
  });

  test('metrics-generator: remote write, dimensions and buckets; absent generator leaves no processors', () => {
    const { manifests: m } = synthDistributed({
      metricsGenerator: {
        ...GENERATOR,
        spanMetricsDimensions: ['http.method'],
        spanMetricsHistogramBuckets: [0.1, 1, 10],
        serviceGraphDimensions: ['http.status_code'],
        externalLabels: { cluster: 'prod' },
      },
    });
    const gen = tempoConfig(m).metrics_generator;
    expect(gen.storage.remote_write).toEqual([{ url: 'http://prometheus:9090/api/v1/write', send_exemplars: true }]);
    expect(gen.processor.span_metrics).toEqual({ dimensions: ['http.method'], histogram_buckets: [0.1, 1, 10] });
    expect(gen.processor.service_graphs).toEqual({ dimensions: ['http.status_code'] });
    expect(gen.registry.external_labels).toEqual({ cluster: 'prod' });
    const none = tempoConfig(synthDistributed().manifests);
    expect(none.metrics_generator).toBeUndefined();
    expect(none.overrides.defaults).toBeUndefined();
    expect(workloads(synthDistributed().manifests).map((w) => w.metadata.name)).not.toContain('tempo-metrics-generator');
  });

  test('retention is a Duration rendered in Go syntax', () => {
    expect(tempoConfig(synthDistributed({ compactor: { retention: Duration.days(30) } }).manifests).compactor.compaction.block_retention).toBe('720h');
    expect(tempoConfig(synthDistributed({ compactor: { retention: Duration.minutes(90) } }).manifests).compactor.compaction.block_retention).toBe('1h30m');
    expect(tempoConfig(synthDistributed().manifests).compactor.compaction.block_retention).toBe('336h');
  });

  test('instance name prefixes every object and selects only its own pods', () => {
    const { manifests: m } = synthDistributed({ name: 'traces' });
    for (const o of m) expect(o.metadata.name.startsWith('traces')).toBe(true);
    expect(tempoConfig(m, 'traces-config').memberlist.join_members).toEqual(['dns+traces-gossip-ring:7946']);
    expect(find(m, 'Service', 'traces-gossip-ring').spec.selector['app.kubernetes.io/instance']).toBe('traces');
  });

  test('without a chart namespace the cluster label is the instance name', () => {
    const { manifests: m } = synthDistributed({}, null);
    expect(tempoConfig(m).memberlist.cluster_label).toBe('tempo');
  });
});

describe('TempoDistributed: storage and credentials', () => {
  function configMapsText(m: Manifest[]): string {
    return m.filter((o) => o.kind === 'ConfigMap').map((o) => JSON.stringify(o.data)).join('\n');
  }

  test('S3 credentials come from the Secret through env vars; tempo.yaml only has placeholders', () => {
    const { manifests: m } = synthDistributed();
    const s3 = tempoConfig(m).storage.trace.s3;
    expect(s3).toEqual({
      bucket: 'tempo-traces', endpoint: 'minio:9000', insecure: true, forcepathstyle: true,
      access_key: '${TEMPO_S3_ACCESS_KEY_ID}', secret_key: '${TEMPO_S3_SECRET_ACCESS_KEY}',
    });
    expect(find(m, 'ConfigMap', 'tempo-config').data['tempo.yaml']).toContain("secret_key: '${TEMPO_S3_SECRET_ACCESS_KEY}'");
    for (const w of workloads(m)) {
      expect(container(w).args).toContain('-config.expand-env=true');
      expect(container(w).env).toEqual(expect.arrayContaining([
        { name: S3Storage.ACCESS_KEY_ENV, valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootUser' } } },
        { name: S3Storage.SECRET_KEY_ENV, valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'rootPassword' } } },
      ]));
    }
    expect(m.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('a literal $ in extra config is escaped so env expansion keeps it', () => {
    const { manifests: m } = synthDistributed({ extraConfig: { server: { log_source_ips_regex: 'te$mpo' } } });
    expect(find(m, 'ConfigMap', 'tempo-config').data['tempo.yaml']).toContain('log_source_ips_regex: te$$mpo');
  });

  test('S3 with IRSA: annotated ServiceAccount, token mounted, no static keys', () => {
    const { manifests: m } = synthDistributed({ storage: TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo' }) });
    const sa = find(m, 'ServiceAccount', 'tempo');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/tempo' });
    expect(sa.automountServiceAccountToken).toBe(true);
    expect(tempoConfig(m).storage.trace.s3).toEqual({ bucket: 'traces', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', insecure: false, forcepathstyle: false });
    for (const w of workloads(m)) {
      expect(w.spec.template.spec.serviceAccountName).toBe('tempo');
      expect(w.spec.template.spec.automountServiceAccountToken).toBe(true);
    }
  });

  test('GCS with a key file Secret: mounted read-only, GOOGLE_APPLICATION_CREDENTIALS set', () => {
    const { manifests: m } = synthDistributed({ storage: TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'gcs-key' } }) });
    expect(tempoConfig(m).storage.trace).toMatchObject({ backend: 'gcs', gcs: { bucket_name: 'traces' } });
    const c = container(find(m, 'Deployment', 'tempo-querier'));
    expect(c.env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/secrets/gcs/key.json' });
    expect(c.volumeMounts).toContainEqual({ name: 'gcs-credentials', mountPath: '/var/secrets/gcs', readOnly: true });
    expect(find(m, 'Deployment', 'tempo-querier').spec.template.spec.volumes)
      .toContainEqual({ name: 'gcs-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'key.json', path: 'key.json' }] } });
    expect(find(m, 'ServiceAccount', 'tempo').automountServiceAccountToken).toBe(false);
  });

  test('GCS with Workload Identity annotates the ServiceAccount', () => {
    const { manifests: m } = synthDistributed({ storage: TempoStorage.gcs({ bucket: 'traces', workloadIdentityServiceAccount: 'tempo@proj.iam.gserviceaccount.com' }) });
    expect(find(m, 'ServiceAccount', 'tempo').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'tempo@proj.iam.gserviceaccount.com' });
  });

  test('Azure with an account key Secret and with workload identity', () => {
    const keyed = synthDistributed({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', accountKey: { secretName: 'azure-key' } }) }).manifests;
    expect(tempoConfig(keyed).storage.trace.azure).toEqual({ container_name: 'traces', storage_account_name: 'acct', storage_account_key: '${TEMPO_AZURE_STORAGE_ACCOUNT_KEY}' });
    expect(container(find(keyed, 'Deployment', 'tempo-compactor')).env)
      .toContainEqual({ name: 'TEMPO_AZURE_STORAGE_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'azure-key', key: 'accountKey' } } });
    const wi = synthDistributed({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', workloadIdentityClientId: '00000000-0000-0000-0000-000000000000' }) }).manifests;
    expect(tempoConfig(wi).storage.trace.azure.use_federated_token).toBe(true);
    expect(find(wi, 'ServiceAccount', 'tempo').metadata.annotations).toEqual({ 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' });
    expect(find(wi, 'Deployment', 'tempo-querier').spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
  });

  test.each([
    ['s3', () => synthDistributed().manifests],
    ['azure', () => synthDistributed({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', accountKey: { secretName: 'k' } }) }).manifests],
  ])('no credential value or Secret key name leaks into a ConfigMap (%s)', (_name, build) => {
    const text = configMapsText(build());
    for (const leaked of ['minioadmin', 'rootUser', 'rootPassword', 'minio-credentials', 'accountKey']) expect(text).not.toContain(leaked);
  });
});

describe('TempoDistributed: versions', () => {
  test('default image is grafana/tempo:2.10.8 (TempoVersion.DEFAULT); 2.6.1 is selected by a typed option', () => {
    const def = synthDistributed().manifests;
    expect(TempoVersion.DEFAULT).toBe(TempoVersion.V2_10_8);
    expect(container(find(def, 'Deployment', 'tempo-querier')).image).toBe('grafana/tempo:2.10.8');
    const older = synthDistributed({ version: TempoVersion.V2_6_1, metricsGenerator: GENERATOR }).manifests;
    for (const w of workloads(older)) {
      expect(container(w).image).toBe('grafana/tempo:2.6.1');
      expect(w.metadata.labels!['app.kubernetes.io/version']).toBe('2.6.1');
    }
    expect(container(find(synthDistributed({ version: TempoVersion.of('2.10.3') }).manifests, 'Deployment', 'tempo-querier')).image).toBe('grafana/tempo:2.10.3');
  });

  test('an image override keeps the version label of the configured release', () => {
    const m = synthDistributed({ image: 'mirror.local/tempo:2.10.8' }).manifests;
    expect(container(find(m, 'Deployment', 'tempo-querier')).image).toBe('mirror.local/tempo:2.10.8');
  });
});

test('every variant passes Kubernetes schema validation', () => {
  const variants = [
    synthDistributed({ metricsGenerator: GENERATOR }),
    synthDistributed({ name: 'traces', receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.jaegerThriftCompact(), TempoReceiver.jaegerThriftBinary(), TempoReceiver.zipkin()] }, null),
    synthDistributed({ storage: TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo' }) }),
    synthDistributed({ storage: TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'gcs-key' } }) }),
    synthDistributed({ storage: TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', workloadIdentityClientId: '00000000-0000-0000-0000-000000000000' }), version: TempoVersion.V2_10_8 }),
    synthDistributed({ ingester: { replicas: 1, storageClassName: 'fast', storageSize: Size.mebibytes(1536) }, querier: { replicas: 2 } }),
  ];
  for (const { manifests } of variants) {
    const result = validateK8sManifests(manifests);
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(manifests.length);
  }
});

test('snapshot of the default TempoDistributed with a metrics-generator', () => {
  const { manifests } = synthDistributed({ metricsGenerator: GENERATOR }, 'tracing');
  expect(manifests).toMatchSnapshot();
});

test('ITempoInstance: query endpoint and metrics targets name Services that exist', () => {
  const { tempo, manifests } = synthDistributed({ metricsGenerator: GENERATOR });
  expect(tempo.namespace).toBe('monitoring');
  expect(tempo.metricsGeneratorEnabled).toBe(true);
  const qe = find(manifests, 'Service', tempo.queryEndpoint.serviceName);
  expect(qe.spec.ports).toContainEqual(expect.objectContaining({ name: tempo.queryEndpoint.portName, port: tempo.queryEndpoint.port }));
  expect(tempo.metricsTargets.map((t) => t.component)).toEqual(COMPONENTS);
  for (const t of tempo.metricsTargets) {
    expect(t.serviceNames).toHaveLength(1);
    expect(find(manifests, 'Service', t.serviceNames[0]).spec.selector).toEqual(t.selectorLabels);
  }
});
