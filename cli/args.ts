// Command-line parsing: options of one subcommand, with messages that say what was expected.
import { didYouMean } from "./suggest.js";

/** Bad command-line usage: printed as one line plus a usage hint, exit code 2. */
export class UsageError extends Error {
  /** The subcommand whose help to point at ("" for the top level). */
  readonly command: string;

  constructor(message: string, command: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

export interface OptionSpec {
  /** Long name without dashes: `seed` for `--seed`. */
  readonly name: string;
  /** Placeholder of the value (`N`, `FILE|-`) for options that take one; absent for flags. */
  readonly value?: string;
  readonly short?: string;
  readonly help: string;
}

export interface ParsedArgs {
  readonly positionals: ReadonlyArray<string>;
  /** Values of options that take one, by long name. */
  readonly values: ReadonlyMap<string, string>;
  /** Flags that were given, by long name. */
  readonly flags: ReadonlySet<string>;
}

/**
 * Parses `--name value`, `--name=value`, flags, `-h`-style short forms, and `--` (everything after
 * it is positional). Each option may be given once. A value may be `-` (stdout) or start with a
 * single dash (`--seed -1` then fails as a bad number, which is a clearer message).
 */
export function parseArgs(
  args: ReadonlyArray<string>,
  specs: ReadonlyArray<OptionSpec>,
  command: string,
): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const seen = new Set<string>();

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const equals = arg.indexOf("=");
    const written = long && equals > 0 ? arg.slice(0, equals) : arg;
    const spec = long
      ? specs.find((s) => `--${s.name}` === written)
      : specs.find((s) => s.short !== undefined && `-${s.short}` === written);
    if (spec === undefined) throw unknownOption(written, specs, command);
    const display = `--${spec.name}`;
    if (seen.has(spec.name)) throw new UsageError(`${display} is given more than once`, command);
    seen.add(spec.name);

    if (spec.value === undefined) {
      if (long && equals > 0) throw new UsageError(`${display} takes no value`, command);
      flags.add(spec.name);
      continue;
    }
    let value: string | undefined;
    if (long && equals > 0) {
      value = arg.slice(equals + 1);
    } else {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === "") {
      throw new UsageError(`${display} needs a value (${display} ${spec.value})`, command);
    }
    values.set(spec.name, value);
  }
  return { positionals, values, flags };
}

function unknownOption(written: string, specs: ReadonlyArray<OptionSpec>, command: string): UsageError {
  const names = specs.map((s) => `--${s.name}`);
  const suggestion = written.startsWith("--") ? didYouMean(written, names) : undefined;
  const where = command === "" ? "" : ` for "${command}"`;
  const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`;
  return new UsageError(`unknown option ${written}${where}${hint}`, command);
}

/** `--seed N`: a whole number from 0 to 2^53 − 1, written in decimal digits. */
export function parseSeed(text: string, command: string): number {
  const seed = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(seed)) {
    throw new UsageError(
      `--seed expects a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got "${text}"`,
      command,
    );
  }
  return seed;
}
