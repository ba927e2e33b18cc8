import { isPlainObject } from './env-reference';

/**
 * Deep-merges `override` into `base` without mutating either: maps merge key
 * by key, everything else (lists included) is replaced, and `undefined` in
 * the override leaves the base value alone.
 */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    out[k] = k in out ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

/** Drops `undefined` values and empty maps, so optional sections vanish from the output. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) return value.map(prune) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const pv = prune(v);
    if (isPlainObject(pv) && Object.keys(pv).length === 0) continue;
    out[k] = pv;
  }
  return out as T;
}
