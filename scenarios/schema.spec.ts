// The published JSON Schema of scenario files.
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "./schema.js";

describe("scenarioJsonSchema", () => {
  const schema = scenarioJsonSchema();
  const properties = schema.properties as Record<string, Record<string, unknown>>;

  it("describes the top-level keys and requires duration and clients", () => {
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining([
        "name",
        "duration",
        "warmup",
        "backend",
        "clients",
        "events",
        "compare",
        "expect",
      ]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["duration", "clients"]));
  });

  it("closes objects so that editors flag unknown keys", () => {
    expect(schema.additionalProperties).toBe(false);
    expect(properties.backend?.additionalProperties).toBe(false);
  });

  it("spells keys as haproxy.cfg does", () => {
    const backend = properties.backend?.properties as Record<string, unknown>;
    expect(Object.keys(backend)).toEqual(
      expect.arrayContaining(["hash-type", "default-server", "error-limit", "on-error"]),
    );
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
