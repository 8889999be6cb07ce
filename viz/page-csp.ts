// The Content-Security-Policy of lbsim's offline pages: nothing from the network, one inline script allowed by its hash.
import { createHash } from "node:crypto";

/** The policy for a page whose only script is `script` (inlined verbatim). */
export function offlinePageCsp(script: string): string {
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
