// scenarios/scenario.schema.json, the JSON Schema that editors read, is what scenarioJsonSchema() says.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "./schema.js";

const file = join(dirname(fileURLToPath(import.meta.url)), "scenario.schema.json");
const UPDATE = "UPDATE_SCHEMA=1 npx vitest run scenarios/schema-file.spec.ts";

describe("scenario.schema.json", () => {
  it("is up to date with the loader's schema", () => {
    const schema = scenarioJsonSchema();
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
    let written: unknown;
    try {
      written = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`cannot read ${file} (${String(error)}); write it with: ${UPDATE}`);
    }
    // Compared as JSON values, so that a formatter may lay the file out as it likes.
    expect(written, `scenarios/scenario.schema.json is out of date; update it with: ${UPDATE}`).toEqual(
      schema,
    );
  });

  it("is named on the first line of every ready scenario, for editors", () => {
    const library = join(dirname(file), "library");
    const scenarios = readdirSync(library).filter((name) => /\.ya?ml$/.test(name));
    expect(scenarios.length).toBeGreaterThan(0);
    for (const name of scenarios) {
      const first = readFileSync(join(library, name), "utf8").split("\n")[0];
      expect(first, name).toBe("# yaml-language-server: $schema=../scenario.schema.json");
    }
  });
});
