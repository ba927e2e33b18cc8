/**
 * Kubernetes manifest validation for tests.
 *
 * The checks live in validate-k8s.mjs (schemas of kubernetes-models, unknown fields against the
 * Kubernetes 1.28 API, and a subset of the API server's own validation; see the header of that
 * file). the script loads kubernetes-models as ESM while jest runs CommonJS, so the script runs in a child Node
 * process: one process per call, so validate a whole chart at once rather than object by object.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

export interface K8sValidationResult {
  /** Number of objects checked. */
  readonly checked: number;
  /** One entry per problem: `<Kind>/<name>: <path>: <message>`. Empty when every object is valid. */
  readonly errors: string[];
}

const SCRIPT = path.join(__dirname, 'validate-k8s.mjs');

function run(args: string[], input?: string): K8sValidationResult {
  const res = spawnSync(process.execPath, [SCRIPT, '--json', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (res.error) throw new Error(`validate-k8s: cannot run ${SCRIPT}: ${res.error.message}`);
  // exit 0: valid, 1: problems found (both print the JSON result); anything else is a failure of the check itself
  if (res.status !== 0 && res.status !== 1) {
    throw new Error(`validate-k8s failed (exit ${res.status ?? res.signal}): ${res.stderr || res.stdout}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.stdout);
  } catch {
    throw new Error(`validate-k8s printed no JSON result: ${res.stdout}\n${res.stderr}`);
  }
  const r = parsed as Partial<K8sValidationResult>;
  if (typeof r.checked !== 'number' || !Array.isArray(r.errors)) {
    throw new Error(`validate-k8s printed an unexpected result: ${res.stdout}`);
  }
  return { checked: r.checked, errors: r.errors };
}

/** Validates manifests (plain JSON objects as returned by cdk8s Testing.synth or parsed YAML) in a child process. */
export function validateK8sManifests(manifests: readonly unknown[]): K8sValidationResult {
  return run([], JSON.stringify(manifests));
}

/** Validates every YAML file below a directory (e.g. dist/). Throws if the directory has no YAML file. */
export function validateK8sDirectory(dir: string): K8sValidationResult {
  return run([path.resolve(dir)]);
}
