import { AzureStorage, AzureStorageProps } from './azure';
import { GcsStorage, GcsStorageProps } from './gcs';
import { LocalStorage, LocalStorageProps } from './local';
import { S3Storage, S3StorageProps } from './s3';
import { TempoStorage as StorageBase } from './storage';

export * from './storage';
export * from './s3';
export * from './gcs';
export * from './azure';
export * from './local';

/** Factories for every storage backend. */
export const Storage = {
  /** Amazon S3 or an S3-compatible store such as MinIO. */
  s3: (props: S3StorageProps): StorageBase => new S3Storage(props),
  /** Google Cloud Storage. */
  gcs: (props: GcsStorageProps): StorageBase => new GcsStorage(props),
  /** Azure Blob Storage. */
  azure: (props: AzureStorageProps): StorageBase => new AzureStorage(props),
  /** The pod's own disk (single binary only). */
  local: (props?: LocalStorageProps): StorageBase => new LocalStorage(props),
};
