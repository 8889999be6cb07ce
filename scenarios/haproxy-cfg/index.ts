// haproxy-cfg/: reading a haproxy.cfg into lbsim's scenario (the `haproxy:` key and `lbsim import`).

export { type CfgLines, cfgLines, type DirectiveLine } from "./directive-lines.js";
export { scenarioYaml } from "./emit.js";
export {
  type CfgImport,
  type CfgNote,
  type CfgServer,
  type CfgTopology,
  type IgnoredDirective,
  importHaproxyCfg,
} from "./import.js";
