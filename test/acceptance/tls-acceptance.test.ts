/**
 * TLS config acceptance: receiver TLS and internal mutual TLS (gRPC server and clients, memberlist) on the real
 * 2.6.1, 2.10.8 and 3.0.3 binaries with `-config.verify=true` (see config-acceptance.test.ts for the bar).
 * Tempo parses the TLS keys strictly here; the receivers' `tls` block is the collector's and is decoded at start-up,
 * which the TLS end-to-end scenario (test/e2e/tls.test.ts) covers.
 */
import { Duration } from 'cdk8s';
import { TempoCertificate, TempoDistributed, TempoMonolithic, TempoReceiver, TempoStorage, TempoVersion } from '../../lib';
import { minioStorage, testChart } from '../support/synth';
import { describeWithBinaries } from '../support/tempo-binaries';
import { failures, verifyManifests } from './run-tempo';

const ISSUER = { name: 'tempo-ca', kind: 'Issuer' as const };
const TLS = {
  receivers: { certificate: TempoCertificate.certManager({ issuer: ISSUER }), requireClientCertificate: true, reloadInterval: Duration.minutes(1) },
  internal: { certificate: TempoCertificate.fromSecret('tempo-mtls') },
};
const RECEIVERS = [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp(), TempoReceiver.jaegerGrpc(), TempoReceiver.zipkin(), TempoReceiver.jaegerThriftCompact()];

describeWithBinaries('TLS config acceptance (real Tempo, -config.verify=true)', ['tempo-2.6.1', 'tempo-2.10.8', 'tempo-3.0.3'], () => {
  test.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8].map((v) => [v.version, v] as const))('Tempo %s distributed: receiver TLS, gRPC and memberlist mTLS, metrics-generator', (_v, version) => {
    const chart = testChart('tracing');
    new TempoDistributed(chart, 'Tempo', { version, storage: minioStorage(), receivers: RECEIVERS, tls: TLS, metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    const results = verifyManifests(chart.toJson());
    expect(results.map((r) => r.binaryVersion)).toEqual(Array(6).fill(version.version));
    expect(failures(results)).toEqual([]);
  });

  test('Tempo 3.0.3 distributed: receiver TLS, gRPC (live-store, backend scheduler, frontend) and memberlist mTLS', () => {
    const chart = testChart('tracing');
    new TempoDistributed(chart, 'Tempo', {
      version: TempoVersion.V3_0_3, storage: minioStorage(), ingest: { kafka: { address: 'kafka:9092', topic: 'tempo', partitions: 2 } }, tls: TLS,
    });
    const results = verifyManifests(chart.toJson());
    expect(results.every((r) => r.binaryVersion === '3.0.3')).toBe(true);
    expect(results.length).toBeGreaterThanOrEqual(7);
    expect(failures(results)).toEqual([]);
  });

  test.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8, TempoVersion.V3_0_3].map((v) => [v.version, v] as const))('Tempo %s monolithic: receiver TLS from a Secret', (_v, version) => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { version, storage: TempoStorage.local(), tls: { receivers: { certificate: TempoCertificate.fromSecret('tempo-receivers') } } });
    const results = verifyManifests(chart.toJson());
    expect(results).toHaveLength(1);
    expect(failures(results)).toEqual([]);
  });
});
