// InputError: the one error type for bad user input (STYLE.md "Errors"); the CLI prints it and exits 2.

/** Stable codes that tests assert on. */
export type InputErrorCode =
  | "file-not-found"
  | "unreadable"
  | "syntax"
  | "unknown-key"
  | "missing-key"
  | "bad-type"
  | "bad-duration"
  | "bad-rate"
  | "bad-distribution"
  | "bad-value"
  | "unknown-server"
  | "unknown-client"
  | "unknown-strategy"
  | "bad-runtime-command"
  | "bad-trace"
  | "too-large"
  | "not-text";

export interface InputIssue {
  readonly code: InputErrorCode;
  /** File the problem is in (as given by the user), or "" for command-line input. */
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  readonly column: number;
  /** Field path, e.g. `backend.servers[1].weight`; "" when not about a field. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** One or more problems with user input. Thrown by loaders; never by sim/. */
export class InputError extends Error {
  readonly issues: ReadonlyArray<InputIssue>;

  constructor(issues: ReadonlyArray<InputIssue>) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "InputError";
    this.issues = issues;
  }

  static one(issue: InputIssue): InputError {
    return new InputError([issue]);
  }
}

/** `scenario.yaml:14:7: backend.servers[0].weigth: unknown key "weigth" (hint: did you mean "weight"?)` */
export function formatIssue(issue: InputIssue): string {
  const where =
    issue.file === ""
      ? ""
      : issue.line > 0
        ? `${issue.file}:${issue.line}:${issue.column}: `
        : `${issue.file}: `;
  const field = issue.path === "" ? "" : `${issue.path}: `;
  const hint = issue.hint === undefined ? "" : ` (hint: ${issue.hint})`;
  return `${where}${field}${issue.message}${hint}`;
}
