#!/usr/bin/env node
// lbsim's executable: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

// The CommonJS bundle with its code cache (bin/load-bundle.js) starts fastest; the ES module bundle
// next; tsc's output, module by module, is the same program (scripts/build-cli.mjs).
const at = (path) => fileURLToPath(new URL(path, import.meta.url));
const cjsBundle = at("../dist/cli/bundle/main.cjs");
let run;
if (existsSync(cjsBundle)) {
  const { loadBundle } = await import("./load-bundle.js");
  run = loadBundle(cjsBundle, at("../dist/cli/bundle/main.cjs.cache")).exports.main;
} else {
  const main = ["../dist/cli/bundle/main.js", "../dist/cli/main.js"].map(at).find((file) => existsSync(file));
  if (main === undefined) {
    process.stderr.write(
      "lbsim: not built yet; run `npm install` (or `npm run build`) in the lbsim folder first\n",
    );
    process.exit(2);
  }
  run = (await import(pathToFileURL(main).href)).main;
}
process.exitCode = await run(process.argv.slice(2));
