import type { AzureStorageProps } from './azure';
import type { GcsStorageProps } from './gcs';
import type { LocalStorageProps } from './local';
import type { S3StorageProps } from './s3';
import { secretNameErrors, throwIfErrors } from '../k8s/validation';

/** An environment variable Tempo's pods get from an existing Secret. */
export interface SecretEnvVar {
  /** Variable name inside the container. */
  readonly name: string;
  /** Name of the Secret (in the deployment's namespace). */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** A file Tempo's pods get from an existing Secret. */
export interface SecretFile {
  /** Volume name. */
  readonly volumeName: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key inside the Secret. */
  readonly key: string;
  /** Directory the Secret is mounted at (read-only). */
  readonly mountPath: string;
}

/**
 * A connection the pods of a storage binding make, as the backend states it (the NetworkPolicy egress
 * is built from these, so no other module re-reads storage settings).
 */
export interface StorageEgress {
  /** What is reached, for documentation and messages (e.g. `S3 endpoint minio:9000`, `GKE metadata server`). */
  readonly purpose: string;
  /** TCP ports. */
  readonly ports: readonly number[];
  /**
   * Where: `objectStorage` (the bucket endpoint; peers from `networkPolicy.objectStorage`), `identityProvider`
   * (a cloud token service such as AWS STS or Microsoft Entra ID; peers from `networkPolicy.identityProvider`),
   * or fixed address ranges (node-local credential endpoints such as the instance metadata server).
   */
  readonly to: 'objectStorage' | 'identityProvider' | { readonly cidrs: readonly string[] };
}

/** The storage backend kinds Tempo supports. */
export enum StorageBackend {
  S3 = 's3',
  GCS = 'gcs',
  AZURE = 'azure',
  LOCAL = 'local',
}

/**
 * Everything a storage choice contributes to a deployment, as plain data:
 * the `storage.trace` keys, and what the pods need to reach the bucket.
 */
export interface StorageBinding {
  /** Backend name written to `storage.trace.backend`. */
  readonly backend: StorageBackend;
  /** The backend's section, written to `storage.trace.<backend>`. May hold EnvReferences, never credentials. */
  readonly backendConfig: Record<string, unknown>;
  /** Environment variables read from Secrets (credentials). */
  readonly secretEnv: readonly SecretEnvVar[];
  /** Plain environment variables. */
  readonly env: Readonly<Record<string, string>>;
  /** Files mounted from Secrets (e.g. a GCP service account key). */
  readonly secretFiles: readonly SecretFile[];
  /** Annotations for the pods' ServiceAccount (cloud workload identity). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels for the pods (some identity webhooks select on them). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Whether pods need a ServiceAccount with a mounted token (cloud identity). */
  readonly needsServiceAccount: boolean;
  /** Whether several pods can share it (object storage) or not (local disk). */
  readonly shared: boolean;
  /** Every connection the pods make for this storage: the bucket endpoint and what the credentials need. */
  readonly egress: readonly StorageEgress[];
}

/**
 * Where Tempo keeps trace blocks. Create one with `TempoStorage.s3()`,
 * `TempoStorage.gcs()`, `TempoStorage.azure()` or `TempoStorage.local()`.
 * (Not `Storage`: that name is a DOM and Node global, and a missing import
 * would silently refer to it.)
 */
export abstract class TempoStorage {
  // The backends extend this class, so they are loaded when a factory runs, not when this module loads.
  /** Amazon S3 or an S3-compatible store such as MinIO. */
  public static s3(props: S3StorageProps): TempoStorage {
    return new (require('./s3') as typeof import('./s3')).S3Storage(props);
  }

  /** Google Cloud Storage. */
  public static gcs(props: GcsStorageProps): TempoStorage {
    return new (require('./gcs') as typeof import('./gcs')).GcsStorage(props);
  }

  /** Azure Blob Storage. */
  public static azure(props: AzureStorageProps): TempoStorage {
    return new (require('./azure') as typeof import('./azure')).AzureStorage(props);
  }

  /** The pod's own disk (single binary only). */
  public static local(props?: LocalStorageProps): TempoStorage {
    return new (require('./local') as typeof import('./local')).LocalStorage(props);
  }

  /** Checks the options and returns what the deployment needs. */
  public abstract bind(): StorageBinding;
}

/** Fills the optional fields of a binding. */
export function storageBinding(b: Pick<StorageBinding, 'backend' | 'backendConfig'> & Partial<StorageBinding>): StorageBinding {
  return {
    secretEnv: [],
    env: {},
    secretFiles: [],
    serviceAccountAnnotations: {},
    podLabels: {},
    needsServiceAccount: false,
    shared: true,
    egress: [],
    ...b,
  };
}

export { throwIfErrors } from '../k8s/validation';

/** Throws unless `value` is a non-empty string; `option` names the prop in the message. */
export function requireText(option: string, value: string | undefined, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${option}: "${value ?? ''}" is invalid; allowed: ${what}`);
  return value;
}

/** Throws unless `name` is a valid Secret name. */
export function requireSecretName(option: string, name: string): string {
  throwIfErrors(secretNameErrors(option, name));
  return name;
}
