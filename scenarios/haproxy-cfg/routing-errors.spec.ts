// The haproxy.cfg importer on routing HAProxy refuses to load: a use_backend or default_backend
// naming no backend, an ACL name no acl line above defines, a malformed acl or condition. Each was
// checked with `haproxy -c -f file.cfg` (HAProxy 2.6.12), whose message the test's comment quotes.
import { describe, expect, it } from "vitest";
import { cfg, fails, imp } from "./test-support.js";

describe("importHaproxyCfg: routing HAProxy refuses", () => {
  const backends = ["backend web", "  server w 1:1", "backend api", "  server a 1:1"];

  it("a use_backend naming no backend", () => {
    // HAProxy: "Proxy 'f': unable to find required use_backend: 'nope'."
    const issues = fails(
      cfg("frontend f", "  use_backend nope if TRUE", "  default_backend web", ...backends),
    );
    expect(issues).toEqual([
      {
        code: "bad-value",
        file: "t.cfg",
        line: 2,
        column: 15,
        path: "",
        message: 'use_backend: no backend named "nope" in this file',
        hint: "the backends in this file are web, api",
      },
    ]);
  });

  it("a use_backend naming a frontend", () => {
    // HAProxy: "unable to find required use_backend: 'g'": a frontend cannot take requests from another.
    const issues = fails(
      cfg("frontend f", "  use_backend g", "frontend g", "  default_backend web", ...backends),
    );
    expect(issues[0]).toMatchObject({
      line: 2,
      column: 15,
      message: 'use_backend: no backend named "g" in this file',
    });
  });

  it("an ACL name no acl line above defines", () => {
    // HAProxy: "error detected while parsing switching rule : no such ACL : 'is_static'."
    const issues = fails(
      cfg("frontend f", "  acl is_api path_beg /api/", "  use_backend api if is_api !is_static", ...backends),
    );
    expect(issues).toEqual([
      {
        code: "bad-value",
        file: "t.cfg",
        line: 3,
        column: 30,
        path: "",
        message: 'use_backend: no ACL named "is_static" above this line in frontend f',
        hint: "define it above with acl is_static <criterion>, or write the criterion in braces: use_backend api if { path_beg /api/ }",
      },
    ]);
  });

  it("an ACL used above its acl line", () => {
    // HAProxy reads rules in order: the same "no such ACL" when the acl line comes after the rule.
    const issues = fails(
      cfg("frontend f", "  use_backend api if is_api", "  acl is_api path_beg /api/", ...backends),
    );
    expect(issues[0]).toMatchObject({ line: 2, column: 22 });
    expect(issues[0]?.hint).toBe(
      "it is defined below, on line 3: HAProxy refuses a rule that uses an ACL before its acl line",
    );
  });

  it("an ACL of another frontend", () => {
    // HAProxy: "no such ACL": each frontend has its own ACLs.
    const issues = fails(
      cfg(
        "frontend f",
        "  acl is_api path_beg /api/",
        "  default_backend web",
        "frontend g",
        "  use_backend api if is_api",
        ...backends,
      ),
    );
    expect(issues[0]).toMatchObject({
      line: 5,
      message: 'use_backend: no ACL named "is_api" above this line in frontend g',
    });
  });

  it("takes HAProxy's predefined ACLs without an acl line", () => {
    // `haproxy -c` accepts TRUE, HTTP, METH_GET and LOCALHOST without any acl line.
    const r = imp(
      cfg(
        "frontend f",
        "  use_backend api if HTTP METH_GET",
        "  use_backend web unless LOCALHOST",
        ...backends,
      ),
    );
    expect(r.value.frontend).toEqual({
      name: "f",
      use_backend: ["api if HTTP METH_GET", "web unless LOCALHOST"],
    });
  });

  it("a malformed acl a rule uses, at the criterion", () => {
    // HAProxy: "error detected while parsing ACL 'is_api' : unknown fetch method 'path_frob'".
    const issues = fails(
      cfg("frontend f", "  acl is_api path_frob /api/", "  use_backend api if is_api", ...backends),
    );
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue).toMatchObject({ file: "t.cfg", line: 2, column: 14 });
      expect(issue.message).toMatch(/^acl is_api: /);
    }
  });

  it("a malformed condition", () => {
    const issues = fails(
      cfg("frontend f", "  use_backend api if { path_beg /api/", "  default_backend web", ...backends),
    );
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ line: 2, column: 19 });
    expect(issues[0]?.message).toMatch(/^use_backend: /);
  });

  it("an acl line with nothing after its name", () => {
    expect(fails(cfg("frontend f", "  acl is_api", ...backends))[0]).toMatchObject({
      line: 2,
      column: 13,
      message: "acl: found nothing, expected a name and a criterion (path_beg, path, hdr(host), src…)",
    });
  });

  it("reports every such problem of the file at once", () => {
    const issues = fails(
      cfg(
        "frontend f",
        "  use_backend nope",
        "  use_backend api if missing",
        "  default_backend gone",
        ...backends,
      ),
    );
    expect(issues.map((i) => i.line)).toEqual([2, 3, 4]);
  });
});
