/**
 * instrument(): one line points an application's OpenTelemetry SDK at a Tempo instance and opens the
 * instance's NetworkPolicy to that application's pods.
 */
import { App, Chart, Testing } from 'cdk8s';
import { Deployment, k8s } from 'cdk8s-plus-28';
import { instrument, NetworkPeer, OtlpProtocol, TempoDistributed, TempoMonolithic, TempoReceiver } from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { connectionAllowed, pod } from './support/network-policy';
import { find, Manifest, minioStorage } from './support/synth';

type Env = { name: string; value?: string; valueFrom?: any };

function setup(tempoProps: Record<string, unknown> = {}, monolithic = false) {
  const app = Testing.app();
  const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const props = { storage: minioStorage(), networkPolicy: { ingestFrom: [] }, ...tempoProps };
  const tempo = monolithic ? new TempoMonolithic(monitoring, 'Tempo', props as any) : new TempoDistributed(monitoring, 'Tempo', props as any);
  const synth = () => [...Testing.synth(monitoring), ...Testing.synth(shop)] as Manifest[];
  return { app, shop, tempo, synth };
}

function plusCheckout(shop: Chart): Deployment {
  return new Deployment(shop, 'Checkout', {
    metadata: { name: 'checkout' },
    containers: [{ name: 'app', image: 'shop/checkout:1.0', securityContext: { ensureNonRoot: false } }],
  });
}

const envOf = (m: Manifest, container = 0): Env[] => m.spec.template.spec.containers[container].env;
const valueOf = (env: Env[], name: string) => env.find((e) => e.name === name)?.value;

describe('instrument() on a cdk8s-plus Deployment, Tempo in another namespace', () => {
  const { shop, tempo, synth } = setup();
  const workload = plusCheckout(shop);
  const policy = instrument(workload, { instance: tempo, serviceName: 'checkout', resourceAttributes: { 'deployment.environment': 'prod' } });
  const manifests = synth();
  const env = envOf(find(manifests, 'Deployment', 'checkout'));

  test('the SDK variables point at the distributor by its namespaced Service name', () => {
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://tempo-distributor.monitoring.svc:4317');
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('grpc');
    expect(valueOf(env, 'OTEL_SERVICE_NAME')).toBe('checkout');
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_HEADERS')).toBeUndefined();
  });

  test('resource attributes come from the downward API, defined before they are referenced', () => {
    expect(valueOf(env, 'OTEL_RESOURCE_ATTRIBUTES')).toBe('k8s.namespace.name=$(OTEL_K8S_NAMESPACE),k8s.pod.name=$(OTEL_K8S_POD_NAME),k8s.node.name=$(OTEL_K8S_NODE_NAME),deployment.environment=prod');
    const names = env.map((e) => e.name);
    for (const ref of ['OTEL_K8S_NAMESPACE', 'OTEL_K8S_POD_NAME', 'OTEL_K8S_NODE_NAME']) {
      expect(names.indexOf(ref)).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
    }
    expect(env.find((e) => e.name === 'OTEL_K8S_POD_NAME')!.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });

  test('the instance\'s NetworkPolicy opens its receiver port to exactly this workload', () => {
    expect(policy?.name).toBe('tempo-ingest-from-checkout');
    const checkoutPod = pod('shop', find(manifests, 'Deployment', 'checkout').spec.template.metadata.labels);
    const distributorPod = pod('monitoring', find(manifests, 'Deployment', 'tempo-distributor').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, checkoutPod, distributorPod, 4317)).toBe(true);
    expect(connectionAllowed(manifests, checkoutPod, distributorPod, 3200)).toBe(false);
    expect(connectionAllowed(manifests, pod('shop', { app: 'other' }), distributorPod, 4317)).toBe(false);
  });

  test('every object passes Kubernetes validation', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('instrument() on an L1 KubeDeployment', () => {
  const { shop, tempo, synth } = setup({ receivers: [TempoReceiver.otlpHttp()], networkPolicy: { enabled: false } });
  const workload = new k8s.KubeDeployment(shop, 'Billing', {
    metadata: { name: 'billing' },
    spec: {
      selector: { matchLabels: { app: 'billing' } },
      template: {
        metadata: { labels: { app: 'billing' } },
        spec: { containers: [{ name: 'app', image: 'shop/billing:1.0', env: [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'OTEL_SERVICE_NAME', value: 'old' }] }, { name: 'proxy', image: 'envoy:1' }] },
      },
    },
  });
  const policy = instrument(workload, { instance: tempo, serviceName: 'billing', containers: ['app'] });
  const manifests = synth();
  const billing = find(manifests, 'Deployment', 'billing');

  test('HTTP is chosen when the instance receives only OTLP HTTP; the user\'s other variables stay', () => {
    const env = envOf(billing);
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://tempo-distributor.monitoring.svc:4318');
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_PROTOCOL')).toBe('http/protobuf');
    expect(valueOf(env, 'LOG_LEVEL')).toBe('debug');
    expect(env.filter((e) => e.name === 'OTEL_SERVICE_NAME')).toEqual([{ name: 'OTEL_SERVICE_NAME', value: 'billing' }]);
  });

  test('only the named containers are instrumented, and no policy is made when the instance has none', () => {
    expect(billing.spec.template.spec.containers[1].env).toBeUndefined();
    expect(policy).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe('instrument() and tenants', () => {
  test('a multi-tenant instance without gateway needs a tenant, sent as X-Scope-OrgID', () => {
    const { shop, tempo, synth } = setup({ multitenancy: true });
    const workload = plusCheckout(shop);
    expect(() => instrument(workload, { instance: tempo, serviceName: 'checkout' })).toThrow(/tenant: required because Tempo "tempo" is multi-tenant/);
    instrument(workload, { instance: tempo, serviceName: 'checkout', tenant: 'shop' });
    expect(valueOf(envOf(find(synth(), 'Deployment', 'checkout')), 'OTEL_EXPORTER_OTLP_HEADERS')).toBe('X-Scope-OrgID=shop');
  });

  test('a single-tenant instance refuses a tenant', () => {
    const { shop, tempo } = setup();
    expect(() => instrument(plusCheckout(shop), { instance: tempo, serviceName: 'checkout', tenant: 'shop' })).toThrow(/tenant: "shop" is set but Tempo "tempo" is single-tenant/);
  });

  test('through a gateway with basic auth: the gateway endpoint, credentials from a Secret, tenant from the user', () => {
    const { shop, tempo, synth } = setup({ multitenancy: true, gateway: { basicAuth: { secretName: 'htpasswd' } } });
    const workload = plusCheckout(shop);
    expect(() => instrument(workload, { instance: tempo, serviceName: 'checkout' })).toThrow(/credentials: required because the gateway of Tempo "tempo" asks for basic auth/);
    expect(() => instrument(workload, { instance: tempo, serviceName: 'checkout', tenant: 'x', credentials: { secretName: 's', key: 'k' } })).toThrow(/tenant: the gateway of Tempo "tempo" takes the tenant from the basic-auth user/);
    instrument(workload, { instance: tempo, serviceName: 'checkout', credentials: { secretName: 'checkout-tempo', key: 'token' } });
    const manifests = synth();
    const env = envOf(find(manifests, 'Deployment', 'checkout'));
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://tempo-gateway.monitoring.svc:4317');
    expect(valueOf(env, 'OTEL_EXPORTER_OTLP_HEADERS')).toBe('Authorization=Basic%20$(OTEL_TEMPO_BASIC_AUTH)');
    expect(env.find((e) => e.name === 'OTEL_TEMPO_BASIC_AUTH')!.valueFrom).toEqual({ secretKeyRef: { name: 'checkout-tempo', key: 'token' } });
    const names = env.map((e) => e.name);
    expect(names.indexOf('OTEL_TEMPO_BASIC_AUTH')).toBeLessThan(names.indexOf('OTEL_EXPORTER_OTLP_HEADERS'));
    const gatewayPod = pod('monitoring', find(manifests, 'Deployment', 'tempo-gateway').spec.template.metadata.labels);
    const checkoutPod = pod('shop', find(manifests, 'Deployment', 'checkout').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, checkoutPod, gatewayPod, 4317)).toBe(true);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

  test('OTLP HTTP through the gateway: the policy opens the pods\' port 8080, not the Service\'s 80 (found by the property suite)', () => {
    const { shop, tempo, synth } = setup({ gateway: {} });
    instrument(plusCheckout(shop), { instance: tempo, serviceName: 'checkout', protocol: OtlpProtocol.HTTP_PROTOBUF });
    const manifests = synth();
    expect(valueOf(envOf(find(manifests, 'Deployment', 'checkout')), 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://tempo-gateway.monitoring.svc:80');
    const policy = find(manifests, 'NetworkPolicy', 'tempo-ingest-from-checkout');
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const gatewayPod = pod('monitoring', find(manifests, 'Deployment', 'tempo-gateway').spec.template.metadata.labels);
    const checkoutPod = pod('shop', find(manifests, 'Deployment', 'checkout').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, checkoutPod, gatewayPod, 8080)).toBe(true);
  });

describe('instrument() errors and the single binary', () => {
  test('a protocol the instance does not receive is refused with what is offered', () => {
    const { shop, tempo } = setup({ receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.zipkin()] });
    expect(() => instrument(plusCheckout(shop), { instance: tempo, serviceName: 'c', protocol: OtlpProtocol.HTTP_PROTOBUF }))
      .toThrow(/protocol: http\/protobuf is not received by Tempo "tempo"; allowed: OtlpProtocol.GRPC/);
  });

  test('unknown containers and invalid names are refused, nothing is changed', () => {
    const { shop, tempo, synth } = setup();
    const workload = plusCheckout(shop);
    expect(() => instrument(workload, { instance: tempo, serviceName: 'a,b', containers: ['sidecar'] })).toThrow(/serviceName: "a,b" is invalid[\s\S]*containers: "sidecar" not in the pod template; allowed: app/);
    expect(envOf(find(synth(), 'Deployment', 'checkout'))).toBeUndefined();
  });

  test('a workload is instrumented once', () => {
    const { shop, tempo } = setup();
    const workload = plusCheckout(shop);
    instrument(workload, { instance: tempo, serviceName: 'checkout' });
    expect(() => instrument(workload, { instance: tempo, serviceName: 'checkout' })).toThrow(/workload: already instrumented/);
  });

  test('the single binary\'s Service is the endpoint', () => {
    const { shop, tempo, synth } = setup({ networkPolicy: { ingestFrom: [NetworkPeer.namespace('monitoring')] } }, true);
    instrument(plusCheckout(shop), { instance: tempo, serviceName: 'checkout' });
    const manifests = synth();
    expect(valueOf(envOf(find(manifests, 'Deployment', 'checkout')), 'OTEL_EXPORTER_OTLP_ENDPOINT')).toBe('http://tempo.monitoring.svc:4317');
    const server = pod('monitoring', find(manifests, 'StatefulSet', 'tempo').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, pod('shop', find(manifests, 'Deployment', 'checkout').spec.template.metadata.labels), server, 4317)).toBe(true);
  });

  test('an instance without namespace cannot be addressed from a namespaced workload', () => {
    const app = new App();
    const plain = new Chart(app, 'plain');
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const tempo = new TempoDistributed(plain, 'Tempo', { storage: minioStorage() });
    expect(() => instrument(plusCheckout(shop), { instance: tempo, serviceName: 'c' })).toThrow(/instance: Tempo "tempo" has no namespace/);
  });
});
