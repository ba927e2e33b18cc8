/**
 * The checks that run in child processes, batched: one validate-k8s run and one promtool run for
 * many Apps (each App is its own input set, so duplicate-object and Service-port checks stay per App).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { runPromtool } from '../monitoring/promtool';
import type { Manifest } from './invariants';

const VALIDATE = path.join(__dirname, '..', 'support', 'validate-k8s.mjs');

/** One App's synthesized output. */
export interface BatchItem {
  readonly yaml: string;
  readonly manifests: readonly Manifest[];
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-property-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const folder = (i: number) => `app-${String(i).padStart(5, '0')}`;

/** Kubernetes 1.28 API validation of every App (test/support/validate-k8s.mjs); problems per App index. */
export function validateK8sBatch(items: readonly BatchItem[]): string[][] {
  const problems: string[][] = items.map(() => []);
  if (!items.length) return problems;
  withTempDir((dir) => {
    items.forEach((it, i) => {
      fs.mkdirSync(path.join(dir, folder(i)));
      fs.writeFileSync(path.join(dir, folder(i), 'app.k8s.yaml'), it.yaml);
    });
    const res = spawnSync(process.execPath, [VALIDATE, dir], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 300_000 });
    if (res.status !== 0 && res.status !== 1) throw new Error(`validate-k8s failed (exit ${res.status ?? res.signal}): ${res.stderr}`);
    for (const line of res.stdout.split('\n')) {
      const m = /app-(\d{5})\/app\.k8s\.yaml(#\d+)?:? (.*)$/.exec(line);
      if (m) problems[Number(m[1])].push(`[k8s] ${m[3]}`);
    }
  });
  return problems;
}

/** `promtool check rules` on every PrometheusRule of every App (one promtool run); problems per App index. @throws when promtool is missing */
export function promtoolBatch(items: readonly BatchItem[]): string[][] {
  const problems: string[][] = items.map(() => []);
  const files: { file: string; app: number; rule: string }[] = [];
  withTempDir((dir) => {
    items.forEach((it, i) => it.manifests.filter((m) => m.kind === 'PrometheusRule').forEach((rule, j) => {
      const file = `${folder(i)}-${j}.yaml`;
      fs.writeFileSync(path.join(dir, file), yaml.dump(rule.spec, { lineWidth: -1, noRefs: true }));
      files.push({ file, app: i, rule: rule.metadata.name });
    }));
    if (!files.length) return;
    const { status, output } = runPromtool(['check', 'rules', ...files.map((f) => f.file)], dir);
    if (status === 0) return;
    // promtool prints "Checking <file>" then SUCCESS or FAILED with the problems, per file
    for (const section of output.split(/^Checking /m).slice(1)) {
      const name = section.split('\n')[0].trim();
      const f = files.find((x) => x.file === name);
      if (f && /FAILED/.test(section)) problems[f.app].push(`[promtool] PrometheusRule/${f.rule}: ${section.split('\n').slice(1).join(' ').trim()}`);
    }
    if (problems.every((p) => !p.length)) throw new Error(`promtool failed without naming a file: ${output}`);
  });
  return problems;
}
