// The report page's script, built by scripts/build-client.mjs into dist/viz/report-client.js, read once.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Beside this module in dist/viz/, or from the sources (vitest, tsx): the package's dist/viz/. */
const CANDIDATES = ["./report-client.js", "../dist/viz/report-client.js"];

let cached: string | undefined;

/** The minified browser bundle (read once); throws a clear error when it was not built. */
export function clientBundle(): string {
  cached ??= readBundle(CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url))));
  return cached;
}

/** The first of `paths` that exists, checked to be safe inside a `<script>` element. */
export function readBundle(paths: ReadonlyArray<string>): string {
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    // Inlined in a <script>: it must not be able to end that element early.
    if (/<\/script|<!--/i.test(text))
      throw new Error(`${path} holds "</script" or "<!--"; it cannot be inlined`);
    return text.trimEnd();
  }
  throw new Error(
    "the report's browser script (dist/viz/report-client.js) is missing: run npm run build in the lbsim folder",
  );
}
