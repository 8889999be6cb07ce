// Help texts of lbsim and its subcommands, and the option tables they are generated from.
import type { OptionSpec } from "./args.js";

export const HELP_OPTION: OptionSpec = { name: "help", short: "h", help: "show this help" };

export const RUN_OPTIONS: ReadonlyArray<OptionSpec> = [
  { name: "seed", value: "N", help: "override the scenario's seed (a whole number)" },
  { name: "strategy", value: "NAME", help: 'override backend.balance, e.g. leastconn or "random(2)"' },
  { name: "json", value: "FILE|-", help: "write the Results JSON to FILE, or to stdout with - (no table)" },
  { name: "trace", value: "FILE.csv", help: "write one CSV row per request" },
  { name: "deterministic", help: "leave engine.wallMs at 0, so two runs are byte-identical" },
  { name: "force", help: "run even when the scenario is estimated to exceed 10^10 requests" },
  { name: "quiet", short: "q", help: "print no table and no progress (errors still go to stderr)" },
  HELP_OPTION,
];

export const LIST_OPTIONS: ReadonlyArray<OptionSpec> = [HELP_OPTION];

/** Commands of DESIGN.md's command line that later versions bring. */
export const COMING_COMMANDS = ["compare", "check", "sweep", "import"] as const;

export const COMMANDS = ["run", "list", "help", ...COMING_COMMANDS] as const;

const EXIT_CODES = `Exit codes:
  0    success
  1    an expectation (expect:) failed
  2    bad input: command line, scenario or trace file (the message says where)
  3    internal error: a bug in lbsim (LBSIM_DEBUG=1 shows the stack)
  130  interrupted by Ctrl-C (the partial results were still written)
`;

export function mainHelp(): string {
  return `lbsim: a deterministic discrete-event simulator of HAProxy load balancing

Usage:
  lbsim run <scenario> [options]   run a scenario once and print its results
  lbsim list                       ready scenarios and strategies
  lbsim help [command]             this help, or a command's
  lbsim --version                  the version

Coming in later versions: ${COMING_COMMANDS.join(", ")}.

Start with:  lbsim run scenarios/library/tutorial.yaml

${EXIT_CODES}`;
}

export function runHelp(): string {
  return `Usage: lbsim run <scenario> [options]

Runs the scenario (YAML or JSON) once and prints a table of the results, or the Results JSON.
Ctrl-C stops the run early and still writes what was simulated so far ("partial": true);
a second Ctrl-C quits at once.

Options:
${optionLines(RUN_OPTIONS)}
${EXIT_CODES}`;
}

export function listHelp(): string {
  return `Usage: lbsim list

Lists the strategies (values of backend.balance) and the ready scenarios of scenarios/library/.
`;
}

function optionLines(specs: ReadonlyArray<OptionSpec>): string {
  const left = specs.map((s) => {
    const short = s.short === undefined ? "    " : `-${s.short}, `;
    return `  ${short}--${s.name}${s.value === undefined ? "" : ` ${s.value}`}`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return `${specs.map((s, i) => `${(left[i] ?? "").padEnd(width)}   ${s.help}`).join("\n")}\n`;
}
