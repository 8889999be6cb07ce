// Bundles the report page's script (viz/client/main.ts, the charts and the d3 they use) into dist/viz/report-client.js.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BUNDLE = join(ROOT, "dist", "viz", "report-client.js");

/**
 * How a browser bundle is built (the report's client here, the classroom page's scripts too): one
 * minified script, ASCII only, no comments, no source map (the report inlines it and hashes it for
 * its CSP).
 */
export const BROWSER_BUNDLE = {
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  charset: "ascii",
  legalComments: "none",
  logLevel: "warning",
};

/** Builds the bundle; with `ifStale`, only when it is missing or older than a source of viz/. Returns whether it built. */
export async function buildClient({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return false;
  await build({
    entryPoints: [join(ROOT, "viz", "client", "main.ts")],
    outfile: BUNDLE,
    ...BROWSER_BUNDLE,
  });
  return true;
}

function isStale() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return true;
  }
  return newestSource(join(ROOT, "viz")) > built;
}

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".spec.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildClient();
}
