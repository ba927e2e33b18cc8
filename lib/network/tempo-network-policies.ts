import { k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { NetworkPeer } from './network-peer';
import { TempoPorts } from '../config/paths';
import { StorageBinding, StorageEgress } from '../storage/storage';
import { TempoNames } from '../k8s/names';
import type { ExposurePolicy } from '../exposure/exposure';

/** Who may reach Tempo, and where Tempo may go. */
export interface TempoNetworkPolicyOptions {
  /** Create NetworkPolicies. @default true */
  readonly enabled?: boolean;
  /** Senders of traces, allowed to the receiver ports. @default [NetworkPeer.anyPodInCluster()] */
  readonly ingestFrom?: readonly NetworkPeer[];
  /** Query clients (Grafana), allowed to the query HTTP port. @default pods labelled `app.kubernetes.io/name: grafana` in any namespace */
  readonly queryFrom?: readonly NetworkPeer[];
  /** Metrics scrapers, allowed to every pod's http port. @default pods labelled `app.kubernetes.io/name: prometheus` in any namespace */
  readonly metricsFrom?: readonly NetworkPeer[];
  /** Where the object storage endpoint is. @default [NetworkPeer.anywhere()] on the endpoint's port */
  readonly objectStorage?: readonly NetworkPeer[];
  /**
   * Where the cloud token service is, when the storage identity needs one over HTTPS: AWS STS for IRSA
   * (`iamRoleArn`), Microsoft Entra ID for Azure Workload Identity. Node-local credential endpoints (instance
   * metadata, GKE metadata server, EKS Pod Identity Agent) are opened by the storage itself.
   * @default every address outside the cluster (`0.0.0.0/0`, `::/0`) on 443
   */
  readonly identityProvider?: readonly NetworkPeer[];
  /**
   * Only the gateway (and Tempo's own pods) may reach the distributor's receiver ports, so clients cannot
   * bypass the gateway's authentication and tenant header. Needs a gateway that routes every enabled receiver.
   * @default false: `ingestFrom` reaches the distributor directly as well
   */
  readonly ingestOnlyThroughGateway?: boolean;
  /** Where the remote-write endpoint is. @default [NetworkPeer.anywhere()] on the URL's port */
  readonly remoteWrite?: readonly NetworkPeer[];
}

/** A port in a policy. */
export interface PolicyPort {
  /** Port number. */
  readonly port: number;
  /** Transport protocol. */
  readonly protocol: 'TCP' | 'UDP';
}

/** Pods that receive one kind of traffic. */
export interface PolicyTarget {
  /** Labels selecting the pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Ports the traffic is allowed to. */
  readonly ports: readonly PolicyPort[];
}

/** Inputs of `TempoNetworkPolicies`, derived by the deployment. */
export interface TempoNetworkPoliciesProps {
  /** Instance name: prefix of the policy names (`<name>-internal`, ...). */
  readonly instanceName: string;
  /** Labels of the NetworkPolicy objects themselves. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels every Tempo pod of the instance has. */
  readonly tempoSelector: Readonly<Record<string, string>>;
  /** Pods receiving traces, with the receiver ports. */
  readonly ingest: PolicyTarget;
  /** Pods answering queries. */
  readonly query: PolicyTarget;
  /** The storage binding: egress is allowed to its endpoint's port (none for local storage). */
  readonly storage: StorageBinding;
  /** Remote-write URL of the metrics-generator: egress is allowed to its port. @default none (no remote-write egress) */
  readonly remoteWriteUrl?: string;
  /** Tempo 3's Kafka brokers: egress is allowed to them on these ports. @default none (no Kafka egress) */
  readonly kafka?: { readonly ports: readonly PolicyPort[]; readonly peers: readonly NetworkPeer[] };
  /**
   * Cache pods Tempo reads and writes; `metricsPorts` are scraped.
   * @default none (no cache egress and no `<name>-cache` policy)
   */
  readonly cache?: PolicyTarget & { readonly metricsPorts?: readonly PolicyPort[] };
  /**
   * Gateway pods in front of the distributor and query-frontend, with their listening ports and the
   * receiver ports they forward to (`forwards`).
   * @default none (no `<name>-gateway` policy)
   */
  readonly gateway?: PolicyTarget & { readonly forwards?: readonly PolicyPort[]; readonly metricsPorts?: readonly PolicyPort[] };
  /**
   * The ingress controller's or Gateway implementation's pods and the pod ports the exposure routes reach
   * (gateway, query-frontend, distributor): each policy opens exactly those.
   * @default none (no exposure)
   */
  readonly exposure?: ExposurePolicy;
  /** Who may reach Tempo and where it may go, as the user chose. */
  readonly options: TempoNetworkPolicyOptions;
}

const DNS: PolicyPort[] = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
const TEMPO_PORTS: PolicyPort[] = [TempoPorts.HTTP, TempoPorts.GRPC, TempoPorts.MEMBERLIST].map((port) => ({ port, protocol: 'TCP' }));

/**
 * NetworkPolicies selecting every Tempo pod of an instance:
 * `<name>-internal` (gRPC, HTTP and memberlist between Tempo's own pods,
 * metrics scrapes, and all egress: DNS, object storage, cache, remote
 * write), `<name>-ingest` (receiver ports from the chosen senders) and
 * `<name>-query` (the query port from Grafana). Anything else is denied.
 */
export class TempoNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: TempoNetworkPoliciesProps) {
    super(scope, id);
    const o = props.options;
    const names = new TempoNames(props.instanceName);
    const tempo = NetworkPeer.pods(props.tempoSelector);
    const metricsFrom = o.metricsFrom ?? [NetworkPeer.pods({ 'app.kubernetes.io/name': 'prometheus' }, '*')];
    // No peers means nobody: the rule is left out. (A rule with an empty `from`/`to` would allow everyone.)
    const rule = (peers: readonly NetworkPeer[], ports: readonly PolicyPort[]) => (peers.length ? [{
      from: peers.flatMap((p) => p.toPeers()),
      ports: ports.map(toPolicyPort),
    }] : []);
    const egressRule = (peers: readonly NetworkPeer[], ports: readonly PolicyPort[]) => (peers.length ? [{
      to: peers.flatMap((p) => p.toPeers()),
      ports: ports.map(toPolicyPort),
    }] : []);
    // What the storage says its pods connect to: the bucket, and where its credentials come from.
    const storageEgress = (e: StorageEgress) => egressRule(
      typeof e.to !== 'string' ? e.to.cidrs.map((c) => NetworkPeer.cidr(c))
        : e.to === 'objectStorage' ? o.objectStorage ?? [NetworkPeer.anywhere()]
          : o.identityProvider ?? [NetworkPeer.cidr('0.0.0.0/0'), NetworkPeer.cidr('::/0')],
      e.ports.map((port) => ({ port, protocol: 'TCP' as const })));
    const exposed = (ports: readonly PolicyPort[] | undefined) => (props.exposure && ports?.length ? rule(props.exposure.peers, ports) : []);
    const remoteWritePorts = props.remoteWriteUrl ? [{ port: urlPort(props.remoteWriteUrl), protocol: 'TCP' as const }] : [];

    new k8s.KubeNetworkPolicy(this, 'Internal', {
      metadata: { name: names.networkPolicy('internal'), labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: { ...props.tempoSelector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          ...rule([tempo], TEMPO_PORTS),
          ...rule(metricsFrom, [{ port: TempoPorts.HTTP, protocol: 'TCP' }]),
        ],
        egress: [
          ...egressRule([tempo], TEMPO_PORTS),
          ...egressRule([NetworkPeer.anywhere()], DNS),
          ...props.storage.egress.flatMap(storageEgress),
          ...(remoteWritePorts.length ? egressRule(o.remoteWrite ?? [NetworkPeer.anywhere()], remoteWritePorts) : []),
          ...(props.kafka ? egressRule(props.kafka.peers, props.kafka.ports) : []),
          ...(props.cache ? egressRule([NetworkPeer.pods(props.cache.selector)], props.cache.ports) : []),
        ],
      },
    });
    const ingestFrom = o.ingestFrom ?? [NetworkPeer.anyPodInCluster()];
    const queryFrom = o.queryFrom ?? [NetworkPeer.pods({ 'app.kubernetes.io/name': 'grafana' }, '*')];
    const gateway = props.gateway && NetworkPeer.pods(props.gateway.selector);
    const onlyGateway = o.ingestOnlyThroughGateway ?? false;
    if (onlyGateway) requireGatewayForEveryReceiver(props);
    new k8s.KubeNetworkPolicy(this, 'Ingest', {
      metadata: { name: names.networkPolicy('ingest'), labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: { ...props.ingest.selector } },
        policyTypes: ['Ingress'],
        ingress: [
          ...rule(gateway ? (onlyGateway ? [gateway, tempo] : [...ingestFrom, gateway]) : ingestFrom, props.ingest.ports),
          ...exposed(props.exposure?.ingest),
        ],
      },
    });
    if (props.gateway) {
      // The gateway is itself a Tempo pod (the internal policy gives it DNS and the query port);
      // this adds its public listeners and its way to the receivers.
      new k8s.KubeNetworkPolicy(this, 'Gateway', {
        metadata: { name: names.networkPolicy('gateway'), labels: { ...props.labels } },
        spec: {
          podSelector: { matchLabels: { ...props.gateway.selector } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            ...rule([...ingestFrom, ...queryFrom], props.gateway.ports),
            ...(props.gateway.metricsPorts?.length ? rule(metricsFrom, props.gateway.metricsPorts) : []),
            ...exposed(props.exposure?.gateway),
          ],
          egress: egressRule([NetworkPeer.pods(props.ingest.selector)], props.ingest.ports.filter((p) => p.protocol === 'TCP')),
        },
      });
    }
    if (props.cache) {
      new k8s.KubeNetworkPolicy(this, 'Cache', {
        metadata: { name: names.networkPolicy('cache'), labels: { ...props.labels } },
        spec: {
          podSelector: { matchLabels: { ...props.cache.selector } },
          // memcached makes no connections: no egress at all
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            ...rule([tempo], props.cache.ports),
            ...(props.cache.metricsPorts?.length ? rule(metricsFrom, props.cache.metricsPorts) : []),
          ],
          egress: [],
        },
      });
    }
    new k8s.KubeNetworkPolicy(this, 'Query', {
      metadata: { name: names.networkPolicy('query'), labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: { ...props.query.selector } },
        policyTypes: ['Ingress'],
        ingress: [...rule(queryFrom, props.query.ports), ...exposed(props.exposure?.query)],
      },
    });
  }
}

function toPolicyPort(p: PolicyPort): k8s.NetworkPolicyPort {
  return { port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol };
}

/** Port of an http(s) URL (explicit, or 80/443 from the scheme). */
export function urlPort(url: string): number {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(url);
  if (!m) throw new Error(`"${url}" is not an http(s) URL`);
  return m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80;
}

/** Errors of the `networkPolicy` options that depend on the rest of the instance (for the modes' validation pass). */
export function networkPolicyErrors(options: TempoNetworkPolicyOptions | undefined, hasGateway: boolean): string[] {
  if (!options?.ingestOnlyThroughGateway) return [];
  const option = 'networkPolicy.ingestOnlyThroughGateway';
  if (options.enabled === false) return [`${option}: true, but networkPolicy.enabled is false, so nothing would enforce it; allowed: enabled NetworkPolicies, or false`];
  return hasGateway ? [] : [`${option}: true, but this instance has no gateway; allowed: false, or a gateway (TempoDistributed \`gateway\`) for clients to send through`];
}

/** Throws unless there is a gateway and it forwards every receiver port (the others would be unreachable). */
function requireGatewayForEveryReceiver(props: TempoNetworkPoliciesProps): void {
  const option = 'networkPolicy.ingestOnlyThroughGateway';
  const errors = networkPolicyErrors(props.options, props.gateway !== undefined);
  if (errors.length || !props.gateway) throw new Error(errors.join('\n'));
  const forwarded = props.gateway.forwards ?? [];
  const stranded = props.ingest.ports.filter((p) => !forwarded.some((f) => f.port === p.port && f.protocol === p.protocol));
  if (stranded.length) {
    throw new Error(`${option}: true, but the gateway does not forward receiver port(s) ${stranded.map((p) => `${p.port}/${p.protocol}`).join(', ')}, which no client could reach then; allowed: receivers the gateway routes (OTLP HTTP, OTLP gRPC with its listener, Jaeger Thrift HTTP, Zipkin), or false`);
  }
}
