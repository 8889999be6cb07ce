// Spec of examples/: the GitHub Actions workflow and the Kubernetes Indexed Job parsed, checked, and their commands run here, merged = one machine.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliBuilt } from "./built-cli-test-support.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "lbsim.js");
const built = cliBuilt();
const WORKFLOW = join(root, "examples", "github-actions", "sweep.yml");
const JOB = join(root, "examples", "kubernetes", "sweep-job.yaml");

// biome-ignore lint/suspicious/noExplicitAny: the parsed YAML is walked field by field and checked.
type Any = any;

// biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's expression syntax, not a JS template.
const MATRIX_INDEX = "${{ matrix.index }}";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-shard-examples-"));
  // The examples run in the lbsim folder: its scenarios/ seen from a scratch folder.
  symlinkSync(join(root, "scenarios"), join(dir, "scenarios"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `npx lbsim …` run as the built CLI (bounded: spawnSync kills it at the timeout); exit 0 expected. */
function lbsim(argv: ReadonlyArray<string>, env: Record<string, string> = {}): string {
  expect(argv.slice(0, 2)).toEqual(["npx", "lbsim"]);
  const child = spawnSync(process.execPath, [bin, ...argv.slice(2)], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, LBSIM_SHARD_INDEX: "", JOB_COMPLETION_INDEX: "", SLURM_ARRAY_TASK_ID: "", ...env },
  });
  expect(child.status, child.stderr).toBe(0);
  return child.stdout;
}

/** The sweep of a shard's command as one machine runs it: without --shard, to whole.json and whole.csv. */
function oneMachine(argv: ReadonlyArray<string>): { json: string; csv: string } {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--shard" || argv[i] === "--json") i++;
    else rest.push(argv[i] as string);
  }
  lbsim([...rest, "--json", "whole.json", "--csv", "whole.csv", "-q"]);
  return {
    json: readFileSync(join(dir, "whole.json"), "utf8"),
    csv: readFileSync(join(dir, "whole.csv"), "utf8"),
  };
}

function shardCount(argv: ReadonlyArray<string>): number {
  const shard = argv[argv.indexOf("--shard") + 1] ?? "";
  const match = /^auto\/(\d+)$/.exec(shard);
  expect(match, `--shard auto/N in ${argv.join(" ")}`).not.toBeNull();
  return Number(match?.[1]);
}

describe("examples/kubernetes/sweep-job.yaml", () => {
  const job: Any = parse(readFileSync(JOB, "utf8"));
  const container: Any = job.spec.template.spec.containers[0];
  const command: string[] = container.command;

  it("is an Indexed Job whose completions are the N of --shard auto/N", () => {
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.kind).toBe("Job");
    expect(typeof job.metadata.name).toBe("string");
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.completions).toBe(shardCount(command));
    expect(Number.isInteger(job.spec.parallelism) && job.spec.parallelism >= 1).toBe(true);
    // A Job's pods may not restart Always (the API server refuses it).
    expect(["Never", "OnFailure"]).toContain(job.spec.template.spec.restartPolicy);
    expect(command.every((arg) => typeof arg === "string")).toBe(true);
  });

  it("writes each shard on a mounted volume, to a file named by its index", () => {
    const out = command[command.indexOf("--json") + 1] as string;
    expect(out).toContain("$(JOB_COMPLETION_INDEX)");
    const mount = container.volumeMounts.find((m: Any) => out.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    expect(job.spec.template.spec.volumes.map((v: Any) => v.name)).toContain(mount.name);
  });

  it.skipIf(!built)(
    "run here once per index (as Kubernetes expands it), the shards merge into the one-machine sweep",
    () => {
      const n = job.spec.completions as number;
      const mountPath = container.volumeMounts[0].mountPath as string;
      mkdirSync(join(dir, "out"));
      for (let index = 0; index < n; index++) {
        const env = { JOB_COMPLETION_INDEX: String(index) };
        // Kubernetes expands $(VAR) in command from the container's variables; the volume is ./out here.
        const argv = command.map((arg) =>
          arg
            .replace(/\$\((\w+)\)/g, (_, name: string) => (env as Record<string, string>)[name] ?? "")
            .replace(`${mountPath}/`, "out/"),
        );
        lbsim(argv, env);
      }
      const shards = readdirSync(join(dir, "out")).sort();
      expect(shards).toEqual(Array.from({ length: n }, (_, k) => `shard-${k}.json`));
      lbsim([
        "npx",
        "lbsim",
        "merge",
        ...shards.map((f) => `out/${f}`),
        "--json",
        "sweep.json",
        "--csv",
        "sweep.csv",
      ]);
      const whole = oneMachine(command);
      expect(readFileSync(join(dir, "sweep.json"), "utf8")).toBe(whole.json);
      expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole.csv);
    },
  );
});

describe("examples/github-actions/sweep.yml", () => {
  const workflow: Any = parse(readFileSync(WORKFLOW, "utf8"));
  const shardJob: Any = workflow.jobs.shard;
  const mergeJob: Any = workflow.jobs.merge;
  const shardStep: Any = shardJob.steps.find((s: Any) => String(s.run ?? "").includes("--shard"));
  const mergeStep: Any = mergeJob.steps.find((s: Any) => String(s.run ?? "").includes("lbsim merge"));
  /** A step's `run` as argv, with the matrix's expression replaced (the commands are plain words). */
  const argvOf = (run: string, index: number) => {
    expect(run).not.toMatch(/["'\\|;&]/);
    return run.replaceAll(MATRIX_INDEX, String(index)).trim().split(/\s+/);
  };

  it("has a matrix of 0-based shard indices 0..N-1 for --shard auto/N, and a merge job that needs it", () => {
    expect(workflow.on).toBeDefined();
    const n = shardCount(argvOf(shardStep.run, 0));
    expect(shardJob.strategy.matrix.index).toEqual(Array.from({ length: n }, (_, k) => k));
    expect(shardStep.env.LBSIM_SHARD_INDEX).toBe(MATRIX_INDEX);
    expect([mergeJob.needs].flat()).toContain("shard");
  });

  it("uploads each shard's file, and the merge job downloads every one of them", () => {
    const out = argvOf(shardStep.run, 0)[argvOf(shardStep.run, 0).indexOf("--json") + 1];
    const upload: Any = shardJob.steps.find((s: Any) =>
      String(s.uses).startsWith("actions/upload-artifact@"),
    );
    expect(upload.with.path.replaceAll(MATRIX_INDEX, "0")).toBe(out);
    const name = upload.with.name.replaceAll(MATRIX_INDEX, "0") as string;
    const download: Any = mergeJob.steps.find((s: Any) =>
      String(s.uses).startsWith("actions/download-artifact@"),
    );
    const pattern = new RegExp(`^${String(download.with.pattern).replaceAll("*", ".*")}$`);
    expect(name).toMatch(pattern);
    expect(download.with["merge-multiple"]).toBe(true);
    expect(mergeStep.run).toContain(`${download.with.path}/`);
  });

  it.skipIf(!built)("its shard step run for each index and its merge step give the one-machine sweep", () => {
    const n = shardJob.strategy.matrix.index.length as number;
    const download: Any = mergeJob.steps.find((s: Any) =>
      String(s.uses).startsWith("actions/download-artifact@"),
    );
    mkdirSync(join(dir, download.with.path));
    for (let index = 0; index < n; index++) {
      const argv = argvOf(shardStep.run, index);
      lbsim(argv, { LBSIM_SHARD_INDEX: String(index) });
      const file = argv[argv.indexOf("--json") + 1] as string;
      // download-artifact with merge-multiple: every shard's file in one folder.
      const text = readFileSync(join(dir, file), "utf8");
      expect(JSON.parse(text).shard).toEqual({ index: index + 1, count: n });
      rmSync(join(dir, file));
      writeFileAt(join(dir, download.with.path, file), text);
    }
    // The shell expands the glob of the merge step; here, the folder's files in name order.
    const merge = argvOf(mergeStep.run, 0).flatMap((arg) => {
      if (!arg.includes("*")) return [arg];
      const [folder, glob] = [dirname(arg), arg.slice(dirname(arg).length + 1)];
      const pattern = new RegExp(`^${glob.replaceAll(".", "\\.").replaceAll("*", ".*")}$`);
      return readdirSync(join(dir, folder))
        .filter((f) => pattern.test(f))
        .sort()
        .map((f) => `${folder}/${f}`);
    });
    lbsim(merge);
    const whole = oneMachine(argvOf(shardStep.run, 0));
    expect(readFileSync(join(dir, "sweep.json"), "utf8")).toBe(whole.json);
    expect(readFileSync(join(dir, "sweep.csv"), "utf8")).toBe(whole.csv);
  });
});

function writeFileAt(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
