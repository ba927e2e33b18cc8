import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * One object per identity in the whole App. Kubernetes (and `kubectl apply`, Argo CD) keep one object per
 * group/kind/namespace/name, and cdk8s' file-per-resource layouts one file per kind/name: a second object with
 * the same identity silently replaces the first. Every cdk8s-tempo construct records here which of its
 * options names each object it creates; one validation per App (registered by the first record) walks every
 * ApiObject of the App, the user's own included, and fails the synth, before anything is written, naming both
 * construct paths and those options.
 */

const nameOptions = new WeakMap<ApiObject, string>();
const guardedApps = new WeakSet<IConstruct>();

// Kinds without a namespace: cdk8s stamps the chart's namespace on them too, Kubernetes ignores it.
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'CustomResourceDefinition',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'APIService', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ClusterIssuer',
]);

/**
 * Records that `option` (as the user writes it, e.g. `TempoDatasource.uid`) sets the name of `obj`, and makes
 * sure the App checks that no two objects share an identity. A later record replaces an earlier one, so the
 * outermost construct (the one the user configured) has the last word.
 */
export function recordNameOption(obj: ApiObject, option: string): void {
  nameOptions.set(obj, option);
  requireUniqueObjects(obj);
}

/** Records `option` for every ApiObject below `scope` that has no record yet. */
export function recordNameOptionBelow(scope: IConstruct, option: string): void {
  for (const c of scope.node.findAll()) if (c instanceof ApiObject && !nameOptions.has(c)) recordNameOption(c, option);
}

/** Registers the App-wide duplicate check once per App (idempotent). */
export function requireUniqueObjects(scope: IConstruct): void {
  const root = scope.node.root;
  if (guardedApps.has(root)) return;
  guardedApps.add(root);
  root.node.addValidation({ validate: () => duplicateObjectErrors(root) });
}

/** The namespace an object is deployed to, as cdk8s resolves it (metadata, else the chart's); none for cluster-scoped kinds. */
export function namespaceOf(obj: ApiObject): string | undefined {
  return CLUSTER_SCOPED.has(obj.kind) ? undefined : obj.metadata.namespace ?? Chart.of(obj).namespace;
}

/** Error messages for every pair of objects below `root` with one identity or one output file. */
export function duplicateObjectErrors(root: IConstruct): string[] {
  const objects = root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const app = root instanceof App ? root : undefined;
  const seen = new Map<string, ApiObject>();
  const files = new Map<string, ApiObject>();
  const errors: string[] = [];
  const describe = (o: ApiObject) => `${o.node.path} (name from ${nameOptions.get(o) ?? 'its metadata.name'})`;
  for (const obj of objects) {
    const ns = namespaceOf(obj);
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const what = `${obj.kind} "${obj.name}"${ns ? ` in namespace "${ns}"` : ''}`;
    const key = JSON.stringify([group, obj.kind, ns ?? '', obj.name]);
    const first = seen.get(key);
    if (first) {
      errors.push(`two objects are ${what}, the second would replace the first: ${describe(first)} and ${describe(obj)}; allowed: a different name through one of those options`);
      continue;
    }
    seen.set(key, obj);
    const file = app && outputFile(app, obj);
    const sameFile = file !== undefined ? files.get(file) : undefined;
    if (file !== undefined && sameFile) {
      errors.push(`two objects are written to the same file ${file} (${YamlOutputType[app!.yamlOutputType]} names files <kind>.<name>), the second would replace the first: ${describe(sameFile)} and ${describe(obj)}; allowed: a different name through one of those options, or YamlOutputType.FILE_PER_CHART`);
    } else if (file !== undefined) files.set(file, obj);
  }
  // Two stacks with one name collide on every object: the first few say it all.
  return errors.length > MAX_REPORTED ? [...errors.slice(0, MAX_REPORTED), `... and ${errors.length - MAX_REPORTED} more objects like these`] : errors;
}

const MAX_REPORTED = 5;

/** The file cdk8s writes an object to when the layout has one file per object; undefined otherwise. */
function outputFile(app: App, obj: ApiObject): string | undefined {
  const base = `${obj.kind}.${obj.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + app.outputFileExtension;
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_RESOURCE: return base;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: return `${Names.toDnsLabel(Chart.of(obj))}/${base}`;
    default: return undefined;
  }
}
