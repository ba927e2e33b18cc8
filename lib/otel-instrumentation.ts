import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type * as OtelCrd from '../imports/instrumentation-opentelemetry.io';
import type { ITempoInstance } from './instance';
import { InstrumentCredentials, OtlpProtocol, otlpExportOf } from './instrument';
import { TempoNames } from './k8s/names';
import { recordNameOption } from './k8s/unique-objects';
import { integrationLabels, throwIfErrors } from './monitoring/common';

// The generated bindings (imports/instrumentation-opentelemetry.io.ts, 7,000 lines: the CRD repeats the pod
// env and volume schemas per language) load with the first TempoInstrumentation, not with the library.
const otelCrd = (): typeof OtelCrd => require('../imports/instrumentation-opentelemetry.io');

/** Trace-context propagators an auto-instrumented SDK uses (`OTEL_PROPAGATORS`). */
export enum OtelPropagator {
  /** W3C Trace Context. */
  TRACE_CONTEXT = 'tracecontext',
  /** W3C Baggage. */
  BAGGAGE = 'baggage',
  /** Zipkin B3, single header. */
  B3 = 'b3',
  /** Zipkin B3, multiple headers. */
  B3_MULTI = 'b3multi',
  /** Jaeger (`uber-trace-id`). */
  JAEGER = 'jaeger',
  /** AWS X-Ray. */
  XRAY = 'xray',
  /** OpenTracing. */
  OT_TRACE = 'ottrace',
}

/** Samplers of the OpenTelemetry SDKs (`OTEL_TRACES_SAMPLER`). */
export enum OtelSampler {
  /** Every trace. */
  ALWAYS_ON = 'always_on',
  /** No trace. */
  ALWAYS_OFF = 'always_off',
  /** A share of the traces (`ratio`). */
  TRACE_ID_RATIO = 'traceidratio',
  /** The parent span's decision; every root trace. */
  PARENT_BASED_ALWAYS_ON = 'parentbased_always_on',
  /** The parent span's decision; no root trace. */
  PARENT_BASED_ALWAYS_OFF = 'parentbased_always_off',
  /** The parent span's decision; a share (`ratio`) of the root traces. */
  PARENT_BASED_TRACE_ID_RATIO = 'parentbased_traceidratio',
}

/** Languages the OpenTelemetry Operator injects an SDK for (the `instrumentation.opentelemetry.io/inject-<language>` annotation). */
export enum OtelLanguage {
  /** Java agent. */
  JAVA = 'java',
  /** Node.js. */
  NODEJS = 'nodejs',
  /** Python. */
  PYTHON = 'python',
  /** .NET. */
  DOTNET = 'dotnet',
  /** Go (eBPF; needs a privileged sidecar, see the operator's documentation). */
  GO = 'go',
}

/** Options of `TempoInstrumentation`. */
export interface TempoInstrumentationProps {
  /** The Tempo the auto-instrumented applications send traces to. */
  readonly instance: ITempoInstance;
  /** Name of the `Instrumentation`. @default `<instance>-instrumentation` */
  readonly name?: string;
  /**
   * Namespace of the `Instrumentation`. Pods of other namespaces use it by `<namespace>/<name>` in their
   * annotation, as `podAnnotations()` writes it.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Tenant sent as `X-Scope-OrgID` (`OTEL_EXPORTER_OTLP_HEADERS`). Required when the instance is multi-tenant
   * and the tenant is not taken from gateway credentials; refused when the instance is single-tenant.
   * @default no tenant header
   */
  readonly tenant?: string;
  /**
   * Protocol of the exporter (`spec.exporter.endpoint` port and `OTEL_EXPORTER_OTLP_PROTOCOL`).
   * @default OtlpProtocol.HTTP_PROTOBUF when the instance receives OTLP HTTP (the default of the operator's
   * Java, Python, .NET and Go SDKs), else OtlpProtocol.GRPC
   */
  readonly protocol?: OtlpProtocol;
  /**
   * Credentials for a gateway with basic auth: a Secret that must exist in the namespace of every
   * instrumented pod (the operator injects a `secretKeyRef` into the pods). Required exactly when the
   * gateway asks for them.
   * @default none
   */
  readonly credentials?: InstrumentCredentials;
  /** Propagators. @default [OtelPropagator.TRACE_CONTEXT, OtelPropagator.BAGGAGE] */
  readonly propagators?: readonly OtelPropagator[];
  /** Sampler. @default OtelSampler.PARENT_BASED_TRACE_ID_RATIO */
  readonly sampler?: OtelSampler;
  /** Share of root traces kept by the ratio samplers, from 0 to 1 (`spec.sampler.argument`). @default 1 (ratio samplers); not allowed for the others */
  readonly ratio?: number;
  /** Extra resource attributes of every span. @default none */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
}

/**
 * An OpenTelemetry Operator `Instrumentation` (opentelemetry.io/v1alpha1) pointing the SDKs the
 * operator injects at a Tempo instance: `spec.exporter.endpoint` is the instance's ingest Service
 * (the gateway when there is one) on the OTLP port of `protocol`, `OTEL_EXPORTER_OTLP_PROTOCOL` and,
 * when needed, `OTEL_EXPORTER_OTLP_HEADERS` (tenant, gateway credentials from a Secret) in `spec.env`,
 * plus propagators and sampler. Pods opt in with `podAnnotations(language)`.
 *
 * The operator (and its CRD) must be installed in the cluster. Injected pods are not known at synth
 * time, so the instance's ingest NetworkPolicy is not opened to them: use `instrument()` for workloads
 * you define, or allow their namespace with the instance's network options.
 */
export class TempoInstrumentation extends Construct {
  /** The `Instrumentation` object. */
  public readonly resource: ApiObject;
  /** Its name. */
  public readonly name: string;
  /** Its namespace, when known. */
  public readonly namespace?: string;
  /** `spec.exporter.endpoint`. */
  public readonly endpoint: string;

  constructor(scope: Construct, id: string, props: TempoInstrumentationProps) {
    super(scope, id);
    const { instance } = props;
    const ingest = instance.ingestEndpoint;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const exp = otlpExportOf(props, ingest.otlpHttpPort !== undefined ? OtlpProtocol.HTTP_PROTOBUF : OtlpProtocol.GRPC, namespace);
    const name = props.name ?? new TempoNames(instance.name).instrumentation;
    const sampler = props.sampler ?? OtelSampler.PARENT_BASED_TRACE_ID_RATIO;
    const ratioSampler = sampler === OtelSampler.TRACE_ID_RATIO || sampler === OtelSampler.PARENT_BASED_TRACE_ID_RATIO;
    const propagators = props.propagators ?? [OtelPropagator.TRACE_CONTEXT, OtelPropagator.BAGGAGE];
    const errors = [...exp.errors];
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
      errors.push(`name: "${name}" is invalid; allowed: a DNS subdomain (lower-case letters, digits, '-', '.')`);
    }
    if (props.ratio !== undefined && !ratioSampler) {
      errors.push(`ratio: set but sampler ${sampler} takes no ratio; allowed: OtelSampler.TRACE_ID_RATIO or PARENT_BASED_TRACE_ID_RATIO, or no ratio`);
    } else if (props.ratio !== undefined && !(typeof props.ratio === 'number' && props.ratio >= 0 && props.ratio <= 1)) {
      errors.push(`ratio: ${props.ratio} is invalid; allowed: a number from 0 to 1`);
    }
    if (!Object.values(OtelSampler).includes(sampler)) errors.push(`sampler: "${sampler}" is invalid; allowed: ${Object.values(OtelSampler).join(', ')}`);
    const unknown = propagators.filter((p) => !Object.values(OtelPropagator).includes(p));
    if (propagators.length === 0 || unknown.length) {
      errors.push(`propagators: ${JSON.stringify(propagators)} is invalid; allowed: a non-empty list of ${Object.values(OtelPropagator).join(', ')}`);
    }
    if (new Set(propagators).size !== propagators.length) errors.push('propagators: lists a propagator twice');
    throwIfErrors(`TempoInstrumentation "${name}"`, errors);

    const crd = otelCrd();
    this.name = name;
    this.namespace = namespace;
    this.endpoint = exp.endpoint;
    this.resource = new crd.Instrumentation(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: integrationLabels(instance.name, 'instrumentation') },
      spec: {
        exporter: { endpoint: exp.endpoint },
        propagators: propagators as unknown as OtelCrd.InstrumentationSpecPropagators[],
        sampler: {
          type: sampler as unknown as OtelCrd.InstrumentationSpecSamplerType,
          argument: ratioSampler ? String(props.ratio ?? 1) : undefined,
        },
        env: [
          { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: exp.protocol },
          ...exp.credentialEnv,
          ...exp.headerEnv,
        ],
        resource: props.resourceAttributes ? { resourceAttributes: { ...props.resourceAttributes } } : undefined,
      },
    });
    recordNameOption(this.resource, 'TempoInstrumentation.name');
  }

  /**
   * The pod-template annotation that makes the operator inject this `Instrumentation`'s SDK for a
   * language: `instrumentation.opentelemetry.io/inject-<language>: <namespace>/<name>`.
   */
  public podAnnotations(language: OtelLanguage): Record<string, string> {
    return { [`instrumentation.opentelemetry.io/inject-${language}`]: this.namespace ? `${this.namespace}/${this.name}` : this.name };
  }
}
