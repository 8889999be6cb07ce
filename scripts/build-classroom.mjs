// Builds the classroom page into dist/classroom/: its HTML and CSS, the page's and the worker's
// bundles (esbuild, browser, no network at run time) and demos.json (the ready demos with their
// scenarios read now). Needs tsc's output (dist/classroom/source-node.js) for the demos.
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { BROWSER_BUNDLE } from "./build-client.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const PAGE_DIR = join(ROOT, "dist", "classroom", "www");
/** Every file the classroom server may serve: it serves nothing else. */
export const PAGE_FILES = ["index.html", "style.css", "app.js", "worker.js", "demos.json"];

const common = BROWSER_BUNDLE;

/** Builds the page; with `ifStale`, only when a file is missing or older than a source of classroom/, sim/, scenarios/, strategies/ or viz/. */
export async function buildClassroom({ ifStale = false } = {}) {
  if (ifStale && !isStale()) return false;
  mkdirSync(PAGE_DIR, { recursive: true });
  await build({
    ...common,
    entryPoints: [join(ROOT, "classroom", "page", "main.ts")],
    outfile: join(PAGE_DIR, "app.js"),
  });
  await build({
    ...common,
    entryPoints: [join(ROOT, "classroom", "page", "worker.ts")],
    outfile: join(PAGE_DIR, "worker.js"),
  });
  for (const file of ["index.html", "style.css"])
    copyFileSync(join(ROOT, "classroom", "page", file), join(PAGE_DIR, file));
  // The demos' scenarios are read with lbsim's own loader, from tsc's output or (vitest) the sources.
  const { readDemos } = await importSourceNode();
  writeFileSync(join(PAGE_DIR, "demos.json"), JSON.stringify(readDemos(join(ROOT, "classroom", "demos"))));
  return true;
}

async function importSourceNode() {
  const compiled = join(ROOT, "dist", "classroom", "source-node.js");
  try {
    statSync(compiled);
    return await import(pathToFileURL(compiled).href);
  } catch {
    // Without tsc's output (a fresh checkout under vitest): bundle the module for Node on the fly.
    const out = join(ROOT, "node_modules", ".cache", "lbsim", "source-node.mjs");
    await build({
      entryPoints: [join(ROOT, "classroom", "source-node.ts")],
      outfile: out,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "warning",
    });
    return await import(`${pathToFileURL(out).href}?${Date.now()}`);
  }
}

function isStale() {
  let built = Number.POSITIVE_INFINITY;
  for (const file of PAGE_FILES) {
    try {
      built = Math.min(built, statSync(join(PAGE_DIR, file)).mtimeMs);
    } catch {
      return true;
    }
  }
  const sources = ["classroom", "sim", "scenarios", "strategies", "viz", "errors"].map((d) =>
    newestSource(join(ROOT, d)),
  );
  return Math.max(...sources) > built;
}

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith(".spec.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildClassroom();
}
