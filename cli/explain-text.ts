// `lbsim explain`: the report as terminal text, backend by backend, each figure marked with where it
// comes from: [strategy] lbsim's strategies, [formula] HAProxy's documented rules, [model] a short run.

import { type CheckTiming, ms, rangeText } from "./explain-checks.js";
import { fmt } from "./explain-keys.js";
import type { FailoverRun } from "./explain-model.js";
import type { BackendExplained, ExplainReport } from "./explain-report.js";

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;

function table(rows: ReadonlyArray<ReadonlyArray<string>>, indent: string): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    `${indent}${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ")}`.trimEnd(),
  );
}

export function explainText(report: ExplainReport): string {
  const t = report.traffic;
  const out: string[] = [
    `lbsim explain ${report.file}`,
    "",
    `Model runs: ${t.ratePerSecond}/s${t.rateDefault ? " (default; --rate)" : ""}, service ${t.service}${t.serviceDefault ? " (default; --service)" : ""}, seed ${t.seed}.`,
    `  ${t.clients}.`,
    "Figures say where they come from: [strategy] counted with lbsim's own balance algorithms (HAProxy's",
    "choices), [formula] HAProxy 2.6's documented rules, exact, [model] one short simulated run (one sample).",
  ];
  if (report.importWarnings.length > 0) {
    out.push("", "Not understood or not simulated (as lbsim import says):");
    for (const w of report.importWarnings) out.push(`  ${report.file}:${w.line}: ${w.message}`);
  }
  for (const backend of report.backends) out.push("", ...backendText(report.file, backend));
  return `${out.join("\n")}\n`;
}

function backendText(file: string, b: BackendExplained): string[] {
  const redispatch = b.redispatch === null ? "no redispatch" : "option redispatch";
  const out = [
    `backend ${b.name}${b.skipped === undefined ? `  (balance ${b.balance}, retries ${b.retries}, ${redispatch})` : ""}`,
  ];
  if (b.skipped !== undefined) return [...out, `  skipped: ${b.skipped}`];
  const shares = b.shares!;
  out.push("", `  Expected shares [strategy: ${shares.basis}]`);
  const model = new Map(shares.model.servers.map((s) => [s.name, s.share]));
  out.push(
    ...table(
      [
        ["server", "weight", "share", "by weight", `model run (${fmt(shares.model.requests)} requests)`],
        ...shares.servers.map((s) => [
          s.name,
          String(s.weight),
          pct(s.share),
          pct(s.weightShare),
          pct(model.get(s.name) ?? 0),
        ]),
      ],
      "    ",
    ),
  );
  for (const note of shares.notes) out.push(`    note: ${note}`);
  if (shares.hash !== null) {
    const h = shares.hash;
    out.push(
      `    key: ${h.key}; population: ${h.population}`,
      `    hash-type ${h.hashType} (${h.hashFunction}): ${h.lookup}`,
    );
    const values = shares.servers.map((s) => s.share);
    out.push(`    spread: ${pct(Math.min(...values))} – ${pct(Math.max(...values))} per server`);
    if (h.consecutive !== undefined)
      out.push(
        `    over ${h.consecutive.population}: ${h.consecutive.servers.map((s) => `${s.name} ${pct(s.share)}`).join(", ")}`,
      );
    if (h.othersMovedWhenFirstDown !== null)
      out.push(
        `    when ${shares.servers[0]?.name} goes DOWN, ${pct(h.othersMovedWhenFirstDown)} of the other servers' keys move too${h.hashType === "consistent" ? " (consistent: only its own keys should)" : ""}`,
      );
  }
  const backups = shares.backups;
  if (backups.servers.length > 0) {
    const takeover =
      backups.takeover === "allbackups"
        ? `then all of them (option allbackups), ${backups.sharesWhenActivesDown.map((s) => `${s.name} ${pct(s.share)}`).join(", ")}`
        : `then the first, ${backups.servers[0]}, takes everything (no option allbackups)`;
    out.push(
      `    backups ${backups.servers.join(", ")}: 0% while any active server is UP; ${takeover} (§3.12)`,
    );
  }
  for (const ramp of shares.slowstart) {
    out.push(
      ramp.ramps
        ? `    slowstart ${ms(ramp.slowstartMs)} on ${ramp.server}: after UP its share is ${ramp.steps.map((s) => `${pct(s.share)} at ${ms(s.afterMs)}`).join(", ")} (weight × (⌊16·t/S⌋+1)/16, §8 rule 18)`
        : `    slowstart ${ms(ramp.slowstartMs)} on ${ramp.server}: no ramp, balance ${b.balance} is static (§1)`,
    );
  }
  const disabled = new Set(b.disabledServers);
  out.push(
    "",
    "  Health checks [formula: after the event, as a range over where it falls between two checks]",
  );
  out.push(
    ...table(
      [
        ["server", "check", "crash → DOWN", "hang → DOWN", "restore → UP"],
        ...b.checks!.servers.map((c) => [
          disabled.has(c.server) ? `${c.server} (disabled)` : c.server,
          checkText(c),
          rangeText(c.crashToDown),
          rangeText(c.hangToDown),
          c.checked ? `${rangeText(c.restoreToUp)} (after a hang ${rangeText(c.restoreAfterHangToUp)})` : "—",
        ]),
      ],
      "    ",
    ),
  );
  const first = b.checks!.servers.find((c) => c.checked);
  for (const f of first?.formulas ?? []) out.push(`    ${f}`);
  if (b.failover !== undefined) {
    out.push(
      "",
      `  Failover [model: ${b.failover.server} broken ${ms(b.failover.crash.faultAtMs)} into a run, restored later]`,
    );
    out.push(
      ...failoverText(b.failover.crash, b.checks!.servers.find((c) => c.server === b.failover!.server)!),
    );
    out.push(
      ...failoverText(b.failover.hang, b.checks!.servers.find((c) => c.server === b.failover!.server)!),
    );
  }
  const l = b.limits!;
  out.push("", "  Queue and timeout limits [formula]");
  out.push(
    `    most requests at the servers: ${l.sumMaxconn === null ? "unlimited (a server without maxconn)" : `Σ maxconn = ${l.sumMaxconn}`}` +
      `${l.throughputPerSecond === null ? "" : `, about ${fmt(Math.round(l.throughputPerSecond))}/s at the service's mean`}`,
    l.servers.some((s) => s.maxconn > 0)
      ? `    most waiting: ${l.sumMaxqueue === null ? "unbounded server queues (not every server has a maxqueue)" : `Σ maxqueue = ${l.sumMaxqueue} in the servers' own queues`} and the backend queue (unbounded), each request for at most timeout queue`
      : "    most waiting: none: without maxconn no request waits in HAProxy's queues",
  );
  for (const f of l.frontends)
    out.push(
      `    frontend ${f.name}: maxconn ${f.maxconn ?? (l.globalMaxconn === null ? "unset" : `${l.globalMaxconn} (global)`)}, timeout client ${f.clientTimeoutMs === null ? "unset" : ms(f.clientTimeoutMs)}`,
    );
  out.push(
    `    timeout connect ${nullable(l.timeouts.connectMs)}, server ${nullable(l.timeouts.serverMs)}, queue ${nullable(l.timeouts.queueMs)}${l.timeouts.queueFromConnect ? " (unset: timeout connect)" : ""}`,
  );
  for (const line of l.above) out.push(`    ${line}`);
  out.push("", b.warnings.length === 0 ? "  Warnings: none" : "  Warnings");
  for (const w of b.warnings)
    out.push(`    ${file}:${w.line}: ${w.message} [${w.code}; haproxy-semantics.md ${w.cite}]`);
  return out;
}

function nullable(valueMs: number | null): string {
  return valueMs === null ? "infinite (unset)" : ms(valueMs);
}

function checkText(c: CheckTiming): string {
  if (!c.checked) return "none";
  return `${c.type} inter ${ms(c.interMs!)} fastinter ${ms(c.fastinterMs!)} downinter ${ms(c.downinterMs!)} rise ${c.rise} fall ${c.fall}`;
}

function failoverText(run: FailoverRun, timing: CheckTiming): string[] {
  const expected = run.fault === "crash" ? timing.crashToDown : timing.hangToDown;
  const w = run.window;
  const statuses = Object.entries(w.byStatus)
    .map(([status, count]) => `${fmt(count)} × ${status}`)
    .join(", ");
  const down =
    run.downAfterMs === null
      ? `never marked DOWN (formula: ${rangeText(expected)}); window until the restore, ${ms(w.lengthMs)}`
      : `DOWN after ${ms(run.downAfterMs)} (formula: ${rangeText(expected)})`;
  const lines = [
    `    ${run.fault === "crash" ? "crash (connection refused)" : "hang (accepted, never answered)"} of ${run.server}: ${down}`,
    `      requests in the window: ${fmt(w.requests)}; errors ${fmt(w.errors)} (${w.errorsPerSecond.toFixed(1)}/s)${statuses === "" ? "" : `: ${statuses}`}`,
    `      ${fmt(w.redispatched)} redispatched, ${fmt(w.retried)} retried on the same server; slowest success ${ms(Math.round(w.slowestOkMs))}`,
  ];
  const up =
    run.upAfterRestoreMs === null
      ? "not UP again within the run"
      : `UP ${ms(run.upAfterRestoreMs)} after the restore`;
  lines.push(
    `      ${up}; errors in the whole run ${fmt(run.errorsInRun)}${run.unfinished > 0 ? `, ${fmt(run.unfinished)} still open when the run ended` : ""}`,
  );
  return lines;
}
