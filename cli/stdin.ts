// `-` as a scenario: the text of standard input, named `<stdin>`, with the files it names relative to the current folder.
import { resolve } from "node:path";

/** The argument that means standard input (DESIGN.md "Command line"). */
export const STDIN_ARG = "-";

/** The file name messages give a scenario read from standard input. */
export const STDIN_NAME = "<stdin>";

/**
 * The scenario file as commands name it: `<stdin>` for `-`, else the argument. Its path lies in the
 * current folder, so that `extends:`, `haproxy:`, trace files and strategy files resolve there.
 */
export function scenarioNamed(
  arg: string,
  cwd: string,
): { readonly file: string; readonly path: string; readonly fromStdin: boolean } {
  if (arg !== STDIN_ARG) return { file: arg, path: resolve(cwd, arg), fromStdin: false };
  return { file: STDIN_NAME, path: resolve(cwd, STDIN_NAME), fromStdin: true };
}
