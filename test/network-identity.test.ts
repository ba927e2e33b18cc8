import { NetworkPeer, TempoMonolithic, TempoReceiver, TempoStorage } from '../lib';
import { connectionAllowed, Endpoint, pod } from './support/network-policy';
import { Manifest, synthDistributed, testChart, workloads } from './support/synth';

const external = (ip: string): Endpoint => ({ kind: 'external', ip });
const IMDS = external('169.254.169.254');
const GKE_METADATA_SERVER = external('169.254.169.252');
const EKS_POD_IDENTITY = external('169.254.170.23');
const EKS_POD_IDENTITY_V6 = external('fd00:ec2::23');
const PUBLIC = external('52.94.0.10'); // an STS / Entra ID / storage address on the internet
const VPC_ENDPOINT = '10.50.0.0/24';

/** The ingester's pod (every Tempo pod shares the egress policy) and the manifests. */
function ingesterOf(storage: TempoStorage, networkPolicy = {}): { m: Manifest[]; ingester: Endpoint } {
  const { manifests } = synthDistributed({ storage, networkPolicy });
  const w = workloads(manifests).find((x) => x.metadata.name === 'tempo-ingester')!;
  return { m: manifests, ingester: pod('monitoring', w.spec.template.metadata.labels) };
}

describe('egress opens exactly what the storage identity needs (issue 9 defect 11)', () => {
  test('GKE Workload Identity: 169.254.169.252:988 and 169.254.169.254:80, as GKE documents it for strict egress policies', () => {
    const { m, ingester } = ingesterOf(TempoStorage.gcs({ bucket: 'traces', workloadIdentityServiceAccount: 'tempo@proj.iam.gserviceaccount.com' }));
    expect(connectionAllowed(m, ingester, IMDS, 80)).toBe(true);
    expect(connectionAllowed(m, ingester, GKE_METADATA_SERVER, 988)).toBe(true);
    expect(connectionAllowed(m, ingester, GKE_METADATA_SERVER, 987)).toBe(false);
    expect(connectionAllowed(m, ingester, IMDS, 8080)).toBe(false);
    expect(connectionAllowed(m, ingester, external('10.1.2.3'), 80)).toBe(false);
    expect(connectionAllowed(m, ingester, PUBLIC, 443)).toBe(true); // the bucket
  });

  test('GCS with a key file needs no metadata server', () => {
    const { m, ingester } = ingesterOf(TempoStorage.gcs({ bucket: 'traces', serviceAccountKey: { secretName: 'gcs-key' } }));
    expect(connectionAllowed(m, ingester, IMDS, 80)).toBe(false);
    expect(connectionAllowed(m, ingester, GKE_METADATA_SERVER, 988)).toBe(false);
  });

  test('Azure managed identity: the instance metadata service; account key: nothing more', () => {
    const managed = ingesterOf(TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', useManagedIdentity: true }));
    expect(connectionAllowed(managed.m, managed.ingester, IMDS, 80)).toBe(true);
    const key = ingesterOf(TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', accountKey: { secretName: 'azure' } }));
    expect(connectionAllowed(key.m, key.ingester, IMDS, 80)).toBe(false);
  });

  test('Azure Workload Identity: Entra ID over HTTPS even when the storage is pinned to a private endpoint', () => {
    const storage = () => TempoStorage.azure({ containerName: 'traces', storageAccountName: 'acct', workloadIdentityClientId: '00000000-0000-0000-0000-000000000000' });
    const pinned = ingesterOf(storage(), { objectStorage: [NetworkPeer.cidr(VPC_ENDPOINT)] });
    expect(connectionAllowed(pinned.m, pinned.ingester, external('10.50.0.7'), 443)).toBe(true);
    expect(connectionAllowed(pinned.m, pinned.ingester, PUBLIC, 443)).toBe(true);
    expect(connectionAllowed(pinned.m, pinned.ingester, IMDS, 80)).toBe(false);
    const both = ingesterOf(storage(), { objectStorage: [NetworkPeer.cidr(VPC_ENDPOINT)], identityProvider: [NetworkPeer.cidr('20.190.128.0/18')] });
    expect(connectionAllowed(both.m, both.ingester, PUBLIC, 443)).toBe(false);
    expect(connectionAllowed(both.m, both.ingester, external('20.190.151.9'), 443)).toBe(true);
  });

  test('EKS Pod Identity: the agent on 169.254.170.23:80 and fd00:ec2::23:80, not the instance metadata', () => {
    const { m, ingester } = ingesterOf(TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', podIdentity: true }));
    expect(connectionAllowed(m, ingester, EKS_POD_IDENTITY, 80)).toBe(true);
    expect(connectionAllowed(m, ingester, EKS_POD_IDENTITY_V6, 80)).toBe(true);
    expect(connectionAllowed(m, ingester, IMDS, 80)).toBe(false);
    expect(connectionAllowed(m, ingester, external('fd00:ec2::24'), 80)).toBe(false);
  });

  test('IRSA: STS on 443 stays reachable when the bucket is pinned to a VPC endpoint', () => {
    const storage = () => TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', iamRoleArn: 'arn:aws:iam::123456789012:role/tempo' });
    const pinned = ingesterOf(storage(), { objectStorage: [NetworkPeer.cidr(VPC_ENDPOINT)] });
    expect(connectionAllowed(pinned.m, pinned.ingester, PUBLIC, 443)).toBe(true);
    expect(connectionAllowed(pinned.m, pinned.ingester, IMDS, 80)).toBe(false);
    const sts = ingesterOf(storage(), { objectStorage: [NetworkPeer.cidr(VPC_ENDPOINT)], identityProvider: [NetworkPeer.cidr('10.60.0.0/24')] });
    expect(connectionAllowed(sts.m, sts.ingester, PUBLIC, 443)).toBe(false);
    expect(connectionAllowed(sts.m, sts.ingester, external('10.60.0.5'), 443)).toBe(true);
  });

  test('S3 with static credentials needs nothing more; the ambient identity (instance profile) needs the instance metadata', () => {
    const withKeys = ingesterOf(TempoStorage.s3({ bucket: 'traces', endpoint: 'minio:9000', insecure: true, credentials: { secretName: 'minio' } }));
    expect(connectionAllowed(withKeys.m, withKeys.ingester, IMDS, 80)).toBe(false);
    const ambient = ingesterOf(TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1' }));
    expect(connectionAllowed(ambient.m, ambient.ingester, IMDS, 80)).toBe(true);
    expect(connectionAllowed(ambient.m, ambient.ingester, EKS_POD_IDENTITY, 80)).toBe(false);
  });

  test('the storage binding states its egress (the network policies do not re-read storage settings)', () => {
    expect(TempoStorage.s3({ bucket: 'traces', endpoint: 'minio:9000', credentials: { secretName: 's' } }).bind().egress)
      .toEqual([{ purpose: 'S3 endpoint minio:9000', ports: [9000], to: 'objectStorage' }]);
    expect(TempoStorage.local().bind().egress).toEqual([]);
    expect(TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', podIdentity: true }).bind()).toMatchObject({ needsServiceAccount: true });
    expect(() => TempoStorage.s3({ bucket: 'traces', region: 'eu-west-1', podIdentity: true, iamRoleArn: 'arn:aws:iam::123456789012:role/t' }).bind())
      .toThrow('storage.s3: iamRoleArn and podIdentity are both set; allowed: one of them');
  });
});

describe('networkPolicy.ingestOnlyThroughGateway (issue 9 defect 11)', () => {
  const shop = pod('shop', { app: 'checkout' });
  function setup(networkPolicy: object, extra: object = {}) {
    const { manifests } = synthDistributed({ gateway: { basicAuth: { secretName: 'htpasswd' } }, multitenancy: true, networkPolicy, ...extra });
    const podNamed = (n: string) => pod('monitoring', workloads(manifests).find((w) => w.metadata.name === n)!.spec.template.metadata.labels);
    return { m: manifests, distributor: podNamed('tempo-distributor'), gateway: podNamed('tempo-gateway'), querier: podNamed('tempo-querier') };
  }

  test('clients reach the receivers only through the gateway', () => {
    const { m, distributor, gateway } = setup({ ingestOnlyThroughGateway: true });
    expect(connectionAllowed(m, shop, distributor, 4317)).toBe(false);
    expect(connectionAllowed(m, shop, distributor, 4318)).toBe(false);
    expect(connectionAllowed(m, shop, gateway, 8080)).toBe(true);
    expect(connectionAllowed(m, shop, gateway, 4317)).toBe(true);
    expect(connectionAllowed(m, gateway, distributor, 4317)).toBe(true);
    expect(connectionAllowed(m, gateway, distributor, 4318)).toBe(true);
  });

  test('without it, clients may still send to the distributor directly (today\'s default)', () => {
    const { m, distributor } = setup({});
    expect(connectionAllowed(m, shop, distributor, 4317)).toBe(true);
  });

  test('without a gateway, or with a receiver the gateway does not route, it is an error naming the option', () => {
    expect(() => synthDistributed({ networkPolicy: { ingestOnlyThroughGateway: true } }))
      .toThrow(/networkPolicy\.ingestOnlyThroughGateway: true, but this instance has no gateway; allowed: false, or a gateway/);
    expect(() => synthDistributed({ gateway: {}, networkPolicy: { enabled: false, ingestOnlyThroughGateway: true } }))
      .toThrow(/networkPolicy\.ingestOnlyThroughGateway: true, but networkPolicy\.enabled is false, so nothing would enforce it/);
    expect(() => new TempoMonolithic(testChart('tracing'), 'T', { storage: TempoStorage.local(), networkPolicy: { ingestOnlyThroughGateway: true } }))
      .toThrow(/networkPolicy\.ingestOnlyThroughGateway: true, but this instance has no gateway/);
    expect(() => setup({ ingestOnlyThroughGateway: true }, { receivers: [TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc()] }))
      .toThrow(/networkPolicy\.ingestOnlyThroughGateway: true, but the gateway does not forward receiver port\(s\) 14250\/TCP/);
  });
});
