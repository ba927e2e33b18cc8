import { App, Chart, ChartProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoDestination, chartFolder, DEFAULT_ARGOCD_NAMESPACE, TempoArgoApplication, TempoArgoApplicationOptions, TempoArgoProject, TempoArgoProjectOptions } from './application';
import { recordNameOption } from '../k8s/unique-objects';
import { chartSource, layoutError, namespacesOf, repositoryOutdir } from './output';
import { applySyncWaves } from './sync-waves';

/** Options of `TempoArgoCdChart`. */
export interface TempoArgoCdChartProps extends ChartProps {
  /**
   * Namespace of Argo CD, where the Applications (and the AppProject) live.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The charts to deploy: one Application each, named after the chart, with the chart's namespace as
   * destination and as source where the App's `yamlOutputType` writes the chart: its folder
   * `<outdir>/<chart>` (`FOLDER_PER_CHART_FILE_PER_RESOURCE`, recommended: small diffs), or its file(s) in
   * `<outdir>` (`FILE_PER_CHART`: `<chart>.k8s.yaml`; `FILE_PER_RESOURCE`: the chart's `<Kind>.<name>.k8s.yaml`
   * files), numbered as cdk8s numbers them when charts depend on each other. `FILE_PER_APP` (one file for
   * every chart) is rejected.
   */
  readonly charts: readonly Chart[];
  /** Git repository the synthesized output is committed to. */
  readonly repoUrl: string;
  /**
   * Folder of the synthesized output in that repository, relative to its root.
   * @default the App's `outdir` when it is relative (cdk8s runs the app from the project root: the CLI's `dist`,
   * `App({ outdir: 'manifests' })`); required when the App writes to an absolute folder (`Testing.app()`, or a
   * staging folder such as `npm run synth` uses)
   */
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
   * Emit one AppProject (named `project`) allowing exactly `repoUrl` and every namespace the charts' objects
   * go to (the charts' namespaces and any object's own, e.g. Grafana ConfigMaps in `grafana`), as found when
   * the App is synthesized.
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
    const cdk8sApp = App.of(this);
    const outdir = repositoryOutdir(cdk8sApp, props.outdir);
    if (outdir.error) errors.push(outdir.error);
    const include = props.application?.include;
    const layout = layoutError(cdk8sApp, include);
    if (layout) errors.push(layout);
    if (include !== undefined && !include.trim()) errors.push('application.include: must not be empty; allowed: a glob such as *.yaml or {*.yaml,*.yml}');
    if (errors.length) throw new Error(`TempoArgoCdChart "${id}":\n  ${errors.join('\n  ')}`);

    const app = props.application ?? {};
    const projectName = props.project ?? (props.appProject ? 'tempo' : 'default');
    if (props.appProject) {
      // Objects may still be added to the charts: the namespaces are collected at synth time.
      const destinations = Lazy.any({
        produce: () => namespacesOf(props.charts).map((ns) => ({
          namespace: ns,
          server: app.destinationName === undefined ? app.destinationServer : undefined,
          name: app.destinationName,
        })),
      }) as unknown as ArgoDestination[];
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
      // Folder numbers and per-resource file names are known once the App is complete.
      path: Lazy.any({ produce: () => chartSource(chart, outdir.value!, include).path }) as unknown as string,
      include: Lazy.any({ produce: () => chartSource(chart, outdir.value!, include).include }) as unknown as string,
      destinationNamespace: chart.namespace!,
      project: projectName,
    }));
    this.applications.forEach((a) => recordNameOption(a.application, 'TempoArgoCdChart.charts (the chart id names its Application)'));
    if (this.project) recordNameOption(this.project.appProject, 'TempoArgoCdChart.project');
    // the AppProject (wave -1) before the Applications, when this chart is itself synced by Argo CD
    if (props.syncWaves ?? true) [...props.charts, this].forEach((chart) => applySyncWaves(chart));
  }
}
