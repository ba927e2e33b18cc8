import { gkeMetadataEgress } from './egress';
import { gcsBucketErrors } from './names';
import { StorageBackend, StorageBinding, storageBinding, TempoStorage, throwIfErrors } from './storage';
import { secretKeyErrors, secretNameErrors } from '../k8s/validation';

/** Options of `TempoStorage.gcs()`. */
export interface GcsStorageProps {
  /** Bucket name. */
  readonly bucket: string;
  /**
   * An existing Secret holding a GCP service account JSON key; it is mounted
   * read-only and named by `GOOGLE_APPLICATION_CREDENTIALS`.
   * @default none
   */
  readonly serviceAccountKey?: { readonly secretName: string; /** @default 'key.json' */ readonly key?: string };
  /**
   * GKE Workload Identity: the GCP service account email Tempo's Kubernetes
   * ServiceAccount impersonates (annotation `iam.gke.io/gcp-service-account`).
   * @default none
   */
  readonly workloadIdentityServiceAccount?: string;
}

/** Google Cloud Storage. Without a key or workload identity, Google's default credentials apply (e.g. node identity). */
export class GcsStorage extends TempoStorage {
  constructor(private readonly props: GcsStorageProps) {
    super();
  }

  /** Checks the options and returns the `gcs` binding: the key file mounted from its Secret, or the Workload Identity annotation. */
  public bind(): StorageBinding {
    const p = this.props;
    const wi = p.workloadIdentityServiceAccount;
    const keyFile = p.serviceAccountKey;
    const errors = [...gcsBucketErrors('storage.gcs.bucket', p.bucket)];
    if (keyFile && wi) errors.push('storage.gcs: serviceAccountKey and workloadIdentityServiceAccount are both set; allowed: one of them');
    if (wi !== undefined && !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(wi)) {
      errors.push(`storage.gcs.workloadIdentityServiceAccount: "${wi}" is invalid; allowed: NAME@PROJECT.iam.gserviceaccount.com`);
    }
    if (keyFile) {
      errors.push(...secretNameErrors('storage.gcs.serviceAccountKey.secretName', keyFile.secretName),
        ...secretKeyErrors('storage.gcs.serviceAccountKey.key', keyFile.key));
    }
    throwIfErrors(errors);
    const keyName = keyFile?.key ?? 'key.json';
    const mountPath = '/var/secrets/gcs';
    return storageBinding({
      backend: StorageBackend.GCS,
      backendConfig: { bucket_name: p.bucket },
      secretFiles: keyFile ? [{ volumeName: 'gcs-credentials', secretName: keyFile.secretName, key: keyName, mountPath }] : [],
      env: keyFile ? { GOOGLE_APPLICATION_CREDENTIALS: `${mountPath}/${keyName}` } : {},
      serviceAccountAnnotations: wi ? { 'iam.gke.io/gcp-service-account': wi } : {},
      needsServiceAccount: wi !== undefined,
      // Without a key file, tokens come from the metadata server (Workload Identity, or the node's account).
      egress: [{ purpose: 'Google Cloud Storage', ports: [443], to: 'objectStorage' }, ...(keyFile ? [] : gkeMetadataEgress())],
    });
  }
}
