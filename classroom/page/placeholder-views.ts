// Stand-ins for the D3 topology and live charts (classroom-view's topology.ts and live-charts.ts),
// behind the same interfaces: a plain table of the snapshot and the last second's figures.
import type { Snapshot } from "../../sim/index.js";
import type { LiveSeries } from "./live-series.js";

export interface Topology {
  update(snapshot: Snapshot, dtMs: number): void;
  resize(): void;
  setLarge(large: boolean): void;
  destroy(): void;
}

export interface LiveCharts {
  update(
    series: LiveSeries,
    actions: ReadonlyArray<{ readonly atMs: number; readonly text: string }>,
    weights?: Readonly<Record<string, number>>,
  ): void;
  setLarge(large: boolean): void;
  destroy(): void;
}

function cell(row: HTMLTableRowElement, text: string): void {
  const td = row.insertCell();
  td.textContent = text;
}

export function createTopology(container: HTMLElement, _options: { readonly large: boolean }): Topology {
  const table = document.createElement("table");
  table.className = "placeholder-topology";
  container.appendChild(table);
  return {
    update(snapshot) {
      table.replaceChildren();
      const head = table.createTHead().insertRow();
      for (const title of ["server", "state", "in flight", "queued", "health", "chkfail", "weight"])
        cell(head, title);
      const body = table.createTBody();
      for (const s of snapshot.servers) {
        const row = body.insertRow();
        for (const text of [
          s.name,
          s.state,
          String(s.inFlight),
          String(s.queued),
          `${s.health}/${s.rise + s.fall - 1}`,
          String(s.checksFailed),
          String(s.weight),
        ])
          cell(row, text);
      }
      for (const b of snapshot.backends) cell(body.insertRow(), `backend ${b.name} queue: ${b.queued}`);
    },
    resize() {},
    setLarge() {},
    destroy() {
      table.remove();
    },
  };
}

export function createLiveCharts(container: HTMLElement, _options: { readonly large: boolean }): LiveCharts {
  const line = document.createElement("p");
  line.className = "placeholder-charts";
  container.appendChild(line);
  return {
    update(series) {
      const i = series.atMs.length - 1;
      line.textContent =
        i < 0
          ? "no complete second yet"
          : `${series.atMs[i]! / 1000}–${(series.atMs[i]! + series.bucketMs) / 1000} s: ${series.requests[i]} requests, ` +
            `p50 ${series.p50Ms[i]!.toFixed(1)} ms, p90 ${series.p90Ms[i]!.toFixed(1)} ms, p99 ${series.p99Ms[i]!.toFixed(1)} ms, ${series.errors[i]} errors`;
    },
    setLarge() {},
    destroy() {
      line.remove();
    },
  };
}
