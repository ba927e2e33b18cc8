import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import { describeWithTool } from './optional-tools';

/**
 * Where the real-Tempo suites (config acceptance, end to end) find their binaries.
 * `TEMPO_BIN_DIR` names a folder holding `tempo-<version>`, `tempo-vulture-<version>` and `kafka-fake`
 * (`.ci/run` sets it from ../shared/tools/tempo-bin.sh). Without it the suites skip with one notice;
 * with `TEMPO_BIN_REQUIRED=1` (set by CI) a missing folder or binary fails instead of skipping.
 */
export const TEMPO_BIN_DIR = process.env.TEMPO_BIN_DIR;
/** CI sets this so a missing binary fails the run instead of skipping it. */
export const TEMPO_BIN_REQUIRED = process.env.TEMPO_BIN_REQUIRED === '1';

/** How to enable the real-Tempo suites, for the skip notice. */
export const ENABLE_HINT = 'set TEMPO_BIN_DIR to a folder with tempo-<version> binaries (e.g. TEMPO_BIN_DIR=$(../shared/tools/tempo-bin.sh))';

/** Path of a binary (`tempo-2.6.1`, `tempo-vulture-2.10.8`, `kafka-fake`) or undefined when it is not available. */
export function binaryPath(name: string): string | undefined {
  if (!TEMPO_BIN_DIR) return undefined;
  const path = join(TEMPO_BIN_DIR, name);
  return existsSync(path) ? path : undefined;
}

/** The Tempo binary for a release (`2.6.1`), or undefined. */
export function tempoBinary(version: string): string | undefined {
  return binaryPath(`tempo-${version}`);
}

/** `describe` when every named binary is present; otherwise skipped with a notice, or failing when required. */
export function describeWithBinaries(title: string, names: readonly string[], body: () => void): void {
  const missing = names.filter((n) => !binaryPath(n));
  describeWithTool(title, { missing, requiredEnv: 'TEMPO_BIN_REQUIRED', hint: ENABLE_HINT }, body);
}

/**
 * The shipped Tempo binary for a release: `tempo-<version>` itself, else the shipped patch release of the
 * same line (2.6.x -> tempo-2.6.1). Undefined when no binary of that line is in TEMPO_BIN_DIR.
 */
export function tempoBinaryForRelease(version: string): { readonly path: string; readonly version: string } | undefined {
  const exact = tempoBinary(version);
  if (exact) return { path: exact, version };
  const line = /^(\d+\.\d+)\.\d+$/.exec(version)?.[1];
  if (!TEMPO_BIN_DIR || !line || !existsSync(TEMPO_BIN_DIR)) return undefined;
  const shipped = readdirSync(TEMPO_BIN_DIR)
    .map((f) => /^tempo-(\d+\.\d+\.\d+)$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined && v.startsWith(`${line}.`))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  const found = shipped[shipped.length - 1]; // the newest patch of the line
  return found ? { path: join(TEMPO_BIN_DIR, `tempo-${found}`), version: found } : undefined;
}
