/**
 * Runs real Tempo binaries on synthesized workloads (see test/support/pod-process.ts for what is mapped):
 * `-config.verify=true` for every Tempo container, and a bounded start of a single binary.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { podProcessSpec, ProcessSpec, tempoContainers, writeProcessFiles } from '../support/pod-process';
import type { Manifest } from '../support/synth';
import { tempoBinaryForRelease } from '../support/tempo-binaries';

/** What Tempo said about one container's configuration. */
export interface VerifyResult {
  /** `<Kind>/<name>` (container) of the workload. */
  readonly workload: string;
  /** Release of the image. */
  readonly version?: string;
  /** The binary's release (the shipped patch release of the image's line), or undefined when none ships. */
  readonly binaryVersion?: string;
  /** Exit code (null when killed). */
  readonly status: number | null;
  /** stdout + stderr. */
  readonly output: string;
  /** Lines of the output that are warnings or errors. */
  readonly problems: readonly string[];
}

/** Log lines Tempo prints for a configuration it does not fully accept (logfmt or JSON; parse errors). */
export const PROBLEM_LINE = /level=(warn|error)|"level":"(warn|error)"|failed parsing config|^panic/i;

/** Lines of `output` that are warnings or errors. */
export function problemLines(output: string): string[] {
  return output.split('\n').filter((l) => PROBLEM_LINE.test(l));
}

/** A temporary folder for one run, removed by `cleanup`. */
export function tempRoot(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-tempo-${prefix}-`));
}

/** `rm -rf` of a temporary folder. */
export function cleanup(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `-config.verify=true` for one process spec with the binary of its line. */
export function verifySpec(spec: ProcessSpec): VerifyResult {
  const workload = `${spec.workload} (${spec.container})`;
  const binary = spec.version ? tempoBinaryForRelease(spec.version) : undefined;
  if (!binary) return { workload, version: spec.version, status: null, output: '', problems: [] };
  writeProcessFiles(spec);
  const res = spawnSync(binary.path, [...spec.args, '-config.verify=true'], {
    cwd: spec.root,
    env: { ...spec.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? `\n${res.error.message}` : ''}`;
  return { workload, version: spec.version, binaryVersion: binary.version, status: res.status, output, problems: problemLines(output) };
}

/** Verifies every Tempo container of every workload in `manifests`, each in its own temporary root. */
export function verifyManifests(manifests: readonly Manifest[]): VerifyResult[] {
  const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
  return tempoContainers(workloads).map(({ workload, container }) => {
    const root = tempRoot('verify');
    try {
      return verifySpec(podProcessSpec(manifests, workload, { root, container: container.name }));
    } finally {
      cleanup(root);
    }
  });
}

/** Results that fail the bar: a binary ran and exited non-zero or printed a warning. */
export function failures(results: readonly VerifyResult[]): string[] {
  return results
    .filter((r) => r.binaryVersion && (r.status !== 0 || r.problems.length > 0))
    .map((r) => `${r.workload} on tempo-${r.binaryVersion}: exit ${r.status}\n${r.output.trim()}`);
}

/** Releases with no shipped binary of their line (verified nothing; reported as a note). */
export function unverified(results: readonly VerifyResult[]): string[] {
  return [...new Set(results.filter((r) => !r.binaryVersion).map((r) => r.version ?? '(no version)'))];
}

/** What a bounded start of a process printed, and when `/ready` first answered 200. */
export interface StartResult {
  /** Seconds from start to the first 200 on `/ready`, or undefined when it never answered within the bound. */
  readonly readySeconds?: number;
  /** stdout + stderr of the process (and of the probe loop). */
  readonly output: string;
}

// In a private network namespace, so its ports cannot collide with anything on this machine. dskit takes the
// ring address from eth0, so the namespace gets one: a veth pair whose both ends stay inside (nothing leaves),
// with 10.0.0.1 standing for the pod IP; the configuration stays as synthesized.
// Then: start the process, probe /ready every 0.25 s up to the bound, stop it (SIGTERM, then SIGKILL).
const START_SCRIPT = `
ip link set lo up && ip link add eth0 type veth peer name eth1 && ip addr add 10.0.0.1/24 dev eth0 \
  && ip link set eth1 up && ip link set eth0 up || exit 97
"$@" &
pid=$!
start=$(date +%s%N)
i=0
while [ $i -lt $TRIES ]; do
  if curl -sf -o /dev/null "$READY_URL"; then echo "READY_AFTER_MS=$(( ($(date +%s%N) - start) / 1000000 ))"; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.25
  i=$((i+1))
done
kill $pid 2>/dev/null
for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
exit 0
`;

/**
 * Starts `binary` with the spec's args and env in a new network namespace (`unshare -n`, needs root or user
 * namespaces), waits at most `boundSeconds` for `readyUrl`, stops it, and returns its output.
 */
export function startBounded(spec: ProcessSpec, binary: string, readyUrl: string, boundSeconds: number): StartResult {
  writeProcessFiles(spec);
  const unshare = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  const res = spawnSync('unshare', [...unshare, '--', 'sh', '-c', START_SCRIPT, 'start', binary, ...spec.args], {
    cwd: spec.root,
    env: { ...spec.env, PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', TRIES: String(boundSeconds * 4), READY_URL: readyUrl },
    encoding: 'utf8',
    timeout: (boundSeconds + 20) * 1000,
  });
  if (res.error) throw new Error(`cannot run unshare: ${res.error.message}`);
  if (res.status === 97) throw new Error(`cannot set up the network namespace (ip link): ${res.stderr}`);
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  const ms = /READY_AFTER_MS=(\d+)/.exec(output)?.[1];
  return { readySeconds: ms === undefined ? undefined : Number(ms) / 1000, output };
}
