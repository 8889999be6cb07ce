// `lbsim import <haproxy.cfg>`: prints the equivalent scenario, and lists what was not understood.
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors/index.js";
import { type CfgImport, decodeText, importHaproxyCfg, scenarioYaml } from "../scenarios/index.js";
import { type OptionSpec, parseArgs, UsageError } from "./args.js";
import type { Io } from "./context.js";

export const IMPORT_OPTIONS: ReadonlyArray<OptionSpec> = [
  { name: "help", short: "h", help: "show this help" },
];

export function importHelp(): string {
  return `Usage: lbsim import <haproxy.cfg>

Reads an HAProxy 2.6 configuration and prints the equivalent scenario (YAML) on stdout: every
frontend and backend with their servers and checks, the routing between them (acl, use_backend,
default_backend), a placeholder service model to fill in and a commented clients: example.
Directives with no meaning in a simulation (log, stats, errorfile…) and http-request rules are
listed at the end as ignored; directives lbsim does not understand or does not simulate (cookies,
stick tables…) are listed with their line numbers, and also printed on stderr.

A scenario can also use the cfg as it is: haproxy: file.cfg (relative to the scenario), with
backend: fields (service, slots, servers by name) that override the imported ones.

Exit codes:
  0    imported (possibly with warnings)
  2    the file is missing, or a directive lbsim understands has a malformed value (file:line:col)
`;
}

export function importCommand(args: ReadonlyArray<string>, io: Io): number {
  const parsed = parseArgs(args, IMPORT_OPTIONS, "import");
  if (parsed.flags.has("help")) {
    io.out(importHelp());
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError("import needs a haproxy.cfg file", "import");
  if (extra.length > 0)
    throw new UsageError(`import takes one file, but got "${extra.join(" ")}" too`, "import");
  const { imported, shown } = importCfgFile(file, io);
  io.out(scenarioYaml(imported, shown));
  for (const warning of imported.warnings) io.err(`${shown}:${warning.line}: warning: ${warning.message}\n`);
  return 0;
}

/**
 * Reads and imports the haproxy.cfg `file` (relative to the current folder): the one error path of
 * `lbsim import` and `lbsim explain` (file:line:col InputErrors, a missing file). `shown` names the
 * file in messages.
 */
export function importCfgFile(
  file: string,
  io: Pick<Io, "cwd">,
): { imported: CfgImport; shown: string; text: string } {
  const absolute = resolve(io.cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.one({
      code: code === "ENOENT" ? "file-not-found" : "unreadable",
      file,
      line: 0,
      column: 0,
      path: "",
      message:
        code === "ENOENT"
          ? `haproxy.cfg file not found (looked for ${absolute})`
          : `cannot read it (${code ?? "error"})`,
    });
  }
  const shown = isAbsolute(file) ? relativeIfInside(absolute, io.cwd) : file;
  const text = decodeText(bytes, shown, "a haproxy.cfg");
  return { imported: importHaproxyCfg(text, shown), shown, text };
}

function relativeIfInside(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
