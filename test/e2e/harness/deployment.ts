import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as yaml from 'js-yaml';
import type { Manifest } from '../../support/synth';
import { http } from './http';
import { Namespace, NsProcess } from './netns';
import { ConfigChange, describeChanges, overlayConfig, targetOf } from './overlay';
import { podProcessSpec, ProcessSpec, tempoImageVersion, writeProcessFiles } from '../../support/pod-process';
import { WaitAborted, waitFor } from './wait';

/** One pod of a synthesized workload: the shared pod-template translation plus what the e2e suite needs. */
export interface PodSpec extends ProcessSpec {
  /** Pod name (`<workload>-<i>`; StatefulSet names, a stable stand-in for a Deployment's hash). */
  readonly name: string;
  readonly workloadManifest: Manifest;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly containerPort: number; readonly protocol?: string }>;
}

/** A pod of the deployment with its address and (while running) its process. */
export interface RunningPod {
  readonly spec: PodSpec;
  readonly address: string;
  readonly argv: string[];
  readonly env: Record<string, string>;
  proc?: NsProcess;
}

/** How the scenario runs one non-Tempo image (memcached, nginx): argv from the pod, and what it changed. */
export type ImageRunner = (pod: PodSpec, address: string) => { argv: string[]; env?: Record<string, string>; changes?: ConfigChange[] };

/** What a deployment needs besides its manifests. */
export interface DeploymentOptions {
  readonly ns: Namespace;
  readonly manifests: readonly Manifest[];
  /** Folder with `tempo-<version>` binaries. */
  readonly binDir: string;
  /** Runners for images that are not grafana/tempo. */
  readonly runners?: Record<string, ImageRunner>;
  /** Test values for env variables the pods read from Secrets (instead of pod-process's dummies). */
  readonly secretEnv?: Record<string, string>;
  /** Pods per workload instead of `spec.replicas` (e.g. autoscaled workloads at their minimum). */
  readonly replicas?: Record<string, number>;
}

/**
 * A synthesized deployment run as processes in a namespace: one 127.0.0.N per pod, Service and pod names in the
 * namespace's hosts file, each Tempo config changed only by the address/path overlay, a bridge socket per pod port.
 */
export class Deployment {
  public readonly pods: RunningPod[] = [];
  public readonly changes: ConfigChange[] = [];
  public readonly serviceNames: string[] = [];
  /** How long each restart's stop (graceful shutdown) took, for the report. */
  public readonly stopTimes: string[] = [];
  private readonly sockets = new Map<string, string>();
  /** SRV records of every named Service port (`_<port>._tcp.<service>[.<ns>[.svc[.cluster.local]]]`), as kube-dns serves them. */
  public readonly srv: Record<string, Array<{ target: string; port: number }>> = {};
  private readonly k8sNamespace: string;

  constructor(private readonly opts: DeploymentOptions) {
    const { ns, manifests } = opts;
    this.k8sNamespace = manifests.find((m) => m.metadata.namespace)?.metadata.namespace ?? 'default';
    // The rollout-operator acts on the Kubernetes API, which this suite has not: listed as not run.
    const operator = (m: Manifest) => m.spec.template.spec.containers.some((c: any) => /(^|\/)rollout-operator:/.test(c.image));
    const workloads = manifests.filter((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && !operator(m));
    for (const m of manifests.filter((w) => w.kind === 'Deployment' && operator(w))) {
      this.changes.push({ pod: m.metadata.name, key: 'not run', from: null, to: 'rolls StatefulSets through the Kubernetes API (none here)' });
    }
    // An autoscaled workload runs its HorizontalPodAutoscaler's minimum.
    const hpaMin = new Map(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas ?? 1]));
    for (const w of workloads) {
      for (let i = 0; i < (opts.replicas?.[w.metadata.name] ?? w.spec.replicas ?? hpaMin.get(w.metadata.name) ?? 1); i++) {
        const address = ns.allocateAddress();
        const name = `${w.metadata.name}-${i}`;
        const base = podProcessSpec(manifests, w, { root: join(ns.dir, 'pods', name), podIndex: i, podIp: address });
        writeProcessFiles(base);
        const template = w.spec.template;
        const container = template.spec.containers.find((c: any) => c.name === base.container);
        const spec: PodSpec = { ...base, name, workloadManifest: w, labels: template.metadata?.labels ?? {}, ports: container.ports ?? [] };
        const { argv, env } = this.command(spec, address);
        this.pods.push({ spec, address, argv, env });
        const names = [name];
        if (w.kind === 'StatefulSet') names.push(`${name}.${w.spec.serviceName}`, `${name}.${w.spec.serviceName}.${this.k8sNamespace}.svc.cluster.local`);
        ns.addHost(address, ...names);
      }
    }
    if (this.pods.filter((p) => tempoImageVersion(p.spec.image) !== undefined && targetOf(p.spec) === 'all').length > 1) {
      throw new Error('one Tempo single binary per namespace: it keeps gRPC on every address of the shared loopback');
    }
    for (const svc of manifests.filter((m) => m.kind === 'Service')) this.resolveService(svc);
    for (const p of this.pods) {
      const ports = p.spec.ports.map((port) => ({ host: p.address, port: port.containerPort, mode: port.protocol === 'UDP' ? 'udp' as const : 'tcp' as const }));
      ns.bridge(p.spec.name, ports).forEach((path, i) => this.sockets.set(`${p.spec.name}:${ports[i].port}`, path));
    }
  }

  /** Service names point at the addresses of the pods they select; port and targetPort must agree (no proxy here). */
  private resolveService(svc: Manifest): void {
    const sel: Record<string, string> = svc.spec.selector ?? {};
    const backends = this.pods.filter((p) => Object.entries(sel).every(([k, v]) => p.spec.labels[k] === v));
    // Names resolve to pod addresses, so `name:port` reaches the pod only where port == targetPort; other
    // ports are listed in the report (a config using one would fail visibly).
    const remapped: string[] = [];
    for (const port of svc.spec.ports ?? []) {
      for (const b of backends) {
        const target = typeof port.targetPort === 'string' ? b.spec.ports.find((cp) => cp.name === port.targetPort)?.containerPort : port.targetPort ?? port.port;
        if (target !== port.port) remapped.push(`${port.port}->${target}`);
      }
    }
    const n = svc.metadata.name;
    const unreachable = remapped.length ? ` (ports not reachable by name here: ${[...new Set(remapped)].join(', ')})` : '';
    this.serviceNames.push(`${n} -> ${backends.map((b) => b.spec.name).join(', ') || '(no pod)'}${unreachable}`);
    for (const port of (svc.spec.ports ?? []).filter((p: any) => p.name && (p.protocol ?? 'TCP') === 'TCP')) {
      const records = backends.map((b) => ({ target: this.fqdn(b), port: port.port }));
      for (const suffix of ['', `.${this.k8sNamespace}`, `.${this.k8sNamespace}.svc`, `.${this.k8sNamespace}.svc.cluster.local`]) this.srv[`_${port.name}._tcp.${n}${suffix}`] = records;
    }
    for (const b of backends) this.opts.ns.addHost(b.address, n, `${n}.${this.k8sNamespace}`, `${n}.${this.k8sNamespace}.svc`, `${n}.${this.k8sNamespace}.svc.cluster.local`);
  }

  /** The name a pod answers to in SRV records: its StatefulSet DNS name, else its pod name. */
  private fqdn(p: RunningPod): string {
    const w = p.spec.workloadManifest;
    return w.kind === 'StatefulSet' ? `${p.spec.name}.${w.spec.serviceName}.${this.k8sNamespace}.svc.cluster.local` : p.spec.name;
  }

  private command(spec: PodSpec, address: string): { argv: string[]; env: Record<string, string> } {
    const version = tempoImageVersion(spec.image);
    if (version === undefined) {
      // A registry mirror prefixes the repository (`registry.example.com/hub/library/memcached`).
      const repo = spec.image.split(':')[0];
      const key = Object.keys(this.opts.runners ?? {}).find((r) => repo === r || repo.endsWith(`/${r}`) || repo.endsWith(`/library/${r}`));
      const runner = key === undefined ? undefined : this.opts.runners![key];
      if (!runner) throw new Error(`${spec.name}: no runner for image ${spec.image}`);
      const r = runner(spec, address);
      this.changes.push(...(r.changes ?? []));
      return { argv: r.argv, env: { ...spec.env, ...r.env } };
    }
    const binary = join(this.opts.binDir, `tempo-${version}`);
    const args = [...spec.args];
    const i = args.findIndex((a) => a.startsWith('-config.file='));
    if (i < 0) throw new Error(`${spec.name}: no -config.file argument`);
    const config = yaml.load(readFileSync(args[i].slice('-config.file='.length), 'utf8'));
    const { config: changed, changes } = overlayConfig(config, spec, address);
    this.changes.push(...changes);
    const dir = join(spec.root, 'e2e-overlay');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'tempo.yaml');
    writeFileSync(file, yaml.dump(changed, { lineWidth: -1 }));
    args[i] = `-config.file=${file}`;
    return { argv: [binary, ...args], env: { ...spec.env, ...this.secretEnvFor(spec) } };
  }

  private secretEnvFor(spec: PodSpec): Record<string, string> {
    const fromSecret = (spec.workloadManifest.spec.template.spec.containers as any[]).flatMap((c) => c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name);
    return Object.fromEntries(Object.entries(this.opts.secretEnv ?? {}).filter(([k]) => fromSecret.includes(k)));
  }

  /** Starts every pod (or those matching `filter`). */
  public start(filter: (p: RunningPod) => boolean = () => true): void {
    for (const p of this.pods.filter(filter)) this.startPod(p);
  }

  public startPod(p: RunningPod): void {
    p.proc = this.opts.ns.start(p.spec.name, p.spec.name, p.argv, p.env, p.spec.root);
  }

  /** The pod by name. */
  public pod(name: string): RunningPod {
    const p = this.pods.find((x) => x.spec.name === name);
    if (!p) throw new Error(`no pod ${name}; have ${this.pods.map((x) => x.spec.name).join(', ')}`);
    return p;
  }

  /** Pods of a workload (`tempo-ingester`). */
  public workload(name: string): RunningPod[] {
    return this.pods.filter((p) => p.spec.workloadManifest.metadata.name === name);
  }

  /** The bridge socket for a pod's container port. */
  public socket(pod: string, port: number): string {
    const s = this.sockets.get(`${pod}:${port}`);
    if (!s) throw new Error(`no bridge for ${pod}:${port}`);
    return s;
  }

  /** Stops a pod as the kubelet does: SIGTERM, SIGKILL after the pod's terminationGracePeriodSeconds (default 30). */
  public async stopPod(name: string): Promise<void> {
    const p = this.pod(name);
    const grace = p.spec.workloadManifest.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (p.proc) await this.opts.ns.stop(p.proc, grace * 1000);
  }

  /** Restarts a pod with the same address, folder and arguments. */
  public async restartPod(name: string): Promise<void> {
    const t0 = Date.now();
    await this.stopPod(name);
    this.stopTimes.push(`${name} stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    this.startPod(this.pod(name));
  }

  /** Waits until every running Tempo pod (or those named) answers `/ready` with 200; fails early when one exits. */
  public async waitReady(timeoutMs: number, names?: string[]): Promise<void> {
    const pods = this.pods.filter((p) => p.proc && (names ? names.includes(p.spec.name) : tempoImageVersion(p.spec.image) !== undefined));
    await Promise.all(pods.map((p) => waitFor(`${p.spec.name} /ready`, async () => {
      if (p.proc?.exited) throw new WaitAborted(`${p.spec.name} exited (${JSON.stringify(p.proc.exited)}):\n${this.opts.ns.tail(p.proc)}`);
      const r = await http(this.socket(p.spec.name, 3200), 'GET', '/ready', { timeoutMs: 2000 });
      return r.status === 200;
    }, { timeoutMs, intervalMs: 1000 }).catch((e) => {
      throw new Error(`${(e as Error).message}\n--- ${p.spec.name} log tail ---\n${p.proc ? this.opts.ns.tail(p.proc) : ''}`);
    })));
    // Pods without a Tempo /ready (nginx, memcached, vulture) must at least still be running.
    this.assertRunning();
  }

  /** Log tails of the pods whose process has exited (for the scenario's report). */
  public exitedTails(): string[] {
    return this.pods.filter((p) => p.proc?.exited).map((p) => `${p.spec.name} exited ${JSON.stringify(p.proc!.exited)}:\n${this.opts.ns.tail(p.proc!)}`);
  }

  /** Fails when any started pod has exited unexpectedly. */
  public assertRunning(): void {
    const dead = this.exitedTails();
    if (dead.length) throw new Error(dead.join('\n'));
  }

  /** The report: pods and addresses, Service names, every config change. */
  public report(): string {
    return [
      'pods:',
      ...this.pods.map((p) => `  ${p.address} ${p.spec.name} (${p.spec.image})`),
      'services (hosts file):',
      ...this.serviceNames.map((s) => `  ${s}`),
      'container paths (mount point -> folder, rewritten in args, env and mounted files):',
      ...[...new Set(this.pods.flatMap((p) => Object.keys(p.spec.mounts)))].sort().map((m) => `  ${m} -> <tmp>/pods/<pod>${m}`),
      ...(this.opts.secretEnv ? ['Secret env replaced by test values:', ...Object.keys(this.opts.secretEnv).map((k) => `  ${k}`)] : []),
      'config changes (address overlay only):',
      ...describeChanges(this.changes),
      ...(this.stopTimes.length ? ['restarts:', ...this.stopTimes.map((t) => `  ${t}`)] : []),
    ].join('\n');
  }
}
