// Bundles the CLI (cli/main.ts) and its worker (cli/run-worker.ts) into dist/cli/bundle/, each one
// file with zod and yaml inside: Node then loads 2 files instead of some 300, the most of lbsim's start-up.
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
    entryPoints: { main: join(ROOT, "cli", "main.ts"), "run-worker": join(ROOT, "cli", "run-worker.ts") },
    outdir: BUNDLE_DIR,
    outExtension: { ".js": ".js" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Native: loaded by Node from node_modules, never bundled.
    external: ["@resvg/resvg-js"],
    plugins: [vizOutside],
    // yaml is CommonJS and calls require("process"): an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as lbsimCreateRequire } from "node:module"; const require = lbsimCreateRequire(import.meta.url);',
    },
    legalComments: "none",
    logLevel: "warning",
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildCli();
}
