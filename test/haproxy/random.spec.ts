// random on a real HAProxy: request for request with HAProxy's own PRNG replayed, and as distributions (§3.10).
//
// HAProxy 2.6 draws `balance random` keys from `statistical_prng()`: xorshift32 (13, 17, 5), one
// state per thread starting at 2463534242, used as the ring key as is (no avalanche), N draws per
// pick. Measured on 2.6.12: fresh processes repeat the same sequence. So with `nbthread 1` (the
// harness's setting) and a fresh process, lbsim's random strategy fed that stream must agree
// exactly; with several threads the per-thread streams interleave and only distributions match.
//
// Distributions, with lbsim's own seeded stream: with sequential traffic every server is idle at
// each pick, so the newest of the N draws always wins and a server's chance is its share of the
// consistent ring (§3.11), whatever N. HAProxy's counts and lbsim's must lie within 5 σ of those
// shares (a binomial bound). A server in maint must never be picked, by either.
import { expect, it } from "vitest";
import { ringShares } from "../../strategies/test-support.js";
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
import { findHaproxy, NOSRV, runOnHaproxy } from "./harness.js";
import { predict } from "./predict.js";

const PICKS = 600;
const servers = [
  { name: "s1", weight: 1, id: 1 },
  { name: "s2", weight: 2, id: 2 },
  { name: "s3", weight: 4, id: 3 },
];

function counts(answers: ReadonlyArray<string>): number[] {
  return servers.map((s) => answers.filter((a) => a === s.name).length);
}

function expectRingShares(who: string, answers: ReadonlyArray<string>): void {
  const shares = ringShares(servers);
  const got = counts(answers);
  shares.forEach((share, i) => {
    const sigma = Math.sqrt(answers.length * share * (1 - share));
    const expected = answers.length * share;
    expect(
      Math.abs(got[i]! - expected),
      `${who}: ${servers[i]!.name} got ${got[i]} of ${answers.length}, ring share ${expected.toFixed(1)} ± ${sigma.toFixed(1)}`,
    ).toBeLessThan(5 * sigma);
  });
}

for (const balance of ["random", "random(3)"]) {
  describeWithHaproxy(`HAProxy conformance: ${balance} (distribution)`, () => {
    it(`${balance} (1,2,4): HAProxy and lbsim both follow the ring shares; maint s3 is never picked`, async () => {
      const backend = { balance, servers };
      const steps = [...plain(PICKS), cmd("set server be/s3 state maint"), ...plain(100)];
      const { answers } = await runOnHaproxy(findHaproxy()!.binary, backend, steps);
      const predicted = predict(backend, steps, 7);
      expect(answers[PICKS], "runtime reply").toBe("");
      expectRingShares("HAProxy", answers.slice(0, PICKS));
      expectRingShares("lbsim", predicted.slice(0, PICKS));
      for (const [who, list] of [
        ["HAProxy", answers],
        ["lbsim", predicted],
      ] as const) {
        const after = list.slice(PICKS + 1);
        expect(
          after.filter((a) => a === "s3" || a === NOSRV),
          `${who} after maint s3`,
        ).toEqual([]);
      }
      const expected = ringShares(servers).map((share) => (share * PICKS).toFixed(0));
      const observed = (list: ReadonlyArray<string>) => counts(list.slice(0, PICKS)).join("/");
      console.log(
        `${balance} (1,2,4) over ${PICKS}: ring shares ${expected.join("/")}, HAProxy ${observed(answers)}, lbsim ${observed(predicted)}`,
      );
    });
  });
}

/** HAProxy 2.6's statistical_prng (xorshift32 from 2463534242) as the uniform [0,1) stream lbsim draws from. */
function haproxyPrng(): () => number {
  let x = 2463534242;
  return () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return x / 4294967296;
  };
}

const replayed: Case[] = [
  {
    name: "random (1,2,4), HAProxy's PRNG replayed",
    backend: { balance: "random", servers },
    steps: plain(200),
    random: haproxyPrng,
  },
  {
    name: "random(3) (1,2,4), HAProxy's PRNG replayed",
    backend: { balance: "random(3)", servers },
    steps: plain(200),
    random: haproxyPrng,
  },
  {
    name: "random (3,3,2,1,1), HAProxy's PRNG replayed: a seeded mix of maint, drain, ready and set weight",
    backend: { balance: "random", servers: weighted(3, 3, 2, 1, 1) },
    steps: interleave(15, plain(250), (draw) => dynamicChange(5, draw)),
    random: haproxyPrng,
  },
];

describeWithHaproxy("HAProxy conformance: random, request for request", () => conformanceCases(replayed));
