// roundrobin spec: HAProxy's fwrr order for small cases and under changes (§3.2, §8 rules 3, 12, 13).
import { describe, expect, it } from "vitest";
import { createRoundrobin } from "./roundrobin.js";
import { FakeModel } from "./test-support.js";

const fresh = (weights: ReadonlyArray<number | { weight?: number; maxconn?: number; down?: boolean }>) =>
  new FakeModel(createRoundrobin, weights);

/** Picks per server index over `picks`, sequential. */
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe("roundrobin (fwrr, §3.2)", () => {
  it("alternates (1,1): s1 s2 s1 s2", () => {
    expect(fresh([1, 1]).sequence(6).join(" ")).toBe("s1 s2 s1 s2 s1 s2");
  });

  it("gives (3,1) as s1 s1 s1 s2, repeating", () => {
    expect(fresh([3, 1]).sequence(12).join(" ")).toBe("s1 s1 s1 s2 s1 s1 s1 s2 s1 s1 s1 s2");
  });

  it("gives (5,3,2) HAProxy's order s1 s2 s1 s3 s1 s2 s1 s2 s1 s3 with period 10", () => {
    const period = "s1 s2 s1 s3 s1 s2 s1 s2 s1 s3";
    expect(fresh([5, 3, 2]).sequence(30).join(" ")).toBe(`${period} ${period} ${period}`);
  });

  it("may be off by one pick in the first window only: (3,3,2) → s1 s2 s1 s2 s3 s1 s2 s1, then exact", () => {
    // Pick 8: s1 and s3 both wait for position 136 at curr_pos 135 and `init` is empty, so §3.2
    // step 2 takes `curr`'s first (s1) ahead of its turn; later windows are exactly 3:3:2.
    const model = fresh([3, 3, 2]);
    expect(model.sequence(8).join(" ")).toBe("s1 s2 s1 s2 s3 s1 s2 s1");
    for (let window = 0; window < 4; window++) expect(model.counts(8)).toEqual([3, 3, 2]);
  });

  it("starts with the heaviest server, equal weights in declaration order", () => {
    expect(fresh([1, 4, 4, 2]).sequence(2)).toEqual(["s2", "s3"]);
  });

  it("gives weights 1..7 counts exactly proportional over every Σw = 28 picks", () => {
    const model = fresh([1, 2, 3, 4, 5, 6, 7]);
    for (let window = 0; window < 6; window++) expect(model.counts(28)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("lets the current window go on without a server that leaves, new totals from the next", () => {
    const model = fresh([5, 3, 2]);
    expect(model.sequence(3).join(" ")).toBe("s1 s2 s1");
    model.down(1);
    const rest = model.sequence(70);
    expect(rest).not.toContain("s2");
    // From the next window on, s1:s3 = 5:2 in every 7 picks.
    const counts = model.counts(70);
    expect(counts).toEqual([50, 0, 20]);
  });

  it("treats weight 0 like a server leaving, and a weight again like a server returning", () => {
    const model = fresh([1, 1, 1]);
    model.sequence(3);
    model.setWeight(0, 0);
    expect(model.sequence(6)).not.toContain("s1");
    model.setWeight(0, 2);
    model.sequence(8);
    expect(model.counts(40)).toEqual([20, 10, 10]);
  });

  it("slots a returning server a few picks ahead: neither at once nor behind everyone (§8 rule 13)", () => {
    const model = fresh([1, 1, 1]);
    expect(model.sequence(1)).toEqual(["s1"]);
    model.down(2);
    expect(model.sequence(1)).toEqual(["s2"]);
    model.up(2);
    // Re-entry at curr_pos + ⌊(next_weight + curr_weight − curr_pos) / ew⌋ = 50 + ⌊46/16⌋ = 52.
    expect(model.sequence(6).join(" ")).toBe("s1 s2 s3 s1 s2 s3");

    const four = fresh([2, 1, 1, 3]);
    expect(four.sequence(3).join(" ")).toBe("s4 s1 s4");
    four.down(2);
    expect(four.sequence(5).join(" ")).toBe("s2 s1 s4 s4 s1");
    four.up(2);
    const after = four.sequence(7);
    expect(after.indexOf("s3")).toBe(6);
    // Afterwards the counts per window are as before.
    expect(four.counts(70)).toEqual([20, 10, 10, 30]);
  });

  it("re-slots a server whose weight changes from its last position, with new totals", () => {
    const model = fresh([1, 1]);
    expect(model.sequence(3).join(" ")).toBe("s1 s2 s1");
    model.setWeight(0, 3);
    expect(model.sequence(12).join(" ")).toBe("s2 s1 s1 s1 s2 s1 s1 s1 s2 s1 s1 s1");
  });

  it("skips a full server, which then keeps its turns for later", () => {
    const model = fresh([{ weight: 1, maxconn: 1 }, 1, 1]);
    expect(model.pick()).toBe(0);
    model.take(0);
    const whileFull = [model.pick(), model.pick(), model.pick(), model.pick()];
    expect(whileFull).not.toContain(0);
    model.release(0);
    expect(model.counts(30)).toEqual([10, 10, 10]);
  });

  it("returns nothing when every server is full, and picks again once one frees", () => {
    const model = fresh([
      { weight: 1, maxconn: 1 },
      { weight: 2, maxconn: 1 },
    ]);
    model.take(model.pick());
    model.take(model.pick());
    expect(model.pick()).toBe(-1);
    model.release(0);
    expect(model.pick()).toBe(0);
  });

  it("consumes the next position on a redispatch: a dead s2 of three is picked every second request (§8 rule 3)", () => {
    const model = fresh([1, 1, 1]);
    const log: string[] = [];
    for (let request = 0; request < 8; request++) {
      const first = model.pick();
      log.push(first === 1 ? `s2→s${model.pick(1) + 1}` : `s${first + 1}`);
    }
    expect(log.join(" ")).toBe("s1 s2→s3 s1 s2→s3 s1 s2→s3 s1 s2→s3");
  });

  it("returns the avoided server when it is the only one available", () => {
    const model = fresh([1, { weight: 1, maxconn: 1 }]);
    model.take(1);
    expect(model.pick(0)).toBe(0);
    const alone = fresh([1, { weight: 1, down: true }]);
    expect(alone.pick(0)).toBe(0);
    expect(alone.pick(0)).toBe(0);
  });

  it("has nothing to give with no usable server, and starts again when one comes up", () => {
    const model = fresh([{ down: true }, { down: true }]);
    expect(model.pick()).toBe(-1);
    model.up(1);
    expect(model.sequence(2)).toEqual(["s2", "s2"]);
    model.down(1);
    expect(model.pick()).toBe(-1);
    model.up(0);
    model.up(1);
    expect(model.counts(10)).toEqual([5, 5]);
  });

  it("scales to 4095 servers: shares exactly proportional over a period, O(log n) per pick", () => {
    const weights = Array.from({ length: 4095 }, (_, i) => 1 + ((i * 7919) % 256));
    const model = fresh(weights);
    const started = performance.now();
    expect(model.counts(sum(weights))).toEqual(weights);
    const perPickMs = (performance.now() - started) / sum(weights);
    expect(perPickMs).toBeLessThan(0.01);
  });

  it("gives 1000 servers exactly proportional shares across several periods", () => {
    const weights = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 31) % 13));
    const model = fresh(weights);
    expect(model.counts(3 * sum(weights))).toEqual(weights.map((w) => 3 * w));
  });
});
