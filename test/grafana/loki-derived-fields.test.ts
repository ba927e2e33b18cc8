import * as yaml from 'js-yaml';
import { DEFAULT_TRACE_ID_REGEX, DerivedFieldMatcherType, lokiDerivedFieldsJsonData, lokiTraceDerivedField } from '../../lib';

describe('lokiTraceDerivedField', () => {
  test('defaults: a TraceID field linking to the tempo data source by uid, the trace id as query', () => {
    expect(lokiTraceDerivedField()).toEqual({
      name: 'TraceID', matcherRegex: DEFAULT_TRACE_ID_REGEX, matcherType: 'regex', url: '${__value.raw}', datasourceUid: 'tempo',
    });
  });

  test('the default pattern finds logfmt trace ids in the spellings applications use', () => {
    const re = new RegExp(DEFAULT_TRACE_ID_REGEX);
    for (const line of ['level=info traceID=4bf92f3577b34da6a3ce929d0e0e4736 msg=ok', 'trace_id=4bf92f3577b34da6a3ce929d0e0e4736', 'traceId=4bf92f3577b34da6a3ce929d0e0e4736 span=1']) {
      expect(re.exec(line)?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  test('seed 001 in a provisioning file: `$` written as `$$` exactly as the seed does', () => {
    const field = lokiTraceDerivedField({ matcherRegex: 'traceID=(\\w+)' });
    const text = yaml.dump(lokiDerivedFieldsJsonData([field]));
    const parsed = yaml.load(text) as any;
    expect(parsed.derivedFields[0]).toMatchObject({ name: 'TraceID', matcherRegex: 'traceID=(\\w+)', url: '$${__value.raw}', datasourceUid: 'tempo' });
    // for the HTTP API or grafana-operator: unescaped
    expect(lokiDerivedFieldsJsonData([field], false).derivedFields[0].url).toBe('${__value.raw}');
  });

  test('structured metadata (label matcher) and a link label', () => {
    expect(lokiTraceDerivedField({ matcherType: DerivedFieldMatcherType.LABEL, urlDisplayLabel: 'View trace', tempoDatasourceUid: 'traces' })).toEqual({
      name: 'TraceID', matcherRegex: 'trace_id', matcherType: 'label', url: '${__value.raw}', datasourceUid: 'traces', urlDisplayLabel: 'View trace',
    });
  });

  test('bad input fails naming the option', () => {
    expect(() => lokiTraceDerivedField({ matcherRegex: 'traceID=\\w+' })).toThrow('matcherRegex: "traceID=\\w+" has no capture group');
    expect(() => lokiTraceDerivedField({ matcherRegex: 'traceID=(\\w+' })).toThrow(/matcherRegex: "traceID=\(\\w\+" is not a valid regular expression/);
    expect(() => lokiTraceDerivedField({ tempoDatasourceUid: 'a b' })).toThrow('tempoDatasourceUid: "a b" is invalid');
    expect(() => lokiTraceDerivedField({ matcherType: DerivedFieldMatcherType.LABEL, matcherRegex: 'trace.id' })).toThrow('is invalid for a LABEL matcher');
  });
});
