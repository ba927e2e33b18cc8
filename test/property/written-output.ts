/**
 * Checks on what `app.synth()` writes to disk: the Argo CD Applications point at the files of their
 * chart, and a refused configuration writes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildApp, type AppSpec } from './spec';
import type { Manifest } from './invariants';

/** Runs `fn` with a fresh temporary folder as the working directory (the root of the user's Git repository). */
export function inTempRepo<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-repo-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn(dir);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function yamlFiles(dir: string, recurse: boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return recurse ? yamlFiles(p, true) : [];
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Every Application's source (path, include) selects exactly the objects of its chart in the written output. */
export function argoPathProblems(spec: AppSpec): string[] {
  if (!spec.argocd) return [];
  return inTempRepo((repo) => {
    const { app } = buildApp(spec);
    app.synth();
    const out: string[] = [];
    const all = yamlFiles(repo, true).flatMap((f) => (yaml.loadAll(fs.readFileSync(f, 'utf8')) as Manifest[]).filter(Boolean));
    const argo = app.charts.find((c) => c.node.id === 'argocd')!;
    const applications = Object.values(argo.toJson()).filter((m: any) => m.kind === 'Application') as Manifest[];
    for (const application of applications) {
      const source = application.spec?.source ?? {};
      const chart = app.charts.find((c) => c.node.id !== 'argocd' && application.metadata.name.startsWith(c.node.id.toLowerCase()));
      const where = `[argocd-path] Application/${application.metadata.name}: source.path ${source.path}`;
      const dir = path.join(repo, source.path ?? '');
      if (!source.path || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        out.push(`${where} is not a folder of the synthesized output (written: ${yamlFiles(repo, true).map((f) => path.relative(repo, f)).join(', ')})`);
        continue;
      }
      const include = source.directory?.include;
      const files = yamlFiles(dir, source.directory?.recurse ?? false).filter((f) => !include || glob(include).test(path.basename(f)));
      const selected = files.flatMap((f) => (yaml.loadAll(fs.readFileSync(f, 'utf8')) as Manifest[]).filter(Boolean));
      const expected = chart ? Object.values(chart.toJson()).length : NaN;
      if (selected.length !== expected) out.push(`${where} (include ${include ?? 'none'}) selects ${selected.length} objects; its chart has ${expected} (of ${all.length} written)`);
    }
    return out;
  });
}

/** Builds and synthesizes into a fresh folder, expecting a throw; reports what was written anyway. */
export function synthExpectingError(spec: AppSpec): { error?: unknown; written: string[] } {
  return inTempRepo((repo) => {
    let error: unknown;
    try {
      // relative, as in the user's repository (an Argo CD chart derives its source folder from it)
      buildApp(spec, 'out').app.synth();
    } catch (e) {
      error = e;
    }
    const written = fs.existsSync(path.join(repo, 'out')) ? yamlFiles(path.join(repo, 'out'), true) : [];
    return { error, written };
  });
}
