// user-strategy: loads a user's own strategy from a JavaScript module file (Node only; see node.ts).
//
// The file exports a StrategyFactory as `default` or as `createStrategy`. The factory is wrapped so
// that every strategy it builds is checked on first use: a missing callback is reported as an
// InputError naming the file and what is missing, not as a TypeError deep inside a run; a pick that
// returns something other than one of its servers is reported the same way. `name`,
// `queueWhenBacklogged` and `ignoresFullness` may be left out (the file's name, false, false).

import { stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { InputError, type InputErrorCode } from "../errors/index.js";
import type {
  PickExplanation,
  RequestView,
  ServerView,
  Strategy,
  StrategyContext,
  StrategyFactory,
} from "./types.js";

/** Imports a module by URL; replaceable in tests. */
export type ModuleImporter = (url: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (url) => import(url);

const CALLBACKS = ["serverUp", "serverDown", "weightChanged", "taken", "released", "pick"] as const;
const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

function inputError(code: InputErrorCode, file: string, message: string, hint?: string): InputError {
  return InputError.one({
    code,
    file,
    line: 0,
    column: 0,
    path: "",
    message,
    ...(hint === undefined ? {} : { hint }),
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** The factory a module exports: `default`, `createStrategy`, or either inside a CommonJS `default` object. */
function exportedFactory(module: unknown): ((...args: unknown[]) => unknown) | undefined {
  if (!isRecord(module)) return undefined;
  const candidates = [module.default, module.createStrategy];
  if (isRecord(module.default)) candidates.push(module.default.createStrategy);
  for (const candidate of candidates) {
    if (typeof candidate === "function") return candidate as (...args: unknown[]) => unknown;
  }
  return undefined;
}

/**
 * Loads `path` (relative to the working directory) and returns its factory, wrapped so that the
 * strategies it builds are validated. Throws InputError: `file-not-found`, or `unknown-strategy`
 * when the file cannot be imported or exports no factory.
 */
export async function loadUserStrategy(
  path: string,
  importModule: ModuleImporter = defaultImporter,
): Promise<StrategyFactory> {
  const absolute = resolve(path);
  try {
    if (!(await stat(absolute)).isFile()) throw new Error("not a file");
  } catch {
    throw inputError("file-not-found", path, "strategy file not found");
  }
  const typescript = TYPESCRIPT.has(extname(absolute).toLowerCase());
  let module: unknown;
  try {
    module = await importModule(pathToFileURL(absolute).href);
  } catch (error) {
    if (typescript) {
      const name = basename(absolute, extname(absolute));
      throw inputError(
        "unknown-strategy",
        path,
        "Node cannot import a TypeScript file",
        `compile it to JavaScript first, e.g. \`npx esbuild ${basename(absolute)} --outfile=${name}.mjs\``,
      );
    }
    throw inputError("unknown-strategy", path, `cannot load the strategy: ${messageOf(error)}`);
  }
  const factory = exportedFactory(module);
  if (factory === undefined) {
    const found = isRecord(module) ? Object.keys(module).join(", ") : "";
    throw inputError(
      "unknown-strategy",
      path,
      `exports no strategy factory (found: ${found === "" ? "nothing" : found})`,
      "export a function (servers, context) => strategy as `default` or as `createStrategy`",
    );
  }
  const fallbackName = basename(absolute, extname(absolute));
  return (servers, context) => checkedStrategy(path, fallbackName, factory, servers, context);
}

function checkedStrategy(
  file: string,
  fallbackName: string,
  factory: (...args: unknown[]) => unknown,
  servers: ReadonlyArray<ServerView>,
  context: StrategyContext,
): Strategy {
  let built: unknown;
  try {
    built = factory(servers, context);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw inputError("bad-value", file, `the strategy factory threw: ${messageOf(error)}`);
  }
  if (!isRecord(built)) {
    throw inputError(
      "bad-value",
      file,
      `the strategy factory returned ${built === null ? "null" : typeof built}, not a strategy object`,
    );
  }
  const strategy = built;
  const problems: string[] = [];
  for (const callback of CALLBACKS) {
    if (typeof strategy[callback] !== "function") problems.push(`${callback}()`);
  }
  if (strategy.observed !== undefined && typeof strategy.observed !== "function")
    problems.push("observed() (not a function)");
  for (const flag of ["queueWhenBacklogged", "ignoresFullness", "dynamic"] as const) {
    if (strategy[flag] !== undefined && typeof strategy[flag] !== "boolean")
      problems.push(`${flag} (not a boolean)`);
  }
  if (strategy.name !== undefined && typeof strategy.name !== "string") problems.push("name (not a string)");
  if (problems.length > 0) {
    throw inputError(
      "bad-value",
      file,
      `the strategy lacks ${problems.join(", ")}`,
      `a strategy has ${CALLBACKS.map((c) => `${c}()`).join(", ")}; optional: name, queueWhenBacklogged, ignoresFullness, dynamic, observed()`,
    );
  }
  const call = (name: string, ...args: unknown[]): unknown =>
    (strategy[name] as (...a: unknown[]) => unknown).apply(strategy, args);
  const members = new Set<ServerView>(servers);
  const observed = strategy.observed;
  const checked: Strategy = {
    name: typeof strategy.name === "string" ? strategy.name : fallbackName,
    queueWhenBacklogged: strategy.queueWhenBacklogged === true,
    ignoresFullness: strategy.ignoresFullness === true,
    ...(typeof strategy.dynamic === "boolean" ? { dynamic: strategy.dynamic } : {}),
    serverUp: (server) => void call("serverUp", server),
    serverDown: (server) => void call("serverDown", server),
    weightChanged: (server) => void call("weightChanged", server),
    taken: (server) => void call("taken", server),
    released: (server) => void call("released", server),
    pick(request: RequestView, avoid?: ServerView): ServerView | undefined {
      const chosen = call("pick", request, avoid);
      if (chosen === undefined || chosen === null) return undefined;
      if (members.has(chosen as ServerView)) return chosen as ServerView;
      throw inputError(
        "bad-value",
        file,
        "pick() returned something that is not one of the servers it was given",
        "return one of the ServerView objects passed to the factory, or undefined",
      );
    },
  };
  const explained = typeof strategy.explainState === "function" ? { explainState: explainer(call) } : {};
  return typeof observed === "function"
    ? {
        ...checked,
        ...explained,
        observed: (server, responseMs) => void call("observed", server, responseMs),
      }
    : { ...checked, ...explained };
}

/**
 * `--explain` asks the user's `explainState()`, when there is one, for the state behind a pick: its
 * `{state, key?, slot?}` as given, or any other object as the state itself.
 */
function explainer(
  call: (name: string, ...args: unknown[]) => unknown,
): (request: RequestView, avoid?: ServerView) => PickExplanation {
  return (request, avoid) => {
    const given = call("explainState", request, avoid);
    if (!isRecord(given)) return { state: { value: given } };
    if (!isRecord(given.state)) return { state: given };
    return {
      state: given.state,
      ...(typeof given.key === "number" ? { key: given.key } : {}),
      ...(typeof given.slot === "number" ? { slot: given.slot } : {}),
    };
  };
}
