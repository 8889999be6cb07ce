// vitest globalSetup: the report page inlines dist/viz/report-client.js, so build it when missing or stale.
import { buildClient } from "./build-client.mjs";

export default async function setup() {
  await buildClient({ ifStale: true });
}
