// roundrobin: weighted round-robin by positions in a window, like HAProxy's lb_fwrr.c (§3.2).
//
// Each server advances through a window of Σew positions in steps of next_weight / ew, the
// remainder carried in rweight; the `curr` tree holds servers by next position, `init` and `next`
// hold servers waiting for a window, by weight. The same weights therefore give HAProxy's order
// (5,3,2 → s1 s2 s1 s3 s1 s2 s1 s2 s1 s3), not a textbook smooth round-robin, and a server coming
// back is slotted a few picks ahead (§8 rule 13). Rebuilding the state on a change would be wrong.

import { KeyedHeap, Membership } from "./shared/index.js";
import type { PickExplanation, RequestView, ServerView, Strategy, StrategyContext } from "./types.js";
import { isFull } from "./types.js";

/** SRV_EWGHT_MAX = 256 × BE_WEIGHT_SCALE: `init`/`next` keys are 4096 − ew, heaviest first. */
const WEIGHT_MAX = 4096;
/** Positions are stored ×256 in `curr` keys, with the weight remainder as a tie-breaker. */
const POSITION_SCALE = 256;
const WEIGHT_SCALE = 16;
const NO_TREE = 255;

export function createRoundrobin(servers: ReadonlyArray<ServerView>, _context?: StrategyContext): Strategy {
  const n = servers.length;
  // Tree 0 is `curr`; trees 1 and 2 take turns as `init` and `next` (swapped at each window).
  const trees = [new KeyedHeap(n), new KeyedHeap(n), new KeyedHeap(n)] as const;
  const curr = trees[0];
  let initTree = 1;
  let nextTree = 2;
  const treeOf = new Uint8Array(n).fill(NO_TREE);
  // HAProxy's positions are C unsigned ints: Uint32Array wraps them the same way.
  const npos = new Uint32Array(n);
  const lpos = new Uint32Array(n);
  const rweight = new Uint32Array(n);
  const aside = new Int32Array(n);
  let currPos = 0;
  let currWeight = 0;
  let nextWeight = 0;
  // Until the first pick or change, servers coming up are HAProxy's startup set: all in `init`
  // by weight, with curr_pos = curr_weight = next_weight = Σew (§3.2 "Init").
  let pristine = true;

  const members = new Membership(servers, { enter, leave, reweigh });
  const ew = members.weight;

  function insert(tree: number, s: number, key: number): void {
    trees[tree as 0 | 1 | 2].insert(s, key);
    treeOf[s] = tree;
  }

  function dequeue(s: number): void {
    const tree = treeOf[s]!;
    if (tree === NO_TREE) return;
    trees[tree as 0 | 1 | 2].remove(s);
    treeOf[s] = NO_TREE;
  }

  function queueByWeight(tree: number, s: number): void {
    insert(tree, s, WEIGHT_MAX - ew[s]!);
  }

  /** §3.2 step 7: into `curr` by next position, or to `next` when beyond this window. */
  function queue(s: number): void {
    const weight = ew[s]!;
    const position = npos[s]!;
    if (weight === 0 || position >= 2 * currWeight || position >= currWeight + nextWeight) {
      npos[s] = position - currWeight;
      queueByWeight(nextTree, s);
    } else {
      // An eb32 key: the product wraps at 2^32 as in HAProxy (only with Σweights > 2^19).
      const tieBreak = Math.floor((WEIGHT_MAX + rweight[s]! - weight) / WEIGHT_SCALE);
      insert(0, s, (Math.imul(position, POSITION_SCALE) + tieBreak) >>> 0);
    }
  }

  /** §3.2 step 4: the server's next position; a server fresh from `init` starts at curr_pos. */
  function advance(s: number): void {
    const weight = ew[s]!;
    if (weight === 0) return;
    if (npos[s] === 0) npos[s] = currPos;
    lpos[s] = npos[s]!;
    npos[s] = npos[s]! + Math.floor(nextWeight / weight);
    rweight[s] = rweight[s]! + (nextWeight % weight);
    if (rweight[s]! >= weight) {
      rweight[s] = rweight[s]! - weight;
      npos[s] = npos[s]! + 1;
    }
  }

  /** §3.2 step 2: `curr`'s first if its turn has come, else `init`'s first (restarted), else `curr`'s. */
  function candidate(): number {
    const a = curr.first();
    if (a >= 0 && ew[a]! > 0 && npos[a]! <= currPos) return a;
    const b = trees[initTree as 1 | 2].first();
    if (b >= 0 && ew[b]! > 0) {
      npos[b] = 0;
      rweight[b] = 0;
      return b;
    }
    return a;
  }

  function enter(s: number, weight: number): void {
    nextWeight += weight;
    if (pristine) {
      currPos = currWeight = nextWeight;
      queueByWeight(initTree, s);
      return;
    }
    // §3.2 re-entry rule. The numerator goes through C unsigned arithmetic (eweights are
    // unsigned), so after a large drop of next_weight it wraps and the server waits a window.
    npos[s] = currPos + Math.floor(((nextWeight + currWeight - currPos) >>> 0) / weight);
    queue(s);
  }

  function leave(s: number, oldWeight: number): void {
    pristine = false;
    // curr_weight is left alone: the current window goes on without this server's turns (§8 rule 12).
    dequeue(s);
    nextWeight -= oldWeight;
  }

  function reweigh(s: number, oldWeight: number, weight: number): void {
    pristine = false;
    nextWeight += weight - oldWeight;
    const tree = treeOf[s]!;
    if (tree === initTree) {
      queueByWeight(initTree, s);
      return;
    }
    // A server in `next` had curr_weight taken off its position; put it back to compare.
    if (tree === nextTree) npos[s] = npos[s]! + currWeight;
    const step = Math.floor(nextWeight / weight);
    const previous = npos[s]!;
    npos[s] = Math.min(lpos[s]! + step, previous);
    rweight[s] = 0;
    if (npos[s]! < currPos + 2) npos[s] = currPos + step;
    dequeue(s);
    queue(s);
  }

  return {
    name: "roundrobin",
    queueWhenBacklogged: true,
    ignoresFullness: false,

    /** Usable again: next_weight grows and it is slotted by the re-entry rule. Idempotent. */
    serverUp: (server) => members.serverUp(server),
    /** Out of every tree, next_weight shrinks; whether it was already down does not matter. */
    serverDown: (server) => members.serverDown(server),
    /** New effective weight: new step from its last position; 0 is a leave. Idempotent. */
    weightChanged: (server) => members.weightChanged(server),
    /** fwrr does not look at connection counts. */
    taken: () => {},
    released: () => {},

    pick(_request: RequestView, avoid?: ServerView): ServerView | undefined {
      pristine = false;
      const avoidSlot = members.slotOf(avoid);
      let switched = false;
      let avoided = -1;
      let asideCount = 0;
      let chosen = -1;
      search: for (;;) {
        if (currWeight === 0) currPos = currWeight = nextWeight;
        let s = candidate();
        while (s < 0) {
          // Both trees exhausted once: only the avoided server (§2 step 4.4) or the backend queue.
          if (switched) {
            chosen = avoided;
            break search;
          }
          switched = true;
          const swap = initTree;
          initTree = nextTree;
          nextTree = swap;
          currPos = currWeight = nextWeight;
          s = candidate();
        }
        // A full or avoided server still consumes its position (§2 step 4.4, §3.2 step 6).
        advance(s);
        dequeue(s);
        currPos++;
        if (!isFull(servers[s]!)) {
          if (s !== avoidSlot || avoided >= 0) {
            chosen = s;
            break;
          }
          avoided = s;
        }
        aside[asideCount++] = s;
      }
      if (chosen >= 0) queue(chosen);
      for (let i = 0; i < asideCount; i++) {
        const s = aside[i]!;
        if (s === chosen) continue;
        if (switched) queueByWeight(initTree, s);
        else queue(s);
      }
      return chosen >= 0 ? servers[chosen] : undefined;
    },

    /**
     * fwrr's window before the pick: `position` (curr_pos), the window's weight (curr_weight), the
     * next window's (next_weight), and per server its effective weight, the tree it waits in and its
     * next position (in `next`, counted from the next window's start).
     */
    explainState(): PickExplanation {
      const names = ["curr", "init", "next"];
      const byServer: Record<string, Record<string, number | string>> = {};
      servers.forEach((server, s) => {
        const tree = treeOf[s]!;
        const where = tree === NO_TREE ? "out" : tree === 0 ? "curr" : names[tree === initTree ? 1 : 2]!;
        byServer[server.name] = { weight: ew[s]!, tree: where, next: npos[s]! };
      });
      return {
        state: { position: currPos, windowWeight: currWeight, nextWeight, servers: byServer },
      };
    },
  };
}
