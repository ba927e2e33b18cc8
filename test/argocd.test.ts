import { ApiObject, App, AppProps, Chart, Duration, Testing, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { chartFolder } from '../lib/argocd/application';
import {
  applySyncWaves,
  DEFAULT_SYNC_WAVES,
  SYNC_WAVE_ANNOTATION,
  SyncWave,
  syncWaveOf,
  TempoArgoApplication,
  TempoArgoApplicationProps,
  TempoArgoCdChart,
  TempoDistributed,
} from '../lib';
import { validateK8sManifests } from './support/k8s-validation';
import { find, Manifest, minioStorage } from './support/synth';

const REPO = 'https://git.example.com/platform/gitops.git';
const BASE: TempoArgoApplicationProps = { repoUrl: REPO, path: 'dist/tempo-distributed', destinationNamespace: 'monitoring' };

/** Synthesizes one TempoArgoApplication in a chart (namespace `chartNamespace` when given). */
function synthApplication(props: Partial<TempoArgoApplicationProps> = {}, chartNamespace?: string): Manifest[] {
  const chart = new Chart(Testing.app(), 'argocd', { namespace: chartNamespace });
  new TempoArgoApplication(chart, 'Tempo', { ...BASE, ...props });
  return Testing.synth(chart) as Manifest[];
}

function waveOf(m: Manifest): string | undefined {
  return m.metadata.annotations?.[SYNC_WAVE_ANNOTATION];
}

describe('TempoArgoApplication', () => {
  test('defaults: Application "tempo" in argocd, project default, directory *.yaml, CreateNamespace + ServerSideApply, retries, manual sync', () => {
    const manifests = synthApplication();
    expect(manifests).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'tempo', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: REPO, path: 'dist/tempo-distributed', targetRevision: 'HEAD', directory: { include: '*.yaml' } },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'monitoring' },
          syncPolicy: {
            syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
            retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
          },
        },
      },
    ]);
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('automated sync prunes and self-heals by default; each can be turned off', () => {
    expect(find(synthApplication({ automated: {} }), 'Application', 'tempo').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(find(synthApplication({ automated: { prune: false, selfHeal: false } }), 'Application', 'tempo').spec.syncPolicy.automated)
      .toEqual({ prune: false, selfHeal: false, allowEmpty: false });
  });

  test('every option reaches the Application', () => {
    const manifests = synthApplication({
      name: 'tempo-prod',
      namespace: 'gitops',
      targetRevision: 'v1.2.0',
      destinationName: 'prod-eu',
      syncOptions: ['PruneLast=true'],
      retry: { limit: 2, backoff: Duration.seconds(10), factor: 3, maxBackoff: Duration.minutes(90) },
      include: '{*.yaml,*.yml}',
      cascadeDelete: true,
      labels: { team: 'observability' },
      path: 'clusters/prod/tempo/',
    });
    const app = find(manifests, 'Application', 'tempo-prod');
    expect(app.metadata).toEqual({ name: 'tempo-prod', namespace: 'gitops', labels: { team: 'observability' }, finalizers: ['resources-finalizer.argocd.argoproj.io'] });
    expect(app.spec.source).toEqual({ repoURL: REPO, path: 'clusters/prod/tempo', targetRevision: 'v1.2.0', directory: { include: '{*.yaml,*.yml}' } });
    expect(app.spec.destination).toEqual({ name: 'prod-eu', namespace: 'monitoring' });
    expect(app.spec.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
      retry: { limit: 2, backoff: { duration: '10s', factor: 3, maxDuration: '1h30m' } },
    });
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('without sync options and retries there is no syncPolicy', () => {
    const app = find(synthApplication({ createNamespace: false, serverSideApply: false, retry: { limit: 0 } }), 'Application', 'tempo');
    expect(app.spec.syncPolicy).toBeUndefined();
  });

  test("the Application lives in the chart's namespace when the chart has one", () => {
    expect(find(synthApplication({}, 'gitops'), 'Application', 'tempo').metadata.namespace).toBe('gitops');
  });

  test('appProject: an AppProject named after the Application allows exactly its repository and destination', () => {
    const manifests = synthApplication({ appProject: {} });
    expect(find(manifests, 'Application', 'tempo').spec.project).toBe('tempo');
    expect(find(manifests, 'AppProject', 'tempo')).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'tempo', namespace: 'argocd' },
      spec: {
        sourceRepos: [REPO],
        destinations: [{ namespace: 'monitoring', server: 'https://kubernetes.default.svc' }],
        // CreateNamespace needs the project to allow Namespaces
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    });
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('appProject options: name from project, description, repositories; no Namespace without CreateNamespace', () => {
    const manifests = synthApplication({ project: 'observability', createNamespace: false, appProject: { description: 'Tracing', sourceRepos: ['https://git.example.com/*'] } });
    expect(find(manifests, 'Application', 'tempo').spec.project).toBe('observability');
    const project = find(manifests, 'AppProject', 'observability');
    expect(project.spec).toEqual({ description: 'Tracing', sourceRepos: ['https://git.example.com/*'], destinations: [{ namespace: 'monitoring', server: 'https://kubernetes.default.svc' }] });
  });

  test.each<[string, Partial<TempoArgoApplicationProps>, RegExp]>([
    ['a repository URL without scheme', { repoUrl: 'gitops' }, /repoUrl: "gitops" is invalid; allowed: a Git URL/],
    ['an absolute path', { path: '/dist/tempo' }, /path: "\/dist\/tempo" is invalid; allowed: a folder relative to the repository root/],
    ['a path leaving the repository', { path: 'dist/../..' }, /path: "dist\/\.\.\/\.\." is invalid/],
    ['an empty path', { path: '' }, /path: "" is invalid/],
    ['an invalid name', { name: 'Tempo_Prod' }, /name: "Tempo_Prod" is invalid; allowed: a DNS-1123 subdomain/],
    ['an invalid destination namespace', { destinationNamespace: 'monitoring.prod' }, /destinationNamespace: "monitoring\.prod" is invalid; allowed: a DNS-1123 label/],
    ['both destination server and name', { destinationServer: 'https://k8s.example.com', destinationName: 'prod' }, /destination: give destinationServer or destinationName, not both/],
    ['a destination server that is not a URL', { destinationServer: 'prod' }, /destinationServer: "prod" is invalid; allowed: the API server URL/],
    ['a malformed sync option', { syncOptions: ['PruneLast'] }, /syncOptions: "PruneLast" is invalid; allowed: Name=value/],
    ['a negative retry limit', { retry: { limit: -1 } }, /retry\.limit: -1 is invalid; allowed: an integer >= 0/],
    ['a sub-second backoff', { retry: { backoff: Duration.millis(100) } }, /retry\.backoff: 0\.1s is invalid; allowed: whole seconds, at least 1/],
    ['a fractional max backoff', { retry: { maxBackoff: Duration.millis(1500) } }, /retry\.maxBackoff: 1\.5s is invalid/],
    ['an empty include glob', { include: ' ' }, /include: must not be empty/],
    ['a revision with spaces', { targetRevision: 'my branch' }, /targetRevision: "my branch" is invalid/],
  ])('rejects %s with the option, the value and what is allowed', (_what, props, message) => {
    expect(() => synthApplication(props)).toThrow(message);
  });

  test('all problems are reported at once, under the Application name', () => {
    expect(() => synthApplication({ repoUrl: 'x', path: '/y' })).toThrow(/^TempoArgoApplication "tempo":\n {2}repoUrl: .*\n {2}path: /);
  });

  test('pathOf: the output folder of a chart', () => {
    const app = new App();
    const chart = new Chart(app, 'tempo-distributed');
    expect(TempoArgoApplication.pathOf(chart)).toBe('dist/tempo-distributed');
    expect(TempoArgoApplication.pathOf(chart, 'clusters/prod/')).toBe('clusters/prod/tempo-distributed');
    // cdk8s keeps '_' in folder names: such a folder cannot name an Application
    const odd = new Chart(app, 'Tempo_Prod', { namespace: 'monitoring' });
    expect(chartFolder(odd)).toMatch(/^tempo_prod-[0-9a-f]{8}$/);
    expect(() => new TempoArgoCdChart(app, 'argocd', { charts: [odd], repoUrl: REPO })).toThrow(/name: "tempo_prod-[0-9a-f]{8}" is invalid/);
  });
});

describe('applySyncWaves', () => {
  test('default waves: configuration 0, workloads and Services 1, monitoring 2, prerequisites -1', () => {
    expect(syncWaveOf('Namespace')).toBe(SyncWave.PREREQUISITES);
    expect(syncWaveOf('ConfigMap')).toBe(0);
    expect(syncWaveOf('Secret')).toBe(0);
    expect(syncWaveOf('ServiceAccount')).toBe(0);
    expect(syncWaveOf('Service')).toBe(1);
    expect(syncWaveOf('StatefulSet')).toBe(1);
    expect(syncWaveOf('PrometheusRule')).toBe(2);
    expect(syncWaveOf('GrafanaDatasource')).toBe(2);
    expect(syncWaveOf('Widget')).toBeUndefined();
    expect(syncWaveOf('Widget', { defaultWave: 3 })).toBe(3);
    expect(syncWaveOf('Service', { waves: { Service: 0 } })).toBe(0);
    expect(Object.isFrozen(DEFAULT_SYNC_WAVES)).toBe(true);
  });

  test('on a TempoDistributed chart: ConfigMaps and ServiceAccount first, workloads and Services next', () => {
    const chart = new Chart(Testing.app(), 'tempo', { namespace: 'monitoring' });
    new TempoDistributed(chart, 'Tempo', { storage: minioStorage(), metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write' } });
    applySyncWaves(chart);
    const manifests = Testing.synth(chart) as Manifest[];
    const waves = new Map(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, waveOf(m)]));
    expect(waves.get('ConfigMap/tempo-config')).toBe('0');
    expect(waves.get('ServiceAccount/tempo')).toBe('0');
    expect(waves.get('Service/tempo-distributor')).toBe('1');
    expect(waves.get('Deployment/tempo-distributor')).toBe('1');
    expect(waves.get('StatefulSet/tempo-ingester')).toBe('1');
    // every object the construct emits has a known kind, so every one gets its wave
    for (const m of manifests) expect({ object: `${m.kind}/${m.metadata.name}`, wave: waveOf(m) }).toEqual({ object: `${m.kind}/${m.metadata.name}`, wave: String(DEFAULT_SYNC_WAVES[m.kind]) });
    // only the objects' own metadata: pod templates keep their annotations
    for (const m of manifests.filter((x) => x.spec?.template)) expect(m.spec.template.metadata.annotations?.[SYNC_WAVE_ANNOTATION]).toBeUndefined();
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('objects added after the call are annotated too; unknown kinds are left alone unless defaultWave is set', () => {
    const chart = Testing.chart();
    applySyncWaves(chart);
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'monitoring' } });
    new ApiObject(chart, 'rule', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'tempo' } });
    new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    const manifests = Testing.synth(chart) as Manifest[];
    expect(waveOf(find(manifests, 'Namespace', 'monitoring'))).toBe('-1');
    expect(waveOf(find(manifests, 'PrometheusRule', 'tempo'))).toBe('2');
    expect(waveOf(find(manifests, 'Widget', 'w'))).toBeUndefined();

    const other = Testing.chart();
    new ApiObject(other, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    applySyncWaves(other, { defaultWave: 5 });
    expect(waveOf((Testing.synth(other) as Manifest[])[0])).toBe('5');
  });

  test('an annotation set by hand wins unless overwrite; per-kind overrides', () => {
    const build = (options: Parameters<typeof applySyncWaves>[1]) => {
      const chart = Testing.chart();
      const cm = new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'a' } });
      cm.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, '7');
      new k8s.KubeConfigMap(chart, 'cm2', { metadata: { name: 'b' } });
      applySyncWaves(chart, options);
      const manifests = Testing.synth(chart) as Manifest[];
      return [waveOf(find(manifests, 'ConfigMap', 'a')), waveOf(find(manifests, 'ConfigMap', 'b'))];
    };
    expect(build({})).toEqual(['7', '0']);
    expect(build({ overwrite: true })).toEqual(['0', '0']);
    expect(build({ waves: { ConfigMap: -2 } })).toEqual(['7', '-2']);
  });

  test('synthesizing twice gives the same annotations', () => {
    const chart = Testing.chart();
    new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'a' } });
    applySyncWaves(chart);
    applySyncWaves(chart);
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
    expect(waveOf(find(Testing.synth(chart) as Manifest[], 'ConfigMap', 'a'))).toBe('0');
  });

  test('non-integer waves are rejected', () => {
    expect(() => applySyncWaves(Testing.chart(), { waves: { Service: 1.5 } })).toThrow(/waves\.Service: 1\.5 is invalid; allowed: an integer/);
    expect(() => applySyncWaves(Testing.chart(), { defaultWave: Number.NaN })).toThrow(/defaultWave: NaN is invalid/);
  });
});

describe('TempoArgoCdChart', () => {
  function build(props: Partial<ConstructorParameters<typeof TempoArgoCdChart>[2]> = {}, appProps: AppProps = { yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE }) {
    const app = Testing.app(appProps);
    const tempo = new Chart(app, 'tempo-distributed', { namespace: 'monitoring' });
    new TempoDistributed(tempo, 'Tempo', { storage: minioStorage() });
    const tracing = new Chart(app, 'tracing', { namespace: 'tracing' });
    new k8s.KubeConfigMap(tracing, 'cm', { metadata: { name: 'x' } });
    const argo = new TempoArgoCdChart(app, 'argocd', { charts: [tempo, tracing], repoUrl: REPO, ...props });
    return { app, tempo, tracing, argo };
  }

  test('one Application per chart: named after its folder, path <outdir>/<folder>, destination its namespace', () => {
    const { argo } = build({ outdir: 'clusters/prod', application: { automated: {}, targetRevision: 'main' } });
    const manifests = Testing.synth(argo) as Manifest[];
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['Application/argocd/tempo-distributed', 'Application/argocd/tracing']);
    const tempo = find(manifests, 'Application', 'tempo-distributed');
    expect(tempo.spec.source).toMatchObject({ path: 'clusters/prod/tempo-distributed', targetRevision: 'main', repoURL: REPO });
    expect(tempo.spec.destination.namespace).toBe('monitoring');
    expect(tempo.spec.project).toBe('default');
    expect(tempo.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
    expect(find(manifests, 'Application', 'tracing').spec.destination.namespace).toBe('tracing');
    expect(validateK8sManifests(manifests).errors).toEqual([]);
  });

  test('annotates the deployed charts with sync waves by default, not when syncWaves is false', () => {
    const waved = build({ outdir: 'dist' });
    expect((Testing.synth(waved.tempo) as Manifest[]).every((m) => waveOf(m) !== undefined)).toBe(true);
    const plain = build({ outdir: 'dist', syncWaves: false });
    expect((Testing.synth(plain.tempo) as Manifest[]).some((m) => waveOf(m) !== undefined)).toBe(false);
  });

  test('appProject: one project "tempo" for all Applications, with every destination', () => {
    const manifests = Testing.synth(build({ outdir: 'dist', appProject: {} }).argo) as Manifest[];
    const project = find(manifests, 'AppProject', 'tempo');
    // the project is applied before the Applications that use it
    expect(waveOf(project)).toBe('-1');
    expect(manifests.filter((m) => m.kind === 'Application').map(waveOf)).toEqual([undefined, undefined]);
    expect(project.spec.destinations).toEqual([
      { namespace: 'monitoring', server: 'https://kubernetes.default.svc' },
      { namespace: 'tracing', server: 'https://kubernetes.default.svc' },
    ]);
    expect(manifests.filter((m) => m.kind === 'Application').map((m) => m.spec.project)).toEqual(['tempo', 'tempo']);
  });

  test('the synthesized app keeps one plain folder per chart (no chart dependencies)', () => {
    const { app } = build({ outdir: 'dist' });
    expect(app.charts.map((c) => chartFolder(c))).toEqual(['tempo-distributed', 'tracing', 'argocd']);
    expect(app.charts.every((c) => c.node.dependencies.length === 0)).toBe(true);
  });

  test('rejects charts without a namespace, itself, and an empty list', () => {
    const app = Testing.app();
    const bare = new Chart(app, 'bare');
    expect(() => new TempoArgoCdChart(app, 'a', { charts: [bare], repoUrl: REPO })).toThrow(/charts: chart "bare" has no namespace/);
    expect(() => new TempoArgoCdChart(app, 'b', { charts: [], repoUrl: REPO })).toThrow(/charts: must list at least one chart/);
  });
});
