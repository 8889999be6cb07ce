// ACL patterns, parsed as HAProxy 2.6 reads them (src/pattern.c): addresses, networks, length ranges, regexes.
//
// scenarios/acl.ts refuses what HAProxy refuses with these messages (at file:line:col); sim/routing.ts
// compiles the same parsed values into matchers. A leaf (types only), so sim/ may import it without
// loading YAML or zod.
import type { AclMethod } from "./types.js";
/**
 * Why HAProxy 2.6 (or lbsim) refuses `pattern` for this matching method, or undefined when it is
 * fine. Length patterns are checked after scenarios/acl.ts turned `gt 3` into `4:`.
 */
export function patternProblem(method: AclMethod, pattern: string, icase = false): string | undefined {
  const parsed =
    method === "ip"
      ? ipPattern(pattern)
      : method === "len"
        ? lengthRange(pattern)
        : method === "reg"
          ? regex(pattern, icase)
          : 0;
  return typeof parsed === "string" ? parsed : undefined;
}

/** A source `k` matches when `((k ^ net) & mask) === 0` (both as int32). */
export interface Ipv4Net {
  readonly net: number;
  readonly mask: number;
}

const EXPECTED_IP =
  "expected an IPv4 address or network (10.0.0.7, 10.0.0.0/8, 10.0.0.0/255.0.0.0) or an IPv6 one (::1, ::ffff:10.0.0.0/104)";

/**
 * An `src` pattern as the IPv4 network it covers (`null` for an IPv6 pattern no IPv4 source can
 * match through `::ffff:a.b.c.d`), or why it is not an address.
 */
export function ipPattern(text: string): Ipv4Net | null | string {
  const slash = text.lastIndexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? undefined : text.slice(slash + 1);
  if (address.includes(":")) return ipv6Pattern(address, mask, text);
  const net = ipv4(address);
  if (typeof net === "string") return `"${text}": ${net}; ${EXPECTED_IP}`;
  let bits = -1;
  if (mask === undefined) bits = 32;
  else if (/^\d{1,2}$/.test(mask) && Number(mask) <= 32) bits = Number(mask);
  else if (mask.includes(".")) {
    const dotted = ipv4(mask, true);
    if (typeof dotted === "number") return { net: net | 0, mask: dotted | 0 };
  }
  if (bits < 0) return `"${text}": the mask "${mask}" is neither 0..32 nor a dotted mask; ${EXPECTED_IP}`;
  return { net: net | 0, mask: bits === 0 ? 0 : (0xffffffff << (32 - bits)) | 0 };
}

/**
 * A dotted IPv4 address as an unsigned integer. Like HAProxy (inet_aton), `127.1` is 127.0.0.1 and
 * `10.2.3` is 10.2.0.3: the last part fills the remaining bytes. Host names are not resolved.
 */
function ipv4(text: string, fourParts = false): number | string {
  const parts = text.split(".");
  if (/[^0-9.]/.test(text)) return "not an address (lbsim does not resolve host names)";
  if (parts.length < (fourParts ? 4 : 2) || parts.length > 4 || parts.some((p) => !/^\d+$/.test(p)))
    return "not a dotted address";
  if (parts.some((p) => p.length > 1 && p.startsWith("0")))
    return "leading zeros are ambiguous (octal for HAProxy's resolver); drop them";
  const numbers = parts.map(Number);
  const tail = numbers.pop()!;
  if (numbers.some((n) => n > 255) || tail >= 2 ** (8 * (5 - parts.length))) return "a part is out of range";
  return numbers.reduce((sum, n, i) => sum + n * 2 ** (24 - 8 * i), 0) + tail;
}

/** An IPv6 pattern seen by an IPv4 source, which HAProxy compares as `::ffff:a.b.c.d` (§7.1.6). */
function ipv6Pattern(address: string, mask: string | undefined, text: string): Ipv4Net | null | string {
  const groups = ipv6Groups(address);
  if (groups === undefined) return `"${text}": not an IPv6 address; ${EXPECTED_IP}`;
  if (mask !== undefined && !(/^\d{1,3}$/.test(mask) && Number(mask) <= 128))
    return `"${text}": an IPv6 mask is a bit count, 0..128`;
  const bits = mask === undefined ? 128 : Number(mask);
  const mapped = [0, 0, 0, 0, 0, 0xffff];
  for (let g = 0; g < 6; g++) {
    const covered = Math.max(0, Math.min(16, bits - 16 * g));
    const groupMask = covered === 0 ? 0 : (0xffff << (16 - covered)) & 0xffff;
    if (((groups[g]! ^ mapped[g]!) & groupMask) !== 0) return null;
  }
  if (bits <= 96) return { net: 0, mask: 0 };
  const v4bits = bits - 96;
  return { net: (groups[6]! << 16) | groups[7]! | 0, mask: (0xffffffff << (32 - v4bits)) | 0 };
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const words = half.split(":");
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (i === words.length - 1 && word.includes(".")) {
        const v4 = ipv4(word, true);
        if (typeof v4 === "string") return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(word)) out.push(Number.parseInt(word, 16));
      else return undefined;
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

export interface LengthRange {
  readonly min: number;
  readonly max: number;
}

const EXPECTED_RANGE =
  "expected a length (5), a range (3:8, 3-8, :8, 8:) or an operator (eq, ge, gt, le, lt) and a length";

/** pattern.c pat_parse_int: `n`, `a:b` or `a-b`, `:b` (or `-b`), `a:`. */
export function lengthRange(text: string): LengthRange | string {
  const integer = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : undefined);
  const at = text.search(/[:-]/);
  let range: { min: number | undefined; max: number | undefined } | undefined;
  if (at < 0) range = { min: integer(text), max: integer(text) };
  else if (at === 0 && text.length > 1)
    range = { min: Number.NEGATIVE_INFINITY, max: integer(text.slice(1)) };
  else if (at === text.length - 1) range = { min: integer(text.slice(0, at)), max: Number.POSITIVE_INFINITY };
  else range = { min: integer(text.slice(0, at)), max: integer(text.slice(at + 1)) };
  const { min, max } = range;
  if (min === undefined || max === undefined || min > max)
    return `"${text}" is not a length or a range of lengths; ${EXPECTED_RANGE}`;
  return { min, max };
}

/** A PCRE pattern as a JavaScript RegExp (HAProxy searches anywhere in the sample, like `test`). */
export function regex(text: string, icase: boolean): RegExp | string {
  const foreign = pcreOnly(text);
  if (foreign !== undefined)
    return `regex "${text}" uses "${foreign}", which lbsim (JavaScript regular expressions) cannot reproduce`;
  try {
    return new RegExp(text, icase ? "i" : "");
  } catch (error) {
    return `regex "${text}" is invalid: ${(error as Error).message.replace(/^Invalid regular expression: /, "")}`;
  }
}

/** PCRE syntax a non-unicode JavaScript RegExp would accept with another meaning (or refuse). */
function pcreOnly(text: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1] ?? "";
    if (c === "\\") {
      if ("AZzGKQERhHNpPX".includes(next) && next !== "") return `\\${next}`;
      i++;
    } else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(" && next === "?" && /[A-Za-z]/.test(text[i + 2] ?? "")) return text.slice(i, i + 3);
    else if ("*+?}".includes(c) && next === "+") return `${c}+`;
  }
  return undefined;
}
