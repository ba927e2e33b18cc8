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

const BINARY_UNITS: ReadonlyArray<[string, number]> = [
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/**
 * Size in whole bytes. Sizes are floating-point amounts of a unit
 * (`Size.gibibytes(2.2)`): float noise is rounded away, and a real fraction of
 * a byte is rounded up. NaN for sizes that are not finite.
 */
export function bytes(s: Size): number {
  const exact = s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
  if (!Number.isFinite(exact)) return NaN;
  const nearest = Math.round(exact);
  return Math.abs(exact - nearest) <= Math.max(1e-6, exact * 1e-12) ? nearest : Math.ceil(exact);
}

/**
 * Renders a Size as a Kubernetes quantity: the largest binary unit that
 * holds it exactly (`10Gi`, `512Mi`), else plain bytes (`2362232013` for
 * `Size.gibibytes(2.2)`). Never `"0"` for a positive size; check sizes with
 * `sizeErrors` first.
 */
export function sizeQuantity(s: Size): string {
  return bytesQuantity(bytes(s));
}

/** Renders a byte count as a Kubernetes quantity in the largest exact binary unit, else bytes. */
export function bytesQuantity(n: number): string {
  for (const [suffix, unit] of BINARY_UNITS) {
    if (n >= unit && n % unit === 0) return `${n / unit}${suffix}`;
  }
  return String(n);
}

/** Size in mebibytes (fractional allowed). */
export function mebibytes(s: Size): number {
  return bytes(s) / 2 ** 20;
}

/**
 * Errors for a size that must be positive: zero, not finite, or (with
 * `min`) below a minimum. `option` names the prop.
 */
export function sizeErrors(option: string, s: Size | undefined, min?: Size): string[] {
  if (s === undefined) return [];
  const n = bytes(s);
  const floor = min ? bytes(min) : 1;
  if (!Number.isFinite(n) || n < floor) {
    return [`${option}: ${Number.isFinite(n) ? sizeQuantity(s) : s.asString()} is invalid; allowed: a size of at least ${min ? sizeQuantity(min) : '1 byte'}`];
  }
  return [];
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
