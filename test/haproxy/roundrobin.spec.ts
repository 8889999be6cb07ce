// roundrobin on a real HAProxy: fwrr order for fixed weights and across runtime changes (§3.2, §8 rules 12–13).

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

const rr = (...weights: number[]): BackendConfig => ({
  balance: "roundrobin",
  servers: weighted(...weights),
});

/** Three periods (Σ weights picks each), at least 40 requests. */
const periods = (...weights: number[]) => plain(Math.max(40, 3 * weights.reduce((a, b) => a + b, 0)));

const cases: Case[] = [
  { name: "(1,1) alternates", backend: rr(1, 1), steps: periods(1, 1) },
  { name: "(3,1) gives s1 s1 s1 s2", backend: rr(3, 1), steps: periods(3, 1) },
  { name: "(5,3,2) in HAProxy's period-10 order", backend: rr(5, 3, 2), steps: periods(5, 3, 2) },
  {
    name: "weights 1..7 over three periods of 28",
    backend: rr(1, 2, 3, 4, 5, 6, 7),
    steps: periods(1, 2, 3, 4, 5, 6, 7),
  },
  {
    name: "(3,2,1): s2 to maint mid-window, ready mid-window",
    backend: rr(3, 2, 1),
    steps: [
      ...plain(7),
      cmd("set server be/s2 state maint"),
      ...plain(11),
      cmd("set server be/s2 state ready"),
      ...plain(36),
    ],
  },
  {
    name: "(5,3,2): s1 drained, then ready",
    backend: rr(5, 3, 2),
    steps: [
      ...plain(4),
      cmd("set server be/s1 state drain"),
      ...plain(13),
      cmd("set server be/s1 state ready"),
      ...plain(40),
    ],
  },
  {
    name: "(1,1,1): disable server / enable server",
    backend: rr(1, 1, 1),
    steps: [...plain(2), cmd("disable server be/s1"), ...plain(5), cmd("enable server be/s1"), ...plain(20)],
  },
  {
    name: "(4,4,2,2): set weight up, down, to 0 and back",
    backend: rr(4, 4, 2, 2),
    steps: [
      ...plain(5),
      cmd("set weight be/s3 6"),
      ...plain(9),
      cmd("set server be/s1 weight 50%"),
      ...plain(13),
      cmd("set weight be/s2 0"),
      ...plain(7),
      cmd("set weight be/s2 4"),
      ...plain(40),
    ],
  },
  {
    name: "(2,1): every server out gives 503, then they return",
    backend: rr(2, 1),
    steps: [
      ...plain(4),
      cmd("set server be/s1 state maint"),
      ...plain(2),
      cmd("set server be/s2 state drain"),
      ...plain(3),
      cmd("set server be/s2 state ready"),
      ...plain(3),
      cmd("set server be/s1 state ready"),
      ...plain(18),
    ],
  },
  {
    name: "(3,3,2,1,1): a seeded mix of maint, drain, ready and set weight",
    backend: rr(3, 3, 2, 1, 1),
    steps: interleave(11, plain(300), (draw) => dynamicChange(5, draw)),
  },
];

describeWithHaproxy("HAProxy conformance: roundrobin", () => conformanceCases(cases));
