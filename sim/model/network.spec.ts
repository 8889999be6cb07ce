// Network faults in the model: rtt on connects, responses and checks; SYN loss; reset; refuse-first.
import { describe, expect, it } from "vitest";
import { SYN_GIVE_UP_MS, SYN_SEND_MS, synIndexAt } from "./network.js";
import { logged, runNetCase } from "./network-test-support.js";

describe("rtt: one round trip per connect, one more per response", () => {
  it("adds exactly 2 × rtt to an idle server's latency: Tc = rtt, Tr = service + rtt", () => {
    const plain = runNetCase({ arrivalsMs: [0], demandMs: 20 }).records[0]!;
    const far = runNetCase({ server: "rtt: 5ms", arrivalsMs: [0], demandMs: 20 }).records[0]!;
    expect(plain.totalMs).toBe(20);
    expect(far.totalMs).toBe(30);
    expect(logged(far)).toBe("200 ---- 5/25 0");
  });

  it("takes a distribution as well as a plain duration", () => {
    const far = runNetCase({ server: "rtt: {constant: 5ms}", arrivalsMs: [0], demandMs: 20 }).records[0]!;
    expect(far.totalMs).toBe(30);
    const spread = runNetCase({
      server: "rtt: {uniform: [1ms, 9ms]}",
      arrivalsMs: [0, 100, 200],
      demandMs: 0,
    });
    const connects = spread.records.map((r) => r.connectMs);
    expect(connects.every((ms) => ms >= 1 && ms <= 9)).toBe(true);
    expect(new Set(connects).size).toBe(3);
  });

  it("keeps the maxconn slot until the response has arrived", () => {
    // The first holds the slot 5 + 10 + 5 = 20 ms; the second, sent at 1 ms, waits 19 ms (9 without rtt).
    const c = { arrivalsMs: [0, 1], demandMs: 10 };
    expect(runNetCase({ ...c, server: "maxconn: 1" }).records[1]!.queueMs).toBe(9);
    expect(runNetCase({ ...c, server: "maxconn: 1, rtt: 5ms" }).records[1]!.queueMs).toBe(19);
  });

  it("counts the response's trip against timeout server (from the connect)", () => {
    const c = { server: "rtt: 600ms", serverTimeout: "1s", arrivalsMs: [0] };
    // Connected at 600 ms; the response arrives service + 600 ms later.
    expect(logged(runNetCase({ ...c, demandMs: 300 }).records[0]!)).toBe("200 ---- 600/900 0");
    expect(logged(runNetCase({ ...c, demandMs: 500 }).records[0]!)).toBe("504 sH-- 600/-1 0");
  });

  it("times a connect out when the round trip is longer than timeout connect (sC)", () => {
    const r = runNetCase({ server: "rtt: 1200ms", connect: "1s", retries: 0, arrivalsMs: [0] }).records[0]!;
    expect(logged(r)).toBe("503 sC-- -1/-1 0");
    expect(r.totalMs).toBe(1000);
  });

  it.each([
    ["tcp", "", "L4OK", "UP"],
    // 300 ms to connect + 300 ms for the response ≥ inter (500 ms): the whole check must fit in inter.
    ["http", "", "L7TOUT", "DOWN"],
    // With `timeout check`, only the response's 300 ms counts against its 400 ms.
    ["http", ", timeout: 400ms", "L7OK", "UP"],
  ])("makes a %s check%s pay it: %s", (type, timeout, status, state) => {
    const { results } = runNetCase({
      server: `rtt: 300ms, check: {type: ${type}, inter: 500ms, rise: 1, fall: 1${timeout}}`,
      duration: "2s",
    });
    expect(results.servers[0]!.lastCheck).toBe(status);
    expect(results.servers[0]!.states.at(-1)!.state).toBe(state);
  });
});

describe("loss: SYNs lost and re-sent as Linux does", () => {
  it("re-sends a lost SYN 1 s, 3 s, 7 s… after the first, and gives up at 127 s", () => {
    expect(SYN_SEND_MS.slice(0, 4)).toEqual([0, 1000, 3000, 7000]);
    expect(SYN_GIVE_UP_MS).toBe(127_000);
    expect([0, 999, 1000, 3000, 6999, 7000, 63_000].map(synIndexAt)).toEqual([0, 0, 1, 2, 2, 3, 6]);
  });

  it("with every SYN lost, timeout connect decides: 503 sC after each attempt's timeout", () => {
    const c = { events: ["{at: 0s, loss: {server: s1, rate: 100%}}"], connect: "1500ms", arrivalsMs: [10] };
    const once = runNetCase({ ...c, retries: 0 }).records[0]!;
    expect(logged(once)).toBe("503 sC-- -1/-1 0");
    expect(once.totalMs).toBe(1500);
    const thrice = runNetCase({ ...c, retries: 2 }).records[0]!;
    expect(logged(thrice)).toBe("503 sC-- -1/-1 2");
    expect(thrice.totalMs).toBe(4500);
  });

  it("connects with the re-sent SYN once the loss is over (Tc 1000 ms, then 3000 ms)", () => {
    const c = { events: ["{at: 0s, loss: {server: s1, rate: 100%}}"], connect: "5s", arrivalsMs: [0] };
    const restored = (atMs: number) =>
      runNetCase({ ...c, events: [...c.events, `{at: ${atMs}ms, restore: s1}`] }).records[0]!.connectMs;
    expect(restored(500)).toBe(1000);
    expect(restored(1500)).toBe(3000);
  });

  it("without timeout connect, fails the connect when the kernel gives up (127 s, SC)", () => {
    const r = runNetCase({
      server: "loss: 100%",
      connect: "0",
      retries: 0,
      arrivalsMs: [0],
      duration: "200s",
    }).records[0]!;
    expect(logged(r)).toBe("503 SC-- -1/-1 0");
    expect(r.totalMs).toBe(127_000);
  });

  it("loses that share of SYNs, from a seeded stream per server", () => {
    const arrivalsMs = Array.from({ length: 2000 }, (_, i) => i * 50);
    const c = { server: "loss: 30%", connect: "10s", retries: 0, arrivalsMs, duration: "120s" };
    const { records } = runNetCase(c);
    const share = (atLeastMs: number) =>
      records.filter((r) => r.connectMs >= atLeastMs).length / records.length;
    // P(first SYN lost) = 0.3, P(two lost) = 0.09, P(three lost) = 0.027; ±3σ for 2000 draws.
    expect(share(1000)).toBeGreaterThan(0.27);
    expect(share(1000)).toBeLessThan(0.33);
    expect(share(3000)).toBeGreaterThan(0.07);
    expect(share(3000)).toBeLessThan(0.11);
    // Connected when a SYN got through; four lost (the fifth is due at 15 s) is a timeout (sC).
    expect(
      records.every((r) => (r.connectMs < 0 ? r.termination === "sC--" : SYN_SEND_MS.includes(r.connectMs))),
    ).toBe(true);
    // Deterministic: the same seed gives the same connects, another seed others.
    expect(runNetCase(c).records.map((r) => r.connectMs)).toEqual(records.map((r) => r.connectMs));
    expect(runNetCase({ ...c, seed: 2 }).records.map((r) => r.connectMs)).not.toEqual(
      records.map((r) => r.connectMs),
    );
  });

  it("makes a check's connect time out when no SYN gets through within its limit (L4TOUT)", () => {
    const { results } = runNetCase({
      server: "loss: 100%, check: {type: tcp, inter: 500ms, rise: 1, fall: 1}",
      duration: "1s",
    });
    expect(results.servers[0]!.lastCheck).toBe("L4TOUT");
    expect(results.servers[0]!.states.at(-1)!.state).toBe("DOWN");
  });
});

describe("reset: accepted, then reset before any response", () => {
  it("ends a request 502 SH, connected and never retried", () => {
    const { records, results } = runNetCase({ events: ["{at: 0s, reset: s1}"], arrivalsMs: [10, 20] });
    expect(records.map(logged)).toEqual(["502 SH-- 0/-1 0", "502 SH-- 0/-1 0"]);
    expect(results.timeline.map((t) => t.text)).toEqual(["reset s1"]);
  });

  it("takes one round trip to come back with an rtt (Tc = rtt, then the RST one rtt later)", () => {
    const r = runNetCase({ server: "rtt: 5ms", events: ["{at: 0s, reset: s1}"], arrivalsMs: [10] })
      .records[0]!;
    expect(logged(r)).toBe("502 SH-- 5/-1 0");
    expect(r.totalMs).toBe(10);
  });

  it("cuts the requests in progress when it begins, and ends at restore", () => {
    const { records } = runNetCase({
      events: ["{at: 50ms, reset: s1}", "{at: 200ms, restore: s1}"],
      arrivalsMs: [0, 100, 300],
      demandMs: 80,
    });
    expect(records.map((r) => `${r.status} ${r.termination} ${r.totalMs}`)).toEqual([
      "502 SH-- 50",
      "502 SH-- 0",
      "200 ---- 80",
    ]);
  });
});

describe("refuse-first: the next N connects are refused, then the server answers", () => {
  it("refuses N requests' attempts, then answers: retries and turn-arounds decide what the client sees", () => {
    const { records } = runNetCase({
      events: ["{at: 0s, refuse-first: {server: s1, count: 2}}"],
      retries: 0,
      arrivalsMs: [10, 20, 30],
    });
    expect(records.map(logged)).toEqual(["503 SC-- -1/-1 0", "503 SC-- -1/-1 0", "200 ---- 0/0 0"]);
  });

  it("counts checks' connects too (a starting server cannot tell them apart)", () => {
    // Checks at 0 and 300 ms use both refusals (DOWN at once: one failed first check), the one at
    // 600 ms passes (UP, rise 1); the request at 700 ms, which alone would have been refused, is served.
    const { records, results } = runNetCase({
      server: "check: {type: tcp, inter: 300ms, rise: 1, fall: 1}",
      events: ["{at: 0s, refuse-first: {server: s1, count: 2}}"],
      retries: 0,
      arrivalsMs: [700],
      duration: "1s",
    });
    expect(records.map(logged)).toEqual(["200 ---- 0/0 0"]);
    expect(results.servers[0]!.states.map((s) => `${s.atMs} ${s.state}`)).toEqual([
      "0 UP",
      "0 DOWN",
      "600 UP",
    ]);
    expect(results.servers[0]!.lastCheck).toBe("L4OK");
  });

  it("is ended by a crash, and ends a crash (a server starting up)", () => {
    const crashedAfter = runNetCase({
      events: [
        "{at: 0s, refuse-first: {server: s1, count: 5}}",
        "{at: 5ms, crash: s1}",
        "{at: 15ms, restore: s1}",
      ],
      retries: 0,
      arrivalsMs: [10, 20],
    });
    // The restore ends everything: the remaining refusals are gone with the crash.
    expect(crashedAfter.records.map(logged)).toEqual(["503 SC-- -1/-1 0", "200 ---- 0/0 0"]);
    const startingAfterCrash = runNetCase({
      events: ["{at: 0s, crash: s1}", "{at: 5ms, refuse-first: {server: s1, count: 1}}"],
      retries: 0,
      arrivalsMs: [10, 20],
    });
    expect(startingAfterCrash.records.map(logged)).toEqual(["503 SC-- -1/-1 0", "200 ---- 0/0 0"]);
  });
});
