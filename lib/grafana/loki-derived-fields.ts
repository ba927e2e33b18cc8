import { escapeForProvisioning, uidErrors } from './common';

/** How a derived field finds its value in a log line. */
export enum DerivedFieldMatcherType {
  /** A regular expression over the log line; the first capture group is the value. */
  REGEX = 'regex',
  /** A label or structured-metadata field (e.g. `trace_id` sent by OpenTelemetry). */
  LABEL = 'label',
}

/** One entry of a Loki data source's `jsonData.derivedFields` (unescaped). */
export interface LokiDerivedField {
  /** Field name shown in Grafana. */
  readonly name: string;
  /** With `REGEX`: the regular expression whose first capture group is the trace id; with `LABEL`: the label name. */
  readonly matcherRegex: string;
  /** How the value is found in a log line. */
  readonly matcherType: DerivedFieldMatcherType;
  /** For an internal link (datasourceUid set): the query, `${__value.raw}` = the trace id. */
  readonly url: string;
  /** uid of the Tempo data source the link opens. */
  readonly datasourceUid: string;
  /** Link text; without it Grafana shows the data source name. */
  readonly urlDisplayLabel?: string;
}

/** Options of `lokiTraceDerivedField`. */
export interface LokiTraceDerivedFieldOptions {
  /** uid of the Tempo data source. @default 'tempo' */
  readonly tempoDatasourceUid?: string;
  /** Field name shown in Grafana. @default 'TraceID' */
  readonly name?: string;
  /**
   * With `REGEX`: a regular expression whose first capture group is the trace
   * id; with `LABEL`: the label or structured-metadata name.
   * @default `(?:traceID|trace_id|traceId)=(\w+)` (logfmt as in seed 001, plus the OpenTelemetry spellings); `trace_id` with `LABEL`
   */
  readonly matcherRegex?: string;
  /** @default DerivedFieldMatcherType.REGEX */
  readonly matcherType?: DerivedFieldMatcherType;
  /** Link text. @default none (Grafana shows the data source name) */
  readonly urlDisplayLabel?: string;
}

/** The default trace id pattern: logfmt `traceID=`, `trace_id=` or `traceId=`. */
export const DEFAULT_TRACE_ID_REGEX = '(?:traceID|trace_id|traceId)=(\\w+)';

/**
 * A Loki derived field linking trace ids in log lines to a Tempo data source
 * (seed 001's "Derived fields for trace correlation"). Put it in your Loki
 * data source's `jsonData.derivedFields`; for a provisioning file use
 * `lokiDerivedFieldsJsonData`, which escapes `$`.
 * @throws if the regex is not a valid regular expression with a capture group, or the uid is invalid
 */
export function lokiTraceDerivedField(options: LokiTraceDerivedFieldOptions = {}): LokiDerivedField {
  const uid = options.tempoDatasourceUid ?? 'tempo';
  const matcherType = options.matcherType ?? DerivedFieldMatcherType.REGEX;
  const matcher = options.matcherRegex ?? (matcherType === DerivedFieldMatcherType.LABEL ? 'trace_id' : DEFAULT_TRACE_ID_REGEX);
  const errors = uidErrors('tempoDatasourceUid', uid);
  if (!(Object.values(DerivedFieldMatcherType) as string[]).includes(matcherType)) {
    errors.push(`matcherType: "${matcherType}" is invalid; allowed: ${Object.values(DerivedFieldMatcherType).join(', ')}`);
  } else if (matcherType === DerivedFieldMatcherType.REGEX) {
    let groups = -1;
    try {
      groups = new RegExp(`${matcher}|`).exec('')!.length - 1;
    } catch (e) {
      errors.push(`matcherRegex: "${matcher}" is not a valid regular expression (${(e as Error).message})`);
    }
    if (groups === 0) errors.push(`matcherRegex: "${matcher}" has no capture group; allowed: a regular expression whose first group captures the trace id, e.g. "traceID=(\\w+)"`);
  } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(matcher)) {
    errors.push(`matcherRegex: "${matcher}" is invalid for a LABEL matcher; allowed: a label name such as trace_id`);
  }
  const name = options.name ?? 'TraceID';
  if (!name.trim()) errors.push('name: must not be empty');
  if (errors.length) throw new Error(`lokiTraceDerivedField:\n  ${errors.join('\n  ')}`);
  return {
    name,
    matcherRegex: matcher,
    matcherType,
    url: '${__value.raw}',
    datasourceUid: uid,
    ...(options.urlDisplayLabel ? { urlDisplayLabel: options.urlDisplayLabel } : {}),
  };
}

/**
 * `{ derivedFields: [...] }` for a Loki data source's `jsonData`. With
 * `forProvisioningFile` (the default) every `$` is written `$$`, because
 * Grafana expands environment variables in provisioning files; pass `false`
 * for grafana-operator resources or the HTTP API.
 */
export function lokiDerivedFieldsJsonData(fields: readonly LokiDerivedField[], forProvisioningFile = true): { derivedFields: LokiDerivedField[] } {
  const plain = { derivedFields: fields.map((f) => ({ ...f })) };
  return forProvisioningFile ? escapeForProvisioning(plain) : plain;
}
