/**
 * Runs Prometheus' promtool (`promtool check rules`, `promtool test rules`) from jest.
 *
 * promtool is not installed by `npm ci`: without it the promtool suites are skipped with one notice;
 * CI installs it (.ci/run: Debian package `prometheus`) and sets PROMTOOL_REQUIRED=1, so there a
 * missing promtool fails the run instead.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { describeWithTool } from '../support/optional-tools';

const INSTALL_HINT = 'install it with `apt-get update && apt-get install -y prometheus` (Debian/Ubuntu; .ci/run does this) or put a promtool from a Prometheus release on PATH';

/** Whether promtool is on PATH. */
export function promtoolPresent(): boolean {
  const res = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return !res.error && res.status === 0;
}

/** `describe` for suites that run promtool: skipped with a notice when it is missing, failing when PROMTOOL_REQUIRED=1. */
export function describeWithPromtool(title: string, body: () => void): void {
  describeWithTool(title, { missing: promtoolPresent() ? [] : ['promtool'], requiredEnv: 'PROMTOOL_REQUIRED', hint: INSTALL_HINT }, body);
}

/** The path of promtool. @throws with install instructions when it is missing */
export function promtoolPath(): string {
  const res = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (res.error || res.status !== 0) {
    throw new Error('promtool not found on PATH: the alert tests need it. Install it with '
      + '`apt-get update && apt-get install -y prometheus` (Debian/Ubuntu; .ci/run does this), '
      + `or put a promtool binary from a Prometheus release on PATH. (${res.error?.message ?? res.stderr})`);
  }
  return 'promtool';
}

/** Result of a promtool run. */
export interface PromtoolResult {
  readonly status: number | null;
  /** stdout and stderr together. */
  readonly output: string;
}

/** Runs promtool with arguments in a directory. */
export function runPromtool(args: string[], cwd: string): PromtoolResult {
  const res = spawnSync(promtoolPath(), args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: res.status, output: `${res.stdout ?? ''}${res.stderr ?? ''}` };
}

/** A temporary folder holding one rule file (`rules.yaml`) for promtool. */
export class RuleFileDir {
  public readonly dir: string;
  public readonly rulesFile: string;

  constructor(spec: unknown) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-promtool-'));
    this.rulesFile = path.join(this.dir, 'rules.yaml');
    fs.writeFileSync(this.rulesFile, yaml.dump(spec, { lineWidth: -1, noRefs: true }));
  }

  /** `promtool check rules rules.yaml`. */
  public check(): PromtoolResult {
    return runPromtool(['check', 'rules', 'rules.yaml'], this.dir);
  }

  /** Writes a unit-test file for rules.yaml and runs `promtool test rules` on it. */
  public test(name: string, tests: readonly unknown[], evaluationInterval = '1m'): PromtoolResult {
    const file = `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.test.yaml`;
    const doc = { rule_files: ['rules.yaml'], evaluation_interval: evaluationInterval, tests };
    fs.writeFileSync(path.join(this.dir, file), yaml.dump(doc, { lineWidth: -1, noRefs: true }));
    return runPromtool(['test', 'rules', file], this.dir);
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
