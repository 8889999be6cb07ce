// The command dispatcher and the one place that turns errors into messages and exit codes.
import { formatIssue, InputError } from "../errors/index.js";
import { UsageError } from "./args.js";
import type { Io, PackageInfo, Toolkit } from "./context.js";
import { didYouMean } from "./suggest.js";
import { COMING_COMMANDS, COMMANDS, checkHelp, compareHelp, listHelp, mainHelp, runHelp } from "./usage.js";

/** Exit codes (docs/cli.md "Exit codes"); 130 (Ctrl-C) comes from run-command.ts. */
export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL_ERROR = 3;

export async function runCli(
  argv: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  try {
    return await dispatch(argv, toolkit, pkg, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(
  argv: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.err(mainHelp());
      return EXIT_BAD_INPUT;
    case "--help":
    case "-h":
    case "help":
      return await help(rest, io);
    case "--version":
      io.out(`lbsim ${pkg.version}\n`);
      return EXIT_OK;
    // Each command's modules load when it runs: `--version` and help load almost nothing (start-up time).
    case "run":
      return (await import("./run-command.js")).runCommand(rest, toolkit, pkg, io);
    case "compare":
      return (await import("./compare-command.js")).compareCommand(rest, toolkit, pkg, io);
    case "check":
      return (await import("./check-command.js")).checkCommand(rest, toolkit, pkg, io);
    case "list":
      return (await import("./list-command.js")).listCommand(rest, toolkit, pkg, io);
    case "import":
      return (await import("./import-command.js")).importCommand(rest, io);
    case "classroom":
      return (await import("./classroom-command.js")).classroomCommand(rest, toolkit, pkg, io);
    case "sweep":
      return (await import("./sweep-command.js")).sweepCommand(rest, toolkit, pkg, io);
    case "merge":
      return (await import("./merge-command.js")).mergeCommand(rest, io);
    case "explain":
      return (await import("./explain-command.js")).explainCommand(rest, io);
    case "replay":
      return (await import("./replay-command.js")).replayCommand(rest, toolkit, io);
    default:
      break;
  }
  if ((COMING_COMMANDS as ReadonlyArray<string>).includes(command)) {
    io.err(
      `lbsim ${command}: not implemented yet (it comes in a later version of lbsim).\n` +
        `For now, "lbsim run <scenario>" runs a scenario once, "lbsim compare" once per strategy, "lbsim sweep" a grid of variants, and "lbsim check" checks the expectations of scenarios.\n`,
    );
    return EXIT_BAD_INPUT;
  }
  if (command.startsWith("-")) {
    const suggestion = didYouMean(command, ["--help", "--version"]);
    throw new UsageError(
      `unknown option ${command}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}`,
      "",
    );
  }
  const suggestion = didYouMean(command, COMMANDS);
  throw new UsageError(
    `unknown command "${command}"${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}`,
    "",
  );
}

async function help(args: ReadonlyArray<string>, io: Io): Promise<number> {
  const [topic, ...extra] = args;
  if (extra.length > 0) throw new UsageError("help takes at most one command name", "");
  switch (topic) {
    case undefined:
      io.out(mainHelp());
      return EXIT_OK;
    case "run":
      io.out(runHelp());
      return EXIT_OK;
    case "compare":
      io.out(compareHelp());
      return EXIT_OK;
    case "check":
      io.out(checkHelp());
      return EXIT_OK;
    case "list":
      io.out(listHelp());
      return EXIT_OK;
    case "import":
      io.out((await import("./import-command.js")).importHelp());
      return EXIT_OK;
    case "classroom":
      io.out((await import("./classroom-command.js")).classroomHelp());
      return EXIT_OK;
    case "sweep":
      io.out((await import("./usage.js")).sweepHelp());
      return EXIT_OK;
    case "merge":
      io.out((await import("./merge-command.js")).mergeHelp());
      return EXIT_OK;
    case "explain":
      io.out((await import("./explain-command.js")).explainHelp());
      return EXIT_OK;
    case "replay":
      io.out((await import("./replay-command.js")).replayHelp());
      return EXIT_OK;
    default:
      if ((COMING_COMMANDS as ReadonlyArray<string>).includes(topic)) {
        io.out(`lbsim ${topic}: not implemented yet (it comes in a later version of lbsim).\n`);
        return EXIT_OK;
      }
      throw new UsageError(`no help for "${topic}": there is no such command`, "");
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof UsageError) {
    const who = error.command === "" ? "lbsim" : `lbsim ${error.command}`;
    const helpCommand = error.command === "" ? "lbsim --help" : `lbsim ${error.command} --help`;
    io.err(`${who}: ${error.message}\nRun "${helpCommand}" for usage.\n`);
    return EXIT_BAD_INPUT;
  }
  if (error instanceof InputError) {
    for (const issue of error.issues) {
      // File issues read like a compiler's (`file:line:col: …`); command-line ones say who speaks.
      io.err(`${issue.file === "" ? "lbsim: " : ""}${formatIssue(issue)}\n`);
    }
    return EXIT_BAD_INPUT;
  }
  const fileProblem = describeFileError(error);
  if (fileProblem !== undefined) {
    io.err(`lbsim: ${fileProblem}\n`);
    return EXIT_BAD_INPUT;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(
    `lbsim: internal error: ${message}\n` +
      "This is a bug in lbsim; please report it with the scenario file and the command line" +
      (io.env.LBSIM_DEBUG === "1" ? ".\n" : " (LBSIM_DEBUG=1 shows where it happened).\n"),
  );
  if (io.env.LBSIM_DEBUG === "1" && error instanceof Error && error.stack !== undefined) {
    io.err(`${error.stack}\n`);
  }
  return EXIT_INTERNAL_ERROR;
}

const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EEXIST: "the file already exists",
  EMFILE: "too many open files",
};

/** A file-system error (reading a scenario, writing an output) is the user's to fix: exit 2. */
function describeFileError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path } = error as NodeJS.ErrnoException;
  if (code === undefined) return undefined;
  const reason = FILE_ERRORS[code];
  if (reason === undefined) return undefined;
  return path === undefined ? `${reason} (${error.message})` : `${path}: ${reason}`;
}
