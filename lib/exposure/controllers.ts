import { labelErrors } from '../k8s/labels';
import { namespaceErrors, throwIfErrors } from '../k8s/validation';
import { NetworkPeer } from '../network/network-peer';

/** How a controller is told that a backend speaks gRPC, and what it needs for that. */
export interface IngressGrpcSupport {
  /** Annotations on the gRPC Ingress (e.g. `nginx.ingress.kubernetes.io/backend-protocol: GRPC`). */
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * `pathType` of the gRPC paths (`/tempopb.StreamingQuerier`, ...). ingress-nginx's strict path validation
   * refuses `.` in `Prefix` paths, so its preset uses `ImplementationSpecific`.
   * @default 'Prefix'
   */
  readonly pathType?: 'Prefix' | 'ImplementationSpecific';
  /** The controller serves HTTP/2 (which gRPC needs) only over TLS: a gRPC route then requires `tls`. @default false */
  readonly requiresTls?: boolean;
}

/** Options of `IngressController.of`. */
export interface IngressControllerProps {
  /** `spec.ingressClassName` of the Ingresses. */
  readonly className: string;
  /** The controller's pods: the NetworkPolicies open the exposed ports to them. */
  readonly peer: NetworkPeer;
  /**
   * How gRPC backends (OTLP gRPC, TraceQL streaming) are declared to this controller.
   * @default none: gRPC is not exposed through this controller (a synth error when it would be; set `exposure.grpc: false`)
   */
  readonly grpc?: IngressGrpcSupport;
}

/** Options of `IngressController.ingressNginx`. */
export interface IngressNginxOptions {
  /** Namespace of the controller's pods. @default 'ingress-nginx' */
  readonly namespace?: string;
  /** IngressClass name. @default 'nginx' */
  readonly className?: string;
  /** Labels of the controller's pods. @default the Helm chart's: `app.kubernetes.io/name: ingress-nginx`, `app.kubernetes.io/component: controller` */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** The ingress-nginx annotation that makes a backend gRPC (`grpc_pass` to h2c). */
export const INGRESS_NGINX_BACKEND_PROTOCOL = 'nginx.ingress.kubernetes.io/backend-protocol';

/**
 * The Ingress controller in front of Tempo: its IngressClass, its pods (a
 * NetworkPolicy peer) and how it routes gRPC, stated rather than guessed.
 */
export class IngressController {
  /**
   * ingress-nginx (kubernetes/ingress-nginx): gRPC backends by the
   * `nginx.ingress.kubernetes.io/backend-protocol: GRPC` annotation on a
   * second Ingress, with `ImplementationSpecific` paths; gRPC needs TLS,
   * because it serves HTTP/2 to clients only over TLS.
   */
  public static ingressNginx(options: IngressNginxOptions = {}): IngressController {
    const labels = options.podLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
    // Like NetworkPeer's factories, a bad value fails here, named by this factory's option.
    throwIfErrors([
      ...(options.namespace === undefined ? [] : namespaceErrors('IngressController.ingressNginx namespace', options.namespace)),
      ...labelErrors('IngressController.ingressNginx podLabels', labels),
    ]);
    return new IngressController('ingress-nginx', {
      className: options.className ?? 'nginx',
      peer: NetworkPeer.pods(labels, options.namespace ?? 'ingress-nginx'),
      grpc: { annotations: { [INGRESS_NGINX_BACKEND_PROTOCOL]: 'GRPC' }, pathType: 'ImplementationSpecific', requiresTls: true },
    });
  }

  /** Any other controller, described by its IngressClass, its pods and (optionally) its gRPC annotations. */
  public static of(props: IngressControllerProps): IngressController {
    return new IngressController(`IngressClass ${props.className}`, props);
  }

  /** `spec.ingressClassName`. */
  public readonly className: string;
  /** The controller's pods. */
  public readonly peer: NetworkPeer;
  /** How gRPC backends are declared, when the controller can route them. */
  public readonly grpc?: IngressGrpcSupport;

  private constructor(
    /** Human description, for messages. */
    public readonly description: string,
    props: IngressControllerProps,
  ) {
    this.className = props.className;
    this.peer = props.peer;
    this.grpc = props.grpc;
  }
}

/** Where the certificate of an Ingress comes from. */
export class IngressTls {
  /** An existing `kubernetes.io/tls` Secret in the instance's namespace. */
  public static fromSecret(secretName: string): IngressTls {
    return new IngressTls(secretName);
  }

  /**
   * cert-manager issues the certificate (its ingress-shim reads the
   * `cert-manager.io/cluster-issuer` or `cert-manager.io/issuer` annotation)
   * into a Secret named `secretName`, by default `<instance>-ingress-tls`.
   * Wildcard host names need an ACME DNS-01 solver.
   */
  public static certManager(options: CertManagerIngressOptions): IngressTls {
    return new IngressTls(options.secretName, options);
  }

  private constructor(
    /** The Secret's name; absent: derived from the instance name. */
    public readonly secretName?: string,
    /** The issuer, when cert-manager issues the certificate. */
    public readonly certManager?: CertManagerIngressOptions,
  ) {}
}

/** Options of `IngressTls.certManager`: exactly one of `clusterIssuer` and `issuer`. */
export interface CertManagerIngressOptions {
  /** A ClusterIssuer (`cert-manager.io/cluster-issuer`). @default none: `issuer` is required */
  readonly clusterIssuer?: string;
  /** An Issuer in the instance's namespace (`cert-manager.io/issuer`). @default none: `clusterIssuer` is required */
  readonly issuer?: string;
  /** Secret cert-manager writes the certificate to. @default `<instance>-ingress-tls` */
  readonly secretName?: string;
}
