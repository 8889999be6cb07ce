// Spec of `--shard`: parsing i/n and auto/n from each environment variable, and the round-robin slices.
import { describe, expect, it } from "vitest";
import { UsageError } from "./args.js";
import { parseShard, shardTasks } from "./sweep-shard.js";

const message = (body: () => unknown): string => {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
};

describe("--shard i/n", () => {
  it("reads i and n", () => {
    expect(parseShard("2/4", {})).toEqual({ index: 2, count: 4 });
    expect(parseShard("1/1", {})).toEqual({ index: 1, count: 1 });
  });

  it.each(["0/4", "5/4", "2/0", "2", "a/4", "-1/4", "2/4/1", "1.5/4"])("refuses %s", (text) => {
    expect(message(() => parseShard(text, {}))).toMatch(/--shard/);
  });
});

describe("--shard auto/n: the 0-based index from the environment, 0 being shard 1/n", () => {
  it.each([
    [{ LBSIM_SHARD_INDEX: "0" }, 1],
    [{ JOB_COMPLETION_INDEX: "2" }, 3],
    [{ SLURM_ARRAY_TASK_ID: "11", SLURM_ARRAY_TASK_MIN: "10" }, 2],
    [{ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_MIN: "0" }, 1],
  ])("%o gives shard %i/3", (env, index) => {
    expect(parseShard("auto/3", env)).toEqual({ index, count: 3 });
  });

  it("prefers the explicit LBSIM_SHARD_INDEX, then Kubernetes, then Slurm", () => {
    const all = {
      LBSIM_SHARD_INDEX: "1",
      JOB_COMPLETION_INDEX: "2",
      SLURM_ARRAY_TASK_ID: "0",
      SLURM_ARRAY_TASK_MIN: "0",
    };
    expect(parseShard("auto/3", all).index).toBe(2);
    const { LBSIM_SHARD_INDEX: _, ...k8sAndSlurm } = all;
    expect(parseShard("auto/3", k8sAndSlurm).index).toBe(3);
  });

  it("names every variable it looked at when none is set", () => {
    expect(message(() => parseShard("auto/3", {}))).toBe(
      "--shard auto/3: no shard index in the environment (looked at LBSIM_SHARD_INDEX, JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN); set one, or give --shard i/3",
    );
  });

  it("refuses an index out of range or not a number, saying which variable gave it", () => {
    expect(message(() => parseShard("auto/3", { JOB_COMPLETION_INDEX: "3" }))).toBe(
      '--shard auto/3: JOB_COMPLETION_INDEX="3" gives index 3, but the indices of 3 shards are 0 to 2',
    );
    expect(message(() => parseShard("auto/3", { LBSIM_SHARD_INDEX: "one" }))).toContain(
      'LBSIM_SHARD_INDEX="one" is not a whole number',
    );
    // A Slurm array id below its minimum, or without the minimum, is not an index.
    expect(
      message(() => parseShard("auto/3", { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_MIN: "5" })),
    ).toContain("SLURM_ARRAY_TASK_ID");
    expect(message(() => parseShard("auto/3", { SLURM_ARRAY_TASK_ID: "4" }))).toContain(
      "SLURM_ARRAY_TASK_MIN",
    );
  });
});

describe("shardTasks", () => {
  it("deals the runs round-robin: every task in exactly one shard, sizes within one", () => {
    const total = 23;
    const slices = [1, 2, 3, 4].map((index) => shardTasks(total, { index, count: 4 }));
    expect(slices[1]).toEqual([1, 5, 9, 13, 17, 21]);
    expect(slices.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, t) => t));
    const sizes = slices.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("gives an empty slice to a shard beyond the number of runs", () => {
    expect(shardTasks(2, { index: 3, count: 3 })).toEqual([]);
  });
});
