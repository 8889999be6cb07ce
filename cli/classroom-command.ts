// `lbsim classroom [scenario|haproxy.cfg]`: validates the input as `lbsim run` does, serves the
// built classroom page on 127.0.0.1, opens the browser, and runs until Ctrl-C.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { unsupported } from "../classroom/page/session.js";
import { type ClassroomServer, startClassroomServer } from "../classroom/server.js";
import { cfgSource, looksLikeCfg, parseSource, type ScenarioSource } from "../classroom/source.js";
import { readScenarioSource } from "../classroom/source-node.js";
import { InputError } from "../errors/index.js";
import { decodeText } from "../scenarios/index.js";
import { type OptionSpec, parseArgs, UsageError } from "./args.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { checkScenarioFile } from "./run-command.js";

export const CLASSROOM_OPTIONS: ReadonlyArray<OptionSpec> = [
  { name: "port", value: "N", help: "listen on this port of 127.0.0.1 (default: a free one)" },
  { name: "no-open", help: "print the page's address without opening a browser" },
  { name: "help", short: "h", help: "show this help" },
];

export function classroomHelp(): string {
  return `Usage: lbsim classroom [scenario.yaml|haproxy.cfg] [--port N] [--no-open]

Serves the classroom page on 127.0.0.1 and opens it in the browser: the scenario (or a
haproxy.cfg, with 50 requests/s of clients added) runs live in the page, at once, and you break it
in front of the class (crash, hang, slow, drain…), then export what you did as a scenario that
lbsim run replays. Without a file the page opens its first ready demo. Ctrl-C stops the server.

Options:
  --port N     listen on this port of 127.0.0.1 (default: a free one, printed)
  --no-open    print the page's address without opening a browser
  -h, --help   show this help

Exit codes:
  0    stopped with Ctrl-C
  2    bad input: a missing or invalid scenario (file:line:col), a port in use, the page not built
`;
}

/** The system's "open this URL" command, when it has one on the PATH. */
export function opener(
  platform: string,
  path: string | undefined,
): { command: string; args: string[] } | undefined {
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""'] };
  const name = platform === "darwin" ? "open" : "xdg-open";
  const found = (path ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, name)));
  return found ? { command: name, args: [] } : undefined;
}

function load(arg: string, toolkit: Toolkit, pkg: PackageInfo, io: Io): ScenarioSource {
  const path = resolve(io.cwd, arg);
  checkScenarioFile(arg, path, pkg, io.cwd);
  let source: ScenarioSource;
  if (looksLikeCfg(arg, "")) {
    source = cfgSource(arg, decodeText(readFileSync(path), arg, "a haproxy.cfg"));
    parseSource(source, (message) => io.err(`${message}\n`));
  } else {
    // The same loader, messages and exit code as lbsim run.
    toolkit.loadScenarioFile(arg, { warn: (message) => io.err(`${message}\n`) });
    source = readScenarioSource(path, arg);
  }
  const scenario = parseSource(source);
  const why = unsupported(scenario);
  if (why !== undefined)
    throw InputError.one({ code: "bad-value", file: arg, line: 0, column: 0, path: "clients", message: why });
  return source;
}

export async function classroomCommand(
  args: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const parsed = parseArgs(args, CLASSROOM_OPTIONS, "classroom");
  if (parsed.flags.has("help")) {
    io.out(classroomHelp());
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (extra.length > 0)
    throw new UsageError(`classroom takes one file, but got "${extra.join(" ")}" too`, "classroom");
  const portText = parsed.values.get("port");
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port needs a port number 0–65535, not "${portText}"`, "classroom");
  const source = file === undefined ? null : load(file, toolkit, pkg, io);
  const pageDir = join(pkg.root, "dist", "classroom", "www");
  if (!existsSync(join(pageDir, "index.html"))) {
    io.err(`lbsim classroom: the page is not built (${pageDir}); run npm run build in the lbsim folder\n`);
    return 2;
  }
  let server: ClassroomServer;
  try {
    server = await startClassroomServer({ pageDir, source, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(`lbsim classroom: cannot listen on 127.0.0.1:${port} (${code ?? String(error)})\n`);
    return 2;
  }
  io.out(`lbsim classroom: ${server.url}  (Ctrl-C stops it)\n`);
  const open = parsed.flags.has("no-open") ? undefined : opener(process.platform, io.env.PATH);
  if (open !== undefined) {
    try {
      const child = spawn(open.command, [...open.args, server.url], { stdio: "ignore", detached: true });
      child.on("error", () => io.err(`lbsim classroom: could not open a browser; open ${server.url}\n`));
      child.unref();
    } catch {
      io.err(`lbsim classroom: could not open a browser; open ${server.url}\n`);
    }
  }
  await new Promise<void>((done) => {
    const stop = io.onInterrupt(() => {
      stop();
      done();
    });
  });
  await server.close();
  io.err("lbsim classroom: stopped\n");
  return 0;
}
