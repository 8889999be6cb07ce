// png.spec: PNG size and format, text drawn in the shipped font (not the system's), byte-identical output.
import { describe, expect, it } from "vitest";
import { renderSvg, svgToPng } from "./png.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 240×60 chart-like SVG whose only ink is `label` at (10, 40) in the given font-family. */
function textSvg(label: string, fontFamily = "sans-serif"): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 60" width="240" height="60" role="img">` +
    `<title>t</title><text x="10" y="40" font-family="${fontFamily}" font-size="24">${label}</text></svg>`
  );
}

/** Width and height from the IHDR chunk, which a valid PNG has first, right after the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  expect(png.subarray(png.length - 8, png.length - 4).toString("latin1")).toBe("IEND");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Pixels in the box [x0, x1) × [y0, y1) (device pixels) that are not the white background. */
function inkIn(svg: string, scale: number, box: { x0: number; y0: number; x1: number; y1: number }): number {
  const image = renderSvg(svg, { scale });
  const pixels = image.pixels;
  let ink = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * image.width + x) * 4;
      if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) ink++;
    }
  }
  return ink;
}

describe("svgToPng", () => {
  it("is a valid PNG of scale × the viewBox", () => {
    expect(pngSize(svgToPng(textSvg("12 ms"), { scale: 1 }))).toEqual({ width: 240, height: 60 });
    expect(pngSize(svgToPng(textSvg("12 ms"), { scale: 3 }))).toEqual({ width: 720, height: 180 });
  });

  it("draws at 2 device pixels per SVG pixel by default", () => {
    expect(pngSize(svgToPng(textSvg("12 ms")))).toEqual({ width: 480, height: 120 });
  });

  it("draws the text, on white, and nothing where there is no text", () => {
    // The label's box: from x=10, baseline 40, 24 px type (cap height ~17 px), at scale 2.
    const textBox = { x0: 20, y0: 40, x1: 300, y1: 84 };
    const ink = inkIn(textSvg("p99 latency 12 ms"), 2, textBox);
    // A 24 px string of 17 glyphs at 2× covers thousands of device pixels, not a stray few.
    expect(ink).toBeGreaterThan(1500);
    expect(inkIn(textSvg(""), 2, textBox)).toBe(0);
    expect(inkIn(textSvg("p99 latency 12 ms"), 2, { x0: 0, y0: 90, x1: 480, y1: 120 })).toBe(0);
  });

  it("draws a family it does not have in the shipped font, not in none", () => {
    const box = { x0: 0, y0: 0, x1: 240, y1: 60 };
    const named = textSvg("Hello", "Inter");
    for (const family of [
      "NoSuchFont",
      "Helvetica Neue, Arial, sans-serif",
      "system-ui",
      "monospace",
      "serif",
    ]) {
      expect(inkIn(textSvg("Hello", family), 1, box)).toBeGreaterThan(100);
      expect(svgToPng(textSvg("Hello", family), { scale: 1 }).equals(svgToPng(named, { scale: 1 }))).toBe(
        true,
      );
    }
  });

  it("ignores the system's fonts: a family installed on the machine draws as the shipped one", () => {
    // DejaVu Sans is on most Linux machines (Debian: fonts-dejavu-core); loading system fonts would
    // draw it with visibly different glyphs, and a PNG would depend on the machine.
    const system = svgToPng(textSvg("Hello 0123", "DejaVu Sans"), { scale: 1 });
    expect(system.equals(svgToPng(textSvg("Hello 0123", "Inter"), { scale: 1 }))).toBe(true);
  });

  it("gives byte-identical PNGs for the same SVG", () => {
    const svg = textSvg("web01 &lt;img&gt; 99.9%");
    const first = svgToPng(svg);
    expect(svgToPng(svg).equals(first)).toBe(true);
    expect(svgToPng(textSvg("web02 &lt;img&gt; 99.9%")).equals(first)).toBe(false);
  });

  it("refuses a scale that is not a positive zoom of at most 8", () => {
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 9]) {
      expect(() => svgToPng(textSvg("x"), { scale })).toThrow(RangeError);
    }
  });
});
