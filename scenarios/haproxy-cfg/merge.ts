// `haproxy: file.cfg` in a scenario: the cfg's frontends and backends become the base of the
// scenario, whose own `frontend(s):`/`backend(s):` fields override them field by field (backends,
// frontends and servers by name), as with `extends`. Problems found later in imported values point
// at the scenario's `haproxy:` line.
import { InputError, type InputErrorCode } from "../../errors/index.js";
import { alignOneOrSeveral, mergeSources } from "../extends.js";
import { describe, isRecord } from "../problem.js";
import { childOf, placeOf, type Source } from "../source.js";
import { importHaproxyCfg } from "./import.js";
import type { CfgTopology } from "./model.js";

/** A haproxy.cfg named by `haproxy:`, as the loader found it. */
export type HaproxyFile =
  | {
      readonly ok: true;
      /** The file's name for messages (relative to the scenario's folder as the user wrote it). */
      readonly file: string;
      readonly text: string;
    }
  | { readonly ok: false; readonly code: InputErrorCode; readonly message: string };

/** Reads the haproxy.cfg `name` written in the scenario file `from`. */
export type ReadHaproxy = (name: string, from: string) => HaproxyFile;

/** A warning about the imported cfg: `file:line: message`. */
export type Warn = (message: string) => void;

/** `source` with its `haproxy:` file imported under it; `source` itself when it names none. */
export function resolveHaproxy(
  source: Source,
  read: ReadHaproxy | undefined,
  warn: Warn | undefined,
): Source {
  if (!isRecord(source.value) || !Object.hasOwn(source.value, "haproxy")) return source;
  const written = source.value.haproxy;
  const fail = (code: InputErrorCode, message: string, hint?: string): never => {
    throw InputError.one({
      ...placeOf(source.provenance, ["haproxy"], false),
      code,
      path: "haproxy",
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };
  if (typeof written !== "string" || written.trim() === "")
    return fail(
      "bad-type",
      `found ${describe(written)}, expected the name of a haproxy.cfg file such as tutorial.cfg`,
    );
  if (read === undefined)
    return fail(
      "bad-value",
      "haproxy: needs a file system to read the haproxy.cfg, and this loader has none",
      "load the scenario from a file (lbsim run, or loadScenarioFile)",
    );
  const at = childOf(source.provenance, "haproxy");
  const target = read(written.trim(), at.origin.file);
  if (!target.ok) return fail(target.code, target.message);
  const imported = importHaproxyCfg(
    target.text.startsWith("\uFEFF") ? target.text.slice(1) : target.text,
    target.file,
  );
  if (warn !== undefined) {
    for (const w of imported.warnings) warn(`${target.file}:${w.line}: warning: ${w.message}`);
  }
  // The imported values are written nowhere in YAML: they are placed at the `haproxy:` value.
  const base: Source = {
    value: importedUnder(imported.value, source.value),
    provenance: { origin: at.origin, children: new Map() },
  };
  return mergeSources(alignOneOrSeveral(base, source, target.file), source);
}

/**
 * The imported topology as the scenario's own keys meet it. A cfg's one frontend sends everything
 * to its one backend without the import saying so (as a plain scenario writes it); once the
 * scenario lists `backends:` of its own, that must be said, or the frontend would route nowhere.
 */
function importedUnder(value: CfgTopology, scenario: Record<string, unknown>): CfgTopology {
  const { frontend, backend } = value;
  if (
    frontend === undefined ||
    backend === undefined ||
    !Object.hasOwn(scenario, "backends") ||
    Object.hasOwn(frontend, "default_backend") ||
    Object.hasOwn(frontend, "use_backend")
  )
    return value;
  return { ...value, frontend: { ...frontend, default_backend: backend.name } };
}
