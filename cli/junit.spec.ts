// Spec of cli/junit.ts: the JUnit XML of `lbsim check` is well-formed XML 1.0, with the layout CI
// servers read, and every name survives escaping. A small strict XML reader below checks it.
import { describe, expect, it } from "vitest";
import type { CheckedExpectation, CheckJson, ScenarioCheck } from "./check-command.js";
import { describeCheck, renderJunit, xmlAttribute, xmlText } from "./junit.js";

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
/** What XML 1.0 allows in a document (§2.2 Char), as UTF-16 with surrogates paired. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * A strict reader for the subset of XML the report uses: a declaration, elements, attributes in
 * double quotes, text, the five predefined entities and character references. Throws on anything
 * malformed: mismatched or unclosed tags, a raw `<` or `&` where it cannot be, a duplicate
 * attribute, a character XML does not allow, content after the root.
 */
function parseXml(xml: string): XmlElement {
  if (NOT_XML_CHAR.test(xml)) throw new Error("a character XML 1.0 does not allow");
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!xml.startsWith(declaration)) throw new Error("no XML declaration");
  let at = declaration.length;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${at}: ${JSON.stringify(xml.slice(at, at + 30))}`);
  };
  const decode = (raw: string, attribute: boolean): string => {
    if (raw.includes("<")) fail("a raw < in text or an attribute");
    // An XML parser turns literal tabs and line breaks in attributes into spaces (§3.3.3).
    const normalized = attribute ? raw.replace(/[\t\n\r]/g, " ") : raw;
    return normalized.replace(/&([^;]*);|&/g, (match, entity: string | undefined) => {
      if (entity === undefined) return fail("a raw &");
      const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
      if (named[entity] !== undefined) return named[entity];
      const code = /^#x([0-9A-Fa-f]+)$/.exec(entity)?.[1] ?? /^#(\d+)$/.exec(entity)?.[1];
      if (code === undefined) return fail(`an unknown entity ${match}`);
      return String.fromCodePoint(entity.startsWith("#x") ? Number.parseInt(code, 16) : Number(code));
    });
  };
  const element = (): XmlElement => {
    if (xml[at] !== "<") fail("expected <");
    at++;
    const name = NAME.exec(xml.slice(at))?.[0] ?? fail("expected an element name");
    at += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const space = /^\s*/.exec(xml.slice(at))?.[0] ?? "";
      at += space.length;
      if (xml.startsWith("/>", at)) {
        at += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (xml[at] === ">") {
        at++;
        break;
      }
      if (space === "") fail("expected a space before an attribute");
      const attribute = NAME.exec(xml.slice(at))?.[0] ?? fail("expected an attribute name");
      at += attribute.length;
      if (!xml.startsWith('="', at)) fail('expected ="');
      at += 2;
      const end = xml.indexOf('"', at);
      if (end < 0) fail("an unclosed attribute value");
      if (attribute in attributes) fail(`attribute ${attribute} given twice`);
      attributes[attribute] = decode(xml.slice(at, end), true);
      at = end + 1;
    }
    const node: XmlElement = { name, attributes, children: [], text: "" };
    for (;;) {
      const next = xml.indexOf("<", at);
      if (next < 0) fail(`<${name}> is never closed`);
      node.text += decode(xml.slice(at, next), false);
      at = next;
      if (xml.startsWith("</", at)) {
        at += 2;
        if (!xml.startsWith(`${name}>`, at)) fail(`expected </${name}>`);
        at += name.length + 1;
        return node;
      }
      node.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(at).trim() !== "") fail("content after the root element");
  return root;
}

const children = (node: XmlElement | undefined, name: string): XmlElement[] =>
  node?.children.filter((c) => c.name === name) ?? [];

function check(name: string, pass: boolean, actual: number, values = [actual]): CheckedExpectation {
  return { name, pass, actual, values, limit: 0 };
}

function scenario(overrides: Partial<ScenarioCheck>): ScenarioCheck {
  return {
    file: "scenarios/x.yaml",
    scenario: "x",
    strategy: "roundrobin",
    compared: [],
    seeds: [1],
    status: "pass",
    checks: [],
    ...overrides,
  };
}

function report(scenarios: ScenarioCheck[], replications = 1): CheckJson {
  const checks = scenarios.flatMap((s) => s.checks);
  const failed = checks.filter((c) => !c.pass).length;
  return {
    replications,
    passed: failed === 0,
    totals: {
      scenarios: scenarios.length,
      expectations: checks.length,
      passed: checks.length - failed,
      failed,
    },
    scenarios,
  };
}

describe("renderJunit", () => {
  it("writes testsuites, a testsuite per scenario and a testcase per expectation", () => {
    const xml = renderJunit(
      report(
        [
          scenario({
            file: "lib/a.yaml",
            scenario: "a",
            compared: ["roundrobin", "leastconn"],
            seeds: [3, 4, 5],
            checks: [
              { ...check("p99 < 300ms", true, 120, [110, 120, 130]), ci95: { low: 95.2, high: 144.8 } },
              check("leastconn.p99 < roundrobin.p99", true, 80, [70, 80, 90]),
            ],
          }),
          scenario({
            file: "lib/b.yaml",
            scenario: "b",
            status: "fail",
            seeds: [1, 2, 3],
            checks: [
              {
                ...check("errors < 0.1%", false, 0.0194, [0.02, 0.0194, 0.0188]),
                limit: 0.001,
                ci95: { low: 0.0181, high: 0.0207 },
              },
              check("p50 < 1s", true, 5),
            ],
          }),
          scenario({ file: "lib/c.yaml", scenario: "c", seeds: [], status: "no expectations" }),
          scenario({ file: "lib/d.yaml", scenario: "d", seeds: [], status: "interrupted", partial: true }),
        ],
        3,
      ),
      { wallMs: [1234, 50, 0, 7], notRun: [{ file: "lib/e.yaml", scenario: "e" }] },
    );
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toEqual({
      name: "lbsim check",
      tests: "6",
      failures: "1",
      errors: "0",
      skipped: "2",
      time: "1.291",
    });
    const suites = children(root, "testsuite");
    expect(
      suites.map((s) => [
        s.attributes.name,
        s.attributes.file,
        s.attributes.tests,
        s.attributes.failures,
        s.attributes.skipped,
        s.attributes.time,
      ]),
    ).toEqual([
      ["a", "lib/a.yaml", "2", "0", "0", "1.234"],
      ["b", "lib/b.yaml", "2", "1", "0", "0.050"],
      ["c", "lib/c.yaml", "0", "0", "0", "0.000"],
      ["d", "lib/d.yaml", "1", "0", "1", "0.007"],
      ["e", "lib/e.yaml", "1", "0", "1", "0.000"],
    ]);
    const properties = (suite: XmlElement | undefined) =>
      Object.fromEntries(
        children(children(suite, "properties")[0], "property").map((p) => [
          p.attributes.name,
          p.attributes.value,
        ]),
      );
    expect(properties(suites[0])).toEqual({
      strategy: "roundrobin",
      compare: "roundrobin,leastconn",
      replications: "3",
      seeds: "3..5",
    });

    const cases = children(suites[0], "testcase");
    expect(cases.map((c) => [c.attributes.name, c.attributes.classname, c.attributes.file])).toEqual([
      ["p99 < 300ms", "a", "lib/a.yaml"],
      ["leastconn.p99 < roundrobin.p99", "a", "lib/a.yaml"],
    ]);
    expect(children(cases[0], "failure")).toEqual([]);
    expect(children(cases[0], "system-out")[0]?.text).toBe(
      "mean 120 ms; 95% CI 95.2 ms..145 ms\nper replication: 110 ms, 120 ms, 130 ms",
    );

    const failed = children(suites[1], "testcase")[0];
    const [failure] = children(failed, "failure");
    expect(failure?.attributes).toEqual({
      message: "expected errors < 0.1%, actual 1.9% vs 0.10%: 1.84 points (1840%) over",
      type: "expectation",
    });
    expect(failure?.text).toBe(
      "mean 1.9%; 95% CI 1.8%..2.1%; 1.84 points (1840%) over\nper replication: 2.0%, 1.9%, 1.9%",
    );
    expect(children(children(suites[1], "testcase")[1], "failure")).toEqual([]);

    expect(children(suites[2], "testcase")).toEqual([]);
    expect(children(suites[2], "system-out")[0]?.text).toBe("no expectations: nothing to check; not run");
    expect(children(children(suites[3], "testcase")[0], "skipped")[0]?.attributes.message).toBe(
      "stopped by Ctrl-C before a replication was complete",
    );
    expect(children(children(suites[4], "testcase")[0], "skipped")[0]?.attributes.message).toBe(
      "not run: Ctrl-C stopped the check before it",
    );
  });

  it("escapes every name so that it reads back as written", () => {
    const awkward = `<"web" & 'app'>\ttab\nline\r]]>`;
    const expectation = `share(a&b) in 1%..2% <!-- & -->`;
    const xml = renderJunit(
      report([
        scenario({
          file: `dir & co/<x>.yaml`,
          scenario: awkward,
          strategy: `./mine"s.mjs`,
          status: "fail",
          checks: [{ name: expectation, pass: false, actual: 0.5, values: [0.5], range: [0.01, 0.02] }],
        }),
      ]),
    );
    const root = parseXml(xml);
    const suite = children(root, "testsuite")[0];
    expect(suite?.attributes.name).toBe(awkward);
    expect(suite?.attributes.file).toBe("dir & co/<x>.yaml");
    const testcase = children(suite, "testcase")[0];
    expect(testcase?.attributes.name).toBe(expectation);
    expect(testcase?.attributes.classname).toBe(awkward);
    expect(children(testcase, "failure")[0]?.attributes.message).toBe(
      `expected ${expectation}, actual 50.0% vs 2.0%: 48 points (2400%) over`,
    );
    expect(children(children(suite, "properties")[0], "property")[0]?.attributes.value).toBe(`./mine"s.mjs`);
  });

  it("replaces characters XML cannot hold, even escaped, with U+FFFD", () => {
    const xml = renderJunit(report([scenario({ scenario: "bell\u0007 nul\u0000 half\uD800 end" })]));
    expect(parseXml(xml).children[0]?.attributes.name).toBe("bell\uFFFD nul\uFFFD half\uFFFD end");
  });

  it("is refused by the reader when malformed (the reader is strict)", () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/expected <\/b>/);
    expect(() => parseXml(`${head}<a x="1 & 2"/>`)).toThrow(/raw &/);
    expect(() => parseXml(`${head}<a x="<"/>`)).toThrow(/raw </);
    expect(() => parseXml(`${head}<a x="1" x="2"/>`)).toThrow(/twice/);
    expect(() => parseXml(`${head}<a>\u0001</a>`)).toThrow(/does not allow/);
    expect(() => parseXml(`${head}<a/><b/>`)).toThrow(/after the root/);
    expect(parseXml(`${head}<a x="&#10;&#x41;&amp;">t&lt;</a>`)).toEqual({
      name: "a",
      attributes: { x: "\nA&" },
      children: [],
      text: "t<",
    });
  });
});

describe("renderJunit with unanswered requests", () => {
  it("lists each replication's unfinished count as a property and says it in the suite's system-out", () => {
    const xml = renderJunit(
      report([scenario({ seeds: [1, 2], unfinished: [1_200, 1_182], arrivals: [7_210, 7_190] })], 2),
    );
    const suite = children(parseXml(xml), "testsuite")[0];
    const properties = children(children(suite, "properties")[0], "property");
    expect(properties.find((p) => p.attributes.name === "unfinished")?.attributes.value).toBe("1200,1182");
    expect(children(suite, "system-out").map((e) => e.text)).toEqual([
      "2,382 of 14,400 requests (16.5%) unanswered at the end, over 2 replications; latency checks count them at their age",
    ]);
  });

  it("says nothing of them when every request was answered", () => {
    const xml = renderJunit(report([scenario({ unfinished: [0], arrivals: [7_000] })]));
    expect(xml).not.toContain("unfinished");
    expect(xml).not.toContain("unanswered");
  });
});

describe("xmlText and xmlAttribute", () => {
  it("escape markup, and attributes keep quotes, tabs and line breaks as references", () => {
    expect(xmlText(`a < b && c > "d"`)).toBe(`a &lt; b &amp;&amp; c &gt; "d"`);
    expect(xmlAttribute(`"a"\t'b'\n<c>\r&`)).toBe("&quot;a&quot;&#9;&apos;b&apos;&#10;&lt;c&gt;&#13;&amp;");
  });

  it("keep characters outside the BMP, and pair surrogates correctly", () => {
    expect(xmlText("emoji 😀 ok")).toBe("emoji 😀 ok");
    expect(xmlText("lone \uDC00 low")).toBe("lone \uFFFD low");
  });
});

describe("describeCheck", () => {
  it("shows the value; with replications, the mean, its interval, the limit metric and a doubt", () => {
    expect(describeCheck(check("p99 < 1s", true, 12.5))).toBe("12.5 ms");
    expect(
      describeCheck({
        name: "leastconn.p99 < roundrobin.p99",
        pass: true,
        actual: 40,
        values: [30, 50],
        ci95: { low: -87, high: 167 },
        limit: 45,
        limitMetric: "roundrobin.p99",
        uncertain: true,
      }),
    ).toBe(
      "mean 40 ms  95% CI -87 ms..167 ms  vs roundrobin.p99 mean 45 ms  the interval reaches the limit: more replications would tell",
    );
    expect(describeCheck({ name: "share(x) > 1%", pass: false, actual: null, values: [] })).toBe(
      "no value: the runs have no such figure",
    );
  });
});

describe("a failed line's digits", () => {
  // Seen: "103 ms vs roundrobin.p99 103 ms" for a failed check whose JSON held 102.85 vs 102.66.
  const seen: CheckedExpectation = {
    name: "leastconn.p99 < roundrobin.p99",
    pass: false,
    actual: 102.85,
    values: [102.85],
    limit: 102.66,
    limitMetric: "roundrobin.p99",
  };

  it("shows the value and the limit so that they read differently, and the margin", () => {
    expect(describeCheck(seen)).toBe("102.85 ms  vs roundrobin.p99 102.66 ms  0.19 ms (0.19%) over");
  });

  it("puts the value, the limit and the margin in the JUnit failure message", () => {
    const xml = renderJunit({
      replications: 1,
      passed: false,
      totals: { scenarios: 1, expectations: 1, passed: 0, failed: 1 },
      scenarios: [scenario({ status: "fail", checks: [seen] })],
    });
    expect(xml).toContain(
      'message="expected leastconn.p99 &lt; roundrobin.p99, actual 102.85 ms vs 102.66 ms: 0.19 ms (0.19%) over"',
    );
  });

  it("says how far a value is from the nearer bound of a range", () => {
    const check: CheckedExpectation = {
      name: "share(web01) in 45%..55%",
      pass: false,
      actual: 0.5503,
      values: [0.5503],
      range: [0.45, 0.55],
    };
    expect(describeCheck(check)).toBe("55.03%  0.03 points (0.055%) over");
  });
});
