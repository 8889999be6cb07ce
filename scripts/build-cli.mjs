// Bundles the CLI (cli/main.ts) and its worker (cli/run-worker.ts) into dist/cli/bundle/, each one
// file with zod and yaml inside: Node then loads 2 files instead of some 300, the most of lbsim's start-up.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLE_DIR = join(ROOT, "dist", "cli", "bundle");

/**
 * The report modules stay outside, as tsc built them in dist/viz/: they load only for --report,
 * --svg or --png, and viz/report-bundle.ts finds the page's script relative to its own file.
 */
const vizOutside = {
  name: "viz-outside",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/viz\/(index|node)\.js$/ }, (args) => ({
      path: `../${args.path}`,
      external: true,
    }));
  },
};

export async function buildCli() {
  await build({
    entryPoints: {
      main: join(ROOT, "cli", "main.ts"),
      "run-worker": join(ROOT, "cli", "run-worker.ts"),
      "pool-worker": join(ROOT, "cli", "pool-worker.ts"),
    },
    outdir: BUNDLE_DIR,
    outExtension: { ".js": ".js" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Native: loaded by Node from node_modules, never bundled. tinypool starts its threads from its
    // own entry file, found beside its module: it must stay in node_modules.
    external: ["@resvg/resvg-js", "tinypool"],
    plugins: [vizOutside],
    // yaml is CommonJS and calls require("process"): an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as lbsimCreateRequire } from "node:module"; const require = lbsimCreateRequire(import.meta.url);',
    },
    legalComments: "none",
    logLevel: "warning",
  });
  await buildCommonJsMain();
  makeCodeCache();
}

/** The CommonJS form of the CLI's bundle, which bin/lbsim.js runs with a code cache (bin/load-bundle.js). */
export const CJS_MAIN = join(BUNDLE_DIR, "main.cjs");

async function buildCommonJsMain() {
  await build({
    entryPoints: [join(ROOT, "cli", "main.ts")],
    outfile: CJS_MAIN,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    external: ["@resvg/resvg-js", "tinypool"],
    plugins: [vizOutside],
    // Strict, as the ES module was; `import.meta.url` is the bundle's own URL, as it was.
    define: { "import.meta.url": "lbsimModuleUrl" },
    banner: { js: '"use strict";\nvar lbsimModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    legalComments: "none",
    logLevel: "warning",
  });
  // A script read back from a code cache cannot `import()` by itself: bin/load-bundle.js passes
  // `lbsimImport`, which does it from an ES module. Every call must go through it.
  const code = readFileSync(CJS_MAIN, "utf8");
  const dynamicImport = /(?<![\w$.])import\((?=["'\w])/g;
  const count = code.match(dynamicImport)?.length ?? 0;
  if (count === 0) throw new Error("build-cli: expected the bundle's dynamic imports (viz, strategy files)");
  const rewritten = code.replace(dynamicImport, "lbsimImport(");
  if (/(?<![\w$.])import\(/.test(rewritten))
    throw new Error("build-cli: a dynamic import( was left in main.cjs");
  writeFileSync(CJS_MAIN, rewritten);
}

/**
 * V8's code cache of main.cjs, made after a tiny run (scripts/code-cache.mjs in a fresh process), so
 * that the functions a run needs are in it already compiled. Without it the bundle still runs.
 */
function makeCodeCache() {
  const cacheFile = `${CJS_MAIN}.cache`;
  rmSync(cacheFile, { force: true });
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "code-cache.mjs"), CJS_MAIN, cacheFile], {
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (error) {
    // Only a slower start without it: an install must not fail for the cache.
    rmSync(cacheFile, { force: true });
    process.stderr.write(`build-cli: no code cache (${error instanceof Error ? error.message : error})\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildCli();
}
