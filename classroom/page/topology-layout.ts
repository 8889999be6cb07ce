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
  readonly clients: Box;
  readonly balancer: Box;
  /** Where links to the servers start: the middle of the balancer's right edge. */
  readonly linkStart: { readonly x: number; readonly y: number };
  /** Each backend's line inside the balancer (name and queue), in `backends` order; at most MAX_BACKEND_LINES. */
  readonly backendLines: ReadonlyArray<{ readonly name: string; readonly y: number }>;
  /** Backends left out of the balancer box for want of room ("+ 3 more"). */
  readonly backendsHidden: number;
  readonly rows: ReadonlyArray<ServerRow>;
  /** The captions over the card columns, at this y. */
  readonly headerY: number;
  readonly columns: {
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
  const headerHeight = fs * 1.8;
  const n = Math.max(1, servers.length);
  const natural = pad + headerHeight + n * fs * 2.5 + pad;
  const height = Math.max(size.height > 0 ? Math.floor(size.height) : natural, 0);
  const available = height - pad - headerHeight - pad;
  const rowHeight = Math.min(MAX_ROW_EM * fs, Math.max(MIN_ROW_EM * fs, available / n));
  const rowsHeight = rowHeight * n;
  // A few servers in a tall box: the rows (and their header) sit in the middle, not at the top.
  const rowsTop = pad + headerHeight + Math.max(0, (available - rowsHeight) / 2);
  // Not enough room for every row at its minimum: the drawing grows and the container scrolls.
  const drawnHeight = Math.ceil(Math.max(height, rowsTop + rowsHeight + pad));
  const middle = rowsTop + Math.min(rowsHeight, drawnHeight - rowsTop - pad) / 2;

  const clientsWidth = Math.max(fs * 5.5, textWidth("clients", fs * 1.1) + fs);
  const clients: Box = { x: pad, y: middle - fs * 2.2, width: clientsWidth, height: fs * 4.4 };
  const shown = backends.slice(0, MAX_BACKEND_LINES);
  const backendsHidden = backends.length - shown.length;
  const balancerHeight = fs * 2.2 + shown.length * fs * 2.6 + (backendsHidden > 0 ? fs * 1.3 : 0);
  const balancerX = clients.x + clients.width + Math.max(fs * 2, width * 0.035);
  const balancer: Box = {
    x: balancerX,
    y: middle - balancerHeight / 2,
    width: Math.max(fs * 7, textWidth("backend queue", style.smallFontSize) + fs * 1.2),
    height: balancerHeight,
  };
  const backendLines = shown.map((name, i) => ({ name, y: balancer.y + fs * 2.2 + i * fs * 2.6 }));
  const linkStart = { x: balancer.x + balancer.width, y: middle };

  // The gap the dots cross: the widest part of the drawing after the cards' own minimum.
  const cardsX = linkStart.x + Math.max(fs * 4, width * 0.08);
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
    clients,
    balancer,
    linkStart,
    backendLines,
    backendsHidden,
    rows,
    headerY: rowsTop - fs * 0.7,
    columns: cardColumns(servers, cardWidth, style, maxconnMax),
  };
}

/**
 * The columns inside a card, left to right as a request meets them: the server's name and weight,
 * its state and health checks, then its queue and what it serves (in flight), which gets the rest.
 */
export function cardColumns(
  servers: ReadonlyArray<string>,
  cardWidth: number,
  style: ViewStyle,
  maxconnMax = 0,
): TopologyLayout["columns"] {
  const fs = style.fontSize;
  const gap = fs * 0.45;
  const longest = Math.max(textWidth("server", fs), ...servers.map((s) => textWidth(s, fs * 1.1)));
  // A name takes what it needs, up to a quarter of the card; longer ones are cut (the tooltip has them whole).
  const nameWidth = Math.max(fs * 4, Math.min(longest, cardWidth * 0.25));
  const weightWidth = textWidth("weight", style.smallFontSize) + fs * 0.2;
  const stateWidth = textWidth("DOWN 1/2", fs) + fs * 0.3;
  const checksWidth = METER_EM * fs + fs * 0.3 + textWidth("✗ 99", style.smallFontSize);
  const queueWidth = fs * 4;
  let x = gap;
  const next = (w: number): Column => {
    const column = { x, width: w };
    x += w + gap;
    return column;
  };
  const name = next(nameWidth);
  const weight = next(weightWidth);
  const state = next(stateWidth);
  const checks = next(checksWidth);
  const queue = next(queueWidth);
  const inFlight = { x, width: Math.max(fs * 4, cardWidth - x - gap) };
  const number = maxconnMax > 0 ? `${maxconnMax}/${maxconnMax}` : "8888";
  const inFlightNumber = textWidth(number, fs) + fs * 0.4;
  return { name, weight, state, checks, queue, inFlight, inFlightNumber };
}

/** Whether two layouts place the servers alike (same names in the same rows): moving cards is animated, not redrawn. */
export function sameServers(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  return a.length === b.length && a.every((name, i) => b[i] === name);
}
