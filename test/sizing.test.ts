import { Duration, Size, SizeRoundingBehavior, Testing } from 'cdk8s';
import { SizingTier, TempoStorage, TempoDistributed, TempoMonolithic, TempoSizing } from '../lib';
import { cpuCores } from '../lib/k8s/resources';
import { find, Manifest, minioStorage } from './support/synth';

const GB = 1e9;
const gib = (s: Size) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
const mib = (s: Size | undefined) => s!.toMebibytes({ rounding: SizeRoundingBehavior.NONE });

describe('TempoSizing', () => {
  test("reproduces the seed's storage figures: 24h at 1000 traces/s = 1 GB, WAL +20 %, total 1.2 GB", () => {
    const s = TempoSizing.fromTraffic({ tracesPerSecond: 1000, retention: Duration.hours(24), storedBytesPerTrace: TempoSizing.SEED_STORED_BYTES_PER_TRACE });
    expect(s.storedBytes / GB).toBeCloseTo(1, 9);
    expect(s.walBytes / GB).toBeCloseTo(0.2, 9);
    expect(s.totalBytes / GB).toBeCloseTo(1.2, 9);
    // the seed's volume (5Gi) is the floor for the single binary
    expect(gib(s.monolithic.storageSize)).toBe(5);
  });

  test("reproduces the seed's resource tiers and its deployment's limits", () => {
    const small = TempoSizing.fromTraffic({ spansPerSecond: 100, retention: Duration.hours(24) }).monolithic;
    expect(small.tier).toBe(SizingTier.SMALL);
    expect(small.resources.cpu!.request!.amount).toBe('100m');
    expect(mib(small.resources.memory!.request)).toBe(128);
    expect(small.resources.cpu!.limit!.amount).toBe('500m');
    expect(mib(small.resources.memory!.limit)).toBe(512);
    const medium = TempoSizing.fromTraffic({ spansPerSecond: 500, retention: Duration.hours(24) }).monolithic;
    expect([medium.tier, medium.resources.cpu!.request!.amount, mib(medium.resources.memory!.request)]).toEqual([SizingTier.MEDIUM, '200m', 256]);
    const large = TempoSizing.fromTraffic({ spansPerSecond: 1500, retention: Duration.hours(24) }).monolithic;
    expect([large.tier, large.resources.cpu!.request!.amount, mib(large.resources.memory!.request)]).toEqual([SizingTier.LARGE, '500m', 512]);
  });

  test("follows Tempo's published per-replica capacities", () => {
    // 40 MB/s received: distributor 10 MB/s, ingester ~4, querier ~1.5, compactor ~4, generator 2 per replica
    const s = TempoSizing.fromTraffic({ spansPerSecond: 40_000, averageSpanSize: Size.kibibytes(1000 / 1024), retention: Duration.days(14) });
    expect(s.ingestBytesPerSecond).toBeCloseTo(40e6, 0);
    const d = s.distributed;
    expect([d.distributor.replicas, d.ingester.replicas, d.querier.replicas, d.compactor.replicas, d.metricsGenerator.replicas, d.queryFrontend.replicas])
      .toEqual([4, 10, 27, 10, 20, 2]);
    expect(d.distributor.resources!.cpu!.request!.amount).toBe('2000m');
    expect(mib(d.ingester.resources!.memory!.request)).toBe(8 * 1024);
    expect(s.distributedRecommended).toBe(true);
  });

  test('monotonic: more traffic or longer retention never asks for less', () => {
    let prev: TempoSizing | undefined;
    for (const sps of [10, 100, 1_000, 5_000, 20_000, 100_000, 1_000_000]) {
      const s = TempoSizing.fromTraffic({ spansPerSecond: sps, retention: Duration.days(7) });
      if (prev) {
        expect(s.storedBytes).toBeGreaterThan(prev.storedBytes);
        expect(gib(s.monolithic.storageSize)).toBeGreaterThanOrEqual(gib(prev.monolithic.storageSize));
        for (const c of ['distributor', 'ingester', 'querier', 'compactor', 'queryFrontend', 'metricsGenerator'] as const) {
          const [a, b] = [prev.distributed[c], s.distributed[c]];
          expect(b.replicas!).toBeGreaterThanOrEqual(a.replicas!);
          // total capacity (replicas × per-replica request) grows too
          expect(b.replicas! * cpuCores(b.resources!.cpu!.request!.amount)).toBeGreaterThanOrEqual(a.replicas! * cpuCores(a.resources!.cpu!.request!.amount));
        }
      }
      prev = s;
    }
    const week = TempoSizing.fromTraffic({ spansPerSecond: 1000, retention: Duration.days(7) });
    const month = TempoSizing.fromTraffic({ spansPerSecond: 1000, retention: Duration.days(30) });
    expect(month.storedBytes).toBeGreaterThan(week.storedBytes);
  });

  test('sane bounds: floors for tiny traffic, requests never above the published full-load figures', () => {
    const tiny = TempoSizing.fromTraffic({ spansPerSecond: 1, retention: Duration.hours(1) });
    expect(tiny.distributed.ingester.replicas).toBe(3);
    expect(tiny.distributed.ingester.replicationFactor).toBe(3);
    expect(gib(tiny.distributed.ingester.storageSize!)).toBe(10);
    for (const c of Object.values(tiny.distributed)) {
      expect(cpuCores(c.resources!.cpu!.request!.amount)).toBeGreaterThanOrEqual(0.1);
      expect(mib(c.resources!.memory!.request)).toBeGreaterThanOrEqual(256);
    }
    const huge = TempoSizing.fromTraffic({ spansPerSecond: 10_000_000, retention: Duration.days(30) });
    expect(cpuCores(huge.distributed.ingester.resources!.cpu!.request!.amount)).toBeLessThanOrEqual(2.5);
    expect(mib(huge.distributed.ingester.resources!.memory!.request)).toBeLessThanOrEqual(8 * 1024);
  });

  test('invalid input names the option', () => {
    expect(() => TempoSizing.fromTraffic({ retention: Duration.days(1) })).toThrow(/sizing: give exactly one of spansPerSecond and tracesPerSecond/);
    expect(() => TempoSizing.fromTraffic({ spansPerSecond: -5, retention: Duration.days(1) })).toThrow(/sizing\.spansPerSecond: -5 is invalid; allowed: a positive number/);
    expect(() => TempoSizing.fromTraffic({ spansPerSecond: 5, compressionRatio: 0, retention: Duration.days(1) })).toThrow(/sizing\.compressionRatio/);
  });

  test('the constructs accept the results directly', () => {
    const s = TempoSizing.fromTraffic({ spansPerSecond: 20_000, retention: Duration.days(14) });
    const chart = Testing.chart();
    new TempoDistributed(chart, 'D', {
      storage: minioStorage(),
      ...s.distributed,
      metricsGenerator: { ...s.distributed.metricsGenerator, remoteWriteUrl: 'http://prometheus:9090/api/v1/write' },
    });
    new TempoMonolithic(chart, 'M', { name: 'mono', storage: TempoStorage.local(), ...s.monolithic });
    const m = Testing.synth(chart) as Manifest[];
    expect(find(m, 'StatefulSet', 'tempo-ingester').spec.replicas).toBe(s.distributed.ingester.replicas);
    expect(find(m, 'Deployment', 'tempo-querier').spec.replicas).toBe(s.distributed.querier.replicas);
    expect(find(m, 'StatefulSet', 'mono').spec.template.spec.containers[0].resources.requests.cpu).toBe(s.monolithic.resources.cpu!.request!.amount);
  });
});
