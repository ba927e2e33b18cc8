import { Duration } from 'cdk8s';
import { describeDuration, goDuration } from '../config/units';
import { TempoNames } from '../k8s/names';
import { dnsSubdomainErrors, secretKeyErrors, secretNameErrors } from '../k8s/validation';

/*
 * Which certificates Tempo re-reads from disk (the Secret volume follows a renewed Secret within a minute):
 * - receivers (OpenTelemetry Collector configtls, vendor/go.opentelemetry.io/collector/config/configtls/configtls.go
 *   at v2.6.1, v2.10.8, v3.0.3): the certificate only when `reload_interval` is set (the library sets it); the
 *   client CA only with `client_ca_file_reload`;
 * - gRPC server (dskit server.go -> prometheus exporter-toolkit web/tls_config.go ConfigToTLSConfig): the
 *   certificate on every handshake (GetCertificate reads the files); the client CA once at start;
 * - gRPC clients and memberlist dialling (dskit crypto/tls/tls.go GetTLSConfig): the client certificate on every
 *   handshake (GetClientCertificate); the CA once at start;
 * - memberlist listener (dskit kv/memberlist/tcp_transport.go: tls.Listen with GetTLSConfig's `Certificates`): the
 *   certificate ONCE at start. A renewed certificate reaches gossip only when the pods restart.
 * So with memberlist TLS the pods must roll before the old certificate expires; cert-manager renews well before
 * (renewBefore), and `restartOnRenewal` adds stakater Reloader's annotation to do it. A checksum annotation cannot
 * follow a Secret cert-manager writes.
 */

/** Where a TLS Secret is mounted in every container that uses it. */
export const TlsPaths = {
  /** The receivers' certificate (distributor, single binary). */
  RECEIVERS: '/etc/tempo/tls/receivers',
  /** The certificate of gRPC and memberlist between components. */
  INTERNAL: '/etc/tempo/tls/internal',
} as const;

/** A cert-manager issuer (`spec.issuerRef` of a Certificate). */
export interface CertManagerIssuer {
  /** Name of the Issuer or ClusterIssuer. */
  readonly name: string;
  /** `Issuer` (in the chart's namespace) or `ClusterIssuer`. @default 'ClusterIssuer' */
  readonly kind?: 'Issuer' | 'ClusterIssuer';
  /** API group of an external issuer. @default 'cert-manager.io' */
  readonly group?: string;
}

/** Options of a certificate the library requests from cert-manager. */
export interface CertManagerCertificateOptions {
  /** The issuer that signs it; with mutual TLS it must put its CA in the Secret's `ca.crt` (a CA or self-signed issuer does). */
  readonly issuer: CertManagerIssuer;
  /** Lifetime. @default Duration.days(90) */
  readonly duration?: Duration;
  /** Renew this long before expiry. @default Duration.days(30) */
  readonly renewBefore?: Duration;
  /** Names besides the derived Service names, e.g. a public hostname of the receivers. @default none */
  readonly extraDnsNames?: readonly string[];
}

/** Keys of a TLS Secret. */
export interface TlsSecretKeys {
  /** Key of the PEM certificate (chain). @default 'tls.crt' */
  readonly cert?: string;
  /** Key of the PEM private key. @default 'tls.key' */
  readonly key?: string;
  /** Key of the PEM CA that verifies the peers (mutual TLS). @default 'ca.crt' */
  readonly ca?: string;
}

/** Where a certificate comes from: a Secret you manage, or a cert-manager Certificate the library creates. */
export class TempoCertificate {
  /** An existing Secret (e.g. type kubernetes.io/tls) with the certificate, key and CA. */
  public static fromSecret(secretName: string, keys: TlsSecretKeys = {}): TempoCertificate {
    return new TempoCertificate(secretName, keys, undefined);
  }

  /**
   * A cert-manager `Certificate` created with the instance; its Secret is `<instance>-<purpose>-tls` and its
   * DNS names are every Service name a client dials (in all their namespace forms).
   */
  public static certManager(options: CertManagerCertificateOptions): TempoCertificate {
    return new TempoCertificate(undefined, {}, options);
  }

  private constructor(
    /** The user's Secret, when not managed by cert-manager. */
    public readonly secretName: string | undefined,
    /** Keys inside the Secret. */
    public readonly keys: TlsSecretKeys,
    /** cert-manager options, when the library creates the Certificate. */
    public readonly certManagerOptions: CertManagerCertificateOptions | undefined,
  ) {}
}

/** TLS on the distributor's receivers (OTLP gRPC and HTTP, Jaeger gRPC and Thrift HTTP, Zipkin, OpenCensus). */
export interface TempoReceiverTlsOptions {
  /** The receivers' certificate. */
  readonly certificate: TempoCertificate;
  /**
   * Require client certificates signed by the CA in the Secret's `ca` key (`client_ca_file`).
   * @default false (server TLS only)
   */
  readonly requireClientCertificate?: boolean;
  /** How often the receivers re-read the certificate from disk (`reload_interval`), so a renewal needs no restart. @default Duration.minutes(5) */
  readonly reloadInterval?: Duration;
}

/** Mutual TLS between Tempo's components (TempoDistributed only). */
export interface TempoInternalTlsOptions {
  /**
   * One certificate for every component: it serves gRPC (`server.grpc_tls_config`, client certificates required)
   * and is the client certificate of every gRPC client; its `ca` verifies both sides.
   */
  readonly certificate: TempoCertificate;
  /** Also TLS on the memberlist gossip (`memberlist.tls_enabled`). @default true */
  readonly memberlist?: boolean;
}

/** TLS of a Tempo instance. */
export interface TempoTlsOptions {
  /** TLS on the receivers. @default plain-text receivers */
  readonly receivers?: TempoReceiverTlsOptions;
  /** Mutual TLS on gRPC (and memberlist) between components; TempoDistributed only. @default plain text between components */
  readonly internal?: TempoInternalTlsOptions;
  /**
   * Add stakater Reloader's `secret.reloader.stakater.com/reload` annotation naming the TLS Secrets to every
   * workload that mounts them, so a renewed certificate rolls the pods (needed for memberlist TLS, whose listener
   * reads its certificate once; everything else re-reads it). Needs Reloader in the cluster.
   * @default false (roll the pods yourself within `renewBefore` when memberlist TLS is on)
   */
  readonly restartOnRenewal?: boolean;
  /** Cluster DNS domain of the derived certificate names. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** One TLS Secret as mounted: resolved names and keys. */
export interface ResolvedTlsSecret {
  /** Secret name. */
  readonly secretName: string;
  /** Volume name in the pod. */
  readonly volumeName: string;
  /** Mount path. */
  readonly mountPath: string;
  /** Key of the certificate. */
  readonly certKey: string;
  /** Key of the private key. */
  readonly keyKey: string;
  /** Key of the CA. */
  readonly caKey: string;
  /** The Secret keys mounted (the CA only where it verifies peers: a receivers' Secret may have none). */
  readonly keys: readonly string[];
  /** The cert-manager options when the library creates the Certificate. */
  readonly certManager?: CertManagerCertificateOptions;
  /** Components that mount it; every component when absent. */
  readonly components?: readonly string[];
}

/** TLS with every default decided. */
export interface ResolvedTls {
  /** Receivers' Secret and settings. */
  readonly receivers?: ResolvedTlsSecret & { readonly requireClientCertificate: boolean; readonly reloadInterval: Duration };
  /** Internal Secret and settings. */
  readonly internal?: ResolvedTlsSecret & { readonly memberlist: boolean; readonly serverName: string };
  /** Add Reloader annotations. */
  readonly restartOnRenewal: boolean;
  /** Cluster DNS domain. */
  readonly clusterDomain: string;
}

/** Every form a Service name is dialled by inside the cluster. */
export function serviceDnsNames(service: string, namespace: string | undefined, clusterDomain: string): string[] {
  return namespace ? [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.${clusterDomain}`] : [service];
}

/**
 * Resolves the TLS options. `receiverComponents` mount the receivers' Secret; `internalServerName` is the name
 * every internal client verifies (clients dial pod IPs from the rings, which no certificate can name).
 */
export function resolveTls(tls: TempoTlsOptions | undefined, instance: string, receiverComponents: readonly string[], internalServerName: string): ResolvedTls | undefined {
  if (!tls) return undefined;
  const secret = (c: TempoCertificate, purpose: 'receivers' | 'internal', mountPath: string, withCa: boolean) => {
    const [certKey, keyKey, caKey] = [c.keys.cert ?? 'tls.crt', c.keys.key ?? 'tls.key', c.keys.ca ?? 'ca.crt'];
    return {
      secretName: c.secretName ?? new TempoNames(instance).tlsSecret(purpose),
      volumeName: `tls-${purpose}`,
      mountPath,
      certKey,
      keyKey,
      caKey,
      keys: [...new Set([certKey, keyKey, ...(withCa ? [caKey] : [])])],
      certManager: c.certManagerOptions,
    };
  };
  const r = tls.receivers;
  const i = tls.internal;
  return {
    receivers: r?.certificate instanceof TempoCertificate ? {
      ...secret(r.certificate, 'receivers', TlsPaths.RECEIVERS, r.requireClientCertificate ?? false),
      components: receiverComponents,
      requireClientCertificate: r.requireClientCertificate ?? false,
      reloadInterval: r.reloadInterval ?? Duration.minutes(5),
    } : undefined,
    internal: i?.certificate instanceof TempoCertificate ? { ...secret(i.certificate, 'internal', TlsPaths.INTERNAL, true), memberlist: i.memberlist ?? true, serverName: internalServerName } : undefined,
    restartOnRenewal: tls.restartOnRenewal ?? false,
    clusterDomain: tls.clusterDomain ?? 'cluster.local',
  };
}

/** What the mode tells the TLS checks. */
export interface TlsCheckContext {
  /** The mode runs components that talk to each other (TempoDistributed). */
  readonly multiComponent: boolean;
  /** A gateway forwards to the receivers in plain text. */
  readonly gateway: boolean;
  /** `exposure` routes an ingress controller straight to the receivers (no gateway), in plain text. */
  readonly exposedIngest: boolean;
  /** Receivers that can serve TLS (TCP), by name. */
  readonly tlsReceivers: readonly string[];
  /** Receivers whose `settings` already set `tls`. */
  readonly receiversWithOwnTls: readonly string[];
}

/** Errors of the `tls` option, with option paths. */
export function tlsErrors(option: string, tls: TempoTlsOptions | undefined, ctx: TlsCheckContext): string[] {
  if (tls === undefined) return [];
  const errors: string[] = [];
  if (tls.receivers !== undefined) {
    const at = `${option}.receivers`;
    errors.push(...certificateErrors(`${at}.certificate`, tls.receivers.certificate));
    if (!ctx.tlsReceivers.length) errors.push(`${at}: no enabled receiver can serve TLS (UDP receivers cannot); allowed: enable a TCP receiver such as TempoReceiver.otlpGrpc()`);
    for (const name of ctx.receiversWithOwnTls) errors.push(`receivers: ${name} settings set tls, which ${at} owns; allowed: one of them`);
    if (ctx.gateway) errors.push(`${at}: the gateway forwards to the distributor's receivers in plain text; allowed: no gateway, or TLS in front of the gateway`);
    if (ctx.exposedIngest) errors.push(`${at}: exposure routes the ingress controller to the receivers in plain text; allowed: exposure.ingest: false (clients then use the receivers' own TLS), or TLS at the ingress (exposure's tls) without tls.receivers`);
    const ri = tls.receivers.reloadInterval;
    if (ri !== undefined && (!(ri instanceof Duration) || ri.toMilliseconds() < 1000)) {
      errors.push(`${at}.reloadInterval: ${ri instanceof Duration ? describeDuration(ri) : JSON.stringify(ri)} is invalid; allowed: a Duration of at least 1 second`);
    }
  }
  if (tls.internal !== undefined) {
    const at = `${option}.internal`;
    if (!ctx.multiComponent) errors.push(`${at}: the single binary has no gRPC or gossip between components; allowed: ${option}.receivers only, or TempoDistributed`);
    else errors.push(...certificateErrors(`${at}.certificate`, tls.internal.certificate));
  }
  if (tls.clusterDomain !== undefined) errors.push(...dnsSubdomainErrors(`${option}.clusterDomain`, tls.clusterDomain, 'DNS domain'));
  if (tls.receivers === undefined && tls.internal === undefined) errors.push(`${option}: neither receivers nor internal is set; allowed: at least one of them`);
  return errors;
}

function certificateErrors(option: string, c: unknown): string[] {
  if (!(c instanceof TempoCertificate)) return [`${option}: ${JSON.stringify(c)} is invalid; allowed: TempoCertificate.fromSecret(...) or TempoCertificate.certManager(...)`];
  if (c.secretName !== undefined) {
    return [
      ...secretNameErrors(`${option}.secretName`, c.secretName),
      ...(['cert', 'key', 'ca'] as const).flatMap((k) => secretKeyErrors(`${option}.keys.${k}`, c.keys[k])),
    ];
  }
  const o = c.certManagerOptions!;
  const errors: string[] = [];
  if (typeof o.issuer?.name !== 'string' || !o.issuer.name) errors.push(`${option}.issuer.name: ${JSON.stringify(o.issuer?.name)} is invalid; allowed: the name of a cert-manager Issuer or ClusterIssuer`);
  else errors.push(...dnsSubdomainErrors(`${option}.issuer.name`, o.issuer.name, 'issuer name'));
  if (o.issuer?.kind !== undefined && !['Issuer', 'ClusterIssuer'].includes(o.issuer.kind)) errors.push(`${option}.issuer.kind: "${o.issuer.kind}" is invalid; allowed: Issuer, ClusterIssuer`);
  const duration = o.duration ?? Duration.days(90);
  const renewBefore = o.renewBefore ?? Duration.days(30);
  if (!(duration instanceof Duration) || duration.toSeconds() < 3600) errors.push(`${option}.duration: ${duration instanceof Duration ? describeDuration(duration) : JSON.stringify(duration)} is invalid; allowed: a Duration of at least 1 hour (cert-manager's minimum)`);
  else if (!(renewBefore instanceof Duration) || renewBefore.toSeconds() < 300 || renewBefore.toSeconds() >= duration.toSeconds()) {
    errors.push(`${option}.renewBefore: ${renewBefore instanceof Duration ? describeDuration(renewBefore) : JSON.stringify(renewBefore)} is invalid; allowed: at least 5 minutes and shorter than duration (${describeDuration(duration)})`);
  }
  for (const [i, n] of (o.extraDnsNames ?? []).entries()) {
    if (typeof n !== 'string' || !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(n) || n.length > 253) {
      errors.push(`${option}.extraDnsNames[${i}]: "${n}" is invalid; allowed: a lower-case DNS name (a leading "*." for a wildcard)`);
    }
  }
  return errors;
}

/** The receiver `tls` block (OpenTelemetry Collector configtls.ServerConfig keys, the same on 2.6 to 3.0). */
export function receiverTlsSettings(r: NonNullable<ResolvedTls['receivers']>): Record<string, unknown> {
  return {
    cert_file: `${r.mountPath}/${r.certKey}`,
    key_file: `${r.mountPath}/${r.keyKey}`,
    client_ca_file: r.requireClientCertificate ? `${r.mountPath}/${r.caKey}` : undefined,
    reload_interval: goDuration(r.reloadInterval),
  };
}

/** The gRPC clients a deployment dials with, per architecture (each exists in the key tree of its versions). */
export function internalGrpcClients(kafkaArchitecture: boolean, metricsGenerator: boolean): string[][] {
  return kafkaArchitecture
    ? [['querier', 'frontend_worker', 'grpc_client_config'], ['live_store_client', 'grpc_client_config'], ['backend_scheduler_client', 'grpc_client_config']]
    : [['querier', 'frontend_worker', 'grpc_client_config'], ['ingester_client', 'grpc_client_config'], ...(metricsGenerator ? [['metrics_generator_client', 'grpc_client_config']] : [])];
}

/**
 * The tempo.yaml sections of internal mutual TLS: the gRPC server requires and verifies client certificates;
 * every client presents the same certificate and verifies `serverName` (clients dial pod IPs from the rings);
 * memberlist dials and listens with TLS (its listener asks for no client certificate: dskit sets none).
 */
export function internalTlsConfig(t: NonNullable<ResolvedTls['internal']>, clients: readonly string[][]): Record<string, unknown> {
  const cert = `${t.mountPath}/${t.certKey}`;
  const key = `${t.mountPath}/${t.keyKey}`;
  const ca = `${t.mountPath}/${t.caKey}`;
  const client = { tls_enabled: true, tls_cert_path: cert, tls_key_path: key, tls_ca_path: ca, tls_server_name: t.serverName };
  const doc: Record<string, unknown> = {
    server: { grpc_tls_config: { cert_file: cert, key_file: key, client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: ca } },
    memberlist: t.memberlist ? { ...client } : undefined,
  };
  for (const path of clients) {
    let node: Record<string, unknown> = { ...client };
    for (const k of [...path].reverse()) node = { [k]: node };
    const [head] = Object.keys(node);
    doc[head] = mergeInto(doc[head] as Record<string, unknown> | undefined, node[head] as Record<string, unknown>);
  }
  return doc;
}

function mergeInto(a: Record<string, unknown> | undefined, b: Record<string, unknown>): Record<string, unknown> {
  return a ? { ...a, ...b } : b;
}
