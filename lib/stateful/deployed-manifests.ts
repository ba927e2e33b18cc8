import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';

/** A volume claim template as far as the API server refuses to change it in place. */
export interface ClaimTemplateSummary {
  /** Claim template name (the PVCs are `<name>-<statefulset>-<ordinal>`). */
  readonly name: string;
  /** Requested storage, a Kubernetes quantity. */
  readonly storage?: string;
  /** StorageClass. @default the cluster's default */
  readonly storageClassName?: string;
  /** Access modes, sorted. */
  readonly accessModes: readonly string[];
}

/** A StatefulSet found in previously synthesized manifests. */
export interface DeployedStatefulSet {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`, when written. */
  readonly namespace?: string;
  /** Its volume claim templates. */
  readonly claimTemplates: readonly ClaimTemplateSummary[];
}

/**
 * Where the manifests deployed last are, so a change of a StatefulSet's
 * volume claim templates (which the API server rejects) is caught at synth.
 * In a GitOps workflow that is the committed output Argo CD applies:
 * `fromGit('dist')` reads it from the Git commit (`HEAD`), which still works
 * after `cdk8s synth` has deleted its output folder before running the app.
 */
export abstract class DeployedManifests {
  /**
   * The manifests committed at `ref` under `folder` (relative to the working
   * directory, or absolute inside the repository). Outside a Git repository,
   * or when the folder is not in the commit, nothing was deployed (first deployment).
   */
  public static fromGit(folder: string, options: { readonly ref?: string; readonly cwd?: string } = {}): DeployedManifests {
    return new GitManifests(folder, options.ref ?? 'HEAD', options.cwd ?? process.cwd());
  }

  /** The `*.yaml`/`*.yml` files below `folder` (read when the instance is built, before synth writes). A missing folder: first deployment. */
  public static fromDirectory(folder: string): DeployedManifests {
    return new DirectoryManifests(folder);
  }

  /** No comparison: every claim template counts as new. */
  public static none(): DeployedManifests {
    return new TextManifests(() => []);
  }

  private cache?: readonly (DeployedStatefulSet & { readonly kind: string })[];

  /** Where the manifests are read from, for messages. */
  public abstract readonly source: string;

  /** The StatefulSet `name` in `namespace`, when deployed. */
  public statefulSet(name: string, namespace: string | undefined): DeployedStatefulSet | undefined {
    return this.objects().find((s) => s.kind === 'StatefulSet' && s.name === name && (s.namespace ?? namespace) === namespace);
  }

  /** Whether an object of `kind` named `name` in `namespace` was deployed. */
  public has(kind: string, name: string, namespace: string | undefined): boolean {
    return this.objects().some((s) => s.kind === kind && s.name === name && (s.namespace ?? namespace) === namespace);
  }

  private objects() {
    this.cache ??= this.readTexts().flatMap(objectsOf);
    return this.cache;
  }

  /** The text of every manifest file. */
  protected abstract readTexts(): string[];
}

class TextManifests extends DeployedManifests {
  public readonly source = 'nothing';
  constructor(private readonly texts: () => string[]) { super(); }
  protected readTexts(): string[] { return this.texts(); }
}

class DirectoryManifests extends DeployedManifests {
  public readonly source: string;
  constructor(private readonly folder: string) {
    super();
    this.source = `folder ${folder}`;
  }

  protected readTexts(): string[] {
    const texts: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(e.name)) texts.push(fs.readFileSync(full, 'utf8'));
      }
    };
    walk(this.folder);
    return texts;
  }
}

class GitManifests extends DeployedManifests {
  public readonly source: string;
  constructor(private readonly folder: string, private readonly ref: string, private readonly cwd: string) {
    super();
    this.source = `Git ${ref}:${folder}`;
  }

  protected readTexts(): string[] {
    const git = (args: string[], input?: string) => spawnSync('git', args, { cwd: this.cwd, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    // `--full-name`: paths from the repository root, as `git cat-file` wants them after `<ref>:`.
    const list = git(['ls-tree', '-r', '--full-name', '--name-only', this.ref, '--', this.folder]);
    if (list.status !== 0) return []; // no Git, no repository or no such commit: nothing deployed
    const files = list.stdout.split('\n').filter((f) => /\.ya?ml$/.test(f));
    if (!files.length) return [];
    // One process for every file: `<sha> blob <size>\n<content>\n` each.
    const out = spawnSync('git', ['cat-file', '--batch'], { cwd: this.cwd, input: files.map((f) => `${this.ref}:${f}`).join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
    if (out.status !== 0) return [];
    const buf = out.stdout;
    const texts: string[] = [];
    let at = 0;
    while (at < buf.length) {
      const eol = buf.indexOf(10, at);
      const header = buf.subarray(at, eol).toString('utf8').split(' ');
      const size = Number(header[2]);
      if (header[1] !== 'blob' || !Number.isFinite(size)) break;
      texts.push(buf.subarray(eol + 1, eol + 1 + size).toString('utf8'));
      at = eol + 1 + size + 1;
    }
    return texts;
  }
}

/**
 * Under `cdk8s synth` (CDK8S_OUTDIR set and the App's outdir relative, e.g. `dist`): the committed output in
 * Git, since the CLI deletes the folder before running the app. Elsewhere (tests, `Testing.app()`, staging folders): none.
 */
export function defaultDeployedManifests(scope: IConstruct): DeployedManifests {
  const outdir = App.of(scope).outdir;
  return process.env.CDK8S_OUTDIR !== undefined && !path.isAbsolute(outdir) ? DeployedManifests.fromGit(outdir) : DeployedManifests.none();
}

/** The objects of one manifest file (one or more YAML documents), with the claim templates of StatefulSets. */
function objectsOf(text: string): (DeployedStatefulSet & { readonly kind: string })[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch {
    return []; // not a manifest of ours
  }
  return docs.flatMap((d) => {
    const o = d as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { volumeClaimTemplates?: unknown } } | null;
    if (!o || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') return [];
    const templates = Array.isArray(o.spec?.volumeClaimTemplates) ? o.spec!.volumeClaimTemplates as Record<string, any>[] : [];
    return [{
      kind: o.kind,
      name: o.metadata.name,
      namespace: typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined,
      claimTemplates: templates.map((t) => claimTemplateSummary(t)),
    }];
  });
}

/** The fields of a claim template (as synthesized or as parsed back) that cannot change in place. */
export function claimTemplateSummary(t: { readonly metadata?: { readonly name?: string }; readonly spec?: any }): ClaimTemplateSummary {
  const storage = t.spec?.resources?.requests?.storage;
  return {
    name: t.metadata?.name ?? '',
    storage: storage === undefined ? undefined : String(typeof storage === 'object' && 'value' in storage ? storage.value : storage),
    storageClassName: t.spec?.storageClassName ?? undefined,
    accessModes: [...(t.spec?.accessModes ?? [])].map(String).sort(),
  };
}
