// `lbsim explain`: the key populations a hashing balance is explained over (which key, which keys),
// and plain sequential requests for the others.

import { createStream } from "../sim/index.js";
import type { RequestView } from "../strategies/index.js";

/** Keys hashed, and sequential picks counted, per backend: enough for shares to ±1% (hashes) or exact (periods). */
export const KEY_COUNT = 10_000;

const HASHES = ["source", "uri", "url_param", "hdr"] as const;
type Hashing = (typeof HASHES)[number];

export function keyword(balance: string): string {
  const first = balance.trim().split(/\s+/)[0]!;
  return first.startsWith("hdr(") ? "hdr" : first;
}

export function hashingOf(balance: string): Hashing | undefined {
  const word = keyword(balance);
  return HASHES.find((h) => h === word);
}

/** The requests of the key population (hashing) or plain requests (the others). */
export function keyRequests(
  balance: string,
  seed: number,
  count = KEY_COUNT,
): { requests: RequestView[]; keys: string; population: string } {
  const hashing = hashingOf(balance);
  const plain: RequestView = { sourceIp: "10.0.0.1", sourceKey: 0x0a000001, path: "/", host: "" };
  const requests: RequestView[] = [];
  const words = balance.trim().split(/\s+/);
  switch (hashing) {
    case "source": {
      const stream = createStream(seed, "explain:sources");
      for (let i = 0; i < KEY_COUNT; i++) {
        requests.push(sourceRequest(stream.nextUint32()));
      }
      return {
        requests,
        keys: "the client's IPv4 address",
        population: `${fmt(KEY_COUNT)} random IPv4 addresses (seeded)`,
      };
    }
    case "uri":
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, path: `/item/${i}` });
      return {
        requests,
        keys: `the request-target (balance ${balance.trim()})`,
        population: `${fmt(KEY_COUNT)} paths /item/0 … /item/${KEY_COUNT - 1} (lbsim's client paths)`,
      };
    case "url_param": {
      const param = words[1] ?? "";
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, path: `/item?${param}=${i}` });
      return {
        requests,
        keys: `the value of query parameter "${param}"`,
        population: `${fmt(KEY_COUNT)} requests /item?${param}=0 … ${KEY_COUNT - 1}`,
      };
    }
    case "hdr": {
      const header = /^hdr\(([^)]*)\)/.exec(words[0]!)?.[1] ?? "";
      for (let i = 0; i < KEY_COUNT; i++) requests.push({ ...plain, host: `site${i}.example` });
      return header.toLowerCase() === "host"
        ? {
            requests,
            keys: `the Host header${words[1] === "use_domain_only" ? "'s domain label" : ""}`,
            population: `${fmt(KEY_COUNT)} hosts site0.example … site${KEY_COUNT - 1}.example`,
          }
        : {
            requests,
            keys: `the ${header} header (lbsim's requests carry only Host: it is absent, so HAProxy's round-robin fallback applies)`,
            population: `${fmt(KEY_COUNT)} requests without that header`,
          };
    }
    default:
      for (let i = 0; i < count; i++) requests.push(plain);
      return { requests, keys: "", population: `${fmt(count)} sequential requests` };
  }
}

export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

/** The first of lbsim's client addresses, 10.0.0.1 (sim/population.ts): index i is this + i. */
const FIRST_CLIENT_ADDRESS = 0x0a000001;

function sourceRequest(key: number): RequestView {
  const sourceIp = [key >>> 24, (key >>> 16) & 0xff, (key >>> 8) & 0xff, key & 0xff].join(".");
  return { sourceIp, sourceKey: key, path: "/", host: "" };
}

/**
 * The model runs' client addresses, 10.0.0.1 onwards (`sources: {count}`): consecutive addresses
 * of one network, which a hash without avalanche may pile onto few servers (§3.1).
 */
export function consecutiveSources(count: number): { requests: RequestView[]; population: string } {
  const requests: RequestView[] = [];
  for (let i = 0; i < count; i++) requests.push(sourceRequest((FIRST_CLIENT_ADDRESS + i) >>> 0));
  return {
    requests,
    population: `${fmt(count)} consecutive addresses ${requests[0]?.sourceIp} … ${requests[count - 1]?.sourceIp} (the model run's clients)`,
  };
}
