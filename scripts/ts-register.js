'use strict';
/*
 * Start-up path of the synth app (cdk8s.yaml `app:`) and of the benchmark:
 *
 *   node -r ./scripts/ts-register.js main.ts
 *
 * 1. TypeScript: the same transform as `sucrase/register` (sucrase's "imports" + "typescript": types are
 *    stripped, nothing is type-checked, line numbers are preserved; `npm test` type-checks with tsc),
 *    cached on disk by the SHA-1 of the file's path and content and the sucrase version. An unchanged
 *    file is never transpiled twice, and sucrase itself is loaded only when a file changed. (Cold,
 *    sucrase costs ~35 ms to load plus ~90 ms for lib/ and ~90 ms for the 200 KB of Argo CD bindings.)
 * 2. V8 code cache for every CommonJS module (ours and node_modules'), as `module.enableCompileCache()`
 *    does from Node 22.1 (used instead when present): compiling ~600 modules costs ~60 ms per start
 *    otherwise. Keyed by path + content + Node version; a cache V8 rejects is rebuilt. Only the
 *    compilation is cached, never a result: every run executes the code.
 *
 * Cache: node_modules/.cache/cdk8s-tempo/ (or $CDK8S_TEMPO_CACHE), safe to delete at any time; if it
 * cannot be written, everything still works uncached. CDK8S_TEMPO_NO_CODE_CACHE=1 turns off part 2.
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const CACHE_DIR = process.env.CDK8S_TEMPO_CACHE || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-tempo');
const TRANSFORMS = ['imports', 'typescript'];
const TS_DIR = path.join(CACHE_DIR, 'ts');
const TS_SALT = `${TRANSFORMS.join(',')}|sucrase@${JSON.parse(fs.readFileSync(require.resolve('sucrase/package.json'), 'utf8')).version}|`;

const MAX_ENTRIES = 4000; // per cache folder; beyond it the oldest entries go (edits add entries, never replace)

let writable = true;
const pruned = new Set();
/** Keeps a cache folder below MAX_ENTRIES files, removing the least recently written; once per process. */
function prune(dir) {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  const names = fs.readdirSync(dir);
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => [n, fs.statSync(path.join(dir, n)).mtimeMs]).sort((a, b) => a[1] - b[1]);
  for (const [n] of byAge.slice(0, names.length - MAX_ENTRIES / 2)) fs.rmSync(path.join(dir, n), { force: true });
}

/** Writes a cache file atomically (concurrent processes never read half a file); gives up quietly. */
function store(dir, file, data) {
  if (!writable) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    prune(dir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    writable = false;
  }
}

const sha1 = (...parts) => {
  const h = crypto.createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

// ---- 1. TypeScript ------------------------------------------------------------------------------
let transform; // sucrase's, loaded on the first cache miss
require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(TS_DIR, `${sha1(TS_SALT, filename, source)}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    transform = transform || require('sucrase').transform;
    code = transform(source, { transforms: TRANSFORMS, filePath: filename }).code;
    store(TS_DIR, cached, code);
  }
  module._compile(code, filename);
};

// ---- 2. V8 code cache -----------------------------------------------------------------------------
if (typeof Module.enableCompileCache === 'function') {
  if (!process.env.CDK8S_TEMPO_NO_CODE_CACHE) Module.enableCompileCache(path.join(CACHE_DIR, 'v8'));
} else if (!process.env.CDK8S_TEMPO_NO_CODE_CACHE) {
  const V8_DIR = path.join(CACHE_DIR, `v8-${process.version}-${process.arch}`);
  const produce = []; // [file, script]: caches to write once the process is done
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    let script;
    let cacheFile;
    try {
      cacheFile = path.join(V8_DIR, `${sha1(filename, content)}.bin`);
      let cachedData;
      try {
        cachedData = fs.readFileSync(cacheFile);
      } catch {
        cachedData = undefined;
      }
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
      if (!cachedData || script.cachedDataRejected) produce.push([cacheFile, script]);
    } catch {
      return compile.call(this, content, filename); // anything unusual: Node's own path
    }
    const mod = this;
    const req = (id) => mod.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    req.main = process.mainModule;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const [file, script] of produce) store(V8_DIR, file, script.createCachedData());
  });
}
