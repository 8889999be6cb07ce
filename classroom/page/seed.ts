// The seed field beside the speed: shows the seed the run uses, and restarts the run from 0 s with another one typed in (same rule and same run as `lbsim run --seed N`).

/** What a seed may be, as `lbsim run --seed N` says it (cli/args.ts). */
export const SEED_RULE = `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`;

/** The seed `text` names, or undefined when it is not a whole number from 0 to 2^53 − 1 in decimal digits (the CLI's rule). */
export function seedFromText(text: string): number | undefined {
  const trimmed = text.trim();
  const seed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isSafeInteger(seed) ? seed : undefined;
}

export interface SeedField {
  /** Shows the seed the run uses now (after a load or a restart), the field valid again. */
  show(seed: number): void;
}

/**
 * Wires `input`: when it changes (Enter or leaving it) to a valid seed other than the run's
 * (`current()`), `restart(seed)`; an invalid one is marked (aria-invalid, the rule in its title)
 * and nothing restarts.
 */
export function wireSeed(
  input: HTMLInputElement,
  current: () => number | undefined,
  restart: (seed: number) => void,
): SeedField {
  const title = input.title;
  const mark = (invalid: boolean): void => {
    input.setAttribute("aria-invalid", String(invalid));
    input.title = invalid ? `not a seed: the seed is ${SEED_RULE}` : title;
  };
  input.addEventListener("change", () => {
    const seed = seedFromText(input.value);
    mark(seed === undefined);
    if (seed !== undefined && seed !== current()) restart(seed);
  });
  return {
    show(seed) {
      input.value = String(seed);
      mark(false);
    },
  };
}
