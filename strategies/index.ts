// strategies: the balance algorithms, looked up by what a user types after `balance` in haproxy.cfg.
//
// Backups are not a strategy's business: the model builds one strategy instance per group — the
// active servers, and the backups — and asks the backup instance only when no active server is
// usable (§3.12). Without `option allbackups` the model itself sends everything to the first usable
// backup in declaration order; with it, the backup group is balanced by its own instance of the same
// algorithm. A strategy never sees both groups, so none of them looks at `ServerView.backup`.

import { createLeastconn } from "./leastconn.js";
import { createRandom, DEFAULT_DRAWS } from "./random.js";
import { createRoundrobin } from "./roundrobin.js";
import type { StrategyFactory } from "./types.js";

export { createLeastconn, leastconnFull } from "./leastconn.js";
export { createRandom, DEFAULT_DRAWS } from "./random.js";
export { createRoundrobin } from "./roundrobin.js";
export type {
  RequestView,
  ServerView,
  Strategy,
  StrategyContext,
  StrategyFactory,
} from "./types.js";
export { isFull } from "./types.js";

/** Each draw is one ring lookup per pick; more than this is surely a typo. */
export const MAX_DRAWS = 1000;

const descriptions: Readonly<Record<string, string>> = {
  roundrobin: "weighted round-robin in HAProxy's order (fwrr); weights can change at run time",
  leastconn: "fewest requests in flight per weight; idle servers take turns whatever their weight",
  random: `random(${DEFAULT_DRAWS}): the less loaded per weight of ${DEFAULT_DRAWS} random servers; random(N) draws N`,
};

const factories: Readonly<Record<string, StrategyFactory>> = {
  roundrobin: createRoundrobin,
  leastconn: createLeastconn,
  random: (servers, context) => createRandom(servers, context, DEFAULT_DRAWS),
};

/** `random(N)` → N; undefined when `balance` is not that form or N is out of range. */
function parseDraws(balance: string): number | undefined {
  const match = /^random\((\d{1,9})\)$/.exec(balance);
  if (match === null) return undefined;
  const draws = Number(match[1]);
  return draws >= 1 && draws <= MAX_DRAWS ? draws : undefined;
}

/**
 * The factory for a `balance` value as written in haproxy.cfg or a scenario (`roundrobin`,
 * `leastconn`, `random`, `random(3)`); undefined for unknown or malformed names. Keywords are
 * case-sensitive, as in HAProxy; surrounding blanks are ignored.
 */
export function resolveStrategy(balance: string): StrategyFactory | undefined {
  const name = balance.trim();
  if (Object.hasOwn(factories, name)) return factories[name];
  const draws = parseDraws(name);
  if (draws === undefined) return undefined;
  return (servers, context) => createRandom(servers, context, draws);
}

/** The known names, for `lbsim list` and "did you mean" hints (`random(N)` is listed as `random`). */
export function strategyNames(): string[] {
  return Object.keys(factories);
}

/** A one-line description of a `balance` value, or undefined when it is not known. */
export function describeStrategy(balance: string): string | undefined {
  const name = balance.trim();
  if (Object.hasOwn(descriptions, name)) return descriptions[name];
  const draws = parseDraws(name);
  if (draws === undefined) return undefined;
  return `the less loaded per weight of ${draws} random server${draws === 1 ? "" : "s"} (consistent ring)`;
}
