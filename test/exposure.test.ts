import { Testing } from 'cdk8s';
import {
  IngressController, IngressTls, NetworkPeer, TempoDistributedProps, TempoExposureProps, TempoMonolithic, TempoReceiver, TempoStorage,
} from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { connectionAllowed, Endpoint, pod } from './support/network-policy';
import { find, Manifest, synthDistributed, testChart, workloads } from './support/synth';

const HOST = 'tempo.example.com';
const NGINX = IngressController.ingressNginx();
const ingressNginx = pod('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
const stranger = pod('ingress-nginx', { 'app.kubernetes.io/name': 'something-else' });
const podOf = (manifests: Manifest[], name: string): Endpoint => {
  const w = workloads(manifests).find((m) => m.metadata.name === name)!;
  return pod(w.metadata.namespace ?? 'monitoring', w.spec.template.metadata.labels);
};
/** Ingress paths as `host path pathType -> service:port`. */
const paths = (ing: Manifest): string[] => ing.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => `${r.host} ${p.path} ${p.pathType} -> ${p.backend.service.name}:${p.backend.service.port.number}`));
const exposed = (exposure: TempoExposureProps, props: Partial<TempoDistributedProps> = {}) => synthDistributed({ exposure, ...props });

describe('Ingress without a gateway: query-frontend and distributor receivers', () => {
  const receivers = [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerThriftHttp(), TempoReceiver.zipkin(), TempoReceiver.jaegerGrpc()];
  const { manifests, tempo } = exposed({ hostnames: [HOST], ingress: { controller: NGINX, tls: IngressTls.fromSecret('tempo-cert') } },
    { receivers, networkPolicy: { ingestFrom: [NetworkPeer.namespace('shop')] } });

  test('HTTP paths: query API by prefix, each HTTP receiver by its exact path, on the derived Services and ports', () => {
    const http = find(manifests, 'Ingress', 'tempo-http');
    expect(http.spec.ingressClassName).toBe('nginx');
    expect(paths(http)).toEqual([
      `${HOST} /api Prefix -> tempo-query-frontend:3200`,
      `${HOST} /v1/traces Exact -> tempo-distributor:4318`,
      `${HOST} /api/traces Exact -> tempo-distributor:14268`,
      `${HOST} /api/v2/spans Exact -> tempo-distributor:9411`,
    ]);
    expect(http.spec.tls).toEqual([{ hosts: [HOST], secretName: 'tempo-cert' }]);
    expect(http.metadata.annotations).toBeUndefined();
  });

  test('gRPC on a second Ingress with the controller\'s backend-protocol annotation (Jaeger gRPC is not routed)', () => {
    const grpc = find(manifests, 'Ingress', 'tempo-grpc');
    expect(grpc.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' });
    expect(paths(grpc)).toEqual([
      `${HOST} /tempopb.StreamingQuerier ImplementationSpecific -> tempo-query-frontend:3200`,
      `${HOST} /opentelemetry.proto.collector.trace.v1.TraceService ImplementationSpecific -> tempo-distributor:4317`,
    ]);
    expect(tempo.exposure!.routes.map((r) => r.what)).not.toContain('the jaeger-grpc receiver');
  });

  test('every backend is a Service the instance emits, with that port', () => {
    for (const ing of manifests.filter((m) => m.kind === 'Ingress')) {
      for (const p of ing.spec.rules.flatMap((r: any) => r.http.paths)) {
        const svc = find(manifests, 'Service', p.backend.service.name);
        expect(svc.spec.ports.map((sp: any) => sp.port)).toContain(p.backend.service.port.number);
      }
    }
  });

  test('NetworkPolicies open exactly the exposed ports to the controller\'s pods', () => {
    const distributor = podOf(manifests, 'tempo-distributor');
    const frontend = podOf(manifests, 'tempo-query-frontend');
    for (const port of [4317, 4318, 14268, 9411]) expect(connectionAllowed(manifests, ingressNginx, distributor, port)).toBe(true);
    expect(connectionAllowed(manifests, ingressNginx, frontend, 3200)).toBe(true);
    // not exposed: Jaeger gRPC, the query-frontend's gRPC, other pods of the controller's namespace (senders: only `shop`)
    expect(connectionAllowed(manifests, ingressNginx, distributor, 14250)).toBe(false);
    expect(connectionAllowed(manifests, ingressNginx, frontend, 9095)).toBe(false);
    expect(connectionAllowed(manifests, stranger, frontend, 3200)).toBe(false);
    const ingest = find(manifests, 'NetworkPolicy', 'tempo-ingest');
    expect(ingest.spec.ingress[1]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } } }],
      ports: [4317, 4318, 9411, 14268].map((port) => ({ port, protocol: 'TCP' })),
    });
  });

  test('valid Kubernetes 1.28 objects', () => {
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('Ingress with the gateway: every route goes to the gateway', () => {
  const { manifests } = exposed({ hostnames: [HOST, '*.tempo.example.org'], ingress: { controller: NGINX, tls: IngressTls.certManager({ clusterIssuer: 'letsencrypt' }) } }, { gateway: {} });

  test('HTTP paths on the gateway Service port 80, gRPC on 80 (streaming) and 4317 (OTLP)', () => {
    expect(paths(find(manifests, 'Ingress', 'tempo-http')).filter((p) => p.startsWith(HOST))).toEqual([
      `${HOST} /api Prefix -> tempo-gateway:80`,
      `${HOST} /v1/traces Exact -> tempo-gateway:80`,
      `${HOST} /otlp/v1/traces Exact -> tempo-gateway:80`,
    ]);
    expect(paths(find(manifests, 'Ingress', 'tempo-grpc')).filter((p) => p.startsWith(HOST))).toEqual([
      `${HOST} /tempopb.StreamingQuerier ImplementationSpecific -> tempo-gateway:80`,
      `${HOST} /opentelemetry.proto.collector.trace.v1.TraceService ImplementationSpecific -> tempo-gateway:4317`,
    ]);
  });

  test('cert-manager: the issuer annotation on one Ingress only (one Certificate per Secret), the derived Secret on both', () => {
    const http = find(manifests, 'Ingress', 'tempo-http');
    const grpc = find(manifests, 'Ingress', 'tempo-grpc');
    expect(http.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(grpc.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' });
    expect(http.spec.tls).toEqual([{ hosts: [HOST, '*.tempo.example.org'], secretName: 'tempo-ingress-tls' }]);
    expect(grpc.spec.tls).toEqual([{ hosts: [HOST, '*.tempo.example.org'], secretName: 'tempo-ingress-tls' }]);
    expect(http.spec.rules.map((r: any) => r.host)).toEqual([HOST, '*.tempo.example.org']);
  });

  test('only the gateway\'s listeners are opened to the controller, not the query-frontend or distributor', () => {
    const gateway = podOf(manifests, 'tempo-gateway');
    expect(connectionAllowed(manifests, ingressNginx, gateway, 8080)).toBe(true);
    expect(connectionAllowed(manifests, ingressNginx, gateway, 4317)).toBe(true);
    // the default `ingestFrom` (any pod in the cluster) reaches the distributor anyway; the query-frontend stays closed
    expect(connectionAllowed(manifests, ingressNginx, podOf(manifests, 'tempo-query-frontend'), 3200)).toBe(false);
    expect(find(manifests, 'NetworkPolicy', 'tempo-query').spec.ingress).toHaveLength(1);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('Gateway API routes', () => {
  const gatewayApi = { parentRef: { name: 'public', namespace: 'gateways', sectionName: 'https' }, grpcParentRef: { name: 'public', namespace: 'gateways', sectionName: 'grpc' } };

  test('HTTPRoute and GRPCRoute with parentRefs, hostnames, matches and backends; valid against the CRDs in crds/', () => {
    const { manifests } = exposed({ hostnames: [HOST], gatewayApi });
    const http = find(manifests, 'HTTPRoute', 'tempo-http');
    expect(http.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(http.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(http.spec.hostnames).toEqual([HOST]);
    expect(http.spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'tempo-query-frontend', port: 3200 }] },
      { matches: [{ path: { type: 'Exact', value: '/v1/traces' } }], backendRefs: [{ name: 'tempo-distributor', port: 4318 }] },
    ]);
    const grpc = find(manifests, 'GRPCRoute', 'tempo-grpc');
    expect(grpc.spec.parentRefs[0].sectionName).toBe('grpc');
    expect(grpc.spec.rules).toEqual([
      { matches: [{ method: { type: 'Exact', service: 'tempopb.StreamingQuerier' } }], backendRefs: [{ name: 'tempo-query-frontend', port: 3200 }] },
      { matches: [{ method: { type: 'Exact', service: 'opentelemetry.proto.collector.trace.v1.TraceService' } }], backendRefs: [{ name: 'tempo-distributor', port: 4317 }] },
    ]);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('the default peer is the GEP-1762 gateway-name label in the Gateway\'s namespace; a given peer replaces it', () => {
    const proxy = pod('gateways', { 'gateway.networking.k8s.io/gateway-name': 'public' });
    const { manifests } = exposed({ hostnames: [HOST], gatewayApi });
    expect(connectionAllowed(manifests, proxy, podOf(manifests, 'tempo-query-frontend'), 3200)).toBe(true);
    const envoy = pod('envoy-gateway-system', { 'gateway.envoyproxy.io/owning-gateway-name': 'public' });
    const custom = exposed({ hostnames: [HOST], gatewayApi: { ...gatewayApi, peer: NetworkPeer.pods({ 'gateway.envoyproxy.io/owning-gateway-name': 'public' }, 'envoy-gateway-system') } }).manifests;
    expect(connectionAllowed(custom, envoy, podOf(custom, 'tempo-query-frontend'), 3200)).toBe(true);
    expect(connectionAllowed(custom, proxy, podOf(custom, 'tempo-query-frontend'), 3200)).toBe(false);
  });

  test('query only: no ingestion route, no OTLP gRPC, and the distributor gains no rule', () => {
    const { manifests } = exposed({ hostnames: [HOST], gatewayApi, ingest: false });
    expect(find(manifests, 'HTTPRoute', 'tempo-http').spec.rules.map((r: any) => r.matches[0].path.value)).toEqual(['/api']);
    expect(find(manifests, 'GRPCRoute', 'tempo-grpc').spec.rules.map((r: any) => r.matches[0].method.service)).toEqual(['tempopb.StreamingQuerier']);
    expect(find(manifests, 'NetworkPolicy', 'tempo-ingest').spec.ingress).toHaveLength(1);
  });

  test('the single binary: routes to its own Service (named by serviceName)', () => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', {
      storage: TempoStorage.local(), serviceName: 'traces',
      exposure: { hostnames: [HOST], grpcHostnames: [`grpc.${HOST}`], gatewayApi: { parentRef: { name: 'public' } }, grpc: true },
    });
    const manifests = Testing.synth(chart) as Manifest[];
    const http = find(manifests, 'HTTPRoute', 'tempo-http');
    expect(http.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(http.spec.rules.map((r: any) => r.backendRefs[0])).toEqual([{ name: 'traces', port: 3200 }, { name: 'traces', port: 4318 }]);
    expect(find(manifests, 'GRPCRoute', 'tempo-grpc').spec.hostnames).toEqual([`grpc.${HOST}`]);
    const binary = pod('tracing', find(manifests, 'StatefulSet', 'tempo').spec.template.metadata.labels);
    expect(connectionAllowed(manifests, pod('tracing', { 'gateway.networking.k8s.io/gateway-name': 'public' }), binary, 4317)).toBe(true);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });
});

describe('identity', () => {
  test('object names are <instance>-http, <instance>-grpc and the cert-manager Secret <instance>-ingress-tls', () => {
    const { manifests } = exposed({ hostnames: [HOST], ingress: { controller: NGINX, tls: IngressTls.certManager({ issuer: 'ca' }) } }, { name: 'traces' });
    expect(manifests.filter((m) => m.kind === 'Ingress').map((m) => m.metadata.name)).toEqual(['traces-http', 'traces-grpc']);
    expect(find(manifests, 'Ingress', 'traces-http').spec.tls[0].secretName).toBe('traces-ingress-tls');
    expect(find(manifests, 'Ingress', 'traces-http').metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'ca' });
  });

  test('without exposure nothing changes: no Ingress or route, and the policies have no extra rule', () => {
    const { manifests } = synthDistributed({});
    expect(manifests.filter((m) => /Ingress|Route/.test(m.kind))).toEqual([]);
    expect(find(manifests, 'NetworkPolicy', 'tempo-query').spec.ingress).toHaveLength(1);
  });
});

describe('bad input fails the synth with the option path', () => {
  const generic = IngressController.of({ className: 'traefik', peer: NetworkPeer.pods({ 'app.kubernetes.io/name': 'traefik' }, 'traefik') });
  test.each<[string, TempoExposureProps, RegExp, Partial<TempoDistributedProps>]>([
    ['host name with upper case', { hostnames: ['Tempo.example.com'], ingress: { controller: NGINX, tls: IngressTls.fromSecret('c') } }, /exposure\.hostnames\[0\]: "Tempo\.example\.com" is not a valid host name; allowed: a lower-case DNS name/, {}],
    ['wildcard not in front', { hostnames: ['tempo.*.example.com'], ingress: { controller: NGINX, tls: IngressTls.fromSecret('c') } }, /exposure\.hostnames\[0\]: "tempo\.\*\.example\.com" is not a valid host name.*optionally starting with '\*\.'/, {}],
    ['IP address', { hostnames: ['10.0.0.1'], ingress: { controller: NGINX, tls: IngressTls.fromSecret('c') } }, /exposure\.hostnames\[0\]: "10\.0\.0\.1".*no IP address/, {}],
    ['no host names', { hostnames: [], ingress: { controller: NGINX } }, /exposure\.hostnames: \[\] is invalid; allowed: one or more DNS names/, {}],
    ['duplicate host', { hostnames: [HOST, HOST], ingress: { controller: NGINX, tls: IngressTls.fromSecret('c') } }, /exposure\.hostnames: "tempo\.example\.com" is listed twice/, {}],
    ['both kinds', { hostnames: [HOST], ingress: { controller: NGINX }, gatewayApi: { parentRef: { name: 'g' } } }, /exposure: both ingress and gatewayApi are set; allowed: exactly one of them/, {}],
    ['neither kind', { hostnames: [HOST] }, /exposure: neither ingress nor gatewayApi is set/, {}],
    ['invalid TLS Secret name', { hostnames: [HOST], ingress: { controller: NGINX, tls: IngressTls.fromSecret('Bad_Secret') } }, /exposure\.ingress\.tls: "Bad_Secret" is not a valid Secret name/, {}],
    ['cert-manager with both issuers', { hostnames: [HOST], ingress: { controller: NGINX, tls: IngressTls.certManager({ issuer: 'a', clusterIssuer: 'b' }) } }, /exposure\.ingress\.tls: IngressTls\.certManager needs exactly one of clusterIssuer and issuer/, {}],
    ['gRPC through ingress-nginx without TLS', { hostnames: [HOST], ingress: { controller: NGINX } }, /exposure\.ingress\.tls: required for gRPC through ingress-nginx.*TraceQL streaming, the otlp-grpc receiver.*or exposure\.grpc: false/, {}],
    ['gRPC through a controller without declared gRPC support', { hostnames: [HOST], ingress: { controller: generic } }, /exposure\.ingress\.controller: IngressClass traefik has no gRPC support declared, but TraceQL streaming and the otlp-grpc receiver need a gRPC route/, {}],
    ['annotation the library owns', { hostnames: [HOST], grpc: false, ingress: { controller: NGINX, annotations: { 'cert-manager.io/cluster-issuer': 'x' } } }, /exposure\.ingress\.annotations: cert-manager\.io\/cluster-issuer is set by the library/, {}],
    ['HTTPRoute and GRPCRoute on one listener with one host', { hostnames: ['*.example.com'], gatewayApi: { parentRef: { name: 'public', sectionName: 'https' } }, grpcHostnames: [HOST] }, /exposure\.grpcHostnames: the HTTPRoute and the GRPCRoute would share listener and host name \*\.example\.com \/ tempo\.example\.com.*allowed: grpcHostnames other than hostnames.*or gatewayApi\.grpcParentRef on another listener/, {}],
    ['invalid Gateway name', { hostnames: [HOST], grpc: false, gatewayApi: { parentRef: { name: 'Public' } } }, /exposure\.gatewayApi\.parentRef\.name: "Public" is not a valid Gateway name/, {}],
    ['nothing exposed', { hostnames: [HOST], query: false, ingest: false, gatewayApi: { parentRef: { name: 'g' } } }, /exposure: query and ingest are both false, so nothing is exposed/, {}],
    ['no routable receiver', { hostnames: [HOST], gatewayApi: { parentRef: { name: 'g' } } }, /exposure\.ingest: no enabled receiver can be routed \(jaeger-grpc\); allowed: OTLP HTTP, Jaeger Thrift HTTP, Zipkin or OTLP gRPC receivers/, { receivers: [TempoReceiver.jaegerGrpc()] }],
    ['only OTLP gRPC with grpc: false', { hostnames: [HOST], grpc: false, gatewayApi: { parentRef: { name: 'g' } } }, /exposure\.ingest: no enabled receiver can be routed \(otlp-grpc\) with grpc: false/, { receivers: [TempoReceiver.otlpGrpc()] }],
    ['grpc: true with nothing over gRPC', { hostnames: [HOST], grpc: true, query: false, gatewayApi: { parentRef: { name: 'g' } } }, /exposure\.grpc: true, but nothing is served over gRPC/, { receivers: [TempoReceiver.otlpHttp()] }],
    ['gateway without its OTLP gRPC listener and no HTTP receiver', { hostnames: [HOST], gatewayApi: { parentRef: { name: 'g' } }, grpcHostnames: ['g.example.com'] }, /exposure\.ingest: no enabled receiver can be routed \(otlp-grpc\) by the gateway/, { receivers: [TempoReceiver.otlpGrpc()], gateway: { otlpGrpcListener: false } }],
  ])('%s', (_name, exposure, message, props) => {
    expect(() => exposed(exposure, props)).toThrow(message);
  });

  test('the ingress-nginx preset names its own option', () => {
    expect(() => IngressController.ingressNginx({ namespace: 'Ingress_Nginx' })).toThrow(/IngressController\.ingressNginx namespace: "Ingress_Nginx" is not a valid namespace/);
  });

  test('every problem of the pass is reported together', () => {
    expect(() => exposed({ hostnames: ['A'], ingress: { controller: NGINX, tls: IngressTls.fromSecret('B') } }))
      .toThrow(/exposure\.hostnames\[0\][\s\S]*exposure\.ingress\.tls: "B"/);
  });
});
