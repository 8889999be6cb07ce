// membership: which servers a strategy balances over, and with which weight; makes callbacks idempotent.
//
// The model mutates ServerView in place and then calls serverUp / serverDown / weightChanged, maybe
// more than once (Strategy contract). Like HAProxy's `srv_lb_status_changed` check, each callback
// compares what the server should count for now (its effective weight while up, else 0) with what
// the strategy last applied, and reports only a real change: enter (0 → w), leave (w → 0) or
// reweigh (w → w'). A weight 0 on an up server is a leave (§3.2 "DOWN / weight 0 / DRAIN / MAINT"),
// and a later weight > 0 an enter.

import type { ServerView } from "../types.js";

export interface MembershipEvents {
  /** The slot became usable with `weight` > 0. */
  enter(slot: number, weight: number): void;
  /** The slot stopped being usable; it was balanced with `oldWeight`. */
  leave(slot: number, oldWeight: number): void;
  /** The slot stays usable with a new weight. */
  reweigh(slot: number, oldWeight: number, newWeight: number): void;
}

export class Membership {
  /** The group's servers; a slot is a position in this list. */
  readonly servers: ReadonlyArray<ServerView>;
  /** Effective weight each slot is balanced with now (0 = not usable). */
  readonly weight: Int32Array;
  private readonly slotByIndex: Int32Array;
  private readonly up: Uint8Array;
  private readonly events: MembershipEvents;

  constructor(servers: ReadonlyArray<ServerView>, events: MembershipEvents) {
    this.servers = servers;
    this.events = events;
    this.weight = new Int32Array(servers.length);
    this.up = new Uint8Array(servers.length);
    let maxIndex = -1;
    for (const server of servers) maxIndex = Math.max(maxIndex, server.index);
    this.slotByIndex = new Int32Array(maxIndex + 1).fill(-1);
    servers.forEach((server, slot) => {
      this.slotByIndex[server.index] = slot;
    });
  }

  /** The server's slot in this group, or -1 (absent, or not one of this group's servers). */
  slotOf(server: ServerView | undefined): number {
    if (server === undefined) return -1;
    // Indexes are unique across the whole backend, so a server of the other group maps to -1.
    return this.slotByIndex[server.index] ?? -1;
  }

  serverUp(server: ServerView): void {
    const slot = this.slotOf(server);
    if (slot < 0) return;
    this.up[slot] = 1;
    this.sync(slot);
  }

  serverDown(server: ServerView): void {
    const slot = this.slotOf(server);
    if (slot < 0) return;
    this.up[slot] = 0;
    this.sync(slot);
  }

  weightChanged(server: ServerView): void {
    const slot = this.slotOf(server);
    if (slot >= 0) this.sync(slot);
  }

  private sync(slot: number): void {
    // cur_eweight is an integer in HAProxy; a fractional slowstart ramp is truncated.
    const target = this.up[slot] === 1 ? Math.max(0, Math.floor(this.servers[slot]!.effectiveWeight)) : 0;
    const current = this.weight[slot]!;
    if (target === current) return;
    this.weight[slot] = target;
    if (current === 0) this.events.enter(slot, target);
    else if (target === 0) this.events.leave(slot, current);
    else this.events.reweigh(slot, current, target);
  }
}
