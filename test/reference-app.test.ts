import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoDistributedChart, synthReferenceApp } from '../main';
import { TempoVersion, validateTempoSchema } from '../lib';
import { TempoSchemaVersion } from '../lib/config/schema-validation';
import { validateK8sDirectory, validateK8sManifests } from './support/k8s-validation';
import { Manifest } from './support/synth';

const REPO = path.resolve(__dirname, '..');

/** Every file below a folder, relative path → content. */
function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function manifestsOf(tree: Map<string, string>): Manifest[] {
  return [...tree.values()].flatMap((text) => yaml.loadAll(text) as Manifest[]);
}

/** Checks every tempo.yaml / overrides.yaml in the ConfigMaps against the schema of the image version beside it. */
function tempoSchemaViolations(manifests: Manifest[]): string[] {
  // Tempo's own containers (not e.g. the Kafka or MinIO of a development chart)
  const tags = new Set(manifests.flatMap((m) => (m.spec?.template?.spec?.containers ?? []).map((c: any) => String(c.image)))
    .filter((image) => /(^|\/)grafana\/tempo:/.test(image)).map((image) => image.split(':').pop()!));
  expect(tags.size).toBe(1);
  const schema = TempoVersion.of([...tags][0]).schemaVersion as TempoSchemaVersion;
  const problems: string[] = [];
  let checked = 0;
  for (const cm of manifests.filter((m) => m.kind === 'ConfigMap')) {
    for (const [key, kind] of [['tempo.yaml', 'config'], ['overrides.yaml', 'overrides']] as const) {
      if (!cm.data?.[key]) continue;
      checked++;
      for (const v of validateTempoSchema(yaml.load(cm.data[key]), schema, kind)) problems.push(`${cm.metadata.name}/${key}: ${v.path}: ${v.message}`);
    }
  }
  expect(checked).toBeGreaterThanOrEqual(2);
  return problems;
}

describe('reference deployments (main.ts)', () => {
  const first = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-ref-a-'));
  const second = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-ref-b-'));
  synthReferenceApp(first);
  synthReferenceApp(second);
  const tree = readTree(first);
  const manifests = manifestsOf(tree);
  afterAll(() => [first, second].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('output is one folder per chart and one file per resource', () => {
    expect([...tree.keys()].every((f) => /^[a-z0-9-]+\/[A-Za-z]+\.[a-z0-9.-]+\.k8s\.yaml$/.test(f))).toBe(true);
    expect(new Set([...tree.keys()].map((f) => f.split('/')[0]))).toEqual(new Set(['tempo-distributed', 'tempo-monolithic', 'tempo-production', 'shop-checkout', 'tempo-v3', 'tempo-tls', 'argocd']));
    for (const text of tree.values()) expect(yaml.loadAll(text)).toHaveLength(1);
  });

  test('the instrumented app sends to the production gateway with its tenant credentials, and only its pods are let in', () => {
    const app = yaml.load(tree.get('shop-checkout/Deployment.checkout.k8s.yaml')!) as any;
    const env = Object.fromEntries(app.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://tempo-gateway.tracing-prod.svc:4317');
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
    expect(env.OTEL_SERVICE_NAME).toBe('checkout');
    expect(env.OTEL_TEMPO_BASIC_AUTH).toEqual({ secretKeyRef: { name: 'checkout-tempo-credentials', key: 'basicAuth' } });
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).toBe('Authorization=Basic%20$(OTEL_TEMPO_BASIC_AUTH)');
    const policy = yaml.load(tree.get('shop-checkout/NetworkPolicy.tempo-ingest-from-checkout.k8s.yaml')!) as any;
    expect(policy.metadata.namespace).toBe('tracing-prod');
    expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('gateway');
    expect(policy.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } }],
      ports: [{ port: 4317, protocol: 'TCP' }],
    }]);
  });

  test('synthesis is deterministic: two runs give identical bytes', () => {
    expect(readTree(second)).toEqual(tree);
  });

  test('the committed dist/ is current (regenerate with `npm run synth`)', () => {
    const committed = readTree(path.join(REPO, 'dist'));
    expect([...committed.keys()].sort()).toEqual([...tree.keys()].sort());
    for (const [file, text] of tree) expect({ file, text: committed.get(file) }).toEqual({ file, text });
  });

  test('every object passes Kubernetes 1.28 schema validation', () => {
    const result = validateK8sDirectory(first);
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(manifests.length);
  });

  test.each(['tempo-distributed', 'tempo-monolithic', 'tempo-production', 'tempo-v3', 'tempo-tls'])('every tempo.yaml and overrides.yaml in %s passes the key schema of its Tempo version', (folder) => {
    const inFolder = new Map([...tree].filter(([file]) => file.startsWith(`${folder}/`)));
    expect(tempoSchemaViolations(manifestsOf(inFolder))).toEqual([]);
  });

  test('seed 001: namespace monitoring, MinIO bucket, receivers, 30 days, generator settings', () => {
    const seed001 = manifestsOf(new Map([...tree].filter(([file]) => file.startsWith('tempo-distributed/'))));
    expect(seed001.every((m) => m.metadata.namespace === 'monitoring')).toBe(true);
    const cfg = yaml.load(seed001.find((m) => m.metadata.name === 'tempo-config')!.data['tempo.yaml']) as any;
    expect(cfg.storage.trace.s3).toMatchObject({ bucket: 'tempo-traces', endpoint: 'minio:9000', insecure: true });
    expect(Object.keys(cfg.distributor.receivers).sort()).toEqual(['jaeger', 'otlp', 'zipkin']);
    expect(cfg.compactor.compaction.block_retention).toBe('720h');
    expect(cfg.metrics_generator.processor.span_metrics).toEqual({
      dimensions: ['http.method', 'http.status_code', 'service.version'],
      histogram_buckets: [0.1, 0.5, 1, 2.5, 5, 10],
    });
    const envs = seed001.filter((m) => m.kind === 'Deployment').flatMap((m) => m.spec.template.spec.containers[0].env);
    expect(envs).toContainEqual({ name: 'TEMPO_S3_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { key: 'rootPassword', name: 'minio-credentials' } } });
  });

  test('seed 000: single binary -target=all, Service tempo on 3200/4317/4318/6831 UDP, 5Gi local-path, 24h', () => {
    const seed000 = manifestsOf(new Map([...tree].filter(([file]) => file.startsWith('tempo-monolithic/'))));
    expect(seed000.every((m) => m.metadata.namespace === 'tracing')).toBe(true);
    const sts = seed000.find((m) => m.kind === 'StatefulSet')!;
    expect(sts.spec.template.spec.containers[0].args[0]).toBe('-target=all');
    expect(sts.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'local-path', resources: { requests: { storage: '5Gi' } } });
    const svc = seed000.find((m) => m.kind === 'Service' && m.metadata.name === 'tempo')!;
    expect(svc.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['3200/TCP', '4317/TCP', '4318/TCP', '6831/UDP']);
    const cfg = yaml.load(seed000.find((m) => m.metadata.name === 'tempo-config')!.data['tempo.yaml']) as any;
    expect(cfg.compactor.compaction.block_retention).toBe('24h');
    expect(cfg.storage.trace).toEqual({ backend: 'local', local: { path: '/var/tempo/traces' }, wal: { path: '/var/tempo/wal' } });
    expect(cfg.multitenancy_enabled).toBe(false);
  });

  test("no credential from the seed appears anywhere in the output", () => {
    for (const text of tree.values()) expect(text).not.toMatch(/minioadmin/);
  });
});

describe('the reference deployment on Tempo 2.10.8', () => {
  const app = Testing.app();
  const chart = new TempoDistributedChart(app, 'tempo-distributed', {}, TempoVersion.V2_10_8);
  const manifests = Testing.synth(chart) as Manifest[];

  test('runs the 2.10.8 image', () => {
    expect(chart.tempo.version).toBe(TempoVersion.V2_10_8);
    expect(manifests.find((m) => m.kind === 'StatefulSet')!.spec.template.spec.containers[0].image).toBe('grafana/tempo:2.10.8');
  });

  test('passes Kubernetes schema validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('tempo.yaml passes the 2.10.8 key schema', () => {
    expect(tempoSchemaViolations(manifests)).toEqual([]);
  });
});
