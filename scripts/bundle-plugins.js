// esbuild plugins both bundles use (scripts/build-bundle.js for the npm package, scripts/build-sea.js
// for the single executable).

/**
 * undici's client requires its HTTP/2 client at load, which loads `node:http2` (~6 ms of every
 * start compiling that built-in). It is reached only when TLS negotiates h2, which undici offers
 * only with `allowH2`; zantara-audit never sets it, as browsers' EventSource and the audited
 * gateways speak HTTP/1.1 to it. So the bundles carry a stand-in that says so if it is ever reached.
 */
export function withoutUndiciH2() {
  return {
    name: 'without-undici-h2',
    setup(b) {
      b.onResolve({ filter: /[\\/]client-h2\.js$/ }, (args) => (args.importer.includes('undici') ? { path: 'undici-client-h2', namespace: 'without-undici-h2' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'without-undici-h2' }, () => ({
        contents: "module.exports = function connectH2() { throw new Error('zantara-audit is built without HTTP/2 (undici allowH2 is never set): the server negotiated h2'); };",
        loader: 'js',
      }));
    },
  };
}
