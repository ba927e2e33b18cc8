/**
 * How today's library handles each mistake of the catalogue (outside jest):
 *
 *   node -r ./scripts/ts-register.js test/property/explore-mistakes.ts [apps per mistake=8] [seed=1]
 */
import * as fc from 'fast-check';
import { appSpec } from './arbitraries';
import { DISTRIBUTED_COMPONENTS, inject, MISTAKES } from './mistakes';
import { synthExpectingError } from './written-output';

const perMistake = Number(process.argv[2] ?? 8);
const seed = Number(process.argv[3] ?? 1);
const bases = fc.sample(appSpec({ longestName: 20 }), { numRuns: perMistake * 6, seed });

for (const m of MISTAKES) {
  const outcomes = new Map<string, number>();
  const applicable = bases.filter((b) => !m.modes || m.modes.includes(b.charts[0].stacks[0].mode)).slice(0, perMistake);
  applicable.forEach((base, i) => {
    const { spec, option } = inject(base, m, DISTRIBUTED_COMPONENTS[i % DISTRIBUTED_COMPONENTS.length]);
    const { error, written } = synthExpectingError(spec);
    let outcome: string;
    if (error === undefined) outcome = 'ACCEPTED (no error)';
    else if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError) outcome = `WRONG ERROR TYPE: ${String(error).split('\n')[0]}`;
    else if (!error.message.includes(option)) outcome = `MESSAGE LACKS ${option}: ${error.message.replace(/\n\s*/g, ' | ').slice(0, 220)}`;
    else outcome = 'ok';
    if (written.length) outcome += ` + WROTE ${written.length} files`;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  });
  const bad = [...outcomes.entries()].filter(([o]) => o !== 'ok');
  console.log(`${bad.length ? 'FAIL' : 'ok  '} ${m.id}${m.gap ? ` [${m.gap}]` : ''}`);
  for (const [o, n] of bad) console.log(`       ${n}x ${o}`);
}
