import { Chart, Size } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-28';
import { Cpu, k8s } from '../k8s/plus';
import { Construct } from 'constructs';
import { sizeQuantity } from '../config/units';
import { TempoKafkaProps } from '../ingest/kafka';
import { LabelKeys } from '../k8s/labels';
import { NameLimits } from '../k8s/names';
import { resourceErrors, toResourceRequirements } from '../k8s/resources';
import { dataClaimTemplate, workload } from '../k8s/workload';
import { NetworkPeer } from '../network/network-peer';

/** Options of `DevKafka`. */
export interface DevKafkaProps {
  /** Name of the StatefulSet and of the Service (the bootstrap address is `<name>.<namespace>.svc:9092`). @default 'kafka' */
  readonly name?: string;
  /** The topic Tempo uses; created on first use with `partitions` partitions. @default 'tempo-ingest' */
  readonly topic?: string;
  /** Partitions of auto-created topics (the broker's `num.partitions`). @default 2 */
  readonly partitions?: number;
  /** Volume size of the log directory. @default Size.gibibytes(10) */
  readonly storageSize?: Size;
  /** StorageClass of the volume. @default the cluster's default */
  readonly storageClassName?: string;
  /** Kafka image (runs as uid 1000, KRaft configured from `KAFKA_*` variables). @default DevKafka.DEFAULT_IMAGE */
  readonly image?: string;
  /** Broker resources. @default requests 250m CPU / 1Gi, memory limit 1536Mi (JVM heap 512 MiB) */
  readonly resources?: ContainerResources;
}

const UID = 1000;
const PORT = 9092;
const CONTROLLER_PORT = 9093;

/**
 * A single Kafka broker in KRaft mode (broker and controller in one
 * process, no ZooKeeper) for development and tests of Tempo 3: StatefulSet
 * with one volume, restricted pod, a Service on 9092. **Not for
 * production**: one replica, replication factor 1, plaintext without
 * authentication. Use a managed Kafka or a Strimzi cluster
 * (`TempoKafka.strimzi()`) in production.
 *
 * `kafka.kafka()` plugs it into `TempoDistributedProps.ingest.kafka`.
 */
export class DevKafka extends Construct {
  /**
   * The Apache Kafka image (apache/kafka, KRaft, configured from `KAFKA_*`
   * variables). Pinned but not pulled or run by the library's tests (they
   * run offline); override with `image`.
   */
  public static readonly DEFAULT_IMAGE = 'apache/kafka:3.9.1';

  /** Service name (and StatefulSet name). */
  public readonly serviceName: string;
  /** Bootstrap address, `host:port` (the name the broker advertises). */
  public readonly address: string;
  /** The topic. */
  public readonly topic: string;
  /** Partitions of the topic. */
  public readonly partitions: number;
  /** Labels of the broker pod. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  private readonly namespace?: string;

  constructor(scope: Construct, id: string, props: DevKafkaProps = {}) {
    super(scope, id);
    const name = props.name ?? 'kafka';
    const topic = props.topic ?? 'tempo-ingest';
    const partitions = props.partitions ?? 2;
    const resources = props.resources ?? { cpu: { request: Cpu.millis(250) }, memory: { request: Size.gibibytes(1), limit: Size.mebibytes(1536) } };
    const errors = [
      ...(/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= NameLimits.STATEFUL_SET ? [] : [`kafka.name: "${name}" is invalid; allowed: a DNS label of at most ${NameLimits.STATEFUL_SET} characters`]),
      ...(/^[a-zA-Z0-9._-]{1,249}$/.test(topic) && !topic.startsWith('__') ? [] : [`kafka.topic: "${topic}" is invalid; allowed: 1-249 characters of a-z, A-Z, 0-9, '.', '_', '-', not starting with "__"`]),
      ...(Number.isInteger(partitions) && partitions >= 1 ? [] : [`kafka.partitions: ${partitions} is invalid; allowed: an integer >= 1`]),
      ...resourceErrors('kafka.resources', resources),
    ];
    if (errors.length) throw new Error(`DevKafka:\n  ${errors.join('\n  ')}`);

    const namespace = Chart.of(this).namespace;
    // Advertised to clients, which reconnect to it: a name that resolves from every namespace when one is known.
    const host = namespace ? `${name}.${namespace}.svc` : name;
    this.namespace = namespace;
    this.serviceName = name;
    this.address = `${host}:${PORT}`;
    this.topic = topic;
    this.partitions = partitions;
    const selector = { [LabelKeys.NAME]: 'kafka', [LabelKeys.INSTANCE]: name, [LabelKeys.COMPONENT]: 'message-broker' };
    this.selectorLabels = selector;
    const labels = { ...selector, [LabelKeys.PART_OF]: 'tempo', [LabelKeys.MANAGED_BY]: 'cdk8s-tempo' };

    new k8s.KubeService(this, 'Service', {
      metadata: { name, labels },
      spec: {
        selector,
        // Clients connect to the advertised name before the broker is ready to serve metadata.
        publishNotReadyAddresses: true,
        ports: [{ name: 'kafka', port: PORT, targetPort: k8s.IntOrString.fromString('kafka'), protocol: 'TCP' }],
      },
    });

    const env: Record<string, string> = {
      // One KRaft node that is broker and controller; the controller listener stays on localhost.
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${PORT},CONTROLLER://localhost:${CONTROLLER_PORT}`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${this.address}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTROLLER_PORT}`,
      // A fixed cluster id (a base64url UUID, as KRaft requires): the volume is formatted once and reused after restarts.
      CLUSTER_ID: 'Y2RrOHMtdGVtcG8ta2ZrMQ',
      KAFKA_LOG_DIRS: '/var/lib/kafka/data',
      KAFKA_NUM_PARTITIONS: String(partitions),
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_HEAP_OPTS: '-Xms512m -Xmx512m',
      // kafka-run-class.sh writes its logs here; the root filesystem is read-only.
      LOG_DIR: '/tmp/kafka-logs',
    };
    workload(this, 'Broker', {
      kind: 'StatefulSet',
      name,
      serviceName: name,
      objectLabels: labels,
      selector,
      replicas: 1,
      parallel: false,
      labels,
      uid: UID,
      containers: [{
        name: 'kafka',
        image: props.image ?? DevKafka.DEFAULT_IMAGE,
        env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
        ports: [{ name: 'kafka', containerPort: PORT, protocol: 'TCP' }],
        readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('kafka') }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2 },
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('kafka') }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        resources: toResourceRequirements(resources),
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/kafka/data' },
          // The image writes the server.properties it generates from KAFKA_* here (defaults come from /etc/kafka/docker).
          { name: 'config', mountPath: '/opt/kafka/config' },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [{ name: 'config', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
      volumeClaimTemplates: [dataClaimTemplate(selector, sizeQuantity(props.storageSize ?? Size.gibibytes(10)), props.storageClassName)],
    });
  }

  /** The Kafka options of a Tempo 3 `TempoDistributed` on this broker (topic created on first use). */
  public kafka(): TempoKafkaProps {
    return {
      address: this.address,
      topic: this.topic,
      partitions: this.partitions,
      autoCreateTopic: true,
      networkPeers: [NetworkPeer.pods(this.selectorLabels, this.namespace)],
    };
  }
}
