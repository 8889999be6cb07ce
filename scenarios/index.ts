// scenarios/: the scenario format, its parser with file:line:col errors, haproxy.cfg import; browser-safe (files: node.ts).

export { formatIssue, InputError, type InputErrorCode, type InputIssue } from "../errors/index.js";
export type { TraceResolution } from "./cross.js";
export { DISTRIBUTION_KINDS, meanMs, parseDistribution, tryParseDistribution } from "./distribution.js";
export { type ExpectPositions, expectPositions } from "./expect-positions.js";
export { METRIC_NAMES, parseExpectation, parseExpectations } from "./expectation-grammar.js";
export { backendsOf, serversOf, strategiesOf, timeWindowsOf, windowsOf } from "./expectation-refs.js";
export { type ExpectationUnit, expectationUnit } from "./expectation-units.js";
export type { ExtendedFile, ReadExtended } from "./extends.js";
export {
  type CfgImport,
  type CfgLines,
  type CfgNote,
  cfgLines,
  type DirectiveLine,
  importHaproxyCfg,
  scenarioYaml,
} from "./haproxy-cfg/index.js";
export type { HaproxyFile, ReadHaproxy, Warn } from "./haproxy-cfg/merge.js";
export * from "./httplog-parse.js";
export { type EventEstimate, estimateEvents, estimateRequests, MAX_REQUESTS } from "./limits.js";
export { type ParseOptions, parseScenario } from "./parse.js";
export { placeIssue } from "./places.js";
export type { Problem, Result } from "./problem.js";
export { parseRuntimeCommand, runtimeAction } from "./runtime-command.js";
export { scenarioJsonSchema, scenarioSchema } from "./schema.js";
export { switchText } from "./switch-text.js";
export { decodeText } from "./text-file.js";
export type * from "./types.js";
export { parseDuration, parseRate, tryParseDuration, tryParseRate } from "./units.js";
