// Section headers (global, defaults [name] [from x], frontend, backend, listen) and the settings each inherits.

import type { Line, Word } from "./lex.js";
import { type CfgProxy, copySettings, emptySettings, type Kind, type Settings } from "./model.js";
import type { CfgState } from "./state.js";
import { NAME } from "./vocabulary.js";

export function openSection(
  r: CfgState,
  kind: Kind,
  line: Line,
): { kind: Kind; proxy?: CfgProxy; settings: Settings } {
  const words = line.words;
  if (kind === "global") {
    if (words.length > 1) r.warn(line.line, "global takes no name; the rest of the line is not understood");
    return { kind, settings: emptySettings() };
  }
  let name = words[1]?.text;
  let from: Word | undefined;
  if (words[2]?.text === "from") from = words[3];
  if (name === "from" && kind === "defaults") {
    from = words[2];
    name = undefined;
  }
  if (name !== undefined && !NAME.test(name))
    r.bad(line, words[1], `${kind} name`, "a name of letters, digits and - _ . :");
  let base = r.defaults;
  if (from !== undefined) {
    const named = r.namedDefaults.get(from.text);
    if (named === undefined)
      r.bad(
        line,
        from,
        "from",
        `the name of a defaults section above (${[...r.namedDefaults.keys()].join(", ") || "none"})`,
      );
    else base = named;
  }
  if (kind === "defaults") {
    // HAProxy: a defaults section starts from scratch unless it says `from`.
    const settings = from === undefined ? emptySettings() : copySettings(base);
    r.defaults = settings;
    if (name !== undefined) r.namedDefaults.set(name, settings);
    return { kind, settings };
  }
  if (name === undefined) {
    r.bad(line, undefined, `${kind} name`, "a name");
    return { kind, settings: emptySettings() };
  }
  const proxy: CfgProxy = {
    kind,
    name,
    line: line.line,
    settings: copySettings(base),
    servers: [],
    binds: [],
    acls: [],
    useBackends: [],
  };
  if (r.proxies.some((p) => p.name === name && (p.kind === kind || p.kind === "listen" || kind === "listen")))
    r.bad(line, words[1], `${kind} name`, "a name not used by another proxy of the same kind");
  r.proxies.push(proxy);
  return { kind, proxy, settings: proxy.settings };
}
