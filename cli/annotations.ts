// GitHub Actions annotations (`::error file=…,line=…::`) for `lbsim check`'s failures, pointing at the scenario's lines.
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { type ExpectPositions, expectPositions } from "../scenarios/index.js";
import { describeRegression, regressionName } from "./baseline-render.js";
import type { CheckJson } from "./check-report.js";
import { describeCheck } from "./junit.js";
import { STDIN_NAME } from "./stdin.js";

/** A workflow command's message: `%`, CR and LF escaped as GitHub's toolkit does (actions/toolkit, command.ts). */
export function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A property value (`file=`, `title=`): as a message, plus `:` and `,`, which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

export interface Annotation {
  readonly file?: string;
  readonly line?: number;
  readonly title: string;
  readonly message: string;
}

export function formatAnnotation(a: Annotation): string {
  const properties: string[] = [];
  if (a.file !== undefined) properties.push(`file=${escapeProperty(a.file)}`);
  if (a.file !== undefined && a.line !== undefined) properties.push(`line=${a.line}`);
  properties.push(`title=${escapeProperty(a.title)}`);
  return `::error ${properties.join(",")}::${escapeData(a.message)}\n`;
}

/** True when running as a GitHub Actions step (the runner sets GITHUB_ACTIONS=true). */
export function inGithubActions(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/**
 * One annotation per failed expectation, at its `expect:` entry (or the `expect:` key when the
 * line comes from a file it extends, else line 1), and one per regressed figure, at the
 * `baseline:` key (else `expect:`, else line 1). GitHub wants paths relative to the repository:
 * a path is given relative to the current folder, where a workflow's steps run.
 */
export function checkAnnotations(report: CheckJson, cwd: string): Annotation[] {
  const cache = new Map<string, ExpectPositions>();
  const positions = (file: string): ExpectPositions => {
    let found = cache.get(file);
    if (found === undefined) {
      try {
        found =
          file === STDIN_NAME ? { entries: [] } : expectPositions(readFileSync(resolve(cwd, file), "utf8"));
      } catch {
        found = { entries: [] };
      }
      cache.set(file, found);
    }
    return found;
  };
  const shownFile = (file: string): string | undefined => {
    if (file === STDIN_NAME) return undefined;
    if (!isAbsolute(file)) return file;
    const inside = relative(cwd, file);
    return inside.startsWith("..") || isAbsolute(inside) ? file : inside;
  };
  const out: Annotation[] = [];
  for (const s of report.scenarios) {
    const at = positions(s.file);
    const file = shownFile(s.file);
    for (const c of s.checks) {
      if (c.pass) continue;
      const entry = at.entries.find((e) => e.text === c.name);
      out.push({
        ...(file === undefined ? {} : { file }),
        line: entry?.line ?? at.expect ?? 1,
        title: `lbsim check: ${s.scenario}: ${c.name}`,
        message: `${c.name} failed: ${describeCheck(c).replaceAll("  ", "; ")}`,
      });
    }
    for (const r of report.baseline?.regressions ?? []) {
      if (r.scenario !== s.scenario || r.file !== s.file) continue;
      out.push({
        ...(file === undefined ? {} : { file }),
        line: at.baseline ?? at.expect ?? 1,
        title: `lbsim check: ${s.scenario}: ${regressionName(r)} got worse than the baseline`,
        message: `${regressionName(r)} got worse than the baseline ${report.baseline?.file ?? ""}: ${describeRegression(r).replaceAll("  ", "; ")}`,
      });
    }
  }
  return out;
}
