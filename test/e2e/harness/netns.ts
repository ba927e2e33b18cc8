import { ChildProcess, execFileSync, spawn } from 'child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { waitFor } from './wait';

/** A process started inside a scenario's namespace (one per pod, emulator or bridge). */
export interface NsProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  exited?: { code: number | null; signal: NodeJS.Signals | null };
}

let counter = 0;
const live = new Set<Namespace>();
// Last resort when jest is interrupted: no namespace or process of ours outlives the run.
process.once('exit', () => {
  for (const ns of live) ns.destroySync();
});

/**
 * A private network namespace for one scenario: loopback only, one 127.0.0.N address per pod, its own hosts file
 * (`/etc/netns/<name>/hosts`, which `ip netns exec` mounts over /etc/hosts; the machine's /etc/hosts is never touched),
 * a temporary folder for every file of the scenario, and every process it started.
 */
export class Namespace {
  /** Creates the namespace (needs root, as in CI) with `lo` up. */
  public static create(): Namespace {
    // jest gives each test file fresh modules, so the counter alone could repeat within one worker process.
    while (existsSync(`/var/run/netns/cdk8s-tempo-e2e-${process.pid}-${++counter}`));
    return new Namespace(`cdk8s-tempo-e2e-${process.pid}-${counter}`);
  }

  public readonly dir: string;
  private readonly processes: NsProcess[] = [];
  private nextHost = 2;
  private readonly hosts: Array<[string, string]> = [];

  private constructor(public readonly name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${name}-`));
    // Readable by the unprivileged workers some programs switch to (nginx, memcached), as a pod's files are.
    chmodSync(this.dir, 0o755);
    live.add(this);
    execFileSync('ip', ['netns', 'add', name]);
    mkdirSync(this.etcDir, { recursive: true });
    writeFileSync(join(this.etcDir, 'hosts'), '127.0.0.1 localhost\n');
    this.ip('link', 'set', 'lo', 'up');
  }

  private get etcDir(): string {
    return `/etc/netns/${this.name}`;
  }

  /** Runs `ip` inside the namespace. */
  public ip(...args: string[]): void {
    execFileSync('ip', ['-n', this.name, ...args]);
  }

  /** A fresh 127.0.0.N address on `lo` (127.0.0.1 stays unused by pods). */
  public allocateAddress(): string {
    if (this.nextHost > 254) throw new Error('out of 127.0.0.N addresses');
    const address = `127.0.0.${this.nextHost++}`;
    this.ip('addr', 'add', `${address}/32`, 'dev', 'lo');
    return address;
  }

  /** Adds names for an address to the namespace's hosts file (several lines per name = several addresses). */
  public addHost(address: string, ...names: string[]): void {
    for (const n of names) this.hosts.push([address, n]);
    const lines = ['127.0.0.1 localhost', ...this.hosts.map(([a, n]) => `${a} ${n}`)];
    writeFileSync(join(this.etcDir, 'hosts'), `${lines.join('\n')}\n`);
  }

  /** Points the namespace's resolv.conf at a DNS server inside it. */
  public setResolver(address: string): void {
    writeFileSync(join(this.etcDir, 'resolv.conf'), `nameserver ${address}\n`);
  }

  /** The namespace's hosts file (what its processes see as /etc/hosts). */
  public get hostsPath(): string {
    return join(this.etcDir, 'hosts');
  }

  /**
   * Starts `argv` inside the namespace with its own UTS namespace whose hostname is `hostname` (the pod name:
   * dskit takes its instance id from it). stdout and stderr go to `<dir>/logs/<name>.log`.
   */
  public start(name: string, hostname: string, argv: readonly string[], env: Record<string, string>, cwd?: string): NsProcess {
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    const logFile = join(this.dir, 'logs', `${name}.log`);
    const fd = openSync(logFile, 'a');
    // ip netns exec, unshare and sh all exec in place: the child's pid is the program's pid.
    const child = spawn('ip', ['netns', 'exec', this.name, 'unshare', '--uts', '--', 'sh', '-c', 'hostname "$0" && exec "$@"', hostname, ...argv], {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: this.dir, ...env },
      cwd: cwd ?? this.dir,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const proc: NsProcess = { name, child, logFile };
    child.on('exit', (code, signal) => {
      proc.exited = { code, signal };
    });
    this.processes.push(proc);
    return proc;
  }

  /**
   * Lets the test (outside the namespace) reach addresses inside it: one Unix socket per route (bridge.js, run in
   * the namespace); `udp` routes send what one connection writes as one datagram. Returns the socket paths.
   */
  public bridge(name: string, routes: ReadonlyArray<{ host: string; port: number; mode?: 'tcp' | 'udp' }>): string[] {
    mkdirSync(join(this.dir, 's'), { recursive: true });
    const withPaths = routes.map((r) => ({ ...r, mode: r.mode ?? 'tcp', path: join(this.dir, 's', `${name}-${r.port}.sock`) }));
    this.start(`bridge-${name}`, `bridge-${name}`, [process.execPath, join(__dirname, 'bridge.js'), JSON.stringify(withPaths)], {});
    return withPaths.map((r) => r.path);
  }

  /** Stops one process: SIGTERM, then SIGKILL after `graceMs`. */
  public async stop(proc: NsProcess, graceMs = 30_000): Promise<void> {
    if (proc.exited) return;
    proc.child.kill('SIGTERM');
    try {
      await waitFor(`${proc.name} to exit`, () => (proc.exited ? true : undefined), { timeoutMs: graceMs, intervalMs: 200 });
    } catch {
      proc.child.kill('SIGKILL');
      await waitFor(`${proc.name} to be killed`, () => (proc.exited ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    }
  }

  /** Last lines of a process's log, for failure messages. */
  public tail(proc: NsProcess, lines = 15): string {
    try {
      return readFileSync(proc.logFile, 'utf8').split('\n').slice(-lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Stops every process (SIGTERM, then SIGKILL), deletes the namespace, its /etc/netns folder and the temp folder. */
  public async destroy(keepDir = false): Promise<void> {
    await Promise.all(this.processes.map((p) => this.stop(p, 10_000).catch(() => undefined)));
    this.destroySync(keepDir);
  }

  /** Synchronous cleanup (SIGKILL): for the exit hook. */
  public destroySync(keepDir = false): void {
    for (const p of this.processes) if (!p.exited) p.child.kill('SIGKILL');
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(this.etcDir, { recursive: true, force: true });
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}
