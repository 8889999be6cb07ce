// routing: use_backend evaluation, each expectation justified by HAProxy's manual (§7.1–7.4) or its source.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  AclFetch,
  AclMatch,
  AclMethod,
  AclTerm,
  Condition,
  FrontendSpec,
  NamedAcl,
  UseBackendRule,
} from "../scenarios/types.js";
import type { RequestView } from "../strategies/types.js";
import { compileRouting, PREDEFINED_ACL_DEFINITIONS } from "./routing.js";

const PATH: AclFetch = { kind: "path" };
const URL: AclFetch = { kind: "url" };
const HOST: AclFetch = { kind: "hdr", header: "host" };
const SRC: AclFetch = { kind: "src" };

const match = (fetch: AclFetch, method: AclMethod, patterns: string[], ignoreCase = false): AclMatch => ({
  fetch,
  method,
  ignoreCase,
  patterns,
});
const term = (acl: string | AclMatch, negate = false): AclTerm => ({ negate, acl });
const when = (...anyOf: AclTerm[][]): Condition => ({ unless: false, anyOf });
const unless = (...anyOf: AclTerm[][]): Condition => ({ unless: true, anyOf });
const rule = (backend: string, condition: Condition | null): UseBackendRule => ({
  backend,
  condition,
  text: backend,
});

/** A frontend without a `defaultBackend` field. */
const ABSENT = Symbol("absent");

function frontend(
  useBackends: UseBackendRule[],
  defaultBackend: string | null | typeof ABSENT = "dflt",
  acls: NamedAcl[] = [],
): FrontendSpec {
  return {
    name: "fe",
    maxconn: 0,
    clientTimeoutMs: Number.POSITIVE_INFINITY,
    acls,
    useBackends,
    ...(defaultBackend === ABSENT ? {} : { defaultBackend }),
  };
}

function request(path: string, host = "", sourceIp = "10.0.0.1"): RequestView {
  const [a, b, c, d] = sourceIp.split(".").map(Number) as [number, number, number, number];
  return { sourceIp, sourceKey: a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d, path, host };
}

/** Whether one criterion matches the request (routed to "yes", else the default "no"). */
function matches(m: AclMatch, req: RequestView): boolean {
  return compileRouting(frontend([rule("yes", when([term(m)]))], "no"))(req) === "yes";
}

describe("compileRouting: rules and defaults", () => {
  it("without rules returns the default backend without reading the request", () => {
    const untouchable = new Proxy({} as RequestView, {
      get: () => {
        throw new Error("read the request");
      },
    });
    expect(compileRouting(frontend([], "web"))(untouchable)).toBe("web");
    expect(compileRouting(frontend([], null))(untouchable)).toBeNull();
    expect(compileRouting(frontend([], ABSENT))(untouchable)).toBeUndefined();
  });

  it("gives the first rule whose condition holds (rules are tried in order)", () => {
    const route = compileRouting(
      frontend([
        rule("api", when([term(match(PATH, "beg", ["/api"]))])),
        rule("v1", when([term(match(PATH, "sub", ["/v1/"]))])),
        rule("all", null),
      ]),
    );
    expect(route(request("/api/v1/x"))).toBe("api");
    expect(route(request("/x/v1/y"))).toBe("v1");
    expect(route(request("/other"))).toBe("all");
  });

  it("falls back to default_backend, null when there is none, undefined when the frontend says nothing", () => {
    const rules = [rule("api", when([term(match(PATH, "beg", ["/api"]))]))];
    expect(compileRouting(frontend(rules, "web"))(request("/"))).toBe("web");
    expect(compileRouting(frontend(rules, null))(request("/"))).toBeNull();
    expect(compileRouting(frontend(rules, ABSENT))(request("/"))).toBeUndefined();
  });

  it("reads the path and the Host header at most once per request", () => {
    let reads = 0;
    const counted: RequestView = {
      sourceIp: "10.0.0.1",
      sourceKey: 0x0a000001,
      get path() {
        reads++;
        return "/a?b";
      },
      get host() {
        reads++;
        return "example.com";
      },
    };
    const route = compileRouting(
      frontend([
        rule("a", when([term(match(PATH, "str", ["/x"])), term(match(HOST, "str", ["x"]))])),
        rule("b", when([term(match(URL, "end", ["?x"]))], [term(match(HOST, "beg", ["z"]))])),
      ]),
    );
    expect(route(counted)).toBe("dflt");
    expect(reads).toBe(2);
  });

  it("throws on a reference to an ACL the frontend lacks (the loader must have refused it)", () => {
    expect(() => compileRouting(frontend([rule("a", when([term("nope")]))]))).toThrow(/no ACL named "nope"/);
  });
});

describe("compileRouting: conditions (manual §7.2)", () => {
  const api = match(PATH, "beg", ["/api"]);
  const admin = match(HOST, "beg", ["admin."]);

  it("ANDs the terms of a group and ORs the groups", () => {
    const route = compileRouting(
      frontend([rule("x", when([term(api), term(admin)], [term(match(PATH, "str", ["/"]))]))]),
    );
    expect(route(request("/api", "admin.a"))).toBe("x");
    expect(route(request("/api", "www.a"))).toBe("dflt");
    expect(route(request("/", ""))).toBe("x");
  });

  it("negates a term with !, and a missing header fails its criterion so its negation holds", () => {
    const route = compileRouting(frontend([rule("x", when([term(admin, true)]))]));
    expect(route(request("/", "admin.a"))).toBe("dflt");
    expect(route(request("/", "www.a"))).toBe("x");
    expect(route(request("/", ""))).toBe("x");
  });

  it("inverts the whole condition with unless", () => {
    const route = compileRouting(frontend([rule("x", unless([term(api)], [term(admin)]))]));
    expect(route(request("/api", ""))).toBe("dflt");
    expect(route(request("/", "admin.a"))).toBe("dflt");
    expect(route(request("/", "www.a"))).toBe("x");
  });

  it("ORs the criteria of a named ACL (acl lines with the same name)", () => {
    const statics: NamedAcl = {
      name: "static",
      matches: [match(PATH, "end", [".css"]), match(PATH, "beg", ["/img/"])],
    };
    const route = compileRouting(frontend([rule("s", when([term("static")]))], "dflt", [statics]));
    expect(route(request("/a.css"))).toBe("s");
    expect(route(request("/img/a.png"))).toBe("s");
    expect(route(request("/a.js"))).toBe("dflt");
  });

  it("evaluates predefined ACLs, and lets a frontend ACL of the same name replace one", () => {
    const route = compileRouting(
      frontend([
        rule("f", when([term("FALSE")], [term("METH_HEAD")], [term("HTTP_2.0")], [term("HTTP_CONTENT")])),
        rule("v10", when([term("HTTP_1.0"), term("LOCALHOST"), term("METH_GET")])),
        rule("v11", when([term("HTTP_1.1"), term("HTTP_URL_SLASH"), term("HTTP")])),
      ]),
    );
    expect(route(request("/", "", "127.0.0.1"))).toBe("v10");
    expect(route(request("/", "", "10.0.0.1"))).toBe("dflt");
    expect(route(request("/", "a", "10.0.0.1"))).toBe("v11");
    const own: NamedAcl = { name: "TRUE", matches: [match(PATH, "str", ["/t"])] };
    const overridden = compileRouting(frontend([rule("t", when([term("TRUE")]))], "dflt", [own]));
    expect(overridden(request("/t"))).toBe("t");
    expect(overridden(request("/"))).toBe("dflt");
  });

  it("treats a condition without groups as HAProxy does: if never holds, unless always", () => {
    expect(compileRouting(frontend([rule("x", when())]))(request("/"))).toBe("dflt");
    expect(compileRouting(frontend([rule("x", unless())]))(request("/"))).toBe("x");
  });
});

describe("compileRouting: fetches and matching methods (manual §7.1.3, §7.3.6)", () => {
  it("path stops before the query string; url keeps it", () => {
    expect(matches(match(PATH, "end", [".css"]), request("/a.css?v=3"))).toBe(true);
    expect(matches(match(URL, "end", [".css"]), request("/a.css?v=3"))).toBe(false);
    expect(matches(match(URL, "sub", ["v=3"]), request("/a.css?v=3"))).toBe(true);
    expect(matches(match(PATH, "str", ["/a"]), request("/a?"))).toBe(true);
  });

  it("str is exact, beg a prefix, end a suffix, sub a substring", () => {
    expect(matches(match(PATH, "str", ["/api"]), request("/api/"))).toBe(false);
    expect(matches(match(PATH, "beg", ["/api"]), request("/apix"))).toBe(true);
    expect(matches(match(PATH, "beg", ["/api/x"]), request("/api"))).toBe(false);
    expect(matches(match(PATH, "end", ["x"]), request("/apix"))).toBe(true);
    expect(matches(match(PATH, "sub", ["pi"]), request("/apix"))).toBe(true);
    expect(matches(match(PATH, "sub", ["pix/"]), request("/apix"))).toBe(false);
  });

  it("-i folds ASCII letters only, like strncasecmp", () => {
    expect(matches(match(PATH, "beg", ["/API"], true), request("/api/x"))).toBe(true);
    expect(matches(match(PATH, "beg", ["/API"]), request("/api/x"))).toBe(false);
    expect(matches(match(PATH, "str", ["/É"], true), request("/é"))).toBe(false);
  });

  // The manual's example says "png" does not match; HAProxy 2.6.12 (pattern.c match_word) says it does.
  it("dir matches slash-delimited words (the manual's /images/png/logo/32x32.png example, as measured)", () => {
    const target = request("/images/png/logo/32x32.png");
    for (const yes of [
      "/images",
      "/images/png",
      "images/png",
      "/png/logo",
      "logo/32x32.png",
      "32x32.png",
      "png",
    ])
      expect(matches(match(PATH, "dir", [yes]), target), yes).toBe(true);
    for (const no of ["32x32", "/", "ima", "images/logo"])
      expect(matches(match(PATH, "dir", [no]), target), no).toBe(false);
  });

  // The manual's example says "dc-eu.example:80" matches; HAProxy 2.6.12 says it does not (".com" is between).
  it("dom matches words delimited by . : / ? (the manual's www1.dc-eu.example.com example, as measured)", () => {
    const target = request("http://www1.dc-eu.example.com:80/blah");
    const yes = ["http", "www1", ".www1", "dc-eu", "example", "com", "80", "dc-eu.example", "blah", ":www1:"];
    for (const p of yes) expect(matches(match(URL, "dom", [p]), target), p).toBe(true);
    for (const p of ["eu", "dc", "dc-eu.example:80", "..."])
      expect(matches(match(URL, "dom", [p]), target), p).toBe(false);
  });

  it("reg searches anywhere in the sample, case-insensitively with -i", () => {
    expect(matches(match(PATH, "reg", ["v[0-9]+/"]), request("/x/v2/y"))).toBe(true);
    expect(matches(match(PATH, "reg", ["^/v[0-9]+/"]), request("/x/v2/y"))).toBe(false);
    expect(matches(match(PATH, "reg", ["\\.PNG$"], true), request("/a.png?x"))).toBe(true);
    expect(matches(match(URL, "reg", ["\\.PNG$"], true), request("/a.png?x"))).toBe(false);
  });

  it("len compares the sample's length with integers and ranges", () => {
    const length = (patterns: string[], path: string) => matches(match(PATH, "len", patterns), request(path));
    expect(length(["4"], "/abc")).toBe(true);
    expect(length(["3:5"], "/abcd")).toBe(true);
    expect(length(["3-5"], "/abcdef")).toBe(false);
    expect(length([":2"], "/a")).toBe(true);
    expect(length(["8:"], "/abcdef")).toBe(false);
    expect(length(["1", "7:"], "/abcdef?query")).toBe(true);
  });

  it("found holds whenever the sample exists", () => {
    expect(matches(match(HOST, "found", []), request("/", "x"))).toBe(true);
    expect(matches(match(HOST, "found", []), request("/", ""))).toBe(false);
    expect(matches(match(PATH, "found", []), request("/"))).toBe(true);
  });

  it("a criterion without patterns never matches (HAProxy warns)", () => {
    expect(matches(match(PATH, "beg", []), request("/"))).toBe(false);
    expect(matches(match(SRC, "ip", []), request("/"))).toBe(false);
  });

  it("hdr(host) tests each comma-separated value, blanks trimmed", () => {
    expect(matches(match(HOST, "str", ["b.com"]), request("/", "a.com, b.com"))).toBe(true);
    expect(matches(match(HOST, "str", ["a.com"]), request("/", "a.com ,b.com"))).toBe(true);
    expect(matches(match(HOST, "len", ["0"]), request("/", "a.com,,b"))).toBe(true);
    expect(matches(match(HOST, "str", ["a.com, b.com"]), request("/", "a.com, b.com"))).toBe(false);
  });

  it("keeps the port in the Host value: str fails, dom and end see it", () => {
    const req = request("/", "Example.com:8080");
    expect(matches(match(HOST, "str", ["example.com"], true), req)).toBe(false);
    expect(matches(match(HOST, "dom", ["example.com"], true), req)).toBe(true);
    expect(matches(match(HOST, "end", [":8080"]), req)).toBe(true);
  });

  it("sees no header but Host: any other one is absent", () => {
    const other = match({ kind: "hdr", header: "user-agent" }, "found", []);
    expect(matches(other, request("/", "x"))).toBe(false);
    const route = compileRouting(frontend([rule("x", when([term(other, true)]))]));
    expect(route(request("/", "x"))).toBe("x");
  });
});

describe("compileRouting: src (manual §7.1.6)", () => {
  const src = (patterns: string[], ip: string) => matches(match(SRC, "ip", patterns), request("/", "", ip));

  it("matches addresses and CIDR networks", () => {
    expect(src(["10.0.0.0/8"], "10.200.1.2")).toBe(true);
    expect(src(["10.0.0.0/8"], "11.0.0.1")).toBe(false);
    expect(src(["192.168.1.7"], "192.168.1.7")).toBe(true);
    expect(src(["192.168.1.7"], "192.168.1.8")).toBe(false);
    expect(src(["10.0.0.12/8"], "10.9.9.9")).toBe(true);
    expect(src(["0.0.0.0/0"], "203.0.113.9")).toBe(true);
    expect(src(["255.255.255.255/32"], "255.255.255.255")).toBe(true);
  });

  it("reads 127.1 as 127.0.0.1 and 10.2.3 as 10.2.0.3, as the manual's table says", () => {
    expect(src(["127.1"], "127.0.0.1")).toBe(true);
    expect(src(["127.1"], "127.1.0.0")).toBe(false);
    expect(src(["10.2.3"], "10.2.0.3")).toBe(true);
  });

  it("applies dotted masks, contiguous or not", () => {
    expect(src(["10.1.0.0/255.255.0.0"], "10.1.7.7")).toBe(true);
    expect(src(["127.0.0.3/255.0.255.0"], "127.9.0.77")).toBe(true);
    expect(src(["127.0.0.3/255.0.255.0"], "127.9.1.77")).toBe(false);
  });

  it("compares IPv6 patterns with the source's mapped form ::ffff:a.b.c.d", () => {
    expect(src(["::ffff:127.1.0.0/112"], "127.1.2.3")).toBe(true);
    expect(src(["::ffff:7f01:0/112"], "127.1.2.3")).toBe(true);
    expect(src(["::ffff:127.1.0.0/112"], "127.2.0.1")).toBe(false);
    expect(src(["::ffff:0:0/96"], "8.8.8.8")).toBe(true);
    expect(src(["::/0"], "8.8.8.8")).toBe(true);
    expect(src(["::1", "2001:db8::/32"], "127.0.0.1")).toBe(false);
  });

  it("casts the address to its dotted text for string methods", () => {
    expect(matches(match(SRC, "beg", ["127.0."]), request("/", "", "127.0.9.1"))).toBe(true);
    expect(matches(match(SRC, "len", ["9"]), request("/", "", "127.0.0.1"))).toBe(true);
  });
});

describe("compileRouting: properties", () => {
  const paths = fc.constantFrom("/", "/api", "/API/v1", "/static/a.css?v=1", "/a/b/c", "/v2/x?q=/api/");
  const hosts = fc.constantFrom("", "example.com", "Example.com:8080", "a.com, b.com", "admin.x");
  const ips = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));
  const requests = fc.tuple(paths, hosts, ips).map(([path, host, ip]) => request(path, host, ip));
  const criteria = fc.constantFrom(
    match(PATH, "beg", ["/api"], true),
    match(URL, "sub", ["api"]),
    match(PATH, "dir", ["b"]),
    match(HOST, "dom", ["example"], true),
    match(HOST, "found", []),
    match(SRC, "ip", ["128.0.0.0/1"]),
    match(PATH, "len", ["1:4"]),
  );

  it("`unless c` routes exactly like `if !c` for a single term", () => {
    fc.assert(
      fc.property(criteria, fc.boolean(), requests, (m, negate, req) => {
        const a = compileRouting(frontend([rule("x", unless([term(m, negate)]))]));
        const b = compileRouting(frontend([rule("x", when([term(m, !negate)]))]));
        expect(a(req)).toBe(b(req));
      }),
    );
  });

  it("`unless a || b` routes like `if !a !b` (De Morgan)", () => {
    fc.assert(
      fc.property(criteria, criteria, requests, (a, b, req) => {
        const x = compileRouting(frontend([rule("x", unless([term(a)], [term(b)]))]));
        const y = compileRouting(frontend([rule("x", when([term(a, true), term(b, true)]))]));
        expect(x(req)).toBe(y(req));
      }),
    );
  });

  it("src a.b.c.d/n matches exactly the sources sharing its first n bits", () => {
    fc.assert(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), fc.nat(32), (network, source, bits) => {
        const dotted = (k: number) => [k >>> 24, (k >>> 16) & 255, (k >>> 8) & 255, k & 255].join(".");
        const shift = 32 - bits;
        const same = bits === 0 || Math.floor(network / 2 ** shift) === Math.floor(source / 2 ** shift);
        expect(
          matches(match(SRC, "ip", [`${dotted(network)}/${bits}`]), request("/", "", dotted(source))),
        ).toBe(same);
      }),
    );
  });

  it("-i on ASCII text is matching the lower-cased text against the lower-cased pattern", () => {
    const ascii = fc.string({ unit: fc.constantFrom("a", "B", "c", "/", "."), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.constantFrom<AclMethod>("str", "beg", "end", "sub", "dir", "dom"),
        ascii,
        ascii,
        (method, p, t) => {
          fc.pre(p !== "");
          const folded = matches(match(PATH, method, [p], true), request(`/${t}`));
          const lowered = matches(match(PATH, method, [p.toLowerCase()]), request(`/${t}`.toLowerCase()));
          expect(folded).toBe(lowered);
        },
      ),
    );
  });
});

describe("PREDEFINED_ACL_DEFINITIONS", () => {
  it("has HAProxy 2.6's names (manual §7.4)", () => {
    expect([...PREDEFINED_ACL_DEFINITIONS.keys()].sort()).toEqual(
      [
        "FALSE",
        "HTTP",
        "HTTP_1.0",
        "HTTP_1.1",
        "HTTP_2.0",
        "HTTP_CONTENT",
        "HTTP_URL_ABS",
        "HTTP_URL_SLASH",
        "HTTP_URL_STAR",
        "LOCALHOST",
        "METH_CONNECT",
        "METH_DELETE",
        "METH_GET",
        "METH_HEAD",
        "METH_OPTIONS",
        "METH_POST",
        "METH_PUT",
        "METH_TRACE",
        "RDP_COOKIE",
        "REQ_CONTENT",
        "TRUE",
        "WAIT_END",
      ].sort(),
    );
  });
});
