import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Testing, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { TempoArgoCdChart, TempoDatasource, TempoDistributed } from '../lib';
import { find, Manifest, minioStorage } from './support/synth';

const REPO = 'https://git.example.com/platform/gitops.git';

/** Two charts and their Argo CD chart; `outdir` is the repository path of the output. */
function build(appProps: AppProps, outdir: string | null = 'gitops/prod') {
  const app = Testing.app(appProps);
  const tempo = new Chart(app, 'tempo-distributed', { namespace: 'monitoring' });
  new TempoDistributed(tempo, 'Tempo', { storage: minioStorage() });
  const tracing = new Chart(app, 'tracing', { namespace: 'tracing' });
  new k8s.KubeConfigMap(tracing, 'cm', { metadata: { name: 'x' } });
  const argo = new TempoArgoCdChart(app, 'argocd', { charts: [tempo, tracing], repoUrl: REPO, outdir: outdir ?? undefined, appProject: {} });
  return { app, tempo, tracing, argo };
}

/** Synthesizes to disk; returns each Application's source and the files its source selects (relative to the App's outdir). */
function synthSources(app: App, argo: Chart, repoOutdir = 'gitops/prod') {
  app.synth();
  const manifests = Testing.synth(argo) as Manifest[];
  const sources: Record<string, { path: string; include: string; files: string[] }> = {};
  for (const a of manifests.filter((m) => m.kind === 'Application')) {
    const { path: p, directory } = a.spec.source;
    const folder = path.join(app.outdir, path.relative(repoOutdir, p));
    const names = fs.readdirSync(folder).filter((f) => fs.statSync(path.join(folder, f)).isFile());
    sources[a.metadata.name] = { path: p, include: directory.include, files: names.filter((f) => globMatches(directory.include, f)) };
  }
  return { manifests, sources };
}

/** Argo CD's include glob for the forms used here: `*`, a literal, `{a,b}`. */
function globMatches(glob: string, file: string): boolean {
  const alternatives = /^\{(.*)\}$/.exec(glob)?.[1].split(',') ?? [glob];
  return alternatives.some((g) => new RegExp(`^${g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(file));
}

describe('TempoArgoCdChart derives each Application\'s source from the App (issue 9 defect 10)', () => {
  test('default App() output (FILE_PER_CHART): the source is the output folder and the chart\'s file, not a folder that does not exist', () => {
    const { app, argo, tempo } = build({});
    const { sources } = synthSources(app, argo);
    expect(sources['tempo-distributed']).toEqual({ path: 'gitops/prod', include: 'tempo-distributed.k8s.yaml', files: ['tempo-distributed.k8s.yaml'] });
    expect(sources.tracing).toEqual({ path: 'gitops/prod', include: 'tracing.k8s.yaml', files: ['tracing.k8s.yaml'] });
    expect(Testing.synth(tempo).length).toBeGreaterThan(10);
  });

  test('FOLDER_PER_CHART_FILE_PER_RESOURCE: the chart\'s folder, every file in it', () => {
    const { app, argo, tempo } = build({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const { sources } = synthSources(app, argo);
    expect(sources['tempo-distributed'].path).toBe('gitops/prod/tempo-distributed');
    expect(sources['tempo-distributed'].include).toBe('*.yaml');
    expect(sources['tempo-distributed'].files.length).toBe(Testing.synth(tempo).length);
    expect(sources.tracing).toEqual({ path: 'gitops/prod/tracing', include: '*.yaml', files: ['ConfigMap.x.k8s.yaml'] });
  });

  test('FILE_PER_RESOURCE: one shared folder, each Application includes exactly its chart\'s files', () => {
    const { app, argo, tempo } = build({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const { sources } = synthSources(app, argo);
    expect(sources.tracing).toEqual({ path: 'gitops/prod', include: 'ConfigMap.x.k8s.yaml', files: ['ConfigMap.x.k8s.yaml'] });
    const own = Testing.synth(tempo).map((m: any) => `${m.kind}.${m.metadata.name}.k8s.yaml`).sort();
    expect(sources['tempo-distributed'].files.sort()).toEqual(own);
    expect(sources['tempo-distributed'].files).not.toContain('ConfigMap.x.k8s.yaml');
    expect(sources['tempo-distributed'].files.some((f) => f.startsWith('Application.'))).toBe(false);
  });

  test('FILE_PER_APP puts every chart in one file: rejected, naming the allowed layouts', () => {
    expect(() => build({ yamlOutputType: YamlOutputType.FILE_PER_APP })).toThrow(/yamlOutputType: FILE_PER_APP writes every chart into one app\.k8s\.yaml.*allowed: YamlOutputType\.FOLDER_PER_CHART_FILE_PER_RESOURCE/);
  });

  test('charts that depend on each other: the numbered folders cdk8s writes', () => {
    const { app, argo, tempo, tracing } = build({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    tracing.addDependency(tempo);
    const { sources } = synthSources(app, argo);
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-tempo-distributed', '0001-tracing', '0002-argocd']);
    expect(sources['tempo-distributed'].path).toBe('gitops/prod/0000-tempo-distributed');
    expect(sources.tracing).toEqual({ path: 'gitops/prod/0001-tracing', include: '*.yaml', files: ['ConfigMap.x.k8s.yaml'] });
  });

  test('the repository folder defaults to the App\'s relative outdir, e.g. App({ outdir: \'manifests\' })', () => {
    const source = (outdir: string) => {
      const { argo } = build({ outdir, yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE }, null);
      return find(Testing.synth(argo) as Manifest[], 'Application', 'tracing').spec.source.path;
    };
    expect(source('manifests')).toBe('manifests/tracing');
    expect(source('./deploy/prod/')).toBe('deploy/prod/tracing');
    expect(() => source('../elsewhere')).toThrow(/outdir: the App writes to "\.\.\/elsewhere" is outside the repository root/);
  });

  test('an App writing to an absolute folder (a staging folder, Testing.app()) needs `outdir`', () => {
    expect(() => build({}, null)).toThrow(/outdir: the App writes to "\/.*", an absolute folder, not a place in the repository; allowed: the folder of the committed output relative to the repository root, e\.g\. outdir: 'dist'/);
    expect(() => build({}, '/srv/gitops')).toThrow(/outdir: "\/srv\/gitops", an absolute folder/);
  });

  test('the AppProject allows every namespace the charts\' objects go to, also objects added after the Argo CD chart', () => {
    const { argo, tempo } = build({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const instance = tempo.node.findChild('Tempo') as TempoDistributed;
    new TempoDatasource(tempo, 'Grafana', { instance, sidecar: { namespace: 'grafana' } });
    new k8s.KubeConfigMap(tempo, 'Dashboards', { metadata: { name: 'extra', namespace: 'grafana-dashboards' } });
    const project = find(Testing.synth(argo) as Manifest[], 'AppProject', 'tempo');
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['grafana', 'grafana-dashboards', 'monitoring', 'tracing']);
  });

  test('an include glob only applies to a chart folder', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tracing', { namespace: 'tracing' });
    expect(() => new TempoArgoCdChart(app, 'argocd', { charts: [chart], repoUrl: REPO, outdir: 'dist', application: { include: '*.yml' } }))
      .toThrow(/application\.include: "\*\.yml" applies to a chart's own folder; with yamlOutputType FILE_PER_CHART/);
  });
});
