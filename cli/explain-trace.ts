// `lbsim run --explain FILE.jsonl [--explain-filter …]`: the decision trace's filter, its JSON lines, its file.
import { tryParseDuration } from "../scenarios/index.js";
import type { Decision } from "../sim/index.js";
import { UsageError } from "./args.js";
import { RecordFileWriter } from "./output.js";

/**
 * Which decisions to keep (every term given must hold): request ids as inclusive ranges, a time
 * window [fromMs, toMs), servers by name (`web02`, or `be/web02` with several backends). Plain data:
 * it crosses to the simulating worker thread.
 */
export interface ExplainFilter {
  readonly ids?: ReadonlyArray<readonly [number, number]>;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly servers?: ReadonlyArray<string>;
}

const USAGE =
  'expected terms like "id=17,20-30", "at=10s..20s" and "server=web02", separated by spaces or ";"';

function bad(message: string): UsageError {
  return new UsageError(`--explain-filter: ${message}`, "run");
}

/** `--explain-filter` as given; throws UsageError (exit 2) saying what is wrong. */
export function parseExplainFilter(text: string): ExplainFilter {
  const terms = text.split(/[\s;]+/).filter((term) => term !== "");
  if (terms.length === 0) throw bad(`nothing to filter on; ${USAGE}`);
  let ids: Array<readonly [number, number]> | undefined;
  let window: { fromMs?: number; toMs?: number } | undefined;
  let servers: string[] | undefined;
  for (const term of terms) {
    const equals = term.indexOf("=");
    const name = equals < 0 ? term : term.slice(0, equals);
    const value = equals < 0 ? "" : term.slice(equals + 1);
    if (equals < 0 || !["id", "at", "server"].includes(name))
      throw bad(`"${term}" is not a filter term; ${USAGE}`);
    if (value === "") throw bad(`"${term}" has no value`);
    if (name === "id") {
      if (ids !== undefined) throw bad("id= is given more than once (list the ids in one: id=17,20-30)");
      ids = value.split(",").map((part) => idRange(part));
    } else if (name === "at") {
      if (window !== undefined) throw bad("at= is given more than once");
      window = timeWindow(value);
    } else {
      if (servers !== undefined) throw bad("server= is given more than once (list them in one: server=a,b)");
      servers = value.split(",");
      if (servers.some((server) => server === "")) throw bad(`"${term}" has an empty server name`);
    }
  }
  return { ...(ids === undefined ? {} : { ids }), ...window, ...(servers === undefined ? {} : { servers }) };
}

function idRange(part: string): readonly [number, number] {
  const match = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(part);
  if (match === null) throw bad(`id "${part}" is not a request id or a range of them (17, 20-30)`);
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1) throw bad(`id "${part}": request ids start at 1`);
  if (last < first) throw bad(`id range "${part}" ends before it starts`);
  return [first, last];
}

function timeWindow(value: string): { fromMs?: number; toMs?: number } {
  const dots = value.indexOf("..");
  if (dots < 0) throw bad(`at="${value}" is not a time window (10s..20s, 10s.., ..20s)`);
  const from = value.slice(0, dots);
  const to = value.slice(dots + 2);
  if (from === "" && to === "") throw bad(`at="${value}" gives neither a start nor an end`);
  const fromMs = from === "" ? undefined : duration(from);
  const toMs = to === "" ? undefined : duration(to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
    throw bad(`at="${value}": the window ends before it starts`);
  return { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) };
}

function duration(text: string): number {
  const parsed = tryParseDuration(text);
  if (!parsed.ok) throw bad(`"${text}" is not a duration (250ms, 10s, 2m)`);
  return parsed.value;
}

/** True when the decision passes every term of the filter. */
export function keepDecision(filter: ExplainFilter, decision: Decision): boolean {
  const { ids, fromMs, toMs, servers } = filter;
  if (ids !== undefined && !ids.some(([first, last]) => decision.id >= first && decision.id <= last))
    return false;
  if (fromMs !== undefined && decision.atMs < fromMs) return false;
  if (toMs !== undefined && decision.atMs >= toMs) return false;
  if (servers !== undefined && !servers.some((server) => names(decision, server))) return false;
  return true;
}

/** The server is the one chosen, or one skipped (by its name, or `<backend>/<name>`). */
function names(decision: Decision, server: string): boolean {
  const prefix = `${decision.backend}/`;
  const name = server.startsWith(prefix) ? server.slice(prefix.length) : server;
  return decision.chosen === name || Object.hasOwn(decision.skipped, name);
}

/** One JSON line; fields in the Decision's fixed order, so the same run gives the same bytes. */
export function decisionLine(decision: Decision): string {
  return `${JSON.stringify(decision)}\n`;
}

/** The `--explain` file: JSON lines streamed to the temp file and renamed into place by `close()`. */
export function openExplainFile(path: string, tempPath: string): RecordFileWriter<Decision> {
  return RecordFileWriter.open<Decision>(path, tempPath, { header: "", line: decisionLine });
}
