// SVG as strings: escaping, elements and the chart's root, so that charts need no DOM to draw.

/** Escapes text for an XML text node or a double-quoted attribute: what the data says is shown, never run. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export type AttributeValue = string | number | boolean | null | undefined;

/** ` a="1" b="x"`: attributes with escaped values; null, undefined and false are left out, true is written empty. */
export function attrs(attributes: Readonly<Record<string, AttributeValue>>): string {
  let out = "";
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (value === true) out += ` ${name}=""`;
    else out += ` ${name}="${escapeXml(typeof value === "number" ? coord(value) : value)}"`;
  }
  return out;
}

/** An element with already-built children (strings from `el`, `text` or `title`); none ⇒ self-closed. */
export function el(
  tag: string,
  attributes: Readonly<Record<string, AttributeValue>>,
  ...children: string[]
): string {
  const open = `<${tag}${attrs(attributes)}`;
  return children.length === 0 ? `${open}/>` : `${open}>${children.join("")}</${tag}>`;
}

/** A `<text>` element whose content is escaped data. */
export function text(content: string, attributes: Readonly<Record<string, AttributeValue>>): string {
  return `<text${attrs(attributes)}>${escapeXml(content)}</text>`;
}

/** A `<title>` child: the exact value a pointer over the element shows (in browsers and SVG viewers). */
export function title(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/**
 * A coordinate or size for an attribute: two decimals at most, no `-0`, so that documents stay
 * small and the same data gives the same bytes.
 */
export function coord(value: number): string {
  if (!Number.isFinite(value)) return "0";
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** The font stack charts use: the PNG export provides the first; browsers fall back on theirs. */
export const FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif";

/** A chart's root: `data-chart` names the chart, `<title>` says what it shows. */
export function svgRoot(
  chart: string,
  size: { readonly width: number; readonly height: number; readonly fontSize: number },
  chartTitle: string,
  ...children: string[]
): string {
  const { width, height, fontSize } = size;
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: `0 0 ${coord(width)} ${coord(height)}`,
      width,
      height,
      role: "img",
      "data-chart": chart,
      "font-family": FONT_FAMILY,
      "font-size": fontSize,
    },
    title(chartTitle),
    el("rect", { class: "background", x: 0, y: 0, width, height, fill: "#ffffff" }),
    ...children,
  );
}
