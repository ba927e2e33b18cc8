import { StorageEgress } from './storage';

/*
 * Where cloud credentials come from, per identity mechanism: what a NetworkPolicy must let Tempo's pods reach
 * besides the bucket. Sources:
 * - instance metadata (EC2 IMDS, GCE metadata, Azure IMDS for managed identity): 169.254.169.254, port 80;
 * - GKE metadata server (Workload Identity): "allow egress to 169.254.169.252/32 on port 988. For clusters running
 *   GKE Dataplane V2, ensure that you allowed egress to 169.254.169.254/32 on port 80" (About Workload Identity
 *   Federation for GKE, https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity), so both;
 * - EKS Pod Identity Agent: 169.254.170.23 and fd00:ec2::23, port 80;
 * - IRSA (AWS STS) and Azure Workload Identity (Microsoft Entra ID): HTTPS services on the internet (or a
 *   private endpoint), so the user's `networkPolicy.identityProvider`.
 */

/** The instance metadata server of the node's cloud (EC2 instance profile, GCE node account, Azure managed identity). */
export function instanceMetadataEgress(purpose: string): StorageEgress {
  return { purpose, ports: [80], to: { cidrs: ['169.254.169.254/32'] } };
}

/** GKE's metadata server (Workload Identity, and node credentials on GKE). */
export function gkeMetadataEgress(): StorageEgress[] {
  return [
    instanceMetadataEgress('GKE metadata server (credentials)'),
    { purpose: 'GKE metadata server behind the node redirect', ports: [988], to: { cidrs: ['169.254.169.252/32'] } },
  ];
}

/** The EKS Pod Identity Agent on the node. */
export function eksPodIdentityEgress(): StorageEgress {
  return { purpose: 'EKS Pod Identity Agent', ports: [80], to: { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'] } };
}

/** A token service reached over HTTPS (AWS STS for IRSA, Microsoft Entra ID for Azure Workload Identity). */
export function identityProviderEgress(purpose: string): StorageEgress {
  return { purpose, ports: [443], to: 'identityProvider' };
}
