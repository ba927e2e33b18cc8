/**
 * Turns a synthesized pod template into a process that a real binary can run outside Kubernetes:
 * the container's own args and env, and every path the pod mounts mapped into a folder on this machine.
 *
 * Used by the config-acceptance suite (test/acceptance/) and the end-to-end suite (test/e2e/).
 * What changes against the pod, and nothing else:
 * - every mount point `<m>` becomes `<root><m>`, with the ConfigMaps' files written there (Secret files,
 *   service-account tokens and downward-API files get dummy content), and every path value under a mount
 *   point in args, env and the written files is rewritten the same way (`/conf/tempo.yaml` ->
 *   `<root>/conf/tempo.yaml`);
 * - Secret values in env become dummies; downward-API values (`fieldRef`) become the pod's name,
 *   namespace and the address passed in `podIp`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Manifest } from './synth';

/** A file to write before the process starts. */
export interface ProcessFile {
  /** Absolute path on this machine (below `root`). */
  readonly path: string;
  /** Content. */
  readonly content: string;
}

/** A container of a pod template, ready to run as a local process. */
export interface ProcessSpec {
  /** `<Kind>/<name>` of the workload. */
  readonly workload: string;
  /** Container name. */
  readonly container: string;
  /** The pod this process stands for (`<workload>-<index>`). */
  readonly podName: string;
  /** Namespace of the workload (`default` when it has none). */
  readonly namespace: string;
  /** The container image. */
  readonly image: string;
  /** Release from the image tag (`grafana/tempo:2.6.1` -> `2.6.1`), else from `app.kubernetes.io/version`. */
  readonly version?: string;
  /** The container's args with mounted paths rewritten. */
  readonly args: readonly string[];
  /** The container's env (resolved, dummies for Secrets) with mounted paths rewritten. */
  readonly env: Readonly<Record<string, string>>;
  /** The folder standing for the container's root file system. */
  readonly root: string;
  /** Files to write (ConfigMap keys, dummy Secret files), paths rewritten inside ConfigMap files. */
  readonly files: readonly ProcessFile[];
  /** Folders to create (every mount point, writable or not). */
  readonly dirs: readonly string[];
  /** Mount point -> folder on this machine. */
  readonly mounts: Readonly<Record<string, string>>;
}

/** Options of `podProcessSpec`. */
export interface PodProcessOptions {
  /** Folder standing for the container's root file system (created by `writeProcessFiles`). */
  readonly root: string;
  /** Which container. @default the first container whose image is Tempo's, else the first */
  readonly container?: string;
  /** Pod ordinal, for the pod name. @default 0 */
  readonly podIndex?: number;
  /** Value of `status.podIP` / `status.hostIP`. @default '127.0.0.1' */
  readonly podIp?: string;
}

const TEMPO_IMAGE = /(?:^|\/)tempo(?::([^@/]+))?(?:@.+)?$/;

/** The tag of a Tempo image reference (`grafana/tempo:2.6.1` -> `2.6.1`, untagged -> ''), undefined for other images. */
export function tempoImageVersion(image: string): string | undefined {
  const m = TEMPO_IMAGE.exec(image);
  return m ? m[1] ?? '' : undefined;
}

/** The pod template spec of a Deployment, StatefulSet, DaemonSet or Job. */
function podTemplate(workload: Manifest): any {
  const template = workload.spec?.template;
  if (!template?.spec) throw new Error(`${workload.kind}/${workload.metadata.name} has no pod template`);
  return template;
}

/** Every container of `workloads` whose image is Tempo's (not the vulture, not memcached or nginx). */
export function tempoContainers(workloads: readonly Manifest[]): { workload: Manifest; container: any }[] {
  return workloads.flatMap((w) => (podTemplate(w).spec.containers as any[])
    .filter((c) => tempoImageVersion(c.image) !== undefined)
    .map((container) => ({ workload: w, container })));
}

/** Replaces every path under a mount point with its folder on this machine, in free text (args, env, YAML). */
export function rewritePaths(text: string, mounts: Readonly<Record<string, string>>): string {
  // Longest mount point first so `/var/tempo` wins over `/var`; a path must start at a value boundary.
  const points = Object.keys(mounts).sort((a, b) => b.length - a.length);
  if (!points.length) return text;
  const escaped = points.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(^|[\\s'"=\\[])(${escaped.join('|')})(?=$|[/\\s'",\\]])`, 'gm');
  return text.replace(re, (_m, lead: string, point: string) => `${lead}${mounts[point]}`);
}

function lookup(manifests: readonly Manifest[], kind: string, name: string, namespace: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name && (m.metadata.namespace ?? 'default') === namespace);
}

function dummySecret(name: string, key: string): string {
  return `dummy-${name}-${key}`.replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** Data of a ConfigMap (`data` and base64 `binaryData`). */
function configMapData(cm: Manifest): Record<string, string> {
  const binary = Object.fromEntries(Object.entries<string>(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  return { ...cm.data, ...binary };
}

/** Keys of a Secret in the output (`data` and `stringData`), or undefined when the Secret is created outside. */
function secretKeys(manifests: readonly Manifest[], name: string, namespace: string): string[] | undefined {
  const s = lookup(manifests, 'Secret', name, namespace);
  return s ? [...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})] : undefined;
}

function resourceValue(container: any, resource: string): string {
  const [kind, name] = resource.split('.');
  return String(container.resources?.[kind]?.[name] ?? '1');
}

/**
 * The process a container of `workload` runs: args, env, files and folders, with every mounted path mapped
 * below `options.root`. Pure: call `writeProcessFiles` to create the files.
 * @throws when the pod mounts a ConfigMap that is not in `manifests`, or env refers to a missing ConfigMap key
 */
export function podProcessSpec(manifests: readonly Manifest[], workload: Manifest, options: PodProcessOptions): ProcessSpec {
  const id = `${workload.kind}/${workload.metadata.name}`;
  const namespace = workload.metadata.namespace ?? 'default';
  const template = podTemplate(workload);
  const containers: any[] = template.spec.containers;
  const container = options.container
    ? containers.find((c) => c.name === options.container)
    : containers.find((c) => tempoImageVersion(c.image) !== undefined) ?? containers[0];
  if (!container) throw new Error(`${id} has no container ${options.container}`);
  const podName = `${workload.metadata.name}-${options.podIndex ?? 0}`;
  const podIp = options.podIp ?? '127.0.0.1';
  const root = path.resolve(options.root);
  const labels: Record<string, string> = template.metadata?.labels ?? {};
  const annotations: Record<string, string> = template.metadata?.annotations ?? {};

  const mounts: Record<string, string> = {};
  for (const m of container.volumeMounts ?? []) mounts[m.mountPath] = path.join(root, m.mountPath);

  const volumes = new Map<string, any>((template.spec.volumes ?? []).map((v: any) => [v.name, v]));
  const claimTemplates = new Set<string>((workload.spec?.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name));
  const files: ProcessFile[] = [];
  const dirs: string[] = [];

  const fieldValue = (fieldPath: string): string => {
    const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
    if (label) return (label[1] === 'labels' ? labels : annotations)[label[2]] ?? '';
    switch (fieldPath) {
      case 'metadata.name': return podName;
      case 'metadata.namespace': return namespace;
      case 'metadata.uid': return `uid-${podName}`;
      case 'spec.nodeName': return 'node-0';
      case 'spec.serviceAccountName': return template.spec.serviceAccountName ?? 'default';
      case 'status.podIP': case 'status.hostIP': case 'status.podIPs': case 'status.hostIPs': return podIp;
      default: throw new Error(`${id}: unsupported fieldRef ${fieldPath}`);
    }
  };

  // Files of one volume (key -> relative path), without the content decided yet.
  const volumeFiles = (vol: any): { rel: string; content: string }[] => {
    if (vol.configMap) {
      const cm = lookup(manifests, 'ConfigMap', vol.configMap.name, namespace);
      if (!cm) {
        if (vol.configMap.optional) return [];
        throw new Error(`${id} mounts ConfigMap ${vol.configMap.name}, which is not in the output`);
      }
      const data = configMapData(cm);
      const items: { key: string; path: string }[] = vol.configMap.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      return items.map((i) => ({ rel: i.path, content: rewritePaths(data[i.key] ?? '', mounts) }));
    }
    if (vol.secret) {
      const name = vol.secret.secretName;
      const keys = vol.secret.items?.map((i: any) => ({ key: i.key, path: i.path }))
        ?? (secretKeys(manifests, name, namespace) ?? []).map((k) => ({ key: k, path: k }));
      return keys.map((k: { key: string; path: string }) => ({ rel: k.path, content: dummySecret(name, k.key) }));
    }
    if (vol.projected) {
      return (vol.projected.sources ?? []).flatMap((s: any) => {
        if (s.serviceAccountToken) return [{ rel: s.serviceAccountToken.path, content: `dummy-token-${podName}` }];
        if (s.configMap) return volumeFiles({ configMap: s.configMap });
        if (s.secret) return volumeFiles({ secret: { ...s.secret, secretName: s.secret.name } });
        if (s.downwardAPI) return volumeFiles({ downwardAPI: s.downwardAPI });
        return [];
      });
    }
    if (vol.downwardAPI) {
      return (vol.downwardAPI.items ?? []).map((i: any) => ({
        rel: i.path,
        content: i.fieldRef ? fieldValue(i.fieldRef.fieldPath) : resourceValue(container, i.resourceFieldRef.resource),
      }));
    }
    return []; // emptyDir, persistentVolumeClaim, hostPath...: an empty writable folder
  };

  for (const m of container.volumeMounts ?? []) {
    const vol = volumes.get(m.name);
    if (!vol && !claimTemplates.has(m.name)) throw new Error(`${id}: volumeMount ${m.name} has no volume`);
    const target = mounts[m.mountPath];
    const content = vol ? volumeFiles(vol) : [];
    if (m.subPath) {
      // one file (or folder) of the volume at the mount point itself
      const file = content.find((f) => f.rel === m.subPath);
      if (file) files.push({ path: target, content: file.content });
      else dirs.push(target);
      continue;
    }
    dirs.push(target);
    for (const f of content) files.push({ path: path.join(target, f.rel), content: f.content });
  }

  // Env in order, with Kubernetes' $(VAR) expansion over earlier variables.
  const env: Record<string, string> = {};
  const expand = (value: string) => value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => {
    if (m === '$$') return '$';
    return name !== undefined && name in env ? env[name] : m;
  });
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = lookup(manifests, 'ConfigMap', from.configMapRef.name, namespace);
      if (!cm && !from.configMapRef.optional) throw new Error(`${id}: envFrom ConfigMap ${from.configMapRef.name} is not in the output`);
      for (const [k, v] of Object.entries(cm ? configMapData(cm) : {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      for (const k of secretKeys(manifests, from.secretRef.name, namespace) ?? []) env[prefix + k] = dummySecret(from.secretRef.name, k);
    }
  }
  for (const e of container.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) env[e.name] = expand(e.value ?? '');
    else if (vf.secretKeyRef) env[e.name] = dummySecret(vf.secretKeyRef.name, vf.secretKeyRef.key);
    else if (vf.fieldRef) env[e.name] = fieldValue(vf.fieldRef.fieldPath);
    else if (vf.resourceFieldRef) env[e.name] = resourceValue(container, vf.resourceFieldRef.resource);
    else if (vf.configMapKeyRef) {
      const cm = lookup(manifests, 'ConfigMap', vf.configMapKeyRef.name, namespace);
      const value = cm ? configMapData(cm)[vf.configMapKeyRef.key] : undefined;
      if (value === undefined) throw new Error(`${id}: env ${e.name} refers to ConfigMap ${vf.configMapKeyRef.name} key ${vf.configMapKeyRef.key}, not in the output`);
      env[e.name] = value;
    } else throw new Error(`${id}: env ${e.name} has an unsupported valueFrom`);
  }
  for (const k of Object.keys(env)) env[k] = rewritePaths(env[k], mounts);

  const command: string[] = container.command ?? [];
  const args = [...command.slice(1), ...(container.args ?? [])].map((a) => rewritePaths(expand(a), mounts));

  return {
    workload: id,
    container: container.name,
    podName,
    namespace,
    image: container.image,
    version: tempoImageVersion(container.image) || labels['app.kubernetes.io/version'],
    args,
    env,
    root,
    files,
    dirs,
    mounts,
  };
}

/** Creates the folders and writes the files of a spec. */
export function writeProcessFiles(spec: ProcessSpec): void {
  fs.mkdirSync(spec.root, { recursive: true });
  for (const d of spec.dirs) fs.mkdirSync(d, { recursive: true });
  for (const f of spec.files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, f.content);
  }
}
