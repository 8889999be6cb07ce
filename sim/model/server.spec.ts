// A server's HAProxy status word and usability (haproxy-semantics.md §4.2 table, §5, §8 rule 17).
import { describe, expect, it } from "vitest";
import type { CheckParams } from "../../scenarios/types.js";
import { server } from "../test-support.js";
import { Server } from "./server.js";

const check: CheckParams = {
  type: "http",
  interMs: 1000,
  fastinterMs: 1000,
  downinterMs: 1000,
  rise: 2,
  fall: 3,
  timeoutMs: null,
};

function checked(health: number, fields: Partial<Pick<Server, "maint" | "drain" | "stopping">> = {}): Server {
  const s = new Server(0, server("s1", { check }));
  s.health = health;
  Object.assign(s, fields);
  return s;
}

describe("Server.computeStatus, rise 2 fall 3 (health 0..4)", () => {
  it("shows UP at full health (rise + fall − 1)", () => {
    expect(checked(4).computeStatus()).toBe("UP");
  });

  it("shows UP h/fall with h = health − rise + 1 failures left while going down", () => {
    expect(checked(3).computeStatus()).toBe("UP 2/3");
    expect(checked(2).computeStatus()).toBe("UP 1/3");
  });

  it("shows DOWN h/rise while going up and DOWN at 0", () => {
    expect(checked(1).computeStatus()).toBe("DOWN 1/2");
    expect(checked(0).computeStatus()).toBe("DOWN");
  });

  it("starts at health = rise: UP, one failure from DOWN", () => {
    const s = new Server(0, server("s1", { check }));
    expect(s.health).toBe(2);
    expect(s.computeStatus()).toBe("UP 1/3");
    expect(s.shouldBeUsable).toBe(true);
  });

  it("shows DRAIN (with the going-down suffix) for state drain or weight 0", () => {
    expect(checked(4, { drain: true }).computeStatus()).toBe("DRAIN");
    expect(checked(3, { drain: true }).computeStatus()).toBe("DRAIN 2/3");
    const weightless = checked(4);
    weightless.view.weight = 0;
    expect(weightless.computeStatus()).toBe("DRAIN");
  });

  it("shows NOLB when stopping, MAINT above everything", () => {
    expect(checked(4, { stopping: true }).computeStatus()).toBe("NOLB");
    expect(checked(0, { maint: true }).computeStatus()).toBe("MAINT");
    expect(checked(4, { maint: true, drain: true }).computeStatus()).toBe("MAINT");
  });
});

describe("Server.computeStatus without checks", () => {
  it("shows 'no check', even at weight 0 (§8 rule 17)", () => {
    const s = new Server(0, server("s1"));
    expect(s.computeStatus()).toBe("no check");
    s.view.weight = 0;
    expect(s.computeStatus()).toBe("no check");
    expect(s.shouldBeUsable).toBe(false);
  });

  it("shows DRAIN, NOLB, DOWN and MAINT when forced so", () => {
    const s = (fields: Partial<Pick<Server, "maint" | "drain" | "stopping" | "health">>) =>
      Object.assign(new Server(0, server("s1")), fields).computeStatus();
    expect(s({ drain: true })).toBe("DRAIN");
    expect(s({ stopping: true })).toBe("NOLB");
    expect(s({ health: 0 })).toBe("DOWN");
    expect(s({ maint: true })).toBe("MAINT");
  });

  it("starts in MAINT when disabled", () => {
    const s = new Server(0, server("s1", { disabled: true, check }));
    expect(s.computeStatus()).toBe("MAINT");
    expect(s.shouldBeUsable).toBe(false);
  });
});

describe("Server.shouldBeUsable (§2 step 2)", () => {
  it("is true only when UP (incl. UP n/m), not drained, not stopping, not in MAINT, with weight > 0", () => {
    expect([4, 3, 2, 1, 0].map((h) => checked(h).shouldBeUsable)).toEqual([true, true, true, false, false]);
    expect(checked(4, { drain: true }).shouldBeUsable).toBe(false);
    expect(checked(4, { stopping: true }).shouldBeUsable).toBe(false);
    expect(checked(4, { maint: true }).shouldBeUsable).toBe(false);
  });
});
