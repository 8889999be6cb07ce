// node: the scenarios/ entry for Node only (scenario, extends, haproxy.cfg and trace files read from disk); index.ts stays browser-safe.
export * from "./index.js";
export { loadScenarioFile } from "./load.js";
export { readTraceFile } from "./trace.js";
