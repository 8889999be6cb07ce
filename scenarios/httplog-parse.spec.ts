// Spec of scenarios/httplog-parse.ts and httplog-fields.ts: option httplog and log-format lines, syslog prefixes, bad lines.
import { describe, expect, test } from "vitest";
import { compileLogFormat, FormatError, HTTPLOG_FORMAT, parseLogDate, unescapeLog } from "./httplog-parse.js";

const httplog = compileLogFormat(HTTPLOG_FORMAT);
const BODY =
  '10.0.0.7:41234 [07/Dec/2026:21:00:01.234] fe be/web02 3/4/5/60/75 503 217 - - sQ-- 9/8/7/6/+2 1/2 "GET /a/b?x=1 HTTP/1.1"';
const at = Date.UTC(2026, 11, 7, 21, 0, 1, 234);

describe("option httplog lines", () => {
  test("every field of a line is read: date to the ms, client, names, timers, status, termination, counters, path", () => {
    expect(httplog.parse(BODY)).toEqual({
      acceptMs: at,
      clientIp: "10.0.0.7",
      frontend: "fe",
      backend: "be",
      server: "web02",
      TR: 3,
      Tw: 4,
      Tc: 5,
      Tr: 60,
      Ta: 75,
      status: 503,
      termination: "sQ--",
      retries: 2,
      redispatched: true,
      serverConnections: 6,
      path: "/a/b?x=1",
    });
  });

  test.each([
    ["RFC 3164 (syslogd, lbsim --log)", "Dec  7 21:00:01 lb1 haproxy[4242]: "],
    ["RFC 5424", "<134>1 2026-12-07T21:00:01.240+00:00 lb1 haproxy 4242 - - "],
    ["a bare priority (log stdout format short)", "<134>"],
    ["a program tag alone", "haproxy[4242]: "],
    ["an ISO date (rsyslog)", "2026-12-07T21:00:01.240812+01:00 lb1 haproxy[4242]: "],
    ["none (log stdout format raw)", ""],
  ])("the syslog prefix %s is skipped", (_, prefix) => {
    expect(httplog.parse(`${prefix}${BODY}`)?.acceptMs).toBe(at);
    expect(httplog.parse(`${prefix}${BODY}`)?.server).toBe("web02");
  });

  test("timers not reached are -1, <NOSRV> is no server, a plain retry count is not a redispatch", () => {
    const e = httplog.parse(
      '::1:5555 [07/Dec/2026:21:00:01.234] fe~ be/<NOSRV> 0/-1/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"',
    );
    expect(e).toMatchObject({
      clientIp: "::1",
      server: "",
      Tw: -1,
      Tc: -1,
      Tr: -1,
      Ta: 3,
      retries: 3,
      redispatched: false,
    });
  });

  test("captured headers between the queues and the request line are skipped; with none HAProxy writes one space", () => {
    const withCaptures = BODY.replace('1/2 "GET', '1/2 {example.com|curl} {text/html} "GET');
    expect(httplog.parse(withCaptures)?.path).toBe("/a/b?x=1");
    expect(httplog.parse(BODY)?.path).toBe("/a/b?x=1");
  });

  test("HAProxy's #XX escapes in the URI are decoded back (a path with a space and a non-ASCII byte)", () => {
    expect(httplog.parse(BODY.replace("/a/b?x=1", "/caf#C3#A9#20x"))?.path).toBe("/café x");
    expect(unescapeLog("/no-escape")).toBe("/no-escape");
  });

  test("logasap's +Ta is read as a number", () => {
    expect(httplog.parse(BODY.replace("3/4/5/60/75", "3/4/5/60/+75"))?.Ta).toBe(75);
  });
});

describe("bad lines say where they went wrong", () => {
  test.each([
    [BODY.replace("/60/", "/6x/"), "expected %Tr: a number of ms (-1: not reached)"],
    [
      BODY.replace("[07/Dec/2026:21:00:01.234]", "[2026-12-07 21:00:01]"),
      "expected %tr: a date dd/Mon/yyyy:HH:MM:SS.mmm",
    ],
    [BODY.replace("be/web02", "be-web02"), 'expected %b: the backend name, then "/"'],
    [BODY.replace(" 503 ", " OK "), "expected %ST: a number"],
    ["", "expected %ci"],
  ])("%s", (line, expected) => {
    expect(httplog.parse(line)).toBeUndefined();
    expect(httplog.diagnose(line)).toContain(expected);
  });

  // Each field of option httplog, made bad in turn: the message names it.
  const FIELDS: ReadonlyArray<[string, string]> = [
    ["41234", "%cp"],
    ["217", "%B"],
    ["9/8/7/6/+2", "%ac"],
    ["8/7/6/+2", "%fc"],
    ["7/6/+2", "%bc"],
    ["6/+2", "%sc"],
    ["+2 ", "%rc"],
    ["1/2", "%sq"],
    ['2 "', "%bq"],
    ["3/4/5/60/75", "%TR"],
    ["4/5/60/75", "%Tw"],
    ["5/60/75", "%Tc"],
    ["75 ", "%Ta"],
    ["503", "%ST"],
  ];
  test.each(FIELDS)("a bad %s names %s", (value, field) => {
    const at = BODY.indexOf(value, value === "41234" ? 0 : BODY.indexOf("]"));
    const line = `${BODY.slice(0, at)}z${BODY.slice(at + 1)}`;
    expect(httplog.parse(line)).toBeUndefined();
    expect(httplog.diagnose(line)).toContain(`expected ${field}:`);
  });

  test("the column is where the failing field starts", () => {
    const line = BODY.replace("/60/", "/6x/");
    const column = Number(/column (\d+)/.exec(httplog.diagnose(line))![1]);
    expect(line.slice(column - 1)).toMatch(/^6x\/75 /);
  });
});

describe("log-format strings", () => {
  test("a custom format: %t with %Th/%Ti is the accept plus handshake and idle, %Tt less them is Ta, %ts, %HU", () => {
    const f = compileLogFormat("%ci [%t] %b/%s %Th/%Ti/%TR/%Tw/%Tc/%Tr/%Tt %ST %ts %HM %HU");
    const e = f.parse("10.1.1.1 [07/Dec/2026:21:00:01.000] be/s1 2/10/1/0/0/30/43 200 -- GET /x?y");
    expect(e).toMatchObject({
      acceptMs: Date.UTC(2026, 11, 7, 21, 0, 1, 12),
      Ta: 31,
      Tr: 30,
      termination: "----",
      path: "/x?y",
    });
  });

  test("%trl is the local date with its zone", () => {
    const f = compileLogFormat("%ci [%trl] %b/%s %Tr %Ta");
    expect(f.parse("1.1.1.1 [07/Dec/2026:16:00:01 -0500] be/s 5 5")?.acceptMs).toBe(
      Date.UTC(2026, 11, 7, 21, 0, 1),
    );
  });

  test("%trg and %T carry a zone: the date is moved to UTC", () => {
    const f = compileLogFormat("[%trg] %b/%s %Tr %Ta");
    expect(f.parse("[07/Dec/2026:22:00:01 +0100] be/s 5 5")?.acceptMs).toBe(Date.UTC(2026, 11, 7, 21, 0, 1));
    expect(parseLogDate("07/Dec/2026:21:00:01 -0030")).toBe(Date.UTC(2026, 11, 7, 21, 30, 1));
  });

  test("%Ts with %ms is a unix date; +X numbers are hexadecimal", () => {
    const f = compileLogFormat("%{+X}Ts.%ms %b/%s %Tr %Ta");
    const seconds = Date.UTC(2026, 11, 7) / 1000;
    expect(f.parse(`${seconds.toString(16).toUpperCase()}.250 be/s 5 5`)?.acceptMs).toBe(
      seconds * 1000 + 250,
    );
  });

  test("an unknown variable is one word, or nothing with one separator fewer; with +Q a quoted string", () => {
    const f = compileLogFormat("%ci [%tr] %ID %b/%s %Tr/%Ta %{+Q}[capture.req.hdr(0)] %{+Q}r");
    const line = (id: string, hdr: string) =>
      `1.2.3.4 [07/Dec/2026:21:00:01.000] ${id}be/s 5/6 "${hdr}" "GET /p HTTP/1.1"`;
    expect(f.parse(line("abc-123 ", "a b c"))?.backend).toBe("be");
    expect(f.parse(line("", ""))?.path).toBe("/p");
  });

  test("%% is a percent sign and a backslash escapes a space", () => {
    const f = compileLogFormat("%%%b/%s\\ %Tr %Ta [%tr]");
    expect(f.parse("%be/s 5 6 [07/Dec/2026:21:00:01.000]")?.Ta).toBe(6);
  });

  test("a format without what a replay needs is refused, naming what is missing", () => {
    expect(() => compileLogFormat("%ci %b %Tr")).toThrow(FormatError);
    expect(() => compileLogFormat("%ci %b %Tr")).toThrow(
      /needs the request's date.*, the server \(%s\), .*%Ta or %Tt\), and the format lacks them/,
    );
    expect(() => compileLogFormat("%tr %b/%s %Tr %Ta %")).toThrow(/not followed by a variable name/);
    expect(() => compileLogFormat("%tr %b/%s %Tr %Ta %{+Q")).toThrow(/not closed/);
  });
});
