// test-support: the tutorial's haproxy.cfg, a site with several frontends and backends, and small
// helpers the haproxy.cfg specs share.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { InputError } from "../../errors/index.js";
import { importHaproxyCfg } from "./import.js";

const here = dirname(fileURLToPath(import.meta.url));
export const seed = readFileSync(join(here, "..", "library", "tutorial.cfg"), "utf8");

export const cfg = (...lines: string[]) => `${lines.join("\n")}\n`;
/**
 * A site: one frontend routing on path, host and source address, a stats listen, four backends
 * (`haproxy -c` accepts it).
 */
export const SITE = cfg(
  "global",
  "  maxconn 4000",
  "defaults",
  "  mode http",
  "  timeout connect 5s",
  "  timeout client 30s",
  "  timeout server 30s",
  "frontend www",
  "  bind :80",
  "  acl is_api path_beg /api/",
  "  acl is_admin hdr(host) -i admin.example.com",
  "  acl internal src 10.0.0.0/8",
  "  http-request deny if is_admin !internal",
  "  use_backend admin if is_admin internal",
  "  use_backend api if is_api",
  "  use_backend static if { path_beg /static }",
  "  default_backend web",
  "listen stats",
  "  bind :8404",
  "  stats enable",
  "  server local 127.0.0.1:8405",
  "backend api",
  "  balance leastconn",
  "  acl report path_beg /api/report",
  "  server api1 10.0.1.1:80 check",
  "  server api2 10.0.1.2:80 check",
  "backend static",
  "  server s1 10.0.2.1:80",
  "backend admin",
  "  server adm 10.0.3.1:80 check",
  "backend web",
  "  option httpchk GET /health",
  "  server web01 10.0.4.1:80 check weight 2",
  "  server web02 10.0.4.2:80 check",
);

export const imp = (text: string) => importHaproxyCfg(text, "t.cfg");
export const fails = (text: string) => {
  try {
    imp(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error("expected an InputError");
};
