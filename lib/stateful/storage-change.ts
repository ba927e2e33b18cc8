import { Construct } from 'constructs';
import { k8s } from '../k8s/plus';
import { LabelKeys } from '../k8s/labels';
import { serviceAccountWithRole } from '../k8s/rbac';
import type { Size } from 'cdk8s';
import { sizeQuantity } from '../config/units';
import { dataClaimTemplate, podTemplate } from '../k8s/workload';
import { ClaimTemplateSummary, claimTemplateSummary, DeployedManifests } from './deployed-manifests';

/** How a changed volume claim template (size, StorageClass) is applied; the API server refuses to change one in place. */
export enum StorageChange {
  /**
   * Grow the existing claims (size increases only; the StorageClass must have
   * `allowVolumeExpansion`): an Argo CD PreSync Job patches each claim's size,
   * then deletes the StatefulSet with `--cascade=orphan` (pods keep running),
   * and the sync creates it again with the new template, adopting the pods. No data is lost.
   */
  EXPAND = 'expand',
  /**
   * New empty claims: an Argo CD PreSync Job deletes the StatefulSet (its pods
   * stop with their grace period: ingesters flush, see the README) and its
   * claims; the sync creates it again. The component is down until its new pods are ready.
   */
  RECREATE = 'recreate',
}

/** What happens to a StatefulSet's claims (`persistentVolumeClaimRetentionPolicy`). */
export enum ClaimRetention {
  /** Keep the claims (Kubernetes' default). */
  RETAIN = 'Retain',
  /** Delete the claims. */
  DELETE = 'Delete',
}

/** `persistentVolumeClaimRetentionPolicy` of a StatefulSet (Kubernetes 1.27+, beta; GA in 1.32). */
export interface ClaimRetentionPolicy {
  /** When the StatefulSet is deleted. @default ClaimRetention.RETAIN */
  readonly whenDeleted?: ClaimRetention;
  /** When the StatefulSet is scaled down (the claims of the removed ordinals). @default ClaimRetention.RETAIN */
  readonly whenScaled?: ClaimRetention;
}

/** Options of a component whose StatefulSet has volume claim templates. */
export interface StatefulStorageProps {
  /**
   * How a change of the claim templates (`storageSize`, `storageClassName`) against the deployed manifests
   * (`storageChanges.deployedManifests`) is applied. Without it such a change fails the synth and names the choices.
   * @default none: a change is an error
   */
  readonly storageChange?: StorageChange;
  /**
   * What happens to the claims when the StatefulSet is deleted or scaled down.
   * @default not emitted: Kubernetes' Retain/Retain
   */
  readonly persistentVolumeClaimRetentionPolicy?: ClaimRetentionPolicy;
}

/** Where a `TempoDistributed` finds what was deployed, and how it applies a claim template change. */
export interface StorageChangeOptions {
  /**
   * The manifests deployed last, compared with the claim templates being synthesized.
   * @default `DeployedManifests.fromGit(<App outdir>)` when the App's `outdir` is relative (the cdk8s CLI's
   * `dist`); none when it is absolute (`Testing.app()`, a staging folder: pass it explicitly)
   */
  readonly deployedManifests?: DeployedManifests;
  /** Image of the PreSync Job (needs `sh` and `kubectl`). @default STORAGE_CHANGE_IMAGE */
  readonly jobImage?: string;
}

/** Default image of the storage-change Job: kubectl 1.28 with a shell. */
export const STORAGE_CHANGE_IMAGE = 'alpine/k8s:1.28.14';

/** The `data` claim template the components emit, summarized; undefined for an invalid size (reported by its own rule). */
export function dataClaims(size: Size, storageClassName: string | undefined): ClaimTemplateSummary[] | undefined {
  try {
    return [claimTemplateSummary(dataClaimTemplate({}, sizeQuantity(size), storageClassName))];
  } catch {
    return undefined;
  }
}

/** One StatefulSet's claim templates as they will be synthesized. */
export interface PlannedClaims {
  /** Option path of the component (`ingester`, `liveStore`, ...). */
  readonly option: string;
  /** StatefulSet name. */
  readonly statefulSet: string;
  /** Its claim templates. */
  readonly claims: readonly ClaimTemplateSummary[];
  /** The user's choice for a change. */
  readonly choice?: StorageChange;
  /** Why RECREATE would lose data, when it would. @default it does not */
  readonly recreateLoss?: string;
}

/** A StatefulSet whose claim templates change, and how. */
export interface ClaimChange {
  /** Option path of the component. */
  readonly option: string;
  /** StatefulSet name. */
  readonly statefulSet: string;
  /** How the change is applied. */
  readonly choice: StorageChange;
  /** The new claim templates. */
  readonly claims: readonly ClaimTemplateSummary[];
}

const UNITS: Record<string, number> = { '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60 };

/** Bytes of a Kubernetes quantity, or undefined when it is not one. */
export function quantityBytes(q: string | undefined): number | undefined {
  const m = q === undefined ? null : /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q.trim());
  return m ? Number(m[1]) * UNITS[m[2] ?? ''] : undefined;
}

const sameStorage = (a?: string, b?: string) => a === b || (quantityBytes(a) !== undefined && quantityBytes(a) === quantityBytes(b));
const show = (v: string | undefined) => v === undefined ? 'the default StorageClass' : `"${v}"`;

/**
 * Compares the planned claim templates with the deployed ones. A change without a choice, or with a choice
 * that cannot apply it, is an error naming the option, the old and new values and the choices.
 */
export function claimChanges(planned: readonly PlannedClaims[], deployed: DeployedManifests, namespace: string | undefined, jobName: string): { errors: string[]; changes: ClaimChange[] } {
  // The committed output still has the Job (Argo CD may not have run it yet): keep it while the choice is set.
  const pending = deployed.has('Job', jobName, namespace);
  // One message per option and difference, naming every StatefulSet it concerns (e.g. each zone).
  const messages = new Map<string, { readonly head: string; readonly tail: string; readonly statefulSets: string[] }>();
  const add = (head: string, tail: string, statefulSet: string) => {
    const m = messages.get(head + tail) ?? { head, tail, statefulSets: [] };
    m.statefulSets.push(statefulSet);
    messages.set(head + tail, m);
  };
  const changes: ClaimChange[] = [];
  const immutable = `volumeClaimTemplates cannot change in place (the API server rejects the StatefulSet)`;
  for (const p of planned) {
    const before = deployed.statefulSet(p.statefulSet, namespace);
    if (!before) continue; // first deployment
    const o = p.option;
    const at = (key: string) => optionPath(o, key);
    const problems: { option: string; text: string; expandable: boolean; shrink?: boolean }[] = [];
    const names = (l: readonly ClaimTemplateSummary[]) => l.map((c) => c.name).sort().join(', ') || 'none';
    if (names(before.claimTemplates) !== names(p.claims)) {
      problems.push({ option: o || 'volumeClaimTemplates', text: `claim templates ${names(before.claimTemplates)}, now ${names(p.claims)}`, expandable: false });
    } else {
      for (const c of p.claims) {
        const b = before.claimTemplates.find((x) => x.name === c.name)!;
        if (!sameStorage(b.storage, c.storage)) {
          const shrink = (quantityBytes(c.storage) ?? 0) < (quantityBytes(b.storage) ?? 0);
          problems.push({ option: at('storageSize'), text: `claim "${c.name}" requests ${b.storage}, now ${c.storage}`, expandable: !shrink, shrink });
        }
        if (b.storageClassName !== c.storageClassName) {
          problems.push({ option: at('storageClassName'), text: `claim "${c.name}" uses ${show(b.storageClassName)}, now ${show(c.storageClassName)}`, expandable: false });
        }
        if (b.accessModes.join() !== c.accessModes.join()) {
          problems.push({ option: o || 'volumeClaimTemplates', text: `claim "${c.name}" has access modes ${b.accessModes.join(', ')}, now ${c.accessModes.join(', ')}`, expandable: false });
        }
      }
    }
    if (!problems.length) {
      if (pending && p.choice !== undefined) changes.push({ option: o, statefulSet: p.statefulSet, choice: p.choice, claims: p.claims });
      continue;
    }
    const where = ` as deployed (${deployed.source})`;
    if (p.choice === undefined) {
      for (const pr of problems) {
        const expand = pr.expandable ? 'StorageChange.EXPAND (grow the existing claims, no data lost; the StorageClass must allow volume expansion) or ' : '';
        add(`${pr.option}: `, `${where}: ${pr.text}; ${immutable}; allowed: ${at('storageChange')}: ${expand}StorageChange.RECREATE (the StatefulSet and its claims are deleted before the sync: new empty volumes), or the deployed value`, p.statefulSet);
      }
      continue;
    }
    const refused = p.choice === StorageChange.EXPAND ? problems.filter((pr) => !pr.expandable) : [];
    for (const pr of refused) {
      add(`${at('storageChange')}: StorageChange.EXPAND only grows claims, but `, `${where}: ${pr.text}${pr.shrink ? ' (smaller)' : ''}; allowed: StorageChange.RECREATE, or the deployed value of ${pr.option}`, p.statefulSet);
    }
    if (refused.length) continue;
    if (p.choice === StorageChange.RECREATE && p.recreateLoss) {
      add(`${at('storageChange')}: StorageChange.RECREATE deletes the volumes of `, `, but ${p.recreateLoss}`, p.statefulSet);
      continue;
    }
    changes.push({ option: o, statefulSet: p.statefulSet, choice: p.choice, claims: p.claims });
  }
  const errors = [...messages.values()].map((m) => `${m.head}StatefulSet${m.statefulSets.length > 1 ? 's' : ''} ${m.statefulSets.join(', ')}${m.tail}`);
  return { errors, changes };
}

/** `option.key`, or `key` for top-level options (`TempoMonolithic`). */
const optionPath = (option: string, key: string) => option ? `${option}.${key}` : key;

/** Errors of the choice itself (plain JavaScript may pass anything). */
export function storageChangeErrors(option: string, props: StatefulStorageProps | undefined): string[] {
  const errors: string[] = [];
  const at = (key: string) => optionPath(option, key);
  const choice = props?.storageChange;
  if (choice !== undefined && !Object.values(StorageChange).includes(choice)) {
    errors.push(`${at('storageChange')}: ${JSON.stringify(choice)} is invalid; allowed: StorageChange.EXPAND or StorageChange.RECREATE`);
  }
  const policy = props?.persistentVolumeClaimRetentionPolicy;
  for (const key of ['whenDeleted', 'whenScaled'] as const) {
    const v = policy?.[key];
    if (v !== undefined && !Object.values(ClaimRetention).includes(v)) {
      errors.push(`${at('persistentVolumeClaimRetentionPolicy')}.${key}: ${JSON.stringify(v)} is invalid; allowed: ClaimRetention.RETAIN or ClaimRetention.DELETE`);
    }
  }
  return errors;
}

/** The StatefulSet field for a retention policy option, or undefined (Kubernetes' default, not emitted). */
export function claimRetentionPolicy(policy: ClaimRetentionPolicy | undefined): k8s.StatefulSetPersistentVolumeClaimRetentionPolicy | undefined {
  return policy && { whenDeleted: policy.whenDeleted ?? ClaimRetention.RETAIN, whenScaled: policy.whenScaled ?? ClaimRetention.RETAIN };
}

/** The claim templates as `kubectl get -o jsonpath` prints them with FINGERPRINT_JSONPATH. */
function fingerprint(claims: readonly ClaimTemplateSummary[]): string {
  return claims.map((c) => `${c.name}:${c.storage ?? ''}:${c.storageClassName ?? ''};`).join('');
}
const FINGERPRINT_JSONPATH = '{range .spec.volumeClaimTemplates[*]}{.metadata.name}:{.spec.resources.requests.storage}:{.spec.storageClassName};{end}';

/** A StatefulSet the Job changes: the change and the labels its claims carry. */
export interface StorageChangeTarget extends ClaimChange {
  /** Labels of the claims (the claim template's). */
  readonly claimSelector: Readonly<Record<string, string>>;
}

/** Props of `storageChangeJob`. */
export interface StorageChangeJobProps {
  /** Name of the Job, its ServiceAccount, Role and RoleBinding. */
  readonly name: string;
  /** Labels of the objects (the pod's select nothing of Tempo's NetworkPolicies). */
  readonly labels: Readonly<Record<string, string>>;
  /** The StatefulSets to change. */
  readonly targets: readonly StorageChangeTarget[];
  /** Image with `sh` and `kubectl`. */
  readonly image: string;
}

const HOOK = { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' };
const q = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;

/**
 * The shell script of the Job: idempotent (a StatefulSet whose deployed claim templates already are the new
 * ones, or that does not exist, is left alone), so a repeated sync does nothing. EXPAND patches every claim
 * before it deletes any StatefulSet: a class that cannot expand fails the Job (and the sync) with nothing changed.
 */
export function storageChangeScript(targets: readonly StorageChangeTarget[]): string {
  const selector = (t: StorageChangeTarget) => Object.entries(t.claimSelector).map(([k, v]) => `${k}=${v}`).join(',');
  const lines = [
    'set -eu',
    '# changed STATEFULSET WANTED: true when the StatefulSet exists and its claim templates differ from WANTED',
    'changed() {',
    `  have=$(kubectl get statefulset "$1" --ignore-not-found -o jsonpath=${q(FINGERPRINT_JSONPATH)})`,
    '  if [ -z "$have" ]; then echo "$1: not deployed, nothing to do"; return 1; fi',
    '  if [ "$have" = "$2" ]; then echo "$1: claim templates already $2"; return 1; fi',
    '  echo "$1: claim templates $have -> $2"',
    '}',
    '# claims STATEFULSET SELECTOR: the claims the StatefulSet created (data-<statefulset>-<ordinal>)',
    'claims() { kubectl get pvc -l "$2" -o name | grep -E "^persistentvolumeclaim/[a-z0-9-]+-$1-[0-9]+\\$" || true; }',
  ];
  for (const t of targets.filter((x) => x.choice === StorageChange.EXPAND)) {
    const size = t.claims[0]?.storage ?? '';
    lines.push(`if changed ${q(t.statefulSet)} ${q(fingerprint(t.claims))}; then`,
      `  for pvc in $(claims ${q(t.statefulSet)} ${q(selector(t))}); do kubectl patch "$pvc" --type merge -p ${q(`{"spec":{"resources":{"requests":{"storage":"${size}"}}}}`)}; done`,
      'fi');
  }
  for (const t of targets) {
    const s = q(t.statefulSet);
    if (t.choice === StorageChange.EXPAND) {
      lines.push(`if changed ${s} ${q(fingerprint(t.claims))}; then kubectl delete statefulset ${s} --cascade=orphan --wait=true; fi`);
    } else {
      lines.push(`if changed ${s} ${q(fingerprint(t.claims))}; then`,
        `  kubectl delete statefulset ${s} --cascade=foreground --wait=true --timeout=60m`,
        `  for pvc in $(claims ${s} ${q(selector(t))}); do kubectl delete "$pvc" --wait=true --timeout=10m; done`,
        'fi');
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * An Argo CD PreSync hook applying claim template changes before the sync creates the StatefulSets again:
 * a ServiceAccount, a Role limited to StatefulSets and PVCs of the namespace, its RoleBinding and a Job
 * (restricted pod, token mounted for kubectl). Hook objects: Argo CD creates them before the sync (by sync
 * wave: the RBAC first) and keeps them until the next hook of the same name.
 */
export function storageChangeJob(scope: Construct, props: StorageChangeJobProps): k8s.KubeJob {
  const metadata = { name: props.name, labels: { ...props.labels }, annotations: { ...HOOK } };
  serviceAccountWithRole(scope, metadata, [
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch', 'delete'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
  ]);
  const uid = 65534; // nobody: the image's root user is not needed
  return new k8s.KubeJob(scope, 'Job', {
    metadata,
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: 2 * 3600,
      template: podTemplate({
        labels: { ...props.labels },
        uid,
        serviceAccountName: props.name,
        mountServiceAccountToken: true,
        restartPolicy: 'Never',
        containers: [{
          name: 'storage-change',
          image: props.image,
          command: ['sh', '-c', storageChangeScript(props.targets)],
          // kubectl keeps its discovery cache under $HOME; the root filesystem is read-only.
          env: [{ name: 'HOME', value: '/tmp' }],
          resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') }, limits: { memory: k8s.Quantity.fromString('256Mi') } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        }],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      }),
    },
  });
}

/** Labels of the storage-change objects: outside Tempo's pod selectors (`app.kubernetes.io/name: tempo`). */
export function storageChangeLabels(instanceLabels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...instanceLabels, [LabelKeys.NAME]: 'tempo-storage-change', [LabelKeys.COMPONENT]: 'storage-change' };
}
