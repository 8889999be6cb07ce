// static-rr and first on a real HAProxy: the static map walk (§3.3, §8 rules 2, 14) and first-by-id (§3.5).

import {
  type Case,
  cmd,
  conformanceCases,
  describeWithHaproxy,
  interleave,
  plain,
  weighted,
} from "./conformance.js";
import type { BackendConfig } from "./harness.js";

const srr = (...weights: number[]): BackendConfig => ({
  balance: "static-rr",
  servers: weighted(...weights),
});
const periods = (...weights: number[]) => plain(Math.max(40, 3 * weights.reduce((a, b) => a + b, 0)));

/** Static algorithms accept only weight 0 and the initial weight (100%) at run time (§5). */
function staticChange(weights: ReadonlyArray<number>, draw: () => number): string {
  const i = Math.floor(draw() * weights.length);
  const server = `be/s${i + 1}`;
  const kind = Math.floor(draw() * 6);
  if (kind === 0) return `set server ${server} state maint`;
  if (kind === 1) return `set server ${server} state drain`;
  if (kind === 2) return `set weight ${server} 0`;
  if (kind === 3) return draw() < 0.5 ? `set weight ${server} 100%` : `set weight ${server} ${weights[i]}`;
  return `set server ${server} state ready`;
}

const first = (servers: BackendConfig["servers"]): BackendConfig => ({ balance: "first", servers });
/** Declared s1, s2, s3 with ids 3, 1, 2: `first` must follow ids, not declaration order. */
const byId = [
  { name: "s1", id: 3, maxconn: 2 },
  { name: "s2", id: 1, maxconn: 2 },
  { name: "s3", id: 2, maxconn: 2 },
];

const staticRr: Case[] = [
  { name: "static-rr (1,1) alternates", backend: srr(1, 1), steps: periods(1, 1) },
  { name: "static-rr (3,1) in map order", backend: srr(3, 1), steps: periods(3, 1) },
  {
    name: "static-rr (5,3,2) gives s1 s1 s2 s1 s3 s1 s2 s1 s2 s3",
    backend: srr(5, 3, 2),
    steps: periods(5, 3, 2),
  },
  {
    name: "static-rr weights 1..7 over three periods of 28",
    backend: srr(1, 2, 3, 4, 5, 6, 7),
    steps: periods(1, 2, 3, 4, 5, 6, 7),
  },
  { name: "static-rr (2,2,4): weights divided by their GCD", backend: srr(2, 2, 4), steps: plain(40) },
  {
    name: "static-rr (5,3,2): maint and ready keep the walking position",
    backend: srr(5, 3, 2),
    steps: [
      ...plain(6),
      cmd("set server be/s2 state maint"),
      ...plain(9),
      cmd("set server be/s2 state ready"),
      ...plain(33),
    ],
  },
  {
    name: "static-rr (3,2,1): drain, weight 0 and back to 100%",
    backend: srr(3, 2, 1),
    steps: [
      ...plain(4),
      cmd("set server be/s1 state drain"),
      ...plain(5),
      cmd("set weight be/s3 0"),
      ...plain(3),
      cmd("set server be/s1 state ready"),
      ...plain(7),
      cmd("set weight be/s3 100%"),
      ...plain(30),
    ],
  },
  {
    name: "static-rr (3,3,2,1,1): a seeded mix of maint, drain, ready, weight 0 and 100%",
    backend: srr(3, 3, 2, 1, 1),
    steps: interleave(13, plain(300), (draw) => staticChange([3, 3, 2, 1, 1], draw)),
  },
];

const firstCases: Case[] = [
  {
    name: "first: all sequential traffic on the lowest id (ids 3,1,2, maxconn 2)",
    backend: first(byId),
    steps: plain(20),
  },
  {
    name: "first: maint, weight 0 and ready move traffic along the ids",
    backend: first(byId),
    steps: [
      ...plain(3),
      cmd("set server be/s2 state maint"),
      ...plain(4),
      cmd("set server be/s3 state drain"),
      ...plain(4),
      cmd("set server be/s2 state ready"),
      ...plain(3),
      cmd("set weight be/s2 0"),
      ...plain(3),
      cmd("set server be/s3 state ready"),
      ...plain(3),
      cmd("set weight be/s2 1"),
      ...plain(5),
    ],
  },
  {
    name: "first (1,1,1) without maxconn: a seeded mix of changes",
    backend: first(weighted(1, 1, 1)),
    steps: interleave(14, plain(120), (draw) => staticChange([1, 1, 1], draw)),
  },
];

describeWithHaproxy("HAProxy conformance: static-rr", () => conformanceCases(staticRr));
describeWithHaproxy("HAProxy conformance: first", () => conformanceCases(firstCases));
