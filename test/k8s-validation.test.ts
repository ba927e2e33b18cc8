/**
 * Tests of the Kubernetes validation harness itself (test/support/k8s-validation.ts), on objects built
 * by hand: every deliberate mistake must be caught with its path, and valid objects must pass.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { validateK8sDirectory, validateK8sManifests } from './support/k8s-validation';

type Json = Record<string, any>;

const LABELS = { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/component': 'distributor' };

function deployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'tempo-distributor', namespace: 'tracing', labels: { ...LABELS } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...LABELS } },
      template: {
        metadata: { labels: { ...LABELS, 'app.kubernetes.io/version': '2.6.0' } },
        spec: {
          containers: [
            {
              name: 'distributor',
              image: 'grafana/tempo:2.6.0',
              args: ['-target=distributor', '-config.file=/conf/tempo.yaml'],
              ports: [
                { name: 'http', containerPort: 3200 },
                { name: 'otlp-grpc', containerPort: 4317 },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              volumeMounts: [{ name: 'config', mountPath: '/conf' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'tempo-config' } }],
        },
      },
    },
  };
}

function service(): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'tempo-distributor', namespace: 'tracing' },
    spec: {
      selector: { ...LABELS },
      ports: [
        { name: 'http', port: 3200, targetPort: 'http' },
        { name: 'otlp-grpc', port: 4317, targetPort: 'otlp-grpc' },
      ],
    },
  };
}

function configMap(): Json {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'tempo-config', namespace: 'tracing' },
    data: { 'tempo.yaml': 'server:\n  http_listen_port: 3200\n' },
  };
}

function statefulSet(): Json {
  const labels = { 'app.kubernetes.io/name': 'tempo', 'app.kubernetes.io/component': 'ingester' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'tempo-ingester', namespace: 'tracing' },
    spec: {
      serviceName: 'tempo-ingester',
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'ingester',
              image: 'grafana/tempo:2.6.0',
              volumeMounts: [
                { name: 'data', mountPath: '/var/tempo' },
                { name: 'config', mountPath: '/conf' },
              ],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'tempo-config' } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        },
      ],
    },
  };
}

/** Validates one object; returns its errors. */
function errorsOf(obj: unknown): string[] {
  return validateK8sManifests([obj]).errors;
}

describe('validateK8sManifests', () => {
  test('valid Deployment, Service, ConfigMap and StatefulSet with volumeClaimTemplates pass', () => {
    const result = validateK8sManifests([deployment(), service(), configMap(), statefulSet()]);
    expect(result).toEqual({ checked: 4, errors: [] });
  });

  test('the other supported kinds pass when valid', () => {
    const result = validateK8sManifests([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tempo', namespace: 'tracing' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tempo-s3', namespace: 'tracing' }, stringData: { 'access-key': 'x' } },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'migrate' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:1' }] } } },
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'tempo-ingester' },
        spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/component': 'ingester' } } },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'tempo-distributor' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tempo-distributor' },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'tempo' },
        spec: { podSelector: { matchLabels: { app: 'tempo' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 3200, protocol: 'TCP' }] }] },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'tempo' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'tempo' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tempo' },
        subjects: [{ kind: 'ServiceAccount', name: 'tempo', namespace: 'tracing' }],
      },
      // custom resources: basic apiVersion/kind/metadata check only for now
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'tempo' }, spec: { endpoints: [{ port: 'http' }] } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'tempo' }, spec: {} },
      { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDatasource', metadata: { name: 'tempo' }, spec: {} },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(13);
  });

  test('a wrong type fails (containerPort as a string)', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = '3200';
    expect(errorsOf(d)).toEqual([
      'Deployment/tempo-distributor: spec.template.spec.containers[0].ports[0].containerPort: must be integer (got string "3200")',
    ]);
  });

  test('a missing required field fails', () => {
    const d = deployment();
    delete d.spec.selector;
    expect(errorsOf(d)).toContain('Deployment/tempo-distributor: spec.selector: required field is missing');
  });

  test('unknown fields fail with their path', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].foo = 'bar';
    d.spec.selectorr = d.spec.selector;
    const errors = errorsOf(d);
    expect(errors).toContain('Deployment/tempo-distributor: spec.template.spec.containers[0].foo: unknown field "foo"');
    expect(errors).toContain('Deployment/tempo-distributor: spec.selectorr: unknown field "selectorr"');
    expect(errors).toHaveLength(2);
  });

  test('fields that only later Kubernetes versions know fail (target is 1.28)', () => {
    const s = service();
    s.spec.trafficDistribution = 'PreferClose'; // Kubernetes 1.30+
    const errors = errorsOf(s);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Service\/tempo-distributor: spec\.trafficDistribution: unknown field "trafficDistribution": not in the Kubernetes 1\.28 API/);
  });

  test('free-form maps (labels, annotations, data, resources) are not flagged as unknown fields', () => {
    const d = deployment();
    d.metadata.annotations = { 'example.com/anything': 'x' };
    d.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
    expect(errorsOf(d)).toEqual([]);
  });

  test('a selector that does not match the template labels fails', () => {
    const d = deployment();
    d.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'prod';
    expect(errorsOf(d)).toEqual([
      'Deployment/tempo-distributor: spec.template.metadata.labels: `selector` does not match template `labels` (spec.selector.matchLabels must be a subset of spec.template.metadata.labels)',
    ]);
  });

  test.each([
    ['uppercase', 'Tempo'],
    ['underscore', 'tempo_distributor'],
    ['leading dash', '-tempo'],
    ['254 characters', 'x'.repeat(254)],
  ])('an invalid name (%s) fails', (_what, name) => {
    const c = configMap();
    c.metadata.name = name;
    const errors = errorsOf(c);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(': metadata.name: ');
    expect(errors[0]).toContain('must be a DNS-1123 subdomain');
  });

  test('Service and Namespace names must be DNS labels', () => {
    const s = service();
    s.metadata.name = '3200-tempo'; // DNS-1035: must start with a letter
    expect(errorsOf(s)[0]).toMatch(/^Service\/3200-tempo: metadata\.name: .*DNS-1035 label/);
    expect(errorsOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing.prod' } })[0]).toMatch(/DNS-1123 label/);
  });

  test('invalid label keys and values fail', () => {
    const c = configMap();
    c.metadata.labels = { 'a/b/c': 'x', 'ok': 'ends-with-dash-' };
    expect(errorsOf(c)).toEqual([
      'ConfigMap/tempo-config: metadata.labels["a/b/c"]: invalid label key: must have at most one \'/\'',
      expect.stringMatching(/^ConfigMap\/tempo-config: metadata\.labels\.ok: invalid label value "ends-with-dash-"/),
    ]);
  });

  test('a volumeMount without a volume fails', () => {
    const d = deployment();
    d.spec.template.spec.volumes = [];
    expect(errorsOf(d)).toEqual([
      'Deployment/tempo-distributor: spec.template.spec.containers[0].volumeMounts[0].name: volume "config" is not declared in spec.template.spec.volumes',
    ]);
    const s = statefulSet();
    s.spec.volumeClaimTemplates[0].metadata.name = 'storage';
    expect(errorsOf(s)).toEqual([
      'StatefulSet/tempo-ingester: spec.template.spec.containers[0].volumeMounts[0].name: volume "data" is not declared in spec.template.spec.volumes or spec.volumeClaimTemplates',
    ]);
  });

  test('requests greater than limits fail (quantities are compared, not strings)', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources = {
      requests: { cpu: '1500m', memory: '1025Mi' },
      limits: { cpu: '1.5', memory: '1Gi' },
    };
    expect(errorsOf(d)).toEqual([
      'Deployment/tempo-distributor: spec.template.spec.containers[0].resources.requests.memory: request "1025Mi" must be less than or equal to the memory limit "1Gi"',
    ]);
  });

  test('container port names must be IANA_SVC_NAMEs, unique in the pod', () => {
    const d = deployment();
    const ports = d.spec.template.spec.containers[0].ports;
    ports[1].name = 'otlp-grpc-receiver'; // 18 characters
    ports.push({ name: 'http', containerPort: 8080 });
    const errors = errorsOf(d);
    expect(errors).toContainEqual(expect.stringMatching(/containers\[0\]\.ports\[1\]\.name: port name "otlp-grpc-receiver" must be an IANA_SVC_NAME/));
    expect(errors).toContainEqual(expect.stringMatching(/containers\[0\]\.ports\[2\]\.name: duplicate port name "http"/));
    // the Service's named targetPort no longer exists in the selected pods
    expect(validateK8sManifests([d, service()]).errors).toContainEqual(
      'Service/tempo-distributor: spec.ports[1].targetPort: no container port named "otlp-grpc" in the selected pod templates (Deployment/tempo-distributor)',
    );
  });

  test.each([
    ['an unknown kind', 'example.com/v1', 'Widget'],
    ['an API removed before 1.28', 'policy/v1beta1', 'PodDisruptionBudget'],
    ['a misspelt kind', 'apps/v1', 'Deploymnet'],
  ])('%s fails', (_what, apiVersion, kind) => {
    expect(errorsOf({ apiVersion, kind, metadata: { name: 'x' }, spec: {} })).toEqual([
      expect.stringMatching(new RegExp(`^${kind}/x: \\(root\\): apiVersion "${apiVersion}" kind "${kind}" is not served by Kubernetes 1\\.28`)),
    ]);
  });

  test('every problem is reported as "<Kind>/<name>: <path>: <message>"', () => {
    const d = deployment();
    d.spec.replicas = -1;
    d.spec.template.spec.containers[0].resources.limits.cpu = '1 core';
    const { checked, errors } = validateK8sManifests([d, 'not an object']);
    expect(checked).toBe(2);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const e of errors) expect(e).toMatch(/^[^/\s]+\/[^:\s]+: \S+: .+/);
  });
});

describe('real cdk8s synth output', () => {
  test('cdk8s-plus-28 Deployment, Service, ConfigMap and a k8s.KubeStatefulSet pass', () => {
    const chart = Testing.chart();
    const config = new kplus.ConfigMap(chart, 'config', { data: { 'tempo.yaml': 'server:\n  http_listen_port: 3200\n' } });
    const deploy = new kplus.Deployment(chart, 'tempo', {
      replicas: 2,
      containers: [
        {
          image: 'grafana/tempo:2.6.0',
          ports: [{ name: 'http', number: 3200 }],
          volumeMounts: [{ path: '/conf', volume: kplus.Volume.fromConfigMap(chart, 'config-volume', config) }],
        },
      ],
    });
    deploy.exposeViaService({ ports: [{ port: 3200, targetPort: 3200 }] });
    new k8s.KubeStatefulSet(chart, 'ingester', {
      spec: {
        serviceName: 'ingester',
        selector: { matchLabels: { app: 'ingester' } },
        template: {
          metadata: { labels: { app: 'ingester' } },
          spec: {
            containers: [{
              name: 'ingester',
              image: 'grafana/tempo:2.6.0',
              resources: { requests: { memory: k8s.Quantity.fromString('1Gi') }, limits: { memory: k8s.Quantity.fromString('2Gi') } },
              volumeMounts: [{ name: 'data', mountPath: '/var/tempo' }],
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('10Gi') } } },
        }],
      },
    });
    const manifests = Testing.synth(chart);
    const result = validateK8sManifests(manifests);
    expect(result.errors).toEqual([]);
    expect(result.checked).toBe(manifests.length);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Service', 'StatefulSet']);
  });
});

describe('validateK8sDirectory', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-k8s-'));
    fs.mkdirSync(path.join(dir, 'app'));
    fs.writeFileSync(path.join(dir, 'app', 'tempo.k8s.yaml'), [configMap(), deployment()].map((o) => JSON.stringify(o)).join('\n---\n'));
    fs.writeFileSync(
      path.join(dir, 'flags.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: yes\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('validates every YAML document below the directory', () => {
    const result = validateK8sDirectory(dir);
    expect(result.checked).toBe(3);
    // `yes` is a string in YAML 1.2 but a boolean for the YAML 1.1 decoder of Kubernetes
    expect(result.errors).toEqual([
      'ConfigMap/flags: data.enabled: plain scalar "yes" is read as boolean true by Kubernetes\' YAML 1.1 decoder; quote it',
    ]);
  });

  test('files of one directory form one set for the cross-object checks (one file per resource)', () => {
    const perResource = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-k8s-per-resource-'));
    try {
      const d = deployment();
      d.spec.template.spec.containers[0].ports[0].name = 'http-api';
      fs.writeFileSync(path.join(perResource, 'Deployment.tempo-distributor.k8s.yaml'), JSON.stringify(d));
      fs.writeFileSync(path.join(perResource, 'Service.tempo-distributor.k8s.yaml'), JSON.stringify(service()));
      expect(validateK8sDirectory(perResource).errors).toEqual([
        'Deployment/tempo-distributor: spec.template.spec.containers[0].readinessProbe.httpGet.port: named port "http" is not declared in this container\'s ports',
        'Service/tempo-distributor: spec.ports[0].targetPort: no container port named "http" in the selected pod templates (Deployment/tempo-distributor)',
      ]);
    } finally {
      fs.rmSync(perResource, { recursive: true, force: true });
    }
  });

  test('a directory without YAML files is an error, not a silent pass', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-k8s-empty-'));
    try {
      expect(() => validateK8sDirectory(empty)).toThrow(/no \*\.yaml/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
