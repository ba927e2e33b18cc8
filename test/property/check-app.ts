/**
 * One App through every check: synthesize, in-process invariants, and (batched) Kubernetes API
 * validation and promtool. Shared by the jest properties and the exploration script.
 */
import type { AppSpec } from './spec';
import { BatchItem, promtoolBatch, validateK8sBatch } from './batch-checks';
import { promtoolPresent } from '../monitoring/promtool';
import { invariantProblems, synthesize, Synthesized } from './invariants';

/** A valid configuration may still be refused for this reason: its instance name is too long for what it derives. */
export function acceptableRejection(spec: AppSpec, message: string): boolean {
  const longest = Math.max(...spec.charts.flatMap((c) => c.stacks.map((s) => (s.props.name ?? 'tempo').length)));
  return longest > 20 && /(^|\s|")name: .*characters/.test(message);
}

export interface InProcessResult {
  /** The synthesized App, unless the configuration was refused. */
  readonly synthesized?: Synthesized;
  /** Problems found (a refusal of a valid configuration is one). */
  readonly problems: string[];
}

/** Synthesizes and runs the in-process invariants (the second synth for determinism only when `rebuild`). */
export function checkInProcess(spec: AppSpec, rebuild = true): InProcessResult {
  let s: Synthesized;
  try {
    s = synthesize(spec);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (acceptableRejection(spec, message)) return { problems: [] };
    return { problems: [`[synth] a valid configuration was refused: ${e instanceof Error ? `${e.constructor.name}: ` : ''}${message}`] };
  }
  return { synthesized: s, problems: invariantProblems(spec, s, rebuild) };
}

/** Kubernetes API validation (and promtool when `promtool` is true) of many Apps at once; problems per App. */
export function checkBatch(items: readonly BatchItem[], promtool: boolean): string[][] {
  const k8s = validateK8sBatch(items);
  const prom = promtool && promtoolPresent() ? promtoolBatch(items) : items.map(() => []);
  return items.map((_, i) => [...k8s[i], ...prom[i]]);
}

/** Every check on one App (spawns the child processes: for shrinking a counterexample, not for bulk runs). */
export function checkAll(spec: AppSpec): string[] {
  const r = checkInProcess(spec);
  if (!r.synthesized) return r.problems;
  return [...r.problems, ...checkBatch([r.synthesized], true)[0]];
}
