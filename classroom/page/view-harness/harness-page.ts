// Builds the browser tests' harness page: harness.ts bundled by esbuild for the browser and inlined in one HTML file (the tests' pages may load nothing but themselves).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("./harness.ts", import.meta.url));

/** The harness page; `maxconn` (by server) is handed to the topology as the page would from its scenario. */
export async function harnessHtml(maxconn: Readonly<Record<string, number>> = {}): Promise<string> {
  const bundle = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2020",
    charset: "ascii",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.text;
  if (/<\/script|<!--/i.test(script)) throw new Error("the harness bundle cannot be inlined in a <script>");
  const data = JSON.stringify(maxconn).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lbsim classroom view harness</title>
<style>
  html, body { margin: 0; font-family: "DejaVu Sans", Verdana, Arial, sans-serif; background: #fff; }
  #topology { height: 430px; padding: 8px 12px 0; }
  .large #topology { height: 640px; }
  .narrow #topology { width: 900px; height: auto; }
  .large.narrow #topology { width: 720px; }
  #charts { padding: 0 12px; }
  figcaption { font-size: 13px; }
  .large figcaption { font-size: 20px; }
</style>
</head>
<body>
<div id="topology"></div>
<div id="charts"></div>
<script type="application/json" id="maxconn">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}
