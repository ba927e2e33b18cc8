#!/usr/bin/env node
/*
 * Packed-tarball consumer test: uses the library the way a new user does.
 *
 *  1. builds and packs the library (`npm run prepack`, then `npm pack`) into a temporary folder and
 *     checks the tarball's file list: compiled JS, declarations, the Tempo schema JSON, README, LICENSE,
 *     CHANGELOG; no sources, tests, main.ts, dist/, bench/; every relative require() resolves inside it;
 *  2. creates a fresh cdk8s TypeScript app outside the repository (package.json, tsconfig.json, main.ts
 *     with a TempoDistributed on S3 and a TempoArgoCdChart), `npm install`s the tarball plus its peer
 *     dependencies at the versions this repository pins (devDependencies) and TypeScript;
 *  3. type-checks with `moduleResolution: node16` (the `exports` map) and `node10` (`types`), compiles,
 *     synthesizes with `node main.js`, and checks the output: the distributor Deployment runs
 *     -target=distributor, tempo.yaml is in its ConfigMap with the S3 bucket, the Argo CD Application
 *     points at the chart folder, sync waves are set, and every object passes the project's Kubernetes
 *     validator; `require`/`import` of the package and of `cdk8s-tempo/package.json` work, deep imports
 *     are refused.
 *
 * Usage: node test/package/consumer-test.mjs      (npm run test:package; run by .ci/run)
 *   KEEP_TMP=1 keeps the temporary folder. Needs the npm registry (or a warm npm cache) for step 2.
 * Leaves nothing in the repository: build/ is removed again unless it existed before.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const started = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-consumer-'));
const hadBuild = fs.existsSync(path.join(REPO, 'build'));
const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };
const step = (what) => console.log(`consumer-test: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/** Runs a command; throws with its output when it fails. */
function run(cmd, args, cwd, extraEnv = {}) {
  const res = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed (exit ${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  }
  return res.stdout;
}

const FORBIDDEN = [
  [/^(test|bench|scripts|scratch|dist|lib|imports|\.ci)\//, 'source, test or output folder'],
  [/(^|\/)main\.(ts|js|d\.ts)$/, 'main.ts (the reference app)'],
  [/(?<!\.d)\.ts$/, 'TypeScript source'],
  [/^(tsconfig.*\.json|jest\.config\.js|cdk8s\.yaml|package-lock\.json)$/, 'development configuration'],
  [/\.k8s\.yaml$/, 'synthesized YAML'],
];
const REQUIRED = [
  'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md',
  'build/lib/index.js', 'build/lib/index.d.ts',
  'build/lib/config/schemas/tempo-v2.6.1.schema.json', 'build/lib/config/schemas/tempo-v2.10.8.schema.json',
  'build/lib/argocd/application.js', 'build/imports/application-argoproj.io.js', 'build/imports/application-argoproj.io.d.ts',
];

/** Problems of the tarball's file list. */
function checkFileList(files, readPacked) {
  const set = new Set(files);
  for (const f of files) {
    const bad = FORBIDDEN.find(([re]) => re.test(f));
    if (bad) problems.push(`tarball contains ${f} (${bad[1]})`);
  }
  for (const f of REQUIRED) check(set.has(f), `tarball lacks ${f}`);
  // every relative require() of the compiled code must resolve to a file of the tarball
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    for (const m of readPacked(f).matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const base = path.posix.join(path.posix.dirname(f), m[1]);
      const candidates = [base, `${base}.js`, `${base}.json`, `${base}/index.js`];
      check(candidates.some((c) => set.has(c)), `${f}: require("${m[1]}") does not resolve inside the tarball`);
    }
  }
}

const MAIN_TS = `import { App, Chart, YamlOutputType } from 'cdk8s';
import { TempoStorage, TempoArgoCdChart, TempoDistributed, TempoReceiver, TempoVersion } from 'cdk8s-tempo';

const app = new App({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
const chart = new Chart(app, 'tracing', { namespace: 'tracing' });
const tempo = new TempoDistributed(chart, 'Tempo', {
  version: TempoVersion.V2_10_8,
  storage: TempoStorage.s3({
    bucket: 'consumer-traces',
    region: 'eu-west-1',
    credentials: { secretName: 's3-credentials', accessKeyIdKey: 'id', secretAccessKeyKey: 'secret' },
  }),
  receivers: [TempoReceiver.otlpGrpc(), TempoReceiver.otlpHttp()],
});
new TempoArgoCdChart(app, 'argocd', {
  charts: [chart],
  repoUrl: 'https://git.example.com/platform/gitops.git',
  application: { automated: {} },
});
const endpoint: string = tempo.queryEndpoint.serviceName;
console.log(\`query endpoint: \${endpoint}\`);
app.synth();
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], strict: true,
    noUnusedLocals: true, esModuleInterop: true, skipLibCheck: false, types: ['node'], outDir: '.',
  },
  files: ['main.ts'],
};

try {
  // 1. pack
  step('building (npm run prepack)');
  run('npm', ['run', '--silent', 'prepack'], REPO);
  step('packing');
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], REPO));
  const tarball = path.join(tmp, packed[0].filename);
  const files = packed[0].files.map((f) => f.path).sort();
  checkFileList(files, (f) => fs.readFileSync(path.join(REPO, f), 'utf8'));
  console.log(`consumer-test: ${path.basename(tarball)}: ${files.length} files, ${(packed[0].size / 1024).toFixed(0)} KiB packed`);
  if (!hadBuild) fs.rmSync(path.join(REPO, 'build'), { recursive: true, force: true });

  // 2. a fresh app outside the repository
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'tempo-consumer', version: '0.0.0', private: true, license: 'UNLICENSED' }, null, 2)}\n`);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  fs.writeFileSync(path.join(app, 'main.ts'), MAIN_TS);
  fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\noutput: dist\n');
  const dev = pkg.devDependencies;
  const deps = [tarball, ...Object.keys(pkg.peerDependencies).map((p) => `${p}@${dev[p]}`), `typescript@${dev.typescript}`, `@types/node@${dev['@types/node']}`];
  step(`npm install ${deps.map((d) => (d === tarball ? path.basename(d) : d)).join(' ')}`);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...deps], app);
  const installed = path.join(app, 'node_modules', 'cdk8s-tempo');
  for (const f of ['main.ts', 'test', 'dist', 'lib', 'bench']) check(!fs.existsSync(path.join(installed, f)), `installed package contains ${f}`);

  // 3. type-check, compile, synthesize, check
  step('tsc (node16 resolution through the exports map, then node10 through "types")');
  const tsc = path.join(app, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', '.'], app);
  run(process.execPath, [tsc, '-p', '.', '--noEmit', '--module', 'commonjs', '--moduleResolution', 'node10'], app);
  step('synth (node main.js)');
  const out = run(process.execPath, ['main.js'], app);
  check(out.includes('query endpoint: tempo-query-frontend'), `main.js printed: ${out}`);

  const dist = path.join(app, 'dist');
  const objects = new Map();
  for (const folder of fs.readdirSync(dist)) {
    for (const file of fs.readdirSync(path.join(dist, folder))) {
      const obj = yaml.load(fs.readFileSync(path.join(dist, folder, file), 'utf8'));
      objects.set(`${folder}/${obj.kind}/${obj.metadata.name}`, obj);
    }
  }
  const get = (key) => { const o = objects.get(key); check(o !== undefined, `output lacks ${key}; have ${[...objects.keys()].join(', ')}`); return o; };
  const distributor = get('tracing/Deployment/tempo-distributor');
  const args = distributor?.spec.template.spec.containers[0].args ?? [];
  check(args.includes('-target=distributor'), `distributor args: ${JSON.stringify(args)}`);
  check(distributor?.spec.template.spec.containers[0].image === 'grafana/tempo:2.10.8', 'distributor image is not grafana/tempo:2.10.8');
  const config = yaml.load(get('tracing/ConfigMap/tempo-config')?.data?.['tempo.yaml'] ?? '{}');
  check(config?.storage?.trace?.backend === 's3' && config.storage.trace.s3?.bucket === 'consumer-traces', `tempo.yaml storage: ${JSON.stringify(config?.storage)}`);
  check(get('tracing/StatefulSet/tempo-ingester') !== undefined, 'no ingester StatefulSet');
  const application = get('argocd/Application/tracing');
  check(application?.spec.source.path === 'dist/tracing' && application.spec.destination.namespace === 'tracing', `Application source/destination: ${JSON.stringify(application?.spec)}`);
  check(distributor?.metadata.annotations?.['argocd.argoproj.io/sync-wave'] === '1', 'distributor has no sync wave 1');
  const validation = spawnSync(process.execPath, [path.join(REPO, 'test', 'support', 'validate-k8s.mjs'), dist], { encoding: 'utf8' });
  check(validation.status === 0, `Kubernetes validation of the consumer output:\n${validation.stdout}${validation.stderr}`);

  // the package's entry points, from the consumer's point of view
  const probe = `
    const tempo = require('cdk8s-tempo');
    const assert = require('assert');
    assert.strictEqual(typeof tempo.TempoDistributed, 'function');
    assert.strictEqual(require('cdk8s-tempo/package.json').version, ${JSON.stringify(pkg.version)});
    assert.throws(() => require('cdk8s-tempo/build/lib/version'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
    import('cdk8s-tempo').then((m) => assert.strictEqual(typeof m.TempoDistributed, 'function'));
  `;
  run(process.execPath, ['-e', probe], app);
} catch (err) {
  problems.push(err instanceof Error ? err.message : String(err));
} finally {
  if (!hadBuild) fs.rmSync(path.join(REPO, 'build'), { recursive: true, force: true });
  if (process.env.KEEP_TMP) console.log(`consumer-test: kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (problems.length) {
  console.error(`consumer-test: FAILED after ${seconds} s\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`consumer-test: ok (${seconds} s): packed, installed into a fresh app, compiled, synthesized, checked`);
