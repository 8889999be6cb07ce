// The chosen frontend and backend as a scenario file writes them (`frontend:`, `backend:`, durations in ms).

import type { CfgProxy } from "./model.js";

export function frontendValue(
  frontend: CfgProxy,
  globalMaxconn: number | undefined,
): Record<string, unknown> {
  const s = frontend.settings;
  const maxconn = s.maxconn ?? globalMaxconn;
  return {
    name: frontend.name,
    ...(maxconn === undefined ? {} : { maxconn }),
    ...(s.timeout.client === undefined ? {} : { timeout: { client: s.timeout.client } }),
  };
}

export function backendValue(backend: CfgProxy): Record<string, unknown> {
  const s = backend.settings;
  const timeout: Record<string, number> = {};
  for (const key of ["connect", "server", "queue"] as const) {
    const ms = s.timeout[key];
    if (ms !== undefined) timeout[key] = ms;
  }
  const check: Record<string, unknown> = {};
  if (s.httpchk === true) check.type = "http";
  if (s.timeout.check !== undefined) check.timeout = s.timeout.check;
  const ds = s.defaultServer;
  const defaultServer: Record<string, unknown> = { ...ds.fields };
  if (Object.keys(ds.check).length > 0) defaultServer.check = { ...ds.check };
  delete defaultServer.id;
  return {
    name: backend.name,
    ...(s.balance === undefined ? {} : { balance: s.balance }),
    ...(s.hashType === undefined ? {} : { "hash-type": s.hashType }),
    ...(Object.keys(timeout).length === 0 ? {} : { timeout }),
    ...(s.retries === undefined ? {} : { retries: s.retries }),
    ...(s.redispatch === undefined ? {} : { redispatch: s.redispatch }),
    ...(s.allbackups === undefined ? {} : { allbackups: s.allbackups }),
    ...(Object.keys(defaultServer).length === 0 ? {} : { "default-server": defaultServer }),
    ...(Object.keys(check).length === 0 ? {} : { check }),
    servers: backend.servers.map((server) => ({ name: server.name, ...server.fields })),
  };
}
