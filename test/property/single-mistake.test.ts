/**
 * One random mistake (mistakes.ts) in an otherwise valid random App: the synth throws an Error
 * whose message names the option path, and writes nothing.
 */
import * as fc from 'fast-check';
import { appSpec } from './arbitraries';
import { gapOpen } from './known-gaps';
import { DISTRIBUTED_COMPONENTS, inject, MISTAKES } from './mistakes';
import { params, SEED } from './settings';
import { synthExpectingError } from './written-output';

const RUNS = params(900);
const ACTIVE = MISTAKES.filter((m) => !m.gap || !gapOpen(m.gap));
// while defect 7 is open, messages name the query-frontend `query-frontend.*` instead of `queryFrontend.*`
const COMPONENTS = DISTRIBUTED_COMPONENTS.filter((c) => c !== 'queryFrontend' || !gapOpen('d7-option-paths'));

const mistaken = fc.constantFrom(...ACTIVE).chain((mistake) => fc.tuple(
  fc.constant(mistake),
  // names every derived name fits, so that the mistake is the only thing wrong
  appSpec({ longestName: 20 }).filter((spec) => !mistake.modes || mistake.modes.includes(spec.charts[0].stacks[0].mode)),
  fc.constantFrom(...COMPONENTS),
)).map(([mistake, spec, component]) => ({ mistake: mistake.id, ...inject(spec, mistake, component) }));

describe(`a single mistake in a random App (seed ${SEED}, ${RUNS.numRuns} runs, ${ACTIVE.length} of ${MISTAKES.length} mistakes active)`, () => {
  test('fails the synth with an Error naming the option, and writes nothing', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(mistaken, ({ mistake, spec, option }) => {
      seen.add(mistake);
      const { error, written } = synthExpectingError(spec);
      if (error === undefined) throw new Error(`${mistake}: the synth succeeded`);
      if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) {
        throw new Error(`${mistake}: the synth failed with ${String(error)}, not an Error naming the option`);
      }
      if (!error.message.includes(option)) throw new Error(`${mistake}: the message does not name ${option}:\n${error.message}`);
      if (written.length) throw new Error(`${mistake}: ${written.length} files were written anyway`);
    }), RUNS);
    // every active mistake was tried at least once
    if (RUNS.numRuns >= 10 * ACTIVE.length) expect(ACTIVE.map((m) => m.id).filter((id) => !seen.has(id))).toEqual([]);
  });
});
