// haproxy.cfg → the scenario's `frontend:` and `backend:` (raw, as a scenario file writes them),
// plus what was ignored and what was not understood. A malformed value of a directive lbsim
// understands is an InputError at file:line:col; an unknown directive is a warning, since HAProxy
// has hundreds of them.

import { parseHashType } from "../../strategies/hash-type.js";
import { resolveStrategy } from "../../strategies/index.js";
import { InputError, type InputErrorCode, type InputIssue } from "../errors.js";
import { type Line, lexCfg, type Word } from "./lex.js";

/** A note about one line of the cfg: something not understood, or understood but not simulated. */
export interface CfgNote {
  readonly line: number;
  readonly message: string;
}

/** A directive with no meaning in a simulation, listed once with every line it is on. */
export interface IgnoredDirective {
  readonly directive: string;
  readonly lines: ReadonlyArray<number>;
}

export interface CfgServer {
  readonly name: string;
  readonly address: string;
  readonly line: number;
  /** The server's fields in scenario form (`weight`, `check`, `backup`…). */
  readonly fields: Record<string, unknown>;
}

export interface CfgImport {
  readonly file: string;
  /** `{frontend?, backend}` as a scenario file would write them (durations in ms). */
  readonly value: { frontend?: Record<string, unknown>; backend: Record<string, unknown> };
  readonly frontendName: string | undefined;
  readonly backendName: string;
  readonly servers: ReadonlyArray<CfgServer>;
  /** `bind` addresses of the imported frontend. */
  readonly binds: ReadonlyArray<string>;
  /** `http-check expect status N` and other understood-but-approximated settings. */
  readonly ignored: ReadonlyArray<IgnoredDirective>;
  /** Unknown directives and what lbsim does not simulate (routing, other proxies), by line. */
  readonly warnings: ReadonlyArray<CfgNote>;
}

type Kind = "global" | "defaults" | "frontend" | "backend" | "listen";

interface Check {
  inter?: number;
  fastinter?: number;
  downinter?: number;
  rise?: number;
  fall?: number;
}

interface ServerSettings {
  fields: Record<string, unknown>;
  check: Check;
  /** `check` / `no-check` seen: true / false; undefined when not said. */
  enabled?: boolean;
}

interface Settings {
  mode?: string;
  balance?: string;
  hashType?: string;
  timeout: { connect?: number; server?: number; queue?: number; client?: number; check?: number };
  retries?: number;
  redispatch?: boolean | number;
  httpchk?: boolean;
  allbackups?: boolean;
  maxconn?: number;
  defaultServer: ServerSettings;
}

interface Proxy {
  readonly kind: Kind;
  readonly name: string;
  readonly line: number;
  settings: Settings;
  servers: CfgServer[];
  binds: string[];
  defaultBackend?: { name: string; line: number; column: number };
  useBackends: { backend: string; line: number; text: string }[];
}

const emptySettings = (): Settings => ({ timeout: {}, defaultServer: { fields: {}, check: {} } });

const copySettings = (s: Settings): Settings => ({
  ...s,
  timeout: { ...s.timeout },
  defaultServer: {
    fields: { ...s.defaultServer.fields },
    check: { ...s.defaultServer.check },
    ...(s.defaultServer.enabled === undefined ? {} : { enabled: s.defaultServer.enabled }),
  },
});

const SECTIONS = new Set<string>(["global", "defaults", "frontend", "backend", "listen"]);

/** Sections HAProxy knows that say nothing lbsim simulates: their lines are skipped as one. */
const OTHER_SECTIONS = new Set([
  "peers",
  "resolvers",
  "userlist",
  "cache",
  "program",
  "http-errors",
  "ring",
  "mailers",
  "fcgi-app",
  "log-forward",
  "crt-store",
  "traces",
]);

/** Directives with no meaning in a simulation (first word, or first two for `option`/`stats`). */
const IGNORED = new Set([
  "log",
  "log-format",
  "log-tag",
  "log-send-hostname",
  "chroot",
  "user",
  "group",
  "uid",
  "gid",
  "daemon",
  "master-worker",
  "pidfile",
  "nbproc",
  "nbthread",
  "cpu-map",
  "stats",
  "errorfile",
  "errorloc",
  "errorloc302",
  "errorloc303",
  "ca-base",
  "crt-base",
  "ssl-default-bind-ciphers",
  "ssl-default-bind-ciphersuites",
  "ssl-default-bind-options",
  "ssl-default-server-ciphers",
  "ssl-default-server-ciphersuites",
  "ssl-default-server-options",
  "ssl-dh-param-file",
  "tune",
  "description",
  "node",
  "capture",
  "unique-id-format",
  "unique-id-header",
  "monitor-uri",
  "compression",
  "http-request",
  "http-response",
  "http-after-response",
  "tcp-request",
  "tcp-response",
  "redirect",
  "email-alert",
  "option httplog",
  "option tcplog",
  "option dontlognull",
  "option dontlog-normal",
  "option log-health-checks",
  "option log-separate-errors",
  "option forwardfor",
  "option httpclose",
  "option http-server-close",
  "option http-keep-alive",
  "option http-pretend-keepalive",
  "option forceclose",
  "option tcpka",
  "option clitcpka",
  "option srvtcpka",
  "option http-buffer-request",
  "option originalto",
  "option contstats",
  "option socket-stats",
  "option splice-auto",
  "option abortonclose",
  "timeout http-request",
  "timeout http-keep-alive",
  "timeout tunnel",
  "timeout client-fin",
  "timeout server-fin",
  "timeout tarpit",
]);

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

/** Directives lbsim understands but does not simulate: a warning each time, not a silent drop. */
const NOT_SIMULATED: Readonly<Record<string, string>> = {
  cookie: "cookie persistence is not simulated: requests are balanced as if no cookie were set",
  "stick-table": "stick tables are not simulated",
  stick: "stick tables are not simulated: requests are balanced as if no stickiness were set",
  "hash-balance-factor": "hash-balance-factor (bounded loads) is not simulated",
  persist: "persistence is not simulated",
  "option persist": "persistence is not simulated",
  "option prefer-last-server": "prefer-last-server is not simulated",
  "http-reuse": "connection reuse is not simulated",
  fullconn: "fullconn (dynamic maxconn) is not simulated",
};

const DURATION = /^(\d+)(us|ms|s|m|h|d)?$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const NAME = /^[A-Za-z0-9_.:-]+$/;

/** Reads `text` (the contents of `file`). Throws InputError for malformed understood values. */
export function importHaproxyCfg(text: string, file: string): CfgImport {
  return new CfgReader(text, file).read();
}

class CfgReader {
  private readonly issues: InputIssue[] = [];
  private readonly warnings: CfgNote[] = [];
  private readonly ignored = new Map<string, number[]>();
  private readonly proxies: Proxy[] = [];
  private readonly namedDefaults = new Map<string, Settings>();
  private defaults: Settings = emptySettings();
  private globalMaxconn: number | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  read(): CfgImport {
    const { lines, problems } = lexCfg(this.text);
    for (const p of problems) this.issue("syntax", p.line, p.column, p.message);
    let section: { kind: Kind; proxy?: Proxy; settings: Settings } | { kind: "other" } | undefined;
    for (const line of lines) {
      const first = line.words[0]!.text;
      if (SECTIONS.has(first)) {
        section = this.openSection(first as Kind, line);
        continue;
      }
      if (OTHER_SECTIONS.has(first)) {
        this.ignore(`${first} section`, line.line);
        section = { kind: "other" };
        continue;
      }
      if (section === undefined) {
        this.warn(line.line, `"${first}" outside any section is not understood`);
        continue;
      }
      if (section.kind === "other") continue;
      this.directive(section.kind, section.settings, section.proxy, line);
    }
    if (this.issues.length > 0) throw new InputError(this.issues);
    return this.topology();
  }

  // ---- problems ------------------------------------------------------------------------------

  private issue(code: InputErrorCode, line: number, column: number, message: string, hint?: string): void {
    const issue: InputIssue = { code, file: this.file, line, column, path: "", message };
    this.issues.push(hint === undefined ? issue : { ...issue, hint });
  }

  private bad(line: Line, word: Word | undefined, what: string, expected: string): void {
    const at = word ?? line.words[line.words.length - 1]!;
    const found = word === undefined ? "nothing" : `"${word.text}"`;
    this.issue(
      "bad-value",
      line.line,
      word === undefined ? at.column + at.text.length : at.column,
      `${what}: found ${found}, expected ${expected}`,
    );
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  private ignore(directive: string, line: number): void {
    const lines = this.ignored.get(directive);
    if (lines === undefined) this.ignored.set(directive, [line]);
    else lines.push(line);
  }

  // ---- values --------------------------------------------------------------------------------

  private integer(
    line: Line,
    word: Word | undefined,
    what: string,
    min: number,
    max: number,
  ): number | undefined {
    const text = word?.text;
    if (text !== undefined && /^-?\d{1,9}$/.test(text)) {
      const value = Number(text);
      if (value >= min && value <= max) return value;
    }
    const range =
      max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    this.bad(line, word, what, range);
    return undefined;
  }

  private duration(line: Line, word: Word | undefined, what: string, positive: boolean): number | undefined {
    const match = word === undefined ? null : DURATION.exec(word.text);
    if (match !== null && match[1]!.length <= 12) {
      const ms = Number(match[1]) * UNIT_MS[match[2] ?? "ms"]!;
      if (!positive || ms > 0) return ms;
    }
    this.bad(
      line,
      word,
      what,
      `${positive ? "a positive " : "a "}duration: a whole number with an optional unit us, ms, s, m, h or d (a bare number is milliseconds)`,
    );
    return undefined;
  }

  // ---- sections ------------------------------------------------------------------------------

  private openSection(kind: Kind, line: Line): { kind: Kind; proxy?: Proxy; settings: Settings } {
    const words = line.words;
    if (kind === "global") {
      if (words.length > 1)
        this.warn(line.line, "global takes no name; the rest of the line is not understood");
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
      this.bad(line, words[1], `${kind} name`, "a name of letters, digits and - _ . :");
    let base = this.defaults;
    if (from !== undefined) {
      const named = this.namedDefaults.get(from.text);
      if (named === undefined)
        this.bad(
          line,
          from,
          "from",
          `the name of a defaults section above (${[...this.namedDefaults.keys()].join(", ") || "none"})`,
        );
      else base = named;
    }
    if (kind === "defaults") {
      // HAProxy: a defaults section starts from scratch unless it says `from`.
      const settings = from === undefined ? emptySettings() : copySettings(base);
      this.defaults = settings;
      if (name !== undefined) this.namedDefaults.set(name, settings);
      return { kind, settings };
    }
    if (name === undefined) {
      this.bad(line, undefined, `${kind} name`, "a name");
      return { kind, settings: emptySettings() };
    }
    const proxy: Proxy = {
      kind,
      name,
      line: line.line,
      settings: copySettings(base),
      servers: [],
      binds: [],
      useBackends: [],
    };
    if (
      this.proxies.some(
        (p) => p.name === name && (p.kind === kind || p.kind === "listen" || kind === "listen"),
      )
    )
      this.bad(line, words[1], `${kind} name`, "a name not used by another proxy of the same kind");
    this.proxies.push(proxy);
    return { kind, proxy, settings: proxy.settings };
  }

  // ---- directives ----------------------------------------------------------------------------

  private directive(kind: Kind, settings: Settings, proxy: Proxy | undefined, line: Line): void {
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
    if (kind === "global") {
      if (first === "maxconn")
        this.globalMaxconn = this.integer(line, args[0], "maxconn", 0, Number.MAX_SAFE_INTEGER);
      else if (
        IGNORED.has(first) ||
        IGNORED.has(two) ||
        first.startsWith("tune.") ||
        first.startsWith("ssl-")
      )
        this.ignore(ignoredKey(first, two), line.line);
      else this.warn(line.line, `"${first}" in global is not understood; it is left out`);
      return;
    }
    const backendSide = kind !== "frontend";
    const frontendSide = kind !== "backend";
    switch (first) {
      case "mode": {
        const mode = args[0]?.text;
        if (mode !== "http" && mode !== "tcp") this.bad(line, args[0], "mode", "http or tcp");
        else settings.mode = mode;
        return;
      }
      case "balance":
        if (!backendSide) break;
        this.balance(line, args, settings);
        return;
      case "hash-type": {
        if (!backendSide) break;
        const value = args.map((w) => w.text).join(" ");
        const parsed = parseHashType(value);
        if (parsed.kind === "ok") settings.hashType = value;
        else
          this.issue(
            "bad-value",
            line.line,
            args[0]?.column ?? words[0]!.column,
            `hash-type: ${parsed.message}`,
            parsed.hint,
          );
        return;
      }
      case "timeout":
        this.timeout(line, args, settings);
        return;
      case "retries":
        if (!backendSide) break;
        settings.retries = this.integer(line, args[0], "retries", 0, 100);
        return;
      case "maxconn":
        if (!frontendSide) {
          this.warn(
            line.line,
            "maxconn in a backend section has no effect in HAProxy (server maxconn is set per server)",
          );
          return;
        }
        settings.maxconn = this.integer(line, args[0], "maxconn", 0, Number.MAX_SAFE_INTEGER);
        return;
      case "default-server":
        if (!backendSide) break;
        this.serverKeywords(line, args, settings.defaultServer);
        return;
      case "server":
        if (proxy === undefined || !backendSide) break;
        this.server(line, args, proxy);
        return;
      case "bind":
        if (proxy === undefined || !frontendSide) break;
        if (args[0] !== undefined) proxy.binds.push(args[0].text);
        this.ignore("bind", line.line);
        return;
      case "default_backend":
        if (proxy === undefined || !frontendSide) break;
        if (args[0] === undefined) this.bad(line, undefined, "default_backend", "a backend name");
        else proxy.defaultBackend = { name: args[0].text, line: line.line, column: args[0].column };
        return;
      case "use_backend":
        if (proxy === undefined || !frontendSide) break;
        if (args[0] === undefined) this.bad(line, undefined, "use_backend", "a backend name");
        else
          proxy.useBackends.push({
            backend: args[0].text,
            line: line.line,
            text: words.map((w) => w.text).join(" "),
          });
        return;
      case "acl":
        if (args.length < 2)
          this.bad(line, args[1], "acl", "a name and a criterion (path_beg, path, hdr(host), src…)");
        else this.ignore("acl", line.line);
        return;
      case "option":
        this.option(line, args, settings, negated, backendSide);
        return;
      case "http-check":
        if (second === "expect") {
          if (args[1]?.text === "status") {
            const status = args[2]?.text ?? "";
            if (!/^\d{3}$/.test(status))
              this.bad(line, args[2], "http-check expect status", "a status code such as 200");
            else
              this.warn(
                line.line,
                `http-check expect status ${status}: lbsim's HTTP checks pass on any 2xx or 3xx status`,
              );
          } else
            this.warn(
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
          this.ignore(`http-check ${second}`, line.line);
          return;
        }
        break;
      default:
        break;
    }
    const reason = NOT_SIMULATED[two] ?? NOT_SIMULATED[first];
    if (reason !== undefined) {
      this.warn(line.line, `${first === "option" ? two : first}: ${reason}`);
      return;
    }
    if (IGNORED.has(two)) {
      this.ignore(two, line.line);
      return;
    }
    if (IGNORED.has(first) && first !== "option" && first !== "timeout") {
      this.ignore(ignoredKey(first, two), line.line);
      return;
    }
    const where = kind === "defaults" ? "defaults" : `${kind} ${proxy?.name ?? ""}`;
    this.warn(
      line.line,
      `"${words
        .slice(0, first === "option" || first === "timeout" ? 2 : 1)
        .map((w) => w.text)
        .join(" ")}" in ${where} is not understood; it is left out`,
    );
  }

  private balance(line: Line, args: ReadonlyArray<Word>, settings: Settings): void {
    const value = args.map((w) => w.text).join(" ");
    if (args.length === 0 || resolveStrategy(value) === undefined) {
      this.issue(
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

  private timeout(line: Line, args: ReadonlyArray<Word>, settings: Settings): void {
    const which = args[0]?.text;
    if (
      which === "connect" ||
      which === "server" ||
      which === "queue" ||
      which === "client" ||
      which === "check"
    ) {
      const ms = this.duration(line, args[1], `timeout ${which}`, false);
      if (args[2] !== undefined) this.bad(line, args[2], `timeout ${which}`, "nothing after the duration");
      else if (ms !== undefined) settings.timeout[which] = ms;
      return;
    }
    // HAProxy 1.x spellings.
    if (which === "contimeout" || which === "srvtimeout" || which === "clitimeout") {
      this.warn(line.line, `timeout ${which} is not understood; write timeout connect/server/client`);
      return;
    }
    if (which !== undefined && IGNORED.has(`timeout ${which}`)) {
      this.ignore(`timeout ${which}`, line.line);
      return;
    }
    this.warn(line.line, `"timeout ${which ?? ""}" is not understood; it is left out`);
  }

  private option(
    line: Line,
    args: ReadonlyArray<Word>,
    settings: Settings,
    negated: boolean,
    backendSide: boolean,
  ): void {
    const name = args[0]?.text;
    switch (name) {
      case "redispatch": {
        if (!backendSide) break;
        if (negated) settings.redispatch = false;
        else if (args[1] === undefined) settings.redispatch = true;
        else {
          const p = this.integer(line, args[1], "option redispatch", -1000, 1000);
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
        if (args.length > 4)
          this.bad(line, args[4], "option httpchk", "at most a method, a URI and a version");
        else settings.httpchk = !negated;
        return;
      default:
        break;
    }
    const two = `option ${name ?? ""}`;
    const reason = NOT_SIMULATED[two];
    if (reason !== undefined) this.warn(line.line, `${two}: ${reason}`);
    else if (IGNORED.has(two)) this.ignore(two, line.line);
    else this.warn(line.line, `"${two}" is not understood; it is left out`);
  }

  private server(line: Line, args: ReadonlyArray<Word>, proxy: Proxy): void {
    const name = args[0];
    const address = args[1];
    if (name === undefined || !NAME.test(name.text)) {
      this.bad(line, name, "server name", "a name of letters, digits and - _ . :");
      return;
    }
    if (address === undefined) {
      this.bad(line, undefined, `server ${name.text}`, "an address such as 10.0.0.1:80");
      return;
    }
    if (proxy.servers.some((s) => s.name === name.text))
      this.bad(line, name, "server name", `a name not already used in ${proxy.name}`);
    const own: ServerSettings = { fields: {}, check: {} };
    this.serverKeywords(line, args.slice(2), own);
    const defaults = proxy.settings.defaultServer;
    const enabled = own.enabled ?? defaults.enabled ?? false;
    const fields: Record<string, unknown> = { ...own.fields };
    fields.check = enabled ? (Object.keys(own.check).length > 0 ? { ...own.check } : true) : false;
    proxy.servers.push({ name: name.text, address: address.text, line: line.line, fields });
  }

  /** The keywords after `server <name> <address>` or `default-server`, into `into`. */
  private serverKeywords(line: Line, words: ReadonlyArray<Word>, into: ServerSettings): void {
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
          const ms = this.duration(line, takes(), key, true);
          if (ms !== undefined) into.check[key] = ms;
          break;
        }
        case "rise":
        case "fall": {
          const n = this.integer(line, takes(), key, 1, forever);
          if (n !== undefined) into.check[key] = n;
          break;
        }
        case "weight":
          this.set(into, key, this.integer(line, takes(), key, 0, 256));
          break;
        case "maxconn":
        case "maxqueue":
          this.set(into, key, this.integer(line, takes(), key, 0, forever));
          break;
        case "minconn":
          takes();
          this.warn(line.line, "minconn (dynamic maxconn) is not simulated");
          break;
        case "id":
          this.set(into, key, this.integer(line, takes(), key, 1, forever));
          break;
        case "slowstart":
          this.set(into, key, this.duration(line, takes(), key, false));
          break;
        case "observe": {
          const mode = takes();
          if (mode?.text === "layer4" || mode?.text === "layer7") into.fields.observe = mode.text;
          else this.bad(line, mode, "observe", "layer4 or layer7");
          break;
        }
        case "error-limit":
          this.set(into, key, this.integer(line, takes(), key, 1, forever));
          break;
        case "on-error": {
          const mode = takes();
          const modes = ["fastinter", "fail-check", "sudden-death", "mark-down"];
          if (mode !== undefined && modes.includes(mode.text)) into.fields["on-error"] = mode.text;
          else this.bad(line, mode, "on-error", modes.join(", "));
          break;
        }
        case "cookie":
          takes();
          this.warn(line.line, "server cookie: cookie persistence is not simulated");
          break;
        case "track":
          takes();
          this.warn(line.line, "track: tracking another server's checks is not simulated");
          break;
        default: {
          const count = SERVER_IGNORED[key];
          if (count !== undefined) {
            i += count;
            this.ignore(`server ${key}`, line.line);
            break;
          }
          this.warn(
            line.line,
            `server keyword "${key}" (column ${word.column}) is not understood; it is left out`,
          );
          // Its argument, if it seems to have one, goes with it.
          if (arg !== undefined && !isServerKeyword(arg.text)) i++;
        }
      }
    }
  }

  private set(into: ServerSettings, key: string, value: number | undefined): void {
    if (value !== undefined) into.fields[key] = value;
  }

  // ---- topology ------------------------------------------------------------------------------

  private topology(): CfgImport {
    const frontends = this.proxies.filter((p) => p.kind === "frontend" || p.kind === "listen");
    const backends = this.proxies.filter((p) => p.kind === "backend" || p.kind === "listen");
    const findBackend = (name: string) => backends.find((b) => b.name === name);
    for (const f of frontends) {
      const d = f.defaultBackend;
      if (d !== undefined && findBackend(d.name) === undefined)
        this.issue(
          "bad-value",
          d.line,
          d.column,
          `default_backend: no backend named "${d.name}" in this file`,
        );
      for (const rule of f.useBackends) {
        if (findBackend(rule.backend) === undefined && !rule.backend.includes("%"))
          this.warn(rule.line, `use_backend: no backend named "${rule.backend}" in this file`);
      }
    }
    if (this.issues.length > 0) throw new InputError(this.issues);
    // Prefer a frontend that leads to a backend with servers.
    const target = (f: Proxy): Proxy | undefined =>
      f.defaultBackend !== undefined
        ? findBackend(f.defaultBackend.name)
        : f.kind === "listen"
          ? f
          : undefined;
    const frontend = frontends.find((f) => target(f) !== undefined) ?? frontends[0];
    let backend = frontend === undefined ? undefined : target(frontend);
    if (frontend !== undefined && backend === undefined) {
      backend = backends.length === 1 ? backends[0] : backends.find((b) => b.servers.length > 0);
      if (backend !== undefined)
        this.warn(
          frontend.line,
          `frontend ${frontend.name} has no default_backend (HAProxy answers 503 to requests no use_backend rule routes); lbsim sends every request to backend ${backend.name}`,
        );
    }
    if (backend === undefined) backend = backends.find((b) => b.servers.length > 0) ?? backends[0];
    if (backend === undefined) {
      throw InputError.one({
        code: "missing-key",
        file: this.file,
        line: 0,
        column: 0,
        path: "",
        message: "no backend or listen section: there is nothing to balance",
      });
    }
    for (const f of frontends) {
      if (f === frontend) continue;
      this.warn(
        f.line,
        `${f.kind} ${f.name} is not simulated: lbsim simulates one frontend (${frontend?.name ?? "none"}) and one backend (${backend.name}) for now`,
      );
    }
    if (frontend !== undefined) {
      for (const rule of frontend.useBackends) {
        if (rule.backend === backend.name) continue;
        this.warn(
          rule.line,
          `"${rule.text}": routing to other backends is not simulated yet; every request goes to backend ${backend.name}`,
        );
      }
    }
    for (const b of backends) {
      if (b === backend || b === frontend) continue;
      if (b.kind === "backend")
        this.warn(
          b.line,
          `backend ${b.name} is not simulated: lbsim simulates one backend (${backend.name}) for now`,
        );
    }
    if (backend.servers.length === 0)
      this.warn(
        backend.line,
        `${backend.kind} ${backend.name} has no server: the scenario must list them under backend.servers`,
      );
    const modes = [frontend?.settings.mode, backend.settings.mode];
    if (modes.includes("tcp"))
      this.warn(
        backend.line,
        "mode tcp: lbsim simulates requests as in mode http (one request per connection); hdr, uri and url_param need HTTP",
      );
    this.warnings.sort((a, b) => a.line - b.line);
    return {
      file: this.file,
      value: {
        ...(frontend === undefined ? {} : { frontend: this.frontendValue(frontend) }),
        backend: this.backendValue(backend),
      },
      frontendName: frontend?.name,
      backendName: backend.name,
      servers: backend.servers,
      binds: frontend?.binds ?? [],
      ignored: [...this.ignored].map(([directive, lines]) => ({ directive, lines })),
      warnings: this.warnings,
    };
  }

  private frontendValue(frontend: Proxy): Record<string, unknown> {
    const s = frontend.settings;
    const maxconn = s.maxconn ?? this.globalMaxconn;
    return {
      name: frontend.name,
      ...(maxconn === undefined ? {} : { maxconn }),
      ...(s.timeout.client === undefined ? {} : { timeout: { client: s.timeout.client } }),
    };
  }

  private backendValue(backend: Proxy): Record<string, unknown> {
    const s = backend.settings;
    const timeout: Record<string, number> = {};
    for (const key of ["connect", "server", "queue"] as const) {
      const ms = s.timeout[key];
      if (ms !== undefined) timeout[key] = ms;
    }
    const check: Record<string, unknown> = {};
    if (s.httpchk === true) check.type = "http";
    if (s.timeout.check !== undefined) check.timeout = s.timeout.check;
    const ds = s.defaultServer;
    const defaultServer: Record<string, unknown> = { ...ds.fields };
    if (Object.keys(ds.check).length > 0) defaultServer.check = { ...ds.check };
    delete defaultServer.id;
    return {
      name: backend.name,
      ...(s.balance === undefined ? {} : { balance: s.balance }),
      ...(s.hashType === undefined ? {} : { "hash-type": s.hashType }),
      ...(Object.keys(timeout).length === 0 ? {} : { timeout }),
      ...(s.retries === undefined ? {} : { retries: s.retries }),
      ...(s.redispatch === undefined ? {} : { redispatch: s.redispatch }),
      ...(s.allbackups === undefined ? {} : { allbackups: s.allbackups }),
      ...(Object.keys(defaultServer).length === 0 ? {} : { "default-server": defaultServer }),
      ...(Object.keys(check).length === 0 ? {} : { check }),
      servers: backend.servers.map((server) => ({ name: server.name, ...server.fields })),
    };
  }
}

const SERVER_KEYWORDS = new Set([
  "check",
  "no-check",
  "backup",
  "disabled",
  "inter",
  "fastinter",
  "downinter",
  "rise",
  "fall",
  "weight",
  "maxconn",
  "maxqueue",
  "minconn",
  "id",
  "slowstart",
  "observe",
  "error-limit",
  "on-error",
  "cookie",
  "track",
]);

const isServerKeyword = (word: string): boolean =>
  SERVER_KEYWORDS.has(word) || Object.hasOwn(SERVER_IGNORED, word);

/** How an ignored directive is listed: `stats` by its second word (`stats socket`), `tune.*` as one. */
function ignoredKey(first: string, two: string): string {
  if (IGNORED.has(two) || first === "stats") return two;
  if (first.startsWith("tune.")) return "tune.*";
  return first;
}
