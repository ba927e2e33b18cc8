/**
 * Checks a Tempo configuration object (the plain JS value that will be dumped to YAML) against
 * Tempo's configuration key tree.
 *
 * Tempo decodes its configuration strictly (yaml v2 `UnmarshalStrict`): one unknown key and it
 * refuses to start. The key trees in `./schemas/` are derived from Tempo's Go sources (see
 * `scripts/import-tempo-schemas.mjs`); this module walks a value against them at synth time.
 *
 * Value semantics: values are produced by our code and dumped by js-yaml, so a JS string is a YAML
 * string, a JS number a YAML number, and so on. `null`/`undefined` are accepted everywhere (the
 * zero value); strings containing `${` are `-config.expand-env` placeholders and are accepted for
 * any scalar type.
 */
/** Tempo releases whose configuration key trees ship in `./schemas/`: the newest patch of each line. */
export type TempoSchemaVersion = '2.6.1' | '2.7.2' | '2.8.4' | '2.9.5' | '2.10.8' | '3.0.3';

/** Every shipped key tree, oldest first. */
export const TEMPO_SCHEMA_VERSIONS: readonly TempoSchemaVersion[] = ['2.6.1', '2.7.2', '2.8.4', '2.9.5', '2.10.8', '3.0.3'];
/** Which file a key tree describes: `config` (tempo.yaml) or `overrides` (the runtime overrides.yaml). */
export type TempoSchemaKind = 'config' | 'overrides';

/** One place where a value does not fit the key tree. */
export interface SchemaViolation {
  /** Where: dotted keys and `[index]`, e.g. `distributor.receivers.otlp`; `""` is the root. */
  readonly path: string;
  /** What is wrong: an unknown key (with the allowed keys and a close match) or the expected type and the value found. */
  readonly message: string;
}

/** One node of the reduced key tree (see scripts/import-tempo-schemas.mjs for the format). */
interface SchemaNode {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'duration' | 'any';
  readonly properties?: { readonly [key: string]: SchemaNode };
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly 'x-receiverTypes'?: readonly string[];
  readonly 'x-duration'?: 'prometheus';
}

// Loaded on first use: an app pays only for the versions it deploys (the files are ~60-80 KB each).
const loadedSchemas = new Map<string, SchemaNode>();

/** At most this many allowed keys are listed in an "unknown key" message. */
const MAX_LISTED_KEYS = 40;
/** At most this many violations are spelled out by formatViolations. */
const MAX_FORMATTED_VIOLATIONS = 50;

// yaml v2 decodes these into ints / floats (what an unquoted scalar with this text becomes).
// time.ParseDuration
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_ZERO = /^[-+]?0$/;
// prometheus/common model.ParseDuration
const PROMETHEUS_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
// OpenTelemetry Collector component type
const COMPONENT_TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
// keys written as-is in paths; anything else is written as ["..."]
const PLAIN_KEY = /^[^.[\]"'\s]+$/;

// ---------------------------------------------------------------------------------------------
// public API

/** Validates a plain JS value (what will be dumped to YAML) against the key tree. Returns [] when valid. */
export function validateTempoSchema(value: unknown, version: TempoSchemaVersion, kind: TempoSchemaKind): SchemaViolation[] {
  const result = newResult();
  walk(schemaFor(version, kind), value, '', result);
  return result.violations.map(({ path, message }) => ({ path, message }));
}

/** Receiver types the distributor of that version registers (from x-receiverTypes on distributor.receivers). */
export function receiverTypes(version: TempoSchemaVersion): readonly string[] {
  const receivers = schemaFor(version, 'config').properties?.distributor?.properties?.receivers;
  const types = receivers?.['x-receiverTypes'];
  if (!types) throw new Error(`Tempo ${version} schema has no x-receiverTypes on distributor.receivers`);
  return Object.freeze([...types]);
}

/** Formats violations into one readable multi-line message (used in thrown errors). */
export function formatViolations(violations: readonly SchemaViolation[]): string {
  if (violations.length === 0) return 'no Tempo configuration schema violations';
  const n = violations.length;
  const lines = [`${n} Tempo configuration schema violation${n === 1 ? '' : 's'}:`];
  for (const v of violations.slice(0, MAX_FORMATTED_VIOLATIONS)) {
    lines.push(`  - ${v.path === '' ? '(root)' : v.path}: ${v.message}`);
  }
  if (n > MAX_FORMATTED_VIOLATIONS) lines.push(`  … and ${n - MAX_FORMATTED_VIOLATIONS} more`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// walker

interface Finding extends SchemaViolation {
  /** unknown keys weigh more than type mismatches when ranking oneOf alternatives */
  readonly unknownKey: boolean;
}

interface Result {
  /** keys the schema recognised (used to pick the closest oneOf alternative) */
  known: number;
  readonly violations: Finding[];
}

function newResult(): Result {
  return { known: 0, violations: [] };
}

function schemaFor(version: TempoSchemaVersion, kind: TempoSchemaKind): SchemaNode {
  if (!TEMPO_SCHEMA_VERSIONS.includes(version)) {
    throw new Error(`unsupported Tempo schema version ${JSON.stringify(version)} (supported: ${TEMPO_SCHEMA_VERSIONS.join(', ')})`);
  }
  if (kind !== 'config' && kind !== 'overrides') {
    throw new Error(`unsupported Tempo schema kind ${JSON.stringify(kind)} (supported: config, overrides)`);
  }
  const file = `./schemas/${kind === 'config' ? 'tempo' : 'overrides'}-v${version}.schema.json`;
  let schema = loadedSchemas.get(file);
  if (!schema) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    schema = require(file) as SchemaNode;
    loadedSchemas.set(file, schema);
  }
  return schema;
}

function walk(schema: SchemaNode, value: unknown, path: string, result: Result): void {
  if (value === null || value === undefined) return; // zero value
  if (schema.oneOf) {
    walkOneOf(schema.oneOf, value, path, result);
    return;
  }
  switch (schema.type) {
    case 'object':
      walkObject(schema, value, path, result);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        mismatch(result, path, 'array', value);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        if (schema.items) walk(schema.items, value[i], `${path}[${i}]`, result);
      }
      return;
    case 'any':
    case undefined:
      return;
    default:
      checkScalar(schema, value, path, result);
  }
}

/** Several accepted shapes: clean if any is clean, else report the one recognising the most keys. */
function walkOneOf(alternatives: readonly SchemaNode[], value: unknown, path: string, result: Result): void {
  let best: Result | undefined;
  const attempts: Result[] = [];
  for (const alt of alternatives) {
    const attempt = newResult();
    walk(alt, value, path, attempt);
    if (attempt.violations.length === 0) {
      result.known += attempt.known;
      return;
    }
    attempts.push(attempt);
    if (best === undefined || closer(attempt, best, path)) best = attempt;
  }
  if (best === undefined) return; // empty oneOf: nothing to check against
  // every shape rejected the value itself (e.g. a mapping where a string or a list is expected):
  // one message naming all accepted types reads better than the first shape's complaint
  if (attempts.every((a) => a.known === 0 && a.violations.length === 1 && rejectsShape(a, path))) {
    const expected = [...new Set(alternatives.map(describeType))].join(' or ');
    result.violations.push({ path, message: `expected ${expected}, got ${kindOf(value)} (${shortValue(value)})`, unknownKey: false });
    return;
  }
  result.known += best.known;
  result.violations.push(...best.violations);
}

/**
 * Ranks failed alternatives: one that accepts the value's shape (no type mismatch at the value
 * itself) beats one that does not; then more recognised keys win, then fewer violations, unknown
 * keys counting more than type mismatches.
 */
function closer(a: Result, b: Result, path: string): boolean {
  const shapeA = rejectsShape(a, path);
  const shapeB = rejectsShape(b, path);
  if (shapeA !== shapeB) return shapeB;
  if (a.known !== b.known) return a.known > b.known;
  return weight(a) < weight(b);
}

function rejectsShape(r: Result, path: string): boolean {
  return r.violations.some((v) => v.path === path && !v.unknownKey);
}

function weight(r: Result): number {
  let w = 0;
  for (const v of r.violations) w += v.unknownKey ? 1000 : 1;
  return w;
}

function walkObject(schema: SchemaNode, value: unknown, path: string, result: Result): void {
  if (!isPlainObject(value)) {
    mismatch(result, path, 'object', value);
    return;
  }
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const receiverTypeList = schema['x-receiverTypes'];
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinPath(path, key);
    if (receiverTypeList) {
      const problem = checkReceiverKey(key, receiverTypeList);
      if (problem) {
        result.violations.push({ path: childPath, message: problem, unknownKey: true });
        continue;
      }
    }
    if (properties && Object.prototype.hasOwnProperty.call(properties, key)) {
      result.known++;
      walk(properties[key], child, childPath, result);
    } else if (typeof additional === 'object') {
      result.known++;
      walk(additional, child, childPath, result);
    } else if (properties || additional === false) {
      result.violations.push({ path: childPath, message: unknownKeyMessage(key, properties), unknownKey: true });
    } else {
      result.known++; // neither properties nor additionalProperties: free-form
    }
  }
}

/** Receiver keys are collector component IDs: `<type>` or `<type>/<name>`. */
function checkReceiverKey(key: string, allowed: readonly string[]): string | undefined {
  const slash = key.indexOf('/');
  const type = slash < 0 ? key : key.slice(0, slash);
  const allowedText = [...allowed].sort().join(', ');
  if (!allowed.includes(type)) {
    const what = COMPONENT_TYPE.test(type) ? `unknown receiver type "${type}"` : `invalid receiver key "${key}"`;
    return `${what} (allowed receiver types: ${allowedText}; a key is <type> or <type>/<name>)`;
  }
  if (slash >= 0 && slash === key.length - 1) {
    return `receiver key "${key}" has an empty name after "/" (use "${type}" or "${type}/<name>")`;
  }
  return undefined;
}

function checkScalar(schema: SchemaNode, value: unknown, path: string, result: Result): void {
  const type = schema.type ?? 'any';
  if (!isScalar(value)) {
    mismatch(result, path, describeType(schema), value);
    return;
  }
  if (typeof value === 'string' && value.includes('${')) {
    // env placeholder, expanded by Tempo; written single-quoted, so it decodes as a string
    if (type === 'integer' || type === 'number' || type === 'boolean') {
      mismatchWith(result, path, `${type}, got a \${...} placeholder (${shortValue(value)}), which is written quoted and decodes as a string; set the value itself`);
    }
    return;
  }
  switch (type) {
    case 'string':
      return; // yaml v2 decodes any scalar into a string
    // Only real numbers: js-yaml quotes a numeric JS string, and yaml v2 refuses a quoted string in a number field.
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return;
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return;
      break;
    case 'duration':
      checkDuration(schema['x-duration'] === 'prometheus', value, path, result);
      return;
    default:
      return;
  }
  mismatch(result, path, type, value);
}

function checkDuration(prometheus: boolean, value: unknown, path: string, result: Result): void {
  const expected = prometheus ? 'prometheus duration (e.g. 30s, 1h, 30d, 1w)' : 'Go duration (e.g. 30s, 1h30m, 720h)';
  if (typeof value === 'string') {
    if (prometheus ? value !== '' && (value === '0' || PROMETHEUS_DURATION.test(value)) : GO_DURATION.test(value) || GO_DURATION_ZERO.test(value)) return;
    let hint = '';
    if (!prometheus && /^(\d+[a-z]+)+$/.test(value) && /\d[dwy]/.test(value)) hint = '; d/w/y units are not accepted here, use h (e.g. 720h)';
    else if (prometheus && /^\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h)/.test(value)) hint = '; units must be whole numbers in descending order y, w, d, h, m, s, ms';
    mismatchWith(result, path, `${expected}, got ${kindOf(value)} (${shortValue(value)})${hint}`);
    return;
  }
  if (typeof value === 'number') {
    mismatchWith(
      result,
      path,
      `${expected}, got number (${shortValue(value)}); ${prometheus ? 'Tempo rejects a bare number here' : 'a bare number would be read as nanoseconds'}, use a duration string like "${Number.isInteger(value) && value > 0 ? `${value}s` : '30s'}"`,
    );
    return;
  }
  mismatchWith(result, path, `${expected}, got ${kindOf(value)} (${shortValue(value)})`);
}

// ---------------------------------------------------------------------------------------------
// helpers

function mismatch(result: Result, path: string, expected: string, value: unknown): void {
  mismatchWith(result, path, `${expected}, got ${kindOf(value)} (${shortValue(value)})`);
}

function mismatchWith(result: Result, path: string, text: string): void {
  result.violations.push({ path, message: `expected ${text}`, unknownKey: false });
}

function unknownKeyMessage(key: string, properties: SchemaNode['properties']): string {
  const allowed = Object.keys(properties ?? {}).sort();
  let message: string;
  if (allowed.length === 0) {
    message = `unknown key "${key}" (no keys allowed here)`;
  } else {
    const listed = allowed.slice(0, MAX_LISTED_KEYS).join(', ');
    message = `unknown key "${key}" (allowed: ${listed}${allowed.length > MAX_LISTED_KEYS ? `, … ${allowed.length - MAX_LISTED_KEYS} more` : ''})`;
  }
  const suggestion = closestKey(key, allowed);
  return suggestion ? `${message}; did you mean "${suggestion}"?` : message;
}

/** The allowed key nearest to `key` (edit distance at most a third of its length), if any. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of allowed) {
    if (Math.abs(candidate.length - key.length) > limit) continue;
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function describeType(schema: SchemaNode): string {
  if (schema.oneOf) return [...new Set(schema.oneOf.map(describeType))].join(' or ');
  switch (schema.type) {
    case 'array':
      return schema.items && schema.items.type !== 'any' ? `array of ${describeType(schema.items)}` : 'array';
    case 'duration':
      return schema['x-duration'] === 'prometheus' ? 'prometheus duration' : 'Go duration';
    case undefined:
      return 'any';
    default:
      return schema.type;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return isPlainObject(value) || !name || name === 'Object' ? 'object' : `object ${name}`;
  }
  return typeof value;
}

function shortValue(value: unknown): string {
  let text: string;
  try {
    if (value instanceof Date) text = value.toISOString();
    else if (typeof value === 'bigint') text = `${value}n`;
    else if (typeof value === 'number') text = String(value); // NaN/Infinity are not JSON
    else text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // e.g. circular structures
  }
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function joinPath(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
