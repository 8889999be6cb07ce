// The controls panel and the keyboard: server/client choice, the controls (disabled with a
// tooltip when the model cannot do them yet), the pending list with undo/redo, the help overlay.
import { type AppliedAction, describeAction } from "../actions.js";
import { STRATEGY_CHOICES } from "./backend-config.js";
import { COMING, CONTROLS, type Control, PAGE_KEYS } from "./controls.js";
import { byId, el } from "./dom.js";
import type { ScenarioInfo } from "./protocol.js";
import { SPEEDS } from "./speeds.js";
import {
  addPending,
  redo,
  type Settings,
  select,
  selectClient,
  setSetting,
  toggleHelp,
  type UiState,
  undo,
} from "./state.js";

export interface PanelContext {
  update(next: UiState): void;
  isPlaying(): boolean;
  togglePlay(): void;
  step(): void;
  commit(): void;
  setSpeed(speed: number): void;
  setPresenter(on: boolean): void;
  /** The actions that took effect so far (the backend controls show and toggle what they set). */
  applied(): ReadonlyArray<AppliedAction>;
}

const NUMBER_SETTINGS = ["slowFactor", "errorRate", "lossRate", "weight", "ratePerSecond", "stepMs"] as const;

let state: UiState | undefined;
let info: ScenarioInfo | undefined;
let builtFor: ScenarioInfo | undefined;
let context: PanelContext | undefined;

function trigger(control: Control): void {
  if (state === undefined || info === undefined || context === undefined || control.build === undefined)
    return;
  const action = control.build(state, info, context.applied());
  if (action === undefined) return;
  context.update(addPending(state, action));
  // Playing, an action takes effect at once; paused, it waits (undo/redo) for play, step or Enter.
  if (context.isPlaying()) context.commit();
}

function build(ctx: PanelContext, forInfo: ScenarioInfo): void {
  const server = byId<HTMLSelectElement>("server");
  server.replaceChildren(
    ...forInfo.servers.map((s, i) =>
      el("option", { value: String(i) }, `${i < 9 ? `${i + 1}  ` : ""}${s.name}`),
    ),
  );
  server.onchange = () => state && ctx.update(select(state, Number(server.value), forInfo.servers.length));
  const client = byId<HTMLSelectElement>("client");
  client.replaceChildren(...forInfo.clients.map((c, i) => el("option", { value: String(i) }, c.name)));
  client.onchange = () =>
    state && ctx.update(selectClient(state, Number(client.value), forInfo.clients.length));
  for (const key of NUMBER_SETTINGS) {
    const input = byId<HTMLInputElement>(key);
    input.onchange = () => {
      const value = Number(input.value);
      if (state !== undefined && Number.isFinite(value))
        ctx.update(setSetting(state, key, value as Settings[typeof key]));
    };
  }
  const strategy = byId<HTMLSelectElement>("strategy");
  strategy.replaceChildren(...STRATEGY_CHOICES.map((name) => el("option", { value: name }, name)));
  strategy.onchange = () => state && ctx.update(setSetting(state, "strategy", strategy.value));
  byId("controls").replaceChildren(
    ...CONTROLS.map((control) => {
      const coming = control.build === undefined;
      const button = el(
        "button",
        {
          type: "button",
          "data-control": control.id,
          title: coming ? COMING : `${control.help} (${control.key})`,
        },
        `${control.label} [${control.key}]`,
      );
      if (coming) button.setAttribute("disabled", "");
      button.addEventListener("click", () => trigger(control));
      return button;
    }),
  );
  byId("apply").onclick = () => ctx.commit();
  byId("undo").onclick = () => state && ctx.update(undo(state));
  byId("redo").onclick = () => state && ctx.update(redo(state));
  const keys = byId("help-keys").querySelector("tbody");
  keys?.replaceChildren(
    ...[
      ...PAGE_KEYS,
      ...CONTROLS.map(
        (c) => [c.key, c.build === undefined ? `${c.label}: ${COMING}` : `${c.label}: ${c.help}`] as const,
      ),
    ].map(([key, what]) => {
      const row = el("tr");
      row.append(el("th", {}, key), el("td", {}, what));
      return row;
    }),
  );
}

export function renderPanel(next: UiState, nextInfo: ScenarioInfo, ctx: PanelContext): void {
  state = next;
  info = nextInfo;
  context = ctx;
  if (builtFor !== nextInfo) {
    builtFor = nextInfo;
    build(ctx, nextInfo);
  }
  byId<HTMLSelectElement>("server").value = String(next.selected);
  byId<HTMLSelectElement>("client").value = String(next.client);
  for (const key of NUMBER_SETTINGS) {
    const input = byId<HTMLInputElement>(key);
    if (document.activeElement !== input) input.value = String(next.settings[key]);
  }
  byId<HTMLSelectElement>("strategy").value = next.settings.strategy;
  renderStatus(next, nextInfo, ctx.applied());
  byId("pending").replaceChildren(...next.pending.map((a) => el("li", {}, describeAction(a))));
  (byId("undo") as HTMLButtonElement).disabled = next.pending.length === 0;
  (byId("redo") as HTMLButtonElement).disabled = next.undone.length === 0;
  (byId("apply") as HTMLButtonElement).disabled = next.pending.length === 0;
  byId("help").hidden = !next.help;
}

/** The controls that show a status (the backend's algorithm, redispatch on/off) in their label. */
function renderStatus(next: UiState, nextInfo: ScenarioInfo, applied: ReadonlyArray<AppliedAction>): void {
  for (const control of CONTROLS) {
    if (control.status === undefined) continue;
    const button = document.querySelector(`#controls button[data-control="${control.id}"]`);
    const status = control.status(next, nextInfo, applied);
    if (button !== null) {
      button.textContent = `${control.label}: ${status} [${control.key}]`;
      button.setAttribute("data-status", status);
    }
  }
}

function speedStep(current: number, by: 1 | -1): number {
  const i = SPEEDS.findIndex((s) => s >= current);
  const at = i < 0 ? SPEEDS.length - 1 : i;
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + by))] ?? current;
}

export function wireKeys(
  getState: () => UiState,
  getInfo: () => ScenarioInfo | undefined,
  ctx: PanelContext,
): void {
  byId("help-button").addEventListener("click", () => ctx.update(toggleHelp(getState())));
  document.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement | null;
    if (target !== null && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && event.key !== "Escape") return;
    const s = getState();
    const servers = getInfo()?.servers.length ?? 0;
    const clients = getInfo()?.clients.length ?? 0;
    const key = event.key;
    const ctrl = event.ctrlKey || event.metaKey;
    let handled = true;
    if (ctrl && key.toLowerCase() === "z") ctx.update(event.shiftKey ? redo(s) : undo(s));
    else if (ctrl && key.toLowerCase() === "y") ctx.update(redo(s));
    else if (ctrl || event.altKey) handled = false;
    else if (key === " ") ctx.togglePlay();
    else if (key === ".") ctx.step();
    else if (key === "+" || key === "=") ctx.setSpeed(speedStep(s.settings.speed, 1));
    else if (key === "-") ctx.setSpeed(speedStep(s.settings.speed, -1));
    else if (/^[1-9]$/.test(key) && Number(key) <= servers) ctx.update(select(s, Number(key) - 1, servers));
    else if (key === "[" || key === "]") ctx.update(select(s, s.selected + (key === "]" ? 1 : -1), servers));
    else if (key === "{" || key === "}")
      ctx.update(selectClient(s, s.client + (key === "}" ? 1 : -1), clients));
    else if (key === "Enter") ctx.commit();
    else if (key === "u") ctx.update(undo(s));
    else if (key === "U") ctx.update(redo(s));
    else if (key === "f") ctx.setPresenter(!s.settings.presenter);
    else if (key === "?") ctx.update(toggleHelp(s));
    else if (key === "Escape") ctx.update(toggleHelp(s, false));
    else {
      const control = CONTROLS.find((c) => c.key === key);
      if (control === undefined) handled = false;
      else trigger(control);
    }
    if (handled) event.preventDefault();
  });
}
