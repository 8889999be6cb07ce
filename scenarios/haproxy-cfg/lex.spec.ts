// lexCfg: the words of each haproxy.cfg line, with quotes, escapes, comments and columns.
import { describe, expect, it } from "vitest";
import { parseAcl } from "../acl.js";
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

  // Each case checked against HAProxy 2.6.12 (the word as `http-request return … string <word>` sends it).
  it("keeps a backslash before a character it does not escape, as HAProxy does", () => {
    const words = (line: string) => lexCfg(line).lines[0]!.words.map((w) => w.text);
    expect(words(String.raw`path_reg ^/a\.b$ \d+ a\q a\$b`)).toEqual([
      "path_reg",
      String.raw`^/a\.b$`,
      String.raw`\d+`,
      String.raw`a\q`,
      String.raw`a\$b`,
    ]);
    expect(words(String.raw`"a\.b" "a\qb"`)).toEqual([String.raw`a\.b`, String.raw`a\qb`]);
    expect(words(String.raw`a\\\.b`)).toEqual([String.raw`a\\.b`]);
  });

  it("translates \\t \\n \\r \\xNN, in double quotes too, and \\$ only in double quotes", () => {
    const words = (line: string) => lexCfg(line).lines[0]!.words.map((w) => w.text);
    expect(words(String.raw`a\tb a\nb a\rb a\x41b a\x4ab`)).toEqual(["a\tb", "a\nb", "a\rb", "aAb", "aJb"]);
    expect(words(String.raw`"a\tb" "a\nb" "a\x41b" "a\ b" "a\#b" "a\'b" "a\$b"`)).toEqual([
      "a\tb",
      "a\nb",
      "aAb",
      "a b",
      "a#b",
      "a'b",
      "a$b",
    ]);
  });

  it("keeps a backslash before a tab, which still separates words, and at the end of a line", () => {
    expect(lexCfg("string x\\\ty ab\\").lines[0]!.words.map((w) => w.text)).toEqual([
      "string",
      "x\\",
      "y",
      "ab\\",
    ]);
    expect(lexCfg('"x\\\ty"').lines[0]!.words.map((w) => w.text)).toEqual(["x\\\ty"]);
  });

  it("leaves everything as written in single quotes", () => {
    expect(lexCfg(String.raw`'a\\b' 'a\#b' 'a\tb' 'a\xZZ'`).lines[0]!.words.map((w) => w.text)).toEqual([
      String.raw`a\\b`,
      String.raw`a\#b`,
      String.raw`a\tb`,
      String.raw`a\xZZ`,
    ]);
  });

  it("reports \\x without two hex digits at the backslash, as HAProxy refuses it", () => {
    expect(lexCfg("x\n  acl a hdr(x) a\\xZZ").problems).toEqual([
      { line: 2, column: 17, message: 'found "\\xZZ", expected \\x and two hex digits' },
    ]);
    expect(lexCfg('acl a hdr(x) "a\\x4"').problems).toHaveLength(1);
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

  it("writes a word whose backslashes escape nothing as it is", () => {
    const words = lexCfg(String.raw`x path_reg ^/a\.b$ \d+`).lines[0]!.words;
    expect(cfgText(words)).toBe(String.raw`x path_reg ^/a\.b$ \d+`);
  });

  it("escapes the backslashes that would escape something, and a $ word without quotes", () => {
    const words = lexCfg(String.raw`a 'b\\c' 'd\#' 'e\' 'f\x41' "g\th" 'i j$' 'k"l$\' m\x01`).lines[0]!.words;
    expect(words.map((w) => w.text)).toEqual([
      "a",
      "b\\\\c",
      "d\\#",
      "e\\",
      "f\\x41",
      "g\th",
      "i j$",
      'k"l$\\',
      "m\x01",
    ]);
    const text = cfgText(words);
    expect(text).toBe(String.raw`a "b\\\\c" "d\\#" "e\\" "f\\x41" "g\th" i\ j$ k\"l$\\ "m\x01"`);
    expect(lexCfg(text).lines[0]!.words.map((w) => w.text)).toEqual(words.map((w) => w.text));
  });

  it("round-trips through scenarios/acl.ts's own splitter", () => {
    for (const pattern of [
      String.raw`^/a\.b$`,
      String.raw`a\\b`,
      "a b$",
      'x"y',
      "e\\",
      String.raw`\x41`,
      "t\tu#",
    ]) {
      const line = cfgText([
        { text: "n", column: 1 },
        { text: "hdr(x)", column: 3 },
        { text: pattern, column: 10 },
      ]);
      const parsed = parseAcl(line);
      expect(parsed.ok && parsed.value.match, line).toMatchObject({ patterns: [pattern] });
    }
  });
});
