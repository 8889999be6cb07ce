// An imported haproxy.cfg written out as the equivalent scenario file (`lbsim import`), with what was
// ignored and what was not understood as YAML comments at the end.
import { stringify } from "yaml";
import type { CfgImport } from "./import.js";
import type { CfgServer, ProxyValue } from "./model.js";

/** A value as one line of flow YAML (`{name: web01, check: true}`), quoted where YAML needs it. */
function flow(value: unknown): string {
  return stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

/** The scenario YAML for `imported`, read from the cfg named `shown` in messages. */
export function scenarioYaml(imported: CfgImport, shown: string): string {
  const out: string[] = [];
  const { frontend, frontends, backend, backends } = imported.value;
  const several = backends !== undefined;
  out.push(`# Scenario imported by lbsim from ${shown}.`);
  out.push("# Fill in the service model (how long the servers take to answer) and the clients, then:");
  out.push("#   npx lbsim run <this file>");
  out.push("# Or keep the cfg as it is: a scenario with `haproxy: <the cfg, relative to the scenario>`");
  out.push(
    several
      ? "# gives only what the cfg cannot say (backends: [{name, service}], slots, clients) and overrides the rest."
      : "# gives only what the cfg cannot say (backend.service, slots, clients) and overrides the rest.",
  );
  const name = several
    ? (imported.frontends[0]?.name ?? imported.backends[0]?.name)
    : imported.backends[0]?.name;
  out.push(`name: ${flow(name)}`);
  out.push("duration: 60s");
  if (imported.value.global !== undefined) {
    out.push(`global: { maxconn: ${imported.value.global.maxconn} }   # every frontend together`);
  }
  if (frontend !== undefined) {
    out.push("frontend:");
    out.push(...frontendLines(frontend, imported.frontends[0]?.binds ?? [], "  "));
  }
  if (frontends !== undefined) {
    out.push("frontends:");
    frontends.forEach((f, index) => {
      out.push(...item(frontendLines(f, imported.frontends[index]?.binds ?? [], "    ")));
    });
  }
  if (backend !== undefined) {
    out.push("backend:");
    out.push(...backendLines(backend, imported.backends[0]?.servers ?? [], "  ", true));
  }
  if (backends !== undefined) {
    out.push(
      "# PLACEHOLDER: the cfg says nothing about how long a request takes; put each backend's service",
    );
    out.push(
      "# time below (for all its servers, or per server), e.g. {lognormal: {median: 20ms, sigma: 0.6}}.",
    );
    out.push(...SLOTS_PLACEHOLDER.map((line) => `# ${line}`));
    out.push("backends:");
    backends.forEach((b, index) => {
      out.push(...item(backendLines(b, imported.backends[index]?.servers ?? [], "    ", false)));
    });
  }
  out.push("# The clients are not in a haproxy.cfg; an example to adapt:");
  out.push("# clients:");
  out.push("#   - name: browsers");
  out.push("#     arrivals: {poisson: 50/s}");
  out.push("#     sources: {count: 200}");
  out.push("#     paths: {count: 50, zipf: 1.0}");
  if (frontends !== undefined) out.push(`#     frontend: ${flow(frontends[0]?.name)}`);
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

/** Lines written at an indent of 4 as an item of a list at an indent of 2. */
function item(lines: ReadonlyArray<string>): string[] {
  return lines.map((line, index) => (index === 0 ? line.replace(/^ {4}/, "  - ") : line));
}

const ROUTING = new Set(["acl", "use_backend", "default_backend"]);

/** A frontend's fields, one a line; `acl` and `use_backend` one entry a line, as in the cfg. */
function frontendLines(frontend: ProxyValue, binds: ReadonlyArray<string>, pad: string): string[] {
  const out: string[] = [];
  const bind = binds.length === 0 ? [] : [`${pad}# bind ${binds.join(", ")}`];
  for (const [key, value] of Object.entries(frontend)) {
    // The addresses go with the frontend's own settings, before its routing.
    if (ROUTING.has(key)) out.push(...bind.splice(0));
    if (Array.isArray(value)) {
      out.push(`${pad}${key}:`);
      for (const entry of value) out.push(`${pad}  - ${flow(entry)}`);
    } else out.push(`${pad}${key}: ${flow(value)}`);
  }
  out.push(...bind);
  return out;
}

/**
 * How many requests a server works on at once is not in a haproxy.cfg either (maxconn is what
 * HAProxy sends, not what the server can do): `slots: 1`, lbsim's default, marked to be filled.
 */
const SLOTS_PLACEHOLDER = [
  "PLACEHOLDER: nor how many requests a server works on at once (its workers or threads;",
  "maxconn is only what HAProxy may send it): slots: 1 is lbsim's default, put your servers' own.",
];

/** `default-server` with the `slots` placeholder added (the cfg's own fields first). */
function withSlots(value: unknown): Record<string, unknown> {
  const fields = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  return { ...fields, slots: fields.slots ?? 1 };
}

/** A backend's fields, a placeholder service model and capacity, and its servers with their addresses. */
function backendLines(
  backend: ProxyValue,
  addresses: ReadonlyArray<CfgServer>,
  pad: string,
  explain: boolean,
): string[] {
  const out: string[] = [];
  const slots = `${pad}default-server: ${flow(withSlots(backend["default-server"]))}`;
  const slotsComment = explain ? SLOTS_PLACEHOLDER.map((line) => `${pad}# ${line}`) : [];
  for (const [key, value] of Object.entries(backend)) {
    if (key !== "servers" && key !== "default-server") out.push(`${pad}${key}: ${flow(value)}`);
  }
  if (explain) {
    out.push(
      `${pad}# PLACEHOLDER: the cfg says nothing about how long a request takes; put your servers' service`,
    );
    out.push(
      `${pad}# time here (for all servers, or per server), e.g. {lognormal: {median: 20ms, sigma: 0.6}}.`,
    );
  }
  out.push(`${pad}service: {exponential: 20ms}`);
  out.push(...slotsComment, slots);
  out.push(`${pad}servers:`);
  const servers = backend.servers as ReadonlyArray<Record<string, unknown>>;
  servers.forEach((server, index) => {
    const address = addresses[index]?.address;
    out.push(`${pad}  - ${flow(server)}${address === undefined ? "" : `   # ${address}`}`);
  });
  if (servers.length === 0) out.push(`${pad}  [] # the cfg lists no server: add them here`);
  return out;
}
