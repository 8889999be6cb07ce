// Frontends and backends of a raw scenario: `frontend:` or `frontends:`, `backend:` or `backends:`,
// and how events, expectations and runtime commands name servers when there are several backends.
import type { Path, Problem } from "./problem.js";
import { get, list, text } from "./references.js";

/** A raw value and where it is written. */
export interface Placed {
  readonly value: unknown;
  readonly path: Path;
}

/** The backends as written: the `backends:` list, or the one `backend:` (nothing when neither). */
export function backendsOf(raw: unknown): Placed[] {
  const several = list(get(raw, "backends"));
  if (several !== undefined) return several.map((value, index) => ({ value, path: ["backends", index] }));
  const one = get(raw, "backend");
  return one === undefined ? [] : [{ value: one, path: ["backend"] }];
}

/** The frontends as written: the `frontends:` list, or the one `frontend:` (nothing when neither). */
export function frontendsOf(raw: unknown): Placed[] {
  const several = list(get(raw, "frontends"));
  if (several !== undefined) return several.map((value, index) => ({ value, path: ["frontends", index] }));
  const one = get(raw, "frontend");
  return one === undefined ? [] : [{ value: one, path: ["frontend"] }];
}

/** `backend` and `backends` (or `frontend` and `frontends`) are two ways to write one thing. */
export function checkExclusive(raw: unknown, problems: Problem[]): void {
  for (const [one, several] of [
    ["backend", "backends"],
    ["frontend", "frontends"],
  ] as const) {
    if (get(raw, one) === undefined || get(raw, several) === undefined) continue;
    problems.push({
      code: "bad-value",
      path: [several],
      atKey: true,
      message: `found both ${one} and ${several}, expected one of them: ${one} for a single ${one}, ${several} to list several`,
      hint: `move the ${one}: fields into the list under ${several}`,
    });
  }
}

/** A backend's name as its servers are addressed: `backend` when unnamed (a single backend only). */
export function backendName(backend: unknown): string {
  return text(get(backend, "name")) || "backend";
}

/**
 * The names by which events and expectations may address servers. With one backend: the server
 * names. With several: `<backend>/<server>`, and a server's bare name when no other backend has a
 * server of that name. `canonical` turns an accepted name into the model's (`<backend>/<server>`
 * with several backends).
 */
export interface ServerNaming {
  readonly accepted: ReadonlyArray<string>;
  /** What messages list as the known servers. */
  readonly known: ReadonlyArray<string>;
  readonly canonical: (name: string) => string;
  /** The backends holding a server of this bare name, when more than one does. */
  readonly ambiguous: (name: string) => ReadonlyArray<string> | undefined;
}

export function serverNaming(
  backends: ReadonlyArray<{ readonly name: string; readonly servers: ReadonlyArray<string> }>,
): ServerNaming {
  if (backends.length <= 1) {
    const names = [...new Set((backends[0]?.servers ?? []).filter((n) => n !== ""))];
    return { accepted: names, known: names, canonical: (name) => name, ambiguous: () => undefined };
  }
  const qualified: string[] = [];
  const owners = new Map<string, string[]>();
  for (const backend of backends) {
    for (const server of backend.servers) {
      if (server === "") continue;
      qualified.push(`${backend.name}/${server}`);
      owners.set(server, [...(owners.get(server) ?? []), backend.name]);
    }
  }
  const bare = [...owners].filter(([, o]) => o.length === 1).map(([server]) => server);
  return {
    accepted: [...qualified, ...bare],
    known: qualified,
    canonical: (name) => {
      if (name.includes("/")) return name;
      const owner = owners.get(name)?.[0];
      return owner === undefined ? name : `${owner}/${name}`;
    },
    ambiguous: (name) => {
      const o = owners.get(name);
      return o !== undefined && o.length > 1 ? o : undefined;
    },
  };
}
