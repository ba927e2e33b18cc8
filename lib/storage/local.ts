import { StorageBackend, StorageBinding, storageBinding, TempoStorage } from './storage';

/** Options of `TempoStorage.local()`. */
export interface LocalStorageProps {
  /** Directory for trace blocks, on the pod's data volume. @default '/var/tempo/traces' */
  readonly path?: string;
}

/** Blocks on the pod's own disk: single binary only (components cannot share it). */
export class LocalStorage extends TempoStorage {
  constructor(private readonly props: LocalStorageProps = {}) {
    super();
  }

  /** Checks that the path is below /var/tempo/ and returns the `local` binding, which pods cannot share. */
  public bind(): StorageBinding {
    const path = this.props.path ?? '/var/tempo/traces';
    if (!path.startsWith('/var/tempo/') || path.split('/').includes('..')) throw new Error(`storage.local.path: "${path}" is outside the data volume; allowed: a path below /var/tempo/`);
    return storageBinding({ backend: StorageBackend.LOCAL, backendConfig: { path }, shared: false });
  }
}
