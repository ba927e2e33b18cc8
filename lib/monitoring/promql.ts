import { isTempoSeries, KNOWN_WRONG_SERIES_NAMES } from './tempo-metrics';

/** What parsing a PromQL expression found. */
export interface PromQLAnalysis {
  /** Syntax errors, each with its 1-based column and the text around it. Empty when the expression parses. */
  readonly syntaxErrors: readonly string[];
  /** Metric names the expression selects (`foo{...}` and `{__name__="foo"}`), in order of appearance, without duplicates. */
  readonly metricNames: readonly string[];
}

/**
 * Parses a PromQL expression with Prometheus' own Lezer grammar
 * (@prometheus-io/lezer-promql) and lists its syntax errors and the metric
 * names it selects. Pure: no Prometheus needed.
 */
export function analyzePromQL(expr: string): PromQLAnalysis {
  // The same rule and panel expressions recur across charts of one app: parse each text once.
  const cached = ANALYSES.get(expr);
  if (cached) return cached;
  const analysis = analyzeUncached(expr);
  ANALYSES.set(expr, analysis);
  return analysis;
}

const ANALYSES = new Map<string, PromQLAnalysis>();

// Loaded on the first expression, not with the library: building the grammar's parse tables costs start-up
// time and memory that apps without alerts, dashboards or data-source queries should not pay.
type PromQLGrammar = typeof import('@prometheus-io/lezer-promql');
let promqlParser: PromQLGrammar['parser'] | undefined;
const parser = () => (promqlParser ??= (require('@prometheus-io/lezer-promql') as PromQLGrammar).parser);

function analyzeUncached(expr: string): PromQLAnalysis {
  const tree = parser().parse(expr);
  const errors: string[] = [];
  const names: string[] = [];
  if (expr.trim() === '') return { syntaxErrors: ['the expression is empty'], metricNames: [] };
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (node.type.isError) {
      const at = Math.min(node.from, expr.length);
      const near = expr.slice(Math.max(0, at - 15), Math.min(expr.length, at + 15)).replace(/\s+/g, ' ');
      errors.push(`syntax error at column ${at + 1} near "${near}"`);
    } else if (node.name === 'VectorSelector') {
      const ident = node.getChild('Identifier');
      if (ident) names.push(expr.slice(ident.from, ident.to));
      const matchers = node.getChild('LabelMatchers');
      for (const m of matchers ? matchers.getChildren('UnquotedLabelMatcher') : []) {
        const label = m.getChild('LabelName');
        const op = m.getChild('MatchOp')?.firstChild;
        const value = m.getChild('StringLiteral');
        if (label && value && op?.name === 'EqlSingle' && expr.slice(label.from, label.to) === '__name__') {
          names.push(unquote(expr.slice(value.from, value.to)));
        }
      }
    }
  } while (cursor.next());
  return { syntaxErrors: [...new Set(errors)], metricNames: [...new Set(names)] };
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') ? body : body.replace(/\\(.)/g, '$1');
}

/** Options of `promqlErrors`. */
export interface PromQLCheckOptions {
  /**
   * Series names accepted besides the ones Tempo emits (for example the
   * outputs of recording rules, or `up`).
   * @default none
   */
  readonly extraSeries?: Iterable<string>;
  /**
   * Check metric names against Tempo's catalogue (`TEMPO_SERIES_NAMES`).
   * @default true
   */
  readonly checkMetricNames?: boolean;
}

/**
 * Error messages (each naming `option`) for an expression that does not parse
 * or selects a series Tempo does not emit. Empty when the expression is fine.
 */
export function promqlErrors(option: string, expr: string, options: PromQLCheckOptions = {}): string[] {
  const analysis = analyzePromQL(expr);
  const errors = analysis.syntaxErrors.map((e) => `${option}: invalid PromQL (${e}): ${oneLine(expr)}`);
  if (options.checkMetricNames === false) return errors;
  const extra = new Set(options.extraSeries ?? []);
  for (const name of analysis.metricNames) {
    if (isTempoSeries(name) || extra.has(name)) continue;
    const hint = KNOWN_WRONG_SERIES_NAMES[name];
    errors.push(hint
      ? `${option}: metric "${name}" is not emitted by Tempo; use "${hint}"`
      : `${option}: metric "${name}" is not emitted by Tempo 2.x or its metrics-generator; allowed: a name of TEMPO_SERIES_NAMES${extra.size ? ` or ${[...extra].sort().join(', ')}` : ''}`);
  }
  return errors;
}

function oneLine(expr: string): string {
  return expr.replace(/\s+/g, ' ').trim();
}
