import type { PodSpec } from './deployment';

/** One change the test made to a synthesized Tempo config, for the report. */
export interface ConfigChange {
  readonly pod: string;
  readonly key: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** The pod's `-target` (Tempo's default: `all`, the single binary). */
export function targetOf(pod: Pick<PodSpec, 'args'>): string {
  return pod.args.find((a) => a.startsWith('-target='))?.slice('-target='.length) ?? 'all';
}

/**
 * The only change the e2e suite makes to a synthesized config besides container paths (test/support/pod-process.ts):
 * listen/advertise/instance addresses (dskit picks no loopback address by itself, and every pod shares the
 * namespace's `lo`, so each binds its own 127.0.0.N). Every change is returned for the report; timings and
 * everything else stay.
 */
export function overlayConfig(config: any, pod: PodSpec, address: string): { config: any; changes: ConfigChange[] } {
  const out = JSON.parse(JSON.stringify(config));
  const changes: ConfigChange[] = [];
  // Sets a key; unless `create`, only where its section is already there (a ring the config does not configure
  // is not used, so it needs no address).
  const set = (path: string, value: unknown, create = false): void => {
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      if (node[k] === undefined) {
        if (!create) return;
        node[k] = {};
      }
      node = node[k];
    }
    const last = keys[keys.length - 1];
    changes.push({ pod: pod.name, key: path, from: node[last], to: value });
    node[last] = value;
  };
  // Tempo's single binary pins its ingester and generator ring addresses to 127.0.0.1 (cmd/tempo/main.go), so its
  // gRPC server keeps listening on every address of the pod, as in Kubernetes (one single binary per namespace).
  const target = targetOf(pod);
  const singleBinary = target === 'all';
  set('server.http_listen_address', address, true);
  if (!singleBinary) set('server.grpc_listen_address', address, true);
  if (out.internal_server?.enable) set('internal_server.http_listen_address', address);
  if (out.memberlist) {
    set('memberlist.bind_addr', [address]);
    set('memberlist.advertise_addr', address);
  }
  // Ring addresses only for the rings the pod's target joins (the config is shared by every component).
  const joins = (...targets: string[]) => singleBinary || targets.includes(target);
  if (joins('distributor')) set('distributor.ring.instance_addr', address);
  if (joins('compactor')) set('compactor.ring.instance_addr', address);
  // Tempo 3's rings (sections present only in a 3.x config)
  if (joins('live-store')) set('live_store.ring.instance_addr', address);
  if (joins('backend-worker')) set('backend_worker.ring.instance_addr', address);
  if (!singleBinary) {
    // (the single binary pins these two to 127.0.0.1 itself)
    if (joins('ingester')) set('ingester.lifecycler.address', address);
    if (joins('metrics-generator')) set('metrics_generator.ring.instance_addr', address);
  }
  // Receivers listen on 0.0.0.0 in a pod; here several pods share one loopback, so each binds its own address.
  if (joins('distributor')) {
    rewriteEndpoints(out.distributor?.receivers, 'distributor.receivers', (key, from) => {
      const to = from.replace(/^0\.0\.0\.0:/, `${address}:`);
      if (to !== from) changes.push({ pod: pod.name, key, from, to });
      return to;
    });
  }
  return { config: out, changes };
}

function rewriteEndpoints(node: any, path: string, fn: (key: string, v: string) => string): void {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'endpoint' && typeof v === 'string') node[k] = fn(`${path}.${k}`, v);
    else rewriteEndpoints(v, `${path}.${k}`, fn);
  }
}

/** The report lines: every address change, per pod. */
export function describeChanges(changes: readonly ConfigChange[]): string[] {
  return changes.map((c) => `  ${c.pod}: ${c.key}: ${JSON.stringify(c.from ?? null)} -> ${JSON.stringify(c.to)}`);
}
