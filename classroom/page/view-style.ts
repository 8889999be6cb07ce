// The classroom drawing's look: type sizes and strokes for a laptop and for a projector (presenter mode), and HAProxy's state colours with ink that reads on them.
import { INK, STATE_COLORS, stateColor } from "../../viz/palette.js";

export { STATE_COLORS, stateColor };

/** Sizes and inks of one mode. Every length is in CSS pixels. */
export interface ViewStyle {
  readonly large: boolean;
  /** Base type size; names and states are drawn at this size, captions smaller. */
  readonly fontSize: number;
  readonly smallFontSize: number;
  /** Outline of the nodes and cards. */
  readonly strokeWidth: number;
  /** Lines from the balancer to the servers. */
  readonly linkWidth: number;
  readonly dotRadius: number;
  readonly ink: string;
  /**
   * Text on a server's card, over its state colour: black in both modes, the only ink that reads
   * at WCAG AA (4.5:1) on every one of them (MAINT's brown allows no better than 5.9:1).
   */
  readonly cardInk: string;
  readonly mutedInk: string;
  readonly outline: string;
  readonly link: string;
  /** A link to a server that takes no traffic (DOWN, MAINT): fainter and dashed. */
  readonly deadLink: string;
  readonly dot: string;
  readonly background: string;
  /** Filled in-flight slots and bars; the queue's. */
  readonly busy: string;
  readonly queue: string;
  /** The health meter: segments at or above `rise` (UP side), below it (DOWN side), empty. */
  readonly healthUp: string;
  readonly healthDown: string;
  readonly healthEmpty: string;
}

/** A laptop screen read from a metre away: the report's 12 px charts, a little larger. */
const NORMAL: ViewStyle = {
  large: false,
  fontSize: 15,
  smallFontSize: 12,
  strokeWidth: 1.2,
  linkWidth: 1.5,
  dotRadius: 3.5,
  ink: INK.text,
  cardInk: "#000000",
  mutedInk: INK.muted,
  outline: "#6e7781",
  link: "#afb8c1",
  deadLink: "#d8dee4",
  dot: "#0072B2",
  background: "#ffffff",
  busy: "#0072B2",
  queue: "#D55E00",
  healthUp: "#1a7f37",
  healthDown: "#cf222e",
  healthEmpty: "#ffffff",
};

/**
 * A projector at the back of a classroom: larger type (the last row reads a name at 24 px on a
 * 1280×720 beam), black ink and outlines, thicker lines, bigger dots. Washed-out projectors lose
 * light greys first, so nothing that matters is drawn in one.
 */
const LARGE: ViewStyle = {
  large: true,
  fontSize: 24,
  smallFontSize: 17,
  strokeWidth: 2.2,
  linkWidth: 2.5,
  dotRadius: 5.5,
  ink: "#000000",
  cardInk: "#000000",
  mutedInk: "#24292f",
  outline: "#000000",
  link: "#57606a",
  deadLink: "#afb8c1",
  dot: "#003f8c",
  background: "#ffffff",
  busy: "#003f8c",
  queue: "#a33a00",
  healthUp: "#0b5d1e",
  healthDown: "#a40e26",
  healthEmpty: "#ffffff",
};

export function viewStyle(large: boolean): ViewStyle {
  return large ? LARGE : NORMAL;
}

/** Whether a server in this state is sent new requests: UP (even `UP 1/3`, still UP), DRAIN takes only sticky ones, so no. */
export function takesTraffic(state: string): boolean {
  return state.startsWith("UP") || state === "no check";
}

/** Whether its link is drawn dead (dashed, faint): a server the balancer will not use. */
export function isOut(state: string): boolean {
  return state.startsWith("DOWN") || state === "MAINT";
}
