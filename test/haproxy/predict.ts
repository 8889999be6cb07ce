// predict: lbsim's answers for the steps the harness plays on HAProxy, driving the strategy as sim/ does.
//
// Sequential traffic: each request is `pick`ed, then `taken` and `released` before the next step.
// Runtime commands are parsed by scenarios' parser and applied as sim/model/timeline.ts does (maint,
// drain and weight flags; `ready` clears both), then the usability rule of sim/run.ts `refresh`:
// usable = not maint, not drain, weight > 0; effectiveWeight = weight × 16, 0 when unusable (no
// checks, no slowstart here); a change of usability is serverUp/serverDown, a change of the
// effective weight while usable is weightChanged. The FakeModel of strategies/test-support.ts owns
// the ServerViews and the strategy.

import { parseRuntimeCommand } from "../../scenarios/index.js";
import { type HashTypeSettings, parseHashType } from "../../strategies/hash-type.js";
import { resolveStrategy, type StrategyFactory } from "../../strategies/index.js";
import { FakeModel } from "../../strategies/test-support.js";
import { BACKEND, type BackendConfig, NOSRV, type RequestStep, type Step } from "./harness.js";

const WEIGHT_SCALE = 16;

/** Thrown when resolveStrategy does not know the `balance` value. */
export class MissingStrategy extends Error {}

export function ipv4Key(address: string): number {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((n) => !(Number.isInteger(n) && n >= 0 && n <= 255)))
    throw new Error(`not IPv4: ${address}`);
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function requestView(step: RequestStep) {
  return { sourceIp: step.source, sourceKey: ipv4Key(step.source), path: step.path, host: step.host ?? "" };
}

/** lbsim's answer per step: a server name or `<NOSRV>` for a request, "" for an applied command. */
export function predict(
  backend: BackendConfig,
  steps: ReadonlyArray<Step>,
  seed = 1,
  random?: () => number,
): string[] {
  const resolved = resolveStrategy(backend.balance);
  if (resolved === undefined) {
    throw new MissingStrategy(
      `lbsim has no strategy "${backend.balance}" (resolveStrategy returned undefined)`,
    );
  }
  // `random` replaces the strategy's seeded stream (to replay HAProxy's own PRNG).
  const factory: StrategyFactory =
    random === undefined ? resolved : (servers, context) => resolved(servers, { ...context, random });
  const model = new FakeModel(
    factory,
    backend.servers.map((s) => ({ weight: s.weight ?? 1, id: s.id, maxconn: s.maxconn })),
    { ...hashSettings(backend.hashType ?? "map-based"), seed },
  );
  const names = backend.servers.map((s) => s.name);
  const ids = model.servers.map((s) => s.id);
  const maint = names.map(() => false);
  const drain = names.map(() => false);
  const usable = model.servers.map((s) => s.weight > 0);

  const refresh = (i: number): void => {
    const view = model.servers[i]!;
    const nowUsable = !maint[i] && !drain[i] && view.weight > 0;
    const effective = nowUsable ? view.weight * WEIGHT_SCALE : 0;
    if (nowUsable !== usable[i]) {
      usable[i] = nowUsable;
      view.effectiveWeight = effective;
      if (nowUsable) model.strategy.serverUp(view);
      else model.strategy.serverDown(view);
    } else if (nowUsable && effective !== view.effectiveWeight) {
      view.effectiveWeight = effective;
      model.strategy.weightChanged(view);
    }
  };

  return steps.map((step) => {
    if (step.kind === "request") {
      const i = model.pick(undefined, requestView(step));
      if (i < 0) return NOSRV;
      model.take(i);
      model.release(i);
      return model.servers[i]!.name;
    }
    const parsed = parseRuntimeCommand(step.command, BACKEND, names, ids);
    if (!parsed.ok)
      throw new Error(`lbsim rejects "${step.command}": ${parsed.problems.map((p) => p.message).join("; ")}`);
    const command = parsed.value;
    const i = names.indexOf(command.server);
    const view = model.servers[i]!;
    switch (command.op) {
      case "state":
        if (command.state === "maint") maint[i] = true;
        else {
          drain[i] = command.state === "drain";
          maint[i] = false;
        }
        break;
      case "weight": {
        const weight = command.percent
          ? Math.floor((view.initialWeight * Math.min(command.weight, 25600)) / 100)
          : command.weight;
        view.weight = Math.min(256, Math.max(0, weight));
        break;
      }
      case "health":
        throw new Error(`"${step.command}": health commands need checks, which these cases do not use`);
    }
    refresh(i);
    return "";
  });
}

/** The strategy context's hash fields for a `hash-type` line, through lbsim's own parser. */
function hashSettings(line: string): HashTypeSettings {
  const parsed = parseHashType(line);
  if (parsed.kind === "error")
    throw new Error(`bad hash-type "${line}" in a conformance case: ${parsed.message}`);
  return parsed.settings;
}
