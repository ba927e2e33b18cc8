import { Chart, Testing } from 'cdk8s';
import { TempoStorage, TempoDistributed, TempoDistributedProps, TempoMonolithic, TempoMonolithicProps } from '../../lib';
import { Manifest, minioStorage, testChart as chartIn } from '../support/synth';

export const GENERATOR = { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' };

/**
 * A TempoDistributed (namespace `monitoring`, metrics-generator on unless overridden) plus whatever
 * `add` puts beside it, synthesized.
 */
export function withDistributed<T>(add: (chart: Chart, tempo: TempoDistributed) => T, props: Partial<TempoDistributedProps> = {}, namespace: string | null = 'monitoring') {
  const chart = chartIn(namespace);
  const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), metricsGenerator: GENERATOR, ...props });
  const result = add(chart, tempo);
  return { chart, tempo, result, manifests: Testing.synth(chart) as Manifest[] };
}

/** A TempoMonolithic (namespace `tracing`, local storage, metrics-generator on) plus `add`, synthesized. */
export function withMonolithic<T>(add: (chart: Chart, tempo: TempoMonolithic) => T, props: Partial<TempoMonolithicProps> = {}) {
  const chart = chartIn('tracing');
  const tempo = new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), metricsGenerator: GENERATOR, ...props });
  const result = add(chart, tempo);
  return { chart, tempo, result, manifests: Testing.synth(chart) as Manifest[] };
}

/** Objects of one kind. */
export function ofKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}
