// The `server <name> <address> [keywords]` and `default-server [keywords]` lines: a server's fields.

import { SERVER_KEYWORDS } from "./haproxy-keywords.js";
import type { Line, Word } from "./lex.js";
import type { CfgProxy, ServerSettings } from "./model.js";
import { refuseServerKeyword } from "./rejected.js";
import type { CfgState } from "./state.js";
import { NAME } from "./vocabulary.js";

/** Server keywords that say nothing lbsim simulates, with how many arguments each takes. */
const SERVER_IGNORED: Readonly<Record<string, number>> = {
  ssl: 0,
  "no-ssl": 0,
  verify: 1,
  verifyhost: 1,
  sni: 1,
  "check-sni": 1,
  "check-ssl": 0,
  "check-send-proxy": 0,
  alpn: 1,
  "check-alpn": 1,
  proto: 1,
  ca_file: 1,
  crt: 1,
  crl_file: 1,
  ciphers: 1,
  ciphersuites: 1,
  resolvers: 1,
  "resolve-prefer": 1,
  "resolve-net": 1,
  "resolve-opts": 1,
  "init-addr": 1,
  "send-proxy": 0,
  "send-proxy-v2": 0,
  "send-proxy-v2-ssl": 0,
  tfo: 0,
  port: 1,
  addr: 1,
  source: 1,
  "agent-check": 0,
  "agent-port": 1,
  "agent-inter": 1,
  "agent-addr": 1,
  "agent-send": 1,
  "on-marked-down": 1,
  "on-marked-up": 1,
  "pool-max-conn": 1,
  "pool-purge-delay": 1,
  "max-reuse": 1,
  "health-check-port": 1,
  "no-check-ssl": 0,
  "no-send-proxy": 0,
  "no-tfo": 0,
  "no-agent-check": 0,
  "no-backup": 0,
  enabled: 0,
};

export function server(r: CfgState, line: Line, args: ReadonlyArray<Word>, proxy: CfgProxy): void {
  const name = args[0];
  const address = args[1];
  if (name === undefined || !NAME.test(name.text)) {
    r.bad(line, name, "server name", "a name of letters, digits and - _ . :");
    return;
  }
  if (address === undefined) {
    r.bad(line, undefined, `server ${name.text}`, "an address such as 10.0.0.1:80");
    return;
  }
  if (proxy.servers.some((s) => s.name === name.text))
    r.bad(line, name, "server name", `a name not already used in ${proxy.name}`);
  const own: ServerSettings = { fields: {}, check: {} };
  serverKeywords(r, line, args.slice(2), own, `server ${proxy.name}/${name.text}`);
  const defaults = proxy.settings.defaultServer;
  const enabled = own.enabled ?? defaults.enabled ?? false;
  const fields: Record<string, unknown> = { ...own.fields };
  fields.check = enabled ? (Object.keys(own.check).length > 0 ? { ...own.check } : true) : false;
  proxy.servers.push({ name: name.text, address: address.text, line: line.line, fields });
}

/**
 * The keywords after `server <name> <address>` or `default-server`, into `into`; `label` names the
 * line as HAProxy's messages do (`server web/web01`).
 */
export function serverKeywords(
  r: CfgState,
  line: Line,
  words: ReadonlyArray<Word>,
  into: ServerSettings,
  label = "default-server",
): void {
  const forever = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const key = word.text;
    const arg = words[i + 1];
    const takes = (): Word | undefined => {
      i++;
      return arg;
    };
    switch (key) {
      case "check":
        into.enabled = true;
        break;
      case "no-check":
        into.enabled = false;
        break;
      case "backup":
        into.fields.backup = true;
        break;
      case "disabled":
        into.fields.disabled = true;
        break;
      case "inter":
      case "fastinter":
      case "downinter": {
        const value = r.durationValue(line, takes(), key, true);
        if (value !== undefined) into.check[key] = value;
        break;
      }
      case "rise":
      case "fall": {
        const n = r.integer(line, takes(), key, 1, forever);
        if (n !== undefined) into.check[key] = n;
        break;
      }
      case "weight":
        setField(into, key, r.integer(line, takes(), key, 0, 256));
        break;
      case "maxconn":
      case "maxqueue":
        setField(into, key, r.integer(line, takes(), key, 0, forever));
        break;
      case "minconn":
        takes();
        r.warn(line.line, "minconn (dynamic maxconn) is not simulated");
        break;
      case "id":
        setField(into, key, r.integer(line, takes(), key, 1, forever));
        break;
      case "slowstart":
        setField(into, key, r.durationValue(line, takes(), key, false));
        break;
      case "observe": {
        const mode = takes();
        if (mode?.text === "layer4" || mode?.text === "layer7") into.fields.observe = mode.text;
        else r.bad(line, mode, "observe", "layer4 or layer7");
        break;
      }
      case "error-limit":
        setField(into, key, r.integer(line, takes(), key, 1, forever));
        break;
      case "on-error": {
        const mode = takes();
        const modes = ["fastinter", "fail-check", "sudden-death", "mark-down"];
        if (mode !== undefined && modes.includes(mode.text)) into.fields["on-error"] = mode.text;
        else r.bad(line, mode, "on-error", modes.join(", "));
        break;
      }
      case "cookie":
        takes();
        r.warn(line.line, "server cookie: cookie persistence is not simulated");
        break;
      case "track":
        takes();
        r.warn(line.line, "track: tracking another server's checks is not simulated");
        break;
      default: {
        const count = SERVER_IGNORED[key];
        if (count !== undefined) {
          i += count;
          // `source <addr> [usesrc <addr>] [interface <name>]`: srv_parse_source reads these too.
          if (key === "source")
            while (words[i + 1]?.text === "usesrc" || words[i + 1]?.text === "interface") i += 2;
          r.ignore(`server ${key}`, line.line);
          break;
        }
        const takes = SERVER_KEYWORDS[key];
        if (takes === undefined) {
          // HAProxy stops at the first keyword it does not know: so does lbsim.
          refuseServerKeyword(r, line, word, label);
          return;
        }
        // Known to HAProxy, not simulated: left out with its argument.
        i += Math.max(takes, 0);
        r.warn(
          line.line,
          `server keyword "${key}" (column ${word.column}) is not understood; it is left out`,
        );
      }
    }
  }
}

function setField(into: ServerSettings, key: string, value: number | string | undefined): void {
  if (value !== undefined) into.fields[key] = value;
}
