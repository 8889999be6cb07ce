// The classroom server: 127.0.0.1 only, the page's own files only (traversal in every spelling
// refused, links out of the folder not followed), its CSP, and the scenario it was given.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClassroomServer, CSP, PAGE_FILES, pageFileFor, startClassroomServer } from "./server.js";

/** One raw HTTP/1.1 request (the path sent byte for byte, as fetch would not); status and headers. */
function rawGet(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    });
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", body = ""] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head, body });
    });
  });
}

describe("pageFileFor", () => {
  it("maps / and the page's files, and nothing else", () => {
    expect(pageFileFor("/")).toEqual({ file: "index.html" });
    expect(pageFileFor("/app.js?v=1")).toEqual({ file: "app.js" });
    expect(pageFileFor("/worker.js")).toEqual({ file: "worker.js" });
    expect(pageFileFor("/package.json")).toEqual({ status: 404 });
    expect(pageFileFor("/dist/classroom/www/app.js")).toEqual({ status: 404 });
    expect(pageFileFor("/constructor")).toEqual({ status: 404 });
  });

  it("refuses traversal in every spelling with 400", () => {
    for (const path of [
      "/../package.json",
      "/..",
      "/./app.js",
      "/%2e%2e/package.json",
      "/%2E%2E%2Fpackage.json",
      "/..%2fpackage.json",
      "/app.js%2f..%2f..%2fpackage.json",
      "/..%5cpackage.json",
      "/..\\package.json",
      "//etc/passwd",
      "/%00",
      "http://example.com/app.js",
      "/etc/passwd/..",
    ])
      expect(pageFileFor(path), path).toEqual({ status: 400 });
  });
});

describe("the classroom server", () => {
  let dir = "";
  let server: ClassroomServer | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-server-"));
    const page = join(dir, "www");
    mkdirSync(page);
    for (const file of Object.keys(PAGE_FILES)) writeFileSync(join(page, file), `the page's ${file}`);
    writeFileSync(join(dir, "secret.txt"), "secret");
    server = await startClassroomServer({
      pageDir: page,
      source: { file: "s.yaml", text: "name: s\n", files: {} },
    });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 only", async () => {
    expect(server?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const port = server?.port ?? 0;
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === "IPv4" && a.address !== "127.0.0.1")
      .map((a) => a?.address ?? "");
    for (const address of [...others, "::1"]) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, address);
        socket.on("connect", () => {
          socket.destroy();
          resolve(false);
        });
        socket.on("error", () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
  });

  it("serves the page's files with their type and a same-origin CSP, and the scenario", async () => {
    const port = server?.port ?? 0;
    const index = await rawGet(port, "/");
    expect(index.status).toBe(200);
    expect(index.body).toBe("the page's index.html");
    expect(index.head).toContain("Content-Type: text/html; charset=utf-8");
    expect(index.head).toContain(`Content-Security-Policy: ${CSP}`);
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("connect-src 'self'");
    expect((await rawGet(port, "/worker.js")).head).toContain("Content-Type: text/javascript");
    const scenario = await rawGet(port, "/scenario");
    expect(JSON.parse(scenario.body)).toEqual({ source: { file: "s.yaml", text: "name: s\n", files: {} } });
  });

  it("refuses traversal on the wire, and a file that links out of the page's folder", async () => {
    const port = server?.port ?? 0;
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt"]) {
      const got = await rawGet(port, path);
      expect(got.status, path).toBe(400);
      expect(got.body).not.toContain("secret");
    }
    expect((await rawGet(port, "/secret.txt")).status).toBe(404);
    rmSync(join(dir, "www", "app.js"));
    symlinkSync(join(dir, "secret.txt"), join(dir, "www", "app.js"));
    const linked = await rawGet(port, "/app.js");
    expect(linked.status).toBe(404);
    expect(linked.body).not.toContain("secret");
  });

  it("answers only requests addressed to 127.0.0.1 or localhost (no DNS rebinding)", async () => {
    const port = server?.port ?? 0;
    expect((await rawGet(port, "/", `localhost:${port}`)).status).toBe(200);
    expect((await rawGet(port, "/", `evil.example:${port}`)).status).toBe(400);
  });
});
