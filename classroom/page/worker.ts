// The page's Web Worker: holds the Session, runs it on a clock at the chosen speed within a time
// budget per tick (so it runs ahead at ×100 without ever blocking the page), and posts frames.
import { formatIssue, InputError } from "../../errors/index.js";
import type { Scenario } from "../../scenarios/index.js";
import { describeEvent } from "../actions.js";
import { exportScenario } from "../export.js";
import { cfgSource, looksLikeCfg, parseSource, type ScenarioSource } from "../source.js";
import { sessionWithSpare } from "../spare-server.js";
import type { FromWorker, ScenarioInfo, ToWorker } from "./protocol.js";
import { Session } from "./session.js";
import { MAX_SPEED, MIN_SPEED } from "./speeds.js";

/** Wall time between ticks, the work allowed per tick, and between frames posted (≈ 60 per second). */
const TICK_MS = 8;
const BUDGET_MS = 12;
const FRAME_MS = 16;
/** A tick never makes up more wall time than this (a tab in the background, a slow machine). */
const MAX_CATCH_UP_MS = 100;

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: { data: ToWorker }) => void) | null;
}
declare const self: WorkerScope;

let session: Session | undefined;
let source: ScenarioSource | undefined;
let lastTickMs = performance.now();
let lastPostMs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function post(message: FromWorker): void {
  self.postMessage(message);
}

function info(scenario: Scenario, from: ScenarioSource, seed: number): ScenarioInfo {
  const backends = scenario.backends ?? [scenario.backend];
  const several = backends.length > 1;
  return {
    name: scenario.name,
    description: scenario.description,
    file: from.file,
    ...(from.note === undefined ? {} : { note: from.note }),
    seed,
    durationMs: scenario.durationMs,
    warmupMs: scenario.warmupMs,
    servers: backends.flatMap((b) =>
      b.servers.map((s) => ({
        name: several ? `${b.name}/${s.name}` : s.name,
        backend: b.name,
        weight: s.weight,
      })),
    ),
    clients: scenario.clients.map((c) =>
      "ratePerSecond" in c.arrivals
        ? { name: c.name, ratePerSecond: c.arrivals.ratePerSecond }
        : { name: c.name },
    ),
    balance: backends.map((b) => b.balance).join(", "),
    backends: backends.map((b) => ({
      name: b.name,
      balance: b.balance,
      redispatch: b.redispatch === null ? null : b.redispatch.interval,
    })),
    events: scenario.events.map((e) => ({ atMs: e.atMs, text: describeEvent(e) })),
  };
}

function fail(error: unknown): void {
  if (error instanceof InputError) {
    post({ type: "error", message: "The scenario is not valid", problems: error.issues.map(formatIssue) });
  } else {
    post({ type: "error", message: error instanceof Error ? error.message : String(error), problems: [] });
  }
}

function load(given: ScenarioSource, seed: number | undefined, play: boolean): void {
  const scenario = parseSource(given);
  const next = new Session(scenario, seed ?? scenario.seed);
  next.playing = play;
  if (session !== undefined) next.speed = session.speed;
  session = next;
  source = given;
  post({ type: "loaded", info: info(scenario, given, next.seed), frame: next.frame(true) });
}

function tick(): void {
  timer = setTimeout(tick, TICK_MS);
  const startMs = performance.now();
  const wallMs = Math.min(MAX_CATCH_UP_MS, startMs - lastTickMs);
  lastTickMs = startMs;
  const s = session;
  if (s === undefined || !s.playing || s.done) return;
  const targetMs = s.nowMs + wallMs * s.speed;
  // Small steps, so a fast speed stops at the budget instead of running one long slice.
  const sliceMs = Math.max(1, (targetMs - s.nowMs) / 8);
  while (s.nowMs < targetMs && !s.done && performance.now() - startMs < BUDGET_MS)
    s.advanceTo(Math.min(targetMs, s.nowMs + sliceMs));
  if (startMs - lastPostMs >= FRAME_MS || s.done) {
    lastPostMs = startMs;
    post({ type: "frame", frame: s.frame() });
  }
}

function handle(message: ToWorker): void {
  if (message.type === "load") {
    load(message.source, message.seed, message.play);
    return;
  }
  if (message.type === "import") {
    const { file, text, files } = message;
    load(looksLikeCfg(file, text) ? cfgSource(file, text) : { file, text, files }, undefined, true);
    return;
  }
  const s = session;
  if (s === undefined) return;
  switch (message.type) {
    case "play":
      s.playing = true;
      break;
    case "pause":
      s.playing = false;
      break;
    case "step":
      s.playing = false;
      s.advanceTo(s.nowMs + message.ms);
      break;
    case "speed":
      s.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, message.speed));
      break;
    case "apply": {
      post({ type: "applied", applied: s.apply(message.actions) });
      const notices = s.takeNotices();
      const wanted = s.takeWantedSpare();
      if (wanted !== undefined && source === undefined) notices.push(wanted.why);
      if (wanted !== undefined && source !== undefined) {
        // Nothing declared to add: the same run on the scenario with a spare declared (spare-server.ts).
        const spared = sessionWithSpare(s, source, wanted.add);
        if (typeof spared === "string") notices.push(spared);
        else {
          session = spared.session;
          source = spared.source;
          post({
            type: "loaded",
            info: info(session.scenario, source, session.seed),
            frame: session.frame(true),
          });
        }
      }
      // An add with nothing to add, or refused by HAProxy's rules: said, as a problem is.
      if (notices.length > 0) post({ type: "error", message: "Add / remove server", problems: notices });
      post({ type: "frame", frame: (session ?? s).frame() });
      return;
    }
    case "restart":
      if (source !== undefined) load(source, message.seed ?? s.seed, true);
      return;
    case "export":
      if (source !== undefined)
        post({
          type: "exported",
          text: exportScenario(source, s.seed, s.applied),
          fileName: `${s.scenario.name.replace(/[^\w.-]+/g, "-")}-classroom.yaml`,
        });
      return;
  }
  post({ type: "frame", frame: s.frame() });
}

self.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (error) {
    fail(error);
  }
};
if (timer === undefined) tick();
