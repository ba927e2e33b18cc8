import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { namespaceOf } from '../k8s/unique-objects';

/**
 * Where cdk8s writes a chart, as an Argo CD directory source: every output layout of the App mapped to a
 * folder of the repository and the files of that folder the chart owns. Decided here once for the
 * Applications and the AppProject of `TempoArgoCdChart`.
 */

/** A chart's manifests in the repository: a folder and the files in it that belong to the chart. */
export interface ChartSource {
  /** Folder relative to the repository root. */
  readonly path: string;
  /** `spec.source.directory.include` glob. */
  readonly include: string;
}

/**
 * The repository-relative folder of the App's output: `explicit` when given, else the App's `outdir` when it
 * is relative (cdk8s runs the app from the project root, so `App({ outdir: 'manifests' })` and the CLI's
 * `dist` are repository paths). An absolute `outdir` (a staging folder, `Testing.app()`) says nothing about
 * the repository. Returns the folder or the error message.
 */
export function repositoryOutdir(app: App, explicit: string | undefined): { readonly value?: string; readonly error?: string } {
  const given = explicit ?? app.outdir;
  const option = explicit !== undefined ? `outdir: "${explicit}"` : `outdir: the App writes to "${app.outdir}"`;
  const allowed = 'allowed: the folder of the committed output relative to the repository root, e.g. outdir: \'dist\'';
  if (path.isAbsolute(given) || /^[A-Za-z]:[\\/]/.test(given)) {
    return { error: `${option}, an absolute folder, not a place in the repository; ${allowed}` };
  }
  const normal = path.posix.normalize(given.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return { error: `${option} is outside the repository root; ${allowed}` };
  return { value: normal };
}

/** Error message when the App's layout cannot give each chart its own source. */
export function layoutError(app: App, include: string | undefined): string | undefined {
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      return 'App yamlOutputType: FILE_PER_APP writes every chart into one app.k8s.yaml, so no Application can deploy one chart; allowed: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE (recommended), FILE_PER_CHART or FILE_PER_RESOURCE';
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return undefined;
    default:
      return include !== undefined
        ? `application.include: "${include}" applies to a chart's own folder; with yamlOutputType ${YamlOutputType[app.yamlOutputType]} every chart shares the output folder and the files are selected for you; allowed: no include, or YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE`
        : undefined;
  }
}

/**
 * The source of `chart` once the App is complete (at synth time): its folder, or its file(s) in the shared
 * output folder. Charts that depend on each other are numbered by cdk8s (`0000-<chart>`), as here.
 */
export function chartSource(chart: Chart, outdir: string, include: string | undefined): ChartSource {
  const app = App.of(chart);
  const name = outputName(app, chart);
  const ext = app.outputFileExtension;
  switch (app.yamlOutputType) {
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      return { path: path.posix.join(outdir, name), include: include ?? (ext.endsWith('.yaml') ? '*.yaml' : `*${ext}`) };
    case YamlOutputType.FILE_PER_CHART:
      return { path: outdir, include: `${name}${ext}` };
    case YamlOutputType.FILE_PER_RESOURCE: {
      // cdk8s' file name of each object; Argo CD's include glob takes a {a,b} list.
      const files = [...new Set(apiObjectsOf(chart).map((o) => `${o.kind}.${o.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext))].sort();
      return { path: outdir, include: files.length === 1 ? files[0] : `{${files.join(',')}}` };
    }
    default:
      throw new Error(layoutError(app, include));
  }
}

/** Every namespace the objects of `charts` are deployed to (metadata, else the chart's), sorted. */
export function namespacesOf(charts: readonly Chart[]): string[] {
  const namespaces = new Set<string>();
  for (const chart of charts) {
    if (chart.namespace) namespaces.add(chart.namespace);
    for (const o of apiObjectsOf(chart)) {
      const ns = namespaceOf(o);
      if (ns) namespaces.add(ns);
    }
  }
  return [...namespaces].sort();
}

function apiObjectsOf(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart);
}

/** The chart's folder or file name as cdk8s gives it: numbered in dependency order when any chart depends on another. */
function outputName(app: App, chart: Chart): string {
  const label = Names.toDnsLabel(chart);
  const charts = app.charts;
  if (!hasDependantCharts(app, charts)) return label;
  return `${charts.indexOf(chart).toString().padStart(4, '0')}-${label}`;
}

// cdk8s' rule (App.synth's resolveDependencies): nested charts, or a dependency between constructs of two charts.
function hasDependantCharts(app: App, charts: readonly Chart[]): boolean {
  if (charts.some((c) => c.node.children.some((child) => child instanceof Chart))) return true;
  return app.node.findAll().some((c: IConstruct) => c.node.dependencies.some((d) => chartOf(d) !== chartOf(c)));
}

function chartOf(c: IConstruct): Chart | undefined {
  try {
    return Chart.of(c);
  } catch {
    return undefined; // the App itself, or a construct outside every chart
  }
}
