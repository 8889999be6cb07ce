// The scenario file's shape as a zod schema (keys spelt as in haproxy.cfg), and its published JSON Schema.
import * as z from "zod";
import { type HashTypeSettings, parseHashType } from "../strategies/hash-type.js";
import { DISTRIBUTION_EXPECTED, tryParseDistribution } from "./distribution.js";
import { eventJsonSchemaOnce, parseEvent } from "./events.js";
import { DURATION_JSON, duration, positiveDuration, share, warmupDuration } from "./leaves.js";
import { describe, fail, ok, type Result } from "./problem.js";
import type { Distribution } from "./types.js";
import { RATE_EXPECTED, tryParseDuration, tryParsePositiveRate, tryParseRate } from "./units.js";
import { fromResult, inputJsonSchema, integer, oneKey, strict, subParse } from "./zod-glue.js";

export { duration, positiveDuration };
export const distribution = fromResult(tryParseDistribution, DISTRIBUTION_EXPECTED, { type: "object" });
/** `rtt`: a distribution, or a plain duration for a constant one (`rtt: 5ms`). */
const rttLeaf = fromResult(
  (value): Result<Distribution> => {
    if (typeof value === "object" && value !== null) return tryParseDistribution(value);
    const ms = tryParseDuration(value);
    return ms.ok ? ok({ kind: "constant", valueMs: ms.value }) : tryParseDistribution(value);
  },
  `a duration (5ms) or ${DISTRIBUTION_EXPECTED}`,
  { type: ["object", "string", "number"] },
);

/** The characters haproxy.cfg allows in a proxy or server name (`invalid_char()`). */
const HAPROXY_NAME = /^[A-Za-z0-9_.:-]+$/;
const NAME_EXPECTED = "a name of letters, digits and - _ . :";
export const haproxyName = fromResult(
  (value): Result<string> =>
    typeof value === "string" && HAPROXY_NAME.test(value)
      ? ok(value)
      : fail("bad-value", `found ${describe(value)}, expected ${NAME_EXPECTED}`),
  NAME_EXPECTED,
  { type: "string", pattern: HAPROXY_NAME.source },
);

/** Client names are addressed as `clients.<name>.…` by `--set`, so no dots. */
const CLIENT_NAME = /^[A-Za-z0-9_:-]+$/;
const CLIENT_NAME_EXPECTED = "a name of letters, digits and - _ :";
const clientName = fromResult(
  (value): Result<string> =>
    typeof value === "string" && CLIENT_NAME.test(value)
      ? ok(value)
      : fail("bad-value", `found ${describe(value)}, expected ${CLIENT_NAME_EXPECTED}`),
  CLIENT_NAME_EXPECTED,
  { type: "string", pattern: CLIENT_NAME.source },
);

/** `hash-type` as haproxy.cfg writes it: a method, then optionally a function and `avalanche` (§3.1). */
const hashType = fromResult(
  (value): Result<HashTypeSettings> => {
    if (typeof value !== "string")
      return fail("bad-type", `found ${describe(value)}, expected "map-based" or "consistent"`);
    const parsed = parseHashType(value);
    return parsed.kind === "ok" ? ok(parsed.settings) : fail("bad-value", parsed.message, parsed.hint);
  },
  `"map-based" or "consistent", optionally followed by sdbm, djb2, wt6 or crc32 and "avalanche"`,
  { type: "string", pattern: "^(map-based|consistent)( (sdbm|djb2|wt6|crc32)( avalanche)?)?$" },
);

const positiveNumber = z.number().positive();

/** The most balancer instances a scenario may run: each holds a copy of every server's state and checks. */
export const MAX_BALANCERS = 64;

const checkObject = strict({
  type: z.enum(["tcp", "http"]).optional(),
  inter: positiveDuration.optional(),
  fastinter: positiveDuration.optional(),
  downinter: positiveDuration.optional(),
  rise: integer().min(1).optional(),
  fall: integer().min(1).optional(),
  timeout: duration.optional(),
  phase: z.enum(["spread", "random"]).optional(),
});
export type RawCheck = z.output<typeof checkObject>;
const check = z.union([z.boolean(), checkObject]);

const ON_ERROR = ["fastinter", "fail-check", "sudden-death", "mark-down"] as const;
const observeFields = {
  observe: z.enum(["layer4", "layer7"]).optional(),
  "error-limit": integer().min(1).optional(),
  "on-error": z.enum(ON_ERROR).optional(),
};

/** Fields a server takes, and `default-server` too (everything but its name and id). */
const serverFields = {
  weight: integer().min(0).max(256).optional(),
  maxconn: integer().min(0).optional(),
  maxqueue: integer().min(0).optional(),
  slots: integer().min(1).optional(),
  discipline: z.enum(["fifo", "ps"]).optional(),
  speed: positiveNumber.optional(),
  service: distribution.optional(),
  backup: z.boolean().optional(),
  check: check.optional(),
  slowstart: duration.optional(),
  disabled: z.boolean().optional(),
  ...observeFields,
  rtt: rttLeaf.optional().meta({
    description: "round-trip time to the server: one per connect, one more per response (and checks)",
  }),
  loss: share.optional().meta({
    description: "each SYN to the server is lost with this probability (30%), re-sent after 1 s, 3 s, 7 s",
  }),
};

const server = strict({
  name: haproxyName,
  id: integer().min(1).optional(),
  ...serverFields,
  added: z.boolean().optional().meta({
    description:
      "false: declared (service, slots…) but not in the backend until the timeline's `add server <backend>/<server>`",
  }),
});
const defaultServer = strict(serverFields);
export type RawServer = z.output<typeof defaultServer> & {
  readonly name?: string;
  readonly id?: number;
  readonly added?: boolean;
};

const backendFields = {
  balance: z.string().trim().min(1).optional(),
  "hash-type": hashType.optional(),
  timeout: strict({
    connect: duration.optional(),
    server: duration.optional(),
    queue: duration.optional(),
  }).optional(),
  retries: integer().min(0).max(100).optional(),
  redispatch: z.union([z.boolean(), integer()]).optional(),
  allbackups: z.boolean().optional(),
  abortonclose: z.boolean().optional(),
  "default-server": defaultServer.optional(),
  check: check.optional(),
  service: distribution.optional(),
  ...observeFields,
  servers: z.array(server).min(1),
};
const backend = strict({ name: haproxyName.optional(), ...backendFields });
/** One of `backends:`, which names each. */
const namedBackend = strict({ name: haproxyName, ...backendFields });

/** A line of haproxy.cfg after its keyword, one entry per line (checked by the loader, scenarios/acl.ts). */
const cfgLine = z.string().trim().min(1);
const frontendFields = {
  maxconn: integer().min(0).optional(),
  timeout: strict({ client: duration.optional() }).optional(),
  acl: z
    .array(cfgLine)
    .optional()
    .meta({ description: "what follows `acl` on each haproxy.cfg line, e.g. `is_api path_beg /api/`" }),
  use_backend: z
    .array(cfgLine)
    .optional()
    .meta({ description: "what follows `use_backend` on each haproxy.cfg line, e.g. `api if is_api`" }),
  default_backend: haproxyName.optional(),
};
const frontend = strict({ name: haproxyName.optional(), ...frontendFields });
/** One of `frontends:`, which names each. */
const namedFrontend = strict({ name: haproxyName, ...frontendFields });

const rateLeaf = (positive: boolean) => (positive ? tryParsePositiveRate : tryParseRate);
const ramp = strict({
  from: fromResult(rateLeaf(false), RATE_EXPECTED, DURATION_JSON),
  to: fromResult(rateLeaf(false), RATE_EXPECTED, DURATION_JSON),
  over: positiveDuration.optional(),
});
const users = strict({ count: integer().min(1), think: distribution });
const trace = z.string().trim().min(1);
const parseArrivals = oneKey(
  {
    poisson: rateLeaf(true),
    constant: rateLeaf(true),
    ramp: (value: unknown) => subParse(ramp, value),
    users: (value: unknown) => subParse(users, value),
    trace: (value: unknown) => subParse(trace, value),
  },
  "arrivals such as {poisson: 200/s}, {constant: 50/s}, {ramp: {from, to, over}}, {users: {count, think}} or {trace: file.csv}",
  "bad-value",
);
export type RawArrivals = Extract<ReturnType<typeof parseArrivals>, { ok: true }>["value"];
const arrivals = fromResult(parseArrivals, "arrivals such as {poisson: 200/s}", { type: "object" });

const populationFields = { count: integer().min(1).optional(), zipf: positiveNumber.optional() };
const population = strict(populationFields);
const paths = strict({
  ...populationFields,
  prefix: z
    .string()
    .regex(/^\/\S*$/, "expected a path prefix such as /api/ (starting with /, no spaces)")
    .optional(),
});

const client = strict({
  name: clientName,
  arrivals,
  frontend: haproxyName.optional(),
  host: z
    .string()
    .regex(/^\S*$/, "expected a Host header value such as api.example.com (no spaces)")
    .optional(),
  sources: population.optional(),
  paths: paths.optional(),
  timeout: duration.optional(),
  retry: strict({
    count: integer().min(0).max(100),
    backoff: duration.optional(),
    "max-backoff": duration.optional(),
    jitter: z.number().min(0).max(1).optional(),
  }).optional(),
});

/** `10%`: a relative tolerance of `lbsim check --baseline` (a share of the baseline's figure). */
const TOLERANCE_EXPECTED = "a percentage such as 10% (of the baseline's figure)";
const tolerance = fromResult(
  (value): Result<number> => {
    const match = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
    if (match !== null) return ok(Number(match[1]) / 100);
    const hint = typeof value === "number" ? `did you mean ${value}%?` : undefined;
    return fail("bad-value", `found ${describe(value)}, expected ${TOLERANCE_EXPECTED}`, hint);
  },
  TOLERANCE_EXPECTED,
  { type: "string", pattern: "^\\s*\\d+(\\.\\d+)?\\s*%\\s*$" },
);

/** The figures a baseline compares (cli/check-figures.ts), each of which may have its own tolerance. */
export const BASELINE_FIGURES = [
  "p50",
  "p90",
  "p99",
  "p999",
  "mean",
  "max",
  "queue.mean",
  "errors",
  "unfinished",
] as const;

const baselineTolerances = strict({
  tolerance: tolerance.optional().meta({
    description:
      "how much worse than the baseline a figure may get before `lbsim check --baseline` fails (default 10%)",
  }),
  ...Object.fromEntries(BASELINE_FIGURES.map((name) => [name, tolerance.optional()])),
} as Record<"tolerance" | (typeof BASELINE_FIGURES)[number], z.ZodOptional<typeof tolerance>>);

const EVENT_EXPECTED = "an event such as {at: 20s, crash: web01}";
/** Its JSON Schema is attached by scenarioJsonSchema(), the one place that needs it (start-up time). */
const event = fromResult(parseEvent, EVENT_EXPECTED, {});

export const scenarioSchema = strict({
  extends: z.string().trim().min(1).optional().meta({
    description: "a scenario file (relative to this one) that this scenario is written on top of",
  }),
  name: z.string().trim().min(1).optional(),
  description: z.string().optional(),
  seed: integer().min(0).optional(),
  duration: positiveDuration,
  warmup: warmupDuration.optional(),
  bucket: positiveDuration.optional(),
  global: strict({
    maxconn: integer().min(0).optional().meta({
      description: "connections of every frontend together (haproxy.cfg's global maxconn); 0 = no limit",
    }),
  }).optional(),
  balancers: strict({
    count: integer()
      .min(1)
      .max(MAX_BALANCERS)
      .meta({
        description: `balancer instances sharing the servers (HAProxy pods or processes behind DNS or ECMP), 1 to ${MAX_BALANCERS}`,
      }),
    spread: z.enum(["roundrobin", "source"]).optional().meta({
      description:
        "how requests reach the instances: roundrobin (each request, a new connection, to the next; default) or source (a hash of the client's address: a client always reaches the same one)",
    }),
  })
    .optional()
    .meta({
      description:
        "several balancer instances, each with its own strategy state, queues, checks and counters",
    }),
  frontend: frontend.optional(),
  frontends: z.array(namedFrontend).min(1).optional(),
  backend: backend.optional(),
  backends: z.array(namedBackend).min(1).optional(),
  haproxy: z.string().trim().min(1).optional().meta({
    description:
      "a haproxy.cfg (relative to this file) whose frontend and backend this scenario starts from; backend: fields override them",
  }),
  clients: z.array(client).min(1),
  events: z.array(event).optional(),
  compare: z.array(z.string().trim().min(1)).optional(),
  expect: z.array(z.string().trim().min(1)).optional(),
  baseline: baselineTolerances.optional().meta({
    description:
      "tolerances of `lbsim check --baseline`: tolerance: for every figure, or per figure (p99: 5%)",
  }),
});
export type RawScenario = z.output<typeof scenarioSchema>;

/** The JSON Schema of scenario files, for editors (durations and distributions are described, not parsed). */
export function scenarioJsonSchema(): Record<string, unknown> {
  // The metadata `fromResult` gives the event, with the events' JSON Schema now built (once).
  z.globalRegistry.add(event, { ...eventJsonSchemaOnce(), description: EVENT_EXPECTED });
  return {
    ...inputJsonSchema(scenarioSchema),
    title: "lbsim scenario",
    description: "A load-balancing scenario for lbsim (DESIGN.md, 'Scenario file')",
  };
}
