// The requests drawn moving: a fixed pool of circles (at most DOT_CAP, never one element per request) moved along their routes on each animation frame while any travels or is due; the routes and rates come from the topology's layout and snapshots.
import { setAttr, svgElement } from "./svg-dom.js";
import { DOT_CAP, DotField, type DotRoute, dotPoint } from "./topology-dots.js";
import type { ViewStyle } from "./view-style.js";

export interface DotLayer {
  readonly group: SVGGElement;
  /** New routes, one per row; `newRow[old]` is the new row of a dot in flight toward `old` (−1 drops it). */
  route(routes: ReadonlyArray<DotRoute>, newRow: ReadonlyArray<number>): void;
  /** Dots per wall-clock second toward each row until `untilMs` (then none leave: paused). */
  send(dotsPerSecond: ReadonlyArray<number>, untilMs: number): void;
  restyle(style: ViewStyle): void;
  destroy(): void;
}

export function createDotLayer(initialStyle: ViewStyle): DotLayer {
  const group = svgElement("g", { class: "dots" });
  const field = new DotField(DOT_CAP);
  const pool: SVGCircleElement[] = [];
  let routes: ReadonlyArray<DotRoute> = [];
  let style = initialStyle;
  let frame = 0;
  let destroyed = false;

  const draw = (nowMs: number): void => {
    while (pool.length < field.count) {
      const dot = svgElement("circle", { r: style.dotRadius, fill: style.dot, visibility: "hidden" });
      pool.push(dot);
      group.appendChild(dot);
    }
    for (let i = 0; i < pool.length; i++) {
      const dot = pool[i]!;
      const route = i < field.count ? routes[field.row[i]!] : undefined;
      if (route === undefined) {
        setAttr(dot, "visibility", "hidden");
        continue;
      }
      const p = dotPoint(route, field.progress(i, nowMs));
      setAttr(dot, "visibility", p.visible ? "visible" : "hidden");
      setAttr(dot, "cx", p.x);
      setAttr(dot, "cy", p.y);
    }
  };

  const tick = (nowMs: number): void => {
    frame = 0;
    if (destroyed) return;
    const live = field.step(nowMs);
    draw(nowMs);
    if (live || field.hasRates(nowMs)) frame = requestAnimationFrame(tick);
  };

  const schedule = (): void => {
    if (frame === 0 && !destroyed) frame = requestAnimationFrame(tick);
  };

  return {
    group,
    route(next, newRow) {
      routes = next;
      field.remap(newRow);
      schedule();
    },
    send(dotsPerSecond, untilMs) {
      field.setRates(dotsPerSecond, untilMs);
      schedule();
    },
    restyle(next) {
      style = next;
      for (const dot of pool) {
        setAttr(dot, "r", style.dotRadius);
        setAttr(dot, "fill", style.dot);
      }
      schedule();
    },
    destroy() {
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
