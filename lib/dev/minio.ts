import { Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { sizeErrors, sizeQuantity } from '../config/units';
import { LabelKeys } from '../k8s/labels';
import { instanceNameErrors, minioJobName, NameLimits, statefulSetNames } from '../k8s/names';
import { resourceErrors, toResourceRequirements } from '../k8s/resources';
import { dataClaimTemplate, podTemplate, workload } from '../k8s/workload';
import { S3Storage } from '../storage/s3';
import { s3BucketErrors } from '../storage/names';
import { TempoStorage } from '../storage/storage';
import { imageErrors, secretKeyErrors, secretNameErrors, storageClassNameErrors } from '../k8s/validation';

/** Options of `DevMinio`. */
export interface DevMinioProps {
  /** Name of the StatefulSet and of the Service (the S3 endpoint is `<name>:9000`). @default 'minio' */
  readonly name?: string;
  /**
   * An existing Secret with MinIO's root credentials. They are read by MinIO,
   * by the bucket Job and (through `storage()`) by Tempo; never copied.
   */
  readonly rootCredentials: {
    readonly secretName: string;
    /** @default 'rootUser' */
    readonly userKey?: string;
    /** @default 'rootPassword' */
    readonly passwordKey?: string;
  };
  /** Buckets the Job creates. @default ['tempo-traces'] */
  readonly buckets?: readonly string[];
  /** Volume size. @default Size.gibibytes(10) */
  readonly storageSize?: Size;
  /** StorageClass of the volume. @default the cluster's default */
  readonly storageClassName?: string;
  /** MinIO server image. @default DevMinio.DEFAULT_IMAGE */
  readonly image?: string;
  /** MinIO client image of the bucket Job. @default DevMinio.DEFAULT_CLIENT_IMAGE */
  readonly clientImage?: string;
  /** Server resources. @default requests 100m CPU / 256Mi, memory limit 1Gi */
  readonly resources?: ContainerResources;
}

const UID = 1000;

/**
 * A single MinIO server for development and tests: StatefulSet with one
 * volume, a Service on 9000 (S3 API) and 9001 (console), and a Job that
 * creates the buckets. **Not for production**: one replica, no erasure
 * coding, no TLS, root credentials used by the clients. Use a managed bucket
 * or a MinIO operator tenant in production.
 *
 * `minio.storage()` plugs it into Tempo in one line.
 */
export class DevMinio extends Construct {
  /** A MinIO release; override with `image`. */
  public static readonly DEFAULT_IMAGE = 'minio/minio:RELEASE.2024-12-18T13-15-44Z';
  /** A MinIO client release; override with `clientImage`. */
  public static readonly DEFAULT_CLIENT_IMAGE = 'minio/mc:RELEASE.2024-11-21T17-21-54Z';

  /** Service name (and StatefulSet name). */
  public readonly serviceName: string;
  /** S3 endpoint, `host:port`. */
  public readonly endpoint: string;
  /** Buckets created. */
  public readonly buckets: readonly string[];
  private readonly credentials: DevMinioProps['rootCredentials'];

  constructor(scope: Construct, id: string, props: DevMinioProps) {
    super(scope, id);
    const name = props.name ?? 'minio';
    const buckets = props.buckets ?? ['tempo-traces'];
    const resources = props.resources ?? { cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } };
    const errors = [
      ...instanceNameErrors('minio.name', name, [...statefulSetNames(name), { kind: 'Job', name: minioJobName(name), limit: NameLimits.JOB }]),
      ...(buckets.length ? [] : ['minio.buckets: empty; allowed: at least one bucket name']),
      ...buckets.flatMap((b) => s3BucketErrors('minio.buckets', b)),
      ...resourceErrors('minio.resources', resources),
      ...sizeErrors('minio.storageSize', props.storageSize),
      ...storageClassNameErrors('minio.storageClassName', props.storageClassName),
      ...imageErrors('minio.image', props.image),
      ...imageErrors('minio.clientImage', props.clientImage),
      ...secretNameErrors('minio.rootCredentials.secretName', props.rootCredentials?.secretName),
      ...secretKeyErrors('minio.rootCredentials.userKey', props.rootCredentials?.userKey),
      ...secretKeyErrors('minio.rootCredentials.passwordKey', props.rootCredentials?.passwordKey),
    ];
    if (errors.length) throw new Error(`DevMinio:\n  ${errors.join('\n  ')}`);

    this.serviceName = name;
    this.endpoint = `${name}:9000`;
    this.buckets = buckets;
    this.credentials = props.rootCredentials;
    const selector = { [LabelKeys.NAME]: 'minio', [LabelKeys.INSTANCE]: name, [LabelKeys.COMPONENT]: 'object-storage' };
    const labels = { ...selector, [LabelKeys.PART_OF]: 'tempo', [LabelKeys.MANAGED_BY]: 'cdk8s-tempo' };
    const secretEnv = (envName: string, key: string): k8s.EnvVar => ({ name: envName, valueFrom: { secretKeyRef: { name: this.credentials.secretName, key } } });
    const rootEnv = [
      secretEnv('MINIO_ROOT_USER', this.credentials.userKey ?? 'rootUser'),
      secretEnv('MINIO_ROOT_PASSWORD', this.credentials.passwordKey ?? 'rootPassword'),
    ];
    const tmp = { name: 'tmp', emptyDir: {} };

    new k8s.KubeService(this, 'Service', {
      metadata: { name, labels },
      spec: {
        selector,
        ports: [
          { name: 'api', port: 9000, targetPort: k8s.IntOrString.fromString('api'), protocol: 'TCP' },
          { name: 'console', port: 9001, targetPort: k8s.IntOrString.fromString('console'), protocol: 'TCP' },
        ],
      },
    });

    workload(this, 'Server', {
      kind: 'StatefulSet',
      name,
      serviceName: name,
      objectLabels: labels,
      selector,
      replicas: 1,
      // One pod: ordered start and default updates are all it needs.
      parallel: false,
      labels,
      uid: UID,
      containers: [{
        name: 'minio',
        image: props.image ?? DevMinio.DEFAULT_IMAGE,
        args: ['server', '/data', '--address=:9000', '--console-address=:9001', '--certs-dir=/tmp/certs'],
        env: rootEnv,
        ports: [{ name: 'api', containerPort: 9000, protocol: 'TCP' }, { name: 'console', containerPort: 9001, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/minio/health/ready', port: k8s.IntOrString.fromString('api') }, periodSeconds: 10, timeoutSeconds: 2 },
        livenessProbe: { httpGet: { path: '/minio/health/live', port: k8s.IntOrString.fromString('api') }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5 },
        resources: toResourceRequirements(resources),
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [tmp],
      volumeClaimTemplates: [dataClaimTemplate(selector, sizeQuantity(props.storageSize ?? Size.gibibytes(10)), props.storageClassName)],
    });

    // Idempotent: retries until MinIO answers, and `--ignore-existing` makes re-runs harmless.
    const script = [
      'set -eu',
      `until mc alias set local http://${this.endpoint} "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"; do sleep 2; done`,
      ...buckets.map((b) => `mc mb --ignore-existing local/${b}`),
    ].join('\n');
    const jobLabels = { ...labels, [LabelKeys.COMPONENT]: 'create-buckets' };
    new k8s.KubeJob(this, 'CreateBuckets', {
      metadata: { name: minioJobName(name), labels: jobLabels },
      spec: {
        backoffLimit: 10,
        template: podTemplate({
          labels: jobLabels,
          restartPolicy: 'OnFailure',
          uid: UID,
          containers: [{
            name: 'mc',
            image: props.clientImage ?? DevMinio.DEFAULT_CLIENT_IMAGE,
            command: ['/bin/sh', '-c', script],
            env: [...rootEnv, { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' }],
            resources: toResourceRequirements({ cpu: { request: Cpu.millis(10) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } }),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [tmp],
        }),
      },
    });
  }

  /** S3 storage on this MinIO (path-style, plain HTTP, root credentials from the same Secret). */
  public storage(bucket: string = this.buckets[0]): TempoStorage {
    if (!this.buckets.includes(bucket)) throw new Error(`minio.storage: bucket "${bucket}" is not created by this MinIO; allowed: ${this.buckets.join(', ')}`);
    return new S3Storage({
      bucket,
      endpoint: this.endpoint,
      insecure: true,
      forcePathStyle: true,
      credentials: {
        secretName: this.credentials.secretName,
        accessKeyIdKey: this.credentials.userKey ?? 'rootUser',
        secretAccessKeyKey: this.credentials.passwordKey ?? 'rootPassword',
      },
    });
  }
}
