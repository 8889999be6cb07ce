// strategies: the balance algorithms, looked up by what a user types after `balance` in haproxy.cfg.
//
// Backups are not a strategy's business: the model builds one strategy instance per group — the
// active servers, and the backups — and asks the backup instance only when no active server is
// usable (§3.12). Without `option allbackups` the model itself sends everything to the first usable
// backup in declaration order; with it, the backup group is balanced by its own instance of the same
// algorithm. A strategy never sees both groups, so none of them looks at `ServerView.backup`.
// A user's own strategy file is loaded by `loadUserStrategy`, exported from `node.ts` (Node only).

import { createFirst } from "./first.js";
import { createHdr, parseHdr } from "./hdr.js";
import { createLeastResponseTime } from "./least-response-time.js";
import { createLeastconn } from "./leastconn.js";
import { createPeakEwma } from "./peak-ewma.js";
import { createRandom, DEFAULT_DRAWS } from "./random.js";
import { createRoundrobin } from "./roundrobin.js";
import { createSource } from "./source.js";
import { createStaticRr } from "./static-rr.js";
import type { StrategyFactory } from "./types.js";
import { createUri, parseUriOptions, type UriOptions } from "./uri.js";
import { createUrlParam, parseUrlParam } from "./url-param.js";

export { createFirst } from "./first.js";
export { createFirstBackup } from "./first-backup.js";
export { type HashTypeSettings, type ParsedHashType, parseHashType } from "./hash-type.js";
export { createHdr, type HdrOptions } from "./hdr.js";
export { createLeastResponseTime } from "./least-response-time.js";
export { createLeastconn, leastconnFull } from "./leastconn.js";
export { createPeakEwma, DECAY_PICKS_PER_SERVER, nextCost } from "./peak-ewma.js";
export { createRandom, DEFAULT_DRAWS } from "./random.js";
export { createRoundrobin } from "./roundrobin.js";
export { createSource } from "./source.js";
export { createStaticRr } from "./static-rr.js";
export type {
  HashFunctionName,
  PickExplanation,
  RequestView,
  ServerView,
  Strategy,
  StrategyContext,
  StrategyFactory,
} from "./types.js";
export { isFull } from "./types.js";
export { createUri, DEFAULT_URI_OPTIONS, type UriOptions } from "./uri.js";
export { createUrlParam } from "./url-param.js";

/** Each draw is one ring lookup per pick; more than this is surely a typo. */
export const MAX_DRAWS = 1000;

const HASHED = "a hash: the same key goes to the same server (hash-type map-based or consistent)";

/** One line per keyword, in the order `strategyNames` lists them. */
const keywords: ReadonlyArray<readonly [string, string]> = [
  ["roundrobin", "weighted round-robin in HAProxy's order (fwrr); weights can change at run time"],
  ["static-rr", "weighted round-robin over a fixed map, HAProxy's order; run-time weights only 0 or 100%"],
  ["leastconn", "fewest requests in flight per weight; idle servers take turns whatever their weight"],
  ["first", "the server with the lowest id that is below its maxconn: fills servers one after another"],
  ["source", `client address, ${HASHED}`],
  ["uri", `uri [whole] [len N] [depth N] [path-only]: the path, query cut unless whole; ${HASHED}`],
  ["url_param", `url_param <name>: a query parameter's value, round-robin without it; ${HASHED}`],
  ["hdr", `hdr(<name>) [use_domain_only]: a header (lbsim has Host only), round-robin without it; ${HASHED}`],
  [
    "random",
    `random(${DEFAULT_DRAWS}): the less loaded per weight of ${DEFAULT_DRAWS} random servers; random(N) draws N`,
  ],
  ["peak-ewma", "lbsim: the better of 2 random servers by peak latency EWMA × (in flight + 1), as Finagle"],
  ["least-response-time", "lbsim: fewest (in flight + 1) × average response time per weight"],
];

const simple: Readonly<Record<string, StrategyFactory>> = {
  roundrobin: createRoundrobin,
  "static-rr": createStaticRr,
  leastconn: createLeastconn,
  first: createFirst,
  source: createSource,
  random: (servers, context) => createRandom(servers, context, DEFAULT_DRAWS),
  "peak-ewma": createPeakEwma,
  "least-response-time": createLeastResponseTime,
};

interface Parsed {
  readonly factory: StrategyFactory;
  /** A description when the arguments deserve more than the keyword's line. */
  readonly about?: string;
}

/** `random(N)` → N; undefined when the word is not that form or N is out of range. */
function parseDraws(word: string): number | undefined {
  const match = /^random\((\d{1,9})\)$/.exec(word);
  if (match === null) return undefined;
  const draws = Number(match[1]);
  return draws >= 1 && draws <= MAX_DRAWS ? draws : undefined;
}

function describeUri(options: UriOptions): string {
  const parts = [options.pathOnly ? "the path of the URI" : "the request-target"];
  if (!options.whole) parts.push("cut at ?");
  if (options.depth > 0) parts.push(`${options.depth} level${options.depth === 1 ? "" : "s"} deep`);
  if (options.len > 0) parts.push(`first ${options.len} bytes`);
  return `hash of ${parts.join(", ")}`;
}

/** A `balance` value split into words as haproxy.cfg does; undefined when it is not known or malformed. */
function parseBalance(balance: string): Parsed | undefined {
  const words = balance.trim().split(/\s+/);
  const keyword = words[0]!;
  const args = words.slice(1);
  if (keyword.startsWith("hdr(")) {
    const options = parseHdr(words);
    if (options === undefined) return undefined;
    return {
      factory: (servers, context) => createHdr(servers, context, options),
      about: `hash of the ${options.name} header${options.domainOnly ? "'s domain label" : ""}; round-robin without it`,
    };
  }
  if (keyword === "uri") {
    const options = parseUriOptions(args);
    if (options === undefined) return undefined;
    return {
      factory: (servers, context) => createUri(servers, context, options),
      about: describeUri(options),
    };
  }
  if (keyword === "url_param") {
    const param = parseUrlParam(args);
    if (param === undefined) return undefined;
    return {
      factory: (servers, context) => createUrlParam(servers, context, param),
      about: `hash of the query parameter "${param}"; round-robin without it`,
    };
  }
  if (args.length > 0) return undefined;
  if (Object.hasOwn(simple, keyword)) return { factory: simple[keyword]! };
  const draws = parseDraws(keyword);
  if (draws === undefined) return undefined;
  return {
    factory: (servers, context) => createRandom(servers, context, draws),
    about: `the less loaded per weight of ${draws} random server${draws === 1 ? "" : "s"} (consistent ring)`,
  };
}

/**
 * The factory for a `balance` value as written in haproxy.cfg or a scenario (`roundrobin`,
 * `uri len 10 depth 2`, `url_param userid`, `hdr(Host) use_domain_only`, `random(3)`…) or lbsim's
 * own (`peak-ewma`, `least-response-time`); undefined for unknown or malformed values. Keywords are
 * case-sensitive, as in HAProxy; blanks around and between words are free.
 */
export function resolveStrategy(balance: string): StrategyFactory | undefined {
  return parseBalance(balance)?.factory;
}

/** The keywords, for `lbsim list` and "did you mean" hints (`url_param`, `hdr` and `random(N)` by keyword). */
export function strategyNames(): string[] {
  return keywords.map(([name]) => name);
}

/**
 * A one-line description of a `balance` value, or undefined when it is not known. A keyword that
 * needs arguments (`url_param`, `hdr`) alone gets its usage line.
 */
export function describeStrategy(balance: string): string | undefined {
  const name = balance.trim();
  const line = keywords.find(([keyword]) => keyword === name);
  if (line !== undefined) return line[1];
  const parsed = parseBalance(name);
  if (parsed === undefined) return undefined;
  return parsed.about ?? describeStrategy(name.split(/\s/, 1)[0]!);
}
