// Cells the report's tables share: a variant's swatch and name, and figures in their units.
import { formatCount, formatMs, formatShare } from "./axis.js";
import { attrs, escapeXml } from "./svg.js";
import type { SummaryRow, Variant } from "./view.js";

/** A variant's colour swatch: an inline SVG, so it needs no `style` attribute (CSP-friendly). */
export function swatch(color: string): string {
  return `<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2"${attrs({ fill: color })}/></svg>`;
}

/** A variant's name with its swatch, as headers and cells show it. */
export function variantLabel(variant: Variant): string {
  return `${swatch(variant.color)}<span class="variant-name">${escapeXml(variant.name)}</span>`;
}

/** A figure in its unit: `153 ms`, `12,345`, `33.3%`, `214/s`; null ⇒ `-`. */
export function formatValue(value: number | null | undefined, unit: SummaryRow["unit"]): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  switch (unit) {
    case "ms":
      return formatMs(value);
    case "ratio":
      return formatShare(value);
    case "per-second":
      return `${formatCount(value)}/s`;
    default:
      return formatCount(value);
  }
}

/** What the tables show for an unknown figure, as HAProxy's page does. */
export const dash = "-";

/** A count with separators, or `-` when unknown. */
export const num = (value: number | null): string => (value === null ? dash : formatCount(value));
