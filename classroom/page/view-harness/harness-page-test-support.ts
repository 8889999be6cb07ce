// Builds the browser tests' harness page: harness-test-support.ts bundled by esbuild for the browser and inlined in one HTML file (the tests' pages may load nothing but themselves), under a Content-Security-Policy that allows no inline style at all (the classroom page's server allows only its own style sheet): the drawing must style itself through the CSSOM.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("./harness-test-support.ts", import.meta.url));

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
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'none'; img-src data:">
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
