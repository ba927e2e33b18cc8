/**
 * TempoInstrumentation: an OpenTelemetry Operator `Instrumentation` wired to the instance's ingest endpoint,
 * checked field by field and against the CRD's schema (crds/opentelemetry.io_instrumentations.yaml, v0.158.0).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { OtelLanguage, OtelPropagator, OtelSampler, OtlpProtocol, TempoDistributed, TempoInstrumentation, TempoMonolithic, TempoReceiver, TempoStorage } from '../lib';
import { find, Manifest, minioStorage } from './support/synth';

const CRD = yaml.load(readFileSync(join(__dirname, '..', 'crds', 'opentelemetry.io_instrumentations.yaml'), 'utf8')) as any;
const SCHEMA = CRD.spec.versions.find((v: any) => v.name === 'v1alpha1').schema.openAPIV3Schema;

/** Paths of `value` the structural schema does not allow (unknown fields, wrong types, values outside an enum). */
function schemaProblems(schema: any, value: unknown, at = ''): string[] {
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const missing = (schema.required ?? []).filter((k: string) => !(k in (value as object))).map((k: string) => `${at}.${k}: required`);
      return [...missing, ...Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
        const sub = schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        return sub ? schemaProblems(sub, v, `${at}.${k}`) : (schema['x-kubernetes-preserve-unknown-fields'] ? [] : [`${at}.${k}: unknown field`]);
      })];
    }
    case 'array': return Array.isArray(value) ? value.flatMap((v, i) => schemaProblems(schema.items, v, `${at}[${i}]`)) : [`${at}: not an array`];
    case 'string': return typeof value === 'string' ? [] : [`${at}: not a string`];
    case 'boolean': return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    case 'integer': case 'number': return typeof value === 'number' ? [] : [`${at}: not a number`];
    default: return [];
  }
}

function setup(tempoProps: Record<string, unknown> = {}, monolithic = false) {
  const app = Testing.app();
  const tracing = new Chart(app, 'tracing', { namespace: 'tracing' });
  const props = { storage: minioStorage(), ...tempoProps };
  const tempo = monolithic
    ? new TempoMonolithic(tracing, 'Tempo', { storage: TempoStorage.local(), ...tempoProps } as any)
    : new TempoDistributed(tracing, 'Tempo', props as any);
  return { tracing, tempo };
}

const instrumentationOf = (chart: Chart) => find(Testing.synth(chart) as Manifest[], 'Instrumentation', 'tempo-instrumentation');
const envOf = (m: Manifest) => Object.fromEntries(m.spec.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('TempoInstrumentation on a single-tenant TempoDistributed', () => {
  const { tracing, tempo } = setup();
  const inst = new TempoInstrumentation(tracing, 'Instrumentation', { instance: tempo, resourceAttributes: { 'deployment.environment': 'prod' } });
  const m = instrumentationOf(tracing);

  test('opentelemetry.io/v1alpha1 Instrumentation, accepted by the CRD\'s schema', () => {
    expect(m.apiVersion).toBe('opentelemetry.io/v1alpha1');
    expect(m.metadata).toMatchObject({ name: 'tempo-instrumentation', namespace: 'tracing', labels: { 'app.kubernetes.io/instance': 'tempo', 'app.kubernetes.io/managed-by': 'cdk8s-tempo' } });
    expect(schemaProblems(SCHEMA.properties.spec, m.spec, 'spec')).toEqual([]);
  });

  test('exports OTLP/HTTP to the distributor (the SDKs\' default protocol), W3C propagators, parent-based sampling of every trace', () => {
    expect(m.spec.exporter).toEqual({ endpoint: 'http://tempo-distributor.tracing.svc:4318' });
    expect(inst.endpoint).toBe('http://tempo-distributor.tracing.svc:4318');
    expect(envOf(m)).toEqual({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
    expect(m.spec.propagators).toEqual(['tracecontext', 'baggage']);
    expect(m.spec.sampler).toEqual({ type: 'parentbased_traceidratio', argument: '1' });
    expect(m.spec.resource).toEqual({ resourceAttributes: { 'deployment.environment': 'prod' } });
  });

  test('pods opt in with the inject annotation naming <namespace>/<name>', () => {
    expect(inst.podAnnotations(OtelLanguage.JAVA)).toEqual({ 'instrumentation.opentelemetry.io/inject-java': 'tracing/tempo-instrumentation' });
    expect(inst.podAnnotations(OtelLanguage.PYTHON)).toEqual({ 'instrumentation.opentelemetry.io/inject-python': 'tracing/tempo-instrumentation' });
  });
});

test('gRPC, other propagators and a sampling ratio are typed options', () => {
  const { tracing, tempo } = setup();
  new TempoInstrumentation(tracing, 'Instrumentation', {
    instance: tempo, protocol: OtlpProtocol.GRPC, propagators: [OtelPropagator.TRACE_CONTEXT, OtelPropagator.B3_MULTI], sampler: OtelSampler.TRACE_ID_RATIO, ratio: 0.25,
  });
  const m = instrumentationOf(tracing);
  expect(m.spec.exporter.endpoint).toBe('http://tempo-distributor.tracing.svc:4317');
  expect(envOf(m).OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
  expect(m.spec.propagators).toEqual(['tracecontext', 'b3multi']);
  expect(m.spec.sampler).toEqual({ type: 'traceidratio', argument: '0.25' });
  expect(schemaProblems(SCHEMA.properties.spec, m.spec, 'spec')).toEqual([]);
});

test('multi-tenant: the tenant header is required and sent; through a gateway the endpoint is the gateway', () => {
  const { tracing, tempo } = setup({ multitenancy: true, gateway: { tenantHeader: 'pass-through' } });
  expect(() => new TempoInstrumentation(tracing, 'Missing', { instance: tempo })).toThrow(/tenant: required because Tempo "tempo" is multi-tenant/);
  new TempoInstrumentation(tracing, 'Instrumentation', { instance: tempo, tenant: 'team-a' });
  const m = instrumentationOf(tracing);
  expect(m.spec.exporter.endpoint).toBe('http://tempo-gateway.tracing.svc:80');
  expect(envOf(m)).toEqual({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_HEADERS: 'X-Scope-OrgID=team-a' });
});

test('a gateway with basic auth: credentials from a Secret, defined before the header that uses them', () => {
  const { tracing, tempo } = setup({ multitenancy: true, gateway: { basicAuth: { secretName: 'htpasswd' } } });
  expect(() => new TempoInstrumentation(tracing, 'Missing', { instance: tempo })).toThrow(/credentials: required because the gateway/);
  new TempoInstrumentation(tracing, 'Instrumentation', { instance: tempo, credentials: { secretName: 'otlp-auth', key: 'token' } });
  const m = instrumentationOf(tracing);
  expect(m.spec.env.map((e: any) => e.name)).toEqual(['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_TEMPO_BASIC_AUTH', 'OTEL_EXPORTER_OTLP_HEADERS']);
  expect(envOf(m).OTEL_TEMPO_BASIC_AUTH).toEqual({ secretKeyRef: { name: 'otlp-auth', key: 'token' } });
  expect(envOf(m).OTEL_EXPORTER_OTLP_HEADERS).toBe('Authorization=Basic%20$(OTEL_TEMPO_BASIC_AUTH)');
  expect(schemaProblems(SCHEMA.properties.spec, m.spec, 'spec')).toEqual([]);
});

test('OTLP gRPC only: gRPC by default; a protocol the instance does not receive is refused', () => {
  const { tracing, tempo } = setup({ receivers: [TempoReceiver.otlpGrpc()] });
  expect(() => new TempoInstrumentation(tracing, 'Http', { instance: tempo, protocol: OtlpProtocol.HTTP_PROTOBUF }))
    .toThrow(/protocol: http\/protobuf is not received by Tempo "tempo"; allowed: OtlpProtocol.GRPC/);
  new TempoInstrumentation(tracing, 'Instrumentation', { instance: tempo });
  expect(instrumentationOf(tracing).spec.exporter.endpoint).toBe('http://tempo-distributor.tracing.svc:4317');
});

test('every problem in one error, with the option and what is allowed', () => {
  const { tracing, tempo } = setup();
  let message = '';
  try {
    new TempoInstrumentation(tracing, 'Bad', { instance: tempo, name: 'Bad_Name', tenant: 'x', sampler: OtelSampler.ALWAYS_ON, ratio: 0.5, propagators: [] });
  } catch (e) {
    message = (e as Error).message;
  }
  for (const problem of ['name: "Bad_Name" is invalid; allowed: a DNS subdomain', 'tenant: "x" is set but Tempo "tempo" is single-tenant',
    'ratio: set but sampler always_on takes no ratio', 'propagators: [] is invalid; allowed: a non-empty list of tracecontext']) {
    expect(message).toContain(problem);
  }
  expect(() => new TempoInstrumentation(tracing, 'Ratio', { instance: tempo, ratio: 2 })).toThrow(/ratio: 2 is invalid; allowed: a number from 0 to 1/);
});

test('a single binary in the same namespace: its Service', () => {
  const { tracing, tempo } = setup({}, true);
  new TempoInstrumentation(tracing, 'Instrumentation', { instance: tempo, name: 'apps' });
  const m = find(Testing.synth(tracing) as Manifest[], 'Instrumentation', 'apps');
  expect(m.spec.exporter.endpoint).toBe('http://tempo.tracing.svc:4318');
});
