import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { TempoStorage, TempoDistributed, TempoDistributedProps } from '../../lib';

/** A synthesized Kubernetes object, as plain JSON. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

/** S3 storage on MinIO with credentials from a Secret, as in the reference deployment. */
export function minioStorage() {
  return TempoStorage.s3({
    bucket: 'tempo-traces',
    endpoint: 'minio:9000',
    insecure: true,
    forcePathStyle: true,
    credentials: { secretName: 'minio-credentials', accessKeyIdKey: 'rootUser', secretAccessKeyKey: 'rootPassword' },
  });
}

/** A test chart with a namespace (or none), as a user's Chart with `namespace` would have. */
export function testChart(namespace: string | null): Chart {
  const chart = Testing.chart();
  if (namespace) Object.defineProperty(chart, 'namespace', { value: namespace });
  return chart;
}

/** Synthesizes one TempoDistributed in a chart of namespace `monitoring`. */
export function synthDistributed(props: Partial<TempoDistributedProps> = {}, namespace: string | null = 'monitoring') {
  const chart = testChart(namespace);
  const tempo = new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), ...props });
  return { chart, tempo, manifests: Testing.synth(chart) as Manifest[] };
}

/** Finds exactly one object by kind and name. */
export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}; have: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found[0];
}

/** Every Deployment and StatefulSet. */
export function workloads(manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
}

/** The parsed tempo.yaml of an output. */
export function tempoConfig(manifests: readonly Manifest[], configMap = 'tempo-config'): any {
  return yaml.load(find(manifests, 'ConfigMap', configMap).data['tempo.yaml']);
}

/** True if every label of `selector` is in `labels`. */
export function selects(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
