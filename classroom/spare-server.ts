// The page's Add server when the scenario declares no server to add: the scenario's text with a
// spare declared in it (a copy of the backend's last server under the next free name, `added:
// false`), so the model knows its service and the export declares it for `lbsim run`.
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import type { Scenario } from "../scenarios/index.js";
import type { ControlAction } from "./actions.js";
import { Session } from "./page/session.js";
import { parseSource, type ScenarioSource } from "./source.js";

/** `web03` → `web04` (same width), `api` → `api-2`: the first such name no server has. */
export function nextFreeName(last: string, taken: ReadonlyArray<string>): string {
  const used = new Set(taken);
  const numbered = /^(.*?)(\d+)$/.exec(last);
  for (let n = numbered === null ? 2 : Number(numbered[2]) + 1; ; n++) {
    const name =
      numbered === null ? `${last}-${n}` : `${numbered[1]}${String(n).padStart(numbered[2]!.length, "0")}`;
    if (!used.has(name)) return name;
  }
}

/** The `servers:` list of backend `name` in the document (`backend:` or one of `backends:`), if written. */
function serversOf(doc: ReturnType<typeof parseDocument>, name: string): YAMLSeq | undefined {
  // The text's own shape decides (the Scenario lists `backends` even for one backend).
  if (!doc.has("backends")) {
    const servers = doc.getIn(["backend", "servers"], true);
    return isSeq(servers) ? servers : undefined;
  }
  const backends = doc.get("backends", true);
  if (!isSeq(backends)) return undefined;
  const entry = backends.items.find((b) => isMap(b) && b.get("name") === name);
  const servers = isMap(entry) ? entry.get("servers", true) : undefined;
  return isSeq(servers) ? servers : undefined;
}

/**
 * The source with a spare server for backend `backend`: a copy of the last non-backup server written
 * in its `servers:` list (so it has the same service, slots, weight…, and the same defaults) under
 * the next free name, with `added: false`. A sentence saying why not when the list is not written
 * in the scenario (its servers come from a haproxy.cfg only, or a backends entry the text lacks).
 */
export function withSpareServer(
  source: ScenarioSource,
  scenario: Scenario,
  backend: string,
): { readonly source: ScenarioSource; readonly name: string; readonly copyOf: string } | string {
  const spec = (scenario.backends ?? [scenario.backend]).find((b) => b.name === backend);
  const doc = parseDocument(source.text);
  const servers = spec === undefined ? undefined : serversOf(doc, backend);
  const model = [...(servers?.items ?? [])]
    .reverse()
    .find((item): item is YAMLMap => isMap(item) && item.get("backup") !== true);
  const copyOf = model?.get("name");
  if (spec === undefined || servers === undefined || model === undefined || typeof copyOf !== "string")
    return (
      `Add server: backend "${backend}" has no server to add, and its servers are not listed in ` +
      `${source.file} to copy one. Declare one there with added: false (e.g. {name: web04, added: false}).`
    );
  const name = nextFreeName(
    copyOf,
    spec.servers.map((s) => s.name),
  );
  const spare = model.clone() as YAMLMap;
  spare.set("name", name);
  spare.delete("id");
  spare.set("added", false);
  spare.flow = true;
  servers.add(spare);
  return { source: { ...source, text: doc.toString({ lineWidth: 0 }) }, name, copyOf };
}

/**
 * The session again on the source with a spare server, every action replayed at its time, and the
 * add applied to the spare: what the page runs on after an Add with nothing declared to add. The
 * spare changes nothing before it is added (sim/model/dynamic-servers.spec.ts), so the class sees
 * the same run go on. A sentence for the teacher when no spare can be declared.
 */
export function sessionWithSpare(
  session: Session,
  source: ScenarioSource,
  add: Extract<ControlAction, { kind: "add" }>,
): { readonly session: Session; readonly source: ScenarioSource; readonly note: string } | string {
  const spare = withSpareServer(source, session.scenario, add.backend);
  if (typeof spare === "string") return spare;
  const next = new Session(parseSource(spare.source), session.seed);
  next.replay(session.applied, session.nowMs);
  next.playing = session.playing;
  next.speed = session.speed;
  next.apply([{ kind: "add", backend: add.backend, server: spare.name }]);
  const note = `Add server: ${spare.name} is a copy of ${spare.copyOf}, declared with added: false (the export writes it).`;
  return {
    session: next,
    source: { ...spare.source, note: source.note === undefined ? note : `${source.note}. ${note}` },
    note,
  };
}
