// `lbsim explain`: a slowstart server's share along its ramp after it comes back UP (§1, §8 rule 18).

import type { BackendSpec, ServerSpec } from "../scenarios/index.js";
import { slowstartSteps } from "../sim/index.js";
import { hashingOf, keyword } from "./explain-keys.js";

export interface SlowstartRamp {
  readonly server: string;
  readonly slowstartMs: number;
  /** False when the algorithm is static (static-rr, map-based hash): no ramp (§1). */
  readonly ramps: boolean;
  /** Share at each time after the server comes back UP, the others at full weight (§8 rule 18). */
  readonly steps: ReadonlyArray<{
    readonly afterMs: number;
    readonly weight: number;
    readonly share: number;
  }>;
}

export function slowstartRamps(backend: BackendSpec, actives: ReadonlyArray<ServerSpec>): SlowstartRamp[] {
  const word = keyword(backend.balance);
  // HAProxy's static algorithms do not ramp the weight (§1 `slowstart`).
  const ramps =
    word !== "static-rr" && !(hashingOf(backend.balance) !== undefined && backend.hashType === "map-based");
  return actives
    .filter((s) => s.slowstartMs > 0)
    .map((server) => {
      const others = actives.filter((s) => s !== server).reduce((a, s) => a + s.weight, 0);
      const seconds = Math.ceil(server.slowstartMs / 1000);
      const marks = [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * seconds)))];
      return {
        server: server.name,
        slowstartMs: server.slowstartMs,
        ramps,
        steps: marks.map((s) => {
          const weight = ramps
            ? (server.weight * slowstartSteps(server.slowstartMs, s * 1000)) / 16
            : server.weight;
          return { afterMs: s * 1000, weight, share: weight + others === 0 ? 0 : weight / (weight + others) };
        }),
      };
    });
}
