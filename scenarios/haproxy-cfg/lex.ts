// haproxy.cfg lines → words, as HAProxy 2.6's parse_line() splits them: one directive per line,
// blanks between words, `#` (unquoted, unescaped) starts a comment, "double" and 'single' quotes
// group blanks into a word. Outside single quotes a backslash escapes a space, `\\`, `#`, `'` or `"`
// (and `$` in double quotes), and `\t \n \r \xNN` are translated; before anything else, a tab
// included, the backslash stays as written: `path_reg ^/a\.b$` is the regex `^/a\.b$`, as in HAProxy.

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

/** A line that cannot be split (an unterminated quote, a `\x` without two hex digits). */
export interface LexProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What a backslash followed by the key stands for, outside quotes; `\xNN` is handled apart. */
const ESCAPES: Readonly<Record<string, string>> = {
  " ": " ",
  "\\": "\\",
  "#": "#",
  "'": "'",
  '"': '"',
  t: "\t",
  n: "\n",
  r: "\r",
};

/** Inside double quotes, `\$` is a dollar sign too (a bare one starts an environment variable). */
const ESCAPES_IN_DOUBLE_QUOTES: Readonly<Record<string, string>> = { ...ESCAPES, $: "$" };

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

/** One line's words (`line` numbers the result): also how scenarios/acl.ts reads `acl:` entries. */
export function lexLine(row: string, line: number): Line | LexProblem {
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
        if (e === "x") {
          const hex = row.slice(i + 2, i + 4);
          if (!/^[0-9A-Fa-f]{2}$/.test(hex))
            return { line, column: i + 1, message: `found "\\x${hex}", expected \\x and two hex digits` };
          text += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          continue;
        }
        const escaped = e === undefined ? undefined : (quote === '"' ? ESCAPES_IN_DOUBLE_QUOTES : ESCAPES)[e];
        // Not an escape (`\.`, `\d`, a backslash ending the line): HAProxy keeps the backslash and
        // reads the next character as usual.
        text += escaped ?? d;
        i += escaped === undefined ? 1 : 2;
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
 * Words as one line of text for a scenario file (`acl:`, `use_backend:` entries), which scenarios/acl.ts
 * splits again: joined by single spaces, each word written so that it reads back as itself.
 */
export function cfgText(words: ReadonlyArray<Word>): string {
  return words.map((w) => cfgWord(w.text)).join(" ");
}

/**
 * A word as it reads on its own: no blank, quote, `#` or control character, and every backslash
 * followed by a character it does not escape (`^/a\.b$`, `\d+`).
 */
const BARE = /^(?:[^\s"'#\\\p{Cc}]|\\[^\s"'#\\tnrx\p{Cc}])+$/u;

/** Characters written as escapes, in double quotes or not: `\`, `"` and control characters. */
const SPECIAL = /[\\"\p{Cc}]/gu;

/**
 * `text` as one cfg word: as it is when it reads back so (`^/a\.b$` stays), else in double quotes
 * with `\\ \" \t \n \r \xNN` escapes. A word with a `$` is escaped without quotes instead
 * (`a\ b$`): in double quotes `$` starts an environment variable, which scenarios/acl.ts refuses.
 */
function cfgWord(text: string): string {
  if (BARE.test(text)) return text;
  const escaped = text.replace(SPECIAL, escapeChar);
  return text.includes("$") ? escaped.replace(/[ #']/g, "\\$&") : `"${escaped}"`;
}

function escapeChar(c: string): string {
  if (c === "\\" || c === '"') return `\\${c}`;
  if (c === "\t") return "\\t";
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}
