// loopback: the harness's network side — stub servers, the client requests, the runtime-API socket.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, createServer as createNetServer } from "node:net";
import type { RequestStep } from "./harness.js";

/** The answer recorded when HAProxy itself answered 503 (no usable server). */
export const NOSRV = "<NOSRV>";
const REQUEST_TIMEOUT_MS = 3_000;

/** A stub server on 127.0.0.1 (ephemeral port) answering every request with 200 and `X-Server: <name>`. */
export function startStub(name: string): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    const body = req.method === "HEAD" ? "" : `${name}\n`;
    res.writeHead(200, {
      "X-Server": name,
      "Content-Type": "text/plain",
      "Content-Length": String(Buffer.byteLength(`${name}\n`)),
    });
    res.end(body);
    req.resume();
  });
  server.keepAliveTimeout = 1_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

export function portOf(server: { address(): unknown }): number {
  const address = server.address();
  if (
    address === null ||
    typeof address !== "object" ||
    !("port" in address) ||
    typeof address.port !== "number"
  )
    throw new Error("no port");
  return address.port;
}

export function closeStub(server: HttpServer): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port free right now on 127.0.0.1 (HAProxy binds it next; a lost race is retried). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const port = portOf(probe);
      probe.close(() => resolve(port));
    });
  });
}

/** True when something accepts a connection there now. */
export function accepts(target: { host: string; port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(target);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Reads a whole exchange on a fresh connection: writes `payload`, resolves with all bytes up to EOF. */
function exchange(
  target: { host: string; port: number; localAddress: string } | { path: string },
  payload: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(target);
    const chunks: Buffer[] = [];
    socket.setTimeout(REQUEST_TIMEOUT_MS, () =>
      socket.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms to ${JSON.stringify(payload)}`)),
    );
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("error", reject);
    socket.once("end", () => {
      socket.end();
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.once("connect", () => socket.write(payload, "latin1"));
  });
}

/** One request on its own connection; the answering server's name, or `<NOSRV>` for HAProxy's 503. */
export async function request(port: number, step: RequestStep): Promise<string> {
  const head =
    step.host === undefined
      ? `GET ${step.path} HTTP/1.0\r\n`
      : `GET ${step.path} HTTP/1.1\r\nHost: ${step.host}\r\n`;
  const response = await exchange(
    { host: "127.0.0.1", port, localAddress: step.source },
    `${head}Connection: close\r\n\r\n`,
  );
  const headers = response.split("\r\n\r\n")[0] ?? "";
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(headers)?.[1];
  const server = /\r\nx-server: *([^\r\n]*)/i.exec(headers)?.[1]?.trim();
  if (status === "200" && server !== undefined) return server;
  if (status === "503" && server === undefined) return NOSRV;
  throw new Error(`unexpected answer to ${JSON.stringify(step)}: ${JSON.stringify(headers.slice(0, 200))}`);
}

/** One runtime-API command; HAProxy's reply, trimmed ("" when a `set` command succeeded). */
export async function runtime(socketPath: string, command: string): Promise<string> {
  return (await exchange({ path: socketPath }, `${command}\n`)).trim();
}
