// The classroom page: starts the worker with the given scenario (or a demo), draws its frames on
// animation frames, and turns buttons and keys into pending actions, play/pause/step and export.
import { type AppliedAction, describeAction } from "../actions.js";
import type { ScenarioSource } from "../source.js";
import { byId, el, seconds } from "./dom.js";
import type { LiveSeries } from "./live-series.js";
import { renderPanel, wireKeys } from "./panel.js";
import type { Demo, FromWorker, ScenarioInfo, ToWorker } from "./protocol.js";
import { wireSeed } from "./seed.js";
import type { Frame } from "./session.js";
import { ABSENT } from "./session-membership.js";
import { SPEEDS } from "./speeds.js";
import { INITIAL_STATE, reset, setSeed, setSetting, takePending, type UiState } from "./state.js";
import { createLiveCharts, createTopology } from "./views.js";

/** What a browser test reads: frame times, the last export, frames drawn. */
interface Probe {
  frameTimesMs: number[];
  framesDrawn: number;
  lastExport?: string;
  nowMs: number;
}
const probe: Probe = { frameTimesMs: [], framesDrawn: 0, nowMs: 0 };
(window as unknown as { lbsimClassroom: Probe }).lbsimClassroom = probe;

const worker = new Worker("/worker.js");
let state: UiState = INITIAL_STATE;
let info: ScenarioInfo | undefined;
let latest: Frame | undefined;
let drawnFrame: Frame | undefined;
/** The last series a frame carried, and what the charts last drew (series and marks). */
let series: LiveSeries | undefined;
let chartsDrawn: { series: LiveSeries | undefined; marks: number; atWallMs: number } = {
  series: undefined,
  marks: -1,
  atWallMs: Number.NEGATIVE_INFINITY,
};
/** Wall-clock time between two redraws of the charts. */
const CHART_REDRAW_MS = 500;
let playing = true;
let demos: ReadonlyArray<Demo> = [];
let lastDrawMs = performance.now();

const topology = createTopology(byId("topology"), { large: false });
const charts = createLiveCharts(byId("charts"), { large: false });

function send(message: ToWorker): void {
  worker.postMessage(message);
}

/** A new seed restarts the run from 0 s with it (the actions done are gone, as on Restart). */
const seedField = wireSeed(
  byId<HTMLInputElement>("seed"),
  () => state.seed,
  (seed) => {
    update(setSeed(state, seed));
    byId("applied").replaceChildren();
    send({ type: "restart", seed });
  },
);

/** Hands the pending actions to the worker: they take effect at the simulated time now. */
function commit(): void {
  if (state.pending.length === 0) return;
  send({ type: "apply", actions: state.pending });
  update(takePending(state));
}

const actions = {
  togglePlay(): void {
    playing = !playing;
    if (playing) commit();
    send({ type: playing ? "play" : "pause" });
    renderTransport();
  },
  step(): void {
    playing = false;
    commit();
    send({ type: "step", ms: state.settings.stepMs });
    renderTransport();
  },
  commit,
  setSpeed(speed: number): void {
    update(setSetting(state, "speed", speed));
    send({ type: "speed", speed });
    renderTransport();
  },
  setPresenter(on: boolean): void {
    update(setSetting(state, "presenter", on));
    document.body.classList.toggle("presenter", on);
    byId("presenter").setAttribute("aria-pressed", String(on));
    topology.setLarge(on);
    charts.setLarge(on);
    topology.resize();
  },
  applied: (): ReadonlyArray<AppliedAction> => latest?.applied ?? [],
};

function update(next: UiState): void {
  state = next;
  if (info !== undefined) renderPanel(state, info, { update, isPlaying: () => playing, ...actions });
}

function showProblems(title: string, problems: ReadonlyArray<string>): void {
  byId("problems").hidden = false;
  byId("problems-title").textContent = title;
  byId("problems-list").replaceChildren(...problems.map((p) => el("li", {}, p)));
}

function download(text: string, fileName: string): void {
  probe.lastExport = text;
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const link = el("a", { href: url, download: fileName });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case "loaded":
      info = message.info;
      byId("problems").hidden = true;
      byId("title").textContent = `${info.name} (${info.file}, seed ${info.seed}, ${info.balance})`;
      byId("note").textContent = info.note ?? "";
      latest = message.frame;
      series = message.frame.series;
      playing = message.frame.playing;
      update(setSeed(reset(state), info.seed));
      seedField.show(info.seed);
      renderTransport();
      break;
    case "frame":
      latest = message.frame;
      series = message.frame.series ?? series;
      break;
    case "applied":
      break;
    case "exported":
      download(message.text, message.fileName);
      break;
    case "error":
      showProblems(message.message, message.problems);
      break;
  }
};
worker.onerror = (event) => showProblems("The simulation stopped", [event.message]);

function renderTransport(): void {
  byId("play").textContent = playing ? "Pause" : "Play";
  byId<HTMLSelectElement>("speed").value = String(state.settings.speed);
}

/** What the counts table shows now, to rebuild it only when it changes. */
let countsShown = "";

function renderCounts(frame: Frame): void {
  const key = frame.snapshot.servers
    .map((s) => `${s.name}\u0000${s.state}\u0000${frame.serverRequests[s.name]}`)
    .join("\u0001");
  if (key === countsShown) return;
  countsShown = key;
  const total = Object.values(frame.serverRequests).reduce((a, b) => a + b, 0);
  const rows = frame.snapshot.servers.map((s) => {
    const requests = frame.serverRequests[s.name] ?? 0;
    const row = el("tr", { "data-server": s.name, "data-state": s.state.split(" ")[0] ?? "" });
    row.append(
      el("td", { class: "name" }, s.name),
      el("td", { class: "state" }, s.state),
      el("td", { class: "requests" }, String(requests)),
      el("td", { class: "share" }, total === 0 ? "–" : `${((100 * requests) / total).toFixed(1)}%`),
    );
    return row;
  });
  byId("counts")
    .querySelector("tbody")
    ?.replaceChildren(...rows);
}

function renderApplied(applied: ReadonlyArray<AppliedAction>): void {
  const list = byId("applied");
  if (list.childElementCount === applied.length) return;
  list.replaceChildren(
    ...applied.map((a) => el("li", {}, `${seconds(a.atMs)}  ${describeAction(a.action)}`)),
  );
  // The backend controls' labels follow what took effect (redispatch on/off, the algorithm).
  update(state);
}

function draw(frame: Frame, dtMs: number): void {
  const { snapshot } = frame;
  probe.nowMs = snapshot.nowMs;
  probe.framesDrawn += 1;
  const clock = byId("clock");
  clock.textContent = `${seconds(snapshot.nowMs)} / ${seconds(snapshot.durationMs)}${snapshot.done ? " (end)" : ""}`;
  clock.dataset.nowMs = String(snapshot.nowMs);
  if (snapshot.done && playing) {
    playing = false;
    renderTransport();
  }
  // Each server with `served` (finished so far, warm-up included): the drawing's exact rates.
  // A server not in the backend (never added, or deleted) is not drawn: it appears when added.
  const servers = snapshot.servers
    .filter((s) => s.state !== ABSENT)
    .map((s) => ({ ...s, served: frame.served[s.name] ?? 0 }));
  topology.update({ ...snapshot, servers }, dtMs);
  renderCounts(frame);
  renderApplied(frame.applied);
}

/**
 * The charts redraw whole, so at most twice a second (at ×100 a bucket closes every frame), at
 * once for a new mark; checked on every animation frame, so the last series is drawn too.
 */
function drawCharts(frame: Frame): void {
  if (series === undefined) return;
  // The scenario's own events that happened, then the class's actions, in time order.
  const marks = [
    ...(info?.events ?? []).filter((e) => e.atMs <= frame.snapshot.nowMs),
    ...frame.applied.map((a) => ({ atMs: a.atMs, text: describeAction(a.action) })),
  ].sort((a, b) => a.atMs - b.atMs);
  const nowWallMs = performance.now();
  const newMark = marks.length !== chartsDrawn.marks;
  const newSeries = series !== chartsDrawn.series && nowWallMs - chartsDrawn.atWallMs >= CHART_REDRAW_MS;
  if (!newMark && !newSeries) return;
  chartsDrawn = { series, marks: marks.length, atWallMs: nowWallMs };
  charts.update(series, marks, Object.fromEntries(frame.snapshot.servers.map((s) => [s.name, s.weight])));
}

function animate(nowMs: number): void {
  const dtMs = nowMs - lastDrawMs;
  lastDrawMs = nowMs;
  probe.frameTimesMs.push(dtMs);
  if (probe.frameTimesMs.length > 600) probe.frameTimesMs.shift();
  if (latest !== undefined && latest !== drawnFrame) {
    drawnFrame = latest;
    draw(latest, dtMs);
  }
  if (drawnFrame !== undefined) drawCharts(drawnFrame);
  requestAnimationFrame(animate);
}

/** `#paused` in the address: open without playing (screenshots, a teacher who wants to start it). */
let startPlaying = true;

function loadSource(source: ScenarioSource, caption = "", question = ""): void {
  byId("caption").textContent = caption;
  byId("question").textContent = question === "" ? "" : `Ask the class: ${question}`;
  byId("applied").replaceChildren();
  send({ type: "load", source, play: startPlaying });
}

function loadDemo(id: string): void {
  const demo = demos.find((d) => d.id === id);
  if (demo !== undefined) loadSource(demo.source, demo.caption, demo.question);
}

async function importFiles(list: FileList): Promise<void> {
  const files = await Promise.all(
    Array.from(list).map(async (f) => ({ name: f.name, text: await f.text() })),
  );
  const main = files.find((f) => /\.(ya?ml|json)$/i.test(f.name)) ?? files[0];
  if (main === undefined) return;
  const others = Object.fromEntries(files.filter((f) => f !== main).map((f) => [f.name, f.text]));
  byId("caption").textContent = "";
  byId("question").textContent = "";
  send({ type: "import", file: main.name, text: main.text, files: others });
}

function wireBar(): void {
  const speed = byId<HTMLSelectElement>("speed");
  speed.replaceChildren(...SPEEDS.map((s) => el("option", { value: String(s) }, `×${s}`)));
  speed.addEventListener("change", () => actions.setSpeed(Number(speed.value)));
  byId("play").addEventListener("click", actions.togglePlay);
  byId("step").addEventListener("click", actions.step);
  byId("export").addEventListener("click", () => send({ type: "export" }));
  byId("presenter").addEventListener("click", () => actions.setPresenter(!state.settings.presenter));
  byId("restart").addEventListener("click", () => {
    byId("applied").replaceChildren();
    send({ type: "restart" });
  });
  const input = byId<HTMLInputElement>("import");
  input.addEventListener("change", () => {
    if (input.files !== null) void importFiles(input.files);
    input.value = "";
  });
  const select = byId<HTMLSelectElement>("demos");
  select.addEventListener("change", () => loadDemo(select.value));
}

async function boot(): Promise<void> {
  wireBar();
  wireKeys(
    () => state,
    () => info,
    { update, isPlaying: () => playing, ...actions },
  );
  const [given, demoList] = await Promise.all([
    fetch("/scenario").then((r) => r.json() as Promise<{ source: ScenarioSource | null }>),
    fetch("/demos.json").then((r) => r.json() as Promise<Demo[]>),
  ]);
  demos = demoList;
  const select = byId<HTMLSelectElement>("demos");
  select.replaceChildren(
    el("option", { value: "" }, "Demos…"),
    ...demos.map((d) => el("option", { value: d.id }, d.title)),
  );
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("presenter")) actions.setPresenter(true);
  startPlaying = !hash.has("paused");
  const wanted = hash.get("demo");
  if (given.source !== null && wanted === null) {
    loadSource(given.source);
  } else {
    const id = wanted ?? demos[0]?.id ?? "";
    select.value = id;
    loadDemo(id);
  }
  requestAnimationFrame(animate);
}

void boot().catch((error: unknown) => showProblems("The page could not start", [String(error)]));
