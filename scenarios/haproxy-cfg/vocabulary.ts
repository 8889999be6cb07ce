// HAProxy's vocabulary as the importer sees it: sections, and directives it ignores or does not simulate.

/** A proxy, server or defaults name. */
export const NAME = /^[A-Za-z0-9_.:-]+$/;

export const SECTIONS = new Set<string>(["global", "defaults", "frontend", "backend", "listen"]);

/** Sections HAProxy knows that say nothing lbsim simulates: their lines are skipped as one. */
export const OTHER_SECTIONS = new Set([
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
export const IGNORED = new Set([
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

/** Directives lbsim understands but does not simulate: a warning each time, not a silent drop. */
export const NOT_SIMULATED: Readonly<Record<string, string>> = {
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

/** How an ignored directive is listed: `stats` by its second word (`stats socket`), `tune.*` as one. */
export function ignoredKey(first: string, two: string): string {
  if (IGNORED.has(two) || first === "stats") return two;
  if (first.startsWith("tune.")) return "tune.*";
  return first;
}
