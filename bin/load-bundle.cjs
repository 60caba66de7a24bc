// Runs the bundled CLI (dist/bundle/zantara-audit.cjs) from V8's code cache: the bundle is
// compiled once at build time and its code cache (dist/bundle/zantara-audit.cjs.cache) ships next
// to it, so start-up skips parsing and compiling ~2 MB of JavaScript. Node 20 has no module compile
// cache (module.enableCompileCache is Node 22), hence vm.Script's cachedData. A cache made by
// another V8 (another Node version) is rejected by V8 itself and the script compiles from source;
// then a fresh cache is written next to the bundle when that directory is writable (best effort,
// atomically), so the next start is fast again.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { Script } = require('node:vm');

function run(file, requireFn) {
  const cacheFile = `${file}.cache`;
  let cached;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    cached = undefined;
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: cached });
  if (cached === undefined || script.cachedDataRejected) {
    // At exit, so the functions the command compiled while it ran are in the cache too.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install: start from source each time, which is only slower.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireFn, module, file, require('node:path').dirname(file));
}

module.exports = { run };
