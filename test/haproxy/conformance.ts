// conformance: one case = a backend and a sequence of steps, played on HAProxy and predicted by lbsim.
//
// Every request must get the same server from both (sequential traffic, haproxy-semantics.md §8).
// A disagreement fails the case with the backend's config and every step, HAProxy's answer beside
// lbsim's; agreement rates are printed per spec file after its cases ran. A strategy lbsim does not
// know fails its cases with "lbsim has no strategy …" (never a skip).

import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../strategies/test-support.js";
import { type BackendConfig, findHaproxy, type RequestStep, runOnHaproxy, type Step } from "./harness.js";
import { MissingStrategy, predict } from "./predict.js";

export interface Case {
  readonly name: string;
  readonly backend: BackendConfig;
  readonly steps: ReadonlyArray<Step>;
  /** Makes the uniform stream lbsim's strategy draws from (default: the FakeModel's seeded one). */
  readonly random?: () => () => number;
}

const haproxy = findHaproxy();
const INSTALL_HINT = "install it with `apt-get install -y haproxy` (or point HAPROXY at a binary)";
const NOT_FOUND = `${process.env.HAPROXY ?? "haproxy"} was not found or does not run`;

/**
 * `describe` for cases that need a real HAProxy: skipped with a hint on a developer machine without
 * one, failing when the CI environment variable is set.
 */
export function describeWithHaproxy(title: string, body: () => void): void {
  if (haproxy !== undefined) {
    describe(`${title} [${haproxy.version.replace(/ - https?:.*$/, "")}]`, body);
    return;
  }
  if (process.env.CI !== undefined) {
    describe(title, () => {
      it("needs haproxy, which CI must provide", () => {
        throw new Error(`${NOT_FOUND} and CI is set: ${INSTALL_HINT}`);
      });
    });
    return;
  }
  console.warn(`HAProxy conformance "${title}" skipped: ${NOT_FOUND}; ${INSTALL_HINT}.`);
  describe.skipIf(true)(title, body);
}

interface Tally {
  readonly name: string;
  readonly agreed: number;
  readonly total: number;
  readonly note?: string;
}

/** Registers one test per case and a summary of agreement rates after them. */
export function conformanceCases(cases: ReadonlyArray<Case>): void {
  const tallies: Tally[] = [];
  for (const c of cases) it(c.name, async () => checkCase(c, tallies));
  afterAll(() => {
    if (tallies.length === 0) return;
    const lines = tallies.map((t) => {
      const rate = t.total === 0 ? "-" : `${((100 * t.agreed) / t.total).toFixed(1)}%`;
      return `  ${rate.padStart(6)}  ${String(t.agreed).padStart(3)}/${String(t.total).padEnd(3)}  ${t.name}${t.note === undefined ? "" : `  (${t.note})`}`;
    });
    console.log(`HAProxy vs lbsim, requests agreeing:\n${lines.join("\n")}`);
  });
}

async function checkCase(c: Case, tallies: Tally[]): Promise<void> {
  const { config, answers } = await runOnHaproxy(haproxy!.binary, c.backend, c.steps);
  const refused = c.steps.flatMap((step, i) =>
    step.kind === "runtime" && answers[i] !== "" ? [`"${step.command}" → ${answers[i]}`] : [],
  );
  expect(refused, "HAProxy refused a runtime command: the case itself is wrong").toEqual([]);
  const requests = c.steps.filter((s) => s.kind === "request").length;
  let predicted: string[];
  try {
    predicted = predict(c.backend, c.steps, 1, c.random?.());
  } catch (error) {
    if (!(error instanceof MissingStrategy)) throw error;
    tallies.push({ name: c.name, agreed: 0, total: requests, note: "no lbsim strategy" });
    expect.fail(`${c.name}: ${error.message}\n${listing(c, config, answers, undefined)}`);
  }
  const requestSteps = c.steps.flatMap((step, i) => (step.kind === "request" ? [i] : []));
  const differing = requestSteps.filter((i) => answers[i] !== predicted[i]);
  tallies.push({ name: c.name, agreed: requests - differing.length, total: requests });
  if (differing.length > 0) {
    const first = requestSteps.indexOf(differing[0]!) + 1;
    expect.fail(
      `${c.name}: lbsim disagrees with HAProxy on ${differing.length} of ${requests} requests (first at request ${first})\n${listing(c, config, answers, predicted)}`,
    );
  }
}

/** The backend section of the config, then every step with HAProxy's answer (and lbsim's). */
function listing(
  c: Case,
  config: string,
  answers: ReadonlyArray<string>,
  predicted: ReadonlyArray<string> | undefined,
): string {
  let n = 0;
  const lines = c.steps.map((step, i) => {
    if (step.kind === "runtime") return `         > ${step.command}`;
    n++;
    const ours =
      predicted === undefined
        ? ""
        : ` lbsim ${predicted[i]!.padEnd(8)}${answers[i] !== predicted[i] ? " <-- differs" : ""}`;
    return `  ${String(n).padStart(4)}  ${describeRequest(step).padEnd(52)} haproxy ${answers[i]!.padEnd(8)}${ours}`;
  });
  return [
    config.slice(config.indexOf("\nbackend ") + 1).trimEnd(),
    "steps (requests numbered; `>` = runtime-API command, applied between two requests):",
    ...lines,
  ].join("\n");
}

function describeRequest(step: RequestStep): string {
  return `${step.source.padEnd(15)} GET ${step.path}${step.host === undefined ? " (no Host, HTTP/1.0)" : ` Host: ${step.host}`}`;
}

// --- step builders -------------------------------------------------------------------------------

export const cmd = (command: string): Step => ({ kind: "runtime", command });

/** `count` identical requests (for algorithms that ignore the request). */
export function plain(count: number): Step[] {
  return Array.from(
    { length: count },
    () => ({ kind: "request", source: "127.0.0.1", path: "/", host: "lb.test" }) as const,
  );
}

/** A spread of distinct 127.0.0.0/8 client addresses: the k-th. */
export function sourceAddress(k: number): string {
  return `127.${(k * 37 + 3) % 256}.${(k * 101 + 7) % 256}.${1 + ((k * 59) % 254)}`;
}

/** `count` requests cycling through `keys` distinct keys in a scrambled order (each key several times). */
export function keyed(count: number, keys: number, make: (key: number) => Omit<RequestStep, "kind">): Step[] {
  return Array.from(
    { length: count },
    (_, i) => ({ kind: "request", ...make((i * 7 + (i >> 3)) % keys) }) as const,
  );
}

/** Servers s1…sN with these weights. */
export function weighted(...weights: number[]): BackendConfig["servers"] {
  return weights.map((weight, i) => ({ name: `s${i + 1}`, weight }));
}

/** `requests` with a command from `command` (seeded draws) inserted after every 3–17 of them. */
export function interleave(
  seed: number,
  requests: ReadonlyArray<Step>,
  command: (draw: () => number) => string,
): Step[] {
  const draw = seededRandom(seed);
  const steps: Step[] = [];
  let next = 3 + Math.floor(draw() * 15);
  requests.forEach((request, i) => {
    if (i === next) {
      steps.push(cmd(command(draw)));
      next += 3 + Math.floor(draw() * 15);
    }
    steps.push(request);
  });
  return steps;
}

/** A command on a random server of `count`: maint, drain, ready (twice as likely) or a weight 0..6. */
export function dynamicChange(count: number, draw: () => number): string {
  const server = `be/s${1 + Math.floor(draw() * count)}`;
  const kind = Math.floor(draw() * 5);
  if (kind === 0) return `set server ${server} state maint`;
  if (kind === 1) return `set server ${server} state drain`;
  if (kind === 2) return `set weight ${server} ${Math.floor(draw() * 7)}`;
  return `set server ${server} state ready`;
}
