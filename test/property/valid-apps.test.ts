/**
 * Random valid Apps (arbitraries.ts) synthesize and pass every check: in-process invariants
 * (invariants.ts) per case, then Kubernetes API validation, promtool and the written Argo CD layout
 * over the whole batch. See settings.ts for the seed and the number of runs.
 */
import * as fc from 'fast-check';
import { appSpec } from './arbitraries';
import { describeWithPromtool } from '../monitoring/promtool';
import { promtoolBatch, validateK8sBatch } from './batch-checks';
import { checkInProcess } from './check-app';
import type { Synthesized } from './invariants';
import { params, SEED } from './settings';
import type { AppSpec } from './spec';
import { argoPathProblems } from './written-output';

const RUNS = params(250);
/** Every how-many-th App is synthesized a second time to compare the output byte for byte. */
const REBUILD_EVERY = 3;
/** Apps also checked with promtool (their PrometheusRules) and for the written Argo CD layout. */
const SAMPLE = 30;

const generated: { spec: AppSpec; synthesized: Synthesized }[] = [];

function report(kind: string, failures: { spec: AppSpec; problems: string[] }[]): string {
  return failures.slice(0, 3).map((f) => `${kind} (seed ${SEED}):\n  ${f.problems.join('\n  ')}\nconfiguration: ${JSON.stringify(f.spec)}`).join('\n\n');
}

describe(`random valid Apps (seed ${SEED}, ${RUNS.numRuns} runs)`, () => {
  test('synthesize, deterministically, with unique objects, matching selectors, names within limits, no "0" quantities, no credentials in ConfigMaps, restricted pods, valid tempo.yaml', () => {
    let n = 0;
    fc.assert(fc.property(appSpec(), (spec) => {
      const r = checkInProcess(spec, n++ % REBUILD_EVERY === 0);
      if (r.problems.length) throw new Error(r.problems.join('\n'));
      if (r.synthesized) generated.push({ spec, synthesized: r.synthesized });
    }), RUNS);
    // most Apps synthesize (the others have an instance name too long for what it derives, refused naming `name`)
    expect(generated.length).toBeGreaterThan(RUNS.numRuns * 0.75);
  });

  test('pass the Kubernetes 1.28 API validation', () => {
    const problems = validateK8sBatch(generated.map((g) => g.synthesized));
    const failures = generated.map((g, i) => ({ spec: g.spec, problems: problems[i] })).filter((f) => f.problems.length);
    if (failures.length) throw new Error(`${failures.length} of ${generated.length} Apps fail the Kubernetes validation.\n${report('Kubernetes validation', failures)}`);
  });

  test('Argo CD Applications select exactly their chart in the written output', () => {
    const sample = generated.filter((g) => g.spec.argocd).slice(0, SAMPLE);
    expect(sample.length).toBeGreaterThan(0);
    const failures = sample.map((g) => ({ spec: g.spec, problems: argoPathProblems(g.spec) })).filter((f) => f.problems.length);
    if (failures.length) throw new Error(report('Argo CD layout', failures));
  });
});

// after the suite above (jest runs describes in order): its Apps' PrometheusRules
describeWithPromtool(`random valid Apps (seed ${SEED}): promtool`, () => {
  test('PrometheusRules pass `promtool check rules`', () => {
    const sample = generated.filter((g) => g.synthesized.manifests.some((m) => m.kind === 'PrometheusRule')).slice(0, SAMPLE);
    expect(sample.length).toBeGreaterThan(0);
    const problems = promtoolBatch(sample.map((g) => g.synthesized));
    const failures = sample.map((g, i) => ({ spec: g.spec, problems: problems[i] })).filter((f) => f.problems.length);
    if (failures.length) throw new Error(report('promtool', failures));
  });
});
