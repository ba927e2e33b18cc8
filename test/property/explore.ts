/**
 * Large exploration of random valid Apps, outside jest: every distinct failure (by invariant and
 * message shape) with the smallest configuration that showed it, then shrunk by fast-check.
 *
 *   node -r ./scripts/ts-register.js test/property/explore.ts [runs=2000] [seed=1] [shrink=1]
 *
 * FC_GAPS=off also generates the configurations that known-gaps.ts steers clear of.
 */
import * as fc from 'fast-check';
import { appSpec } from './arbitraries';
import { checkBatch, checkInProcess } from './check-app';
import type { AppSpec } from './spec';

const runs = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 1);
const shrink = process.argv[4] !== '0';

/** The shape of a problem: its invariant and message without names and numbers. */
function signature(problem: string): string {
  if (problem.startsWith('[synth]')) {
    const [head, first = ''] = problem.split('\n');
    return `${head.replace(/"[^"]*"/g, '"…"')} ${first.trim().split(':')[0]}`.replace(/\[[a-zA-Z0-9]+\]/g, '[…]').replace(/\d+/g, 'N');
  }
  return problem
    .replace(/^(\[[a-z0-9-]+\] [A-Za-z]+)\/[^:]*:/, '$1:')
    .replace(/^\[identity-egress\] \S+ \([^)]*\)/, '[identity-egress]')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 200);
}

const specs = fc.sample(appSpec(), { numRuns: runs, seed });
const found = new Map<string, { spec: AppSpec; problem: string; count: number }>();
const record = (spec: AppSpec, problems: readonly string[]) => {
  for (const p of new Set(problems.map((x) => x))) {
    const sig = signature(p);
    const prev = found.get(sig);
    const size = JSON.stringify(spec).length;
    if (!prev) found.set(sig, { spec, problem: p, count: 1 });
    else {
      prev.count++;
      if (size < JSON.stringify(prev.spec).length) Object.assign(prev, { spec, problem: p });
    }
  }
};
const started = Date.now();
const BATCH = 200;
for (let i = 0; i < specs.length; i += BATCH) {
  const chunk = specs.slice(i, i + BATCH);
  const results = chunk.map((s) => checkInProcess(s));
  results.forEach((r, j) => record(chunk[j], r.problems));
  const ok = results.map((r, j) => ({ r, spec: chunk[j] })).filter((x) => x.r.synthesized);
  const batch = checkBatch(ok.map((x) => x.r.synthesized!), true);
  batch.forEach((problems, j) => record(ok[j].spec, problems));
  process.stderr.write(`${Math.min(i + BATCH, specs.length)}/${specs.length} apps, ${found.size} distinct problems, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

for (const [sig, f] of [...found.entries()].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`\n### ${sig}\nseen in ${f.count} of ${runs} apps\nproblem: ${f.problem}`);
  let spec = f.spec;
  // fast-check shrinks only values it generated: replay the same seed up to the first failing App
  // (in-process problems only; the child-process checks are too slow to replay)
  if (shrink && !/^\[(k8s|promtool)\]/.test(sig)) {
    const result = fc.check(fc.property(appSpec(), (s) => !checkInProcess(s).problems.some((p) => signature(p) === sig)), { seed, numRuns: runs });
    if (result.failed && result.counterexample) spec = result.counterexample[0];
  }
  console.log(`minimal: ${JSON.stringify(spec)}`);
}
