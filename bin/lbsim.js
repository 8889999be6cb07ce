#!/usr/bin/env node
// lbsim's executable: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The bundle (scripts/build-cli.mjs) starts faster; tsc's output, module by module, is the same program.
const candidates = ["../dist/cli/bundle/main.js", "../dist/cli/main.js"].map(
  (path) => new URL(path, import.meta.url),
);
const main = candidates.find((url) => existsSync(fileURLToPath(url)));
if (main === undefined) {
  process.stderr.write(
    "lbsim: not built yet; run `npm install` (or `npm run build`) in the lbsim folder first\n",
  );
  process.exit(2);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
