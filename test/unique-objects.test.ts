import * as fs from 'fs';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { TempoAlerts, TempoDashboards, TempoDatasource, TempoDistributed, TempoMonolithic, TempoStorage } from '../lib';
import { minioStorage, testChart } from './support/synth';

/** Synthesizes the app; returns the error message (or undefined) and the files written. */
function synth(app: App): { error?: string; files: string[] } {
  let error: string | undefined;
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const files = fs.existsSync(app.outdir) ? fs.readdirSync(app.outdir, { recursive: true }).map(String) : [];
  return { error, files };
}

function stack(chart: Chart, id = 'Tempo', name?: string) {
  return new TempoDistributed(chart, id, { name, storage: minioStorage() });
}

describe('two objects with one identity anywhere in the App fail the synth (issue 9 defect 4)', () => {
  test('one data source per tenant: distinct uids give distinct objects; the single default keeps its name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    const tempo = stack(chart);
    new TempoDatasource(chart, 'TeamA', { instance: tempo, uid: 'tempo-team-a', name: 'Tempo (team-a)', tenant: 'team-a', operator: { instanceSelector: { dashboards: 'grafana' } } });
    new TempoDatasource(chart, 'TeamB', { instance: tempo, uid: 'tempo_team_B', name: 'Tempo (team-b)', tenant: 'team-b' });
    const names = chart.toJson().filter((m: any) => /Datasource|ConfigMap/.test(m.kind) && m.metadata.name.includes('datasource')).map((m: any) => `${m.kind}/${m.metadata.name}`);
    expect(names.sort()).toEqual(['ConfigMap/tempo-datasource-tempo-team-a', 'ConfigMap/tempo-datasource-tempo-team-b', 'GrafanaDatasource/tempo-datasource-tempo-team-a']);
    expect(synth(app).error).toBeUndefined();

    const single = new Chart(Testing.app(), 'single', { namespace: 'monitoring' });
    new TempoDatasource(single, 'Ds', { instance: stack(single), tenant: 'team-a' });
    expect(single.toJson().filter((m: any) => m.kind === 'ConfigMap').map((m: any) => m.metadata.name)).toContain('tempo-datasource');
  });

  test('two data sources with the same uid name both construct paths and the option', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    const tempo = stack(chart);
    new TempoDatasource(chart, 'TeamA', { instance: tempo, tenant: 'team-a' });
    new TempoDatasource(chart, 'TeamB', { instance: tempo, tenant: 'team-b' });
    const { error, files } = synth(app);
    expect(error).toMatch(/two objects are ConfigMap "tempo-datasource" in namespace "monitoring"/);
    expect(error).toMatch(/tempo\/TeamA\/ConfigMap \(name from TempoDatasource\.uid\) and tempo\/TeamB\/ConfigMap \(name from TempoDatasource\.uid\)/);
    expect(files).toEqual([]);
  });

  test('two dashboard sets with different uidPrefix no longer overwrite each other; the default names stay', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    const tempo = stack(chart);
    const a = new TempoDashboards(chart, 'Ops', { instance: tempo });
    const b = new TempoDashboards(chart, 'Staging', { instance: tempo, uidPrefix: 'Tempo_Staging' });
    expect(a.configMaps.map((c) => c.name)).toContain('tempo-dashboard-writes');
    expect(b.configMaps.map((c) => c.name)).toContain('tempo-staging-dashboard-writes');
    expect(synth(app).error).toBeUndefined();
    // a long instance name: the default uid prefix is cut, the object names keep the whole instance name
    const long = new Chart(Testing.app(), 'long', { namespace: 'monitoring' });
    const named = new TempoDashboards(long, 'D', { instance: stack(long, 'Tempo', 'tempo-shared-cluster-prod-01') });
    expect(named.configMaps.map((c) => c.name)).toContain('tempo-shared-cluster-prod-01-dashboard-writes');
  });

  test('two dashboard sets with the same prefix name the option uidPrefix', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    const tempo = stack(chart);
    new TempoDashboards(chart, 'A', { instance: tempo });
    new TempoDashboards(chart, 'B', { instance: tempo });
    expect(synth(app).error).toMatch(/ConfigMap "tempo-dashboard-writes".*tempo\/A\/writes-ConfigMap \(name from TempoDashboards\.uidPrefix\) and tempo\/B\/writes-ConfigMap/);
  });

  test('two TempoAlerts without a name name the option `name`', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    const tempo = stack(chart);
    new TempoAlerts(chart, 'Alerts', { instance: tempo });
    new TempoAlerts(chart, 'MoreAlerts', { instance: tempo });
    const { error, files } = synth(app);
    expect(error).toMatch(/two objects are PrometheusRule "tempo-alerts" in namespace "monitoring".*tempo\/Alerts\/Resource \(name from TempoAlerts\.name\) and tempo\/MoreAlerts\/Resource/);
    expect(files).toEqual([]);
  });

  test('two stacks with the same instance name in one chart (or one namespace) name the option `name`', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'tempo', { namespace: 'monitoring' });
    stack(chart, 'Tempo');
    stack(chart, 'Tempo2');
    const { error, files } = synth(app);
    expect(error).toMatch(/two objects are ConfigMap "tempo-config" in namespace "monitoring".*\(name from TempoDistributed\.name\) and tempo\/Tempo2\/.*\(name from TempoDistributed\.name\)/);
    expect(files).toEqual([]);

    const other = Testing.app();
    new TempoMonolithic(new Chart(other, 'a', { namespace: 'tracing' }), 'Tempo', { storage: TempoStorage.local() });
    new TempoMonolithic(new Chart(other, 'b', { namespace: 'tracing' }), 'Tempo', { storage: TempoStorage.local() });
    expect(synth(other).error).toMatch(/StatefulSet "tempo" in namespace "tracing".*a\/Tempo\/.*\(name from TempoMonolithic\.name\) and b\/Tempo\//);
  });

  test('the same names in two namespaces are fine; a user object that collides is named by its metadata.name', () => {
    const app = Testing.app();
    stack(new Chart(app, 'prod', { namespace: 'prod' }));
    const staging = new Chart(app, 'staging', { namespace: 'staging' });
    stack(staging);
    expect(synth(app).error).toBeUndefined();

    new ApiObject(staging, 'Mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tempo-config' } });
    expect(synth(app).error).toMatch(/ConfigMap "tempo-config" in namespace "staging".*staging\/Tempo\/.* and staging\/Mine \(name from its metadata\.name\)/);
  });

  test('one output file per object: with FILE_PER_RESOURCE, equal kind/name in two namespaces would share a file', () => {
    const app = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    stack(new Chart(app, 'prod', { namespace: 'prod' }));
    stack(new Chart(app, 'staging', { namespace: 'staging' }));
    const { error, files } = synth(app);
    expect(error).toMatch(/two objects are written to the same file ConfigMap\.tempo-config\.k8s\.yaml.*prod\/Tempo\/.* and staging\/Tempo\//);
    expect(files).toEqual([]);
  });

  test('cluster-scoped kinds ignore the namespace cdk8s stamps on them', () => {
    const app = Testing.app();
    new ApiObject(new Chart(app, 'a', { namespace: 'x' }), 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing' } });
    new ApiObject(new Chart(app, 'b', { namespace: 'y' }), 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing' } });
    stack(new Chart(app, 'c', { namespace: 'tracing' }));
    expect(synth(app).error).toMatch(/two objects are Namespace "tracing", the second/);
  });
});

describe('single binary Service named by serviceName', () => {
  test('two single binaries with one serviceName: the message names serviceName', () => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'A', { name: 'tempo-a', serviceName: 'tempo', storage: TempoStorage.local() });
    new TempoMonolithic(chart, 'B', { name: 'tempo-b', serviceName: 'tempo', storage: TempoStorage.local() });
    expect(() => Testing.synth(chart)).toThrow(/Service "tempo"[\s\S]*TempoMonolithic\.serviceName/);
  });
});
