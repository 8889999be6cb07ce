// Where the topology's parts go (clients, balancer, one card per server and the columns inside it): pure, recomputed only on resize or when the set of servers changes.
import { textWidth } from "../../viz/charts/text-layout.js";
import type { ViewStyle } from "./view-style.js";

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A column inside every server card: its left edge and width, relative to the card. */
export interface Column {
  readonly x: number;
  readonly width: number;
  /** The card's line it is on: 0, or 1 on two-line cards. */
  readonly line: 0 | 1;
}

export interface ServerRow {
  readonly name: string;
  /** The card, in the drawing's coordinates. */
  readonly box: Box;
  /** Where its link (and the dots) end: the middle of the card's left edge. */
  readonly linkEnd: { readonly x: number; readonly y: number };
}

export interface TopologyLayout {
  readonly width: number;
  readonly height: number;
  readonly arrangement: Arrangement;
  readonly clients: Box;
  readonly balancer: Box;
  /** The clients' link to the balancer (the dots' first leg): across in `wide`, down when stacked. */
  readonly clientLink: {
    readonly from: { readonly x: number; readonly y: number };
    readonly to: { readonly x: number; readonly y: number };
  };
  /** Where links to the servers start: the middle of the balancer's right edge. */
  readonly linkStart: { readonly x: number; readonly y: number };
  /** Each backend's line inside the balancer (name and queue), in `backends` order; at most MAX_BACKEND_LINES. */
  readonly backendLines: ReadonlyArray<{ readonly name: string; readonly y: number }>;
  /** Backends left out of the balancer box for want of room ("+ 3 more"). */
  readonly backendsHidden: number;
  readonly rows: ReadonlyArray<ServerRow>;
  /** The captions over the card columns, at this y (the second line's a line lower on two-line cards). */
  readonly headerY: number;
  readonly columns: {
    /** 1, or 2 for two-line cards. */
    readonly lines: 1 | 2;
    readonly name: Column;
    readonly weight: Column;
    readonly state: Column;
    readonly checks: Column;
    readonly queue: Column;
    readonly inFlight: Column;
    /** Room at the right of the in-flight column for its number (`20/20`); the bar or slots get the rest. */
    readonly inFlightNumber: number;
  };
}

/** A server row is never shorter than this (in font sizes): below it the drawing grows and the page scrolls. */
export const MIN_ROW_EM = 1.9;
/** Nor taller than this: two servers do not fill a projector with two giant cards. */
export const MAX_ROW_EM = 3.4;
/** Backends listed inside the balancer box; more are counted, not drawn. */
export const MAX_BACKEND_LINES = 4;
/** The health meter's width, in font sizes (the failed checks' count follows it). */
export const METER_EM = 2.6;
/** Narrower than this the drawing keeps this width and the container scrolls sideways. */
export const MIN_WIDTH = 560;

/**
 * How the parts are arranged, widest first, the first whose cards fit: `wide` (clients, balancer
 * and one-line cards side by side), `stacked` (the clients above the balancer, to give the cards
 * their width), `two-line` (stacked, and each card on two lines: name, weight and state over checks,
 * queue and in flight — a narrow column or presenter type beside the page's controls).
 */
export type Arrangement = "wide" | "stacked" | "two-line";

/** Row heights in font sizes for one-line and two-line cards: least, most, and natural (a box that sizes to its content). */
const ROW_EM = {
  one: { min: MIN_ROW_EM, max: MAX_ROW_EM, natural: 2.5 },
  two: { min: 3.1, max: 4.4, natural: 3.5 },
} as const;

/**
 * The layout for `servers` (in snapshot order) in a container of `width` × `height` px; a height
 * of 0 (a container that sizes to its content) takes the rows' natural height.
 */
export function layoutTopology(
  servers: ReadonlyArray<string>,
  backends: ReadonlyArray<string>,
  size: { readonly width: number; readonly height: number },
  style: ViewStyle,
  /** The largest maxconn among the servers (0: none has one): the in-flight number's room is sized for it. */
  maxconnMax = 0,
): TopologyLayout {
  const fs = style.fontSize;
  const width = Math.max(MIN_WIDTH, Math.floor(size.width));
  const pad = fs * 0.6;
  const n = Math.max(1, servers.length);
  // Room for the title and three lines under it: the rate, ok and failed counts (up to 7 digits).
  const clientsWidth = Math.max(
    fs * 5.5,
    textWidth("clients", fs * 1.1) + fs,
    textWidth("ok 9,999,999", style.smallFontSize) + fs,
  );
  const clientsHeight = fs * 1.8 + style.smallFontSize * 3.9;
  const balancerWidth = Math.max(fs * 7, textWidth("backend queue", style.smallFontSize) + fs * 1.2);
  // The gap the dots cross, between the balancer and the cards.
  const dotsGap = Math.max(fs * 4, width * 0.08);
  const wideLeft = pad + clientsWidth + Math.max(fs * 2, width * 0.035) + balancerWidth + dotsGap;
  const stackedLeft = pad + Math.max(clientsWidth, balancerWidth) + dotsGap;
  const fits = (left: number) => width - pad - left >= oneLineWidth(servers, style, maxconnMax);
  const arrangement: Arrangement = fits(wideLeft) ? "wide" : fits(stackedLeft) ? "stacked" : "two-line";
  const rowEm = arrangement === "two-line" ? ROW_EM.two : ROW_EM.one;
  const headerHeight = arrangement === "two-line" ? fs * 1.8 + style.smallFontSize * 1.2 : fs * 1.8;

  const natural = pad + headerHeight + n * fs * rowEm.natural + pad;
  const height = Math.max(size.height > 0 ? Math.floor(size.height) : natural, 0);
  const available = height - pad - headerHeight - pad;
  const rowHeight = Math.min(rowEm.max * fs, Math.max(rowEm.min * fs, available / n));
  const rowsHeight = rowHeight * n;
  // A few servers in a tall box: the rows (and their header) sit in the middle, not at the top.
  const rowsTop = pad + headerHeight + Math.max(0, (available - rowsHeight) / 2);
  const middle = rowsTop + rowsHeight / 2;

  const shown = backends.slice(0, MAX_BACKEND_LINES);
  const backendsHidden = backends.length - shown.length;
  const balancerHeight = fs * 2.2 + shown.length * fs * 2.6 + (backendsHidden > 0 ? fs * 1.3 : 0);
  let clients: Box;
  let balancer: Box;
  if (arrangement === "wide") {
    clients = { x: pad, y: middle - clientsHeight / 2, width: clientsWidth, height: clientsHeight };
    const x = clients.x + clients.width + Math.max(fs * 2, width * 0.035);
    balancer = { x, y: middle - balancerHeight / 2, width: balancerWidth, height: balancerHeight };
  } else {
    // The clients above the balancer, the pair centred on the rows (never above the top).
    const gap = fs * 1.6;
    const top = Math.max(pad, middle - balancerHeight / 2 - gap - clientsHeight);
    const column = Math.max(clientsWidth, balancerWidth);
    clients = { x: pad + (column - clientsWidth) / 2, y: top, width: clientsWidth, height: clientsHeight };
    balancer = { x: pad, y: top + clientsHeight + gap, width: column, height: balancerHeight };
  }
  const drawnHeight = Math.ceil(
    Math.max(height, rowsTop + rowsHeight + pad, balancer.y + balancer.height + fs * 2.2),
  );
  const backendLines = shown.map((name, i) => ({ name, y: balancer.y + fs * 2.2 + i * fs * 2.6 }));
  const linkStart = { x: balancer.x + balancer.width, y: balancer.y + balancer.height / 2 };
  const clientLink =
    arrangement === "wide"
      ? { from: { x: clients.x + clients.width, y: linkStart.y }, to: { x: balancer.x, y: linkStart.y } }
      : {
          from: { x: clients.x + clients.width / 2, y: clients.y + clients.height },
          to: { x: clients.x + clients.width / 2, y: balancer.y },
        };

  const cardsX = linkStart.x + dotsGap;
  const cardWidth = width - pad - cardsX;
  const rowGap = Math.min(fs * 0.5, rowHeight * 0.18);
  const rows: ServerRow[] = servers.map((name, i) => {
    const y = rowsTop + i * rowHeight;
    const box = { x: cardsX, y: y + rowGap / 2, width: cardWidth, height: rowHeight - rowGap };
    return { name, box, linkEnd: { x: cardsX, y: box.y + box.height / 2 } };
  });
  return {
    width,
    height: drawnHeight,
    arrangement,
    clients,
    balancer,
    clientLink,
    linkStart,
    backendLines,
    backendsHidden,
    rows,
    headerY: rowsTop - (headerHeight - fs * 1.1),
    columns: cardColumns(servers, cardWidth, style, maxconnMax, arrangement === "two-line"),
  };
}

/** What one-line cards need: every fixed column, and an in-flight bar of 3 em beside its number. */
export function oneLineWidth(servers: ReadonlyArray<string>, style: ViewStyle, maxconnMax = 0): number {
  const c = cardColumns(servers, Number.POSITIVE_INFINITY, style, maxconnMax, false);
  return c.inFlight.x + c.inFlightNumber + style.fontSize * 3 + style.fontSize * 0.45;
}

/**
 * The columns inside a card, left to right as a request meets them: the server's name and weight,
 * its state and health checks, then its queue and what it serves (in flight), which gets the rest.
 * On two lines, the name, weight and state go on the first, the rest on the second.
 */
export function cardColumns(
  servers: ReadonlyArray<string>,
  cardWidth: number,
  style: ViewStyle,
  maxconnMax = 0,
  twoLines = false,
): TopologyLayout["columns"] {
  const fs = style.fontSize;
  const gap = fs * 0.45;
  const longest = Math.max(textWidth("server", fs), ...servers.map((s) => textWidth(s, fs * 1.1)));
  // A name takes what it needs, up to a quarter of the card (or half, alone on its line with the
  // state); longer ones are cut (the tooltip has them whole).
  const nameShare = twoLines ? 0.45 : 0.25;
  const nameWidth = Math.max(
    fs * 4,
    Math.min(longest, Number.isFinite(cardWidth) ? cardWidth * nameShare : longest),
  );
  const weightWidth = textWidth("weight", style.smallFontSize) + fs * 0.2;
  const stateWidth = textWidth("DOWN 1/2", fs) + fs * 0.3;
  const checksWidth = METER_EM * fs + fs * 0.3 + textWidth("✗ 99", style.smallFontSize);
  const queueWidth = fs * 4;
  let x = gap;
  let line: 0 | 1 = 0;
  const next = (w: number): Column => {
    const column = { x, width: w, line };
    x += w + gap;
    return column;
  };
  const name = next(nameWidth);
  const weight = next(weightWidth);
  const state = next(stateWidth);
  if (twoLines) {
    x = gap;
    line = 1;
  }
  const checks = next(checksWidth);
  const queue = next(queueWidth);
  const rest = Number.isFinite(cardWidth) ? cardWidth - x - gap : 0;
  const inFlight = { x, width: Math.max(fs * 4, rest), line };
  const number = maxconnMax > 0 ? `${maxconnMax}/${maxconnMax}` : "8888";
  const inFlightNumber = textWidth(number, fs) + fs * 0.4;
  return { lines: twoLines ? 2 : 1, name, weight, state, checks, queue, inFlight, inFlightNumber };
}

/** Whether two layouts place the servers alike (same names in the same rows): moving cards is animated, not redrawn. */
export function sameServers(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  return a.length === b.length && a.every((name, i) => b[i] === name);
}
