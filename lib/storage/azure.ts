import { EnvReference } from '../config/env-reference';
import { identityProviderEgress, instanceMetadataEgress } from './egress';
import { azureAccountErrors, azureContainerErrors, hostPortErrors } from './names';
import { StorageBackend, StorageBinding, storageBinding, TempoStorage, throwIfErrors } from './storage';
import { secretKeyErrors, secretNameErrors } from '../k8s/validation';

/** Options of `TempoStorage.azure()`. */
export interface AzureStorageProps {
  /** Blob container name. */
  readonly containerName: string;
  /** Storage account name. */
  readonly storageAccountName: string;
  /**
   * An existing Secret holding the storage account key, passed as an
   * environment variable and referenced as `${...}` in tempo.yaml.
   * @default none
   */
  readonly accountKey?: { readonly secretName: string; /** @default 'accountKey' */ readonly key?: string };
  /**
   * Azure Workload Identity: the managed identity's client id. Annotates the
   * ServiceAccount, labels the pods for the identity webhook and sets
   * `use_federated_token`.
   * @default none
   */
  readonly workloadIdentityClientId?: string;
  /** Use the node's managed identity (`use_managed_identity`). @default false */
  readonly useManagedIdentity?: boolean;
  /**
   * Endpoint suffix for sovereign clouds (`blob.core.chinacloudapi.cn`), or `host:port` of an emulator such as
   * Azurite (`azurite:10000`, as Tempo's own integration tests use it).
   * @default Tempo's default (`blob.core.windows.net`)
   */
  readonly endpointSuffix?: string;
}

/** Azure Blob Storage. */
export class AzureStorage extends TempoStorage {
  /** Environment variable holding the storage account key. */
  public static readonly ACCOUNT_KEY_ENV = 'TEMPO_AZURE_STORAGE_ACCOUNT_KEY';

  constructor(private readonly props: AzureStorageProps) {
    super();
  }

  /** Checks the options (exactly one way to authenticate) and returns the `azure` binding; an account key is read from its Secret. */
  public bind(): StorageBinding {
    const p = this.props;
    const errors = [
      ...azureContainerErrors('storage.azure.containerName', p.containerName),
      ...azureAccountErrors('storage.azure.storageAccountName', p.storageAccountName),
      ...(p.endpointSuffix === undefined ? [] : hostPortErrors('storage.azure.endpointSuffix', p.endpointSuffix)),
    ];
    const modes = [p.accountKey && 'accountKey', p.workloadIdentityClientId && 'workloadIdentityClientId', p.useManagedIdentity && 'useManagedIdentity'].filter(Boolean);
    if (modes.length !== 1) {
      errors.push(`storage.azure: ${modes.length === 0 ? 'no credentials are set' : `${modes.join(' and ')} are all set`}; allowed: exactly one of accountKey, workloadIdentityClientId, useManagedIdentity`);
    }
    const key = p.accountKey;
    if (key) errors.push(...secretNameErrors('storage.azure.accountKey.secretName', key.secretName), ...secretKeyErrors('storage.azure.accountKey.key', key.key));
    if (p.workloadIdentityClientId !== undefined && !/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(p.workloadIdentityClientId)) {
      errors.push(`storage.azure.workloadIdentityClientId: "${p.workloadIdentityClientId}" is invalid; allowed: the managed identity's client id, a GUID`);
    }
    throwIfErrors(errors);
    const wi = p.workloadIdentityClientId;
    return storageBinding({
      backend: StorageBackend.AZURE,
      backendConfig: {
        container_name: p.containerName,
        storage_account_name: p.storageAccountName,
        storage_account_key: key ? EnvReference.of(AzureStorage.ACCOUNT_KEY_ENV) : undefined,
        use_federated_token: wi ? true : undefined,
        use_managed_identity: p.useManagedIdentity || undefined,
        endpoint_suffix: p.endpointSuffix,
      },
      secretEnv: key ? [{ name: AzureStorage.ACCOUNT_KEY_ENV, secretName: key.secretName, key: key.key ?? 'accountKey' }] : [],
      serviceAccountAnnotations: wi ? { 'azure.workload.identity/client-id': wi } : {},
      podLabels: wi ? { 'azure.workload.identity/use': 'true' } : {},
      needsServiceAccount: wi !== undefined,
      egress: [
        { purpose: 'Azure Blob Storage', ports: [443], to: 'objectStorage' },
        ...(wi ? [identityProviderEgress('Microsoft Entra ID (workload identity token exchange)')] : []),
        ...(p.useManagedIdentity ? [instanceMetadataEgress('Azure instance metadata (managed identity)')] : []),
      ],
    });
  }
}
