// test-support: the tutorial's haproxy.cfg and small helpers the haproxy.cfg specs share.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { InputError } from "../errors.js";
import { importHaproxyCfg } from "./import.js";

const here = dirname(fileURLToPath(import.meta.url));
export const seed = readFileSync(join(here, "..", "library", "tutorial.cfg"), "utf8");

export const cfg = (...lines: string[]) => `${lines.join("\n")}\n`;
export const imp = (text: string) => importHaproxyCfg(text, "t.cfg");
export const fails = (text: string) => {
  try {
    imp(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error("expected an InputError");
};
