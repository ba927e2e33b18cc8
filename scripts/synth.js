'use strict';
/*
 * `npm run synth`: what `cdk8s synth` does for this project, without the CLI's start-up cost, and
 * without losing the committed output when the app fails.
 *
 *   node scripts/synth.js [-o|--output DIR] [-a|--app COMMAND]
 *
 * Reads `app` and `output` from cdk8s.yaml and runs the app command with CDK8S_OUTDIR set to a fresh
 * staging folder beside the output folder. Only when the app exits 0 (every chart synthesized and
 * validated) does the staging folder replace the output folder, by rename (so no stale file survives);
 * when it fails, the output folder is left exactly as it was. `cdk8s synth` instead deletes its output
 * folder before it runs the app, so a failing app leaves no output at all. The cdk8s CLI loads every
 * command at start-up (`cdk8s init` alone pulls in jsii-pacmak and the TypeScript compiler): about 0.55 s
 * before it starts the app, more than the whole synth takes here. Anything this script does not do itself
 * (validation plugins, `--format helm`, `--stdout`, other options) is handed to `cdk8s synth` unchanged.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);

function delegate() {
  const cli = path.join(root, 'node_modules', '.bin', 'cdk8s');
  const res = spawnSync(cli, ['synth', '--no-check-upgrade', ...args], { cwd: root, stdio: 'inherit' });
  process.exit(res.status === null ? 1 : res.status);
}

const config = require('js-yaml').load(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')) || {};
if (config.validations || config.synthConfig) delegate();
let app = config.app;
let outdir = config.output || 'dist';
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split(/=(.*)/s);
  const value = () => (inline !== undefined ? inline : args[++i]);
  if (flag === '-o' || flag === '--output') outdir = value();
  else if (flag === '-a' || flag === '--app') app = value();
  else if (flag === '--no-check-upgrade' || flag === '--no-validate') continue;
  else delegate();
}
if (!app) {
  console.error('synth: no `app` in cdk8s.yaml and no --app');
  process.exit(1);
}

outdir = path.resolve(root, outdir);
// The output folder is replaced only when it holds nothing but synthesized output, so a mistyped -o
// cannot wipe a folder of other files.
function foreignFile(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    const found = e.isDirectory() ? foreignFile(full) : /\.k8s\.yaml$|^construct-metadata\.json$/.test(e.name) ? undefined : full;
    if (found) return found;
  }
  return undefined;
}
if (fs.existsSync(outdir)) {
  const found = fs.lstatSync(outdir).isDirectory() ? foreignFile(outdir) : outdir;
  if (found) {
    console.error(`synth: refusing to replace ${outdir}: it holds more than synthesized manifests (${found})`);
    process.exit(1);
  }
}

// Beside the output folder, so the final renames stay on one file system (atomic).
const parent = path.dirname(outdir);
fs.mkdirSync(parent, { recursive: true });
const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}.synth-`));
fs.chmodSync(staging, 0o777 & ~process.umask()); // mkdtemp's 0700 would become the output folder's mode
const previous = `${staging}.previous`;
const cleanUp = () => fs.rmSync(staging, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { cleanUp(); process.exit(1); });

const res = spawnSync(app, { cwd: root, shell: true, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: staging } });
if (res.status !== 0) {
  cleanUp();
  console.error(`synth: command "${app}" failed (exit ${res.status === null ? res.signal : res.status}); ${path.relative(root, outdir) || outdir} left unchanged`);
  process.exit(1);
}
const manifests = [];
(function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (e.name.endsWith('.k8s.yaml')) manifests.push(path.join(outdir, path.relative(staging, full)));
  }
})(staging);
if (!manifests.length) {
  // An App constructed with its own `outdir` ignores CDK8S_OUTDIR: replacing the output folder with
  // this empty staging folder would only delete it.
  cleanUp();
  console.error(`synth: "${app}" wrote no manifests into CDK8S_OUTDIR; ${path.relative(root, outdir) || outdir} left unchanged`);
  process.exit(1);
}
if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
fs.renameSync(staging, outdir);
fs.rmSync(previous, { recursive: true, force: true });
const shown = path.relative(root, outdir).startsWith('..') ? outdir : path.relative(root, outdir);
console.log(`Synthesized ${manifests.length} manifests into ${shown}/`);
