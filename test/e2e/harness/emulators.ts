import { createHmac } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { http } from './http';
import { Namespace, NsProcess } from './netns';
import { WaitAborted, waitFor } from './wait';

const EMULATORS = join(__dirname, '..', 'emulators');

/** A service the scenario runs next to Tempo (object storage, remote-write sink), reachable from the test by socket. */
export interface Emulator {
  readonly address: string;
  readonly port: number;
  readonly socket: string;
  readonly proc: NsProcess;
}

async function startNode(ns: Namespace, name: string, hostnames: string[], port: number, argv: (address: string) => string[], readyPath: string): Promise<Emulator> {
  const address = ns.allocateAddress();
  ns.addHost(address, ...hostnames);
  const proc = ns.start(name, name, [process.execPath, ...argv(address)], {});
  const [socket] = ns.bridge(name, [{ host: address, port }]);
  await waitFor(`${name} to listen`, async () => {
    if (proc.exited) throw new Error(`${name} exited: ${ns.tail(proc)}`);
    return (await http(socket, 'GET', readyPath, { timeoutMs: 2000 })).status > 0;
  }, { timeoutMs: 30_000, intervalMs: 300 });
  return { address, port, socket, proc };
}

/** s3rver with the aws-chunked and delimiter-listing fixes (emulators/s3.js), bucket created, credentials accepted. */
export async function startS3(ns: Namespace, hostnames: string[], port: number, bucket: string, accessKey: string, secretKey: string): Promise<Emulator & { objects: (prefix: string) => Array<{ key: string; content: string }> }> {
  const dir = join(ns.dir, 's3');
  mkdirSync(dir, { recursive: true });
  const e = await startNode(ns, 's3', hostnames, port, (a) => [join(EMULATORS, 's3.js'), a, String(port), dir, bucket, accessKey, secretKey], '/e2e/stats');
  // s3rver keeps each object at <data>/<bucket>/<key>._S3rver_object: the test reads what Tempo wrote directly.
  const suffix = '._S3rver_object';
  const objects = (prefix: string) => {
    const root = join(dir, 'data', bucket);
    const out: Array<{ key: string; content: string }> = [];
    const walk = (rel: string): void => {
      const abs = join(root, rel);
      if (!existsSync(abs)) return;
      for (const entry of readdirSync(abs, { withFileTypes: true })) {
        const r = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(r);
        else if (entry.name.endsWith(suffix) && r.startsWith(prefix)) out.push({ key: r.slice(0, -suffix.length), content: readFileSync(join(root, r), 'latin1') });
      }
    };
    walk('');
    return out;
  };
  return { ...e, objects };
}

/** What the S3 emulator's fixes did: aws-chunked uploads decoded, delimiter listings (and those that found prefixes). */
export async function s3Stats(s3: Emulator): Promise<{ decoded: number; delimiterListings: number; prefixesListed: number }> {
  return JSON.parse((await http(s3.socket, 'GET', '/e2e/stats')).body);
}

/** The remote-write sink (emulators/sink.js). */
export function startSink(ns: Namespace, hostnames: string[], port: number): Promise<Emulator> {
  return startNode(ns, 'remote-write-sink', hostnames, port, (a) => [join(EMULATORS, 'sink.js'), a, String(port)], '/e2e/received');
}

/** Azurite's well-known development account (documented by Microsoft; Tempo's own integration tests use it). */
export const AZURITE_ACCOUNT = { name: 'devstoreaccount1', key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' };

/** Azurite's blob service (Microsoft's Azure Storage emulator) on `port`, data under the scenario's folder. */
export function startAzurite(ns: Namespace, hostnames: string[], port: number): Promise<Emulator & { dir: string }> {
  const dir = join(ns.dir, 'azurite');
  mkdirSync(dir, { recursive: true });
  const main = require.resolve('azurite/dist/src/blob/main.js');
  return startNode(ns, 'azurite', hostnames, port, (a) => [main, '--blobHost', a, '--blobPort', String(port), '--location', dir, '--silent', '--skipApiVersionCheck', '--loose', '--disableProductStyleUrl'], '/')
    .then((e) => ({ ...e, dir }));
}

/** A signed (SharedKey) Blob REST request to Azurite; `resource` is the path below the account (`/container`). */
export async function azureRequest(azurite: Emulator, method: string, resource: string, query: Record<string, string>): Promise<{ status: number; body: string }> {
  const date = new Date().toUTCString();
  const version = '2021-08-06';
  const qs = new URLSearchParams(query).toString();
  const canonicalQuery = Object.keys(query).sort().map((k) => `\n${k.toLowerCase()}:${query[k]}`).join('');
  const toSign = `${method}\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:${date}\nx-ms-version:${version}\n/${AZURITE_ACCOUNT.name}/${AZURITE_ACCOUNT.name}${resource}${canonicalQuery}`;
  const sig = createHmac('sha256', Buffer.from(AZURITE_ACCOUNT.key, 'base64')).update(toSign, 'utf8').digest('base64');
  const r = await http(azurite.socket, method, `/${AZURITE_ACCOUNT.name}${resource}${qs ? `?${qs}` : ''}`, {
    headers: { 'x-ms-date': date, 'x-ms-version': version, authorization: `SharedKey ${AZURITE_ACCOUNT.name}:${sig}`, 'content-length': '0' },
  });
  return { status: r.status, body: r.body };
}

/** Creates a blob container (Tempo expects it to exist, as its own integration tests create it first). */
export async function createAzureContainer(azurite: Emulator, container: string): Promise<void> {
  const r = await azureRequest(azurite, 'PUT', `/${container}`, { restype: 'container' });
  if (r.status !== 201) throw new Error(`Azurite: creating container ${container}: ${r.status} ${r.body}`);
}

/** Blob names in a container under a prefix. */
export async function azureBlobs(azurite: Emulator, container: string, prefix: string): Promise<string[]> {
  const r = await azureRequest(azurite, 'GET', `/${container}`, { restype: 'container', comp: 'list', prefix });
  if (r.status !== 200) throw new Error(`Azurite: listing ${container}: ${r.status} ${r.body}`);
  return [...r.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]);
}

/** A blob's content. */
export async function azureBlob(azurite: Emulator, container: string, name: string): Promise<string> {
  const r = await azureRequest(azurite, 'GET', `/${container}/${name}`, {});
  if (r.status !== 200) throw new Error(`Azurite: reading ${name}: ${r.status}`);
  return r.body;
}

/**
 * The DNS stand-in for kube-dns (emulators/dns.js), answering from the namespace's hosts file and the Services'
 * SRV records; it becomes the namespace's resolver (`/etc/netns/<ns>/resolv.conf`), for processes started after.
 */
export async function startDns(ns: Namespace, hostnames: string[], srv: Record<string, Array<{ target: string; port: number }>>): Promise<{ address: string; proc: NsProcess }> {
  const address = ns.allocateAddress();
  ns.addHost(address, ...hostnames);
  const srvFile = join(ns.dir, 'srv.json');
  writeFileSync(srvFile, JSON.stringify(srv));
  ns.setResolver(address);
  const proc = ns.start('dns', 'dns', [process.execPath, join(EMULATORS, 'dns.js'), address, ns.hostsPath, srvFile], {});
  await waitFor('dns stand-in to listen', () => {
    if (proc.exited) throw new WaitAborted(`dns exited: ${ns.tail(proc)}`);
    return existsSync(proc.logFile) && readFileSync(proc.logFile, 'utf8').includes('dns on');
  }, { timeoutMs: 15_000, intervalMs: 200 });
  return { address, proc };
}

/** What the sink has received. */
export async function sinkReceived(sink: Emulator): Promise<{ posts: number; bytes: number; samples: number; errors: string[]; names: Record<string, number> }> {
  return JSON.parse((await http(sink.socket, 'GET', '/e2e/received')).body);
}
