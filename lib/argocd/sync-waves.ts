import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The annotation Argo CD orders a sync by: lower waves are applied (and must be healthy) first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync waves `applySyncWaves` uses. Argo CD applies one wave at a time and
 * waits for its objects to be healthy before the next; objects without the
 * annotation are in wave 0. Inside a wave Argo CD orders by kind itself
 * (Namespace, ..., ConfigMap, ..., Service, ..., Deployment).
 */
export enum SyncWave {
  /** Namespaces, CRDs, AppProjects, StorageClasses, PriorityClasses. */
  PREREQUISITES = -1,
  /** ConfigMaps, Secrets, ServiceAccounts, RBAC, PVCs, NetworkPolicies. */
  CONFIGURATION = 0,
  /** Workloads and their Services, PodDisruptionBudgets, autoscalers, Ingresses and Gateway API routes. */
  WORKLOADS = 1,
  /** PrometheusRules, ServiceMonitors, PodMonitors, Grafana custom resources: applied once Tempo is healthy. */
  MONITORING = 2,
}

const KINDS: Record<SyncWave, readonly string[]> = {
  [SyncWave.PREREQUISITES]: ['Namespace', 'CustomResourceDefinition', 'AppProject', 'StorageClass', 'PriorityClass'],
  [SyncWave.CONFIGURATION]: [
    'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding',
    'PersistentVolumeClaim', 'NetworkPolicy', 'LimitRange', 'ResourceQuota',
  ],
  [SyncWave.WORKLOADS]: [
    'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodDisruptionBudget',
    'HorizontalPodAutoscaler', 'Ingress', 'HTTPRoute', 'GRPCRoute',
  ],
  [SyncWave.MONITORING]: [
    'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'GrafanaDatasource', 'GrafanaDashboard', 'GrafanaFolder',
    'GrafanaAlertRuleGroup',
  ],
};

/** Sync wave of each kind by default (`SyncWave`); kinds not listed get no annotation. */
export const DEFAULT_SYNC_WAVES: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(Object.entries(KINDS).flatMap(([wave, kinds]) => kinds.map((kind) => [kind, Number(wave)]))),
);

/** Options of `applySyncWaves`. */
export interface SyncWaveOptions {
  /**
   * Waves per kind, merged over `DEFAULT_SYNC_WAVES` (e.g. `{ Job: 2 }`).
   * @default DEFAULT_SYNC_WAVES
   */
  readonly waves?: Readonly<Record<string, number>>;
  /**
   * Wave of the kinds that neither `waves` nor the defaults list.
   * @default no annotation (Argo CD's wave 0)
   */
  readonly defaultWave?: number;
  /**
   * Replace a sync-wave annotation an object already has (set by hand with
   * `ApiObject.of(x).metadata.addAnnotation`, or by another call).
   * @default false: an existing annotation wins
   */
  readonly overwrite?: boolean;
}

/** The wave of a kind under `options`, or undefined when the kind gets no annotation. */
export function syncWaveOf(kind: string, options: SyncWaveOptions = {}): number | undefined {
  return options.waves?.[kind] ?? DEFAULT_SYNC_WAVES[kind] ?? options.defaultWave;
}

function optionErrors(options: SyncWaveOptions): string[] {
  const errors: string[] = [];
  for (const [kind, wave] of Object.entries(options.waves ?? {})) {
    if (!Number.isInteger(wave)) errors.push(`waves.${kind}: ${wave} is invalid; allowed: an integer (negative waves come first)`);
  }
  if (options.defaultWave !== undefined && !Number.isInteger(options.defaultWave)) {
    errors.push(`defaultWave: ${options.defaultWave} is invalid; allowed: an integer`);
  }
  return errors;
}

/** Annotates every ApiObject below `scope` with its wave now; returns how many objects were annotated. */
function annotate(scope: IConstruct, options: SyncWaveOptions): number {
  let count = 0;
  for (const c of scope.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const wave = syncWaveOf(c.kind, options);
    if (wave === undefined) continue;
    if (!options.overwrite && c.metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION] !== undefined) continue;
    c.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
    count++;
  }
  return count;
}

/**
 * Adds the `argocd.argoproj.io/sync-wave` annotation to every Kubernetes
 * object below `scope` (a chart, the app, or one construct), by kind:
 * configuration first (wave 0; Namespaces and CRDs -1), workloads and
 * Services next (1), monitoring last (2). See `SyncWave`.
 *
 * Opt-in: call it once per scope, before `app.synth()`. The annotation is
 * applied when the app is synthesized (also by `Testing.synth`), so objects
 * added to `scope` after this call are annotated too. An annotation already
 * present is kept unless `overwrite` is set. Plain `kubectl apply` ignores the
 * annotation, so the manifests stay usable without Argo CD.
 */
export function applySyncWaves(scope: IConstruct, options: SyncWaveOptions = {}): void {
  const errors = optionErrors(options);
  if (errors.length) throw new Error(`applySyncWaves(${scope.node.path || '<app>'}):\n  ${errors.join('\n  ')}`);
  // cdk8s runs every construct's validations right before rendering (App.synth, Testing.synth):
  // annotating there reaches objects added after this call. It never reports an error.
  scope.node.addValidation({ validate: () => (annotate(scope, options), []) });
}
