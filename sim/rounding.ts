// The rounding of every fractional figure in Results: short JSON, free of float noise, the same on every platform.

/** Rounds to the microsecond (for ms figures) or to three decimals. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Rounds to six decimals (shares, utilizations). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
