// Colours: one per variant (strategy), the same in every chart; and HAProxy's stats-page state colours.

/**
 * The Okabe–Ito palette, told apart by colour-blind readers too (yellow left last: it is faint on
 * white). The first variant is blue, the second vermillion, and so on.
 */
export const VARIANT_COLORS: ReadonlyArray<string> = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#B8A200",
];

/** The colour of the `index`th variant (cycling after the eighth). */
export function variantColor(index: number): string {
  return VARIANT_COLORS[index % VARIANT_COLORS.length]!;
}

/** Background colours of HAProxy 2.6's stats page for an active server, by the state it shows. */
export const STATE_COLORS = {
  up: "#c0ffc0",
  /** `UP 1/3`: failing checks, still UP. */
  goingDown: "#ffffa0",
  down: "#ff9090",
  /** `DOWN 1/2`: passing checks, still DOWN. */
  goingUp: "#ffd020",
  nolb: "#20a0ff",
  drain: "#20a0ff",
  maint: "#c07820",
  noCheck: "#e0e0e0",
  /** lbsim's own `ABSENT`: declared `added: false` and not added yet, or deleted (HAProxy lists no such server). */
  absent: "#f7f7f7",
} as const;

/**
 * The colour of a status as Results write it (`UP`, `UP 1/3`, `DOWN`, `DOWN 1/2`, `DRAIN`, `MAINT`,
 * `NOLB`, `no check`, lbsim's `ABSENT`): a transitional count after the state means it is on its way to the other one.
 */
export function stateColor(state: string): string {
  const [word, progress] = state.split(" ");
  switch (word) {
    case "UP":
      return progress === undefined ? STATE_COLORS.up : STATE_COLORS.goingDown;
    case "DOWN":
      return progress === undefined ? STATE_COLORS.down : STATE_COLORS.goingUp;
    case "DRAIN":
      return STATE_COLORS.drain;
    case "NOLB":
      return STATE_COLORS.nolb;
    case "MAINT":
      return STATE_COLORS.maint;
    case "ABSENT":
      return STATE_COLORS.absent;
    default:
      return STATE_COLORS.noCheck;
  }
}

/** Background colours of HAProxy 2.6's stats page for a backup server, by the state it shows. */
export const BACKUP_STATE_COLORS = {
  up: "#b0d0ff",
  goingDown: "#c060ff",
  down: "#ff9090",
  goingUp: "#ff80ff",
  nolb: "#90b0e0",
  drain: "#cc9900",
  maint: STATE_COLORS.maint,
  noCheck: STATE_COLORS.noCheck,
  absent: STATE_COLORS.absent,
} as const;

/** The colour of a status on a server's row: a backup's in the backup colours, as HAProxy's page does. */
export function serverStateColor(state: string, backup: boolean): string {
  if (!backup) return stateColor(state);
  const [word, progress] = state.split(" ");
  switch (word) {
    case "UP":
      return progress === undefined ? BACKUP_STATE_COLORS.up : BACKUP_STATE_COLORS.goingDown;
    case "DOWN":
      return progress === undefined ? BACKUP_STATE_COLORS.down : BACKUP_STATE_COLORS.goingUp;
    case "DRAIN":
      return BACKUP_STATE_COLORS.drain;
    case "NOLB":
      return BACKUP_STATE_COLORS.nolb;
    case "MAINT":
      return BACKUP_STATE_COLORS.maint;
    case "ABSENT":
      return BACKUP_STATE_COLORS.absent;
    default:
      return BACKUP_STATE_COLORS.noCheck;
  }
}

/** Colours for stacked error categories (statuses, termination states), in key order; grey-free so 0 reads as blank. */
export const CATEGORY_COLORS: ReadonlyArray<string> = [
  "#D55E00",
  "#E69F00",
  "#CC79A7",
  "#0072B2",
  "#009E73",
  "#56B4E9",
  "#8C564B",
  "#7F7F7F",
  "#BCBD22",
  "#17BECF",
  "#9467BD",
  "#1F77B4",
];

/** Ink for text, axes and grid lines. */
export const INK = { text: "#1f2328", muted: "#57606a", axis: "#8c959f", grid: "#eaeef2" } as const;
