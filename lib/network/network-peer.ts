import { k8s } from '../k8s/plus';
import { labelErrors } from '../k8s/labels';
import { cidrErrors, namespaceErrors, throwIfErrors } from '../k8s/validation';

/** Who may connect (or be connected to), in NetworkPolicy terms. */
export class NetworkPeer {
  /** Every pod in every namespace of the cluster (not outside addresses). */
  public static anyPodInCluster(): NetworkPeer {
    return new NetworkPeer('any pod in the cluster', [{ namespaceSelector: {} }]);
  }
  /** Every pod of one namespace. */
  public static namespace(name: string): NetworkPeer {
    throwIfErrors(namespaceErrors('networkPolicy: NetworkPeer.namespace', name));
    return new NetworkPeer(`namespace ${name}`, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }]);
  }
  /** Pods with these labels, in the given namespace, in any namespace (`'*'`), or in the policy's own namespace (omitted). */
  public static pods(labels: Readonly<Record<string, string>>, namespace?: string): NetworkPeer {
    throwIfErrors([...labelErrors('networkPolicy: NetworkPeer.pods labels', labels), ...(namespace === undefined || namespace === '*' ? [] : namespaceErrors('networkPolicy: NetworkPeer.pods namespace', namespace))]);
    const namespaceSelector = namespace === undefined ? undefined : namespace === '*' ? {} : { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
    return new NetworkPeer(`pods ${JSON.stringify(labels)}`, [{ podSelector: { matchLabels: { ...labels } }, namespaceSelector }]);
  }
  /** An address range outside the cluster's pod network. */
  public static cidr(cidr: string, except: readonly string[] = []): NetworkPeer {
    throwIfErrors([cidr, ...except].flatMap((c) => cidrErrors('networkPolicy', c)));
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
