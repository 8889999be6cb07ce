// The scenario's frontends and backends as the model runs them: routes to backend indices, a
// backend for each frontend that may route a request nowhere, and a copy of them per balancer instance.
import type { BackendSpec, FrontendSpec, Scenario } from "../../scenarios/types.js";
import { compileRouting } from "../routing.js";
import type { Route } from "./frontends.js";

/** A backend of the model: one of the scenario's, or a frontend standing in for one (see modelTopology). */
export interface ModelBackend {
  readonly spec: BackendSpec;
  /** A frontend without `default_backend`, which HAProxy uses as a backend without servers (503 `SC`). */
  readonly unrouted: boolean;
  /** The balancer instance that runs it (0 with one instance), and its index among one instance's backends. */
  readonly instance: number;
  readonly real: number;
}

/**
 * The scenario's frontends and backends as the model runs them. A frontend whose requests can end
 * up routed nowhere (no `default_backend`) gets a backend of its own name and no server, as in
 * HAProxy, where it answers them 503 `SC` and logs `<frontend> <frontend>/<NOSRV>` (measured).
 */
export function modelTopology(scenario: Scenario): {
  /**
   * Every instance's backends, instance by instance: backend b of instance i is at i·perInstance + b
   * (so with one instance, as before, the scenario's own order).
   */
  backends: ModelBackend[];
  /** Backends of one instance (the scenario's, and the unrouted stand-ins), and how many instances. */
  perInstance: number;
  instances: number;
  frontends: ReadonlyArray<FrontendSpec>;
  routes: Route[];
  qualified: boolean;
} {
  const specs = scenario.backends ?? [scenario.backend];
  const frontends = scenario.frontends ?? [scenario.frontend];
  const backends: ModelBackend[] = specs.map((spec, b) => ({ spec, unrouted: false, instance: 0, real: b }));
  const index = new Map(specs.map((spec, b) => [spec.name, b]));
  const routes = frontends.map((frontend): Route => {
    let unrouted = -1;
    if (frontend.defaultBackend === null) {
      unrouted = backends.length;
      const real = backends.length;
      backends.push({ spec: unroutedBackend(frontend, scenario.backend), unrouted: true, instance: 0, real });
    }
    const byDefault =
      frontend.defaultBackend === null ? unrouted : (index.get(frontend.defaultBackend ?? "") ?? 0);
    if ((frontend.useBackends ?? []).length === 0) return () => byDefault;
    const route = compileRouting(frontend);
    return (request) => {
      const name = route(request);
      if (name === null) return unrouted;
      if (name === undefined) return byDefault;
      return index.get(name) ?? byDefault;
    };
  });
  // Each further instance runs a copy of every backend: its own strategies, queues and checks.
  const perInstance = backends.length;
  const instances = scenario.balancers?.count ?? 1;
  for (let i = 1; i < instances; i++)
    for (let b = 0; b < perInstance; b++) backends.push({ ...backends[b]!, instance: i });
  return { backends, perInstance, instances, frontends, routes, qualified: specs.length > 1 };
}

function unroutedBackend(frontend: FrontendSpec, like: BackendSpec): BackendSpec {
  return {
    ...like,
    name: frontend.name,
    balance: "",
    retries: 0,
    redispatch: null,
    allbackups: false,
    servers: [],
  };
}
