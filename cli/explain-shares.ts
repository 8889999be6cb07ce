// `lbsim explain`: each server's expected share, counted by lbsim's own strategies (strategies/),
// so the figures are HAProxy's choices: sequential picks, or a hash over a population of keys.

import type { BackendSpec, ServerSpec } from "../scenarios/index.js";
import { createStream } from "../sim/index.js";
import {
  type RequestView,
  resolveStrategy,
  type ServerView,
  type Strategy,
  type StrategyContext,
} from "../strategies/index.js";
import { consecutiveSources, fmt, hashingOf, KEY_COUNT, keyRequests, keyword } from "./explain-keys.js";
import { CLIENT_POPULATION as CLIENT_ADDRESSES } from "./explain-model.js";
import { type SlowstartRamp, slowstartRamps } from "./explain-slowstart.js";

type MutableView = { -readonly [K in keyof ServerView]: ServerView[K] };

export interface ServerShare {
  readonly name: string;
  readonly weight: number;
  /** Its share of the requests, 0..1, from the strategy's own picks. */
  readonly share: number;
  /** weight / Σ weights of the group: what the weights alone would give. */
  readonly weightShare: number;
}

export interface HashKeys {
  /** What is hashed (`the client's IPv4 address`, `the path before ?`…). */
  readonly key: string;
  /** The keys hashed (`10,000 random IPv4 addresses (seeded)`). */
  readonly population: string;
  readonly count: number;
  readonly hashType: "map-based" | "consistent";
  /** `sdbm`, `sdbm avalanche`…: the function as HAProxy applies it (§3.1). */
  readonly hashFunction: string;
  /** How keys land on servers: the map's slots or the ring's points (§3.11). */
  readonly lookup: string;
  /** When the first active server goes DOWN: the share of the other servers' keys that move too. */
  readonly othersMovedWhenFirstDown: number | null;
  /**
   * balance source only: the spread over consecutive addresses of one network (the model run's
   * clients), which differs from random addresses when the hash does not avalanche (§3.1).
   */
  readonly consecutive?: { readonly population: string; readonly servers: ReadonlyArray<ServerShare> };
}

export interface SharesExplained {
  readonly balance: string;
  /** How the shares were counted, in words. */
  readonly basis: string;
  readonly servers: ReadonlyArray<ServerShare>;
  readonly hash: HashKeys | null;
  readonly backups: {
    readonly servers: ReadonlyArray<string>;
    /** `first`: only the first usable backup takes over; `allbackups`: all, balanced alike. */
    readonly takeover: "first" | "allbackups";
    /** Their shares once every active server is down. */
    readonly sharesWhenActivesDown: ReadonlyArray<ServerShare>;
  };
  readonly slowstart: ReadonlyArray<SlowstartRamp>;
  /** Something the reader must know about these shares (leastconn ignoring weights, a fallback…). */
  readonly notes: ReadonlyArray<string>;
}

function views(servers: ReadonlyArray<ServerSpec>): MutableView[] {
  return servers.map((s, index) => ({
    index,
    id: s.id,
    name: s.name,
    backup: s.backup,
    initialWeight: s.weight,
    weight: s.weight,
    effectiveWeight: 0,
    maxconn: 0,
    maxqueue: 0,
    served: 0,
    queued: 0,
    observedResponseMs: 0,
  }));
}

function contextOf(backend: BackendSpec, seed: number): StrategyContext {
  const random = createStream(seed, `explain:${backend.name}`);
  return {
    hashType: backend.hashType,
    random: () => random.next(),
    ...(backend.hashFunction === undefined ? {} : { hashFunction: backend.hashFunction }),
    ...(backend.hashAvalanche === undefined ? {} : { hashAvalanche: backend.hashAvalanche }),
  };
}

/** The strategy over `group`, every server with a weight UP (as the model brings them up at start). */
function build(backend: BackendSpec, group: ReadonlyArray<ServerSpec>, seed: number) {
  const factory = resolveStrategy(backend.balance);
  if (factory === undefined) return undefined;
  const servers = views(group);
  const strategy = factory(servers, contextOf(backend, seed));
  for (const server of servers) {
    if (server.weight === 0) continue;
    server.effectiveWeight = server.weight * 16;
    strategy.serverUp(server);
  }
  return { servers, strategy };
}

/** One request taken and released before the next: light load, as HAProxy's sequential measurements. */
function pickOnce(strategy: Strategy, request: RequestView): ServerView | undefined {
  const chosen = strategy.pick(request) as MutableView | undefined;
  if (chosen === undefined) return undefined;
  chosen.served++;
  strategy.taken(chosen);
  chosen.served--;
  strategy.released(chosen);
  return chosen;
}

function countShares(
  backend: BackendSpec,
  group: ReadonlyArray<ServerSpec>,
  requests: ReadonlyArray<RequestView>,
  seed: number,
): { shares: ServerShare[]; picks: (number | undefined)[] } | undefined {
  const built = build(backend, group, seed);
  if (built === undefined) return undefined;
  const counts = new Array<number>(group.length).fill(0);
  const picks = requests.map((request) => {
    const chosen = pickOnce(built.strategy, request);
    if (chosen !== undefined) counts[chosen.index]!++;
    return chosen?.index;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const weights = group.reduce((a, s) => a + s.weight, 0);
  const shares = group.map((s, i) => ({
    name: s.name,
    weight: s.weight,
    share: total === 0 ? 0 : counts[i]! / total,
    weightShare: weights === 0 ? 0 : s.weight / weights,
  }));
  return { shares, picks };
}

/** Of the keys not on the first server, the share that move when it goes DOWN (§3.11, §8 rule 16). */
function movedWhenFirstDown(
  backend: BackendSpec,
  actives: ReadonlyArray<ServerSpec>,
  requests: ReadonlyArray<RequestView>,
  before: ReadonlyArray<number | undefined>,
  seed: number,
): number | null {
  if (actives.filter((s) => s.weight > 0).length < 2) return null;
  const built = build(backend, actives, seed);
  if (built === undefined) return null;
  const first = built.servers.find((s) => s.weight > 0)!;
  first.effectiveWeight = 0;
  built.strategy.serverDown(first);
  let others = 0;
  let moved = 0;
  requests.forEach((request, k) => {
    if (before[k] === first.index || before[k] === undefined) return;
    others++;
    if (pickOnce(built.strategy, request)?.index !== before[k]) moved++;
  });
  return others === 0 ? null : moved / others;
}

export function explainShares(backend: BackendSpec, seed: number): SharesExplained {
  const usable = backend.servers.filter((s) => !s.disabled);
  const actives = usable.filter((s) => !s.backup);
  const backups = usable.filter((s) => s.backup);
  const balance = backend.balance.trim();
  const hashing = hashingOf(balance);
  const { requests, keys, population } = keyRequests(
    balance,
    seed,
    hashing === undefined ? periodOf(actives) : KEY_COUNT,
  );
  const counted = countShares(backend, actives, requests, seed);
  const notes: string[] = [];
  const word = keyword(balance);
  if (word === "leastconn" && new Set(actives.map((s) => s.weight)).size > 1)
    notes.push(
      "leastconn: idle servers all have key 0 and take turns whatever their weight (§3.4); weights act only while servers hold requests, so at light load the shares are equal",
    );
  if (word === "first")
    notes.push(
      "first: every request goes to the lowest id below its maxconn; the next server takes only what the first cannot hold (§3.5)",
    );
  if (word === "random" || /^random\(/.test(word))
    notes.push(
      `${word}: ${fmt(KEY_COUNT)} seeded draws on the consistent ring; HAProxy's own draws differ, the shares agree`,
    );
  const hash: HashKeys | null =
    hashing === undefined || counted === undefined
      ? null
      : {
          key: keys,
          population,
          count: requests.length,
          hashType: backend.hashType,
          hashFunction: hashFunctionText(backend),
          lookup:
            backend.hashType === "consistent"
              ? `a ring of weight × 16 points per server (${actives.reduce((a, s) => a + s.weight * 16, 0)} points), key → nearest point`
              : `a map of ${mapSlots(actives)} slots (weights / their GCD), key mod ${mapSlots(actives)}`,
          othersMovedWhenFirstDown: movedWhenFirstDown(backend, actives, requests, counted.picks, seed),
          ...(hashing === "source" ? { consecutive: consecutiveSpread(backend, actives, seed) } : {}),
        };
  const backupShares =
    backups.length === 0
      ? []
      : backend.allbackups
        ? (countShares(backend, backups, requests, seed)?.shares ?? [])
        : backups.map((s, i) => ({
            name: s.name,
            weight: s.weight,
            share: i === 0 ? 1 : 0,
            weightShare: i === 0 ? 1 : 0,
          }));
  return {
    balance,
    basis:
      hashing === undefined
        ? `${fmt(requests.length)} requests picked one after another (each finished before the next: light load) by lbsim's ${word} strategy`
        : `${fmt(requests.length)} keys hashed by lbsim's ${word} strategy`,
    servers: counted?.shares ?? [],
    hash,
    backups: {
      servers: backups.map((s) => s.name),
      takeover: backend.allbackups ? "allbackups" : "first",
      sharesWhenActivesDown: backupShares,
    },
    slowstart: slowstartRamps(backend, actives),
    notes,
  };
}

function consecutiveSpread(backend: BackendSpec, actives: ReadonlyArray<ServerSpec>, seed: number) {
  const { requests, population } = consecutiveSources(CLIENT_ADDRESSES);
  return { population, servers: countShares(backend, actives, requests, seed)?.shares ?? [] };
}

/**
 * Sequential picks to count: whole periods of the weighted orders (Σ weights picks for roundrobin
 * and static-rr, one per server for leastconn at light load), so their shares come out exact.
 */
function periodOf(actives: ReadonlyArray<ServerSpec>): number {
  const weights = actives.reduce((a, s) => a + s.weight, 0);
  const period = lcm(Math.max(1, weights), Math.max(1, actives.length));
  return period > KEY_COUNT ? KEY_COUNT : period * Math.floor(KEY_COUNT / period);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

function hashFunctionText(backend: BackendSpec): string {
  const name = backend.hashFunction ?? "sdbm";
  const avalanche =
    backend.hashAvalanche ?? (backend.hashType === "consistent" && backend.hashFunction === undefined);
  return avalanche ? `${name} avalanche` : name;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The map's size: Σ weight / GCD of the weights (§3.0). */
function mapSlots(servers: ReadonlyArray<ServerSpec>): number {
  const weights = servers.map((s) => s.weight).filter((w) => w > 0);
  const g = weights.reduce(gcd, 0);
  return g === 0 ? 0 : weights.reduce((a, w) => a + w / g, 0);
}
