// The worker's Session: series only in the frames where a bucket closed, actions at half
// milliseconds and none after the end, the same frames from the same seed, traces refused.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../scenarios/index.js";
import { Session } from "./session.js";

const TEXT = `name: s
duration: 5s
backend:
  service: { exponential: 10ms }
  check: { inter: 1s, rise: 2, fall: 2 }
  servers: [{ name: a }, { name: b }]
clients:
  - { name: c, arrivals: { poisson: 100/s } }
`;

describe("Session", () => {
  it("carries the series only when a bucket closed since the last frame that had it", () => {
    const session = new Session(parseScenario(TEXT, "s.yaml"));
    expect(session.frame(true).series?.atMs).toEqual([]);
    session.advanceTo(500);
    expect(session.frame().series).toBeUndefined();
    session.advanceTo(1200);
    expect(session.frame().series?.atMs).toEqual([0]);
    expect(session.frame().series).toBeUndefined();
    expect(session.frame(true).series?.atMs).toEqual([0]);
  });

  it("applies actions at the simulated time now, in order, and none at or after the end", () => {
    const session = new Session(parseScenario(TEXT, "s.yaml"));
    session.advanceTo(1000.2);
    const applied = session.apply([
      { kind: "crash", server: "a" },
      { kind: "restore", server: "a" },
    ]);
    // Both at now: the model orders them as two events written at 1000.2ms, crash first.
    expect(applied.map((a) => a.atMs)).toEqual([1000.2, 1000.2]);
    expect(session.results().timeline.map((e) => e.text)).toEqual(["crash a", "restore a"]);
    session.advanceTo(5000);
    expect(session.apply([{ kind: "crash", server: "b" }])).toEqual([]);
    expect(session.applied).toHaveLength(2);
  });

  it("gives the same frames for the same seed and actions, other ones for another seed", () => {
    const play = (seed: number) => {
      const session = new Session(parseScenario(TEXT, "s.yaml"), seed);
      session.advanceTo(2000);
      session.apply([{ kind: "crash", server: "b" }]);
      session.advanceTo(5000);
      const { snapshot, serverRequests } = session.frame();
      return { snapshot, serverRequests };
    };
    expect(play(4)).toEqual(play(4));
    expect(play(4).serverRequests).not.toEqual(play(5).serverRequests);
    expect(play(4).snapshot.servers.map((s) => s.state)).toEqual(["UP", "DOWN"]);
  });

  it("counts what each server served, warm-up included, and from the warm-up what Results count", () => {
    const session = new Session(
      parseScenario(TEXT.replace("duration: 5s", "duration: 5s\nwarmup: 2s"), "s.yaml"),
    );
    session.advanceTo(1900);
    const early = session.frame();
    expect((early.served.a ?? 0) + (early.served.b ?? 0)).toBeGreaterThan(150);
    expect(early.serverRequests).toEqual({ a: 0, b: 0 });
    session.advanceTo(5000);
    const end = session.frame();
    expect(end.serverRequests.a).toBeLessThan(end.served.a ?? 0);
    expect(end.serverRequests.a).toBeGreaterThan(100);
  });

  it("refuses a scenario whose clients replay a trace file", () => {
    const traced = parseScenario(TEXT.replace("{ poisson: 100/s }", "{ trace: t.csv }"), "s.yaml");
    expect(() => new Session(traced)).toThrow('client "c" replays a trace file');
  });
});
