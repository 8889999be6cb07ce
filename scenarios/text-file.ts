// Text input files (scenarios, haproxy.cfg, traces): bytes → string, or "not a text file" (exit 2)
// for a binary file (a NUL byte, or bytes that are not UTF-8), at the line and column of the first.
import { InputError } from "../errors/index.js";

const NUL = 0;
const NEWLINE = 0x0a;

/** Where byte `offset` is: its 1-based line, and its column counted in bytes (close enough for a binary). */
function placeOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the first byte that makes `bytes` not UTF-8 text (a NUL counts), or -1. */
export function firstBinaryByte(bytes: Uint8Array): number {
  const nul = bytes.indexOf(NUL);
  const limit = nul < 0 ? bytes.length : nul;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    decoder.decode(bytes.subarray(0, limit));
    return nul;
  } catch {
    // The longest prefix that decodes, counting a sequence cut off at its end as fine…
    let low = 0;
    let high = limit;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (decodesAsPrefix(bytes.subarray(0, mid))) low = mid;
      else high = mid - 1;
    }
    // …so the culprit is that cut-off sequence's lead byte when there is one (`\xe9t`: the \xe9).
    if (decodesWhole(bytes.subarray(0, low))) return low;
    for (let i = low - 1; i >= Math.max(0, low - 3); i--) if (bytes[i]! >= 0xc0) return i;
    return low;
  }
}

function decodesAsPrefix(bytes: Uint8Array, stream = true): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
}

const decodesWhole = (bytes: Uint8Array): boolean => decodesAsPrefix(bytes, false);

/** "not a text file" at the first binary byte of `bytes` (offset `base` in the file). */
export function notText(file: string, bytes: Uint8Array, offset: number, what: string): InputError {
  const { line, column } = placeOfByte(bytes, offset);
  const byte = bytes[offset];
  return InputError.one({
    code: "not-text",
    file,
    line,
    column,
    path: "",
    message: `not a text file: ${byte === NUL ? "a NUL byte" : `byte 0x${(byte ?? 0).toString(16).padStart(2, "0")} is not UTF-8`} here`,
    hint: `${what} is UTF-8 text; was another file given by mistake?`,
  });
}

/** The text of a file's bytes (without a UTF-8 BOM), or an InputError when it is not text. */
export function decodeText(bytes: Uint8Array, file: string, what: string): string {
  const bad = firstBinaryByte(bytes);
  if (bad >= 0) throw notText(file, bytes, bad, what);
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}
