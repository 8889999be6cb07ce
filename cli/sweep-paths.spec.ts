// Spec of cli/sweep-paths.ts: dotted paths in the user's YAML, list items by name, and the nearest path when one is unknown.
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { nearestPath, resolvePath, writtenPaths, yamlValue } from "./sweep-paths.js";

const FILE = `name: demo
backend:
  name: web
  timeout: { connect: 1s, server: 10s }
  servers:
    - { name: web01 }
    - { name: web02, weight: 2 }
    - { name: db.primary }
clients:
  - name: load
    arrivals: { poisson: 50/s }
`;

const doc = () => parseDocument(FILE);

describe("resolvePath", () => {
  it("finds a server by its name, not its place in the list", () => {
    expect(resolvePath(doc(), "backend.servers.web02.weight", "demo.yaml")).toEqual({
      path: "backend.servers.web02.weight",
      yamlPath: ["backend", "servers", 1, "weight"],
      added: false,
    });
  });

  it("finds a client by its name", () => {
    expect(resolvePath(doc(), "clients.load.arrivals.poisson", "demo.yaml").yamlPath).toEqual([
      "clients",
      0,
      "arrivals",
      "poisson",
    ]);
  });

  it("takes a name with a dot as a whole", () => {
    expect(resolvePath(doc(), "backend.servers.db.primary.weight", "demo.yaml").yamlPath).toEqual([
      "backend",
      "servers",
      2,
      "weight",
    ]);
  });

  it("adds a field the file leaves to its default (the parser then says whether it exists)", () => {
    expect(resolvePath(doc(), "backend.servers.web01.speed", "demo.yaml")).toEqual({
      path: "backend.servers.web01.speed",
      yamlPath: ["backend", "servers", 0, "speed"],
      added: true,
    });
    expect(resolvePath(doc(), "backend.check.inter", "demo.yaml").yamlPath).toEqual([
      "backend",
      "check",
      "inter",
    ]);
  });

  it("refuses a server that is not in the file, naming the nearest written path", () => {
    expect(() => resolvePath(doc(), "backend.servers.web2.weight", "demo.yaml")).toThrow(
      "--set backend.servers.web2.weight: no such field in demo.yaml; nearest: backend.servers.web02.weight",
    );
  });

  it("refuses a group of fields (a value is needed, not a map)", () => {
    expect(() => resolvePath(doc(), "backend.timeout", "demo.yaml")).toThrow(
      "that is a group of fields in demo.yaml, not one value",
    );
  });

  it("refuses a path below a value", () => {
    expect(() => resolvePath(doc(), "backend.timeout.server.x", "demo.yaml")).toThrow("no such field");
  });
});

describe("writtenPaths and nearestPath", () => {
  it("lists list items by name", () => {
    expect(writtenPaths(doc())).toContain("backend.servers.web02.weight");
    expect(writtenPaths(doc())).toContain("clients.load.arrivals.poisson");
  });

  it("names the nearest by edit distance over whole paths", () => {
    expect(nearestPath("backend.timeout.sever", writtenPaths(doc()))).toBe("backend.timeout.server");
  });
});

describe("yamlValue", () => {
  it("reads a value as the file would: a number, a duration as text, an inline map", () => {
    expect(yamlValue("0.2")).toBe(0.2);
    expect(yamlValue("1s")).toBe("1s");
    expect(yamlValue("{ exponential: 10ms }")).toEqual({ exponential: "10ms" });
  });
});
