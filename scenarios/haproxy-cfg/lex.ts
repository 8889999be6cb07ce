// haproxy.cfg lines → words, as HAProxy's parse_line() splits them: one directive per line, blanks
// between words, `#` (unquoted, unescaped) starts a comment, "double" and 'single' quotes group
// blanks into a word, a backslash escapes the next character (outside single quotes).

/** One word of a line, with its 1-based column (where its first character, or quote, is). */
export interface Word {
  readonly text: string;
  readonly column: number;
}

export interface Line {
  /** 1-based line number. */
  readonly line: number;
  readonly words: ReadonlyArray<Word>;
}

/** A line that cannot be split (an unterminated quote, a bad escape). */
export interface LexProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const ESCAPES: Readonly<Record<string, string>> = { r: "\r", n: "\n", t: "\t" };

/** The non-empty lines of `text`, split into words; problems are collected, not thrown. */
export function lexCfg(text: string): { lines: Line[]; problems: LexProblem[] } {
  const lines: Line[] = [];
  const problems: LexProblem[] = [];
  const rows = text.split("\n");
  rows.forEach((row, index) => {
    const result = lexLine(row.endsWith("\r") ? row.slice(0, -1) : row, index + 1);
    if ("message" in result) problems.push(result);
    else if (result.words.length > 0) lines.push(result);
  });
  return { lines, problems };
}

function lexLine(row: string, line: number): Line | LexProblem {
  const words: Word[] = [];
  let i = 0;
  const n = row.length;
  while (i < n) {
    const c = row[i]!;
    if (c === " " || c === "\t" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === "#") break;
    const start = i;
    let text = "";
    let quote: '"' | "'" | undefined;
    let quoteAt = 0;
    while (i < n) {
      const d = row[i]!;
      if (quote === undefined && (d === " " || d === "\t" || d === "\f" || d === "\v" || d === "#")) break;
      if (d === quote) {
        quote = undefined;
        i++;
        continue;
      }
      if (quote === undefined && (d === '"' || d === "'")) {
        quote = d;
        quoteAt = i;
        i++;
        continue;
      }
      if (d === "\\" && quote !== "'") {
        const e = row[i + 1];
        if (e === undefined)
          return { line, column: i + 1, message: "a backslash at the end of the line escapes nothing" };
        if (e === "x") {
          const hex = row.slice(i + 2, i + 4);
          if (!/^[0-9A-Fa-f]{2}$/.test(hex))
            return { line, column: i + 1, message: `found "\\x${hex}", expected \\x and two hex digits` };
          text += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          continue;
        }
        text += ESCAPES[e] ?? e;
        i += 2;
        continue;
      }
      text += d;
      i++;
    }
    if (quote !== undefined)
      return { line, column: quoteAt + 1, message: `the quote ${quote} opened here is never closed` };
    words.push({ text, column: start + 1 });
  }
  return { line, words };
}

/**
 * Words as one line of text for a scenario file (`acl:`, `use_backend:` entries): joined by single
 * spaces, a word that would not read back as one word (blanks, quotes, `#`, a backslash, empty)
 * written in double quotes as HAProxy reads them.
 */
export function cfgText(words: ReadonlyArray<Word>): string {
  return words
    .map((w) => (/^[^\s"'#\\]+$/.test(w.text) ? w.text : `"${w.text.replace(/["\\]/g, "\\$&")}"`))
    .join(" ");
}
