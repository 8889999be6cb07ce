// A frontend or backend as a scenario file writes it (an item of `frontends:`/`backends:`, or the
// one `frontend:`/`backend:`), durations as the cfg writes them (`30s`, or bare ms).

import type { CfgProxy, ProxyValue } from "./model.js";

/** What the frontend value says of routing; empty lists and undefined are left out. */
export interface RoutingValue {
  readonly acl: ReadonlyArray<string>;
  readonly useBackend: ReadonlyArray<string>;
  readonly defaultBackend: string | undefined;
}

export function frontendValue(
  frontend: CfgProxy,
  globalMaxconn: number | undefined,
  route: RoutingValue,
): ProxyValue {
  const s = frontend.settings;
  const maxconn = s.maxconn ?? globalMaxconn;
  return {
    name: frontend.name,
    ...(maxconn === undefined ? {} : { maxconn }),
    ...(s.timeout.client === undefined ? {} : { timeout: { client: s.timeout.client } }),
    ...(route.acl.length === 0 ? {} : { acl: [...route.acl] }),
    ...(route.useBackend.length === 0 ? {} : { use_backend: [...route.useBackend] }),
    ...(route.defaultBackend === undefined ? {} : { default_backend: route.defaultBackend }),
  };
}

export function backendValue(backend: CfgProxy): ProxyValue {
  const s = backend.settings;
  const timeout: Record<string, number | string> = {};
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
    ...(s.abortonclose === undefined ? {} : { abortonclose: s.abortonclose }),
    ...(Object.keys(defaultServer).length === 0 ? {} : { "default-server": defaultServer }),
    ...(Object.keys(check).length === 0 ? {} : { check }),
    servers: backend.servers.map((server) => ({ name: server.name, ...server.fields })),
  };
}
