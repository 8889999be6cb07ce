// The classroom page's HTTP server (Node): on 127.0.0.1 only, it serves the page's own built
// files from a fixed list and the scenario it was started with; anything else is refused.
import { readFileSync, realpathSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, sep } from "node:path";
import type { ScenarioSource } from "./source.js";

/** The only host the server listens on: a classroom page is never reachable from the network. */
export const HOST = "127.0.0.1";

/** Every file the page has (dist/classroom/www/), with its content type: the server serves nothing else. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "worker.js": "text/javascript; charset=utf-8",
  "demos.json": "application/json; charset=utf-8",
};

/** Same origin only: no request, script, style, font or frame from anywhere else. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface ClassroomServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The folder of the built page (dist/classroom/www). */
  readonly pageDir: string;
  /** The scenario given on the command line; null: the page opens its first demo. */
  readonly source: ScenarioSource | null;
  /** 0: a free port. */
  readonly port?: number;
}

/**
 * The file a request path names, or a status: 400 for a path that tries to leave the page's
 * folder or hide its name (`..`, `%2e`, an encoded slash or backslash, a NUL), 404 for any name
 * not in PAGE_FILES. The check is on the raw path, before any decoding.
 */
export function pageFileFor(rawPath: string): { readonly file: string } | { readonly status: 400 | 404 } {
  const path = rawPath.split("?")[0] ?? "";
  if (!path.startsWith("/") || path.startsWith("//")) return { status: 400 };
  if (/%2e|%2f|%5c|%00|\\|\/\.\.?(\/|$)/i.test(path)) return { status: 400 };
  if (path.includes("%")) return { status: 404 };
  const name = path === "/" ? "index.html" : path.slice(1);
  return Object.hasOwn(PAGE_FILES, name) ? { file: name } : { status: 404 };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  res.end(body);
}

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
}

const text = (status: number, body: string): Reply => ({ status, type: "text/plain; charset=utf-8", body });

function handler(options: ServeOptions, port: () => number) {
  const root = realpathSync(options.pageDir);
  const scenarioJson = JSON.stringify({ source: options.source });
  const reply = (req: IncomingMessage): Reply => {
    // A page on another site cannot reach this one through a name it resolves to 127.0.0.1.
    const allowedHosts = [`${HOST}:${port()}`, `localhost:${port()}`];
    if (!allowedHosts.includes(req.headers.host ?? "")) return text(400, "bad host\n");
    if (req.method !== "GET" && req.method !== "HEAD") return text(405, "only GET\n");
    const raw = req.url ?? "/";
    if (raw.split("?")[0] === "/scenario")
      return { status: 200, type: "application/json; charset=utf-8", body: scenarioJson };
    const found = pageFileFor(raw);
    if ("status" in found) return text(found.status, found.status === 400 ? "bad path\n" : "not found\n");
    try {
      // A file that is a link out of the page's folder is not the page's.
      const real = realpathSync(join(root, found.file));
      if (!real.startsWith(root + sep)) return text(404, "not found\n");
      return {
        status: 200,
        type: PAGE_FILES[found.file] ?? "application/octet-stream",
        body: readFileSync(real),
      };
    } catch {
      return text(404, "not found (run npm run build in the lbsim folder)\n");
    }
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const { status, type, body } = reply(req);
    send(res, status, type, body);
  };
}

/** Starts the server on 127.0.0.1 (a free port unless one is given). */
export function startClassroomServer(options: ServeOptions): Promise<ClassroomServer> {
  let listening = 0;
  const server: Server = createServer(handler(options, () => listening));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off("error", reject);
      listening = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${HOST}:${listening}/`,
        port: listening,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
