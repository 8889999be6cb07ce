// haproxy.cfg → the scenario's frontends and backends (raw, as a scenario file writes them:
// `frontend:` or `frontends:`, `backend:` or `backends:`), plus what was ignored and what was not
// understood. A malformed value of a directive lbsim understands, and a word HAProxy itself refuses
// (rejected.ts), is an InputError at file:line:col; a word HAProxy accepts and lbsim does not model
// is a warning or an ignored line.

import { InputError } from "../../errors/index.js";
import { directive } from "./directives.js";
import { lexCfg } from "./lex.js";
import type { CfgImport, CfgProxy, Kind, Settings } from "./model.js";
import { openSection } from "./sections.js";
import { CfgState } from "./state.js";
import { topology } from "./topology.js";
import { OTHER_SECTIONS, SECTIONS } from "./vocabulary.js";

export type { CfgImport, CfgNote, CfgServer, CfgTopology, IgnoredDirective } from "./model.js";

/** Reads `text` (the contents of `file`). Throws InputError for malformed understood values. */
export function importHaproxyCfg(text: string, file: string): CfgImport {
  const r = new CfgState(file);
  const { lines, problems } = lexCfg(text);
  for (const p of problems) r.issue("syntax", p.line, p.column, p.message);
  let section: { kind: Kind; proxy?: CfgProxy; settings: Settings } | { kind: "other" } | undefined;
  for (const line of lines) {
    const first = line.words[0]!.text;
    if (SECTIONS.has(first)) {
      section = openSection(r, first as Kind, line);
      continue;
    }
    if (OTHER_SECTIONS.has(first)) {
      r.ignore(`${first} section`, line.line);
      section = { kind: "other" };
      continue;
    }
    if (section === undefined) {
      r.warn(line.line, `"${first}" outside any section is not understood`);
      continue;
    }
    if (section.kind === "other") continue;
    directive(r, section.kind, section.settings, section.proxy, line);
  }
  if (r.issues.length > 0) throw new InputError(r.issues);
  return topology(r);
}
