// `lbsim merge` reading: a shard file checked to be one (kind, format, shape) before any is joined.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as z from "zod";
import { UsageError } from "./args.js";
import { SHARD_FORMAT_VERSION, SHARD_KIND, type ShardFile } from "./sweep-shard.js";

const count = z.number().int().nonnegative();
const strings = z.array(z.string());

const SHARD_SCHEMA = z.object({
  kind: z.literal(SHARD_KIND),
  format: z.number().int(),
  lbsim: z.string(),
  shard: z.object({ index: count, count }),
  fingerprint: z.string(),
  grid: z.object({
    scenarioSha256: z.string(),
    pointsSha256: z.string(),
    file: z.string(),
    sets: strings,
    strategies: strings,
    replications: count,
    seed: z.number().int(),
    backend: z.string().nullable(),
    metrics: strings,
  }),
  outline: z.object({
    scenario: z.string(),
    file: z.string(),
    axes: z.array(z.object({ path: z.string(), values: strings })),
    strategies: strings,
    replications: count,
    totalRuns: count,
    points: z.array(z.object({ values: strings, baseSeed: z.number().int() })),
  }),
  runs: z.array(z.object({ task: count, figures: z.array(z.number()) })),
});

/** `2/4` */
export function shardName(shard: ShardFile): string {
  return `${shard.shard.index}/${shard.shard.count}`;
}

/** Reads FILE (relative to cwd) as a shard file; anything else is bad input naming the file (exit 2). */
export function readShardFile(file: string, cwd: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : String(code);
    throw new UsageError(`cannot read the shard ${file}: ${why}`, "merge");
  }
  return parseShardText(file, text);
}

export function parseShardText(file: string, text: string): ShardFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON: not a shard file of lbsim sweep --shard`, "merge");
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (record.kind !== SHARD_KIND) {
    const hint =
      "version" in record && "rows" in record ? " (it is a whole sweep's JSON, already merged)" : "";
    throw new UsageError(
      `${file} is not a shard file (no "kind": "${SHARD_KIND}")${hint}; write shards with lbsim sweep … --shard i/n --json FILE`,
      "merge",
    );
  }
  if (typeof record.format === "number" && record.format > SHARD_FORMAT_VERSION) {
    throw new UsageError(
      `${file} is a shard of format ${record.format}, newer than this lbsim reads (${SHARD_FORMAT_VERSION}): merge with the lbsim that wrote it`,
      "merge",
    );
  }
  const parsed = SHARD_SCHEMA.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? "" : ` at ${issue.path.join(".") || "the top"}: ${issue.message}`;
    throw new UsageError(`${file} is not a well-formed shard file${where}`, "merge");
  }
  const shard = parsed.data as ShardFile;
  if (shard.shard.index < 1 || shard.shard.index > shard.shard.count) {
    throw new UsageError(`${file}: shard ${shardName(shard)} is out of range`, "merge");
  }
  return shard;
}
