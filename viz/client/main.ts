// The report page's script: draws every chart from the inlined view JSON, redraws on resize and large type.
import { type ChartSlot, chartSlots } from "../charts/index.js";
import type { ReportView } from "../view.js";
import { attachTooltip } from "./tooltips.js";

/** Base font sizes of the charts (px): normal, and large type for projectors. */
const FONT_SIZE = 12;
const LARGE_FONT_SIZE = 20;
/** Charts never narrower than this (px): below it, the container scrolls sideways. */
const MIN_WIDTH = 320;

function start(): void {
  const source = document.getElementById("view");
  if (source === null) return;
  // JSON.parse only: nothing in the data is ever run as code.
  const view = JSON.parse(source.textContent ?? "{}") as ReportView;
  const slots = new Map(chartSlots(view).map((slot) => [slot.file, slot]));
  const containers = Array.from(document.querySelectorAll<HTMLElement>("div.chart[data-chart-id]"));
  const drawnWidth = new WeakMap<HTMLElement, number>();
  let large = location.hash === "#large";

  const drawAll = (force: boolean): void => {
    for (const container of containers) {
      const slot = slots.get(container.dataset.chartId ?? "");
      if (slot === undefined) continue;
      const width = Math.max(MIN_WIDTH, Math.floor(container.clientWidth));
      if (!force && drawnWidth.get(container) === width) continue;
      drawnWidth.set(container, width);
      draw(container, slot, view, { width, fontSize: large ? LARGE_FONT_SIZE : FONT_SIZE });
    }
  };

  const button = document.getElementById("large-type");
  const apply = (): void => {
    document.documentElement.classList.toggle("large", large);
    button?.setAttribute("aria-pressed", String(large));
    drawAll(true);
  };
  if (button !== null) {
    button.hidden = false;
    button.addEventListener("click", () => {
      large = !large;
      setFragment(large ? "#large" : "");
      apply();
    });
  }
  // `#large` in the address turns it on (a link to the report for a projector); other fragments
  // are the table of contents' anchors and leave it as it is.
  window.addEventListener("hashchange", () => {
    if (location.hash === "#large" && !large) {
      large = true;
      apply();
    }
  });
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => drawAll(false));
  });
  document.documentElement.classList.add("scripted");
  apply();
}

/** Draws one chart into its container, parsed as SVG (XML), never as HTML. */
function draw(
  container: HTMLElement,
  slot: ChartSlot,
  view: ReportView,
  options: { width: number; fontSize: number },
): void {
  let svg: Element;
  try {
    const parsed = new DOMParser().parseFromString(slot.draw(options), "image/svg+xml");
    if (parsed.getElementsByTagName("parsererror").length > 0)
      throw new Error("the chart is not well-formed SVG");
    svg = document.importNode(parsed.documentElement, true);
  } catch (error) {
    const message = document.createElement("p");
    message.className = "chart-error";
    message.textContent = `This chart could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    container.replaceChildren(message);
    return;
  }
  container.replaceChildren(svg);
  attachTooltip(container, svg as SVGSVGElement, slot, view);
}

/** Sets or clears the address's fragment without scrolling or a history entry (file:// too). */
function setFragment(fragment: string): void {
  const url = `${location.pathname}${location.search}${fragment}`;
  try {
    history.replaceState(null, "", url);
  } catch {
    location.hash = fragment;
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
