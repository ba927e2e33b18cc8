import { LogFormat, LogLevel } from './config/tempo-config';
import type { TenantLimits } from './config/tenant-limits';
import type { TempoNetworkPolicyOptions } from './network/tempo-network-policies';
import type { TempoReceiver } from './config/receivers';
import type { TempoStorage } from './storage/storage';
import type { TempoTlsOptions } from './tls/tls';
import type { TempoVersion } from './version';

/** Options shared by every Tempo deployment mode. */
export interface TempoCommonProps {
  /**
   * Instance name: prefix of every object name and value of
   * `app.kubernetes.io/instance`. Part of the resource identities: changing
   * it replaces every object (and the ingesters' volumes).
   * @default 'tempo'
   */
  readonly name?: string;
  /** Tempo release; selects the image tag and the key schema tempo.yaml is checked against. @default TempoVersion.DEFAULT (Tempo 2.10.8, the newest 2.10 release) */
  readonly version?: TempoVersion;
  /** Image for every component (e.g. a mirror). @default `grafana/tempo:<version>` */
  readonly image?: string;
  /** Where trace blocks are stored. */
  readonly storage: TempoStorage;
  /** Enabled trace receivers. @default [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()] */
  readonly receivers?: readonly TempoReceiver[];
  /** Require the `X-Scope-OrgID` tenant header (`multitenancy_enabled`). @default false */
  readonly multitenancy?: boolean;
  /** Log level of every component. @default LogLevel.INFO */
  readonly logLevel?: LogLevel;
  /** Log format of every component. @default LogFormat.LOGFMT */
  readonly logFormat?: LogFormat;
  /**
   * Raw Tempo configuration deep-merged over the generated one (maps merge,
   * lists replace) and checked against the key schema like the rest. Use
   * `EnvReference.of('NAME')` for values Tempo should read from the
   * environment; a literal `$` is escaped.
   * @default none
   */
  readonly extraConfig?: Record<string, unknown>;
  /**
   * Limits for every tenant (`overrides.defaults` in tempo.yaml), e.g. ingestion rate and burst.
   * @default Tempo's defaults
   */
  readonly limits?: TenantLimits;
  /**
   * Limits of named tenants, written to the runtime overrides ConfigMap that
   * Tempo reloads without a restart. Each entry also carries the defaults it
   * does not override. Needs `multitenancy: true`.
   * @default none
   */
  readonly tenants?: Readonly<Record<string, TenantLimits>>;
  /**
   * NetworkPolicies selecting every Tempo pod: receivers open to `ingestFrom`,
   * the query port to `queryFrom` (Grafana), http to `metricsFrom`
   * (Prometheus), Tempo's ports among its own pods, and egress only to DNS,
   * storage, cache and remote write.
   * @default enabled, with the defaults of `TempoNetworkPolicyOptions`
   */
  readonly networkPolicy?: TempoNetworkPolicyOptions;
  /** Value of the `app.kubernetes.io/part-of` label. @default 'tempo' */
  readonly partOf?: string;
  /**
   * TLS on the receivers (certificate from a Secret or cert-manager) and, in TempoDistributed, mutual TLS on
   * gRPC and memberlist between components.
   * @default no TLS
   */
  readonly tls?: TempoTlsOptions;
  /**
   * Registry of every image the instance runs (Tempo, memcached, gateway, exporters, extra containers),
   * e.g. a mirror `registry.example.com/hub`; a component's own `imageRegistry` wins.
   * @default none: images as written
   */
  readonly imageRegistry?: string;
  /** Secrets for pulling images, on every pod of the instance (added to a component's own). @default none */
  readonly imagePullSecrets?: readonly string[];
  /**
   * The ServiceAccount of the Tempo pods: its name and extra annotations. Cloud identity annotations for
   * the storage come from the storage options (`iamRoleArn`, `workloadIdentity`), not from here.
   * @default `<name>`, with only the storage's annotations
   */
  readonly serviceAccount?: TempoServiceAccountOptions;
}

/** Name and annotations of the instance's ServiceAccount. */
export interface TempoServiceAccountOptions {
  /** ServiceAccount name; part of the resource identities. @default the instance name */
  readonly name?: string;
  /** Extra annotations (merged with the storage's cloud identity annotations). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}
