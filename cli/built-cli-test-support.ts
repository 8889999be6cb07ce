// The built CLI (bin/lbsim.js over dist/) for specs that run it as a user does: skipped on a
// developer's tree that was never built, a failure under CI, which must run them.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export const LBSIM_BIN = join(ROOT, "bin", "lbsim.js");

/** Is `dist/<file>` built. With `CI` set its absence throws: a suite CI runs must not skip it. */
export function cliBuilt(file = "cli/bundle/pool-worker.js"): boolean {
  const built = existsSync(join(ROOT, "dist", file));
  if (!built && process.env.CI !== undefined && process.env.CI !== "")
    throw new Error(
      `dist/${file} is missing: run npm run build (under CI the built CLI's specs run, never skip)`,
    );
  return built;
}

/**
 * A scenario of two servers behind one backend (exponential service of 10 ms) and one Poisson
 * client, as the built CLI's sweep specs run it: `slots` per server when given.
 */
export function twoServerScenario(
  name: string,
  seed: number,
  duration: string,
  perSecond: number,
  slots?: number,
): string {
  const slotsField = slots === undefined ? "" : `, slots: ${slots}`;
  return `name: ${name}
seed: ${seed}
duration: ${duration}
backend:
  name: web
  service: { exponential: 10ms }
  servers:
    - { name: web01${slotsField} }
    - { name: web02${slotsField} }
clients:
  - name: load
    arrivals: { poisson: ${perSecond}/s }
`;
}
