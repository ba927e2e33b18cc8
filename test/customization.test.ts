import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, EnvValue } from 'cdk8s-plus-28';
import { TempoDistributed, TempoDistributedProps, TempoGateway, TempoMemcached, TempoMonolithic, TempoStorage, TempoVersion, TempoVolume } from '../lib';
import { withRegistry } from '../lib/k8s/customization';
import { podSecurityViolations } from './support/pod-security';
import { validateK8sManifests } from './support/k8s-validation';
import { find, Manifest, minioStorage, synthDistributed, testChart, workloads } from './support/synth';

const podSpec = (m: Manifest) => m.spec.template.spec;
const main = (m: Manifest) => podSpec(m).containers[0];
const images = (manifests: readonly Manifest[]) => workloads(manifests).flatMap((w) => [...podSpec(w).containers, ...podSpec(w).initContainers ?? []].map((c: any) => c.image));

/** The errors the App's validation reports (what `cdk8s synth` fails with), and whether it wrote any file. */
function synthErrors(build: (chart: Chart) => void): { message: string; written: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'customize-'));
  const app = new App({ outdir });
  build(new Chart(app, 'c', { namespace: 'monitoring' }));
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  const written = fs.readdirSync(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { message, written };
}

const distributed = (props: Partial<TempoDistributedProps>) => (chart: Chart) => new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), ...props });

describe('image registry override', () => {
  test('rewrites the registry of a reference, giving Docker Hub short names their library/ path', () => {
    expect(withRegistry('grafana/tempo:2.10.8', 'mirror.example.com/hub')).toBe('mirror.example.com/hub/grafana/tempo:2.10.8');
    expect(withRegistry('memcached:1.6.39-alpine', 'mirror.example.com')).toBe('mirror.example.com/library/memcached:1.6.39-alpine');
    expect(withRegistry('docker.io/library/busybox:1', 'm.example.com:5000/')).toBe('m.example.com:5000/library/busybox:1');
    expect(withRegistry('quay.io/prometheus/busybox:1', 'm.example.com')).toBe('m.example.com/prometheus/busybox:1');
    expect(withRegistry('localhost:5000/a/b@sha256:' + 'a'.repeat(64), 'm.example.com')).toBe(`m.example.com/a/b@sha256:${'a'.repeat(64)}`);
    expect(withRegistry('grafana/tempo:2.10.8', undefined)).toBe('grafana/tempo:2.10.8');
  });

  test('the stack-wide registry reaches every image (Tempo, memcached, gateway, exporters, extra containers); a component registry wins', () => {
    const { manifests } = synthDistributed({
      imageRegistry: 'mirror.example.com/hub',
      cache: { exporter: true },
      gateway: { exporter: true },
      querier: { imageRegistry: 'other.example.com', sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' }] },
    });
    const all = images(manifests);
    expect(all.length).toBeGreaterThan(8);
    for (const image of all.filter((i) => !i.startsWith('other.example.com/'))) expect(image).toMatch(/^mirror\.example\.com\/hub\//);
    expect(main(find(manifests, 'Deployment', 'tempo-querier')).image).toBe('other.example.com/grafana/tempo:2.10.8');
    expect(podSpec(find(manifests, 'Deployment', 'tempo-querier')).containers[1].image).toBe('other.example.com/envoyproxy/envoy:v1.31.0');
    expect(main(find(manifests, 'StatefulSet', 'tempo-memcached')).image).toBe('mirror.example.com/hub/library/memcached:1.6.39-alpine');
  });

  test('an invalid registry is refused with its option path', () => {
    expect(() => synthDistributed({ imageRegistry: 'https://mirror' })).toThrow(/imageRegistry: "https:\/\/mirror" is invalid; allowed: a registry host/);
    const { message } = synthErrors(distributed({ querier: { imageRegistry: 'Bad Registry' } }));
    expect(message).toMatch(/querier\.imageRegistry: "Bad Registry" is invalid/);
  });
});

describe('image pull secrets', () => {
  test('stack-wide and per component, each name once, on Tempo, memcached and gateway pods', () => {
    const { manifests } = synthDistributed({ imagePullSecrets: ['mirror-pull'], querier: { imagePullSecrets: ['querier-pull', 'mirror-pull'] }, cache: {}, gateway: {} });
    expect(podSpec(find(manifests, 'Deployment', 'tempo-querier')).imagePullSecrets).toEqual([{ name: 'mirror-pull' }, { name: 'querier-pull' }]);
    for (const w of workloads(manifests).filter((m) => m.metadata.name !== 'tempo-querier')) expect(podSpec(w).imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  test('invalid Secret names are refused: stack-wide at construction, per component and by mutators at synth', () => {
    expect(() => synthDistributed({ imagePullSecrets: ['Pull_Secret'] })).toThrow(/imagePullSecrets\[0\]: "Pull_Secret" is not a valid Secret name/);
    const { message, written } = synthErrors((chart) => {
      const tempo = distributed({ distributor: { imagePullSecrets: ['UPPER'] } })(chart);
      tempo.querier.addImagePullSecret('-bad');
    });
    expect(message).toMatch(/distributor\.imagePullSecrets\[0\]: "UPPER" is not a valid Secret name/);
    expect(message).toMatch(/querier\.addImagePullSecret\(\): "-bad" is not a valid Secret name/);
    expect(written).toEqual([]);
  });
});

describe('envFrom, env and volumes of the main container', () => {
  const ca = TempoVolume.fromConfigMap('ca-bundle', 'corporate-ca');
  const { manifests, tempo } = (() => {
    const chart = Testing.chart();
    const t = new TempoDistributed(chart, 'Tempo', {
      storage: minioStorage(),
      querier: { envFrom: [{ secret: 'querier-extra', prefix: 'X_' }], volumes: [{ volume: ca, mountPath: '/etc/ssl/corporate' }] },
    });
    // Mutators after construction feed the same model, rendered at synth.
    t.querier.addEnv('GOMEMLIMIT', EnvValue.fromValue('1GiB'));
    t.querier.addEnvFrom({ configMap: 'querier-settings', optional: true });
    t.querier.addVolume(TempoVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(1) }), '/scratch');
    t.querier.addVolume(TempoVolume.fromClaim('shared', 'shared-claim'), '/shared', { readOnly: true });
    t.querier.addVolume(ca, '/etc/ssl/certs/corporate.pem', { subPath: 'ca.pem' });
    return { manifests: Testing.synth(chart) as Manifest[], tempo: t };
  })();
  const querier = find(manifests, 'Deployment', 'tempo-querier');

  test('envFrom in order, the user variable wins over the library one and keeps the sorted order', () => {
    expect(main(querier).envFrom).toEqual([{ prefix: 'X_', secretRef: { name: 'querier-extra' } }, { configMapRef: { name: 'querier-settings', optional: true } }]);
    const env = main(querier).env.map((e: any) => e.name);
    expect(env).toEqual([...env].sort());
    expect(main(querier).env.filter((e: any) => e.name === 'GOMEMLIMIT')).toEqual([{ name: 'GOMEMLIMIT', value: '1GiB' }]);
  });

  test('volumes added once, mounted where asked, Secret/ConfigMap read-only by default, after the library mounts', () => {
    expect(podSpec(querier).volumes.slice(-3)).toEqual([
      { name: 'ca-bundle', configMap: { name: 'corporate-ca' } },
      { name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } },
      { name: 'shared', persistentVolumeClaim: { claimName: 'shared-claim' } },
    ]);
    expect(main(querier).volumeMounts.slice(-4)).toEqual([
      { name: 'ca-bundle', mountPath: '/etc/ssl/corporate', readOnly: true },
      { name: 'scratch', mountPath: '/scratch' },
      { name: 'shared', mountPath: '/shared', readOnly: true },
      { name: 'ca-bundle', mountPath: '/etc/ssl/certs/corporate.pem', subPath: 'ca.pem', readOnly: true },
    ]);
    expect(main(querier).volumeMounts[0]).toEqual({ name: 'config', mountPath: '/conf', readOnly: true });
    expect(tempo.distributor).toBeDefined();
  });

  test('other components are untouched; the output passes the Kubernetes 1.28 checks and restricted Pod Security', () => {
    expect(main(find(manifests, 'Deployment', 'tempo-distributor')).envFrom).toBeUndefined();
    expect(manifests.flatMap(podSecurityViolations)).toEqual([]);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('refusals: overlapping the library mounts, library volume names, two volumes of one name, hostPath, bad envFrom', () => {
    const { message } = synthErrors((chart) => {
      const tempo = distributed({
        ingester: { volumes: [{ volume: TempoVolume.emptyDir('wal'), mountPath: '/var/tempo/wal' }] },
        querier: {
          volumes: [{ volume: TempoVolume.emptyDir('config'), mountPath: '/etc/x' }, { volume: TempoVolume.emptyDir('a'), mountPath: 'relative' }],
          envFrom: [{ secret: 's', configMap: 'c' }, { configMap: 'Bad_Name' }],
        },
      })(chart);
      tempo.querier.addVolume(TempoVolume.emptyDir('b'), '/conf');
      tempo.querier.addVolume(TempoVolume.fromSecret('twice', 's1'), '/one');
      tempo.querier.addVolume(TempoVolume.fromSecret('twice', 's2'), '/two');
      tempo.queryFrontend.addVolume({ name: 'host', source: { hostPath: { path: '/' } } } as unknown as TempoVolume, '/host');
      tempo.queryFrontend.addVolume(TempoVolume.emptyDir('dup'), '/d');
      tempo.queryFrontend.addVolume(TempoVolume.emptyDir('dup2'), '/d/');
    });
    expect(message).toMatch(/ingester\.volumes\[0\]\.mountPath: "\/var\/tempo\/wal" overlaps the library's mount \/var\/tempo; allowed: a path outside \/conf, \/runtime-config, \/var\/tempo, \/tmp/);
    expect(message).toMatch(/querier\.volumes\[0\]\.volume\.name: "config" is a volume of the library/);
    expect(message).toMatch(/querier\.volumes\[1\]\.mountPath: "relative" is invalid; allowed: an absolute path/);
    expect(message).toMatch(/querier\.envFrom\[0\]: .* allowed: exactly one of configMap, secret/);
    expect(message).toMatch(/querier\.envFrom\[1\]\.configMap: "Bad_Name" is not a valid ConfigMap name/);
    expect(message).toMatch(/querier\.addVolume\(\)\.mountPath: "\/conf" overlaps the library's mount \/conf/);
    expect(message).toMatch(/querier\.addVolume\(\)\.volume\.name: "twice" is also a different volume at querier\.addVolume\(\)/);
    expect(message).toMatch(/queryFrontend\.addVolume\(\)\.volume: .* allowed: TempoVolume\.fromSecret\(\), fromConfigMap\(\), emptyDir\(\) or fromClaim\(\) \(no hostPath\)/);
    expect(message).toMatch(/queryFrontend\.addVolume\(\)\.mountPath: "\/d\/" is already mounted by queryFrontend\.addVolume\(\)/);
  });
});

describe('init containers and sidecars', () => {
  const { manifests } = synthDistributed({
    cache: {},
    gateway: {},
    distributor: {
      initContainers: [{ name: 'wait', image: 'busybox:1.37', command: ['sh', '-c', 'true'], resources: { cpu: { request: Cpu.millis(10) } } }],
      sidecars: [{
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.31.0',
        ports: [{ name: 'proxy', containerPort: 8443 }],
        env: { B: EnvValue.fromValue('2'), A: EnvValue.fromValue('1') },
        securityContext: { user: 101, writableRootFilesystem: true, addCapabilities: ['NET_BIND_SERVICE'] },
        volumeMounts: [{ volume: TempoVolume.fromSecret('envoy-tls', 'envoy-tls', { items: { 'tls.crt': 'cert.pem' }, defaultMode: 0o440 }), mountPath: '/etc/envoy/tls' }],
      }],
    },
  });

  test('the restricted security context is filled in; the user may pick a user, a writable root, NET_BIND_SERVICE', () => {
    const d = find(manifests, 'Deployment', 'tempo-distributor');
    const [init] = podSpec(d).initContainers;
    expect(init).toMatchObject({ name: 'wait', image: 'busybox:1.37', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '10m' } } });
    expect(init.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    const proxy = podSpec(d).containers[1];
    expect(proxy.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(proxy.securityContext).toMatchObject({ runAsUser: 101, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    expect(proxy.volumeMounts).toEqual([{ name: 'envoy-tls', mountPath: '/etc/envoy/tls', readOnly: true }]);
    expect(podSpec(d).volumes).toContainEqual({ name: 'envoy-tls', secret: { secretName: 'envoy-tls', items: [{ key: 'tls.crt', path: 'cert.pem' }], defaultMode: 0o440 } });
    expect(manifests.flatMap(podSecurityViolations)).toEqual([]);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('memcached and gateway take the same mutators', () => {
    const chart = testChart('monitoring');
    const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), cache: {}, gateway: {} });
    tempo.memcached!.addSidecar({ name: 'log', image: 'busybox:1.37', args: ['sleep', 'infinity'] });
    tempo.gateway!.addEnv('NGINX_ENTRYPOINT_QUIET_LOGS', EnvValue.fromValue('1'));
    tempo.gateway!.addVolume(TempoVolume.fromSecret('tls', 'gateway-tls'), '/etc/nginx/tls');
    const out = Testing.synth(chart) as Manifest[];
    expect(podSpec(find(out, 'StatefulSet', 'tempo-memcached')).containers.map((c: any) => c.name)).toEqual(['memcached', 'log']);
    const nginx = main(find(out, 'Deployment', 'tempo-gateway'));
    expect(nginx.env).toEqual([{ name: 'NGINX_ENTRYPOINT_QUIET_LOGS', value: '1' }]);
    expect(nginx.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/nginx/tls', readOnly: true });
  });

  test('settings that break restricted Pod Security and name collisions are refused, naming the option', () => {
    const { message, written } = synthErrors((chart) => {
      const tempo = distributed({
        cache: {},
        gateway: {},
        querier: {
          sidecars: [
            { name: 'querier', image: 'busybox:1' },
            { name: 'root', image: 'busybox:1', securityContext: { user: 0, privileged: true, allowPrivilegeEscalation: true, addCapabilities: ['SYS_ADMIN'] } },
            { name: 'raw', image: 'busybox:1', securityContext: { runAsUser: 0 } } as never,
            { name: 'port', image: 'busybox:1', ports: [{ name: 'http', containerPort: 8080 }] },
          ],
        },
      })(chart);
      tempo.memcached!.addInitContainer({ name: 'Bad', image: 'Busybox:1' });
      tempo.gateway!.addSidecar({ name: 'nginx', image: 'busybox:1' });
    });
    expect(message).toMatch(/querier\.sidecars\[0\]\.name: "querier" is already a container of the library/);
    expect(message).toMatch(/querier\.sidecars\[1\]\.securityContext\.privileged: true breaks restricted Pod Security; allowed: false/);
    expect(message).toMatch(/querier\.sidecars\[1\]\.securityContext\.allowPrivilegeEscalation: true breaks/);
    expect(message).toMatch(/querier\.sidecars\[1\]\.securityContext\.user: 0 is invalid .*allowed: a non-zero user id/);
    expect(message).toMatch(/querier\.sidecars\[1\]\.securityContext\.addCapabilities: SYS_ADMIN breaks restricted Pod Security; allowed: only NET_BIND_SERVICE/);
    expect(message).toMatch(/querier\.sidecars\[2\]\.securityContext\.runAsUser: not an option/);
    expect(message).toMatch(/querier\.sidecars\[3\]\.ports\[0\]\.name: "http" is already a port of the library/);
    expect(message).toMatch(/cache\.addInitContainer\(\)\.name: "Bad" is invalid/);
    expect(message).toMatch(/cache\.addInitContainer\(\)\.image: "Busybox:1" is not a valid image reference/);
    expect(message).toMatch(/gateway\.addSidecar\(\)\.name: "nginx" is already a container of the library/);
    expect(written).toEqual([]);
  });

  test('a standalone TempoMemcached and TempoGateway check their own customization', () => {
    const { message } = synthErrors((chart) => {
      new TempoMemcached(chart, 'Cache', { volumes: [{ volume: TempoVolume.emptyDir('x'), mountPath: '/data' }], service: { type: 'LoadBalancer' } });
      const gw = new TempoGateway(chart, 'Gateway', { distributorServiceName: 'd', queryFrontendServiceName: 'q' });
      gw.addVolume(TempoVolume.emptyDir('y'), '/etc/nginx/gateway/extra');
    });
    expect(message).toMatch(/service\.type: "LoadBalancer" is set on a headless Service/);
    expect(message).toMatch(/gateway\.addVolume\(\)\.mountPath: "\/etc\/nginx\/gateway\/extra" overlaps the library's mount \/etc\/nginx\/gateway\b/);
  });
});

describe('Services', () => {
  test('type, annotations and appProtocol on a client Service', () => {
    const { manifests } = synthDistributed({
      queryFrontend: { service: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }, appProtocols: { grpc: 'kubernetes.io/h2c' } } },
      gateway: { service: { type: 'NodePort', appProtocols: { http: 'http' } } },
      ingester: { service: { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } } },
    });
    const qf = find(manifests, 'Service', 'tempo-query-frontend');
    expect(qf.spec.type).toBe('LoadBalancer');
    expect(qf.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' });
    expect(qf.spec.ports.find((p: any) => p.name === 'grpc').appProtocol).toBe('kubernetes.io/h2c');
    expect(qf.spec.ports.find((p: any) => p.name === 'http').appProtocol).toBeUndefined();
    expect(find(manifests, 'Service', 'tempo-query-frontend-discovery').spec.type).toBeUndefined();
    expect(find(manifests, 'Service', 'tempo-gateway').spec.type).toBe('NodePort');
    expect(find(manifests, 'Service', 'tempo-ingester').metadata.annotations).toEqual({ 'service.kubernetes.io/topology-mode': 'Auto' });
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('a type on a headless Service, an unknown port, trafficDistribution (not in Kubernetes 1.28) are refused', () => {
    const { message } = synthErrors(distributed({
      ingester: { service: { type: 'LoadBalancer' } },
      querier: { service: { type: 'ExternalName' as never, appProtocols: { nope: 'http', http: 'not valid' } } },
      distributor: { service: { trafficDistribution: 'PreferClose' } as never },
    }));
    expect(message).toMatch(/ingester\.service\.type: "LoadBalancer" is set on a headless Service .*allowed: leave it out/);
    expect(message).toMatch(/querier\.service\.type: "ExternalName" is invalid; allowed: ClusterIP, NodePort, LoadBalancer/);
    expect(message).toMatch(/querier\.service\.appProtocols\.nope: the Service has no port "nope"; allowed: http, grpc/);
    expect(message).toMatch(/querier\.service\.appProtocols\.http: "not valid" is invalid/);
    expect(message).toMatch(/distributor\.service\.trafficDistribution: the Kubernetes 1\.28 API .*topology-mode/);
  });
});

describe('ServiceAccount', () => {
  test('name and annotations, merged with the storage identity; the pods use the name', () => {
    const { manifests } = synthDistributed({
      storage: TempoStorage.s3({ bucket: 'tempo-traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo' }),
      serviceAccount: { name: 'tempo-traces', annotations: { 'example.com/owner': 'platform' } },
    });
    const sa = find(manifests, 'ServiceAccount', 'tempo-traces');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/tempo', 'example.com/owner': 'platform' });
    for (const w of workloads(manifests)) expect(podSpec(w).serviceAccountName).toBe('tempo-traces');
  });

  test('the storage identity annotation is set through the storage, not here; names are checked', () => {
    expect(() => synthDistributed({ serviceAccount: { name: 'Tempo', annotations: { 'eks.amazonaws.com/role-arn': 'arn' } } })).toThrow(
      /serviceAccount\.name: "Tempo" is not a valid ServiceAccount name[\s\S]*serviceAccount\.annotations: "eks\.amazonaws\.com\/role-arn" is the storage's cloud identity.*TempoStorage\.s3\(\{ iamRoleArn \}\)/,
    );
  });

  test('a ServiceAccount name taken by another object is reported with the option', () => {
    const { message } = synthErrors((chart) => {
      distributed({ serviceAccount: { name: 'shared' } })(chart);
      new TempoMonolithic(chart, 'Mono', { name: 'shared', storage: TempoStorage.local() });
    });
    expect(message).toMatch(/two objects are ServiceAccount "shared".*\(name from serviceAccount\.name\)/);
  });
});

describe('HPA behavior', () => {
  test('rendered into the autoscaler', () => {
    const { manifests } = synthDistributed({
      querier: {
        autoscaling: {
          minReplicas: 2,
          maxReplicas: 10,
          behavior: {
            scaleUp: { policies: [{ type: 'Pods', value: 4, period: Duration.minutes(1) }] },
            scaleDown: { stabilizationWindow: Duration.minutes(10), selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, period: Duration.minutes(5) }] },
          },
        },
      },
    });
    expect(find(manifests, 'HorizontalPodAutoscaler', 'tempo-querier').spec.behavior).toEqual({
      scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 300 }] },
    });
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('invalid rules are refused with their path', () => {
    expect(() => synthDistributed({
      querier: {
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 3,
          behavior: { scaleDown: { stabilizationWindow: Duration.hours(2), selectPolicy: 'Avg' as never, policies: [{ type: 'Pods', value: 0, period: Duration.hours(1) }] } },
        },
      },
    })).toThrow(/querier\.autoscaling\.behavior\.scaleDown\.stabilizationWindow: 2h is invalid; allowed: 0 to 1 hour[\s\S]*selectPolicy: "Avg" is invalid[\s\S]*policies\[0\]\.value: 0 is invalid[\s\S]*policies\[0\]\.period: 1h is invalid; allowed: 1 second to 30 minutes/);
  });
});

test('the single binary takes the same options and mutators (errors name `server`)', () => {
  const chart = Testing.chart();
  const tempo = new TempoMonolithic(chart, 'Tempo', {
    storage: TempoStorage.local(),
    version: TempoVersion.DEFAULT,
    imageRegistry: 'mirror.example.com',
    volumes: [{ volume: TempoVolume.fromConfigMap('ca', 'ca'), mountPath: '/etc/ssl/extra' }],
  });
  tempo.server.addImagePullSecret('pull');
  const sts = find(Testing.synth(chart) as Manifest[], 'StatefulSet', 'tempo');
  expect(main(sts).image).toBe('mirror.example.com/grafana/tempo:2.10.8');
  expect(podSpec(sts).imagePullSecrets).toEqual([{ name: 'pull' }]);
  expect(main(sts).volumeMounts).toContainEqual({ name: 'ca', mountPath: '/etc/ssl/extra', readOnly: true });
  const { message } = synthErrors((c) => new TempoMonolithic(c, 'Tempo', { storage: TempoStorage.local() }).server.addVolume(TempoVolume.emptyDir('x'), '/var/tempo'));
  expect(message).toMatch(/server\.addVolume\(\)\.mountPath: "\/var\/tempo" overlaps/);
});
