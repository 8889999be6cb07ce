// RequestCursor: the RequestView strategies read, pointed at one request slot; strings made only on demand.
import type { ClientSpec } from "../../scenarios/types.js";
import type { RequestView } from "../../strategies/types.js";
import type { TraceRow } from "../run-types.js";
import { I, N, type RequestTable, recordOf } from "./requests.js";

export class RequestCursor implements RequestView {
  slot = 0;
  readonly #requests: RequestTable;
  /** Trace rows of requests replayed from a trace, by record (their own address, path and host). */
  readonly #rows: Array<TraceRow | undefined> = [];
  /** By client: the prefix of generated paths, and the Host header ("" = none). */
  readonly pathPrefixes: ReadonlyArray<string>;
  readonly hosts: ReadonlyArray<string>;

  constructor(requests: RequestTable, clients: ReadonlyArray<ClientSpec>) {
    this.#requests = requests;
    this.pathPrefixes = clients.map((c) => c.pathPrefix ?? "/item/");
    this.hosts = clients.map((c) => c.host ?? "");
  }

  /** The trace row request `slot` replays (kept until the slot is reused). */
  setRow(slot: number, row: TraceRow | undefined): void {
    this.#rows[recordOf(slot)] = row;
  }

  rowOf(slot: number): TraceRow | undefined {
    return this.#rows[recordOf(slot)];
  }

  /** The row of the request the cursor points at, when it replays one. */
  #row(): TraceRow | undefined {
    return this.#requests.ints[this.slot + I.traceText]! >= 0 ? this.rowOf(this.slot) : undefined;
  }

  get sourceKey(): number {
    return this.#requests.nums[this.slot + N.sourceKey]!;
  }

  get sourceIp(): string {
    const row = this.#row();
    if (row?.sourceIp !== undefined) return row.sourceIp;
    const k = this.#requests.nums[this.slot + N.sourceKey]!;
    return `${k >>> 24}.${(k >>> 16) & 255}.${(k >>> 8) & 255}.${k & 255}`;
  }

  get path(): string {
    const row = this.#row();
    if (row?.path !== undefined) return row.path;
    const prefix = this.pathPrefixes[this.#requests.ints[this.slot + I.client]!] ?? "/item/";
    return `${prefix}${this.#requests.ints[this.slot + I.pathIndex]!}`;
  }

  get host(): string {
    const row = this.#row();
    return row?.host ?? this.hosts[this.#requests.ints[this.slot + I.client]!] ?? "";
  }
}
