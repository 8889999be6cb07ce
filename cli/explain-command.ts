// `lbsim explain <haproxy.cfg>`: per backend, expected shares, health-check timing, the failover
// window, queue and timeout limits, and warnings about common traps; as text or `--json`.
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { meanMs, parseDistribution, parseRate } from "../scenarios/index.js";
import { type OptionSpec, parseArgs, parseSeed, UsageError } from "./args.js";
import type { Io } from "./context.js";
import { explainCfg, type TrafficChoice } from "./explain-report.js";
import { explainText } from "./explain-text.js";
import { importCfgFile } from "./import-command.js";
import { writeFileAtomic } from "./output.js";
import { HELP_OPTION, optionLines } from "./usage.js";

export const DEFAULT_RATE = "100/s";
export const DEFAULT_SERVICE = "{exponential: 20ms}";
export const DEFAULT_SEED = 1;
/** The model runs last tens of simulated seconds: at this rate they take about a minute. */
export const MAX_RATE_PER_SECOND = 100_000;

export const EXPLAIN_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "rate",
    value: "R",
    help: `request rate of the model runs, per backend, e.g. 500/s (default ${DEFAULT_RATE})`,
  },
  {
    name: "service",
    value: "DIST",
    help: `the servers' service time, as in a scenario, e.g. "{lognormal: {median: 20ms, sigma: 0.6}}" (default ${DEFAULT_SERVICE})`,
  },
  {
    name: "seed",
    value: "N",
    help: `seed of the model runs and of the hashed key populations (default ${DEFAULT_SEED})`,
  },
  {
    name: "json",
    value: "FILE|-",
    help: "write the explanation as JSON (explainVersion 1) to FILE, or to stdout with - (no text)",
  },
  HELP_OPTION,
];

export function explainHelp(): string {
  return `Usage: lbsim explain <haproxy.cfg> [--rate R] [--service DIST] [--seed N] [--json FILE|-]

Explains an HAProxy 2.6 configuration, backend by backend, in plain language:
  - each server's expected share: weights, backups, slowstart, and for a hashing balance the spread
    over a population of keys (which key, which keys, map-based or consistent), counted with lbsim's
    own balance algorithms;
  - health-check timing per server, as a range: crash → DOWN, hang → DOWN, restore → UP, from
    inter/fastinter/downinter/rise/fall/timeout check;
  - the failover window: short model runs with one server crashed, then hung, under synthetic
    clients at --rate with --service: when it goes DOWN, the errors per second until then, with
    the cfg's retries and option redispatch;
  - queue and timeout limits: the most requests in flight, what happens above them;
  - warnings about common traps, each with the cfg line that causes it.
Each figure says whether it comes from a formula, lbsim's strategies or a model run.
Lines lbsim does not understand are reported as lbsim import reports them.

Options:
${optionLines(EXPLAIN_OPTIONS)}
Exit codes:
  0    explained (possibly with warnings)
  2    bad input: the file is missing, a directive has a malformed value (file:line:col), a bad option
`;
}

export function explainCommand(args: ReadonlyArray<string>, io: Io): number {
  const parsed = parseArgs(args, EXPLAIN_OPTIONS, "explain");
  if (parsed.flags.has("help")) {
    io.out(explainHelp());
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError("explain needs a haproxy.cfg file", "explain");
  if (extra.length > 0)
    throw new UsageError(`explain takes one file, but got "${extra.join(" ")}" too`, "explain");
  const traffic = trafficOf(parsed.values);
  const json = parsed.values.get("json");
  const { imported, shown, text } = importCfgFile(file, io);
  for (const warning of imported.warnings) io.err(`${shown}:${warning.line}: warning: ${warning.message}\n`);
  const report = explainCfg(imported, text, traffic);
  const document = `${JSON.stringify(report, null, 2)}\n`;
  if (json === "-") io.out(document);
  else {
    if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), document);
    io.out(explainText(report));
    if (json !== undefined) io.err(`lbsim: wrote the explanation to ${json}\n`);
  }
  return 0;
}

function trafficOf(values: ReadonlyMap<string, string>): TrafficChoice {
  const rateText = values.get("rate");
  const ratePerSecond = parseRate(rateText ?? DEFAULT_RATE, "--rate");
  if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND))
    throw new UsageError(
      `--rate expects a rate above 0 and at most ${MAX_RATE_PER_SECOND}/s (the model runs simulate each request), got "${rateText}"`,
      "explain",
    );
  const serviceText = values.get("service");
  let written: unknown;
  try {
    written = parseYaml(serviceText ?? DEFAULT_SERVICE);
  } catch {
    throw new UsageError(
      `--service expects a distribution as a scenario writes it, e.g. "{exponential: 20ms}", got "${serviceText}"`,
      "explain",
    );
  }
  const service = parseDistribution(written, "--service");
  const seedText = values.get("seed");
  return {
    ratePerSecond,
    rateDefault: rateText === undefined,
    service: written,
    serviceText: serviceText ?? DEFAULT_SERVICE,
    serviceDefault: serviceText === undefined,
    serviceMeanMs: meanMs(service),
    seed: seedText === undefined ? DEFAULT_SEED : parseSeed(seedText, "explain"),
  };
}
