// `lbsim explain`: each server's expected share, counted by lbsim's own strategies (strategies/),
// so the figures are HAProxy's choices: sequential picks, or a hash over a population of keys.

import type { BackendSpec, ServerSpec } from "../scenarios/index.js";
import { createStream, slowstartSteps } from "../sim/index.js";
import {
  type RequestView,
  resolveStrategy,
  type ServerView,
  type Strategy,
  type StrategyContext,
} from "../strategies/index.js";

/** Keys hashed, and sequential picks counted, per backend: enough for shares to ±1% (hashes) or exact (periods). */
export const KEY_COUNT = 10_000;

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
}

export interface SlowstartRamp {
  readonly server: string;
  readonly slowstartMs: number;
  /** False when the algorithm is static (static-rr, map-based hash): no ramp (§1). */
  readonly ramps: boolean;
  /** Share at each time after the server comes back UP, the others at full weight (§8 rule 18). */
  readonly steps: ReadonlyArray<{
    readonly afterMs: number;
    readonly weight: number;
    readonly share: number;
  }>;
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

const HASHES = ["source", "uri", "url_param", "hdr"] as const;
type Hashing = (typeof HASHES)[number];

function keyword(balance: string): string {
  const first = balance.trim().split(/\s+/)[0]!;
  return first.startsWith("hdr(") ? "hdr" : first;
}

export function hashingOf(balance: string): Hashing | undefined {
  const word = keyword(balance);
  return HASHES.find((h) => h === word);
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

/** The requests of the key population (hashing) or plain requests (the others). */
export function keyRequests(
  balance: string,
  seed: number,
  count = KEY_COUNT,
): { requests: RequestView[]; keys: string; population: string } {
  const hashing = hashingOf(balance);
  const plain: RequestView = { sourceIp: "10.0.0.1", sourceKey: 0x0a000001, path: "/", host: "" };
  const requests: RequestView[] = [];
  const words = balance.trim().split(/\s+/);
  switch (hashing) {
    case "source": {
      const stream = createStream(seed, "explain:sources");
      for (let i = 0; i < KEY_COUNT; i++) {
        const key = stream.nextUint32();
        const sourceIp = [key >>> 24, (key >>> 16) & 0xff, (key >>> 8) & 0xff, key & 0xff].join(".");
        requests.push({ ...plain, sourceIp, sourceKey: key });
      }
      return {
        requests,
        keys: "the client's IPv4 address",
        population: `${fmt(KEY_COUNT)} random IPv4 addresses (seeded)`,
      };
    }
    case "uri":
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, path: `/item/${i}` });
      return {
        requests,
        keys: `the request-target (balance ${balance.trim()})`,
        population: `${fmt(KEY_COUNT)} paths /item/0 … /item/${KEY_COUNT - 1} (lbsim's client paths)`,
      };
    case "url_param": {
      const param = words[1] ?? "";
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, path: `/item?${param}=${i}` });
      return {
        requests,
        keys: `the value of query parameter "${param}"`,
        population: `${fmt(KEY_COUNT)} requests /item?${param}=0 … ${KEY_COUNT - 1}`,
      };
    }
    case "hdr": {
      const header = /^hdr\(([^)]*)\)/.exec(words[0]!)?.[1] ?? "";
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, host: `site${i}.example` });
      return header.toLowerCase() === "host"
        ? {
            requests,
            keys: `the Host header${words[1] === "use_domain_only" ? "'s domain label" : ""}`,
            population: `${fmt(KEY_COUNT)} hosts site0.example … site${KEY_COUNT - 1}.example`,
          }
        : {
            requests,
            keys: `the ${header} header (lbsim's requests carry only Host: it is absent, so HAProxy's round-robin fallback applies)`,
            population: `${fmt(KEY_COUNT)} requests without that header`,
          };
    }
    default:
      for (let i = 0; i < count; i++) requests.push(plain);
      return { requests, keys: "", population: `${fmt(count)} sequential requests` };
  }
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
    slowstart: slowstartRamps(backend, actives, hashing),
    notes,
  };
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

function slowstartRamps(
  backend: BackendSpec,
  actives: ReadonlyArray<ServerSpec>,
  hashing: Hashing | undefined,
): SlowstartRamp[] {
  const word = keyword(backend.balance);
  // HAProxy's static algorithms do not ramp the weight (§1 `slowstart`).
  const ramps = word !== "static-rr" && !(hashing !== undefined && backend.hashType === "map-based");
  return actives
    .filter((s) => s.slowstartMs > 0)
    .map((server) => {
      const others = actives.filter((s) => s !== server).reduce((a, s) => a + s.weight, 0);
      const seconds = Math.ceil(server.slowstartMs / 1000);
      const marks = [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * seconds)))];
      return {
        server: server.name,
        slowstartMs: server.slowstartMs,
        ramps,
        steps: marks.map((s) => {
          const weight = ramps
            ? (server.weight * slowstartSteps(server.slowstartMs, s * 1000)) / 16
            : server.weight;
          return { afterMs: s * 1000, weight, share: weight + others === 0 ? 0 : weight / (weight + others) };
        }),
      };
    });
}

export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
