import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'synth.js');

/** Every file below a folder, relative path -> content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Runs scripts/synth.js with `--app "node <file>"` into `<work>/dist`. */
function synth(work: string, appSource: string) {
  const appFile = path.join(work, 'app.js');
  fs.writeFileSync(appFile, appSource);
  return spawnSync(process.execPath, [SCRIPT, '-o', path.join(work, 'dist'), '-a', `"${process.execPath}" "${appFile}"`], { encoding: 'utf8' });
}

/** A cdk8s app with one chart; `extra` runs after the chart is built (it may make the synth fail). */
const cdk8sApp = (extra: string) => `
const { App, Chart, ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});
const app = new App();
const chart = new Chart(app, 'tempo', { namespace: 'tracing' });
new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh' } });
${extra}
app.synth();
`;

describe('npm run synth (scripts/synth.js) replaces the output folder only after a whole synth', () => {
  let work: string;
  let before: Record<string, string>;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-script-'));
    fs.mkdirSync(path.join(work, 'dist', 'tempo'), { recursive: true });
    fs.writeFileSync(path.join(work, 'dist', 'tempo', 'ConfigMap.committed.k8s.yaml'), 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(work, 'dist', 'argocd.k8s.yaml'), 'kind: Application\n');
    before = tree(path.join(work, 'dist'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const leftovers = () => fs.readdirSync(work).filter((f) => f !== 'dist' && f !== 'app.js');

  test('a validation error (cdk8s validates before writing) leaves the committed folder untouched', () => {
    const res = synth(work, cdk8sApp("chart.node.addValidation({ validate: () => ['compactor.retention: 30m is too short'] });"));
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/compactor\.retention: 30m is too short/);
    expect(res.stderr).toMatch(/left unchanged/);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('an error half-way through writing (after some files are out) leaves the committed folder untouched', () => {
    // The second chart's object fails to render after the first chart's file is written.
    const res = synth(work, cdk8sApp(`
const late = new Chart(app, 'late');
new ApiObject(late, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: { get x() { throw new Error('render failed'); } } });`));
    expect(res.status).toBe(1);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('an app that throws while constructing leaves the committed folder untouched', () => {
    const res = synth(work, "throw new Error('TempoMonolithic \"tempo\": retention: 30m is invalid');");
    expect(res.status).toBe(1);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('an app that writes nothing into CDK8S_OUTDIR (its own outdir) does not empty the folder', () => {
    const res = synth(work, '');
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/wrote no manifests into CDK8S_OUTDIR/);
    expect(tree(path.join(work, 'dist'))).toEqual(before);
  });

  test('a successful synth replaces the folder: new files in, stale files gone, nothing left beside it', () => {
    const res = synth(work, cdk8sApp(''));
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/Synthesized 1 manifests into/);
    expect(Object.keys(tree(path.join(work, 'dist')))).toEqual(['tempo.k8s.yaml']);
    expect(tree(path.join(work, 'dist'))['tempo.k8s.yaml']).toMatch(/name: fresh/);
    expect(leftovers()).toEqual([]);
    expect(fs.statSync(path.join(work, 'dist')).mode & 0o755).toBe(0o755);
  });

  test('a folder holding other files is never replaced', () => {
    fs.writeFileSync(path.join(work, 'dist', 'README.md'), 'mine');
    const res = synth(work, cdk8sApp(''));
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/refusing to replace/);
    expect(fs.readFileSync(path.join(work, 'dist', 'README.md'), 'utf8')).toBe('mine');
  });
});
