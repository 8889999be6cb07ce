// An imported haproxy.cfg written out as the equivalent scenario file (`lbsim import`), with what was
// ignored and what was not understood as YAML comments at the end.
import { stringify } from "yaml";
import type { CfgImport } from "./import.js";

/** A value as one line of flow YAML (`{name: web01, check: true}`), quoted where YAML needs it. */
function flow(value: unknown): string {
  return stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

/** The scenario YAML for `imported`, read from the cfg named `shown` in messages. */
export function scenarioYaml(imported: CfgImport, shown: string): string {
  const out: string[] = [];
  const { frontend, backend } = imported.value;
  out.push(`# Scenario imported by lbsim from ${shown}.`);
  out.push("# Fill in the service model (how long the servers take to answer) and the clients, then:");
  out.push("#   lbsim run <this file>");
  out.push("# Or keep the cfg as it is: a scenario with `haproxy: <the cfg, relative to the scenario>`");
  out.push("# gives only what the cfg cannot say (backend.service, slots, clients) and overrides the rest.");
  out.push(`name: ${flow(imported.backendName)}`);
  out.push("duration: 60s");
  if (frontend !== undefined) {
    out.push("frontend:");
    for (const [key, value] of Object.entries(frontend)) out.push(`  ${key}: ${flow(value)}`);
    if (imported.binds.length > 0) out.push(`  # bind ${imported.binds.join(", ")}`);
  }
  out.push("backend:");
  for (const [key, value] of Object.entries(backend)) {
    if (key === "servers") continue;
    out.push(`  ${key}: ${flow(value)}`);
  }
  out.push("  # PLACEHOLDER: the cfg says nothing about how long a request takes; put your servers' service");
  out.push("  # time here (for all servers, or per server), e.g. {lognormal: {median: 20ms, sigma: 0.6}}.");
  out.push("  service: {exponential: 20ms}");
  out.push("  servers:");
  const servers = backend.servers as ReadonlyArray<Record<string, unknown>>;
  servers.forEach((server, index) => {
    const address = imported.servers[index]?.address;
    out.push(`    - ${flow(server)}${address === undefined ? "" : `   # ${address}`}`);
  });
  if (servers.length === 0) out.push("    [] # the cfg lists no server: add them here");
  out.push("# The clients are not in a haproxy.cfg; an example to adapt:");
  out.push("# clients:");
  out.push("#   - name: browsers");
  out.push("#     arrivals: {poisson: 50/s}");
  out.push("#     sources: {count: 200}");
  out.push("#     paths: {count: 50, zipf: 1.0}");
  if (imported.ignored.length > 0) {
    out.push("#");
    out.push("# Ignored (no meaning in a simulation):");
    for (const { directive, lines } of imported.ignored) {
      out.push(`#   ${directive} (line${lines.length === 1 ? "" : "s"} ${lines.join(", ")})`);
    }
  }
  if (imported.warnings.length > 0) {
    out.push("#");
    out.push("# Not understood or not simulated:");
    for (const { line, message } of imported.warnings) out.push(`#   ${shown}:${line}: ${message}`);
  }
  return `${out.join("\n")}\n`;
}
