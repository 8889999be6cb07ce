// export.spec: charts written as SVG and PNG files into created folders, atomically, and folder problems told as the user's.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChartOutputError, chartDirProblem, writeCharts } from "./export.js";

const svg = (label: string, width = 120): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 40" width="${width}" height="40" role="img">` +
  `<title>${label}</title><text x="4" y="24" font-size="14">${label}</text></svg>`;

const CHARTS = [
  { file: "latency-over-time", svg: svg("latency") },
  { file: "shares", svg: svg("shares", 200) },
];

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-export-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The ChartOutputError `run` throws (fails the test if it throws nothing or something else). */
function outputError(run: () => unknown): ChartOutputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChartOutputError);
    return error as ChartOutputError;
  }
  throw new Error("expected a ChartOutputError, nothing was thrown");
}

describe("writeCharts", () => {
  it("writes every chart as SVG and PNG into folders it creates, and returns the paths in order", () => {
    const svgDir = join(dir, "out", "svg");
    const pngDir = join(dir, "out", "png");
    const written = writeCharts(CHARTS, { svgDir, pngDir });
    expect(written).toEqual([
      join(svgDir, "latency-over-time.svg"),
      join(pngDir, "latency-over-time.png"),
      join(svgDir, "shares.svg"),
      join(pngDir, "shares.png"),
    ]);
    expect(readFileSync(join(svgDir, "shares.svg"), "utf8")).toBe(CHARTS[1]!.svg);
    // The default scale is 2: the PNG is twice the SVG's size.
    expect(pngSize(join(pngDir, "shares.png"))).toEqual({ width: 400, height: 80 });
    // Atomic writes leave no temp file behind.
    expect(readdirSync(svgDir).sort()).toEqual(["latency-over-time.svg", "shares.svg"]);
    expect(readdirSync(pngDir).sort()).toEqual(["latency-over-time.png", "shares.png"]);
  });

  it("writes only the kinds asked for, PNGs at the scale given, into one folder for both", () => {
    expect(writeCharts(CHARTS, { svgDir: dir })).toEqual([
      join(dir, "latency-over-time.svg"),
      join(dir, "shares.svg"),
    ]);
    const pngDir = join(dir, "png");
    writeCharts(CHARTS.slice(0, 1), { pngDir, scale: 1 });
    expect(readdirSync(pngDir)).toEqual(["latency-over-time.png"]);
    expect(pngSize(join(pngDir, "latency-over-time.png"))).toEqual({ width: 120, height: 40 });
    expect(writeCharts(CHARTS, {})).toEqual([]);
  });

  it("replaces files already there", () => {
    writeFileSync(join(dir, "shares.svg"), "old");
    writeCharts(CHARTS, { svgDir: dir });
    expect(readFileSync(join(dir, "shares.svg"), "utf8")).toBe(CHARTS[1]!.svg);
  });

  it("says a folder that is a file is not a folder, before writing anything", () => {
    const file = join(dir, "charts");
    writeFileSync(file, "");
    const pngDir = join(dir, "png");
    const error = outputError(() => writeCharts(CHARTS, { pngDir, svgDir: file }));
    expect(error.message).toBe(`cannot write into "${file}": "${file}" is not a folder`);
    expect(error).toMatchObject({ option: "svgDir", path: file, code: "ENOTDIR" });
    expect(readdirSync(dir)).toEqual(["charts"]);
  });

  it("says a folder under a file has a part that is not a folder", () => {
    writeFileSync(join(dir, "file"), "");
    const pngDir = join(dir, "file", "png");
    const error = outputError(() => writeCharts(CHARTS, { pngDir }));
    expect(error.message).toBe(`cannot write into "${pngDir}": "${join(dir, "file")}" is not a folder`);
    expect(error).toMatchObject({ option: "pngDir", code: "ENOTDIR" });
  });

  it("says a chart's file name taken by a folder is a folder, and leaves no temp file", () => {
    mkdirSync(join(dir, "shares.svg"));
    const error = outputError(() => writeCharts(CHARTS, { svgDir: dir }));
    expect(error.message).toBe(
      `cannot write into "${join(dir, "shares.svg")}": "${join(dir, "shares.svg")}" is a folder`,
    );
    expect(readdirSync(dir).sort()).toEqual(["latency-over-time.svg", "shares.svg"]);
  });

  // root writes anywhere (CI runs as root), so only another user can see the permission denied.
  it.skipIf(process.getuid?.() === 0)("says a folder it may not write into is not writable", () => {
    const locked = join(dir, "locked");
    mkdirSync(locked, { mode: 0o555 });
    try {
      const error = outputError(() => writeCharts(CHARTS, { svgDir: locked }));
      expect(error.message).toBe(
        `cannot write into "${join(locked, "latency-over-time.svg")}": the folder "${locked}" is not writable`,
      );
      expect(error.code).toBe("EACCES");
      expect(chartDirProblem(join(locked, "deeper"))).toBe(`the folder "${locked}" is not writable`);
      const deeper = join(locked, "a", "b");
      expect(outputError(() => writeCharts(CHARTS, { pngDir: deeper })).message).toBe(
        `cannot write into "${deeper}": the folder "${locked}" is not writable`,
      );
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it("refuses chart names that are not plain file names, or twice the same, as a caller's bug", () => {
    for (const file of ["", "../up", "a/b", ".hidden"]) {
      expect(() => writeCharts([{ file, svg: svg("x") }], { svgDir: dir })).toThrow(/not a plain file name/);
    }
    expect(() => writeCharts([CHARTS[0]!, CHARTS[0]!], { svgDir: dir })).toThrow(
      /both named "latency-over-time"/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("chartDirProblem", () => {
  it("accepts an existing folder and a missing one under a writable folder", () => {
    expect(chartDirProblem(dir)).toBeUndefined();
    expect(chartDirProblem(join(dir, "a", "b"))).toBeUndefined();
    expect(chartDirProblem("charts", dir)).toBeUndefined();
  });

  it("names the file in the way", () => {
    writeFileSync(join(dir, "file"), "");
    expect(chartDirProblem("file", dir)).toBe(`"file" is not a folder`);
    expect(chartDirProblem(join(dir, "file", "charts"))).toBe(`"${join(dir, "file")}" is not a folder`);
  });
});
