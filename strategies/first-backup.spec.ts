// first-backup spec: without allbackups, the first usable backup in declaration order takes everything (§3.12).
import { describe, expect, it } from "vitest";
import { createFirstBackup } from "./first-backup.js";
import { FakeModel } from "./test-support.js";

const firstBackup = (queueWhenBacklogged: boolean) => (servers: Parameters<typeof createFirstBackup>[0]) =>
  createFirstBackup(servers, queueWhenBacklogged);

describe("first-backup", () => {
  it("sends every request to the first backup, whatever the weights", () => {
    const m = new FakeModel(firstBackup(false), [1, 100, 50]);
    expect(m.sequence(6)).toEqual(Array(6).fill("s1"));
  });

  it("follows declaration order, not ids (HAProxy walks its server list)", () => {
    const m = new FakeModel(firstBackup(false), [{ id: 9 }, { id: 1 }]);
    expect(m.sequence(3)).toEqual(["s1", "s1", "s1"]);
  });

  it("moves to the next usable backup while the first is down, and back when it is up", () => {
    const m = new FakeModel(firstBackup(false), [1, 1, 1]);
    m.down(0);
    expect(m.sequence(2)).toEqual(["s2", "s2"]);
    m.down(1);
    expect(m.sequence(1)).toEqual(["s3"]);
    m.up(0);
    expect(m.sequence(1)).toEqual(["s1"]);
  });

  it("queues rather than spilling to the next backup when the first is full", () => {
    const m = new FakeModel(firstBackup(false), [{ maxconn: 1 }, { maxconn: 10 }]);
    m.take(0);
    expect(m.pick()).toBe(-1);
    m.release(0);
    expect(m.pick()).toBe(0);
  });

  it("returns the first backup even to a redispatch that avoids it", () => {
    const m = new FakeModel(firstBackup(false), [1, 1]);
    expect(m.pick(0)).toBe(0);
  });

  it("has nothing to give when no backup is usable, or there is none", () => {
    const m = new FakeModel(firstBackup(false), [1, 1]);
    m.down(0);
    m.down(1);
    expect(m.pick()).toBe(-1);
    expect(new FakeModel(firstBackup(false), []).pick()).toBe(-1);
  });

  it("takes queueWhenBacklogged from the backend's algorithm", () => {
    expect(createFirstBackup([], true).queueWhenBacklogged).toBe(true);
    expect(createFirstBackup([], false).queueWhenBacklogged).toBe(false);
    expect(createFirstBackup([], false).ignoresFullness).toBe(false);
  });

  it("ignores a repeated callback (idempotent)", () => {
    const m = new FakeModel(firstBackup(false), [1, 1], { echo: true });
    m.down(0);
    expect(m.pick()).toBe(1);
    m.up(0);
    expect(m.pick()).toBe(0);
  });
});
