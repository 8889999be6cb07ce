// Specs of `lbsim explain`: a cfg text explained in process, its backends as the model reads them.
import { type BackendSpec, importHaproxyCfg } from "../scenarios/index.js";
import { backendScenario } from "./explain-model.js";
import { type ExplainReport, explainCfg, type TrafficChoice } from "./explain-report.js";

export const TRAFFIC: TrafficChoice = {
  ratePerSecond: 100,
  rateDefault: true,
  service: { exponential: "20ms" },
  serviceText: "{exponential: 20ms}",
  serviceDefault: true,
  serviceMeanMs: 20,
  seed: 1,
};

/** The cfg's backends as the model reads them (defaults applied). */
export function backendsOf(cfg: string): BackendSpec[] {
  const imported = importHaproxyCfg(cfg, "test.cfg");
  return imported.backends.map(
    (_, index) => backendScenario(imported, index, TRAFFIC, { durationMs: 1000, events: [] }).backend,
  );
}

export function explainOf(cfg: string, traffic: Partial<TrafficChoice> = {}): ExplainReport {
  return explainCfg(importHaproxyCfg(cfg, "test.cfg"), cfg, { ...TRAFFIC, ...traffic });
}

/** A cfg of one backend `be` behind frontend `fe`: `lines` inside the backend section. */
export function cfgWith(lines: ReadonlyArray<string>, defaults: ReadonlyArray<string> = []): string {
  return [
    "defaults",
    "  mode http",
    "  timeout connect 5s",
    "  timeout client 30s",
    "  timeout server 30s",
    ...defaults.map((l) => `  ${l}`),
    "frontend fe",
    "  bind :80",
    "  default_backend be",
    "backend be",
    ...lines.map((l) => `  ${l}`),
    "",
  ].join("\n");
}
