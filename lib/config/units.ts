import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';

const GO_UNITS: ReadonlyArray<[string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Renders a Duration in Go's `time.Duration` syntax (`720h`, `1h30m`, `500ms`), which every Tempo duration key accepts. */
export function goDuration(d: Duration): string {
  let ms = d.toMilliseconds();
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`duration ${d.toHumanString()} must be a whole, non-negative number of milliseconds`);
  if (ms === 0) return '0s';
  let out = '';
  for (const [unit, size] of GO_UNITS) {
    const n = Math.floor(ms / size);
    if (n > 0) {
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}

const BINARY_UNITS: ReadonlyArray<[string, (s: Size) => number]> = [
  ['Ti', (s) => s.toTebibytes({ rounding: SizeRoundingBehavior.NONE })],
  ['Gi', (s) => s.toGibibytes({ rounding: SizeRoundingBehavior.NONE })],
  ['Mi', (s) => s.toMebibytes({ rounding: SizeRoundingBehavior.NONE })],
  ['Ki', (s) => s.toKibibytes({ rounding: SizeRoundingBehavior.NONE })],
];

/** Renders a Size as a Kubernetes quantity in the largest exact binary unit (`10Gi`, `512Mi`). */
export function sizeQuantity(s: Size): string {
  for (const [suffix, convert] of BINARY_UNITS) {
    const n = convert(s);
    if (Number.isInteger(n) && n > 0) return `${n}${suffix}`;
  }
  return '0';
}

/** Size in mebibytes (fractional allowed). */
export function mebibytes(s: Size): number {
  return s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024;
}

/** Size in bytes. */
export function bytes(s: Size): number {
  return Math.round(s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024);
}

/** A Duration for messages: Go syntax when exact (`2h`, `90s`), else cdk8s's wording. */
export function describeDuration(d: Duration): string {
  try {
    return goDuration(d);
  } catch {
    return d.toHumanString();
  }
}

/** An error message if `d` is not a whole number of seconds of at least `min`; `option` names the prop. */
export function durationError(option: string, d: Duration, min: Duration): string | undefined {
  let ms: number;
  try {
    ms = d.toMilliseconds();
  } catch {
    ms = NaN;
  }
  if (!Number.isInteger(ms / 1000) || ms < min.toMilliseconds()) {
    return `${option}: ${describeDuration(d)} is invalid; allowed: a whole number of seconds, at least ${goDuration(min)}`;
  }
  return undefined;
}
