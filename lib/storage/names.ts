/**
 * Naming rules of the storage backends, checked at synth time so a typo
 * fails here and not when Tempo first writes a block.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Errors for an S3 bucket name (AWS's rules for general purpose buckets, which MinIO and other S3 stores follow too). */
export function s3BucketErrors(option: string, bucket: string): string[] {
  const allowed = "allowed: an S3 bucket name of 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, no '..', not an IP address, "
    + `not starting with ${S3_RESERVED_PREFIXES.join(', ')} nor ending with ${S3_RESERVED_SUFFIXES.join(', ')}`;
  const ok = typeof bucket === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && !bucket.includes('..') && !IPV4.test(bucket)
    && !S3_RESERVED_PREFIXES.some((p) => bucket.startsWith(p)) && !S3_RESERVED_SUFFIXES.some((s) => bucket.endsWith(s));
  return ok ? [] : [`${option}: "${bucket ?? ''}" is invalid; ${allowed}`];
}

/** Errors for a Google Cloud Storage bucket name. */
export function gcsBucketErrors(option: string, bucket: string): string[] {
  const parts = typeof bucket === 'string' ? bucket.split('.') : [];
  const ok = typeof bucket === 'string' && /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(bucket) && bucket.length >= 3
    && (bucket.includes('.') ? bucket.length <= 222 && parts.every((p) => p.length >= 1 && p.length <= 63) : bucket.length <= 63)
    && !IPV4.test(bucket) && !bucket.startsWith('goog') && !/g[o0]{2}g[l1]e/.test(bucket);
  return ok ? [] : [`${option}: "${bucket ?? ''}" is invalid; allowed: a GCS bucket name of 3-63 characters of lower-case letters, digits, '-', '_' and '.' `
    + "(up to 222 with dots, each dot-separated part at most 63), starting and ending with a letter or digit, not an IP address, not starting with 'goog' nor containing 'google'"];
}

/** Errors for an Azure Blob container name. */
export function azureContainerErrors(option: string, container: string): string[] {
  const ok = typeof container === 'string' && /^[a-z0-9](-?[a-z0-9])*$/.test(container) && container.length >= 3 && container.length <= 63;
  return ok ? [] : [`${option}: "${container ?? ''}" is invalid; allowed: an Azure container name of 3-63 characters of lower-case letters, digits and '-', starting and ending with a letter or digit, no '--'`];
}

/** Errors for an Azure storage account name. */
export function azureAccountErrors(option: string, account: string): string[] {
  return typeof account === 'string' && /^[a-z0-9]{3,24}$/.test(account)
    ? []
    : [`${option}: "${account ?? ''}" is invalid; allowed: a storage account name of 3-24 lower-case letters and digits`];
}

/** Errors for an endpoint written as `host[:port]`. */
export function hostPortErrors(option: string, endpoint: string): string[] {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(?::(\d+))?$/.exec(endpoint);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    return [`${option}: "${endpoint}" is invalid; allowed: host[:port] with a DNS name or IP address and a port from 1 to 65535`];
  }
  return [];
}
