// A frontend's routing (acl, use_backend, default_backend) checked as HAProxy checks it when it
// loads the file, and written as the frontend's scenario keys.

import { aclNamesUsed, PREDEFINED_ACLS, parseUseBackend } from "../acl.js";
import type { CfgProxy, CfgUseBackend } from "./model.js";
import type { CfgState } from "./state.js";

/** Where a frontend sends requests, as a scenario file writes it. */
export interface Routing {
  /** `acl:` entries: the ACLs its use_backend rules use, in file order. */
  readonly acl: ReadonlyArray<string>;
  /** `use_backend:` entries, in file order (rules with a computed backend name left out). */
  readonly useBackend: ReadonlyArray<string>;
  /** `default_backend`: a listen section's is itself. */
  readonly defaultBackend: string | undefined;
  /** The backends it may send a request to. */
  readonly targets: ReadonlyArray<string>;
}

/** `frontend`'s routing; problems HAProxy refuses the file for are issues of `r`. */
export function routing(r: CfgState, frontend: CfgProxy, backends: ReadonlyArray<string>): Routing {
  const known = `the backends in this file are ${backends.join(", ") || "none"}`;
  const targets = new Set<string>();
  const d = frontend.defaultBackend;
  if (d !== undefined && !backends.includes(d.name))
    // HAProxy 2.6: "Proxy 'www': unable to find required default_backend: 'nope'."
    r.issue(
      "bad-value",
      d.line,
      d.column,
      `default_backend: no backend named "${d.name}" in this file`,
      known,
    );
  const defaultBackend = d?.name ?? (frontend.kind === "listen" ? frontend.name : undefined);
  if (defaultBackend !== undefined) targets.add(defaultBackend);
  const usedAcls = new Set<string>();
  const useBackend: string[] = [];
  for (const rule of frontend.useBackends) {
    if (rule.backend.includes("%")) {
      // HAProxy reads a name with % as a log-format expression evaluated per request.
      r.warn(
        rule.line,
        `use_backend ${rule.text}: a backend name computed per request (%[…]) is not simulated; the rule is left out`,
      );
      continue;
    }
    if (!backends.includes(rule.backend))
      // HAProxy 2.6: "Proxy 'www': unable to find required use_backend: 'nope'."
      r.issue(
        "bad-value",
        rule.line,
        rule.words[0]!.column,
        `use_backend: no backend named "${rule.backend}" in this file`,
        known,
      );
    const parsed = parseUseBackend(rule.text);
    if (!parsed.ok) {
      const at = rule.words[1] ?? rule.words[0]!;
      for (const p of parsed.problems)
        r.issue(p.code, rule.line, at.column, `use_backend: ${p.message}`, p.hint);
      continue;
    }
    const condition = parsed.value.condition;
    for (const name of condition === null ? [] : aclNamesUsed(condition)) {
      usedAcls.add(name);
      checkAclName(r, frontend, rule, name);
    }
    targets.add(rule.backend);
    useBackend.push(rule.text);
  }
  return {
    acl: acls(r, frontend, usedAcls),
    useBackend,
    defaultBackend,
    targets: [...targets],
  };
}

/**
 * HAProxy looks an ACL name up when it reads the rule: it must be defined above, in the same
 * frontend, or be predefined (TRUE, HTTP, LOCALHOST…); otherwise it refuses the file with
 * "error detected while parsing switching rule : no such ACL : 'is_api'".
 */
function checkAclName(r: CfgState, frontend: CfgProxy, rule: CfgUseBackend, name: string): void {
  if (PREDEFINED_ACLS.has(name)) return;
  if (frontend.acls.some((a) => a.name === name && a.line < rule.line)) return;
  const later = frontend.acls.find((a) => a.name === name);
  const word = rule.words.find((w) => w.text === name || w.text === `!${name}`) ?? rule.words[0]!;
  r.issue(
    "bad-value",
    rule.line,
    word.column + (word.text.startsWith("!") ? 1 : 0),
    `use_backend: no ACL named "${name}" above this line in ${frontend.kind} ${frontend.name}`,
    later !== undefined
      ? `it is defined below, on line ${later.line}: HAProxy refuses a rule that uses an ACL before its acl line`
      : `define it above with acl ${name} <criterion>, or write the criterion in braces: use_backend ${rule.backend} if { path_beg /api/ }`,
  );
}

/**
 * The `acl:` entries of a frontend: those its use_backend rules use. A problem with one of them is
 * an error; the others only serve rules lbsim ignores (http-request, redirect…), so a criterion
 * lbsim cannot evaluate there (ssl_fc, method…) is only a warning.
 */
function acls(r: CfgState, frontend: CfgProxy, used: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const a of frontend.acls) {
    if (used.has(a.name)) {
      for (const p of a.problems) r.issue(p.code, a.line, a.column, `acl ${a.name}: ${p.message}`, p.hint);
      out.push(a.text);
    } else if (a.problems.length > 0) {
      r.warn(
        a.line,
        `acl ${a.name}: ${a.problems[0]!.message}; no use_backend rule uses it, so it is left out`,
      );
    } else {
      r.ignore("acl used by no use_backend rule", a.line);
    }
  }
  return out;
}
