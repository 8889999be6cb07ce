// membership spec: callbacks reduce to one enter / leave / reweigh per real change.
import { describe, expect, it } from "vitest";
import { createRoundrobin } from "../roundrobin.js";
import { FakeModel } from "../test-support.js";
import { Membership } from "./membership.js";

function recorder(model: FakeModel): { members: Membership; log: string[] } {
  const log: string[] = [];
  const members = new Membership(model.servers, {
    enter: (slot, weight) => log.push(`enter ${slot} ${weight}`),
    leave: (slot, old) => log.push(`leave ${slot} ${old}`),
    reweigh: (slot, old, weight) => log.push(`reweigh ${slot} ${old}→${weight}`),
  });
  return { members, log };
}

describe("Membership", () => {
  it("reports each real change once, however often a callback is repeated", () => {
    const model = new FakeModel(createRoundrobin, [1, 2]);
    const { members, log } = recorder(model);
    const [a, b] = model.servers as [(typeof model.servers)[0], (typeof model.servers)[0]];
    members.serverUp(a);
    members.serverUp(a);
    members.serverUp(b);
    b.effectiveWeight = 48;
    members.weightChanged(b);
    members.weightChanged(b);
    members.serverDown(a);
    members.serverDown(a);
    expect(log).toEqual(["enter 0 16", "enter 1 32", "reweigh 1 32→48", "leave 0 16"]);
    expect(Array.from(members.weight)).toEqual([0, 48]);
  });

  it("treats weight 0 on an up server as leaving and a new weight as entering again", () => {
    const model = new FakeModel(createRoundrobin, [1]);
    const { members, log } = recorder(model);
    const server = model.servers[0]!;
    members.serverUp(server);
    server.effectiveWeight = 0;
    members.weightChanged(server);
    server.effectiveWeight = 32;
    members.weightChanged(server);
    expect(log).toEqual(["enter 0 16", "leave 0 16", "enter 0 32"]);
  });

  it("ignores weight changes while down and servers of another group", () => {
    const model = new FakeModel(createRoundrobin, [1, 1]);
    const { members, log } = recorder(model);
    const [a, b] = model.servers as [(typeof model.servers)[0], (typeof model.servers)[0]];
    const group = new Membership([b], { enter: () => log.push("other"), leave: () => {}, reweigh: () => {} });
    expect(group.slotOf(a)).toBe(-1);
    expect(group.slotOf(b)).toBe(0);
    group.serverUp(a);
    a.effectiveWeight = 64;
    members.weightChanged(a);
    expect(log).toEqual([]);
  });
});
