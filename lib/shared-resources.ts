import { k8s } from './k8s/plus';
import { Construct } from 'constructs';
import type { TempoNames } from './k8s/names';
import type { StorageBinding } from './storage/storage';
import type { TempoServiceAccountOptions } from './common-props';

/** Options of `TempoSharedResources`. */
export interface TempoSharedResourcesProps {
  /** The instance's object names. */
  readonly names: TempoNames;
  /** Name and extra annotations of the ServiceAccount. @default `names.serviceAccount`, the storage's annotations only */
  readonly serviceAccount?: TempoServiceAccountOptions;
  /** Rendered tempo.yaml. */
  readonly configText: string;
  /** Rendered runtime overrides.yaml. */
  readonly runtimeOverridesText: string;
  /** The storage binding: annotations of the ServiceAccount and whether its token is mounted. */
  readonly storage: StorageBinding;
  /** Labels of the instance (without component). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Objects every Tempo pod of an instance uses: the configuration ConfigMap
 * (`<instance>-config`, key `tempo.yaml`), the runtime overrides ConfigMap
 * (`<instance>-runtime`, key `overrides.yaml`) and the ServiceAccount
 * (`<instance>`, token mounted only when a cloud identity needs it).
 * Credentials never go into these ConfigMaps: tempo.yaml references them as `${VAR}`.
 */
export class TempoSharedResources extends Construct {
  /** Name of the ConfigMap holding `tempo.yaml` (`<instance>-config`). */
  public readonly configMapName: string;
  /** Name of the ConfigMap holding `overrides.yaml` (`<instance>-runtime`). */
  public readonly runtimeConfigMapName: string;
  /** Name of the ServiceAccount (`<instance>`). */
  public readonly serviceAccountName: string;
  /** Whether pods mount the ServiceAccount token. */
  public readonly mountServiceAccountToken: boolean;

  constructor(scope: Construct, id: string, props: TempoSharedResourcesProps) {
    super(scope, id);
    this.configMapName = props.names.config;
    this.runtimeConfigMapName = props.names.runtimeConfig;
    this.serviceAccountName = props.serviceAccount?.name ?? props.names.serviceAccount;
    this.mountServiceAccountToken = props.storage.needsServiceAccount;
    const labels = { ...props.labels };
    const annotations = { ...props.serviceAccount?.annotations, ...props.storage.serviceAccountAnnotations };
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name: this.configMapName, labels }, data: { 'tempo.yaml': props.configText } });
    new k8s.KubeConfigMap(this, 'RuntimeConfig', {
      metadata: { name: this.runtimeConfigMapName, labels },
      data: { 'overrides.yaml': props.runtimeOverridesText },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: this.serviceAccountName,
        labels,
        annotations: Object.keys(annotations).length ? annotations : undefined,
      },
      automountServiceAccountToken: this.mountServiceAccountToken,
    });
  }
}
