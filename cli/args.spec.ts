// Spec of cli/args.ts: option parsing and --seed, with the messages a user sees.
import { describe, expect, it } from "vitest";
import { type OptionSpec, parseArgs, parseSeed, UsageError } from "./args.js";

const specs: OptionSpec[] = [
  { name: "seed", value: "N", help: "" },
  { name: "json", value: "FILE|-", help: "" },
  { name: "quiet", short: "q", help: "" },
];

function usageMessage(thunk: () => unknown): string {
  try {
    thunk();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("parseArgs", () => {
  it("reads values given as --name value and --name=value, flags and positionals", () => {
    const parsed = parseArgs(["a.yaml", "--seed", "3", "--json=out.json", "-q"], specs, "run");
    expect(parsed.positionals).toEqual(["a.yaml"]);
    expect(parsed.values.get("seed")).toBe("3");
    expect(parsed.values.get("json")).toBe("out.json");
    expect(parsed.flags.has("quiet")).toBe(true);
  });

  it("takes - as a value (stdout)", () => {
    expect(parseArgs(["--json", "-"], specs, "run").values.get("json")).toBe("-");
  });

  it("treats everything after -- as positional", () => {
    expect(parseArgs(["--", "--seed"], specs, "run").positionals).toEqual(["--seed"]);
  });

  it("rejects an unknown option and suggests the near one", () => {
    expect(usageMessage(() => parseArgs(["--sed", "1"], specs, "run"))).toBe(
      'unknown option --sed for "run" (did you mean --seed?)',
    );
  });

  it("takes --report like any option now that it exists, and calls it unknown where a command has none", () => {
    const withReport = [...specs, { name: "report", value: "FILE.html", help: "" }];
    expect(parseArgs(["--report", "r.html"], withReport, "run").values.get("report")).toBe("r.html");
    expect(usageMessage(() => parseArgs(["--report=r.html"], specs, "list"))).toBe(
      'unknown option --report for "list"',
    );
  });

  it("rejects an option whose value is missing", () => {
    expect(usageMessage(() => parseArgs(["--seed"], specs, "run"))).toBe("--seed needs a value (--seed N)");
    expect(usageMessage(() => parseArgs(["--json", "--quiet"], specs, "run"))).toMatch(
      /--json needs a value/,
    );
  });

  it("rejects an option given twice", () => {
    expect(usageMessage(() => parseArgs(["-q", "--quiet"], specs, "run"))).toBe(
      "--quiet is given more than once",
    );
  });

  it("rejects a value given to a flag", () => {
    expect(usageMessage(() => parseArgs(["--quiet=yes"], specs, "run"))).toBe("--quiet takes no value");
  });
});

describe("parseSeed", () => {
  it("accepts whole numbers from 0 up to 2^53 - 1", () => {
    expect(parseSeed("0", "run")).toBe(0);
    expect(parseSeed("42", "run")).toBe(42);
    expect(parseSeed(String(Number.MAX_SAFE_INTEGER), "run")).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(["-1", "1.5", "1e3", "abc", "", "9007199254740992"])("rejects %j", (text) => {
    expect(usageMessage(() => parseSeed(text, "run"))).toMatch(/^--seed expects a whole number/);
  });
});
