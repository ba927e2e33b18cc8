/**
 * Starts the monolithic reference deployment's single binary for real (2.6.1 as in dist/, and the same chart
 * on 2.10.8) in a private network namespace and reads what it prints until it is stopped: the warnings the
 * library settles must be gone, and `/ready` must answer without the compactor's one-minute ring wait.
 */
import { App } from 'cdk8s';
import { TempoMonolithicChart } from '../../main';
import { TempoVersion } from '../../lib';
import { podProcessSpec } from '../support/pod-process';
import { find } from '../support/synth';
import { describeWithBinaries, tempoBinary } from '../support/tempo-binaries';
import { cleanup, problemLines, startBounded, tempRoot } from './run-tempo';

// Warnings a correct configuration still prints at start: the 2.6 Jaeger receiver's Thrift deprecation notice,
// the collector's notice for receivers bound to 0.0.0.0 (needed to be reachable in a pod), and WAL replay
// skipping Tempo's own `blocks` folder. Anything else fails.
const KNOWN_WARNINGS = [
  /jaeger receiver will deprecate Thrift-gen/,
  /Using the 0\.0\.0\.0 address exposes this server/,
  /unowned file entry ignored during wal replay.*file=blocks/,
];
// Without the fix: 60 s of compactor ring wait plus the ingester's 15 s min_ready_duration.
const READY_BOUND_SECONDS = 40;

describeWithBinaries('single binary start-up (real Tempo)', ['tempo-2.6.1', 'tempo-2.10.8'], () => {
  test.each([TempoVersion.V2_6_1, TempoVersion.V2_10_8].map((v) => [v.version, v] as const))('monolithic reference chart on %s: no start-up warning, ready without the ring wait', (_name, version) => {
    const manifests = new TempoMonolithicChart(new App(), 'tempo-monolithic', {}, version).toJson();
    const root = tempRoot('start');
    try {
      const spec = podProcessSpec(manifests, find(manifests, 'StatefulSet', 'tempo'), { root });
      const res = startBounded(spec, tempoBinary(version.version)!, 'http://127.0.0.1:3200/ready', READY_BOUND_SECONDS);
      // Only what it printed before it was told to stop (stopping a running frontend logs its own warnings).
      const startup = res.output.split('received SIGINT/SIGTERM')[0];
      expect(startup).toContain('Tempo started');
      expect(startup).not.toContain('Worker address is empty');
      expect(startup).not.toContain('waiting until compactor ring topology is stable');
      expect(problemLines(startup).filter((l) => !KNOWN_WARNINGS.some((k) => k.test(l)))).toEqual([]);
      expect(res.readySeconds).toBeDefined();
      expect(res.readySeconds!).toBeLessThan(READY_BOUND_SECONDS);
      // eslint-disable-next-line no-console
      console.log(`tempo ${version.version} single binary: /ready after ${res.readySeconds} s`);
    } finally {
      cleanup(root);
    }
  }, (READY_BOUND_SECONDS + 30) * 1000);
});
