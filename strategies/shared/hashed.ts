// hashed: the lookup behind source, uri, url_param and hdr: map-based or consistent, §3.0, §3.1, §3.11.
//
// A keyword file only says how a request becomes a 32-bit key hash (or that it has no key); this
// file applies the avalanche rule, looks the key up in the static map (map[h mod T]) or on the
// consistent ring, and falls back to round-robin when there is no key: the map walk for map-based,
// ring points in order for consistent. Hash lookups ignore fullness (the model queues the request
// on the chosen server) and the algorithm is a hash for the redispatch rule (§2 4.2 (c)).

import type {
  HashFunctionName,
  PickExplanation,
  RequestView,
  ServerView,
  Strategy,
  StrategyContext,
} from "../types.js";
import { isFull } from "../types.js";
import { type ByteHash, crc32, djb2, fullHash, sdbm, wt6 } from "./hash.js";
import { Membership } from "./membership.js";
import { ConsistentRing } from "./ring.js";
import { StaticMap, staticMembership } from "./static-map.js";

/** BE_WEIGHT_SCALE: ring points per unit of weight. */
const WEIGHT_SCALE = 16;

/** A request's key hashed with `hash` (32-bit unsigned), before avalanche; -1 when it has no key. */
export type KeyHash = (request: RequestView, hash: ByteHash) => number;

const byteHashes: Readonly<Record<HashFunctionName, ByteHash>> = { sdbm, djb2, wt6, crc32 };

/** True when key hashes go through full_hash: the modifier, or `consistent` with no function named (§3.1). */
export function avalancheOf(context: StrategyContext): boolean {
  return context.hashAvalanche ?? (context.hashType === "consistent" && context.hashFunction === undefined);
}

/**
 * A hash strategy named `name` over `keyHash`. `oneServerFirst`: with a single usable server, take
 * it before looking for the key (so a request without one does not move the round-robin walk).
 */
export function createHashed(
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
  name: string,
  keyHash: KeyHash,
  oneServerFirst = true,
): Strategy {
  const hash = byteHashes[context.hashFunction ?? "sdbm"];
  const avalanche = avalancheOf(context);
  const lookup = context.hashType === "consistent" ? ringLookup(servers) : mapLookup(servers);
  const members = lookup.members;

  return {
    name,
    queueWhenBacklogged: false,
    ignoresFullness: true,
    // The map is static (§3.11: weight changes other than to/from 0 are refused); the ring is not.
    dynamic: context.hashType === "consistent",

    /** Usable again: back in the map (rebuilt) or its points back on the ring. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** Out of the map or off the ring; whether it was already out does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** The ring keeps exactly points j < new ew; the map changes only with the user weight. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** Lookups ignore connection counts (the fallback reads fullness live). */
    taken: () => {},
    released: () => {},

    pick(request: RequestView, avoid?: ServerView): ServerView | undefined {
      // §3.0: with one usable server there is no hashing: that server, whatever fullness or avoid.
      const only = lookup.only();
      if (only === -1) return undefined;
      const avoidSlot = members.slotOf(avoid);
      if (oneServerFirst && only >= 0) return servers[only];
      const key = keyHash(request, hash);
      // No key: round-robin. url_param looks for its key before it counts servers, so its fallback
      // walks on even with one usable server; hdr counts first (both measured on 2.6.12).
      if (key < 0) {
        const slot = lookup.roundRobin(avoidSlot);
        return slot < 0 ? undefined : servers[slot];
      }
      if (only >= 0) return servers[only];
      const slot = lookup.byHash(avalanche ? fullHash(key) : key, avoidSlot);
      return slot < 0 ? undefined : servers[slot];
    },

    /**
     * The pick's path without its effects: `key` the 32-bit hash looked up (after avalanche), `slot`
     * the map entry (hash mod T) or ring point it lands on; the state says the request's text the key
     * came from, the hash before avalanche, and which lookup ran (none with one usable server).
     */
    explainState(request: RequestView): PickExplanation {
      const only = lookup.only();
      const input = keyInput(name, request);
      const base = { hashType: context.hashType, avalanche, input };
      if (only === -1) return { state: { ...base, lookup: "none: no usable server" } };
      if (oneServerFirst && only >= 0) return { state: { ...base, lookup: "the only usable server" } };
      const key = keyHash(request, hash);
      if (key < 0) return { state: { ...base, lookup: "round-robin: the request has no key" } };
      if (only >= 0) return { state: { ...base, keyHash: key, lookup: "the only usable server" } };
      const looked = avalanche ? fullHash(key) : key;
      return {
        key: looked,
        slot: lookup.slotFor(looked),
        state: { ...base, keyHash: key, lookup: context.hashType === "consistent" ? "ring" : "map" },
      };
    },
  };
}

/** The request's text a keyword hashes (its address, path, or Host), for `--explain`. */
function keyInput(name: string, request: RequestView): string {
  if (name === "source") return request.sourceIp;
  if (name.startsWith("hdr(")) return request.host;
  return request.path;
}

interface Lookup {
  readonly members: Membership;
  /** The only usable slot, -1 when none, -2 when several. */
  only(): number;
  byHash(hash: number, avoid: number): number;
  roundRobin(avoid: number): number;
  /** `--explain`: the map entry or ring point a hash lands on. */
  slotFor(hash: number): number;
}

function mapLookup(servers: ReadonlyArray<ServerView>): Lookup {
  const map = new StaticMap(servers);
  return {
    members: staticMembership(servers, map),
    only: () => (map.usableCount === 0 ? -1 : map.usableCount === 1 ? map.at(0) : -2),
    // HAProxy's map lookup takes no server to avoid (unverified; sequential tests cannot show it): a redispatch
    // by hash lands on the same server while it is in the map, and the model counts it as a retry.
    byHash: (hash) => map.lookup(hash),
    roundRobin: (avoid) => map.next(avoid),
    slotFor: (hash) => (map.size === 0 ? -1 : hash % map.size),
  };
}

function ringLookup(servers: ReadonlyArray<ServerView>): Lookup {
  const ring = new ConsistentRing(servers.map((server) => server.id));
  // The fallback walks the ring from the point after the last one it used (§3.0). It remembers that
  // point by hash and slot, not by position, so a rebuilt ring resumes at the same place.
  let lastHash = -1;
  let lastSlot = -1;
  // Points each slot has room for: its configured ew, grown by any larger weight set since.
  const allocated = Int32Array.from(servers, (server) => server.initialWeight * WEIGHT_SCALE);
  const members = new Membership(servers, {
    enter: (slot, weight) => {
      allocated[slot] = Math.max(allocated[slot]!, weight);
      ring.setPoints(slot, weight);
    },
    leave: (slot) => {
      ring.setPoints(slot, 0);
      keepWalk(slot);
    },
    reweigh: (slot, old, weight) => {
      if (weight > allocated[slot]!) {
        // Growing beyond its room takes all of the server's points out before they all go back in.
        allocated[slot] = weight;
        leaveServer(slot);
      }
      ring.setPoints(slot, weight);
      if (weight < old) keepWalk(slot);
    },
  });

  /**
   * When the walk's last point leaves the ring, the walk moves on to the next point that stays, so
   * the next fallback pick skips that one (measured on HAProxy 2.6.12 after `set weight … 0`, and
   * after a weight above any the server had, which re-inserts all of its points).
   */
  function keepWalk(slot: number): void {
    if (slot !== lastSlot) return;
    const after = ring.positionAfter(lastHash);
    if (after > 0 && ring.hashAt(after - 1) === lastHash && ring.slotAt(after - 1) === lastSlot) return;
    moveWalk(after, -1);
  }

  /** The walk's last point is the server's and all its points go: on to the next of another server. */
  function leaveServer(slot: number): void {
    if (slot === lastSlot) moveWalk(ring.positionAfter(lastHash), slot);
  }

  /** Makes the first point from `position` on (wrapping) not owned by `skip` the walk's last one. */
  function moveWalk(position: number, skip: number): void {
    const points = ring.pointCount;
    for (let k = 0, at = position; k < points; k++, at++) {
      if (at >= points) at = 0;
      if (ring.slotAt(at) === skip) continue;
      lastHash = ring.hashAt(at);
      lastSlot = ring.slotAt(at);
      return;
    }
    // Nothing left: the next walk starts at the lowest point.
    lastHash = -1;
    lastSlot = -1;
  }

  function roundRobin(avoid: number): number {
    const points = ring.pointCount;
    let at = ring.positionAfter(lastHash);
    let avoided = -1;
    let avoidedHash = 0;
    for (let k = 0; k < points; k++, at++) {
      if (at >= points) at = 0;
      const slot = ring.slotAt(at);
      if (isFull(servers[slot]!)) continue;
      if (slot !== avoid) {
        lastHash = ring.hashAt(at);
        lastSlot = slot;
        return slot;
      }
      avoided = slot;
      avoidedHash = ring.hashAt(at);
    }
    if (avoided >= 0) {
      lastHash = avoidedHash;
      lastSlot = avoided;
    }
    return avoided;
  }

  return {
    members,
    only: () => {
      const count = ring.serverCount;
      return count === 0 ? -1 : count === 1 ? ring.slotAt(0) : -2;
    },
    byHash: (hash, avoid) => ring.lookup(hash, avoid),
    roundRobin,
    slotFor: (hash) => ring.pointFor(hash),
  };
}
