import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { chartFolder, DEFAULT_ARGOCD_NAMESPACE, TempoArgoApplication, TempoArgoApplicationOptions, TempoArgoProject, TempoArgoProjectOptions } from './application';
import { recordNameOption } from '../k8s/unique-objects';
import { applySyncWaves } from './sync-waves';

/** Options of `TempoArgoCdChart`. */
export interface TempoArgoCdChartProps extends ChartProps {
  /**
   * Namespace of Argo CD, where the Applications (and the AppProject) live.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The charts to deploy: one Application each, named after the chart's
   * output folder, with source `<outdir>/<folder>` and the chart's namespace
   * as destination. The app must be synthesized with
   * `YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE`.
   */
  readonly charts: readonly Chart[];
  /** Git repository the synthesized output is committed to. */
  readonly repoUrl: string;
  /** Folder of the synthesized output in that repository. @default 'dist' */
  readonly outdir?: string;
  /**
   * Annotate every object of `charts` (and of this chart) with its Argo CD
   * sync wave (`applySyncWaves`: configuration, then workloads, then monitoring).
   * @default true
   */
  readonly syncWaves?: boolean;
  /** AppProject of the Applications. @default 'default', or 'tempo' when `appProject` is given */
  readonly project?: string;
  /**
   * Emit one AppProject (named `project`) allowing exactly `repoUrl` and the
   * charts' destinations.
   * @default none: the project must exist
   */
  readonly appProject?: TempoArgoProjectOptions;
  /** Sync settings of every Application. @default see `TempoArgoApplicationOptions` */
  readonly application?: TempoArgoApplicationOptions;
}

/**
 * A chart of Argo CD objects that deploy the other charts of the app from
 * Git: one `Application` per chart (plus an optional `AppProject`), and
 * sync-wave annotations on the deployed charts. Commit its folder too and
 * apply it once (or from an app-of-apps); the charts it points at stay plain
 * manifests.
 */
export class TempoArgoCdChart extends Chart {
  /** One Application per chart, in the order of `charts`. */
  public readonly applications: readonly TempoArgoApplication[];
  /** The AppProject, when `appProject` is given. */
  public readonly project?: TempoArgoProject;

  constructor(scope: Construct, id: string, props: TempoArgoCdChartProps) {
    const namespace = props.namespace ?? DEFAULT_ARGOCD_NAMESPACE;
    super(scope, id, { ...props, namespace });
    const errors: string[] = [];
    if (!props.charts.length) errors.push('charts: must list at least one chart to deploy');
    for (const chart of props.charts) {
      if (chart === this) errors.push('charts: must not contain this chart itself');
      else if (!chart.namespace) errors.push(`charts: chart "${chart.node.path}" has no namespace; allowed: charts with a namespace (the Application's destination)`);
    }
    if (errors.length) throw new Error(`TempoArgoCdChart "${id}":\n  ${errors.join('\n  ')}`);

    const app = props.application ?? {};
    const projectName = props.project ?? (props.appProject ? 'tempo' : 'default');
    if (props.appProject) {
      const destinations = [...new Set(props.charts.map((c) => c.namespace!))].map((ns) => ({
        namespace: ns,
        server: app.destinationName === undefined ? app.destinationServer : undefined,
        name: app.destinationName,
      }));
      this.project = new TempoArgoProject(this, 'Project', {
        name: projectName,
        description: props.appProject.description,
        sourceRepos: props.appProject.sourceRepos ?? [props.repoUrl],
        destinations,
        clusterResourceWhitelist: props.appProject.clusterResourceWhitelist
          ?? ((app.createNamespace ?? true) ? [{ group: '', kind: 'Namespace' }] : []),
        labels: app.labels,
      });
    }
    this.applications = props.charts.map((chart) => new TempoArgoApplication(this, chartFolder(chart), {
      ...app,
      name: chartFolder(chart),
      repoUrl: props.repoUrl,
      path: TempoArgoApplication.pathOf(chart, props.outdir ?? 'dist'),
      destinationNamespace: chart.namespace!,
      project: projectName,
    }));
    this.applications.forEach((a) => recordNameOption(a.application, 'TempoArgoCdChart.charts (the chart id names its Application)'));
    if (this.project) recordNameOption(this.project.appProject, 'TempoArgoCdChart.project');
    // the AppProject (wave -1) before the Applications, when this chart is itself synced by Argo CD
    if (props.syncWaves ?? true) [...props.charts, this].forEach((chart) => applySyncWaves(chart));
  }
}
