import * as yaml from 'js-yaml';

// A whole-value ${VAR} placeholder; `$$`-escaped text never matches because of the leading space or dash.
const PLACEHOLDER_VALUE = /^(\s*(?:[^\s:][^:]*: |- ))(\$\{[A-Za-z_][A-Za-z0-9_]*\})$/gm;

/**
 * Deterministic YAML: sorted keys, no anchors, no line folding. Placeholders
 * are single-quoted so an expanded value containing `:` or `#` stays one scalar
 * (Tempo expands variables before it parses YAML).
 */
export function toYaml(value: unknown): string {
  const text = yaml.dump(value, { sortKeys: true, noRefs: true, lineWidth: -1 });
  return text.replace(PLACEHOLDER_VALUE, "$1'$2'");
}
