// HAProxy 2.6's predefined ACLs (manual §7.4: TRUE, LOCALHOST, METH_GET…) as data: the loader knows their names, sim/ compiles them.
import type { AclMatch, AclMethod } from "./types.js";

/** How lbsim evaluates one of HAProxy's predefined ACLs for its requests (plain GETs, HTTP/1.x). */
export type PredefinedTest =
  | { readonly kind: "constant"; readonly value: boolean }
  | { readonly kind: "match"; readonly match: AclMatch }
  /** lbsim sends HTTP/1.1 with a Host header and HTTP/1.0 without one (as the conformance harness does). */
  | { readonly kind: "http-version"; readonly version: "1.0" | "1.1" };

export interface PredefinedAcl {
  readonly name: string;
  /** HAProxy's definition (manual §7.4). */
  readonly haproxy: string;
  readonly test: PredefinedTest;
}

const always = (value: boolean): PredefinedTest => ({ kind: "constant", value });
const criterion = (fetch: AclMatch["fetch"], method: AclMethod, ...patterns: string[]): PredefinedTest => ({
  kind: "match",
  match: { fetch, method, ignoreCase: false, patterns },
});

/**
 * HAProxy's predefined ACLs (manual §7.4), usable without an `acl` line. A frontend ACL of the same
 * name replaces one. REQ_CONTENT and WAIT_END hold for every HTTP request and RDP_COOKIE for none
 * (measured on 2.6.12: at use_backend time the whole request is in the buffer).
 */
export const PREDEFINED_ACL_DEFINITIONS: ReadonlyMap<string, PredefinedAcl> = new Map(
  (
    [
      ["TRUE", "always_true", always(true)],
      ["FALSE", "always_false", always(false)],
      ["HTTP", "req.proto_http", always(true)],
      ["HTTP_1.0", "req.ver 1.0", { kind: "http-version", version: "1.0" }],
      ["HTTP_1.1", "req.ver 1.1", { kind: "http-version", version: "1.1" }],
      ["HTTP_2.0", "req.ver 2.0", always(false)],
      ["HTTP_CONTENT", "req.hdr_val(content-length) gt 0", always(false)],
      ["HTTP_URL_ABS", "url_reg ^[^/:]*://", criterion({ kind: "url" }, "reg", "^[^/:]*://")],
      ["HTTP_URL_SLASH", "url_beg /", criterion({ kind: "url" }, "beg", "/")],
      ["HTTP_URL_STAR", "url *", criterion({ kind: "url" }, "str", "*")],
      ["LOCALHOST", "src 127.0.0.1/8 ::1", criterion({ kind: "src" }, "ip", "127.0.0.1/8", "::1")],
      ["METH_CONNECT", "method CONNECT", always(false)],
      ["METH_DELETE", "method DELETE", always(false)],
      ["METH_GET", "method GET HEAD", always(true)],
      ["METH_HEAD", "method HEAD", always(false)],
      ["METH_OPTIONS", "method OPTIONS", always(false)],
      ["METH_POST", "method POST", always(false)],
      ["METH_PUT", "method PUT", always(false)],
      ["METH_TRACE", "method TRACE", always(false)],
      ["RDP_COOKIE", "req.rdp_cookie_cnt gt 0", always(false)],
      ["REQ_CONTENT", "req.len gt 0", always(true)],
      ["WAIT_END", "wait_end", always(true)],
    ] satisfies Array<[string, string, PredefinedTest]>
  ).map(([name, haproxy, test]): [string, PredefinedAcl] => [name, { name, haproxy, test }]),
);

/**
 * The names of HAProxy's predefined ACLs (manual §7.4) lbsim evaluates: TRUE, FALSE, LOCALHOST,
 * HTTP, HTTP_1.0, HTTP_1.1, HTTP_URL_SLASH, METH_GET… (their definitions: PREDEFINED_ACL_DEFINITIONS).
 */
export const PREDEFINED_ACLS: ReadonlySet<string> = new Set(PREDEFINED_ACL_DEFINITIONS.keys());
