import { k8s } from 'cdk8s-plus-28';

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/** Who may connect (or be connected to), in NetworkPolicy terms. */
export class NetworkPeer {
  /** Every pod in every namespace of the cluster (not outside addresses). */
  public static anyPodInCluster(): NetworkPeer {
    return new NetworkPeer('any pod in the cluster', [{ namespaceSelector: {} }]);
  }
  /** Every pod of one namespace. */
  public static namespace(name: string): NetworkPeer {
    return new NetworkPeer(`namespace ${name}`, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }]);
  }
  /** Pods with these labels, in the given namespace, in any namespace (`'*'`), or in the policy's own namespace (omitted). */
  public static pods(labels: Readonly<Record<string, string>>, namespace?: string): NetworkPeer {
    const namespaceSelector = namespace === undefined ? undefined : namespace === '*' ? {} : { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
    return new NetworkPeer(`pods ${JSON.stringify(labels)}`, [{ podSelector: { matchLabels: { ...labels } }, namespaceSelector }]);
  }
  /** An address range outside the cluster's pod network. */
  public static cidr(cidr: string, except: readonly string[] = []): NetworkPeer {
    for (const c of [cidr, ...except]) {
      if (!CIDR.test(c)) throw new Error(`networkPolicy: "${c}" is not a CIDR; allowed: e.g. 10.0.0.0/8 or fd00::/8`);
    }
    return new NetworkPeer(`CIDR ${cidr}`, [{ ipBlock: { cidr, except: except.length ? [...except] : undefined } }]);
  }
  /** Any pod and any address (for endpoints that may be in or outside the cluster). */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer('anywhere', [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }]);
  }

  private constructor(
    /** Human description, for messages. */
    public readonly description: string,
    private readonly peers: readonly k8s.NetworkPolicyPeer[],
  ) {}

  /** The NetworkPolicy peers. */
  public toPeers(): k8s.NetworkPolicyPeer[] {
    return this.peers.map((p) => ({ ...p }));
  }
}
