import { describe, expect, it } from "vitest";
import type { ServerSnapshot } from "../../sim/index.js";
import {
  checksFailedText,
  checksTitle,
  dotKeyText,
  healthMeter,
  inFlightText,
  MAX_SLOT_BOXES,
  MIN_SLOT_EM,
  niceCeiling,
  rateText,
  serverTitle,
  slotBoxes,
} from "./topology-labels.js";

const HOSTILE = "<img src=x onerror=alert(1)>";

function server(parts: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return {
    name: "web02",
    backend: "web_servers",
    state: "UP",
    inFlight: 3,
    queued: 0,
    health: 4,
    rise: 2,
    fall: 3,
    checksFailed: 0,
    weight: 100,
    ...parts,
  };
}

describe("healthMeter", () => {
  it("has rise + fall − 1 segments, lit up to the health counter, UP from rise on", () => {
    // failover.yaml: rise 2, fall 3 — health 4/4 UP, 3/4 `UP 2/3`, 2/4 `UP 1/3`, 0/4 DOWN.
    expect(healthMeter(server({ health: 4 }))).toEqual({ segments: 4, filled: 4, upFrom: 2 });
    expect(healthMeter(server({ health: 2 }))).toEqual({ segments: 4, filled: 2, upFrom: 2 });
    expect(healthMeter(server({ health: 0 }))).toEqual({ segments: 4, filled: 0, upFrom: 2 });
    expect(healthMeter(server({ rise: 1, fall: 1, health: 1 }))).toEqual({
      segments: 1,
      filled: 1,
      upFrom: 1,
    });
  });

  it("is absent for a server without checks (rise and fall 0)", () => {
    expect(healthMeter(server({ rise: 0, fall: 0, health: 0, state: "no check" }))).toBeNull();
    expect(checksTitle(server({ rise: 0, fall: 0 }))).toBe("no health checks: always considered UP");
  });

  it("never lights more segments than it has", () => {
    expect(healthMeter(server({ health: 9 }))?.filled).toBe(4);
  });
});

describe("check counters", () => {
  it("shows the failed checks only once there are some", () => {
    expect(checksFailedText(0)).toBe("");
    expect(checksFailedText(3)).toBe("✗ 3");
    expect(checksFailedText(1234)).toBe("✗ 1,234");
  });

  it("spells the counter, the threshold and the failures out in the tooltip", () => {
    expect(checksTitle(server({ health: 3, checksFailed: 1 }))).toBe(
      "health 3/4, UP while ≥ 2 (rise 2, fall 3); 1 failed check",
    );
    expect(checksTitle(server({ health: 0, checksFailed: 3 }))).toContain("3 failed checks");
  });
});

describe("in flight and queue", () => {
  it("writes in flight against maxconn when there is one", () => {
    expect(inFlightText(3, 8)).toBe("3/8");
    expect(inFlightText(12, undefined)).toBe("12");
    expect(inFlightText(12, 0)).toBe("12");
  });

  it("draws one box per slot for a small maxconn with room, else a bar", () => {
    const fontSize = 15;
    expect(slotBoxes(8, 400, fontSize)).toBe(8);
    expect(slotBoxes(MAX_SLOT_BOXES, 1000, fontSize)).toBe(MAX_SLOT_BOXES);
    expect(slotBoxes(MAX_SLOT_BOXES + 1, 1000, fontSize)).toBe(0);
    expect(slotBoxes(undefined, 400, fontSize)).toBe(0);
    expect(slotBoxes(0, 400, fontSize)).toBe(0);
    // 20 boxes in 140 px at 15 px type would be 7 px each: too thin to count, a bar instead.
    expect(slotBoxes(20, 140, 15)).toBe(0);
    expect(slotBoxes(20, 100, 24)).toBe(0);
    expect(slotBoxes(20, 20 * MIN_SLOT_EM * 24, 24)).toBe(20);
  });

  it("scales bars without maxconn to 1, 2 or 5 × 10ⁿ, at least 5", () => {
    expect([0, 3, 5, 6, 11, 20, 21, 99, 101, 4000].map(niceCeiling)).toEqual([
      5, 5, 5, 10, 20, 20, 50, 100, 200, 5000,
    ]);
  });
});

describe("texts", () => {
  it("writes rates as a class reads them", () => {
    expect(rateText(0)).toBe("0 req/s");
    expect(rateText(503.6)).toBe("504 req/s");
    expect(rateText(12.5)).toBe("12.5 req/s");
    expect(rateText(1500)).toBe("1,500 req/s");
  });

  it("says what a dot stands for", () => {
    expect(dotKeyText(1)).toBe("each dot: 1 request");
    expect(dotKeyText(5)).toBe("each dot: 5 requests");
  });

  it("puts the whole name in the card's tooltip, as it is (the DOM gets it as text)", () => {
    const title = serverTitle(server({ name: HOSTILE, state: "UP 1/3", health: 2, queued: 2 }), 8);
    expect(title.split("\n")).toEqual([
      `${HOSTILE} (backend web_servers): UP 1/3`,
      "health 2/4, UP while ≥ 2 (rise 2, fall 3); 0 failed checks",
      "in flight 3/8, queued 2, weight 100",
    ]);
  });
});
