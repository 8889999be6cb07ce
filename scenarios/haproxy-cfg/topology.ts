// Every frontend and backend of the cfg as the scenario writes them, with a warning wherever lbsim
// does something other than what HAProxy would do with the file.

import { InputError } from "../../errors/index.js";
import type { CfgImport, CfgProxy, CfgTopology } from "./model.js";
import { routing } from "./routing.js";
import { backendValue, frontendValue } from "./scenario-value.js";
import type { CfgState } from "./state.js";

export function topology(r: CfgState): CfgImport {
  const frontends = r.proxies.filter((p) => p.kind === "frontend" || p.kind === "listen");
  const backends = r.proxies.filter((p) => p.kind === "backend" || p.kind === "listen");
  const names = backends.map((b) => b.name);
  const routes = frontends.map((f) => routing(r, f, names));
  if (r.issues.length > 0) throw new InputError([...r.issues].sort((a, b) => a.line - b.line));
  const first = backends[0];
  if (first === undefined) {
    throw InputError.one({
      code: "missing-key",
      file: r.file,
      line: 0,
      column: 0,
      path: "",
      message: "no backend or listen section: there is nothing to balance",
    });
  }
  // Where lbsim sends a frontend that routes nowhere (HAProxy would answer 503 to all it receives).
  const fallback = backends.length === 1 ? first : (backends.find((b) => b.servers.length > 0) ?? first);
  // Without any frontend, the scenario's own sends every request to the first backend (see below).
  const targets = new Set<string>(frontends.length === 0 ? [first.name] : []);
  const frontendValues = frontends.map((f, i) => {
    const route = routes[i]!;
    for (const t of route.targets) targets.add(t);
    let defaultBackend = route.defaultBackend;
    if (defaultBackend === undefined && route.useBackend.length === 0) {
      r.warn(
        f.line,
        backends.length === 1
          ? `frontend ${f.name} has no default_backend (HAProxy answers 503 to requests no use_backend rule routes); lbsim sends every request to backend ${fallback.name}`
          : `frontend ${f.name} has no default_backend and no use_backend (HAProxy answers 503 to every request); lbsim sends every request to backend ${fallback.name}`,
      );
      targets.add(fallback.name);
      if (backends.length > 1) defaultBackend = fallback.name;
    }
    // One frontend sending everything to the one backend: the scenario says so by naming neither.
    const plain = frontends.length === 1 && backends.length === 1 && route.useBackend.length === 0;
    return frontendValue(f, r.globalMaxconn, {
      acl: route.acl,
      useBackend: route.useBackend,
      defaultBackend: plain ? undefined : defaultBackend,
    });
  });
  for (const b of backends) {
    if (!targets.has(b.name))
      r.warn(
        b.line,
        frontends.length === 0
          ? `${b.kind} ${b.name} receives no traffic: the file has no frontend, and lbsim sends every request to the first backend (${first.name})`
          : `${b.kind} ${b.name} receives no traffic: no default_backend or use_backend names it`,
      );
    if (b.servers.length === 0)
      r.warn(
        b.line,
        backends.length === 1
          ? `${b.kind} ${b.name} has no server: the scenario must list them under backend.servers`
          : `${b.kind} ${b.name} has no server: the scenario must list them under backends: [{name: ${b.name}, servers: […]}]`,
      );
  }
  warnTcp(r, [...frontends, ...backends.filter((b) => b.kind === "backend")]);
  r.warnings.sort((a, b) => a.line - b.line);
  const backendValues = backends.map(backendValue);
  // Without a frontend, the scenario's own sends everything to its one backend; with several, it
  // must be told which.
  const noFrontend = backends.length === 1 ? {} : { frontend: { default_backend: first.name } };
  const value: CfgTopology = {
    ...(r.globalMaxconn === undefined ? {} : { global: { maxconn: r.globalMaxconn } }),
    ...(frontendValues.length === 0
      ? noFrontend
      : frontendValues.length === 1
        ? { frontend: frontendValues[0]! }
        : { frontends: frontendValues }),
    ...(backendValues.length === 1 ? { backend: backendValues[0]! } : { backends: backendValues }),
  };
  return {
    file: r.file,
    value,
    frontends: frontends.map((f) => ({ name: f.name, binds: f.binds })),
    backends: backends.map((b) => ({ name: b.name, servers: b.servers })),
    // In the order of their first line (ACLs are sorted out only once the whole file is read).
    ignored: [...r.ignored]
      .map(([directive, lines]) => ({ directive, lines: [...lines].sort((a, b) => a - b) }))
      .sort((a, b) => a.lines[0]! - b.lines[0]!),
    warnings: r.warnings,
  };
}

function warnTcp(r: CfgState, proxies: ReadonlyArray<CfgProxy>): void {
  const tcp = proxies.filter((p) => p.settings.mode === "tcp");
  if (tcp.length === 0) return;
  r.warn(
    Math.min(...tcp.map((p) => p.line)),
    `mode tcp (${tcp.map((p) => `${p.kind} ${p.name}`).join(", ")}): lbsim simulates requests as in mode http (one request per connection); hdr, uri, url_param and ACLs on paths or headers need HTTP`,
  );
}
