// `lbsim explain`: the common traps of a backend's cfg, each with the line that causes it and the
// HAProxy 2.6 behaviour behind it (a section of haproxy-semantics.md).

import type { BackendSpec, CfgLines } from "../scenarios/index.js";
import { ms } from "./explain-checks.js";
import { hashingOf } from "./explain-keys.js";
import type { LimitsExplained } from "./explain-limits.js";
import type { SharesExplained } from "./explain-shares.js";

export type WarningCode =
  | "retries-without-redispatch"
  | "hash-redispatch-late"
  | "leastconn-short-requests"
  | "maxconn-above-servers"
  | "no-check"
  | "backup-no-check"
  | "l4-check-misses-hang"
  | "timeout-queue-unset"
  | "timeout-unset"
  | "inter-long-for-rate"
  | "hash-map-based"
  | "hash-no-avalanche";

export interface ExplainWarning {
  readonly code: WarningCode;
  /** The cfg line that causes it (the section's header when the trap is a setting left unset). */
  readonly line: number;
  readonly message: string;
  /** haproxy-semantics.md's section for the behaviour. */
  readonly cite: string;
}

/** Requests the dead server may meet before DOWN that make `inter` worth a warning. */
export const INTER_REQUESTS_LIMIT = 100;

export interface WarningInput {
  readonly backend: BackendSpec;
  readonly lines: CfgLines;
  readonly shares: SharesExplained;
  readonly limits: LimitsExplained;
  readonly ratePerSecond: number;
  readonly serviceMeanMs: number;
}

export function explainWarnings(input: WarningInput): ExplainWarning[] {
  const { backend, lines, shares, limits, ratePerSecond, serviceMeanMs } = input;
  const name = backend.name;
  const header = lines.header(name);
  const at = (prefix: ReadonlyArray<string>): number => lines.find(name, prefix)?.line ?? header;
  const warnings: ExplainWarning[] = [];
  const warn = (code: WarningCode, line: number, cite: string, message: string) =>
    warnings.push({ code, line, cite, message });
  const actives = backend.servers.filter((s) => !s.backup && !s.disabled);
  const hashing = hashingOf(backend.balance);
  const turnaroundMs = Math.min(backend.timeout.connectMs, 1000);

  if (backend.retries > 0 && backend.redispatch === null && actives.length > 1)
    warn(
      "retries-without-redispatch",
      at(["retries"]),
      "§2 step 4, §8 rule 4",
      `retries ${backend.retries} without option redispatch: a request whose connect is refused retries the same dead server ${backend.retries} time(s), ${ms(turnaroundMs)} apart, and then gets 503 anyway — as many errors as retries 0, each ${ms(backend.retries * turnaroundMs)} late; option redispatch sends the retry to another server at once`,
    );
  if (hashing !== undefined && backend.redispatch !== null && backend.retries > 0 && actives.length > 1)
    warn(
      "hash-redispatch-late",
      at(["option", "redispatch"]),
      "§2 step 4.2 (b)(c)",
      `option redispatch with balance ${hashing}: a hash does not redispatch at the first failure; with the default interval the retry goes elsewhere only on the last retry, after ${backend.retries - 1} same-server retr${backend.retries - 1 === 1 ? "y" : "ies"} ${ms(turnaroundMs)} apart (each request on a dead server waits ~${ms((backend.retries - 1) * turnaroundMs)})`,
    );
  const inFlightPerServer =
    actives.length === 0 ? 0 : (ratePerSecond * serviceMeanMs) / 1000 / actives.length;
  if (backend.balance.trim() === "leastconn" && inFlightPerServer < 1)
    warn(
      "leastconn-short-requests",
      at(["balance"]),
      "§3.4, §8 rule 1",
      `balance leastconn with short requests: at ${ratePerSecond}/s of ${ms(serviceMeanMs)} each, a server holds ${inFlightPerServer.toFixed(2)} requests on average, so most picks see idle servers, which all have key 0 whatever their weight: leastconn then takes them in turn and the weights hardly act; HAProxy's manual recommends it for long sessions (LDAP, SQL…) and not for short ones such as HTTP`,
    );
  for (const f of limits.frontends) {
    const admitted = f.maxconn ?? limits.globalMaxconn;
    if (admitted === null || limits.sumMaxconn === null) continue;
    const holds = limits.sumMaxconn + (limits.sumMaxqueue ?? 0);
    if (admitted <= limits.sumMaxconn) continue;
    // The importer gives a frontend without its own maxconn the global one: cite the line that says it.
    const own = lines.find(f.name, ["maxconn"]);
    const line = own?.line ?? lines.globalMaxconn()?.line ?? lines.header(f.name);
    const who =
      own === undefined
        ? `global maxconn ${admitted} (frontend ${f.name} has none of its own)`
        : `frontend ${f.name} maxconn ${admitted}`;
    warn(
      "maxconn-above-servers",
      line,
      "§1 Queueing, §2 step 2",
      `${who} admits more requests than the servers of ${name} hold (Σ maxconn ${limits.sumMaxconn}${limits.sumMaxqueue === null ? "" : ` + Σ maxqueue ${limits.sumMaxqueue} = ${holds}`}): the other ${admitted - limits.sumMaxconn} wait in a queue for up to ${ms(backend.timeout.queueMs)} and then get 503 sQ--`,
    );
  }
  for (const s of backend.servers) {
    if (s.check !== null || s.disabled) continue;
    const line = lineOfServer(lines, name, s.name);
    if (s.backup)
      warn(
        "backup-no-check",
        line,
        "§4.1, §3.12",
        `backup server ${s.name} has no check: it counts as UP whatever it does, so when the actives fail a dead backup takes everything and every request fails`,
      );
    else
      warn(
        "no-check",
        line,
        "§4.1",
        `server ${s.name} has no check: it is always considered UP, so a crash or hang is never detected and requests keep going to it${backend.redispatch === null ? "" : " (redispatch hides refused connects, not hangs)"}`,
      );
  }
  const l4 = actives.filter((s) => s.check?.type === "tcp");
  if (l4.length > 0)
    warn(
      "l4-check-misses-hang",
      lineOfServer(lines, name, l4[0]!.name),
      "§4.1",
      `check without option httpchk (an L4 check: connect only) on ${l4.map((s) => s.name).join(", ")}: a hung process's kernel still accepts connections, so the check passes and a hung server is never marked DOWN; its requests end in 504 after timeout server (${ms(backend.timeout.serverMs)})`,
    );
  const queueSet = lines.find(name, ["timeout", "queue"]) !== undefined;
  if (!queueSet && backend.servers.some((s) => s.maxconn > 0))
    warn(
      "timeout-queue-unset",
      at(["timeout", "connect"]),
      "§1 table (timeout queue)",
      `timeout queue is unset: a request queued behind maxconn waits up to timeout connect (${ms(backend.timeout.connectMs)}) before its 503 sQ--, which is seldom the wait meant for a queue`,
    );
  for (const [key, value] of [
    ["connect", backend.timeout.connectMs],
    ["server", backend.timeout.serverMs],
  ] as const) {
    if (!Number.isFinite(value))
      warn(
        "timeout-unset",
        header,
        "§1 Units and defaults",
        `timeout ${key} is unset: it is infinite (HAProxy warns at start-up); ${key === "server" ? "a hung server holds every request sent to it forever" : "a connect that gets no answer waits forever"}`,
      );
  }
  for (const s of actives) {
    const check = s.check;
    if (check === null) continue;
    const share = shares.servers.find((x) => x.name === s.name)?.share ?? 0;
    const worstMs = check.interMs + (check.fall - 1) * check.fastinterMs;
    const requests = Math.round((ratePerSecond * share * worstMs) / 1000);
    if (requests < INTER_REQUESTS_LIMIT) continue;
    warn(
      "inter-long-for-rate",
      lineOfServer(lines, name, s.name),
      "§4.3",
      `inter ${ms(check.interMs)} fall ${check.fall} at ${ratePerSecond}/s: a crashed ${s.name} takes up to ${ms(worstMs)} to be marked DOWN and meets up to ${requests} requests meanwhile${backend.redispatch === null ? ", which fail" : " (redispatched, each paying a failed connect)"}; a shorter fastinter shortens it`,
    );
    break;
  }
  if (hashing !== undefined && backend.hashType === "map-based" && actives.length > 1) {
    const moved = shares.hash?.othersMovedWhenFirstDown;
    warn(
      "hash-map-based",
      lines.find(name, ["hash-type"])?.line ?? at(["balance"]),
      "§3.11, §8 rule 16",
      `balance ${hashing} with hash-type map-based: any server going DOWN or UP rebuilds the map, so keys of the other servers move too${moved === null || moved === undefined ? "" : ` (${(moved * 100).toFixed(0)}% of them when ${actives[0]!.name} goes DOWN, counted)`}; hash-type consistent moves only the failed server's keys`,
    );
  }
  const consecutive = shares.hash?.consecutive;
  if (consecutive !== undefined && backend.hashType === "consistent" && backend.hashAvalanche === false) {
    // Uneven: a server takes half as much again as its weight gives it, or more.
    const worst = consecutive.servers.find((s) => s.share >= 1.5 * s.weightShare && s.share > 0);
    if (worst !== undefined)
      warn(
        "hash-no-avalanche",
        lines.find(name, ["hash-type"])?.line ?? at(["balance"]),
        "§3.1",
        `hash-type consistent ${backend.hashFunction ?? "sdbm"} without avalanche: client addresses of one network are close integers and land between the same ring points — over ${consecutive.population}, ${worst.name} takes ${(worst.share * 100).toFixed(0)}% (its weight gives ${(worst.weightShare * 100).toFixed(0)}%); "hash-type consistent" alone (sdbm avalanche) spreads them`,
      );
  }
  return warnings.sort((a, b) => a.line - b.line);
}

function lineOfServer(lines: CfgLines, backend: string, server: string): number {
  return lines.find(backend, ["server", server])?.line ?? lines.header(backend);
}
