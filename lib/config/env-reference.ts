const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A value Tempo reads from an environment variable when it expands its
 * configuration (`-config.expand-env=true`). The renderer writes it as
 * `${NAME}`; every other `$` in the configuration is escaped as `$$`, so a
 * literal `$` in a regex or password can never be expanded by accident.
 */
export class EnvReference {
  /** Reference the environment variable `name`. */
  public static of(name: string): EnvReference {
    if (!ENV_NAME.test(name)) throw new Error(`environment variable name "${name}" is invalid; allowed: letters, digits and _ (not starting with a digit)`);
    return new EnvReference(name);
  }

  private constructor(public readonly name: string) {}

  /** The placeholder text Tempo's envsubst replaces. */
  public toString(): string {
    return `\${${this.name}}`;
  }
}

/** Replaces EnvReferences with placeholders and escapes `$` in every other string (envsubst turns `$$` back into `$`). */
export function resolveEnvReferences(value: unknown): unknown {
  if (value instanceof EnvReference) return value.toString();
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(resolveEnvReferences);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnvReferences(v)]));
  }
  return value;
}

/** Names of every EnvReference inside a value, sorted. */
export function collectEnvReferences(value: unknown, into = new Set<string>()): string[] {
  if (value instanceof EnvReference) into.add(value.name);
  else if (Array.isArray(value)) value.forEach((v) => collectEnvReferences(v, into));
  else if (isPlainObject(value)) Object.values(value).forEach((v) => collectEnvReferences(v, into));
  return [...into].sort();
}

/** Whether a value is a mapping to walk into: any non-null object that is neither an array nor an EnvReference. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof EnvReference);
}
