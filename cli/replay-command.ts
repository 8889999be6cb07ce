// `lbsim replay <haproxy.log>`: a real HAProxy log replayed under its cfg and a what-if strategy.
import { isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors/index.js";
import { compileLogFormat, FormatError, HTTPLOG_FORMAT } from "../scenarios/index.js";
import { run } from "../sim/index.js";
import { type OptionSpec, parseArgs, parseSeed, UsageError } from "./args.js";
import type { Io, Toolkit } from "./context.js";
import { formatCount } from "./format.js";
import { writeFileAtomic } from "./output.js";
import { surveyLog } from "./replay-read.js";
import { type BackendReplay, replayBackend } from "./replay-run.js";
import { type FactsByBackend, readCfgBackends, readServerFacts } from "./replay-scenario.js";
import { renderBackend, renderBadLines, renderEstimates, renderHeader } from "./replay-table.js";
import { didYouMean, strategyHint } from "./suggest.js";

export const REPLAY_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "cfg",
    value: "FILE",
    help: "the haproxy.cfg that served the log (backends, balance, maxconn, timeouts)",
  },
  { name: "strategy", value: "NAME", help: "also replay under this balance (the what-if)" },
  {
    name: "scenario",
    value: "FILE",
    help: "the servers' workers: backend: {name, servers: [{name, slots}]}",
  },
  { name: "log-format", value: "FMT", help: "the log's log-format string (default: option httplog's)" },
  { name: "keep-servers-up", help: "replay servers UP through the outages the log shows (default: MAINT)" },
  { name: "json", value: "FILE|-", help: 'write {"logged", "replayed", …} as JSON (- for stdout)' },
  { name: "seed", value: "N", help: "seed of the replays' random draws (random balances)" },
  { name: "help", short: "h", help: "show this help" },
];

export function replayHelp(): string {
  const width = Math.max(
    ...REPLAY_OPTIONS.map((o) => `--${o.name}${o.value === undefined ? "" : ` ${o.value}`}`.length),
  );
  const options = REPLAY_OPTIONS.map(
    (o) => `  ${`--${o.name}${o.value === undefined ? "" : ` ${o.value}`}`.padEnd(width)}   ${o.help}`,
  ).join("\n");
  return `Usage: lbsim replay <haproxy.log> [--cfg haproxy.cfg] [--strategy NAME] [options]

Reads an HAProxy log (option httplog, with or without its syslog prefix, or --log-format) and
replays its requests: each arrives when HAProxy received it, from its client address, with its
path, and asks its server for the time the log shows it spent there (scaled by each server's
speed, estimated from the log). The replay runs under the cfg's balance (the logged strategy) and,
with --strategy, under another: the table shows "as logged" beside both, so you see how well the
replay reproduces what happened before trusting the what-if. Each backend of the log replays.

Options:
${options}

Exit codes:
  0    replayed
  2    bad input: no valid line in the log, a bad cfg, --scenario or --log-format
`;
}

export async function replayCommand(args: ReadonlyArray<string>, toolkit: Toolkit, io: Io): Promise<number> {
  const parsed = parseArgs(args, REPLAY_OPTIONS, "replay");
  if (parsed.flags.has("help")) {
    io.out(replayHelp());
    return 0;
  }
  const [logArg, ...extra] = parsed.positionals;
  if (logArg === undefined)
    throw new UsageError("missing the log file: lbsim replay <haproxy.log>", "replay");
  if (extra.length > 0)
    throw new UsageError(`replay takes one log file, but got ${parsed.positionals.length}`, "replay");
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? 1 : parseSeed(seedText, "replay");
  const json = parsed.values.get("json");
  let format: ReturnType<typeof compileLogFormat>;
  try {
    format = compileLogFormat(parsed.values.get("log-format") ?? HTTPLOG_FORMAT);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(`--log-format: ${error.message}`, "replay");
    throw error;
  }
  const whatIf = parsed.values.get("strategy");
  if (whatIf !== undefined) checkStrategy(whatIf, toolkit);
  const shown = (file: string) => {
    const rel = relative(io.cwd, resolve(io.cwd, file));
    return isAbsolute(file) && rel !== "" && !rel.startsWith("..") ? rel : file;
  };
  const cfgArg = parsed.values.get("cfg");
  const cfgBackends =
    cfgArg === undefined
      ? undefined
      : readCfgBackends(resolve(io.cwd, cfgArg), shown(cfgArg), (message) => io.err(`${message}\n`));
  const scenarioArg = parsed.values.get("scenario");
  const facts: FactsByBackend | undefined =
    scenarioArg === undefined ? undefined : readServerFacts(resolve(io.cwd, scenarioArg), shown(scenarioArg));

  const logPath = resolve(io.cwd, logArg);
  if (json !== undefined && json !== "-") {
    const out = resolve(io.cwd, json);
    for (const [flag, input] of [
      ["the log", logArg],
      ["--cfg", cfgArg],
      ["--scenario", scenarioArg],
    ] as const)
      if (input !== undefined && resolve(io.cwd, input) === out)
        throw new UsageError(`--json ${json} would overwrite ${flag}: give another file`, "replay");
  }
  const logShown = shown(logArg);
  const survey = surveyLog(logPath, logShown, format);
  if (survey.valid === 0) {
    // The parser's messages start with "column N: "; as an issue, N is the issue's column.
    const issues = survey.badShown.map((b) => {
      const at = /^column (\d+): /.exec(b.message);
      return {
        code: "syntax" as const,
        file: logShown,
        line: b.line,
        column: at === null ? 0 : Number(at[1]),
        path: "",
        message: at === null ? b.message : b.message.slice(at[0].length),
      };
    });
    throw new InputError([
      ...issues,
      {
        code: "syntax",
        file: logShown,
        line: 0,
        column: 0,
        path: "",
        message: `no line is an HAProxy log line in the format ${JSON.stringify(format.format)} (${survey.lines} lines read)`,
        hint: "a log written with a log-format of its own needs --log-format '<the same string>'",
      },
    ]);
  }
  io.err(renderBadLines(logShown, survey.bad, survey.badShown));
  if (facts !== undefined) checkFacts(facts, survey, cfgBackends, scenarioArg!);

  const replays: BackendReplay[] = [];
  const notes: string[] = [];
  for (const b of survey.backends.values()) {
    const cfgBackend = cfgBackends?.get(b.name);
    if (cfgBackends !== undefined && cfgBackend === undefined) {
      notes.push(`backend ${b.name}: not in ${shown(cfgArg!)}, not replayed (${requests(b.requests)})`);
      continue;
    }
    if (cfgBackend !== undefined) refuseStrangers(b.name, b.servers, cfgBackend, shown(cfgArg!), logShown);
    if (cfgBackend === undefined && b.servers.size === 0) {
      notes.push(
        `backend ${b.name}: no request of it reached a server, not replayed (${requests(b.requests)})`,
      );
      continue;
    }
    const logged = cfgBackend === undefined ? "roundrobin" : String(cfgBackend.balance ?? "roundrobin");
    const strategies = whatIf === undefined || whatIf === logged ? [logged] : [logged, whatIf];
    const backendFacts = facts?.get(b.name) ?? (survey.backends.size === 1 ? facts?.get("") : undefined);
    replays.push(
      replayBackend(
        {
          path: logPath,
          shown: logShown,
          format,
          survey,
          run,
          resolveStrategy: resolveOrThrow(toolkit),
          seed,
        },
        b,
        {
          ...(cfgBackend === undefined ? {} : { cfgBackend }),
          ...(backendFacts === undefined ? {} : { facts: backendFacts }),
          strategies,
          keepServersUp: parsed.flags.has("keep-servers-up"),
        },
      ),
    );
  }
  if (replays.length === 0) {
    throw InputError.one({
      code: "bad-value",
      file: logShown,
      line: 0,
      column: 0,
      path: "",
      message: `nothing to replay: ${notes.join("; ")}`,
    });
  }
  const document = jsonDocument(survey, replays, notes, cfgArg === undefined);
  if (json === "-") {
    io.out(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  }
  if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), `${JSON.stringify(document, null, 2)}\n`);
  let text = renderHeader(logShown, survey);
  for (const r of replays) {
    const source =
      cfgArg === undefined
        ? "no --cfg: a roundrobin backend of the servers the log names"
        : `from ${shown(cfgArg)}`;
    text += `\nbackend ${r.backend} (balance ${r.runs[0]!.strategy}, ${source})\n`;
    text += renderBackend(r);
    text += `\n${renderEstimates(r)}`;
  }
  for (const note of notes) text += `\n${note}\n`;
  io.out(text);
  if (json !== undefined) io.err(`lbsim: wrote the replay to ${json}\n`);
  return 0;
}

const requests = (n: number) => `${formatCount(n)} request${n === 1 ? "" : "s"}`;

function resolveOrThrow(toolkit: Toolkit) {
  return (balance: string) => {
    const factory = toolkit.resolveStrategy(balance);
    if (factory === undefined) throw new UsageError(`unknown strategy "${balance}"`, "replay");
    return factory;
  };
}

function checkStrategy(name: string, toolkit: Toolkit): void {
  if (toolkit.resolveStrategy(name) !== undefined) return;
  throw new UsageError(
    `--strategy: unknown strategy "${name}" (${strategyHint(name, toolkit.strategyNames())})`,
    "replay",
  );
}

/**
 * A cfg whose backend shares no server with the log's is not the cfg that wrote the log: its servers
 * would all replay as out of service (a server the log never names is taken as down), and every
 * request would end 503. Refused, naming both lists.
 */
function refuseStrangers(
  backend: string,
  logged: ReadonlyMap<string, number>,
  cfgBackend: Record<string, unknown>,
  cfgShown: string,
  logShown: string,
): void {
  const cfgServers = ((cfgBackend.servers as Array<{ name: unknown }> | undefined) ?? []).map((s) =>
    String(s.name),
  );
  if (logged.size === 0 || cfgServers.length === 0 || cfgServers.some((name) => logged.has(name))) return;
  const list = (names: ReadonlyArray<string>) =>
    names.length <= 6 ? names.join(", ") : `${names.slice(0, 6).join(", ")} and ${names.length - 6} more`;
  throw new InputError([
    {
      code: "unknown-server",
      file: cfgShown,
      line: 0,
      column: 0,
      path: "",
      message: `backend ${backend}: none of its servers (${list(cfgServers)}) is in ${logShown}, whose requests went to ${list([...logged.keys()])}`,
      hint: "give the haproxy.cfg that wrote this log, or leave out --cfg to replay the servers the log names",
    },
  ]);
}

/** Every server `--scenario` names must be one the log or the cfg has. */
function checkFacts(
  facts: FactsByBackend,
  survey: ReturnType<typeof surveyLog>,
  cfg: ReadonlyMap<string, Record<string, unknown>> | undefined,
  file: string,
): void {
  const problems: string[] = [];
  for (const [backend, servers] of facts) {
    const name = backend === "" && survey.backends.size === 1 ? [...survey.backends.keys()][0]! : backend;
    const b = survey.backends.get(name);
    if (b === undefined) {
      const close = didYouMean(name, [...survey.backends.keys()]);
      problems.push(
        `backend "${name}" is not in the log${close === undefined ? "" : ` (did you mean "${close}"?)`}`,
      );
      continue;
    }
    const known = new Set([
      ...b.servers.keys(),
      ...((cfg?.get(name)?.servers as Array<{ name: unknown }> | undefined) ?? []).map((s) => String(s.name)),
    ]);
    for (const server of servers.keys()) {
      if (known.has(server)) continue;
      const close = didYouMean(server, [...known]);
      problems.push(
        `server "${server}" of backend ${name} is in neither the log nor the cfg${close === undefined ? "" : ` (did you mean "${close}"?)`}`,
      );
    }
  }
  if (problems.length > 0)
    throw new InputError(
      problems.map((message) => ({
        code: "unknown-server" as const,
        file,
        line: 0,
        column: 0,
        path: "",
        message,
      })),
    );
}

function jsonDocument(
  survey: ReturnType<typeof surveyLog>,
  replays: ReadonlyArray<BackendReplay>,
  notes: ReadonlyArray<string>,
  noCfg: boolean,
): Record<string, unknown> {
  const perBackend = replays.map((r) => {
    const [logged, whatIf] = r.runs;
    return {
      backend: r.backend,
      logged: r.logged,
      // `replayed` is the what-if when --strategy names another balance; `replayedAsLogged` then
      // holds the replay of the logged one. Without a what-if, `replayed` is the logged strategy's.
      replayed: (whatIf ?? logged)!.results,
      ...(whatIf === undefined ? {} : { replayedAsLogged: logged!.results }),
      estimate: {
        ...r.demand,
        serversNotInCfg: r.serversNotInCfg,
        late: r.late,
        ...(r.outages === undefined ? {} : { outages: r.outages, outagesKeptUp: r.outagesKeptUp }),
      },
    };
  });
  const log = {
    lines: survey.lines,
    requests: survey.valid,
    bad: survey.bad,
    badShown: survey.badShown,
    reorderBoundMs: survey.reorderBoundMs,
    assumedRoundrobin: noCfg,
    notReplayed: notes,
  };
  // One backend: its figures at the top too, so that `.logged` and `.replayed` read directly.
  return perBackend.length === 1
    ? { log, ...perBackend[0]!, backends: perBackend }
    : { log, backends: perBackend };
}
