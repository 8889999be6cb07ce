// leastconn on a real HAProxy: idle servers rotate whatever their weight; returning ones queue at the back (§3.4, §8 rules 1, 15).

import {
  type Case,
  cmd,
  conformanceCases,
  describeWithHaproxy,
  dynamicChange,
  interleave,
  plain,
  weighted,
} from "./conformance.js";
import type { BackendConfig } from "./harness.js";

const lc = (...weights: number[]): BackendConfig => ({ balance: "leastconn", servers: weighted(...weights) });

const cases: Case[] = [
  { name: "(1,1,1) sequential rotates", backend: lc(1, 1, 1), steps: plain(30) },
  {
    name: "(3,1,1) sequential rotates evenly (weights ignored while idle)",
    backend: lc(3, 1, 1),
    steps: plain(30),
  },
  {
    name: "(1,1,1): s1 back from maint goes to the back of the idle FIFO",
    backend: lc(1, 1, 1),
    steps: [
      ...plain(4),
      cmd("set server be/s1 state maint"),
      ...plain(5),
      cmd("set server be/s1 state ready"),
      ...plain(20),
    ],
  },
  {
    name: "(3,1,1): weight change on an idle server, drain and ready",
    backend: lc(3, 1, 1),
    steps: [
      ...plain(4),
      cmd("set weight be/s2 5"),
      ...plain(4),
      cmd("set server be/s3 state drain"),
      ...plain(5),
      cmd("set server be/s3 state ready"),
      ...plain(6),
      cmd("set weight be/s1 0"),
      ...plain(4),
      cmd("set weight be/s1 3"),
      ...plain(12),
    ],
  },
  {
    name: "(3,3,2,1,1): a seeded mix of maint, drain, ready and set weight",
    backend: lc(3, 3, 2, 1, 1),
    steps: interleave(12, plain(250), (draw) => dynamicChange(5, draw)),
  },
];

describeWithHaproxy("HAProxy conformance: leastconn", () => conformanceCases(cases));
