// HAProxy's termination states as the model produces them, and their tallies (haproxy-semantics.md §2).

/** HAProxy termination states (first two characters) that the model produces (haproxy-semantics.md §2). */
export const Termination = {
  Normal: 0,
  /** Connection refused on the last attempt, or no server at all (`<NOSRV>`). */
  SC: 1,
  /** `timeout connect` on the last attempt. */
  sC: 2,
  /** `timeout queue`. */
  sQ: 3,
  /** Server queue full (`maxqueue`). */
  SQ: 4,
  /** `timeout server` before the response headers. */
  sH: 5,
  /** The server aborted before the response headers (crash). */
  SH: 6,
  /** The client gave up while queued / connecting / awaiting headers / before the frontend accepted it. */
  CQ: 7,
  CC: 8,
  CH: 9,
  CR: 10,
} as const;
export type Termination = (typeof Termination)[keyof typeof Termination];

export const TERMINATION_CODES = ["--", "SC", "sC", "sQ", "SQ", "sH", "SH", "CQ", "CC", "CH", "CR"] as const;

export function terminationCode(t: Termination): string {
  return TERMINATION_CODES[t]!;
}

/** Counts indexed by Termination, one per code the model produces. */
export function newTerminationTally(): Float64Array {
  return new Float64Array(TERMINATION_CODES.length);
}

/** A tally by Termination as Results lists it: every code, 0 included, and `cD` (DESIGN.md's example). */
export function terminationCounts(tally: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  TERMINATION_CODES.forEach((code, i) => {
    out[code] = tally[i]!;
  });
  out.cD = 0;
  return out;
}
