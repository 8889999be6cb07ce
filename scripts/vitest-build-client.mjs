// vitest globalSetup: the report page inlines dist/viz/report-client.js, and the classroom specs
// serve dist/classroom/www/, so build them when missing or stale.
import { buildClassroom } from "./build-classroom.mjs";
import { buildClient } from "./build-client.mjs";

export default async function setup() {
  await buildClient({ ifStale: true });
  await buildClassroom({ ifStale: true });
}
