import { EnvReference } from '../config/env-reference';
import type { KafkaIngestSettings } from '../config/tempo-config';
import { NetworkPeer } from '../network/network-peer';
import type { SecretEnvVar } from '../storage/storage';

/** SASL PLAIN credentials of the Kafka client, kept in an existing Secret. */
export interface KafkaSaslSecret {
  /** Name of the Secret (in the deployment's namespace). */
  readonly secretName: string;
  /** Key holding the user name. @default 'username' */
  readonly usernameKey?: string;
  /** Key holding the password. @default 'password' */
  readonly passwordKey?: string;
}

/**
 * The Kafka cluster of a Tempo 3 microservices deployment. Distributors
 * write spans to `topic`; live-stores, block-builders and the
 * metrics-generator consume it.
 *
 * Tempo 3.0's Kafka client (`ingest.kafka`) takes one bootstrap address,
 * plaintext, with optional SASL PLAIN: it has no TLS settings and no list of
 * seed brokers, so neither exists here.
 */
export interface TempoKafkaProps {
  /**
   * `host:port` of a bootstrap broker (`ingest.kafka.address`), e.g. a
   * bootstrap Service; the client discovers the other brokers from it.
   */
  readonly address: string;
  /** The topic every span goes through (`ingest.kafka.topic`). */
  readonly topic: string;
  /**
   * Partitions of the topic. Each live-store of a zone owns the partition
   * of its ordinal and the block-builders split the partitions evenly, so
   * this bounds `liveStore.replicas` and must be a multiple of
   * `blockBuilder.replicas`.
   */
  readonly partitions: number;
  /**
   * SASL PLAIN credentials from a Secret: environment variables on every
   * Tempo pod, referenced as `${...}` in tempo.yaml (never in a ConfigMap).
   * @default no authentication
   */
  readonly sasl?: KafkaSaslSecret;
  /**
   * Let Tempo create the topic when it is missing, with `partitions`
   * partitions. Tempo does this by setting the broker-wide `num.partitions`,
   * which also changes every other auto-created topic: leave it off on a
   * shared cluster and create the topic beforehand.
   * @default false
   */
  readonly autoCreateTopic?: boolean;
  /** Where the brokers are, for the NetworkPolicy egress rule. @default [NetworkPeer.anywhere()] on the address's port */
  readonly networkPeers?: readonly NetworkPeer[];
}

/** Tempo 3's ingest path (`ingest`): the Kafka cluster spans go through. */
export interface TempoIngestProps {
  /** The Kafka cluster. */
  readonly kafka: TempoKafkaProps;
}

/** Options of `TempoKafka.strimzi()`. */
export interface StrimziKafkaProps {
  /** Name of the Strimzi `Kafka` resource. */
  readonly cluster: string;
  /** Namespace of the `Kafka` resource. */
  readonly namespace: string;
  /**
   * Port of a plaintext listener of that cluster (`tls: false`). Tempo 3.0's
   * client has no TLS settings, so a TLS listener (Strimzi's `tls` on 9093) cannot be used.
   * @default 9092 (Strimzi's `plain` listener)
   */
  readonly listenerPort?: number;
  /** The topic (e.g. a `KafkaTopic` of the cluster). */
  readonly topic: string;
  /** Partitions of the topic. */
  readonly partitions: number;
  /**
   * SASL PLAIN credentials. Strimzi's user operator issues SCRAM-SHA-512 or
   * TLS users, which Tempo 3.0 cannot use; PLAIN needs a custom listener authentication.
   * @default no authentication
   */
  readonly sasl?: KafkaSaslSecret;
}

/** Kafka clusters for `TempoDistributedProps.ingest.kafka`. */
export class TempoKafka {
  /**
   * A cluster managed by the Strimzi operator: its bootstrap Service
   * `<cluster>-kafka-bootstrap.<namespace>.svc:<listenerPort>`, egress
   * allowed to the cluster's pods (`strimzi.io/cluster: <cluster>`) only.
   */
  public static strimzi(props: StrimziKafkaProps): TempoKafkaProps {
    return {
      address: `${props.cluster}-kafka-bootstrap.${props.namespace}.svc:${props.listenerPort ?? 9092}`,
      topic: props.topic,
      partitions: props.partitions,
      sasl: props.sasl,
      networkPeers: [NetworkPeer.pods({ 'strimzi.io/cluster': props.cluster }, props.namespace)],
    };
  }

  private constructor() {}
}

/** Variables holding the SASL credentials on every Tempo pod. */
export const KAFKA_SASL_USERNAME_ENV = 'TEMPO_KAFKA_SASL_USERNAME';
/** See `KAFKA_SASL_USERNAME_ENV`. */
export const KAFKA_SASL_PASSWORD_ENV = 'TEMPO_KAFKA_SASL_PASSWORD';

// Kafka's own rule for topic names (kafka.common.internals.Topic): 1-249 of [a-zA-Z0-9._-], not "." or "..".
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?):(\d{1,5})$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The port of a valid `host:port`. */
export function kafkaPort(address: string): number {
  return Number(HOST_PORT.exec(address)?.[3]);
}

/** Errors of the Kafka options (`option` is e.g. `ingest.kafka`). */
export function kafkaErrors(option: string, k: TempoKafkaProps | undefined): string[] {
  if (!k || typeof k !== 'object') return [`${option}: required on Tempo 3.x (distributors write spans to Kafka); allowed: { address, topic, partitions }, e.g. TempoKafka.strimzi(...) or a DevKafka's kafka()`];
  const errors: string[] = [];
  const m = typeof k.address === 'string' ? HOST_PORT.exec(k.address) : null;
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) {
    errors.push(`${option}.address: ${JSON.stringify(k.address)} is invalid; allowed: one bootstrap broker as host:port (e.g. kafka-bootstrap.kafka.svc:9092), without scheme; Tempo 3.0 takes a single address`);
  }
  if (typeof k.topic !== 'string' || !TOPIC.test(k.topic) || k.topic === '.' || k.topic === '..') {
    errors.push(`${option}.topic: ${JSON.stringify(k.topic)} is invalid; allowed: 1-249 characters of a-z, A-Z, 0-9, '.', '_', '-' (not "." or "..")`);
  } else if (k.topic.startsWith('__')) {
    errors.push(`${option}.topic: "${k.topic}" starts with "__", which Kafka reserves for internal topics; allowed: another name`);
  }
  if (!Number.isInteger(k.partitions) || k.partitions < 1) errors.push(`${option}.partitions: ${k.partitions} is invalid; allowed: an integer >= 1 (the topic's partition count)`);
  const sasl = k.sasl;
  if (sasl) {
    if (typeof sasl.secretName !== 'string' || !SECRET_NAME.test(sasl.secretName) || sasl.secretName.length > 253) {
      errors.push(`${option}.sasl.secretName: ${JSON.stringify(sasl.secretName)} is not a valid Secret name; allowed: lower-case letters, digits, '-' and '.', at most 253 characters`);
    }
    for (const [key, value] of [['usernameKey', sasl.usernameKey], ['passwordKey', sasl.passwordKey]] as const) {
      if (value !== undefined && !SECRET_KEY.test(value)) errors.push(`${option}.sasl.${key}: "${value}" is invalid; allowed: a Secret key of letters, digits, '-', '_', '.'`);
    }
  }
  return errors;
}

/** The validated options as configuration input and the Secret variables every pod needs. */
export function resolveKafka(k: TempoKafkaProps, blockBuilderReplicas: number): { readonly settings: KafkaIngestSettings; readonly secretEnv: readonly SecretEnvVar[] } {
  const sasl = k.sasl;
  return {
    settings: {
      address: k.address,
      topic: k.topic,
      partitionsPerBlockBuilder: k.partitions / blockBuilderReplicas,
      autoCreatePartitions: k.autoCreateTopic ? k.partitions : undefined,
      sasl: sasl && { username: EnvReference.of(KAFKA_SASL_USERNAME_ENV), password: EnvReference.of(KAFKA_SASL_PASSWORD_ENV) },
    },
    secretEnv: sasl
      ? [
        { name: KAFKA_SASL_USERNAME_ENV, secretName: sasl.secretName, key: sasl.usernameKey ?? 'username' },
        { name: KAFKA_SASL_PASSWORD_ENV, secretName: sasl.secretName, key: sasl.passwordKey ?? 'password' },
      ]
      : [],
  };
}
