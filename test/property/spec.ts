/**
 * An App described as plain data, so that fast-check can generate, shrink and print it.
 *
 * Props are written as the user writes them, except that values which are objects of the library or of
 * cdk8s (Size, Duration, Cpu, TempoVersion, storage, receivers, network peers, EnvValue) are tagged
 * objects `{ $: 'size', u: 'gibibytes', n: 2 }`; `materialize` turns them into the real objects, and
 * integrations name their Tempo stack by index. A printed counterexample is therefore (almost) the
 * props to paste into a test.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size, YamlOutputType } from 'cdk8s';
import { Cpu, EnvValue, k8s } from 'cdk8s-plus-28';
import {
  DeployedManifests, IngressController, IngressTls, instrument, ITempoInstance, NetworkPeer, TempoAlerts, TempoInstrumentation, TempoArgoCdChart, TempoDashboards, TempoDatasource, TempoDistributed,
  TempoMonolithic, TempoReceiver, TempoServiceMonitors, TempoStorage, TempoVersion, TempoVulture,
} from '../../lib';

/** A tagged value (see the file header). */
export type Tagged =
  | { readonly $: 'size'; readonly u: 'kibibytes' | 'mebibytes' | 'gibibytes'; readonly n: number }
  | { readonly $: 'dur'; readonly u: 'millis' | 'seconds' | 'minutes' | 'hours' | 'days'; readonly n: number }
  | { readonly $: 'cpu'; readonly u: 'millis' | 'units'; readonly n: number }
  | { readonly $: 'version'; readonly v: string }
  | { readonly $: 'storage'; readonly kind: 's3' | 'gcs' | 'azure' | 'local'; readonly props?: Record<string, unknown> }
  | { readonly $: 'receiver'; readonly kind: ReceiverKind; readonly options?: Record<string, unknown> }
  | { readonly $: 'peer'; readonly kind: 'anyPodInCluster' | 'namespace' | 'pods' | 'cidr' | 'anywhere'; readonly args: readonly unknown[] }
  | { readonly $: 'env'; readonly value: string }
  /** `DeployedManifests`: none, or StatefulSets with one `data` claim each (written to a temporary folder, read by `fromDirectory`). */
  | { readonly $: 'deployed'; readonly statefulSets: readonly DeployedStatefulSetSpec[] }
  | { readonly $: 'ingressController'; readonly kind: 'ingressNginx' | 'of'; readonly options?: Record<string, unknown> }
  | { readonly $: 'ingressTls'; readonly kind: 'fromSecret' | 'certManager'; readonly arg: unknown };

/** A StatefulSet deployed before, as `storageChanges.deployedManifests` finds it. */
export interface DeployedStatefulSetSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly storage: string;
  readonly storageClassName?: string;
}

export type ReceiverKind = 'otlpGrpc' | 'otlpHttp' | 'jaegerGrpc' | 'jaegerThriftHttp' | 'jaegerThriftCompact' | 'jaegerThriftBinary' | 'zipkin' | 'openCensus';

/** One Tempo deployment. */
export interface StackSpec {
  readonly mode: 'distributed' | 'monolithic';
  readonly props: Record<string, any>;
}

/** An integration construct reading a stack of the same chart. */
export interface IntegrationSpec {
  readonly kind: 'serviceMonitors' | 'alerts' | 'datasource' | 'dashboards' | 'vulture' | 'instrumentation' | 'instrumented';
  /** Index of the stack in the chart. */
  readonly stack: number;
  readonly props: Record<string, any>;
}

export interface ChartSpec {
  readonly id: string;
  readonly namespace?: string;
  readonly stacks: readonly StackSpec[];
  readonly integrations: readonly IntegrationSpec[];
}

export interface AppSpec {
  readonly charts: readonly ChartSpec[];
  /** A TempoArgoCdChart deploying every chart that has a namespace. */
  readonly argocd?: Record<string, any>;
  /** App output folder (relative) and type, for the written-output checks. */
  readonly outdir?: string;
  readonly outputType?: 'FILE_PER_CHART' | 'FOLDER_PER_CHART_FILE_PER_RESOURCE' | 'FILE_PER_RESOURCE';
}

/** The releases with a constant; other patch releases go through `TempoVersion.of`. */
const NAMED_VERSIONS: Readonly<Record<string, TempoVersion>> = {
  '2.6.1': TempoVersion.V2_6_1, '2.7.2': TempoVersion.V2_7_2, '2.8.4': TempoVersion.V2_8_4, '2.9.5': TempoVersion.V2_9_5, '2.10.8': TempoVersion.V2_10_8, '3.0.3': TempoVersion.V3_0_3,
};

function isTagged(v: unknown): v is Tagged {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $?: unknown }).$ === 'string';
}

/** Turns tagged values into library objects, recursively. */
export function materialize(v: unknown): any {
  if (Array.isArray(v)) return v.map(materialize);
  if (isTagged(v)) return materializeTagged(v);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialize(x)]));
  return v;
}

function materializeTagged(t: Tagged): unknown {
  switch (t.$) {
    case 'size': return Size[t.u](t.n);
    case 'dur': return Duration[t.u](t.n);
    case 'cpu': return t.u === 'millis' ? Cpu.millis(t.n) : Cpu.units(t.n);
    case 'version': return NAMED_VERSIONS[t.v] ?? TempoVersion.of(t.v);
    case 'storage': return (TempoStorage as any)[t.kind](materialize(t.props));
    case 'receiver': return (TempoReceiver as any)[t.kind](materialize(t.options));
    case 'peer': return (NetworkPeer as any)[t.kind](...(t.args as unknown[]));
    case 'env': return EnvValue.fromValue(t.value);
    case 'ingressController': return (IngressController as any)[t.kind](materialize(t.options));
    case 'ingressTls': return (IngressTls as any)[t.kind](materialize(t.arg));
    case 'deployed': return t.statefulSets.length ? DeployedManifests.fromDirectory(deployedFolder(t.statefulSets)) : DeployedManifests.none();
  }
}

/** A temporary folder holding the StatefulSets (one per content, reused; removed at exit). */
function deployedFolder(statefulSets: readonly DeployedStatefulSetSpec[]): string {
  const text = statefulSets.map((s) => [
    'apiVersion: apps/v1', 'kind: StatefulSet', `metadata:\n  name: ${s.name}${s.namespace ? `\n  namespace: ${s.namespace}` : ''}`,
    'spec:', '  volumeClaimTemplates:', '    - metadata:\n        name: data', '      spec:', '        accessModes: [ReadWriteOnce]',
    ...(s.storageClassName ? [`        storageClassName: ${s.storageClassName}`] : []),
    `        resources:\n          requests:\n            storage: ${s.storage}`,
  ].join('\n')).join('\n---\n');
  const dir = path.join(DEPLOYED_ROOT, crypto.createHash('sha1').update(text).digest('hex'));
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'deployed.k8s.yaml'), text);
  }
  return dir;
}
const DEPLOYED_ROOT = path.join(os.tmpdir(), `cdk8s-tempo-property-deployed-${process.pid}`);
process.on('exit', () => fs.rmSync(DEPLOYED_ROOT, { recursive: true, force: true }));

/** A restricted Deployment (one container `app`) for `instrument()`. */
function clientDeployment(chart: Chart, id: string, name: string): k8s.KubeDeployment {
  const labels = { 'app.kubernetes.io/name': name };
  return new k8s.KubeDeployment(chart, id, {
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app', image: 'registry.example.com/shop/checkout:1.0.0',
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') }, limits: { memory: k8s.Quantity.fromString('128Mi') } },
          }],
        },
      },
    },
  });
}

/** The constructed App and the handles the checks need. */
export interface BuiltApp {
  readonly app: App;
  readonly charts: readonly Chart[];
  readonly instances: readonly ITempoInstance[];
}

/** Builds the App the spec describes (constructors throw on invalid props, as for a user). */
export function buildApp(spec: AppSpec, outdir?: string): BuiltApp {
  const app = new App({
    outdir: outdir ?? spec.outdir ?? 'dist',
    yamlOutputType: spec.outputType ? YamlOutputType[spec.outputType] : undefined,
  });
  const charts: Chart[] = [];
  const instances: ITempoInstance[] = [];
  for (const c of spec.charts) {
    const chart = new Chart(app, c.id, { namespace: c.namespace });
    charts.push(chart);
    const stacks = c.stacks.map((s, i) => {
      const props = materialize(s.props);
      const tempo = s.mode === 'distributed' ? new TempoDistributed(chart, `Tempo${i}`, props) : new TempoMonolithic(chart, `Tempo${i}`, props);
      instances.push(tempo);
      return tempo;
    });
    c.integrations.forEach((integration, i) => {
      const props = { ...materialize(integration.props), instance: stacks[integration.stack] };
      const id = `${integration.kind}${i}`;
      switch (integration.kind) {
        case 'serviceMonitors': new TempoServiceMonitors(chart, id, props); break;
        case 'alerts': new TempoAlerts(chart, id, props); break;
        case 'datasource': new TempoDatasource(chart, id, props); break;
        case 'dashboards': new TempoDashboards(chart, id, props); break;
        case 'vulture': new TempoVulture(chart, id, props); break;
        case 'instrumentation': new TempoInstrumentation(chart, id, props); break;
        case 'instrumented': {
          const { workloadName, ...options } = props;
          instrument(clientDeployment(chart, `${id}-workload`, workloadName), options);
          break;
        }
      }
    });
  }
  if (spec.argocd) {
    const deployed = charts.filter((c) => c.namespace);
    new TempoArgoCdChart(app, 'argocd', { ...materialize(spec.argocd), charts: deployed });
  }
  return { app, charts, instances };
}
