// Makes V8's code cache of the CLI's CommonJS bundle: runs a tiny scenario through it, then saves
// the compiled code (node scripts/code-cache.mjs <main.cjs> <cache file>; npm run build does it).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBundle } from "../bin/load-bundle.js";
// The bench's start-up scenario (built by tsc before this runs), so the cache is made on what it measures.
import { TINY_SCENARIO } from "../dist/bench/startup.js";

const [bundleFile, cacheFile] = process.argv.slice(2);
if (bundleFile === undefined || cacheFile === undefined) {
  process.stderr.write("usage: node scripts/code-cache.mjs <main.cjs> <cache file>\n");
  process.exit(2);
}
const { exports, script } = loadBundle(bundleFile, undefined);
const folder = mkdtempSync(join(tmpdir(), "lbsim-code-cache-"));
try {
  const scenarioFile = join(folder, "tiny.yaml");
  writeFileSync(scenarioFile, TINY_SCENARIO);
  // The table is printed too (to nowhere: the build ignores this process's standard output).
  const code = await exports.main(["run", scenarioFile]);
  if (code !== 0) throw new Error(`code-cache: the tiny run exited ${code}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
writeFileSync(cacheFile, script.createCachedData());
