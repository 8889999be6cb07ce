// Tooltips of the time charts: a crosshair following the pointer and a box with the bucket's exact values.
import type { ChartSlot } from "../charts/index.js";
import type { ReportView } from "../view.js";
import { tooltipAt } from "./tooltip-text.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const TIME_CHARTS: ReadonlySet<string> = new Set([
  "latency-over-time",
  "errors-over-time",
  "server-load",
  "health",
]);

/**
 * Adds the crosshair and tooltip to a freshly drawn time chart; other charts keep the `<title>`
 * tooltips their functions wrote. The plot's `data-x-domain` (ms) and `data-x-range` (px) map the
 * pointer to a time; the text comes from the view, set with textContent (never parsed as HTML).
 */
export function attachTooltip(
  container: HTMLElement,
  svg: SVGSVGElement,
  slot: ChartSlot,
  view: ReportView,
): void {
  if (!TIME_CHARTS.has(slot.chart)) return;
  const plot = svg.querySelector("g.plot[data-x-domain][data-x-range]");
  if (plot === null) return;
  const [fromMs, toMs] = pair(plot.getAttribute("data-x-domain"));
  const [x0, x1] = pair(plot.getAttribute("data-x-range"));
  if (!(toMs > fromMs && x1 > x0)) return;
  const viewWidth = svg.viewBox.baseVal?.width || Number(svg.getAttribute("width")) || x1;
  const viewHeight = svg.viewBox.baseVal?.height || Number(svg.getAttribute("height")) || 0;
  const xOf = (atMs: number) => x0 + ((atMs - fromMs) / (toMs - fromMs)) * (x1 - x0);

  const crosshair = document.createElementNS(SVG_NS, "line");
  crosshair.setAttribute("class", "crosshair");
  crosshair.setAttribute("visibility", "hidden");
  crosshair.setAttribute("pointer-events", "none");
  svg.appendChild(crosshair);
  const tip = document.createElement("div");
  tip.className = "tooltip";
  tip.hidden = true;
  tip.setAttribute("role", "status");
  container.appendChild(tip);

  const hide = () => {
    crosshair.setAttribute("visibility", "hidden");
    tip.hidden = true;
  };
  svg.addEventListener("pointerleave", hide);
  svg.addEventListener("pointermove", (event) => {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) return;
    const x = (event.clientX - box.left) * (viewWidth / box.width);
    if (x < x0 || x > x1) return hide();
    const found = tooltipAt(slot, view, fromMs + ((x - x0) / (x1 - x0)) * (toMs - fromMs));
    if (found === null) return hide();
    const [lineTop, lineBottom] = plotSpan(svg, plot as SVGGraphicsElement, viewHeight);
    const at = xOf((found.fromMs + found.toMs) / 2);
    crosshair.setAttribute("x1", String(at));
    crosshair.setAttribute("x2", String(at));
    crosshair.setAttribute("y1", String(lineTop));
    crosshair.setAttribute("y2", String(lineBottom));
    crosshair.setAttribute("visibility", "visible");
    tip.textContent = found.lines.join("\n");
    tip.hidden = false;
    const area = container.getBoundingClientRect();
    const left = event.clientX - area.left + container.scrollLeft;
    const top = event.clientY - area.top;
    // Beside the pointer, on the side with room.
    const flip = left + tip.offsetWidth + 16 > container.clientWidth + container.scrollLeft;
    tip.style.left = `${Math.max(0, flip ? left - tip.offsetWidth - 12 : left + 12)}px`;
    tip.style.top = `${Math.max(0, top + 12)}px`;
  });
}

/** The plot's height: along its y axis's line when it has one, else its drawn extent, else the whole chart. */
function plotSpan(svg: SVGSVGElement, plot: SVGGraphicsElement, viewHeight: number): [number, number] {
  const axis = svg.querySelector("g.axis-y line");
  const y1 = Number(axis?.getAttribute("y1"));
  const y2 = Number(axis?.getAttribute("y2"));
  if (axis !== null && Number.isFinite(y1) && Number.isFinite(y2) && y1 !== y2)
    return [Math.min(y1, y2), Math.max(y1, y2)];
  const box = plot.getBBox();
  return box.height > 0 ? [box.y, box.y + box.height] : [0, viewHeight];
}

function pair(text: string | null): [number, number] {
  const [a, b] = (text ?? "").trim().split(/\s+/).map(Number);
  return [a ?? Number.NaN, b ?? Number.NaN];
}
