import { Chart, Duration, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, ApplicationSpecSyncPolicy } from '../../imports/application-argoproj.io';
import { AppProject } from '../../imports/appproject-argoproj.io';
import { goDuration } from '../config/units';
import { labelErrors } from '../k8s/labels';
import { recordNameOption } from '../k8s/unique-objects';
import { urlCredentialErrors } from '../config/owned-keys';

/** The cluster Argo CD runs in, as Argo CD names it. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** The namespace of a default Argo CD installation. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

/** Automated sync of an Argo CD Application (`spec.syncPolicy.automated`). */
export interface ArgoAutomatedSync {
  /** Delete objects that are no longer in Git. @default true */
  readonly prune?: boolean;
  /** Revert changes made in the cluster outside Git. @default true */
  readonly selfHeal?: boolean;
  /** Allow a sync that would leave the Application without any object. @default false */
  readonly allowEmpty?: boolean;
}

/** Retries of a failed sync (`spec.syncPolicy.retry`). */
export interface ArgoSyncRetry {
  /** Number of retries; 0 disables them. @default 5 */
  readonly limit?: number;
  /** First backoff. @default Duration.seconds(5) */
  readonly backoff?: Duration;
  /** Factor applied to the backoff after each retry. @default 2 */
  readonly factor?: number;
  /** Longest backoff. @default Duration.minutes(3) */
  readonly maxBackoff?: Duration;
}

/** Sync settings shared by `TempoArgoApplication` and `TempoArgoCdChart`. */
export interface TempoArgoApplicationOptions {
  /** Git revision (branch, tag or commit) Argo CD deploys. @default 'HEAD' */
  readonly targetRevision?: string;
  /**
   * API server URL of the destination cluster.
   * @default IN_CLUSTER_SERVER ('https://kubernetes.default.svc'), unless `destinationName` is given
   */
  readonly destinationServer?: string;
  /** Name of the destination cluster as registered in Argo CD, instead of `destinationServer`. @default none */
  readonly destinationName?: string;
  /**
   * Sync automatically when Git changes. Without it, someone presses Sync
   * (a deliberate step before, say, an ingester StatefulSet change).
   * @default manual sync
   */
  readonly automated?: ArgoAutomatedSync;
  /** `CreateNamespace=true`: Argo CD creates the destination namespace. @default true */
  readonly createNamespace?: boolean;
  /**
   * `ServerSideApply=true`: objects are applied server-side (no
   * last-applied-configuration annotation, which large ConfigMaps such as
   * tempo.yaml with many overrides can push over the 256 KiB limit).
   * @default true
   */
  readonly serverSideApply?: boolean;
  /** More sync options, e.g. `PruneLast=true`, `ApplyOutOfSyncOnly=true`. @default none */
  readonly syncOptions?: readonly string[];
  /** Retries of a failed sync. @default 5 retries, backoff 5s doubling up to 3m */
  readonly retry?: ArgoSyncRetry;
  /**
   * Files of the source folder Argo CD reads (`spec.source.directory.include`).
   * The default keeps anything else that lands in the folder (e.g. cdk8s'
   * `construct-metadata.json`) out of the sync.
   * @default '*.yaml'
   */
  readonly include?: string;
  /**
   * Delete the deployed objects when the Application is deleted (the
   * `resources-finalizer.argocd.argoproj.io` finalizer). The ingesters'
   * PVCs survive: Argo CD does not track them, and StatefulSets keep their
   * claims on deletion (`persistentVolumeClaimRetentionPolicy` Retain).
   * @default false: deleting the Application leaves Tempo running
   */
  readonly cascadeDelete?: boolean;
  /** Labels of the Application (and AppProject). @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What an AppProject created for Tempo allows. */
export interface TempoArgoProjectOptions {
  /**
   * Free text shown in Argo CD. (The kubernetes-models 4.0 schemas of Argo CD
   * used by some offline validators do not know this field.)
   * @default none
   */
  readonly description?: string;
  /** Repositories the project may deploy from. @default the Application's `repoUrl` */
  readonly sourceRepos?: readonly string[];
  /**
   * Cluster-scoped kinds the project may manage, as `{ group, kind }` (core group: '').
   * @default Namespace only when `createNamespace` (Argo CD needs it to create the namespace), otherwise none
   */
  readonly clusterResourceWhitelist?: readonly ArgoResourceKind[];
}

/** A Kubernetes kind as an AppProject lists it. */
export interface ArgoResourceKind {
  /** API group; '' for the core group. */
  readonly group: string;
  /** Kind, e.g. `Namespace`. */
  readonly kind: string;
}

/** A destination an AppProject allows. */
export interface ArgoDestination {
  /** Namespace the Applications may deploy to. */
  readonly namespace: string;
  /** @default IN_CLUSTER_SERVER unless `name` is given */
  readonly server?: string;
  /** Cluster name registered in Argo CD. @default none */
  readonly name?: string;
}

/** Options of `TempoArgoProject`. */
export interface TempoArgoProjectProps extends TempoArgoProjectOptions {
  /** AppProject name. */
  readonly name: string;
  /** Namespace of Argo CD. @default the chart's namespace, or 'argocd' without one */
  readonly namespace?: string;
  /** Where the project's Applications may deploy. */
  readonly destinations: readonly ArgoDestination[];
  /** Repositories the project may deploy from (required here; `TempoArgoApplication` fills it in). */
  readonly sourceRepos: readonly string[];
  /** Labels of the AppProject. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options of `TempoArgoApplication`. */
export interface TempoArgoApplicationProps extends TempoArgoApplicationOptions {
  /** Application name (unique in Argo CD's namespace). @default 'tempo' */
  readonly name?: string;
  /** Namespace of Argo CD, where the Application (and AppProject) live. @default the chart's namespace, or 'argocd' without one */
  readonly namespace?: string;
  /** Git repository holding the synthesized manifests (https or ssh URL). */
  readonly repoUrl: string;
  /**
   * Folder of the repository holding one chart's synthesized manifests, e.g.
   * `dist/tempo-distributed` (`TempoArgoApplication.pathOf(chart)`).
   */
  readonly path: string;
  /**
   * Namespace the manifests are deployed to: created by Argo CD with
   * `createNamespace`, and used for objects that carry none.
   */
  readonly destinationNamespace: string;
  /**
   * AppProject of the Application.
   * @default 'default', or the Application's name when `appProject` is given
   */
  readonly project?: string;
  /**
   * Emit an AppProject (named `project`) that allows exactly this
   * Application's repository and destination, instead of using an existing one.
   * @default none: the project must exist
   */
  readonly appProject?: TempoArgoProjectOptions;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const REPO_URL = /^(https?:\/\/\S+|ssh:\/\/\S+|[\w.-]+@[\w.-]+:\S+|file:\/\/\S+)$/;
const SYNC_OPTION = /^[A-Za-z]+=\S+$/;

/** Argo CD's duration format (`5s`, `3m`, `1h30m`). */
function nameErrors(option: string, value: string | undefined, label: boolean): string[] {
  if (value === undefined) return [];
  const ok = label ? DNS_LABEL.test(value) && value.length <= 63 : DNS_SUBDOMAIN.test(value) && value.length <= 253;
  return ok ? [] : [`${option}: "${value}" is invalid; allowed: a DNS-1123 ${label ? 'label (at most 63' : 'subdomain (at most 253'} characters of [a-z0-9-], starting and ending alphanumeric)`];
}

function destinationErrors(option: string, server: string | undefined, name: string | undefined): string[] {
  const errors: string[] = [];
  if (server !== undefined && name !== undefined) errors.push(`${option}: give destinationServer or destinationName, not both`);
  if (server !== undefined && !/^https?:\/\/\S+$/.test(server)) errors.push(`${option}Server: "${server}" is invalid; allowed: the API server URL, e.g. ${IN_CLUSTER_SERVER}`);
  if (name !== undefined && !name.trim()) errors.push(`${option}Name: must not be empty`);
  return errors;
}

/** Errors of the shared sync settings. */
function optionErrors(o: TempoArgoApplicationOptions): string[] {
  const errors: string[] = [];
  if (o.targetRevision !== undefined && !/^\S+$/.test(o.targetRevision)) errors.push(`targetRevision: "${o.targetRevision}" is invalid; allowed: a branch, tag or commit (e.g. HEAD, main, v1.2.0)`);
  errors.push(...destinationErrors('destination', o.destinationServer, o.destinationName));
  for (const opt of o.syncOptions ?? []) {
    if (!SYNC_OPTION.test(opt)) errors.push(`syncOptions: "${opt}" is invalid; allowed: Name=value, e.g. PruneLast=true`);
  }
  const r = o.retry;
  if (r?.limit !== undefined && (!Number.isInteger(r.limit) || r.limit < 0)) errors.push(`retry.limit: ${r.limit} is invalid; allowed: an integer >= 0`);
  if (r?.factor !== undefined && (!Number.isInteger(r.factor) || r.factor < 1)) errors.push(`retry.factor: ${r.factor} is invalid; allowed: an integer >= 1`);
  for (const [key, d] of [['backoff', r?.backoff], ['maxBackoff', r?.maxBackoff]] as const) {
    const ms = d?.toMilliseconds();
    if (ms !== undefined && (ms < 1000 || ms % 1000 !== 0)) errors.push(`retry.${key}: ${ms / 1000}s is invalid; allowed: whole seconds, at least 1`);
  }
  if (o.include !== undefined && !isLazy(o.include) && !o.include.trim()) errors.push('include: must not be empty; allowed: a glob such as *.yaml or {*.yaml,*.yml}');
  errors.push(...labelErrors('labels', o.labels));
  return errors;
}

/** `spec.syncPolicy` from the shared settings (none when every part is off). */
function syncPolicy(o: TempoArgoApplicationOptions): ApplicationSpecSyncPolicy | undefined {
  const syncOptions = [
    ...((o.createNamespace ?? true) ? ['CreateNamespace=true'] : []),
    ...((o.serverSideApply ?? true) ? ['ServerSideApply=true'] : []),
    ...(o.syncOptions ?? []),
  ];
  const retry = o.retry ?? {};
  const limit = retry.limit ?? 5;
  const policy: ApplicationSpecSyncPolicy = {
    automated: o.automated
      ? { prune: o.automated.prune ?? true, selfHeal: o.automated.selfHeal ?? true, allowEmpty: o.automated.allowEmpty ?? false }
      : undefined,
    syncOptions: syncOptions.length ? syncOptions : undefined,
    retry: limit > 0
      ? {
        limit,
        backoff: {
          duration: goDuration(retry.backoff ?? Duration.seconds(5)),
          factor: retry.factor ?? 2,
          maxDuration: goDuration(retry.maxBackoff ?? Duration.minutes(3)),
        },
      }
      : undefined,
  };
  return policy.automated || policy.syncOptions || policy.retry ? policy : undefined;
}

// TempoArgoCdChart passes what depends on the whole App (source, destinations) as a Lazy, checked and
// resolved at synth time; everything given directly is checked here.
function isLazy(value: unknown): value is Lazy {
  return value instanceof Lazy;
}

function renderDestination(d: ArgoDestination) {
  return { namespace: d.namespace, ...(d.name !== undefined ? { name: d.name } : { server: d.server ?? IN_CLUSTER_SERVER }) };
}

function argoNamespaceOf(scope: Construct, namespace: string | undefined): string {
  return namespace ?? Chart.of(scope).namespace ?? DEFAULT_ARGOCD_NAMESPACE;
}

/**
 * An Argo CD AppProject: which repositories its Applications may deploy
 * from, to which destinations, and which cluster-scoped kinds they may manage.
 */
export class TempoArgoProject extends Construct {
  /** AppProject name. */
  public readonly name: string;
  /** The AppProject object. */
  public readonly appProject: AppProject;

  constructor(scope: Construct, id: string, props: TempoArgoProjectProps) {
    super(scope, id);
    const namespace = argoNamespaceOf(this, props.namespace);
    const errors = [
      ...nameErrors('name', props.name, false),
      ...nameErrors('namespace', namespace, true),
      ...labelErrors('labels', props.labels),
    ];
    if (!props.sourceRepos.length) errors.push('sourceRepos: must list at least one repository URL');
    const destinations = isLazy(props.destinations) ? [] : props.destinations;
    if (!isLazy(props.destinations) && !destinations.length) errors.push('destinations: must list at least one destination');
    destinations.forEach((d, i) => {
      errors.push(...nameErrors(`destinations[${i}].namespace`, d.namespace, true));
      errors.push(...destinationErrors(`destinations[${i}].destination`, d.server, d.name));
    });
    if (errors.length) throw new Error(`TempoArgoProject "${props.name}":\n  ${errors.join('\n  ')}`);

    this.name = props.name;
    this.appProject = new AppProject(this, 'Resource', {
      metadata: { name: props.name, namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        destinations: isLazy(props.destinations)
          ? Lazy.any({ produce: () => (props.destinations as unknown as Lazy).produce().map(renderDestination) }) as any
          : destinations.map(renderDestination),
        clusterResourceWhitelist: props.clusterResourceWhitelist?.length
          ? props.clusterResourceWhitelist.map((k) => ({ group: k.group, kind: k.kind }))
          : undefined,
      },
    });
    recordNameOption(this.appProject, 'TempoArgoProject.name');
  }
}

/**
 * An Argo CD Application that deploys one folder of synthesized manifests
 * (a chart of this app, committed to Git) and, optionally, the AppProject
 * it belongs to.
 *
 * Defaults: source directory `include: '*.yaml'`, sync options
 * `CreateNamespace=true` and `ServerSideApply=true`, manual sync (pass
 * `automated` for prune and self-heal), 5 retries with backoff, no
 * cascading-delete finalizer. Pair it with `applySyncWaves(chart)` on the
 * deployed chart so configuration is applied before workloads and monitoring
 * last.
 */
export class TempoArgoApplication extends Construct {
  /**
   * Folder of a chart's manifests when the app is synthesized with
   * `YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE` into `outdir`
   * (a path relative to the repository root).
   *
   * Valid while no chart depends on another: cdk8s then numbers the folders
   * (`0000-<chart>`).
   */
  public static pathOf(chart: Chart, outdir = 'dist'): string {
    return `${outdir.replace(/\/+$/, '')}/${chartFolder(chart)}`;
  }

  /** Application name. */
  public readonly name: string;
  /** Name of the AppProject the Application belongs to. */
  public readonly projectName: string;
  /** The Application object. */
  public readonly application: Application;
  /** The AppProject, when `appProject` is given. */
  public readonly project?: TempoArgoProject;

  constructor(scope: Construct, id: string, props: TempoArgoApplicationProps) {
    super(scope, id);
    const name = props.name ?? 'tempo';
    const namespace = argoNamespaceOf(this, props.namespace);
    const projectName = props.project ?? (props.appProject ? name : 'default');
    const errors = [
      ...nameErrors('name', name, false),
      ...nameErrors('namespace', namespace, true),
      ...nameErrors('project', projectName, false),
      ...nameErrors('destinationNamespace', props.destinationNamespace, true),
      ...optionErrors(props),
    ];
    if (!REPO_URL.test(props.repoUrl)) errors.push(`repoUrl: "${props.repoUrl}" is invalid; allowed: a Git URL (https://host/org/repo.git or git@host:org/repo.git)`);
    else errors.push(...urlCredentialErrors('repoUrl', props.repoUrl).map((e) => `${e} (Argo CD reads repository credentials from its repository Secrets)`));
    if (!isLazy(props.path) && (!props.path || props.path.startsWith('/') || props.path.split('/').includes('..'))) {
      errors.push(`path: "${props.path}" is invalid; allowed: a folder relative to the repository root, without '..' (e.g. dist/tempo-distributed)`);
    }
    if (errors.length) throw new Error(`TempoArgoApplication "${name}":\n  ${errors.join('\n  ')}`);

    this.name = name;
    this.projectName = projectName;
    const destination = props.destinationName !== undefined
      ? { name: props.destinationName, namespace: props.destinationNamespace }
      : { server: props.destinationServer ?? IN_CLUSTER_SERVER, namespace: props.destinationNamespace };
    const labels = props.labels ? { ...props.labels } : undefined;

    if (props.appProject) {
      this.project = new TempoArgoProject(this, 'Project', {
        name: projectName,
        namespace,
        description: props.appProject.description,
        sourceRepos: props.appProject.sourceRepos ?? [props.repoUrl],
        destinations: [destination],
        clusterResourceWhitelist: props.appProject.clusterResourceWhitelist
          ?? ((props.createNamespace ?? true) ? [{ group: '', kind: 'Namespace' }] : []),
        labels,
      });
    }

    this.application = new Application(this, 'Resource', {
      metadata: {
        name,
        namespace,
        labels,
        finalizers: props.cascadeDelete ? ['resources-finalizer.argocd.argoproj.io'] : undefined,
      },
      spec: {
        project: projectName,
        source: {
          repoUrl: props.repoUrl,
          path: isLazy(props.path) ? props.path : props.path.replace(/\/+$/, ''),
          targetRevision: props.targetRevision ?? 'HEAD',
          directory: { include: props.include ?? '*.yaml' },
        },
        destination,
        syncPolicy: syncPolicy(props),
      },
    });
    recordNameOption(this.application, 'TempoArgoApplication.name');
  }
}

/**
 * The folder cdk8s writes a chart to with `YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE`
 * while no chart depends on another (the chart id when it is a DNS label, else a hashed form).
 */
export function chartFolder(chart: Chart): string {
  return Names.toDnsLabel(chart);
}
