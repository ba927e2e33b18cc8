import { receiverTypes } from './schema-validation';
import type { TempoVersion } from '../version';
import { literalCredentialErrors, TEMPO_CREDENTIAL_ADVICE } from './owned-keys';

/** Transport protocol of a receiver port. */
export enum ReceiverProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/** Options shared by every receiver. */
export interface ReceiverOptions {
  /**
   * Port the receiver listens on (container and Service port).
   * @default the protocol's well-known port
   */
  readonly port?: number;
  /**
   * Extra settings merged into this receiver's OpenTelemetry Collector
   * configuration (e.g. `{ max_recv_msg_size_mib: 16 }` for OTLP gRPC).
   * Tempo hands them to the collector, which rejects unknown keys at start-up:
   * they are not covered by Tempo's key schema.
   * @default none
   */
  readonly settings?: Record<string, unknown>;
}

interface ReceiverSpec {
  /** Stable identifier; also the port name (<= 15 characters). */
  readonly id: string;
  /** Receiver type registered by Tempo's distributor (`otlp`, `jaeger`, ...). */
  readonly type: string;
  /** Path below the receiver type where `endpoint` goes. */
  readonly protocolPath: readonly string[];
  readonly defaultPort: number;
  readonly protocol: ReceiverProtocol;
}

/**
 * A trace receiver of Tempo's distributor. Each binds on 0.0.0.0 explicitly:
 * from Tempo 2.7 on receivers default to localhost, unreachable in a pod.
 */
export class TempoReceiver {
  /** OTLP over gRPC, port 4317. */
  public static otlpGrpc(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'otlp-grpc', type: 'otlp', protocolPath: ['protocols', 'grpc'], defaultPort: 4317, protocol: ReceiverProtocol.TCP }, options);
  }
  /** OTLP over HTTP, port 4318. */
  public static otlpHttp(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'otlp-http', type: 'otlp', protocolPath: ['protocols', 'http'], defaultPort: 4318, protocol: ReceiverProtocol.TCP }, options);
  }
  /** Jaeger gRPC (model.proto), port 14250. */
  public static jaegerGrpc(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'jaeger-grpc', type: 'jaeger', protocolPath: ['protocols', 'grpc'], defaultPort: 14250, protocol: ReceiverProtocol.TCP }, options);
  }
  /** Jaeger Thrift over HTTP, port 14268. */
  public static jaegerThriftHttp(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'jaeger-http', type: 'jaeger', protocolPath: ['protocols', 'thrift_http'], defaultPort: 14268, protocol: ReceiverProtocol.TCP }, options);
  }
  /** Jaeger Thrift compact (agent protocol), UDP port 6831. */
  public static jaegerThriftCompact(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'jaeger-compact', type: 'jaeger', protocolPath: ['protocols', 'thrift_compact'], defaultPort: 6831, protocol: ReceiverProtocol.UDP }, options);
  }
  /** Jaeger Thrift binary, UDP port 6832. */
  public static jaegerThriftBinary(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'jaeger-binary', type: 'jaeger', protocolPath: ['protocols', 'thrift_binary'], defaultPort: 6832, protocol: ReceiverProtocol.UDP }, options);
  }
  /** Zipkin JSON/proto over HTTP, port 9411. */
  public static zipkin(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'zipkin', type: 'zipkin', protocolPath: [], defaultPort: 9411, protocol: ReceiverProtocol.TCP }, options);
  }
  /** OpenCensus, port 55678. Removed from Tempo after 2.6: a synth error on newer versions. */
  public static openCensus(options: ReceiverOptions = {}): TempoReceiver {
    return new TempoReceiver({ id: 'opencensus', type: 'opencensus', protocolPath: [], defaultPort: 55678, protocol: ReceiverProtocol.TCP }, options);
  }

  /** Port name, unique per receiver (`otlp-grpc`, `jaeger-compact`, ...). */
  public readonly name: string;
  /** Receiver type in Tempo's configuration. */
  public readonly type: string;
  /** Listening port. */
  public readonly port: number;
  /** TCP or UDP. */
  public readonly protocol: ReceiverProtocol;

  private constructor(private readonly spec: ReceiverSpec, private readonly options: ReceiverOptions) {
    this.name = spec.id;
    this.type = spec.type;
    this.port = options.port ?? spec.defaultPort;
    this.protocol = spec.protocol;
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) {
      throw new Error(`receivers: ${this.name} port ${options.port} is invalid; allowed: an integer from 1 to 65535`);
    }
  }

  /** Whether the receiver can serve TLS (the TCP ones; Jaeger's Thrift UDP receivers cannot). */
  public get supportsTls(): boolean {
    return this.protocol === ReceiverProtocol.TCP;
  }

  /** Whether the receiver's own `settings` set `tls`. */
  public get hasOwnTls(): boolean {
    return this.options.settings?.tls !== undefined;
  }

  /**
   * This receiver's part of `distributor.receivers`, to be deep-merged with the others; `tls` is the
   * collector's TLS server block (`tls.receivers`), set on receivers that support it.
   */
  public toConfig(tls?: Record<string, unknown>): Record<string, unknown> {
    let node: Record<string, unknown> = { ...this.options.settings, endpoint: `0.0.0.0:${this.port}`, ...(tls && this.supportsTls ? { tls } : {}) };
    for (const key of [...this.spec.protocolPath].reverse()) node = { [key]: node };
    return { [this.spec.type]: node };
  }
}

/** The receivers enabled when none are given: OTLP gRPC and HTTP. */
export function defaultReceivers(): TempoReceiver[] {
  return [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()];
}

/** Checks receivers against a Tempo version and each other. Returns error messages. */
export function receiverErrors(receivers: readonly TempoReceiver[], version: TempoVersion, reservedPorts: readonly number[]): string[] {
  const errors: string[] = [];
  if (receivers.length === 0) errors.push('receivers: at least one receiver is required, or Tempo ingests nothing');
  const supported = receiverTypes(version.schemaVersion);
  const seenNames = new Set<string>();
  const seenPorts = new Map<number, string>();
  for (const port of reservedPorts) seenPorts.set(port, 'a Tempo server port');
  for (const r of receivers) {
    if (!supported.includes(r.type)) {
      errors.push(`receivers: ${r.name} needs receiver type "${r.type}", which Tempo ${version.version} does not have; allowed types: ${supported.join(', ')}`);
    }
    if (seenNames.has(r.name)) errors.push(`receivers: ${r.name} is listed twice`);
    seenNames.add(r.name);
    errors.push(...literalCredentialErrors(`receivers: ${r.name} settings`, r.toConfig(), TEMPO_CREDENTIAL_ADVICE));
    const other = seenPorts.get(r.port);
    if (other) errors.push(`receivers: ${r.name} port ${r.port} is already used by ${other}`);
    seenPorts.set(r.port, r.name);
  }
  return errors;
}
