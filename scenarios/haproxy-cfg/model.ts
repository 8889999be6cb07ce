// The importer's data: what an import returns, and the settings a section builds up as it is read.

import type { Problem } from "../problem.js";
import type { Word } from "./lex.js";

/** A note about one line of the cfg: something not understood, or understood but not simulated. */
export interface CfgNote {
  readonly line: number;
  readonly message: string;
}

/** A directive with no meaning in a simulation, listed once with every line it is on. */
export interface IgnoredDirective {
  readonly directive: string;
  readonly lines: ReadonlyArray<number>;
}

export interface CfgServer {
  readonly name: string;
  readonly address: string;
  readonly line: number;
  /** The server's fields in scenario form (`weight`, `check`, `backup`…). */
  readonly fields: Record<string, unknown>;
}

/** A frontend or backend as a scenario file writes it (durations in ms). */
export type ProxyValue = Record<string, unknown>;

/**
 * The cfg's proxies as a scenario file writes them, each in file order: `frontend` when there is
 * exactly one frontend, `frontends` when several (without any: nothing, or with several backends
 * a nameless `frontend` whose default_backend is the first); `backend` when there is exactly one
 * backend, `backends` when several.
 */
export interface CfgTopology {
  /** `global: {maxconn}` when the cfg's global section sets one. */
  global?: { maxconn: number };
  frontend?: ProxyValue;
  frontends?: ProxyValue[];
  backend?: ProxyValue;
  backends?: ProxyValue[];
}

export interface CfgImport {
  readonly file: string;
  readonly value: CfgTopology;
  /** The imported frontends in file order (listen sections included), with their `bind` addresses. */
  readonly frontends: ReadonlyArray<{ readonly name: string; readonly binds: ReadonlyArray<string> }>;
  /** The imported backends in file order (listen sections included), with their servers' addresses. */
  readonly backends: ReadonlyArray<{ readonly name: string; readonly servers: ReadonlyArray<CfgServer> }>;
  /** `http-check expect status N` and other understood-but-approximated settings. */
  readonly ignored: ReadonlyArray<IgnoredDirective>;
  /** Unknown directives and what lbsim does not simulate, by line. */
  readonly warnings: ReadonlyArray<CfgNote>;
}

export type Kind = "global" | "defaults" | "frontend" | "backend" | "listen";

/** A duration in a scenario value: the cfg's text with its unit (`30s`), or bare ms (`5000`). */
export type CfgDuration = number | string;

export interface Check {
  inter?: CfgDuration;
  fastinter?: CfgDuration;
  downinter?: CfgDuration;
  rise?: number;
  fall?: number;
}

export interface ServerSettings {
  fields: Record<string, unknown>;
  check: Check;
  /** `check` / `no-check` seen: true / false; undefined when not said. */
  enabled?: boolean;
}

export interface Settings {
  mode?: string;
  balance?: string;
  hashType?: string;
  timeout: {
    connect?: CfgDuration;
    server?: CfgDuration;
    queue?: CfgDuration;
    client?: CfgDuration;
    check?: CfgDuration;
  };
  retries?: number;
  redispatch?: boolean | number;
  httpchk?: boolean;
  allbackups?: boolean;
  /** `option abortonclose`, from `defaults` or a `listen` section (where it acts). */
  abortonclose?: boolean;
  maxconn?: number;
  defaultServer: ServerSettings;
}

export interface CfgProxy {
  readonly kind: Kind;
  readonly name: string;
  readonly line: number;
  settings: Settings;
  servers: CfgServer[];
  binds: string[];
  defaultBackend?: { name: string; line: number; column: number };
  /** `acl` lines of a frontend or listen section, in file order (a name may repeat: HAProxy ORs them). */
  acls: CfgAcl[];
  useBackends: CfgUseBackend[];
}

/** An `acl` line: its name and what follows `acl`, words joined by single spaces. */
export interface CfgAcl {
  readonly name: string;
  readonly text: string;
  readonly line: number;
  /** The column of the criterion (`path_beg`, `hdr(host)`…). */
  readonly column: number;
  /** What scenarios/acl.ts finds wrong with it (none when lbsim can simulate it). */
  readonly problems: ReadonlyArray<Problem>;
}

/** A `use_backend` line. */
export interface CfgUseBackend {
  readonly backend: string;
  /** What follows `use_backend`, words joined by single spaces. */
  readonly text: string;
  readonly line: number;
  /** The words after `use_backend`, for pointing at an ACL name or the backend name. */
  readonly words: ReadonlyArray<Word>;
}

export const emptySettings = (): Settings => ({ timeout: {}, defaultServer: { fields: {}, check: {} } });

export const copySettings = (s: Settings): Settings => ({
  ...s,
  timeout: { ...s.timeout },
  defaultServer: {
    fields: { ...s.defaultServer.fields },
    check: { ...s.defaultServer.check },
    ...(s.defaultServer.enabled === undefined ? {} : { enabled: s.defaultServer.enabled }),
  },
});
