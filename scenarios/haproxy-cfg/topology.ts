// Which frontend and backend the scenario simulates, with a warning for each part of the cfg it leaves out.

import { InputError } from "../errors.js";
import type { CfgImport, CfgProxy } from "./model.js";
import { backendValue, frontendValue } from "./scenario-value.js";
import type { CfgState } from "./state.js";

export function topology(r: CfgState): CfgImport {
  const frontends = r.proxies.filter((p) => p.kind === "frontend" || p.kind === "listen");
  const backends = r.proxies.filter((p) => p.kind === "backend" || p.kind === "listen");
  const findBackend = (name: string) => backends.find((b) => b.name === name);
  for (const f of frontends) {
    const d = f.defaultBackend;
    if (d !== undefined && findBackend(d.name) === undefined)
      r.issue("bad-value", d.line, d.column, `default_backend: no backend named "${d.name}" in this file`);
    for (const rule of f.useBackends) {
      if (findBackend(rule.backend) === undefined && !rule.backend.includes("%"))
        r.warn(rule.line, `use_backend: no backend named "${rule.backend}" in this file`);
    }
  }
  if (r.issues.length > 0) throw new InputError(r.issues);
  // Prefer a frontend that leads to a backend with servers.
  const target = (f: CfgProxy): CfgProxy | undefined =>
    f.defaultBackend !== undefined ? findBackend(f.defaultBackend.name) : f.kind === "listen" ? f : undefined;
  const frontend = frontends.find((f) => target(f) !== undefined) ?? frontends[0];
  let backend = frontend === undefined ? undefined : target(frontend);
  if (frontend !== undefined && backend === undefined) {
    backend = backends.length === 1 ? backends[0] : backends.find((b) => b.servers.length > 0);
    if (backend !== undefined)
      r.warn(
        frontend.line,
        `frontend ${frontend.name} has no default_backend (HAProxy answers 503 to requests no use_backend rule routes); lbsim sends every request to backend ${backend.name}`,
      );
  }
  if (backend === undefined) backend = backends.find((b) => b.servers.length > 0) ?? backends[0];
  if (backend === undefined) {
    throw InputError.one({
      code: "missing-key",
      file: r.file,
      line: 0,
      column: 0,
      path: "",
      message: "no backend or listen section: there is nothing to balance",
    });
  }
  for (const f of frontends) {
    if (f === frontend) continue;
    r.warn(
      f.line,
      `${f.kind} ${f.name} is not simulated: lbsim simulates one frontend (${frontend?.name ?? "none"}) and one backend (${backend.name}) for now`,
    );
  }
  if (frontend !== undefined) {
    for (const rule of frontend.useBackends) {
      if (rule.backend === backend.name) continue;
      r.warn(
        rule.line,
        `"${rule.text}": routing to other backends is not simulated yet; every request goes to backend ${backend.name}`,
      );
    }
  }
  for (const b of backends) {
    if (b === backend || b === frontend) continue;
    if (b.kind === "backend")
      r.warn(
        b.line,
        `backend ${b.name} is not simulated: lbsim simulates one backend (${backend.name}) for now`,
      );
  }
  if (backend.servers.length === 0)
    r.warn(
      backend.line,
      `${backend.kind} ${backend.name} has no server: the scenario must list them under backend.servers`,
    );
  const modes = [frontend?.settings.mode, backend.settings.mode];
  if (modes.includes("tcp"))
    r.warn(
      backend.line,
      "mode tcp: lbsim simulates requests as in mode http (one request per connection); hdr, uri and url_param need HTTP",
    );
  r.warnings.sort((a, b) => a.line - b.line);
  return {
    file: r.file,
    value: {
      ...(frontend === undefined ? {} : { frontend: frontendValue(frontend, r.globalMaxconn) }),
      backend: backendValue(backend),
    },
    frontendName: frontend?.name,
    backendName: backend.name,
    servers: backend.servers,
    binds: frontend?.binds ?? [],
    ignored: [...r.ignored].map(([directive, lines]) => ({ directive, lines })),
    warnings: r.warnings,
  };
}
