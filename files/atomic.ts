// atomic: writing an output file through a temp file and a rename, shared by cli/ and viz/ (a leaf: imports only node:).
//
// An interrupted or failed run must never leave a truncated file under the name the user asked
// for: everything is written to a temp file in the same folder (so `rename` stays on one file
// system and is atomic) and renamed into place only once complete.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A fresh temp name beside `path`, hidden and recognisable: `.trace.csv.1234.a1b2c3d4.tmp`. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Writes `data` to `path` through a temp file and a rename; on any error the temp file is removed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tempPath = tempPathFor(path);
  const fd = openSync(tempPath, "wx");
  try {
    writeAll(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
    closeSync(fd);
  } catch (error) {
    closeQuietly(fd);
    rmSync(tempPath, { force: true });
    throw error;
  }
  try {
    renameSync(tempPath, path);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
}

/** `writeSync` until every byte is written (one call may write fewer). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or never usable: the temp file is removed next, which is all that matters.
  }
}
