// RFC 4180 CSV split into records chunk by chunk, so that a trace of any length is read in flat memory.
import { InputError } from "../errors/index.js";

export interface CsvRecord {
  readonly fields: string[];
  /** Line on which the record starts (1-based). */
  readonly line: number;
  /** Column at which each field starts (1-based, on its own line). */
  readonly columns: number[];
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Marks a record cut by the end of the chunk: read it again when more text has come. */
const INCOMPLETE = null;

export class CsvSplitter {
  private rest = "";
  private line = 1;

  constructor(private readonly file: string) {}

  /** Feeds the next chunk of text; `final` says there is no more. Returns the records completed. */
  push(chunk: string, final: boolean): CsvRecord[] {
    const text = this.rest + chunk;
    const records: CsvRecord[] = [];
    let at = 0;
    while (at < text.length) {
      const record = this.record(text, at, final);
      if (record === INCOMPLETE) break;
      at = record.end;
      this.line = record.nextLine;
      const only = record.fields[0];
      const blank = record.fields.length === 1 && only === "" && !record.quoted;
      if (!blank) records.push({ fields: record.fields, line: record.line, columns: record.columns });
    }
    this.rest = text.slice(at);
    return records;
  }

  private fail(line: number, column: number, message: string): never {
    throw InputError.one({ code: "bad-trace", file: this.file, line, column, path: "", message });
  }

  private record(text: string, start: number, final: boolean) {
    const fields: string[] = [];
    const columns: number[] = [];
    const line = this.line;
    let current = line;
    let lineStart = start;
    let quoted = false;
    let i = start;
    for (;;) {
      const column = i - lineStart + 1;
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true;
        value = "";
        let j = i + 1;
        for (;;) {
          const close = text.indexOf('"', j);
          if (close < 0 || (close === text.length - 1 && !final)) {
            if (final) this.fail(current, column, "a quoted field is never closed");
            return INCOMPLETE;
          }
          const piece = text.slice(j, close);
          for (let k = piece.indexOf("\n"); k >= 0; k = piece.indexOf("\n", k + 1)) {
            current++;
            lineStart = j + k + 1;
          }
          value += piece;
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            j = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        const next = text.charCodeAt(i);
        if (i < text.length && next !== COMMA && next !== CR && next !== LF) {
          this.fail(
            current,
            i - lineStart + 1,
            `found "${text[i]}" after a closing quote, expected a comma or the end of the line`,
          );
        }
      } else {
        let j = i;
        for (; j < text.length; j++) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === CR || c === LF) break;
          if (c === QUOTE)
            this.fail(
              current,
              j - lineStart + 1,
              'found a quote inside an unquoted field; quote the whole field and double the quote ("")',
            );
        }
        if (j === text.length && !final) return INCOMPLETE;
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      columns.push(column);
      if (i >= text.length) {
        if (!final) return INCOMPLETE;
        return { fields, columns, line, quoted, end: i, nextLine: current + 1 };
      }
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i === text.length && !final) return INCOMPLETE;
        continue;
      }
      if (c === CR) {
        if (i + 1 === text.length && !final) return INCOMPLETE;
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      return { fields, columns, line, quoted, end: i, nextLine: current + 1 };
    }
  }
}
