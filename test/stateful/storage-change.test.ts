import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Size } from 'cdk8s';
import { TempoMonolithicChart, TempoProductionChart, TempoV3Chart } from '../../main';
import { ClaimRetention, DeployedManifests, StorageChange, TempoDistributedProps, TempoMonolithic, TempoMonolithicProps, TempoStorage, TempoVersion } from '../../lib';
import { podSecurityViolations } from '../support/pod-security';
import { find, Manifest, synthDistributed, testChart } from '../support/synth';

// The production example's StatefulSets as committed before this change: 50Gi ingesters in three zones, a 20Gi generator.
const PREVIOUS = path.join(__dirname, 'fixtures', 'production-2.10.8');
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** A production-like instance in `tracing-prod` (where the fixtures are) compared with `deployed`. */
function production(ingester: TempoDistributedProps['ingester'], deployed = DeployedManifests.fromDirectory(PREVIOUS), more: Partial<TempoDistributedProps> = {}) {
  return synthDistributed({
    version: TempoVersion.V2_10_8,
    ingester: { replicas: 3, zones: ZONES, storageSize: Size.gibibytes(50), ...ingester },
    storageChanges: { deployedManifests: deployed },
    ...more,
  }, 'tracing-prod');
}

const hookObjects = (manifests: Manifest[]) => manifests.filter((m) => m.metadata.annotations?.['argocd.argoproj.io/hook'] === 'PreSync');

describe('volume claim template changes against the deployed manifests', () => {
  test('unchanged claims, or nothing deployed yet, synthesize without a Job', () => {
    expect(hookObjects(production({}).manifests)).toEqual([]);
    expect(hookObjects(production({ storageSize: Size.gibibytes(100) }, DeployedManifests.fromDirectory('/nonexistent/first-deployment')).manifests)).toEqual([]);
    expect(hookObjects(production({ storageSize: Size.gibibytes(100) }, DeployedManifests.none()).manifests)).toEqual([]);
  });

  test('a size change without a choice fails the synth naming the option, both values and the choices', () => {
    expect(() => production({ storageSize: Size.gibibytes(100) })).toThrow(
      /ingester\.storageSize: StatefulSets tempo-ingester-zone-a, tempo-ingester-zone-b, tempo-ingester-zone-c as deployed \(folder .*production-2\.10\.8\): claim "data" requests 50Gi, now 100Gi; volumeClaimTemplates cannot change in place .*allowed: ingester\.storageChange: StorageChange\.EXPAND .* or StorageChange\.RECREATE .*, or the deployed value/,
    );
  });

  test('a StorageClass change names storageClassName and offers only RECREATE; EXPAND is refused for it and for shrinking', () => {
    let message = '';
    try {
      production({ storageClassName: 'fast' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ingester\.storageClassName: .*uses the default StorageClass, now "fast".*allowed: ingester\.storageChange: StorageChange\.RECREATE/);
    expect(message).not.toMatch(/EXPAND/);
    expect(() => production({ storageClassName: 'fast', storageChange: StorageChange.EXPAND })).toThrow(/ingester\.storageChange: StorageChange\.EXPAND only grows claims, but .*uses the default StorageClass, now "fast"; allowed: StorageChange\.RECREATE/);
    expect(() => production({ storageSize: Size.gibibytes(20), storageChange: StorageChange.EXPAND })).toThrow(/requests 50Gi, now 20Gi \(smaller\); allowed: StorageChange\.RECREATE, or the deployed value of ingester\.storageSize/);
  });

  test('the generator is checked on its own option path', () => {
    expect(() => production({}, undefined, {
      metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', storageSize: Size.gibibytes(30) },
    })).toThrow(/metricsGenerator\.storageSize: StatefulSet tempo-metrics-generator as deployed .*requests 20Gi, now 30Gi.*allowed: metricsGenerator\.storageChange/);
  });

  test('EXPAND emits an Argo CD PreSync hook: minimal RBAC and a restricted Job that patches the claims, then orphan-deletes the StatefulSets', () => {
    const { manifests } = production({ storageSize: Size.gibibytes(100), storageChange: StorageChange.EXPAND });
    const hooks = hookObjects(manifests);
    expect(hooks.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['Job/tempo-storage-change', 'Role/tempo-storage-change', 'RoleBinding/tempo-storage-change', 'ServiceAccount/tempo-storage-change']);
    const role = find(manifests, 'Role', 'tempo-storage-change');
    expect(role.rules).toEqual([
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
    ]);
    const job = find(manifests, 'Job', 'tempo-storage-change');
    expect(podSecurityViolations(job)).toEqual([]);
    expect(job.spec.template.spec.serviceAccountName).toBe('tempo-storage-change');
    // Outside Tempo's pod selectors, so Tempo's NetworkPolicies do not cut it off from the API server.
    expect(job.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('tempo-storage-change');
    const script: string = job.spec.template.spec.containers[0].command[2];
    for (const zone of ZONES) expect(script).toContain(`kubectl delete statefulset 'tempo-ingester-${zone}' --cascade=orphan`);
    expect(script.indexOf('kubectl patch')).toBeLessThan(script.indexOf('kubectl delete'));
    // The StatefulSets themselves carry the new template (what the sync creates after the hook).
    expect(find(manifests, 'StatefulSet', 'tempo-ingester-zone-b').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
  });

  test('while the committed output still has the Job (not yet synced), it stays as long as storageChange is set', () => {
    // The change is committed (100Gi, with the Job); Argo CD may not have run the hook yet.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stateful-pending-'));
    const committed = production({ storageSize: Size.gibibytes(100), storageChange: StorageChange.EXPAND }).manifests;
    fs.writeFileSync(path.join(dir, 'all.yaml'), committed.map((o) => JSON.stringify(o)).join('\n---\n'));
    const again = production({ storageSize: Size.gibibytes(100), storageChange: StorageChange.EXPAND }, DeployedManifests.fromDirectory(dir)).manifests;
    expect(find(again, 'Job', 'tempo-storage-change').spec.template.spec.containers[0].command[2]).toContain("kubectl delete statefulset 'tempo-ingester-zone-c' --cascade=orphan");
    expect(hookObjects(production({ storageSize: Size.gibibytes(100) }, DeployedManifests.fromDirectory(dir)).manifests)).toEqual([]);
  });

  test('RECREATE deletes the StatefulSet (pods stop and flush) before its claims, and is refused when ingesters do not flush', () => {
    const { manifests } = production({ storageClassName: 'fast', storageChange: StorageChange.RECREATE });
    const script: string = find(manifests, 'Job', 'tempo-storage-change').spec.template.spec.containers[0].command[2];
    expect(script).toContain("kubectl delete statefulset 'tempo-ingester-zone-a' --cascade=foreground --wait=true");
    expect(script.indexOf("kubectl delete statefulset 'tempo-ingester-zone-a'")).toBeLessThan(script.indexOf('kubectl delete "$pvc"'));
    expect(script).not.toContain('kubectl patch');
    expect(() => production({ storageClassName: 'fast', storageChange: StorageChange.RECREATE, flushOnShutdown: false }))
      .toThrow(/ingester\.storageChange: StorageChange\.RECREATE deletes the volumes of StatefulSets tempo-ingester-zone-a, .*flushOnShutdown is false/);
  });

  test('Tempo 3: live-stores and the backend scheduler are compared too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stateful-v3-'));
    const before = new TempoV3Chart(new App({ outdir: dir }), 'tempo-v3');
    fs.writeFileSync(path.join(dir, 'before.yaml'), before.toJson().map((o: unknown) => JSON.stringify(o)).join('\n---\n'));
    const v3 = (liveStore: object, backendScheduler: object) => synthDistributed({
      version: TempoVersion.V3_0_3,
      ingest: { kafka: { address: 'kafka:9092', topic: 'tempo', partitions: 2 } },
      liveStore,
      backendScheduler,
      storageChanges: { deployedManifests: DeployedManifests.fromDirectory(dir) },
    }, 'tracing-v3');
    expect(() => v3({ storageSize: Size.gibibytes(40) }, { storageSize: Size.gibibytes(2) })).toThrow(
      /liveStore\.storageSize: StatefulSets tempo-live-store-zone-a, tempo-live-store-zone-b as deployed .*requests 10Gi, now 40Gi[\s\S]*backendScheduler\.storageSize: StatefulSet tempo-backend-scheduler as deployed .*requests 1Gi, now 2Gi/,
    );
    const { manifests } = v3({ storageSize: Size.gibibytes(40), storageChange: StorageChange.RECREATE }, {});
    expect(find(manifests, 'Job', 'tempo-storage-change').spec.template.spec.containers[0].command[2]).toContain("kubectl delete statefulset 'tempo-live-store-zone-b' --cascade=foreground");
  });

  test('an invalid choice or retention value is an option error', () => {
    expect(() => production({ storageChange: 'grow' as StorageChange, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Keep' as ClaimRetention } })).toThrow(
      /ingester\.storageChange: "grow" is invalid; allowed: StorageChange\.EXPAND or StorageChange\.RECREATE[\s\S]*ingester\.persistentVolumeClaimRetentionPolicy\.whenScaled: "Keep" is invalid; allowed: ClaimRetention\.RETAIN or ClaimRetention\.DELETE/,
    );
  });
});

describe('DeployedManifests.fromGit', () => {
  test('reads the committed manifests even after `cdk8s synth` deleted the output folder', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'stateful-git-'));
    const git = (...args: string[]) => expect(spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo }).status).toBe(0);
    git('init', '-q');
    fs.mkdirSync(path.join(repo, 'dist', 'tempo-production'), { recursive: true });
    for (const f of fs.readdirSync(PREVIOUS)) fs.copyFileSync(path.join(PREVIOUS, f), path.join(repo, 'dist', 'tempo-production', f));
    git('add', '.');
    git('commit', '-q', '-m', 'deployed');
    fs.rmSync(path.join(repo, 'dist'), { recursive: true }); // what the cdk8s CLI does before it runs the app
    const deployed = DeployedManifests.fromGit('dist', { cwd: repo });
    expect(deployed.statefulSet('tempo-ingester-zone-c', 'tracing-prod')?.claimTemplates).toEqual([{ name: 'data', storage: '50Gi', storageClassName: undefined, accessModes: ['ReadWriteOnce'] }]);
    expect(deployed.statefulSet('tempo-ingester-zone-c', 'other-namespace')).toBeUndefined();
    expect(() => production({ storageSize: Size.gibibytes(60) }, deployed)).toThrow(/as deployed \(Git HEAD:dist\): claim "data" requests 50Gi, now 60Gi/);
    // Outside a repository: nothing deployed.
    expect(DeployedManifests.fromGit('dist', { cwd: os.tmpdir() }).statefulSet('tempo-ingester-zone-c', 'tracing-prod')).toBeUndefined();
  });

  test('the production example compares with its committed dist/ folder, which matches', () => {
    expect(() => new TempoProductionChart(new App(), 'tempo-production')).not.toThrow();
  });
});

describe('the Job script against a stand-in kubectl', () => {
  /** Runs the Job's script with a fake kubectl that answers from `state` and records every call. */
  function run(script: string, have: string): string[] {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'stateful-kubectl-'));
    const log = path.join(bin, 'calls');
    fs.writeFileSync(path.join(bin, 'kubectl'), [
      '#!/bin/sh',
      `echo "$*" >> ${log}`,
      'case "$1 $2" in',
      `  "get statefulset") printf '%s' '${have}' ;;`,
      '  "get pvc") printf "persistentvolumeclaim/data-$(echo "$*" | sed -n "s/.*zone=\\(zone-.\\).*/tempo-ingester-\\1/p")-0\\npersistentvolumeclaim/other-claim\\n" ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
    const res = spawnSync('sh', ['-c', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(res.status).toBe(0);
    return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter((l) => !l.startsWith('get ')) : [];
  }
  const script = (choice: StorageChange) => find(production({ storageSize: Size.gibibytes(100), storageChange: choice }).manifests, 'Job', 'tempo-storage-change')
    .spec.template.spec.containers[0].command[2] as string;

  test('EXPAND patches each claim of the StatefulSet, then deletes it with orphan cascade', () => {
    const calls = run(script(StorageChange.EXPAND), 'data:50Gi:;');
    expect(calls).toEqual([
      ...ZONES.map((z) => `patch persistentvolumeclaim/data-tempo-ingester-${z}-0 --type merge -p {"spec":{"resources":{"requests":{"storage":"100Gi"}}}}`),
      ...ZONES.map((z) => `delete statefulset tempo-ingester-${z} --cascade=orphan --wait=true`),
    ]);
  });

  test('RECREATE deletes the StatefulSet, then only its own claims', () => {
    const calls = run(script(StorageChange.RECREATE), 'data:50Gi:;');
    expect(calls.slice(0, 2)).toEqual([
      'delete statefulset tempo-ingester-zone-a --cascade=foreground --wait=true --timeout=60m',
      'delete persistentvolumeclaim/data-tempo-ingester-zone-a-0 --wait=true --timeout=10m',
    ]);
    expect(calls.join('\n')).not.toContain('other-claim');
  });

  test('a repeated sync (claims already changed) does nothing', () => {
    expect(run(script(StorageChange.EXPAND), 'data:100Gi:;')).toEqual([]);
    expect(run(script(StorageChange.RECREATE), '')).toEqual([]);
  });
});

describe('persistentVolumeClaimRetentionPolicy', () => {
  test('emitted only when given, with Retain for the side left out', () => {
    const sts = (m: Manifest[], name: string) => find(m, 'StatefulSet', name).spec.persistentVolumeClaimRetentionPolicy;
    expect(sts(production({}).manifests, 'tempo-ingester-zone-a')).toBeUndefined();
    const { manifests } = production({ persistentVolumeClaimRetentionPolicy: { whenScaled: ClaimRetention.DELETE } }, undefined, {
      metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', storageSize: Size.gibibytes(20), persistentVolumeClaimRetentionPolicy: { whenDeleted: ClaimRetention.DELETE } },
    });
    for (const z of ZONES) expect(sts(manifests, `tempo-ingester-${z}`)).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(sts(manifests, 'tempo-metrics-generator')).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
  });

  test('refused on a generator without a volume', () => {
    expect(() => production({}, undefined, {
      metricsGenerator: { remoteWriteUrl: 'http://prometheus:9090/api/v1/write', processors: [], persistentVolumeClaimRetentionPolicy: { whenDeleted: ClaimRetention.DELETE } },
    })).toThrow(/metricsGenerator\.persistentVolumeClaimRetentionPolicy: set but the generator runs without local-blocks/);
  });
});

describe('TempoMonolithic: its volume, on top-level options', () => {
  // The committed single binary (dist/tempo-monolithic): 5Gi on local-path, blocks on that volume.
  const deployed = DeployedManifests.fromGit('dist/tempo-monolithic', { cwd: path.join(__dirname, '..', '..') });
  const mono = (props: Partial<TempoMonolithicProps>) => {
    const chart = testChart('tracing');
    new TempoMonolithic(chart, 'Tempo', { storage: TempoStorage.local(), storageClassName: 'local-path', storageSize: Size.gibibytes(5), storageChanges: { deployedManifests: deployed }, ...props });
    return chart.toJson() as Manifest[];
  };

  test('the reference chart matches its committed manifests', () => {
    expect(() => new TempoMonolithicChart(new App(), 'tempo-monolithic')).not.toThrow();
    expect(hookObjects(mono({}))).toEqual([]);
  });

  test('a size change names storageSize; RECREATE is refused (the blocks are on the volume), EXPAND emits the Job', () => {
    expect(() => mono({ storageSize: Size.gibibytes(20) })).toThrow(/storageSize: StatefulSet tempo as deployed \(Git HEAD:dist\/tempo-monolithic\): claim "data" requests 5Gi, now 20Gi; .*allowed: storageChange: StorageChange\.EXPAND/);
    expect(() => mono({ storageSize: Size.gibibytes(20), storageChange: StorageChange.RECREATE })).toThrow(/storageChange: StorageChange\.RECREATE deletes the volumes of StatefulSet tempo, but the trace blocks are on that volume/);
    const m = mono({ storageSize: Size.gibibytes(20), storageChange: StorageChange.EXPAND, persistentVolumeClaimRetentionPolicy: { whenDeleted: ClaimRetention.RETAIN } });
    expect(find(m, 'Job', 'tempo-storage-change').spec.template.spec.containers[0].command[2]).toContain("kubectl delete statefulset 'tempo' --cascade=orphan");
    expect(find(m, 'StatefulSet', 'tempo').spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });
});
