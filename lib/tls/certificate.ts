import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { goDuration } from '../config/units';
import { CertManagerCertificateOptions, ResolvedTls, ResolvedTlsSecret, serviceDnsNames } from './tls';

/** Props of a cert-manager `Certificate` (cert-manager.io/v1), the subset the library sets. */
export interface CertManagerCertificateProps {
  /** Object name. */
  readonly name: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Secret cert-manager writes (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly secretName: string;
  /** Subject alternative names. */
  readonly dnsNames: readonly string[];
  /** Issuer, lifetime and renewal. */
  readonly options: CertManagerCertificateOptions;
  /** Whether the certificate is also a client certificate (mutual TLS). */
  readonly clientAuth: boolean;
}

/**
 * A cert-manager `Certificate`: a small typed object instead of generated bindings (no cert-manager CRD file
 * was available offline). Fields follow cert-manager.io/v1 `CertificateSpec`.
 */
export class CertManagerCertificate extends ApiObject {
  /** The DNS names requested. */
  public readonly dnsNames: readonly string[];
  /** The Secret cert-manager writes. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: CertManagerCertificateProps) {
    const o = props.options;
    super(scope, id, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: props.name, labels: { ...props.labels } },
      spec: {
        secretName: props.secretName,
        // No commonName: cert-manager refuses one over 64 characters; clients verify the DNS names.
        secretTemplate: { labels: { ...props.labels } },
        dnsNames: [...props.dnsNames],
        duration: goDuration(o.duration ?? DEFAULT_DURATION),
        renewBefore: goDuration(o.renewBefore ?? DEFAULT_RENEW_BEFORE),
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: props.clientAuth ? ['server auth', 'client auth', 'digital signature'] : ['server auth', 'digital signature'],
        issuerRef: { name: o.issuer.name, kind: o.issuer.kind ?? 'ClusterIssuer', group: o.issuer.group ?? 'cert-manager.io' },
      },
    });
    this.dnsNames = props.dnsNames;
    this.secretName = props.secretName;
  }
}

const DEFAULT_DURATION = Duration.days(90);
const DEFAULT_RENEW_BEFORE = Duration.days(30);

/** What the Certificates of an instance are derived from. */
export interface InstanceCertificatesProps {
  /** The resolved TLS. */
  readonly tls: ResolvedTls;
  /** Labels of the instance's shared objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** The chart's namespace. @default none (short Service names only) */
  readonly namespace?: string;
  /** Services clients send traces to (the distributor's, or the single binary's). */
  readonly receiverServices: readonly string[];
  /** Every Service of the instance a component dials. */
  readonly internalServices: readonly string[];
  /** Headless Services whose pod names (`<pod>.<service>...`) are dialled. */
  readonly headlessServices: readonly string[];
}

/** The cert-manager Certificates of an instance (those of its certificates that are not the user's Secrets). */
export function instanceCertificates(scope: Construct, p: InstanceCertificatesProps): CertManagerCertificate[] {
  const { tls, namespace } = p;
  const forms = (services: readonly string[]) => services.flatMap((s) => serviceDnsNames(s, namespace, tls.clusterDomain));
  const out: CertManagerCertificate[] = [];
  const add = (id: string, t: ResolvedTlsSecret, names: readonly string[], clientAuth: boolean) => {
    if (!t.certManager) return;
    const dnsNames = [...new Set([...names, ...(t.certManager.extraDnsNames ?? [])])];
    out.push(new CertManagerCertificate(scope, id, { name: t.secretName, labels: p.labels, secretName: t.secretName, dnsNames, options: t.certManager, clientAuth }));
  };
  if (tls.receivers) add('ReceiversCertificate', tls.receivers, forms(p.receiverServices), false);
  if (tls.internal) {
    // The server name every client verifies first, then each Service in every form, then the pods of headless Services.
    const pods = p.headlessServices.map((s) => `*.${serviceDnsNames(s, namespace, tls.clusterDomain).slice(-1)[0]}`);
    add('InternalCertificate', tls.internal, [tls.internal.serverName, ...forms(p.internalServices), ...pods], true);
  }
  return out;
}
