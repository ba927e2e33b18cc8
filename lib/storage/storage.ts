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
}

/** Where Tempo keeps trace blocks. Create one with `Storage.s3()`, `Storage.gcs()`, `Storage.azure()` or `Storage.local()`. */
export abstract class TempoStorage {
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
    ...b,
  };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Throws unless `value` is a non-empty string; `option` names the prop in the message. */
export function requireText(option: string, value: string | undefined, what = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${option}: "${value ?? ''}" is invalid; allowed: ${what}`);
  return value;
}

/** Throws unless `name` is a valid Secret name. */
export function requireSecretName(option: string, name: string): string {
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
    throw new Error(`${option}: "${name}" is not a valid Secret name; allowed: lower-case letters, digits, '-' and '.', at most 253 characters`);
  }
  return name;
}
