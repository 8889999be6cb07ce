// Test support for the chart specs: reading attributes and checking that a drawing stays inside its viewBox.
import { textWidth } from "./variant-legend.js";

export const HOSTILE = "<img src=x onerror=alert(1)>";
export const HOSTILE_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";

/** Every element `<tag …>` whose attributes match `filter`, as attribute maps. */
export function elements(
  svg: string,
  tag: string,
  filter: Record<string, string> = {},
): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attributes: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[a[1]!] = a[2]!;
    if (Object.entries(filter).every(([k, v]) => attributes[k] === v)) out.push(attributes);
  }
  return out;
}

/** The viewBox's width and height. */
export function viewBox(svg: string): { width: number; height: number } {
  const m = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) throw new Error("no viewBox");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/**
 * What lies outside the viewBox: every coordinate attribute, and each text's estimated extent
 * (by its anchor), so that large type cannot push a label off the picture unnoticed.
 */
export function outsideViewBox(svg: string): string[] {
  const { width, height } = viewBox(svg);
  const problems: string[] = [];
  for (const m of svg.matchAll(/<(\w+)\b([^>]*?)\/?>(?:([^<]*)<\/text>)?/g)) {
    const tag = m[1]!;
    if (tag === "svg" || /\btransform="/.test(m[2]!)) continue;
    const a: Record<string, number> = {};
    for (const at of m[2]!.matchAll(/\b(x|y|x1|x2|y1|y2|cx|cy|width|height)="(-?[\d.]+)"/g))
      a[at[1]!] = Number(at[2]);
    for (const k of ["x", "x1", "x2", "cx"])
      if (a[k] !== undefined && (a[k]! < -0.5 || a[k]! > width + 0.5)) problems.push(`${tag} ${k}=${a[k]}`);
    for (const k of ["y", "y1", "y2", "cy"])
      if (a[k] !== undefined && (a[k]! < -0.5 || a[k]! > height + 0.5)) problems.push(`${tag} ${k}=${a[k]}`);
    if (tag === "rect" && a.x !== undefined && a.width !== undefined && a.x + a.width > width + 0.5)
      problems.push(`rect right edge ${a.x + a.width}`);
    if (tag === "text" && m[3] !== undefined && a.x !== undefined) {
      const fontSize = Number(
        /font-size="([\d.]+)"/.exec(m[2]!)?.[1] ?? /font-size="([\d.]+)"/.exec(svg)![1],
      );
      const w = textWidth(m[3].replace(/&[a-z#0-9]+;/g, "_"), fontSize);
      const anchor = /text-anchor="(\w+)"/.exec(m[2]!)?.[1] ?? "start";
      const from = anchor === "end" ? a.x - w : anchor === "middle" ? a.x - w / 2 : a.x;
      if (from < -0.5 || from + w > width + 0.5) problems.push(`text "${m[3]}" spans ${from}..${from + w}`);
    }
  }
  return problems;
}
