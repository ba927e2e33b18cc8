import { Construct } from 'constructs';
import { TempoPorts } from '../config/paths';
import type { TempoReceiver } from '../config/receivers';
import type { TempoGatewayRoute } from '../gateway/gateway';
import { k8s } from '../k8s/plus';
import { labelErrors } from '../k8s/labels';
import { dnsSubdomainErrors, namespaceErrors, secretNameErrors } from '../k8s/validation';
import { TempoNames } from '../k8s/names';
import { NetworkPeer } from '../network/network-peer';
import type { PolicyPort } from '../network/tempo-network-policies';
import { IngressController, IngressTls } from './controllers';

/** A Gateway (Gateway API) the routes attach to. */
export interface GatewayParentRef {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway (its listeners must allow routes from the instance's namespace). @default the instance's namespace */
  readonly namespace?: string;
  /** Listener of the Gateway (`sectionName`). @default every listener whose hostname matches */
  readonly sectionName?: string;
}

/** Exposure through a Kubernetes Ingress (networking.k8s.io/v1). */
export interface TempoIngressOptions {
  /** The controller: IngressClass, its pods, how it routes gRPC. E.g. `IngressController.ingressNginx()`. */
  readonly controller: IngressController;
  /** TLS: an existing Secret, or cert-manager. @default none: plain HTTP (gRPC through ingress-nginx then is refused) */
  readonly tls?: IngressTls;
  /** More annotations on the Ingresses (e.g. timeouts of your controller). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Exposure through Gateway API routes (`HTTPRoute`, `GRPCRoute`, gateway.networking.k8s.io/v1) on your Gateway. */
export interface TempoGatewayApiOptions {
  /** The Gateway (and listener) of the HTTPRoute. TLS is the Gateway's listener's. */
  readonly parentRef: GatewayParentRef;
  /**
   * The Gateway (and listener) of the GRPCRoute. A Gateway accepts only one of an HTTPRoute and a GRPCRoute
   * on one listener with overlapping host names, so either this names another listener or `grpcHostnames` differ.
   * @default parentRef
   */
  readonly grpcParentRef?: GatewayParentRef;
  /**
   * The Gateway implementation's proxy pods: the NetworkPolicies open the exposed ports to them.
   * @default pods labelled `gateway.networking.k8s.io/gateway-name: <parentRef.name>` (GEP-1762, e.g. Istio) in the Gateway's namespace
   */
  readonly peer?: NetworkPeer;
}

/**
 * Exposure of an instance outside the cluster: through its gateway when it
 * has one (one HTTP port for queries and ingestion), else the query-frontend
 * (or single binary) and the distributor's HTTP receivers; gRPC (OTLP gRPC,
 * TraceQL streaming) on separate gRPC routes. Ports and Services are derived
 * from the instance. Exactly one of `ingress` and `gatewayApi`.
 */
export interface TempoExposureProps {
  /** Host names clients use (DNS names; a leading `*.` wildcard is allowed). */
  readonly hostnames: readonly string[];
  /** Host names of the gRPC routes (OTLP gRPC, TraceQL streaming). @default hostnames */
  readonly grpcHostnames?: readonly string[];
  /** A Kubernetes Ingress. @default none (then `gatewayApi`) */
  readonly ingress?: TempoIngressOptions;
  /** Gateway API routes. @default none (then `ingress`) */
  readonly gatewayApi?: TempoGatewayApiOptions;
  /** Expose the query API (`/api`, and TraceQL streaming over gRPC). @default true */
  readonly query?: boolean;
  /** Expose ingestion (the HTTP receivers, and OTLP gRPC). @default true */
  readonly ingest?: boolean;
  /** Expose the gRPC routes (OTLP gRPC, TraceQL streaming). @default true: wherever the instance serves them */
  readonly grpc?: boolean;
}

/** What an instance serves, for deriving routes (from the mode, never from the user). */
export interface ExposureTarget {
  /** The instance name. */
  readonly instanceName: string;
  /** The instance's namespace. */
  readonly namespace?: string;
  /** The gateway, when deployed: every route goes to it. */
  readonly gateway?: {
    readonly serviceName: string;
    /** Service HTTP port (80). */
    readonly httpPort: number;
    /** Pod HTTP port (8080). */
    readonly podHttpPort: number;
    /** OTLP gRPC port (Service and pod), when the listener is on. */
    readonly otlpGrpcPort?: number;
    /** Its ingestion routes. */
    readonly routes: readonly TempoGatewayRoute[];
  };
  /** Service answering queries (query-frontend or single binary), on TempoPorts.HTTP. */
  readonly queryServiceName: string;
  /** Service of the receivers (distributor or single binary). */
  readonly receiverServiceName: string;
  /** The enabled receivers. */
  readonly receivers: readonly TempoReceiver[];
}

/** One route. */
export interface ExposureRoute {
  /** `http` (Ingress path, HTTPRoute rule) or `grpc` (gRPC Ingress path, GRPCRoute rule). */
  readonly protocol: 'http' | 'grpc';
  /** HTTP: the path; gRPC: the gRPC service (`tempopb.StreamingQuerier`). */
  readonly match: string;
  /** HTTP: how the path matches. */
  readonly pathType: 'Exact' | 'Prefix';
  /** Backend Service. */
  readonly serviceName: string;
  /** Backend Service port. */
  readonly servicePort: number;
  /** Whether it serves queries or ingestion. */
  readonly side: 'query' | 'ingest';
  /** Pods reached: `gateway`, `query` (query-frontend) or `ingest` (distributor). */
  readonly pods: 'gateway' | 'query' | 'ingest';
  /** Pod port reached (for NetworkPolicies). */
  readonly podPort: number;
  /** What it serves, for messages. */
  readonly what: string;
}

/** gRPC service of TraceQL streaming. */
export const STREAMING_GRPC_SERVICE = 'tempopb.StreamingQuerier';
/** gRPC service of OTLP trace export. */
export const OTLP_GRPC_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';
/** Query API prefix of Tempo's HTTP port. */
const QUERY_PREFIX = '/api';
/** Receiver paths at the distributor (no rewriting needed; the query API has none of them as exact paths). */
const RECEIVER_PATHS: Readonly<Record<string, string>> = { 'otlp-http': '/v1/traces', 'jaeger-http': '/api/traces', 'zipkin': '/api/v2/spans' };

/** The routes an instance gets, in a fixed order (HTTP, then gRPC). */
export function exposureRoutes(t: ExposureTarget, props: TempoExposureProps): ExposureRoute[] {
  const query = props.query ?? true;
  const ingest = props.ingest ?? true;
  const grpc = props.grpc ?? true;
  const out: ExposureRoute[] = [];
  const gw = t.gateway;
  if (gw) {
    const http = { serviceName: gw.serviceName, servicePort: gw.httpPort, pods: 'gateway' as const, podPort: gw.podHttpPort };
    if (query) out.push({ protocol: 'http', match: QUERY_PREFIX, pathType: 'Prefix', ...http, side: 'query', what: 'the query API' });
    if (ingest) for (const r of gw.routes) out.push({ protocol: 'http', match: r.path, pathType: 'Exact', ...http, side: 'ingest', what: `the ${r.receiver} receiver` });
    if (grpc && query) out.push({ protocol: 'grpc', match: STREAMING_GRPC_SERVICE, pathType: 'Prefix', ...http, side: 'query', what: 'TraceQL streaming' });
    if (grpc && ingest && gw.otlpGrpcPort !== undefined) {
      out.push({ protocol: 'grpc', match: OTLP_GRPC_SERVICE, pathType: 'Prefix', serviceName: gw.serviceName, servicePort: gw.otlpGrpcPort, pods: 'gateway', podPort: gw.otlpGrpcPort, side: 'ingest', what: 'the otlp-grpc receiver' });
    }
    return out;
  }
  const q = { serviceName: t.queryServiceName, servicePort: TempoPorts.HTTP, pods: 'query' as const, podPort: TempoPorts.HTTP };
  if (query) out.push({ protocol: 'http', match: QUERY_PREFIX, pathType: 'Prefix', ...q, side: 'query', what: 'the query API' });
  const receiver = (rc: TempoReceiver) => ({ serviceName: t.receiverServiceName, servicePort: rc.port, pods: 'ingest' as const, podPort: rc.port, side: 'ingest' as const, what: `the ${rc.name} receiver` });
  if (ingest) {
    for (const rc of t.receivers) {
      const path = RECEIVER_PATHS[rc.name];
      if (path) out.push({ protocol: 'http', match: path, pathType: 'Exact', ...receiver(rc) });
    }
  }
  if (grpc && query) out.push({ protocol: 'grpc', match: STREAMING_GRPC_SERVICE, pathType: 'Prefix', ...q, side: 'query', what: 'TraceQL streaming' });
  const otlpGrpc = t.receivers.find((rc) => rc.name === 'otlp-grpc');
  if (grpc && ingest && otlpGrpc) out.push({ protocol: 'grpc', match: OTLP_GRPC_SERVICE, pathType: 'Prefix', ...receiver(otlpGrpc) });
  return out;
}

/** The pod ports the routes reach, per kind of pod, for the NetworkPolicies. */
export interface ExposurePolicy {
  /** The controller's or Gateway implementation's pods. */
  readonly peers: readonly NetworkPeer[];
  /** Gateway pod ports. */
  readonly gateway: readonly PolicyPort[];
  /** Query-frontend (or single binary) pod ports. */
  readonly query: readonly PolicyPort[];
  /** Distributor (or single binary) pod ports. */
  readonly ingest: readonly PolicyPort[];
}

/** The NetworkPolicy side of an exposure (after validation). */
export function exposurePolicy(t: ExposureTarget, props: TempoExposureProps): ExposurePolicy {
  const routes = exposureRoutes(t, props);
  const ports = (pods: ExposureRoute['pods']) => [...new Set(routes.filter((r) => r.pods === pods).map((r) => r.podPort))]
    .sort((a, b) => a - b).map((port) => ({ port, protocol: 'TCP' as const }));
  return { peers: [exposurePeer(t, props)], gateway: ports('gateway'), query: ports('query'), ingest: ports('ingest') };
}

function exposurePeer(t: ExposureTarget, props: TempoExposureProps): NetworkPeer {
  if (props.ingress) return props.ingress.controller.peer;
  const g = props.gatewayApi!;
  return g.peer ?? NetworkPeer.pods({ 'gateway.networking.k8s.io/gateway-name': g.parentRef.name }, g.parentRef.namespace ?? t.namespace);
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function hostnameErrors(option: string, hostnames: unknown): string[] {
  if (!Array.isArray(hostnames) || hostnames.length === 0) return [`${option}: ${JSON.stringify(hostnames)} is invalid; allowed: one or more DNS names (e.g. ['tempo.example.com'])`];
  const errors = hostnames.flatMap((h, i) => (typeof h === 'string' && HOSTNAME.test(h) && h.length <= 253 && !IPV4.test(h) && h.split('.').every((l) => l.length <= 63)
    ? []
    : [`${option}[${i}]: ${JSON.stringify(h)} is not a valid host name; allowed: a lower-case DNS name of at most 253 characters, optionally starting with '*.' (a wildcard for one label), no IP address`]));
  const dup = hostnames.find((h, i) => hostnames.indexOf(h) !== i);
  if (dup !== undefined) errors.push(`${option}: "${dup}" is listed twice; allowed: distinct host names`);
  return errors;
}

/** Whether two host name sets can match one request host (a `*.` wildcard matches one or more labels in Gateway API). */
function hostnamesOverlap(a: readonly string[], b: readonly string[]): string | undefined {
  const matches = (pattern: string, host: string) => pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.startsWith('*.'));
  for (const x of a) for (const y of b) if (matches(x, y) || matches(y, x) || (x.startsWith('*.') && y.startsWith('*.') && (x.endsWith(y.slice(1)) || y.endsWith(x.slice(1))))) return x === y ? x : `${x} / ${y}`;
  return undefined;
}

function parentRefErrors(option: string, p: GatewayParentRef | undefined): string[] {
  if (typeof p !== 'object' || p === null) return [`${option}: ${JSON.stringify(p)} is invalid; allowed: { name, namespace?, sectionName? } of a Gateway`];
  return [
    ...dnsSubdomainErrors(`${option}.name`, p.name ?? '', 'Gateway name'),
    ...(p.namespace === undefined ? [] : namespaceErrors(`${option}.namespace`, p.namespace)),
    ...(p.sectionName === undefined ? [] : dnsSubdomainErrors(`${option}.sectionName`, p.sectionName, 'listener name')),
  ];
}

const sameListener = (a: GatewayParentRef, b: GatewayParentRef, namespace: string | undefined) => a.name === b.name
  && (a.namespace ?? namespace) === (b.namespace ?? namespace)
  && (a.sectionName === undefined || b.sectionName === undefined || a.sectionName === b.sectionName);

/** Annotation keys the library sets itself on Ingresses. */
const CERT_MANAGER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

/** Every error of `exposure`, with its option path (`option` is `exposure`). */
export function exposureErrors(option: string, props: TempoExposureProps | undefined, t: ExposureTarget): string[] {
  if (props === undefined) return [];
  const at = (k: string) => `${option}.${k}`;
  if (typeof props !== 'object' || props === null) return [`${option}: ${JSON.stringify(props)} is invalid; allowed: { hostnames, ingress } or { hostnames, gatewayApi }`];
  const errors: string[] = [...hostnameErrors(at('hostnames'), props.hostnames)];
  if (props.grpcHostnames !== undefined) errors.push(...hostnameErrors(at('grpcHostnames'), props.grpcHostnames));
  if ((props.ingress === undefined) === (props.gatewayApi === undefined)) {
    errors.push(`${option}: ${props.ingress ? 'both ingress and gatewayApi are set' : 'neither ingress nor gatewayApi is set'}; allowed: exactly one of them`);
    return errors;
  }
  if (props.query === false && props.ingest === false) errors.push(`${option}: query and ingest are both false, so nothing is exposed; allowed: leave one of them on, or leave exposure out`);
  const routes = exposureRoutes(t, props);
  const grpcRoutes = routes.filter((r) => r.protocol === 'grpc');
  if (props.ingest !== false && !routes.some((r) => r.side === 'ingest')) {
    errors.push(`${at('ingest')}: no enabled receiver can be routed (${t.receivers.map((r) => r.name).join(', ') || 'none'})${t.gateway ? ' by the gateway' : ''}${props.grpc === false ? ' with grpc: false' : ''}; allowed: OTLP HTTP, Jaeger Thrift HTTP, Zipkin or OTLP gRPC receivers${t.gateway ? ' (OTLP gRPC with the gateway\'s otlpGrpcListener)' : ''}, or ingest: false`);
  }
  if (props.grpc === true && !grpcRoutes.length) {
    errors.push(`${at('grpc')}: true, but nothing is served over gRPC (no TraceQL streaming with query: false, no OTLP gRPC receiver${t.gateway ? ' or gateway listener' : ''}); allowed: leave it out, or false`);
  }
  if (props.grpcHostnames !== undefined && !grpcRoutes.length) errors.push(`${at('grpcHostnames')}: set, but no gRPC route is exposed; allowed: leave it out`);
  const grpcHostnames = props.grpcHostnames ?? props.hostnames;

  if (props.ingress) {
    const i = props.ingress;
    const ia = (k: string) => at(`ingress.${k}`);
    if (!(i.controller instanceof IngressController)) {
      errors.push(`${ia('controller')}: ${JSON.stringify(i.controller)} is invalid; allowed: IngressController.ingressNginx(...) or IngressController.of({ className, peer, grpc? })`);
      return errors;
    }
    const c = i.controller;
    errors.push(...dnsSubdomainErrors(ia('controller.className'), c.className, 'IngressClass name'));
    if (!(c.peer instanceof NetworkPeer)) errors.push(`${ia('controller.peer')}: ${JSON.stringify(c.peer)} is invalid; allowed: a NetworkPeer (e.g. NetworkPeer.pods({...}, 'ingress-nginx'))`);
    if (c.grpc) errors.push(...labelErrors(ia('controller.grpc.annotations'), c.grpc.annotations, true));
    errors.push(...labelErrors(ia('annotations'), i.annotations, true));
    const owned = [...CERT_MANAGER_ANNOTATIONS, ...Object.keys(c.grpc?.annotations ?? {})].filter((k) => i.annotations?.[k] !== undefined);
    if (owned.length) errors.push(`${ia('annotations')}: ${owned.join(', ')} is set by the library (from tls and the controller); allowed: IngressTls.certManager(...) for the issuer, IngressController.of({ grpc }) for the gRPC annotations`);
    if (i.tls !== undefined) {
      if (!(i.tls instanceof IngressTls)) errors.push(`${ia('tls')}: ${JSON.stringify(i.tls)} is invalid; allowed: IngressTls.fromSecret(name) or IngressTls.certManager({ clusterIssuer | issuer })`);
      else {
        if (i.tls.secretName !== undefined || !i.tls.certManager) errors.push(...secretNameErrors(ia(i.tls.certManager ? 'tls.secretName' : 'tls'), i.tls.secretName));
        const cm = i.tls.certManager;
        if (cm) {
          if ((cm.clusterIssuer === undefined) === (cm.issuer === undefined)) errors.push(`${ia('tls')}: IngressTls.certManager needs exactly one of clusterIssuer and issuer; allowed: { clusterIssuer: 'letsencrypt' } or { issuer: '...' }`);
          if (cm.clusterIssuer !== undefined) errors.push(...dnsSubdomainErrors(ia('tls.clusterIssuer'), cm.clusterIssuer, 'ClusterIssuer name'));
          if (cm.issuer !== undefined) errors.push(...dnsSubdomainErrors(ia('tls.issuer'), cm.issuer, 'Issuer name'));
        }
      }
    }
    if (grpcRoutes.length && !c.grpc) {
      errors.push(`${ia('controller')}: ${c.description} has no gRPC support declared, but ${grpcRoutes.map((r) => r.what).join(' and ')} need${grpcRoutes.length > 1 ? '' : 's'} a gRPC route; allowed: IngressController.ingressNginx(), IngressController.of({ ..., grpc: { annotations } }) with your controller's gRPC annotation, or exposure.grpc: false`);
    } else if (grpcRoutes.length && c.grpc?.requiresTls && i.tls === undefined) {
      errors.push(`${ia('tls')}: required for gRPC through ${c.description}, which serves HTTP/2 (gRPC's transport) to clients only over TLS (${grpcRoutes.map((r) => r.what).join(', ')}); allowed: IngressTls.fromSecret(...) or IngressTls.certManager(...), or exposure.grpc: false`);
    }
  } else {
    const g = props.gatewayApi!;
    errors.push(...parentRefErrors(at('gatewayApi.parentRef'), g.parentRef));
    if (g.grpcParentRef !== undefined) errors.push(...parentRefErrors(at('gatewayApi.grpcParentRef'), g.grpcParentRef));
    if (g.peer !== undefined && !(g.peer instanceof NetworkPeer)) errors.push(`${at('gatewayApi.peer')}: ${JSON.stringify(g.peer)} is invalid; allowed: a NetworkPeer`);
    if (!errors.length && grpcRoutes.length && routes.some((r) => r.protocol === 'http') && sameListener(g.parentRef, g.grpcParentRef ?? g.parentRef, t.namespace)) {
      const overlap = hostnamesOverlap(props.hostnames, grpcHostnames);
      if (overlap !== undefined) {
        errors.push(`${at('grpcHostnames')}: the HTTPRoute and the GRPCRoute would share listener and host name ${overlap}, and a Gateway accepts only one of them there (Gateway API: GRPCRoute hostnames); allowed: grpcHostnames other than hostnames (e.g. grpc.${props.hostnames[0].replace(/^\*\./, '')}), or gatewayApi.grpcParentRef on another listener (sectionName)`);
      }
    }
  }
  return errors;
}

/** Options of `TempoExposure`: the user's exposure and what the instance derives. */
export interface TempoExposureConstructProps extends TempoExposureProps {
  /** What the instance serves. */
  readonly target: ExposureTarget;
  /** Labels of the objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Ingresses, or the HTTPRoute and GRPCRoute, of an instance (created by
 * `TempoDistributed`/`TempoMonolithic` from their `exposure` option, after
 * validation): `<instance>-http` for HTTP paths and `<instance>-grpc` for
 * gRPC services.
 */
export class TempoExposure extends Construct {
  /** Every route, in order. */
  public readonly routes: readonly ExposureRoute[];
  /** The HTTP Ingress or HTTPRoute object name. */
  public readonly httpName: string;
  /** The gRPC Ingress or GRPCRoute object name, when gRPC routes exist. */
  public readonly grpcName?: string;

  constructor(scope: Construct, id: string, props: TempoExposureConstructProps) {
    super(scope, id);
    const names = new TempoNames(props.target.instanceName);
    this.routes = exposureRoutes(props.target, props);
    const http = this.routes.filter((r) => r.protocol === 'http');
    const grpc = this.routes.filter((r) => r.protocol === 'grpc');
    this.httpName = names.exposure('http');
    this.grpcName = grpc.length ? names.exposure('grpc') : undefined;
    const grpcHostnames = props.grpcHostnames ?? props.hostnames;
    const labels = { ...props.labels };
    if (props.ingress) {
      const i = props.ingress;
      const tls = i.tls;
      const secretName = tls && (tls.secretName ?? names.ingressTlsSecret);
      const cm = tls?.certManager;
      const issuer: Record<string, string> = cm ? (cm.clusterIssuer ? { 'cert-manager.io/cluster-issuer': cm.clusterIssuer } : { 'cert-manager.io/issuer': cm.issuer! }) : {};
      // One Certificate (cert-manager makes one per Secret and Ingress): the HTTP Ingress asks for every host name.
      const allHosts = [...props.hostnames, ...(grpc.length ? grpcHostnames.filter((h) => !props.hostnames.includes(h)) : [])];
      const ingress = (id2: string, name: string, routes: ExposureRoute[], hosts: readonly string[], annotations: Record<string, string>, tlsHosts: readonly string[], pathType: (r: ExposureRoute) => string) => new k8s.KubeIngress(this, id2, {
        metadata: { name, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
        spec: {
          ingressClassName: i.controller.className,
          tls: secretName ? [{ hosts: [...tlsHosts], secretName }] : undefined,
          rules: hosts.map((host) => ({
            host,
            http: { paths: routes.map((r) => ({ path: r.protocol === 'grpc' ? `/${r.match}` : r.match, pathType: pathType(r), backend: { service: { name: r.serviceName, port: { number: r.servicePort } } } })) },
          })),
        },
      });
      if (http.length) ingress('Http', this.httpName, http, props.hostnames, { ...i.annotations, ...issuer }, allHosts, (r) => r.pathType);
      if (grpc.length) {
        const g = i.controller.grpc!;
        ingress('Grpc', this.grpcName!, grpc, grpcHostnames, { ...i.annotations, ...g.annotations, ...(http.length ? {} : issuer) }, http.length ? grpcHostnames : allHosts, () => g.pathType ?? 'Prefix');
      }
    } else {
      const g = props.gatewayApi!;
      // Loaded on use: the bindings are large and most instances have no Gateway API routes.
      const { HttpRoute, HttpRouteSpecRulesMatchesPathType } = require('../../imports/httproute-gateway.networking.k8s.io') as typeof import('../../imports/httproute-gateway.networking.k8s.io');
      const { GrpcRoute, GrpcRouteSpecRulesMatchesMethodType } = require('../../imports/grpcroute-gateway.networking.k8s.io') as typeof import('../../imports/grpcroute-gateway.networking.k8s.io');
      const parent = (p: GatewayParentRef) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: p.name, namespace: p.namespace, sectionName: p.sectionName });
      if (http.length) {
        new HttpRoute(this, 'Http', {
          metadata: { name: this.httpName, labels },
          spec: {
            parentRefs: [parent(g.parentRef)],
            hostnames: [...props.hostnames],
            rules: http.map((r) => ({
              matches: [{ path: { type: r.pathType === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.match } }],
              backendRefs: [{ name: r.serviceName, port: r.servicePort }],
            })),
          },
        });
      }
      if (grpc.length) {
        new GrpcRoute(this, 'Grpc', {
          metadata: { name: this.grpcName!, labels },
          spec: {
            parentRefs: [parent(g.grpcParentRef ?? g.parentRef)],
            hostnames: [...grpcHostnames],
            rules: grpc.map((r) => ({
              matches: [{ method: { type: GrpcRouteSpecRulesMatchesMethodType.EXACT, service: r.match } }],
              backendRefs: [{ name: r.serviceName, port: r.servicePort }],
            })),
          },
        });
      }
    }
  }
}
