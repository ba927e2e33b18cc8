import { Duration } from 'cdk8s';
import { GeneratorProcessor, LocalBlocksOptions, MetricsGeneratorSettings, runsLocalBlocks } from './tempo-config';
import { urlCredentialErrors } from './owned-keys';
import { describeDuration, durationError } from './units';
import type { TempoVersion } from '../version';

/**
 * Errors for a remote-write URL: http(s), a host, a valid port, and no
 * credentials (they would land in the tempo.yaml ConfigMap).
 */
export function remoteWriteUrlErrors(option: string, url: string | undefined): string[] {
  const invalid = `${option}: "${url ?? ''}" is invalid; allowed: an http(s) URL of a Prometheus remote-write endpoint (required when the metrics-generator is deployed)`;
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(url)) return [invalid];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`${invalid}; a host and a port from 1 to 65535 are needed`];
  }
  if (parsed.username || parsed.password || urlCredentialErrors(option, url).length) {
    return [`${option}: the URL holds credentials (user:password@), which would be written to the tempo.yaml ConfigMap; `
      + 'allowed: the URL without them; there is no typed remote-write credential option, so add the password from a Secret with the metrics-generator env option '
      + "(EnvValue.fromSecretValue) and extraConfig metrics_generator.storage.remote_write: [{ url: <the same URL>, basic_auth: { username, password: EnvReference.of('NAME') } }]"];
  }
  if (/\s/.test(url)) return [invalid];
  return [];
}

/** Errors for histogram buckets: finite, positive, strictly increasing (Prometheus rejects unsorted or duplicate bounds). */
export function histogramBucketErrors(option: string, buckets: readonly number[] | undefined): string[] {
  if (buckets === undefined) return [];
  const allowed = 'allowed: finite, positive bounds in seconds, strictly increasing, at least one';
  if (!Array.isArray(buckets) || buckets.length === 0) return [`${option}: empty; ${allowed}`];
  const bad = buckets.filter((b) => typeof b !== 'number' || !Number.isFinite(b) || b <= 0);
  if (bad.length) return [`${option}: ${bad.map(String).join(', ')} invalid; ${allowed}`];
  const i = buckets.findIndex((b, j) => j > 0 && b <= buckets[j - 1]);
  if (i > 0) return [`${option}: ${buckets[i]} follows ${buckets[i - 1]} (${buckets[i] === buckets[i - 1] ? 'duplicate' : 'unsorted'}); ${allowed}`];
  return [];
}

const PROMETHEUS_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Errors for the metrics-generator settings; `option` is their path (`metricsGenerator`). */
export function metricsGeneratorErrors(option: string, gen: MetricsGeneratorSettings | undefined, version: TempoVersion): string[] {
  if (!gen) return [];
  const errors = [
    ...remoteWriteUrlErrors(`${option}.remoteWriteUrl`, gen.remoteWriteUrl),
    ...histogramBucketErrors(`${option}.spanMetricsHistogramBuckets`, gen.spanMetricsHistogramBuckets),
    ...histogramBucketErrors(`${option}.serviceGraphHistogramBuckets`, gen.serviceGraphHistogramBuckets),
  ];
  const processors = gen.processors;
  if (processors) {
    const known = Object.values(GeneratorProcessor) as string[];
    if (!processors.length) errors.push(`${option}.processors: empty; allowed: at least one of ${known.join(', ')} (or no metricsGenerator)`);
    for (const p of processors) if (!known.includes(p)) errors.push(`${option}.processors: "${p}" is invalid; allowed: ${known.join(', ')}`);
    if (version.kafkaArchitecture && processors.includes(GeneratorProcessor.LOCAL_BLOCKS)) {
      errors.push(`${option}.processors: local-blocks does not exist in Tempo ${version.version} (its live-stores answer TraceQL metrics); allowed: ${GeneratorProcessor.SERVICE_GRAPHS}, ${GeneratorProcessor.SPAN_METRICS}`);
    }
    if (new Set(processors).size !== processors.length) errors.push(`${option}.processors: ${processors.join(', ')} has duplicates; allowed: each processor once`);
  }
  if (gen.localBlocks !== undefined) {
    errors.push(...(runsLocalBlocks(gen, version)
      ? localBlocksErrors(`${option}.localBlocks`, gen.localBlocks)
      : [`${option}.localBlocks: set but ${option}.processors does not list GeneratorProcessor.LOCAL_BLOCKS; allowed: add it to processors, or leave localBlocks out`]));
  }
  for (const key of ['spanMetricsDimensions', 'serviceGraphDimensions'] as const) {
    const dims = gen[key] ?? [];
    const bad = dims.filter((d) => typeof d !== 'string' || d.trim() === '');
    if (bad.length) errors.push(`${option}.${key}: ${bad.map((d) => `"${d}"`).join(', ')} invalid; allowed: span attribute names`);
    if (new Set(dims).size !== dims.length) errors.push(`${option}.${key}: ${dims.join(', ')} has duplicates; allowed: each attribute once`);
  }
  for (const [name, value] of Object.entries(gen.externalLabels ?? {})) {
    if (!PROMETHEUS_LABEL.test(name) || name.startsWith('__')) {
      errors.push(`${option}.externalLabels: label name "${name}" is invalid; allowed: [a-zA-Z_][a-zA-Z0-9_]*, not starting with __`);
    }
    if (typeof value !== 'string' || value === '') errors.push(`${option}.externalLabels: value of "${name}" is invalid; allowed: a non-empty string`);
  }
  return errors;
}

/** Errors for the local-blocks options; `option` is their path (`metricsGenerator.localBlocks`). */
function localBlocksErrors(option: string, o: LocalBlocksOptions): string[] {
  const errors: string[] = [];
  for (const key of ['filterServerSpans', 'flushToStorage'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') errors.push(`${option}.${key}: ${JSON.stringify(o[key])} is invalid; allowed: true or false`);
  }
  const live = o.maxLiveTraces;
  if (live !== undefined && !(Number.isSafeInteger(live) && live >= 1)) errors.push(`${option}.maxLiveTraces: ${live} is invalid; allowed: an integer >= 1`);
  for (const [key, min] of [['completeBlockTimeout', Duration.minutes(1)], ['maxBlockDuration', Duration.seconds(10)]] as const) {
    const d = o[key];
    if (d === undefined) continue;
    const error = d instanceof Duration ? durationError(`${option}.${key}`, d, min) : `${option}.${key}: ${JSON.stringify(d)} is invalid; allowed: a Duration of at least ${describeDuration(min)}`;
    if (error) errors.push(error);
  }
  const { completeBlockTimeout: complete, maxBlockDuration: block } = o;
  if (complete instanceof Duration && block instanceof Duration && errors.length === 0 && block.toSeconds() >= complete.toSeconds()) {
    errors.push(`${option}.maxBlockDuration: ${describeDuration(block)} is not shorter than completeBlockTimeout (${describeDuration(complete)}); allowed: a shorter block duration, or blocks are dropped as soon as they complete`);
  }
  return errors;
}
