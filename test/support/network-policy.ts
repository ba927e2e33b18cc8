import { Manifest } from './synth';

/** A pod (in-cluster endpoint) or an outside address. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
  | { readonly kind: 'external'; readonly ip: string };

/** A pod with these labels in that namespace. */
export function pod(namespace: string, labels: Record<string, string>): Endpoint {
  return { kind: 'pod', namespace, labels };
}

function labelsMatch(selector: any, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const ok = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const exprs = (selector.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`operator ${e.operator}`);
    }
  });
  return ok && exprs;
}

/** An IPv4 or IPv6 address as a bit string (32 or 128 bits). */
function bitsOf(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const [head, tail = ''] = ip.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = ip.includes('::') ? [...groups(head), ...Array(missing).fill('0'), ...groups(tail)] : groups(head);
  return all.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (base.includes(':') !== ip.includes(':')) return false;
  const n = Number(bits);
  return bitsOf(ip).slice(0, n) === bitsOf(base).slice(0, n);
}

/** Does a NetworkPolicy peer match an endpoint, for a policy living in `policyNamespace`? */
function peerMatches(peer: any, ep: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    // ipBlock is meant for addresses outside the pod network; conservatively never match pods.
    return ep.kind === 'external' && ipInCidr(ep.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => ipInCidr(ep.ip, c));
  }
  if (ep.kind !== 'pod') return false;
  const nsLabels = { 'kubernetes.io/metadata.name': ep.namespace };
  const nsOk = peer.namespaceSelector ? labelsMatch(peer.namespaceSelector, nsLabels) : ep.namespace === policyNamespace;
  const podOk = peer.podSelector ? labelsMatch(peer.podSelector, ep.labels) : true;
  return nsOk && podOk;
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
}

/**
 * Whether Kubernetes NetworkPolicy semantics allow a connection: the source's
 * egress (if any policy isolates it) and the destination's ingress (likewise).
 */
export function connectionAllowed(manifests: readonly Manifest[], from: Endpoint, to: Endpoint, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
  const selecting = (ep: Endpoint, type: string) =>
    ep.kind === 'pod'
      ? policies.filter((p) => (p.metadata.namespace ?? 'default') === ep.namespace && labelsMatch(p.spec.podSelector, ep.labels) && (p.spec.policyTypes ?? ['Ingress']).includes(type))
      : [];
  const egress = selecting(from, 'Egress');
  const egressOk = egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((r: any) =>
    (!r.to || r.to.length === 0 || r.to.some((peer: any) => peerMatches(peer, to, p.metadata.namespace ?? 'default'))) && portMatches(r.ports, port, protocol)));
  const ingress = selecting(to, 'Ingress');
  const ingressOk = ingress.length === 0 || ingress.some((p) => (p.spec.ingress ?? []).some((r: any) =>
    (!r.from || r.from.length === 0 || r.from.some((peer: any) => peerMatches(peer, from, p.metadata.namespace ?? 'default'))) && portMatches(r.ports, port, protocol)));
  return egressOk && ingressOk;
}
