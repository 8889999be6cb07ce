// Help texts of lbsim and its subcommands, and the option tables they are generated from.
import type { OptionSpec } from "./args.js";

export const HELP_OPTION: OptionSpec = { name: "help", short: "h", help: "show this help" };

/** `--report`, `--svg`, `--png`: the same on run, compare and check. */
const REPORT_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "report",
    value: "FILE.html",
    help: "write the HTML report: summary, charts, stats table; one self-contained file, nothing loaded",
  },
  {
    name: "svg",
    value: "DIR",
    help: "write each chart of the report as an SVG file in DIR (made if missing)",
  },
  {
    name: "png",
    value: "DIR",
    help: "write each chart of the report as a PNG file (twice the pixels) in DIR",
  },
];

export const RUN_OPTIONS: ReadonlyArray<OptionSpec> = [
  { name: "seed", value: "N", help: "override the scenario's seed (a whole number)" },
  {
    name: "strategy",
    value: "NAME",
    help: 'override backend.balance, e.g. leastconn, "random(2)" or a file of your own, ./mine.mjs',
  },
  { name: "json", value: "FILE|-", help: "write the Results JSON to FILE, or to stdout with - (no table)" },
  { name: "trace", value: "FILE.csv", help: "write one CSV row per request" },
  { name: "log", value: "FILE", help: "write one HAProxy httplog line per request (halog reads it)" },
  {
    name: "explain",
    value: "FILE.jsonl",
    help: "write one JSON line per server choice: candidates, skips, state",
  },
  {
    name: "explain-filter",
    value: "TERMS",
    help: 'keep only some --explain lines: "id=17,20-30 at=10s..20s server=web02"',
  },
  ...REPORT_OPTIONS,
  { name: "deterministic", help: "leave engine.wallMs at 0, so two runs are byte-identical" },
  { name: "force", help: "run even when the scenario is estimated to exceed 10^10 requests or 10^10 events" },
  { name: "quiet", short: "q", help: "print no table and no progress (errors still go to stderr)" },
  HELP_OPTION,
];

export const COMPARE_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "strategies",
    value: "A,B,…",
    help: 'strategies to compare, e.g. roundrobin,leastconn,"random(2)" (default: compare:)',
  },
  {
    name: "replications",
    value: "N|auto",
    help: "run every strategy on seeds seed..seed+N-1 and compare the means with 95% intervals",
  },
  {
    name: "precision",
    value: "P%",
    help: "with --replications auto: the 95% half-width allowed, relative to the mean (default 5%)",
  },
  { name: "max", value: "N", help: "with --replications auto: the most replications (default 50)" },
  {
    name: "backend",
    value: "NAME",
    help: "with several backends: the strategies balance this one; the others keep their balance",
  },
  { name: "seed", value: "N", help: "override the scenario's seed (the first seed with --replications)" },
  {
    name: "json",
    value: "FILE|-",
    help: "write {scenario, seed, runs: [Results…], checks, rows…} to FILE, or to stdout with -",
  },
  ...REPORT_OPTIONS,
  { name: "deterministic", help: "leave engine.wallMs at 0, so two comparisons are byte-identical" },
  { name: "force", help: "run even when the scenario is estimated to exceed 10^10 requests or 10^10 events" },
  { name: "quiet", short: "q", help: "print no table and no progress (errors still go to stderr)" },
  HELP_OPTION,
];

export const CHECK_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "replications",
    value: "N|auto",
    help: "run each scenario N times (seeds seed..seed+N-1) and judge the means (default 1)",
  },
  {
    name: "precision",
    value: "P%",
    help: "with --replications auto: the 95% half-width allowed, relative to the mean (default 5%)",
  },
  { name: "max", value: "N", help: "with --replications auto: the most replications (default 50)" },
  { name: "seed", value: "N", help: "the first seed (default: each scenario's own seed)" },
  {
    name: "junit",
    value: "FILE",
    help: "write a JUnit XML report: a testsuite per scenario, a testcase per line",
  },
  {
    name: "json",
    value: "FILE|-",
    help: "write the check as JSON to FILE, or to stdout with - (no summary)",
  },
  ...REPORT_OPTIONS,
  {
    name: "baseline",
    value: "FILE",
    help: "compare the figures with a stored check JSON; exit 1 when one got worse beyond the tolerance",
  },
  {
    name: "update-baseline",
    help: "write the check JSON to the --baseline FILE instead of comparing (commit it)",
  },
  {
    name: "tolerance",
    value: "N%",
    help: "how much worse a figure may get, for scenarios whose baseline: does not say (default 10%)",
  },
  { name: "quiet", short: "q", help: "print no summary and no progress (failures still go to stderr)" },
  HELP_OPTION,
];

/** `--report` of sweep and merge: each metric against the first swept parameter (cli/sweep-report.ts). */
export const REPORT_OPTION: OptionSpec = {
  name: "report",
  value: "FILE.html",
  help: "write an HTML report: each metric against the first --set, a line per strategy with its 95% band",
};

export const SWEEP_OPTIONS: ReadonlyArray<OptionSpec> = [
  {
    name: "set",
    value: "PATH=VALUES",
    help: "a field and its values: a list 1s,2s,5s or a range 100/s..250/s:10/s (repeat for a grid)",
  },
  {
    name: "strategies",
    value: "A,B,…",
    help: "strategies to run at every point (default: compare:, else balance)",
  },
  {
    name: "replications",
    value: "N|auto",
    help: "run every point and strategy on seeds seed..seed+N-1 (default 1)",
  },
  {
    name: "precision",
    value: "P%",
    help: "with --replications auto: the 95% half-width allowed, relative to the mean (default 5%)",
  },
  { name: "max", value: "N", help: "with --replications auto: the most replications (default 50)" },
  {
    name: "workers",
    value: "K",
    help: "threads that run simulations at once (default: the cores, os.availableParallelism)",
  },
  {
    name: "backend",
    value: "NAME",
    help: "with several backends: the strategies balance this one; the others keep their balance",
  },
  { name: "seed", value: "N", help: "override the scenario's seed (the first seed of the replications)" },
  {
    name: "json",
    value: "FILE|-",
    help: "write the sweep JSON (version 1) to FILE, or to stdout with - (no table)",
  },
  {
    name: "csv",
    value: "FILE|-",
    help: "write one CSV row per point × strategy: means and 95% intervals (- for stdout)",
  },
  REPORT_OPTION,
  {
    name: "shard",
    value: "i/n|auto/n",
    help: "run only shard i of n (round-robin slice of the runs) and write it with --json for lbsim merge; auto: the index from LBSIM_SHARD_INDEX, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN (0-based)",
  },
  { name: "force", help: "run even above 10,000 runs (and scenarios estimated above 10^10 events)" },
  { name: "quiet", short: "q", help: "print no table and no progress (errors still go to stderr)" },
  HELP_OPTION,
];

export function sweepHelp(): string {
  return `Usage: lbsim sweep <scenario> --set <path>=<values> [--set …] [--strategies A,B,…] [--replications N] [options]

Runs the scenario at every point of a grid: each --set names a field of the scenario file by its
dotted path (servers, clients and backends by name: backend.servers.web02.speed,
clients.load.arrivals.poisson, backend.check.inter, backend.timeout.server) and its values, either
a list (1s,2s,5s) or a range with a step, units included (100/s..250/s:10/s, 1..8:1). Several --set
make a grid, the first varying slowest. Each point is the file with those fields replaced, parsed
and checked as lbsim run would; an unknown path or a value that does not validate is bad input
(exit 2), found before anything runs.

Every point runs once per strategy and replication (seeds seed..seed+N-1, as lbsim compare
--replications), on a pool of worker threads. The total is shown first; above 10,000 runs, --force
is needed. The table, the CSV and the JSON have one row per point × strategy with each figure's
mean and 95% interval (Student's t), the same whatever --workers is. --report FILE.html draws
each metric against the first --set, a line per strategy with its 95% band (a panel per value of
the other --set); with --shard, give --report to lbsim merge.

Ctrl-C stops scheduling and still writes the rows of what finished (incomplete rows marked, and
how many runs are missing); a second Ctrl-C quits at once.

Across machines, --shard i/n runs one deterministic slice of the runs (run t goes to shard
t mod n + 1) and writes it with --json FILE as a shard file; lbsim merge joins the n files into
the table, CSV and JSON one machine writes, byte for byte. --shard auto/n takes the 0-based index
from LBSIM_SHARD_INDEX (CI matrices), JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or
SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (Slurm arrays), the first set: index 0 is shard 1/n.

Options:
${optionLines(SWEEP_OPTIONS)}
${EXIT_CODES}`;
}

export const LIST_OPTIONS: ReadonlyArray<OptionSpec> = [HELP_OPTION];

/** Commands of DESIGN.md's command line that later versions bring. */
export const COMING_COMMANDS = [] as const;

export const COMMANDS = [
  "run",
  "compare",
  "check",
  "list",
  "import",
  "classroom",
  "sweep",
  "merge",
  "explain",
  "replay",
  "help",
  ...COMING_COMMANDS,
] as const;

const EXIT_CODES = `Exit codes:
  0    success
  1    an expectation (expect:) failed, or a figure got worse than the --baseline
  2    bad input: command line, scenario, trace, haproxy.cfg or log file (the message says where)
  3    internal error: a bug in lbsim (LBSIM_DEBUG=1 shows the stack)
  130  interrupted by Ctrl-C (the partial results were still written)
`;

/** The documentation pages (paths from the package root), each with what a reader finds there. */
export const DOCUMENTATION: ReadonlyArray<{ readonly path: string; readonly about: string }> = [
  { path: "README.md", about: "what lbsim is, the quick start, a tour of the three questions" },
  { path: "docs/cli.md", about: "every command and option, exit codes, determinism" },
  { path: "docs/scenario-format.md", about: "servers, clients, health checks, failure timelines, extends" },
  { path: "docs/balancers.md", about: "several balancer instances in front of one pool: balancers:" },
  { path: "docs/network-faults.md", about: "rtt, lost SYNs, reset, refuse-first, and what HAProxy logs" },
  { path: "docs/expectations.md", about: "the expect: grammar and its metrics" },
  { path: "docs/strategies.md", about: "the balance algorithms, and writing your own" },
  { path: "docs/ready-scenarios.md", about: "the scenarios of scenarios/library/ and what each one shows" },
  {
    path: "docs/replications-and-warmup.md",
    about: "--replications auto, and warmup: auto by MSER-5: how much to run, what to leave out",
  },
  { path: "docs/results.md", about: "the Results, comparison, check and sweep JSON, and shard files" },
  { path: "docs/report.md", about: "the HTML report and chart files: what each chart shows" },
  { path: "docs/outputs.md", about: "the per-request CSV trace and the HAProxy log" },
  {
    path: "docs/from-your-haproxy.md",
    about: "lbsim explain a haproxy.cfg, lbsim replay its logs, run --explain: why each request went where",
  },
  {
    path: "docs/haproxy-model.md",
    about: "how the model reads HAProxy, where it differs, haproxy.cfg import, ACL routing",
  },
  { path: "docs/classroom.md", about: "lbsim classroom: the live page for failure demos" },
  { path: "docs/stepping.md", about: "the stepping API: advance, apply, snapshot, results" },
  { path: "docs/performance.md", about: "the benchmark and its figures" },
  { path: "docs/development.md", about: "the source tree, the scripts and the tests" },
];

function documentationLines(): string {
  const width = Math.max(...DOCUMENTATION.map((d) => d.path.length));
  return DOCUMENTATION.map((d) => `  ${d.path.padEnd(width)}   ${d.about}`).join("\n");
}

export function mainHelp(): string {
  return `lbsim: a deterministic discrete-event simulator of HAProxy load balancing

Usage:
  lbsim run <scenario> [options]   run a scenario once and print its results
  lbsim compare <scenario> [options]
                                   run it once per strategy on the same requests, side by side
  lbsim check <scenario|folder>… [options]
                                   check the scenarios' expectations (exit 1 when one fails)
  lbsim sweep <scenario> --set path=values… [options]
                                   run a grid of variants × strategies × replications on every core
  lbsim merge <shard.json>…        join the shards of a sweep (--shard i/n) into one machine's output
  lbsim list                       ready scenarios and strategies
  lbsim import <haproxy.cfg>       print the scenario equivalent to a haproxy.cfg
  lbsim explain <haproxy.cfg>      explain a haproxy.cfg: shares, check timing, failover, limits, traps
  lbsim replay <haproxy.log> [--cfg haproxy.cfg] [--strategy NAME]
                                   replay a real HAProxy log, as logged and under another strategy
  lbsim classroom [scenario]       the live page for a class: break the balancer, export what you did
  lbsim help [command]             this help, or a command's
  lbsim --version                  the version

run, compare and check write an HTML report with --report FILE.html (one file that opens offline),
and each chart as a file with --svg DIR / --png DIR.

Start with:  npx lbsim run scenarios/library/tutorial.yaml   (in the lbsim folder, after npm install)

${EXIT_CODES}
Documentation (in the lbsim folder):
${documentationLines()}
`;
}

export function runHelp(): string {
  return `Usage: lbsim run <scenario> [options]

Runs the scenario (YAML or JSON) once and prints a table of the results, or the Results JSON.
A scenario of "-" is read from standard input (files it names are relative to the current folder).
Ctrl-C stops the run early and still writes what was simulated so far ("partial": true);
a second Ctrl-C quits at once.

Options:
${optionLines(RUN_OPTIONS)}
${EXIT_CODES}`;
}

export function compareHelp(): string {
  return `Usage: lbsim compare <scenario> [--strategies A,B,…] [--replications N] [--backend NAME] [options]

Runs the scenario once per strategy with the same seed, so every strategy sees the same requests
(arrival times, client addresses, paths and service demands), and prints the figures side by side
with the best value of each row marked with *. Without --strategies, the scenario's compare: list
is used. Names with arguments work: --strategies 'roundrobin,random(2),url_param id'.
A scenario of "-" is read from standard input.

One run cannot tell noise from a difference. With --replications N, every strategy runs on seeds
seed, seed+1, …, seed+N-1 (paired: one seed gives every strategy the same requests); each row shows
the mean, and under it each strategy's difference to the best mean with its 95% interval (Student's
t over the per-seed differences) and in %. The * then marks a best mean only when the interval of
its difference to every other strategy excludes 0; otherwise the row says "no clear winner" and
names the strategies it cannot tell apart. Counts (errors, unfinished, status, ends) are ranked as
shown: every strategy answers the same arrivals.

With several backends, --strategies replaces every backend's balance (the table says so); with
--backend NAME, only that backend's, and the others keep their own.

The scenario's expect: lines are checked too: a line with a prefix-less metric, such as
"p99 < 300ms", is checked against every strategy's run; a line naming strategies only, such as
"leastconn.p99 < roundrobin.p99", is checked once. With --replications, each line is judged on the
means, as lbsim check does. The exit code is 1 when one fails.

Ctrl-C stops the current run, skips the rest and still prints and writes what was simulated
("partial": true; with --replications, the complete replications); a second Ctrl-C quits at once.

Options:
${optionLines(COMPARE_OPTIONS)}
${EXIT_CODES}`;
}

export function checkHelp(): string {
  return `Usage: lbsim check <scenario|folder>… [options]

Runs each scenario (a folder means each of its *.yaml, *.yml and *.json files, sorted) and checks
its expect: lines. A scenario with a compare: list also runs each strategy of the list on the same
requests: a prefix-less metric (p99) is the figure of the scenario's own backend.balance run, a
prefixed one (leastconn.p99) the figure of that strategy's run. A scenario without expect: lines
is reported as having no expectations, and is not run.

With --replications N, each scenario runs N times, with seeds seed, seed+1, …, seed+N-1; each
metric is averaged over the runs, the check is made on the mean, and the summary shows the mean
with its 95% confidence interval (Student's t with N-1 degrees of freedom).

With --baseline FILE, each figure (p50, p90, p99, p999, mean, max, queue.mean, errors,
unfinished) of each run is compared with FILE, a check JSON written by --update-baseline or
--json: a figure that got worse by more than the tolerance (10%, at least 1 ms or 0.1 percentage
point; a scenario's baseline: {tolerance: 5%, p99: 20%} says otherwise), beyond the noise of the
replications' 95% intervals, fails the check (exit 1). Scenarios on one side only are listed, not
failed. --update-baseline --baseline FILE writes FILE instead (expectations still decide the exit
code; a check stopped by Ctrl-C writes nothing).

A folder's JSON files that are lbsim's own outputs (Results, comparison, check JSON) are skipped
with a note. "-" reads a scenario from standard input. Not on a terminal, a line per replication
goes to stderr; with GITHUB_ACTIONS=true, each failure is also an ::error annotation on stderr,
at the scenario's expect: line.

Ctrl-C stops the current run, skips the rest, and still prints and writes the checks of the
replications that were complete ("partial": true); a second Ctrl-C quits at once.

Options:
${optionLines(CHECK_OPTIONS)}
${EXIT_CODES}`;
}

export function listHelp(): string {
  return `Usage: lbsim list

Lists the strategies (values of backend.balance) and the ready scenarios of scenarios/library/.
`;
}

export function optionLines(specs: ReadonlyArray<OptionSpec>): string {
  const left = specs.map((s) => {
    const short = s.short === undefined ? "    " : `-${s.short}, `;
    return `  ${short}--${s.name}${s.value === undefined ? "" : ` ${s.value}`}`;
  });
  const width = Math.max(...left.map((l) => l.length));
  return `${specs.map((s, i) => `${(left[i] ?? "").padEnd(width)}   ${s.help}`).join("\n")}\n`;
}
