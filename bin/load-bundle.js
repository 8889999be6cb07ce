// Runs the CLI's CommonJS bundle (scripts/build-cli.mjs) with V8's code cache made at build time.
//
// Compiling the 1.1 MB bundle was the largest part of a tiny run's start-up (~40 ms of ~160 ms of
// CPU); with the code cache, its functions are read back already compiled (DOCS-speed.md). Node 20
// keeps no compile cache for ES modules, hence a CommonJS bundle compiled through vm.Script. V8
// refuses a cache made by another Node version or with other flags: then the bundle is compiled
// as usual (`cachedDataRejected`), only slower. A script read back from a code cache has no
// dynamic-import callback, so the bundle's `import()` calls go through `lbsimImport` (ours, below).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

/**
 * Loads `bundleFile` (using `cacheFile` when it can) and returns its exports and its script, whose
 * `createCachedData()` gives the cache for later runs.
 */
export function loadBundle(bundleFile, cacheFile) {
  const source = readFileSync(bundleFile, "utf8");
  let cachedData;
  try {
    cachedData = cacheFile === undefined ? undefined : readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname, lbsimImport) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: bundleFile, cachedData });
  const bundleUrl = pathToFileURL(bundleFile);
  // Relative specifiers are relative to the bundle, as they were to its ES module form.
  const lbsimImport = (specifier) =>
    import(specifier.startsWith(".") ? new URL(specifier, bundleUrl).href : specifier);
  const module = { exports: {} };
  script.runInThisContext()(
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    dirname(bundleFile),
    lbsimImport,
  );
  return { exports: module.exports, script };
}
