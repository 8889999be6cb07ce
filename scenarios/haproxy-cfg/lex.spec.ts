// lexCfg: the words of each haproxy.cfg line, with quotes, escapes, comments and columns.
import { describe, expect, it } from "vitest";
import { cfgText, lexCfg } from "./lex.js";

describe("lexCfg", () => {
  it("splits words, skips comments and blank lines, keeps columns", () => {
    const { lines, problems } = lexCfg("global\n  # c\n\n  log /dev/log   local0 # comment\n");
    expect(problems).toEqual([]);
    expect(lines.map((l) => [l.line, l.words.map((w) => [w.text, w.column])])).toEqual([
      [1, [["global", 1]]],
      [
        4,
        [
          ["log", 3],
          ["/dev/log", 7],
          ["local0", 18],
        ],
      ],
    ]);
  });

  it("handles quotes and backslash escapes as HAProxy does", () => {
    const { lines } = lexCfg(`a "b c" 'd \\e' f\\ g h\\#i "j#k" \\x41 "\\"q"`);
    expect(lines[0]!.words.map((w) => w.text)).toEqual(["a", "b c", "d \\e", "f g", "h#i", "j#k", "A", '"q']);
  });

  it("reports an unterminated quote at its column", () => {
    expect(lexCfg(`x\n  stats auth "admin`).problems).toEqual([
      { line: 2, column: 14, message: 'the quote " opened here is never closed' },
    ]);
  });

  it("reads CRLF files", () => {
    expect(lexCfg("a b\r\nc\r\n").lines.map((l) => l.words.map((w) => w.text))).toEqual([["a", "b"], ["c"]]);
  });
});

describe("cfgText", () => {
  it("joins words with single spaces, quoting only those that would not read back as one word", () => {
    const words = lexCfg(`ua  hdr(user-agent)\t-i "Mozilla 5" 'a"b' c\\#d`).lines[0]!.words;
    const text = cfgText(words);
    expect(text).toBe('ua hdr(user-agent) -i "Mozilla 5" "a\\"b" "c#d"');
    expect(lexCfg(text).lines[0]!.words.map((w) => w.text)).toEqual(words.map((w) => w.text));
  });
});
