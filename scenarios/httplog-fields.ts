// From a matched log line to a LogEntry: dates, numbers (decimal or +X hexadecimal), `#XX` escapes, the path.
import type { LogEntry } from "./httplog-parse.js";

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

let cachedSecondText = "";
let cachedSecondMs = 0;

/** `dd/Mon/yyyy:HH:MM:SS[.mmm][ +hhmm]` → ms since 1970 (the clock taken as UTC, less the offset). */
export function parseLogDate(text: string): number {
  const secondText = text.slice(0, 20);
  if (secondText !== cachedSecondText) {
    const month = MONTHS[text.slice(3, 6)];
    if (month === undefined) return Number.NaN;
    cachedSecondMs = Date.UTC(
      Number(text.slice(7, 11)),
      month,
      Number(text.slice(0, 2)),
      Number(text.slice(12, 14)),
      Number(text.slice(15, 17)),
      Number(text.slice(18, 20)),
    );
    cachedSecondText = secondText;
  }
  let ms = cachedSecondMs;
  // The common case, `….mmm`, without a regex.
  if (text.length === 24 && text.charCodeAt(20) === 46) return ms + Number(text.slice(21, 24));
  let rest = text.slice(20);
  if (rest.startsWith(".")) {
    const digits = /^\.(\d+)/.exec(rest)![1]!;
    ms += Number(digits.slice(0, 3).padEnd(3, "0"));
    rest = rest.slice(digits.length + 1);
  }
  const zone = /^ ([+-])(\d\d)(\d\d)$/.exec(rest);
  if (zone !== null) ms -= (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000;
  return ms;
}

/** HAProxy's `#XX` log escapes back to the bytes they stand for. */
export function unescapeLog(text: string): string {
  if (!text.includes("#")) return text;
  // Made here, not at load: scenarios/ loads in bare contexts (a worker) that may lack TextEncoder.
  const utf8 = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "#" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...utf8.encode(text[i]!));
  }
  return new TextDecoder("utf-8").decode(new Uint8Array(bytes));
}

const NO_SERVER = /^<[A-Z]+>$/;

export function readerOf(
  indexOf: ReadonlyMap<string, number>,
  hex: ReadonlySet<string>,
): (m: RegExpExecArray) => LogEntry {
  // Group numbers looked up once (-1: not in the format): the reader runs once per line.
  const group = (name: string) => indexOf.get(name) ?? -1;
  const text = (m: RegExpExecArray, i: number): string | undefined => {
    const value = i < 0 ? undefined : m[i];
    return value !== undefined && value.charCodeAt(0) === 34 ? value.slice(1, -1) : value;
  };
  const numberOf = (name: string, absent: number): ((m: RegExpExecArray) => number) => {
    const i = group(name);
    if (i < 0) return () => absent;
    const base = hex.has(name) ? 16 : 10;
    return (m) => {
      const value = text(m, i);
      if (value === undefined) return absent;
      return base === 16 ? Number.parseInt(value, 16) : Number(value);
    };
  };
  const gTr = group("tr");
  const gTrg = group("trg");
  const gTrl = group("trl");
  const gT = group("t");
  const gTgmt = group("T");
  const gTl = group("Tl");
  const gRc = group("rc");
  const gS = group("s");
  const gCi = group("ci");
  const gFt = group("ft");
  const gF = group("f");
  const gB = group("b");
  const gTsc = group("tsc");
  const gTs = group("ts");
  const gR = group("r");
  const gHU = group("HU");
  const gHP = group("HP");
  const gHQ = group("HQ");
  const Ts = numberOf("Ts", 0);
  const ms = numberOf("ms", 0);
  const Th = numberOf("Th", 0);
  const Ti = numberOf("Ti", 0);
  const TaOf = numberOf("Ta", -1);
  const Tt = numberOf("Tt", -1);
  const hasTa = indexOf.has("Ta");
  const TR = numberOf("TR", 0);
  const Tw = numberOf("Tw", 0);
  const Tc = numberOf("Tc", 0);
  const Tr = numberOf("Tr", -1);
  const ST = numberOf("ST", 200);
  const sc = numberOf("sc", -1);
  return (m) => {
    let acceptMs: number;
    const request = text(m, gTr) ?? text(m, gTrg) ?? text(m, gTrl);
    if (request !== undefined) acceptMs = parseLogDate(request);
    else {
      const accept = text(m, gT) ?? text(m, gTgmt) ?? text(m, gTl);
      acceptMs = accept !== undefined ? parseLogDate(accept) : Ts(m) * 1000 + ms(m);
      // %t is the connection's accept: the request came after the handshake and the idle time.
      acceptMs += Math.max(0, Th(m)) + Math.max(0, Ti(m));
    }
    const Ta = hasTa ? TaOf(m) : Tt(m) - Math.max(0, Th(m)) - Math.max(0, Ti(m));
    const retriesText = text(m, gRc) ?? "0";
    const server = text(m, gS) ?? "";
    const ts = text(m, gTs);
    return {
      acceptMs,
      clientIp: text(m, gCi) ?? "0.0.0.0",
      frontend: text(m, gFt) ?? text(m, gF) ?? "",
      backend: text(m, gB) ?? "",
      server: server.charCodeAt(0) === 60 && NO_SERVER.test(server) ? "" : server,
      TR: TR(m),
      Tw: Tw(m),
      Tc: Tc(m),
      Tr: Tr(m),
      Ta,
      status: ST(m),
      termination: text(m, gTsc) ?? (ts === undefined ? "----" : `${ts}--`),
      retries: Math.abs(Number(retriesText)) || 0,
      redispatched: retriesText.charCodeAt(0) === 43,
      serverConnections: sc(m),
      path: unescapeLog(pathOf(text(m, gR), text(m, gHU), text(m, gHP), text(m, gHQ))),
    };
  };
}

function pathOf(requestLine?: string, uri?: string, path?: string, query?: string): string {
  if (requestLine !== undefined) {
    // `METHOD target VERSION`: the target is between the first two spaces.
    const first = requestLine.indexOf(" ");
    if (first < 0) return "/";
    const second = requestLine.indexOf(" ", first + 1);
    const target = second < 0 ? requestLine.slice(first + 1) : requestLine.slice(first + 1, second);
    return target === "" ? "/" : target;
  }
  if (uri !== undefined) return uri;
  if (path !== undefined) return query === undefined || query === "-" ? path : `${path}${query}`;
  return "/";
}
