// png: a chart's SVG string to PNG bytes with @resvg/resvg-js, drawn in the Inter font lbsim ships, so a PNG is the same on every machine.
import { createRequire } from "node:module";
import { type RenderedImage, Resvg } from "@resvg/resvg-js";

/**
 * The one family every PNG's text is drawn in, whatever `font-family` the SVG names: the system's
 * fonts are never loaded (they differ between machines, and so would the PNGs), and resvg falls
 * back to the default family for a name it does not have (`sans-serif`, `Helvetica`, `system-ui`).
 */
export const PNG_FONT_FAMILY = "Inter";

/** Default zoom: 2 device pixels per SVG pixel, sharp on slides and high-density screens. */
export const DEFAULT_PNG_SCALE = 2;
/** Beyond this a chart is tens of megapixels; a typo rather than a wish. */
const MAX_SCALE = 8;

const require = createRequire(import.meta.url);
/**
 * Inter as TTF (resvg reads TTF/OTF, not WOFF2) from @expo-google-fonts/inter (SIL OFL 1.1):
 * regular, italic, semi-bold and bold, the weights charts use.
 */
const FONT_FILES: ReadonlyArray<string> = [
  "400Regular/Inter_400Regular.ttf",
  "400Regular_Italic/Inter_400Regular_Italic.ttf",
  "600SemiBold/Inter_600SemiBold.ttf",
  "700Bold/Inter_700Bold.ttf",
].map((file) => require.resolve(`@expo-google-fonts/inter/${file}`));

export interface PngOptions {
  /** Device pixels per SVG pixel (default 2): the PNG is scale × the SVG's width and height. */
  readonly scale?: number;
}

/** Renders `svg` to raw RGBA pixels (what the PNG holds); `svgToPng` encodes this same image. */
export function renderSvg(svg: string, options: PngOptions = {}): RenderedImage {
  const scale = options.scale ?? DEFAULT_PNG_SCALE;
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
    throw new RangeError(`PNG scale must be above 0 and at most ${MAX_SCALE}, got ${scale}`);
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    // Charts leave their background transparent; a slide or a dark viewer would hide black text.
    background: "white",
    font: {
      fontFiles: [...FONT_FILES],
      loadSystemFonts: false,
      defaultFontFamily: PNG_FONT_FAMILY,
      sansSerifFamily: PNG_FONT_FAMILY,
      serifFamily: PNG_FONT_FAMILY,
      monospaceFamily: PNG_FONT_FAMILY,
      cursiveFamily: PNG_FONT_FAMILY,
      fantasyFamily: PNG_FONT_FAMILY,
    },
    logLevel: "off",
  });
  return resvg.render();
}

/** One chart's SVG as PNG bytes, `scale` × its size; the same SVG gives byte-identical bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  return Buffer.from(renderSvg(svg, options).asPng());
}
