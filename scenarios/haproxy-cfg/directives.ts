// Proxy directives inside a section (mode, balance, timeout, option…), and a warning or ignored entry for the rest.

import { parseHashType } from "../../strategies/hash-type.js";
import { resolveStrategy } from "../../strategies/index.js";
import { parseAcl } from "../acl.js";
import { cfgText, type Line, type Word } from "./lex.js";
import type { CfgProxy, Kind, Settings } from "./model.js";
import {
  GLOBAL_ACCEPTED,
  HTTP_CHECK_ACCEPTED,
  LISTEN_ACCEPTED,
  OPTION_ACCEPTED,
  refuseHttpCheck,
  refuseKeyword,
  refuseOption,
  refuseTimeout,
  TIMEOUTS,
} from "./rejected.js";
import { server, serverKeywords } from "./server-line.js";
import type { CfgState } from "./state.js";
import { IGNORED, ignoredKey, NOT_SIMULATED } from "./vocabulary.js";

export function directive(
  r: CfgState,
  kind: Kind,
  settings: Settings,
  proxy: CfgProxy | undefined,
  line: Line,
): void {
  const words = line.words;
  let first = words[0]!.text;
  let args = words.slice(1);
  let negated = false;
  if ((first === "no" || first === "default") && words[1] !== undefined) {
    negated = first === "no";
    first = words[1].text;
    args = words.slice(2);
  }
  const second = args[0]?.text;
  const two = second === undefined ? first : `${first} ${second}`;
  const keyword = words[words.length - args.length - 1]!;
  if (kind === "global") {
    // What HAProxy itself refuses is an error, before lbsim's own lists (tune.*, ssl-*) are asked.
    if (!GLOBAL_ACCEPTED.has(first)) refuseKeyword(r, line, keyword, "global");
    else if (first === "maxconn")
      r.globalMaxconn = r.integer(line, args[0], "maxconn", 0, Number.MAX_SAFE_INTEGER);
    else if (IGNORED.has(first) || IGNORED.has(two) || first.startsWith("tune.") || first.startsWith("ssl-"))
      r.ignore(ignoredKey(first, two), line.line);
    else r.warn(line.line, `"${first}" in global is not understood; it is left out`);
    return;
  }
  const backendSide = kind !== "frontend";
  const frontendSide = kind !== "backend";
  switch (first) {
    case "mode": {
      const mode = args[0]?.text;
      if (mode !== "http" && mode !== "tcp") r.bad(line, args[0], "mode", "http or tcp");
      else settings.mode = mode;
      return;
    }
    case "balance":
      if (!backendSide) break;
      balance(r, line, args, settings);
      return;
    case "hash-type": {
      if (!backendSide) break;
      const value = args.map((w) => w.text).join(" ");
      const parsed = parseHashType(value);
      if (parsed.kind === "ok") settings.hashType = value;
      else
        r.issue(
          "bad-value",
          line.line,
          args[0]?.column ?? words[0]!.column,
          `hash-type: ${parsed.message}`,
          parsed.hint,
        );
      return;
    }
    case "timeout":
      timeout(r, line, args, settings);
      return;
    case "retries":
      if (!backendSide) break;
      settings.retries = r.integer(line, args[0], "retries", 0, 100);
      return;
    case "maxconn":
      if (!frontendSide) {
        r.warn(
          line.line,
          "maxconn in a backend section has no effect in HAProxy (server maxconn is set per server)",
        );
        return;
      }
      settings.maxconn = r.integer(line, args[0], "maxconn", 0, Number.MAX_SAFE_INTEGER);
      return;
    case "default-server":
      if (!backendSide) break;
      serverKeywords(r, line, args, settings.defaultServer, "default-server");
      return;
    case "server":
      if (proxy === undefined || !backendSide) break;
      server(r, line, args, proxy);
      return;
    case "bind":
      if (proxy === undefined || !frontendSide) break;
      if (args[0] !== undefined) proxy.binds.push(args[0].text);
      r.ignore("bind", line.line);
      return;
    case "default_backend":
      if (proxy === undefined || !frontendSide) break;
      if (args[0] === undefined) r.bad(line, undefined, "default_backend", "a backend name");
      else proxy.defaultBackend = { name: args[0].text, line: line.line, column: args[0].column };
      return;
    case "use_backend":
      if (proxy === undefined || !frontendSide) break;
      if (args[0] === undefined) r.bad(line, undefined, "use_backend", "a backend name");
      else
        proxy.useBackends.push({ backend: args[0].text, text: cfgText(args), line: line.line, words: args });
      return;
    case "acl":
      acl(r, kind, proxy, line, args);
      return;
    case "option":
      option(r, line, args, settings, negated, backendSide, frontendSide);
      return;
    case "http-check":
      if (second === undefined || !HTTP_CHECK_ACCEPTED(second)) {
        refuseHttpCheck(r, line, args[0] ?? keyword);
        return;
      }
      if (second === "expect") {
        if (args[1]?.text === "status") {
          const status = args[2]?.text ?? "";
          if (!/^\d{3}$/.test(status))
            r.bad(line, args[2], "http-check expect status", "a status code such as 200");
          else
            r.warn(
              line.line,
              `http-check expect status ${status}: lbsim's HTTP checks pass on any 2xx or 3xx status`,
            );
        } else
          r.warn(
            line.line,
            `"${words.map((w) => w.text).join(" ")}" is not simulated: lbsim's HTTP checks pass on any 2xx or 3xx status`,
          );
        return;
      }
      if (
        second === "send" ||
        second === "connect" ||
        second === "disable-on-404" ||
        second === "send-state"
      ) {
        r.ignore(`http-check ${second}`, line.line);
        return;
      }
      break;
    default:
      break;
  }
  const reason = NOT_SIMULATED[two] ?? NOT_SIMULATED[first];
  if (reason !== undefined) {
    r.warn(line.line, `${first === "option" ? two : first}: ${reason}`);
    return;
  }
  if (IGNORED.has(two)) {
    r.ignore(two, line.line);
    return;
  }
  if (IGNORED.has(first) && first !== "option" && first !== "timeout") {
    r.ignore(ignoredKey(first, two), line.line);
    return;
  }
  if (!LISTEN_ACCEPTED.has(first)) {
    refuseKeyword(r, line, keyword, kind);
    return;
  }
  const where = kind === "defaults" ? "defaults" : `${kind} ${proxy?.name ?? ""}`;
  r.warn(
    line.line,
    `"${words
      .slice(0, first === "option" || first === "timeout" ? 2 : 1)
      .map((w) => w.text)
      .join(" ")}" in ${where} is not understood; it is left out`,
  );
}

/**
 * A frontend's `acl` line, checked as the loader will check it (scenarios/acl.ts); whether a
 * problem is an error depends on whether a use_backend rule uses the ACL (see routing.ts). A
 * backend's ACLs only serve rules lbsim ignores (http-request, use-server…), and HAProxy passes a
 * defaults section's ACLs on to no proxy.
 */
function acl(
  r: CfgState,
  kind: Kind,
  proxy: CfgProxy | undefined,
  line: Line,
  args: ReadonlyArray<Word>,
): void {
  const name = args[0];
  const criterion = args[1];
  if (name === undefined || criterion === undefined) {
    r.bad(line, criterion, "acl", "a name and a criterion (path_beg, path, hdr(host), src…)");
    return;
  }
  if (kind === "defaults") {
    r.warn(
      line.line,
      `acl ${name.text} in defaults is left out: HAProxy passes a defaults section's ACLs on to no frontend (and refuses them in a defaults section without a name)`,
    );
    return;
  }
  if (proxy === undefined || kind === "backend") {
    r.ignore("acl in a backend", line.line);
    return;
  }
  const text = cfgText(args);
  const parsed = parseAcl(text);
  proxy.acls.push({
    name: name.text,
    text,
    line: line.line,
    column: criterion.column,
    problems: parsed.ok ? [] : parsed.problems,
  });
}

function balance(r: CfgState, line: Line, args: ReadonlyArray<Word>, settings: Settings): void {
  const value = args.map((w) => w.text).join(" ");
  if (args.length === 0 || resolveStrategy(value) === undefined) {
    r.issue(
      "unknown-strategy",
      line.line,
      args[0]?.column ?? line.words[0]!.column,
      `balance: found ${args.length === 0 ? "nothing" : `"${value}"`}, expected an algorithm lbsim knows`,
      "roundrobin, static-rr, leastconn, first, source, uri [whole] [len N] [depth N], url_param <name>, hdr(<name>), random or random(N) (lbsim list shows them all)",
    );
    return;
  }
  settings.balance = value;
}

function timeout(r: CfgState, line: Line, args: ReadonlyArray<Word>, settings: Settings): void {
  const which = args[0]?.text;
  if (
    which === "connect" ||
    which === "server" ||
    which === "queue" ||
    which === "client" ||
    which === "check"
  ) {
    const value = r.durationValue(line, args[1], `timeout ${which}`, false);
    if (args[2] !== undefined) r.bad(line, args[2], `timeout ${which}`, "nothing after the duration");
    else if (value !== undefined) settings.timeout[which] = value;
    return;
  }
  if (which === undefined || !TIMEOUTS.has(which)) {
    refuseTimeout(r, line, args[0] ?? line.words[0]!);
    return;
  }
  if (IGNORED.has(`timeout ${which}`)) {
    r.ignore(`timeout ${which}`, line.line);
    return;
  }
  r.warn(line.line, `"timeout ${which ?? ""}" is not understood; it is left out`);
}

function option(
  r: CfgState,
  line: Line,
  args: ReadonlyArray<Word>,
  settings: Settings,
  negated: boolean,
  backendSide: boolean,
  frontendSide: boolean,
): void {
  const name = args[0]?.text;
  switch (name) {
    case "abortonclose":
      // A frontend refuses it (HAProxy warns "no backend capability"): ignored below, as there.
      if (!backendSide) break;
      // Measured on 2.6.12: it acts on a client that closes only from `defaults` or a `listen`
      // section (the proxy that holds the client connection), not from a `backend` section alone.
      if (!frontendSide) {
        r.warn(
          line.line,
          "option abortonclose in a backend section: HAProxy 2.6.12 was measured to act on it only from defaults or a listen section; left out",
        );
        return;
      }
      settings.abortonclose = !negated;
      return;
    case "redispatch": {
      if (!backendSide) break;
      if (negated) settings.redispatch = false;
      else if (args[1] === undefined) settings.redispatch = true;
      else {
        const p = r.integer(line, args[1], "option redispatch", -1000, 1000);
        if (p !== undefined) settings.redispatch = p;
      }
      return;
    }
    case "allbackups":
      if (!backendSide) break;
      settings.allbackups = !negated;
      return;
    case "httpchk":
      if (!backendSide) break;
      // [<method>] <uri> [<version>]: lbsim's check only looks at the status class.
      if (args.length > 4) r.bad(line, args[4], "option httpchk", "at most a method, a URI and a version");
      else settings.httpchk = !negated;
      return;
    default:
      break;
  }
  if (name === undefined) {
    r.issue("bad-value", line.line, line.words[0]!.column, "'option' expects an option name.");
    return;
  }
  if (!OPTION_ACCEPTED.has(name)) {
    refuseOption(r, line, args[0]!);
    return;
  }
  const two = `option ${name ?? ""}`;
  const reason = NOT_SIMULATED[two];
  if (reason !== undefined) r.warn(line.line, `${two}: ${reason}`);
  else if (IGNORED.has(two)) r.ignore(two, line.line);
  else r.warn(line.line, `"${two}" is not understood; it is left out`);
}
