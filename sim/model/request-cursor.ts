// RequestCursor: the RequestView strategies read, pointed at one request slot; strings made only on demand.
import type { ClientSpec } from "../../scenarios/types.js";
import type { RequestView } from "../../strategies/types.js";
import type { TraceRow } from "../run-types.js";
import type { RequestTable } from "./requests.js";

export class RequestCursor implements RequestView {
  slot = 0;
  readonly #requests: RequestTable;
  /** Trace rows of requests replayed from a trace, by slot (their own address, path and host). */
  readonly rows: Array<TraceRow | undefined> = [];
  /** By client: the prefix of generated paths, and the Host header ("" = none). */
  readonly pathPrefixes: ReadonlyArray<string>;
  readonly hosts: ReadonlyArray<string>;

  constructor(requests: RequestTable, clients: ReadonlyArray<ClientSpec>) {
    this.#requests = requests;
    this.pathPrefixes = clients.map((c) => c.pathPrefix ?? "/item/");
    this.hosts = clients.map((c) => c.host ?? "");
  }

  get sourceKey(): number {
    return this.#requests.sourceKey[this.slot]!;
  }

  get sourceIp(): string {
    const row = this.#requests.traceText[this.slot]! >= 0 ? this.rows[this.slot] : undefined;
    if (row?.sourceIp !== undefined) return row.sourceIp;
    const k = this.#requests.sourceKey[this.slot]!;
    return `${k >>> 24}.${(k >>> 16) & 255}.${(k >>> 8) & 255}.${k & 255}`;
  }

  get path(): string {
    const row = this.#requests.traceText[this.slot]! >= 0 ? this.rows[this.slot] : undefined;
    if (row?.path !== undefined) return row.path;
    const prefix = this.pathPrefixes[this.#requests.client[this.slot]!] ?? "/item/";
    return `${prefix}${this.#requests.pathIndex[this.slot]!}`;
  }

  get host(): string {
    const row = this.#requests.traceText[this.slot]! >= 0 ? this.rows[this.slot] : undefined;
    return row?.host ?? this.hosts[this.#requests.client[this.slot]!] ?? "";
  }
}
