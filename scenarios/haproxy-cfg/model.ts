// The importer's data: what an import returns, and the settings a section builds up as it is read.

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

export interface CfgImport {
  readonly file: string;
  /** `{frontend?, backend}` as a scenario file would write them (durations in ms). */
  readonly value: { frontend?: Record<string, unknown>; backend: Record<string, unknown> };
  readonly frontendName: string | undefined;
  readonly backendName: string;
  readonly servers: ReadonlyArray<CfgServer>;
  /** `bind` addresses of the imported frontend. */
  readonly binds: ReadonlyArray<string>;
  /** `http-check expect status N` and other understood-but-approximated settings. */
  readonly ignored: ReadonlyArray<IgnoredDirective>;
  /** Unknown directives and what lbsim does not simulate (routing, other proxies), by line. */
  readonly warnings: ReadonlyArray<CfgNote>;
}

export type Kind = "global" | "defaults" | "frontend" | "backend" | "listen";

export interface Check {
  inter?: number;
  fastinter?: number;
  downinter?: number;
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
  timeout: { connect?: number; server?: number; queue?: number; client?: number; check?: number };
  retries?: number;
  redispatch?: boolean | number;
  httpchk?: boolean;
  allbackups?: boolean;
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
  useBackends: { backend: string; line: number; text: string }[];
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
