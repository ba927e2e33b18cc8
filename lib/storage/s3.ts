import { EnvReference } from '../config/env-reference';
import { eksPodIdentityEgress, identityProviderEgress, instanceMetadataEgress } from './egress';
import { hostPortErrors, s3BucketErrors } from './names';
import { StorageBackend, StorageBinding, storageBinding, TempoStorage, throwIfErrors } from './storage';
import { secretKeyErrors, secretNameErrors } from '../k8s/validation';

/** Static S3 credentials kept in an existing Secret. */
export interface S3CredentialsSecret {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key holding the access key id. @default 'accessKeyId' */
  readonly accessKeyIdKey?: string;
  /** Key holding the secret access key. @default 'secretAccessKey' */
  readonly secretAccessKeyKey?: string;
}

/** Options of `TempoStorage.s3()`. */
export interface S3StorageProps {
  /** Bucket name. */
  readonly bucket: string;
  /**
   * S3 endpoint, `host[:port]` without scheme (e.g. `minio:9000`).
   * @default `s3.<region>.amazonaws.com`, so `region` is then required
   */
  readonly endpoint?: string;
  /** Bucket region. @default none (the SDK's default) */
  readonly region?: string;
  /** Use plain HTTP instead of HTTPS (MinIO in-cluster). @default false */
  readonly insecure?: boolean;
  /** Path-style addressing (`endpoint/bucket`), needed by MinIO. @default false */
  readonly forcePathStyle?: boolean;
  /**
   * Credentials from an existing Secret, passed as environment variables and
   * referenced as `${...}` in tempo.yaml (never written into a ConfigMap).
   * @default none: the pods use the ambient AWS identity (see `iamRoleArn`)
   */
  readonly credentials?: S3CredentialsSecret;
  /**
   * IAM role for service accounts (EKS IRSA): annotates Tempo's ServiceAccount
   * with `eks.amazonaws.com/role-arn` and mounts its token.
   * @default none
   */
  readonly iamRoleArn?: string;
  /**
   * EKS Pod Identity: credentials from the EKS Pod Identity Agent on the node, for the IAM role associated
   * (in EKS) with Tempo's ServiceAccount, whose token is then mounted.
   * @default false
   */
  readonly podIdentity?: boolean;
}

/** S3 or any S3-compatible store (MinIO, Ceph RGW, R2). */
export class S3Storage extends TempoStorage {
  /** Environment variable holding the access key id. */
  public static readonly ACCESS_KEY_ENV = 'TEMPO_S3_ACCESS_KEY_ID';
  /** Environment variable holding the secret access key. */
  public static readonly SECRET_KEY_ENV = 'TEMPO_S3_SECRET_ACCESS_KEY';

  constructor(private readonly props: S3StorageProps) {
    super();
  }

  /** Checks the options and returns the `s3` binding: credentials from their Secret as environment variables, or the IRSA annotation. */
  public bind(): StorageBinding {
    const p = this.props;
    const creds = p.credentials;
    const errors = [...s3BucketErrors('storage.s3.bucket', p.bucket)];
    if (!p.endpoint && !p.region) errors.push('storage.s3: neither endpoint nor region is set; allowed: an endpoint (host[:port]) or a region to derive s3.<region>.amazonaws.com');
    if (p.endpoint && /^[a-z]+:\/\//i.test(p.endpoint)) {
      errors.push(`storage.s3.endpoint: "${p.endpoint}" has a scheme; allowed: host[:port] only (use insecure: true for plain HTTP)`);
    } else if (p.endpoint !== undefined) {
      errors.push(...hostPortErrors('storage.s3.endpoint', p.endpoint));
    }
    if (p.region !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(p.region)) {
      errors.push(`storage.s3.region: "${p.region}" is invalid; allowed: a region name such as eu-west-1 (lower-case letters, digits and '-')`);
    }
    const modes = [p.credentials && 'credentials', p.iamRoleArn !== undefined && 'iamRoleArn', p.podIdentity && 'podIdentity'].filter(Boolean);
    if (modes.length > 1) errors.push(`storage.s3: ${modes.join(' and ')} are ${modes.length === 2 ? 'both' : 'all'} set; allowed: one of them`);
    if (p.iamRoleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(p.iamRoleArn)) {
      errors.push(`storage.s3.iamRoleArn: "${p.iamRoleArn}" is invalid; allowed: arn:aws:iam::<12-digit account>:role/<name>`);
    }
    if (creds) {
      errors.push(...secretNameErrors('storage.s3.credentials.secretName', creds.secretName),
        ...secretKeyErrors('storage.s3.credentials.accessKeyIdKey', creds.accessKeyIdKey),
        ...secretKeyErrors('storage.s3.credentials.secretAccessKeyKey', creds.secretAccessKeyKey));
    }
    throwIfErrors(errors);
    const endpoint = p.endpoint ?? `s3.${p.region}.amazonaws.com`;
    const explicitPort = /:(\d+)$/.exec(endpoint);
    const identity = creds ? []
      : p.iamRoleArn !== undefined ? [identityProviderEgress('AWS STS (IAM roles for service accounts)')]
        : p.podIdentity ? [eksPodIdentityEgress()]
          : [instanceMetadataEgress('EC2 instance metadata (the node\'s instance profile)')];
    return storageBinding({
      backend: StorageBackend.S3,
      backendConfig: {
        bucket: p.bucket,
        endpoint,
        region: p.region,
        insecure: p.insecure ?? false,
        forcepathstyle: p.forcePathStyle ?? false,
        access_key: creds ? EnvReference.of(S3Storage.ACCESS_KEY_ENV) : undefined,
        secret_key: creds ? EnvReference.of(S3Storage.SECRET_KEY_ENV) : undefined,
      },
      secretEnv: creds
        ? [
          { name: S3Storage.ACCESS_KEY_ENV, secretName: creds.secretName, key: creds.accessKeyIdKey ?? 'accessKeyId' },
          { name: S3Storage.SECRET_KEY_ENV, secretName: creds.secretName, key: creds.secretAccessKeyKey ?? 'secretAccessKey' },
        ]
        : [],
      serviceAccountAnnotations: p.iamRoleArn ? { 'eks.amazonaws.com/role-arn': p.iamRoleArn } : {},
      needsServiceAccount: p.iamRoleArn !== undefined || p.podIdentity === true,
      egress: [
        { purpose: `S3 endpoint ${endpoint}`, ports: [explicitPort ? Number(explicitPort[1]) : p.insecure ? 80 : 443], to: 'objectStorage' },
        ...identity,
      ],
    });
  }
}
