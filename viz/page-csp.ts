// lbsim's offline pages (the report, the sweep report): their Content-Security-Policy (nothing from
// the network, one inline script allowed by its hash) and their document head.
import { createHash } from "node:crypto";
import { escapeXml } from "./svg.js";

/** The policy for a page whose only script is `script` (inlined verbatim). */
function offlinePageCsp(script: string): string {
  const hash = createHash("sha256").update(script, "utf8").digest("base64");
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** From `<!DOCTYPE html>` to `</head>`: the policy for `script`, the generator, the title (text) and the style sheet. */
export function offlinePageHead(page: {
  readonly script: string;
  readonly generator: string;
  readonly title: string;
  readonly css: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${offlinePageCsp(page.script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeXml(page.generator)}">
<title>${escapeXml(page.title)}</title>
<style>${page.css}</style>
</head>`;
}
