// How a backend change reads in Results.timeline and on the charts: a leaf (types only), so sim/
// can name the change without loading the scenario parser.
import type { TimelineEvent } from "./types.js";

/**
 * A backend change as the haproxy.cfg lines a reload would carry (`balance leastconn`, `option
 * redispatch`, `no option redispatch`), after `<backend>: ` with several backends (`qualified`).
 */
export function switchText(
  event: Extract<TimelineEvent, { kind: "balance" | "redispatch" }>,
  qualified: boolean,
): string {
  const prefix = qualified ? `${event.backend}: ` : "";
  if (event.kind === "redispatch") {
    const r = event.redispatch;
    return `${prefix}${r === null ? "no option redispatch" : `option redispatch${r.interval === -1 ? "" : ` ${r.interval}`}`}`;
  }
  const hash =
    event.hashType === undefined
      ? ""
      : `, hash-type ${[
          event.hashType,
          event.hashFunction,
          event.hashAvalanche === true ? "avalanche" : undefined,
        ]
          .filter((w) => w !== undefined)
          .join(" ")}`;
  return `${prefix}balance ${event.balance}${hash}`;
}
