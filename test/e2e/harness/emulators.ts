import { existsSync, mkdirSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { http } from './http';
import { Namespace, NsProcess } from './netns';
import { waitFor } from './wait';

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

/** Azurite's blob service (Microsoft's Azure Storage emulator), in-memory, on `port`. */
export function startAzurite(ns: Namespace, hostnames: string[], port: number): Promise<Emulator> {
  const dir = join(ns.dir, 'azurite');
  mkdirSync(dir, { recursive: true });
  const main = require.resolve('azurite/dist/src/blob/main.js');
  return startNode(ns, 'azurite', hostnames, port, (a) => [main, '--blobHost', a, '--blobPort', String(port), '--location', dir, '--silent', '--skipApiVersionCheck', '--loose', '--disableProductStyleUrl'], '/');
}

/** What the sink has received. */
export async function sinkReceived(sink: Emulator): Promise<{ posts: number; bytes: number; samples: number; errors: string[]; names: Record<string, number> }> {
  return JSON.parse((await http(sink.socket, 'GET', '/e2e/received')).body);
}
