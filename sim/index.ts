// sim/: the engine, the model and Results. Runs unchanged in Node and in a browser worker.

export { compileDistribution, meanOf, type Sampler, secondMomentOf, type Uniform } from "./distributions.js";
export { Engine, type Handle, type Handler } from "./engine.js";
export { LatencyHistogram } from "./histogram.js";
export { judgedLatency, LATENCY_FIELDS } from "./latency-fields.js";
export { slowstartSteps } from "./model/checks.js";
export type { Decision, DecisionStep, SkipCause } from "./model/decision-trace.js";
export type { RecentRequest } from "./model/recent.js";
export { ownStrategy } from "./own-strategy.js";
export { createStream, DemandRandom, type RandomStream } from "./random.js";
export type {
  BalancerResults,
  CheckResult,
  LatencyLowerBound,
  OfferedLoad,
  Results,
  Series,
  ServerResults,
  StateChange,
  TimelineEntry,
  WindowResults,
} from "./results.js";
export { latencyResults } from "./results-build.js";
export { round3, round6 } from "./rounding.js";
export { run } from "./run.js";
export type { RequestRecord, RunOptions, TraceRow } from "./run-types.js";
export {
  createModel,
  type Model,
  type ModelAction,
  type ModelOptions,
  RECENT_REQUESTS,
  type ServerSnapshot,
  type Snapshot,
} from "./stepping.js";
