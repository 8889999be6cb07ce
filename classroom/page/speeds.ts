// The speeds the page offers, ×0.1 to ×100 of simulated time per wall-clock time.
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;
