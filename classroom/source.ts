// A scenario as the page receives it (its text and the files it names, read by the server or the
// build), parsed by the same validator as `lbsim run`; and a haproxy.cfg made into such a scenario.
import {
  type ExtendedFile,
  type HaproxyFile,
  importHaproxyCfg,
  parseScenario,
  type Scenario,
  scenarioYaml,
} from "../scenarios/index.js";

export interface ScenarioSource {
  /** The name messages use (`failover.yaml`, `tutorial.cfg`). */
  readonly file: string;
  /** The scenario's YAML (a haproxy.cfg is already turned into one). */
  readonly text: string;
  /** Files it names (`haproxy:`, `extends:`), by the name written in the scenario. */
  readonly files: Readonly<Record<string, string>>;
  /** Said to the user when the text is not the file as given (a cfg with clients added). */
  readonly note?: string;
}

/** The clients a haproxy.cfg cannot describe: a class needs traffic at once. */
export const CFG_CLIENTS = `clients:
  - name: browsers
    arrivals: { poisson: 50/s }
    sources: { count: 200 }
    paths: { count: 50, zipf: 1.0 }
`;

/** Whether the text is a haproxy.cfg rather than a scenario (by name, else by its first section line). */
export function looksLikeCfg(file: string, text: string): boolean {
  if (/\.cfg$/i.test(file)) return true;
  if (/\.(ya?ml|json)$/i.test(file)) return false;
  return /^\s*(global|defaults|frontend|backend|listen)(\s|$)/m.test(text) && !/^\s*\w[\w-]*:/m.test(text);
}

/** A haproxy.cfg as a scenario: `lbsim import`'s YAML with 50 requests/s of clients added. */
export function cfgSource(file: string, text: string): ScenarioSource {
  const imported = importHaproxyCfg(text, file);
  const yaml = `${scenarioYaml(imported, file).replace(/\n*$/, "\n")}${CFG_CLIENTS}`;
  return {
    file: file.replace(/\.cfg$/i, ".yaml"),
    text: yaml,
    files: {},
    note: `${file} imported as lbsim import does, with 50 requests/s of Poisson clients added (a haproxy.cfg has no clients)`,
  };
}

/** The scenario, or an InputError with file:line:col, exactly as `lbsim run` would report it. */
export function parseSource(source: ScenarioSource, warn?: (message: string) => void): Scenario {
  const readHaproxy = (name: string): HaproxyFile => {
    const text = source.files[name];
    return text === undefined
      ? {
          ok: false,
          code: "file-not-found",
          message: `haproxy.cfg file "${name}" was not given with the scenario`,
        }
      : { ok: true, file: name, text };
  };
  const readExtended = (name: string): ExtendedFile => {
    const text = source.files[name];
    return text === undefined
      ? {
          ok: false,
          code: "file-not-found",
          message: `scenario file "${name}" was not given with the scenario`,
        }
      : { ok: true, file: name, key: name, text };
  };
  return parseScenario(source.text, source.file, {
    readHaproxy,
    readExtended,
    ...(warn === undefined ? {} : { warn }),
  });
}
