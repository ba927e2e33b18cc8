/**
 * Seed and size of the property runs. CI uses the fixed seed, so a failure reproduces; explore with
 * e.g. `FC_SEED=$RANDOM FC_RUNS=5 npx jest test/property` (FC_RUNS multiplies every property's runs).
 * fast-check prints the seed and the path of a failure with the shrunk counterexample.
 */
export const SEED = Number(process.env.FC_SEED ?? 20261202);
const SCALE = Number(process.env.FC_RUNS ?? 1);

/** fast-check parameters for a property with `runs` cases at scale 1. */
export function params(runs: number) {
  return { seed: SEED, numRuns: Math.max(1, Math.round(runs * SCALE)) };
}
