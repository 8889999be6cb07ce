// The model context: the one object every component is built from (engine, scenario, streams' seed,
// request table, servers, metrics) and through which it reaches the components built after it.
import type { Scenario } from "../../scenarios/types.js";
import { Engine } from "../engine.js";
import type { Expectation } from "../expectations.js";
import { lazyStream, type RandomStream } from "../random.js";
import type { RequestRecord, TraceRow } from "../run-types.js";
import type { Balancer } from "./balancer.js";
import type { HealthChecker } from "./checks.js";
import type { Clients } from "./clients.js";
import type { DecisionTracer } from "./decision-trace.js";
import type { Frontends } from "./frontends.js";
import type { Metrics } from "./metrics.js";
import { RequestCursor } from "./request-cursor.js";
import { RequestTable } from "./requests.js";
import type { Server } from "./server.js";
import type { ServerStates } from "./server-states.js";
import type { Service } from "./service.js";
import type { Timeline } from "./timeline.js";
import type { modelTopology } from "./topology.js";
import type { WindowTallies } from "./windows.js";

export type ModelTopology = ReturnType<typeof modelTopology>;

/**
 * Built by sim/model/build.ts in a fixed order. A component takes what it needs from the context
 * when it is constructed; the parts it only calls later (a balancer observing a response calls the
 * checker, the checker calls the server states, the frontends call the clients) it reads from the
 * context at call time, so no component sets another's fields after construction. The component
 * fields are assigned once, by `buildModel`, before any event runs.
 */
export class ModelContext {
  readonly engine = new Engine();
  readonly requests = new RequestTable();
  readonly cursor: RequestCursor;
  readonly scenario: Scenario;
  /** The seed of every named random stream (the scenario's, or the caller's override). */
  readonly seed: number;
  readonly topology: ModelTopology;
  /** Several frontends or backends: Results say per frontend and backend, servers say their backend. */
  readonly several: boolean;
  readonly servers: ReadonlyArray<Server>;
  readonly expectations: ReadonlyArray<Expectation>;
  readonly windows: WindowTallies | null;
  readonly metrics: Metrics;
  readonly onRequest: ((record: RequestRecord) => void) | undefined;
  readonly readTrace: ((file: string) => Iterable<TraceRow>) | undefined;
  /** Per server (every instance's copy): the stream deciding which responses fail under an `errors` rate. */
  readonly errorStreams: ReadonlyArray<RandomStream>;
  /** One per model backend, by index; filled while they are built (the frontends hold this array). */
  readonly balancers: Balancer[] = [];
  service!: Service;
  frontends!: Frontends;
  checker!: HealthChecker;
  states!: ServerStates;
  clients!: Clients;
  timeline!: Timeline;
  /** `run --explain`: the decision trace, set by buildModel before the balancers; undefined when off. */
  tracer: DecisionTracer | undefined = undefined;

  constructor(parts: {
    scenario: Scenario;
    seed: number;
    topology: ModelTopology;
    servers: ReadonlyArray<Server>;
    expectations: ReadonlyArray<Expectation>;
    windows: WindowTallies | null;
    metrics: Metrics;
    onRequest: ((record: RequestRecord) => void) | undefined;
    readTrace: ((file: string) => Iterable<TraceRow>) | undefined;
  }) {
    this.scenario = parts.scenario;
    this.cursor = new RequestCursor(this.requests, parts.scenario.clients);
    this.seed = parts.seed;
    this.topology = parts.topology;
    this.several = parts.topology.perInstance > 1 || parts.topology.frontends.length > 1;
    this.servers = parts.servers;
    this.expectations = parts.expectations;
    this.windows = parts.windows;
    this.metrics = parts.metrics;
    this.onRequest = parts.onRequest;
    this.readTrace = parts.readTrace;
    // The server decides which responses fail: every instance's copy draws from its station's stream.
    const streams: RandomStream[] = [];
    for (const s of parts.servers)
      streams.push(
        s.station === s ? lazyStream(parts.seed, `server:${s.name}:errors`) : streams[s.station.index]!,
      );
    this.errorStreams = streams;
  }
}
