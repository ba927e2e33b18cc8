import { mkdirSync } from 'fs';
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

/** s3rver with the aws-chunked and delimiter-listing fixes (emulators/s3.js), bucket created. */
export function startS3(ns: Namespace, hostnames: string[], port: number, bucket: string): Promise<Emulator> {
  const dir = join(ns.dir, 's3');
  mkdirSync(dir, { recursive: true });
  return startNode(ns, 's3', hostnames, port, (a) => [join(EMULATORS, 's3.js'), a, String(port), dir, bucket], '/e2e/stats');
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
