// Hash algorithms on a real HAProxy: source, uri, url_param, hdr(host), map-based and consistent (§3.6–3.9, §3.11, §8 rule 16).

import {
  type Case,
  cmd,
  conformanceCases,
  describeWithHaproxy,
  keyed,
  sourceAddress,
} from "./conformance.js";
import type { BackendConfig, RequestStep, ServerConfig, Step } from "./harness.js";

type Request = Omit<RequestStep, "kind">;
type HashType = NonNullable<BackendConfig["hashType"]>;

/** Distinct keys per case: each is sent several times, so a key that moves shows. */
const KEYS = 40;
const request = (path: string, host: string | undefined = "lb.test", source = "127.0.0.1"): Request => ({
  source,
  path,
  host,
});

const bySource = (k: number) => request("/", "lb.test", sourceAddress(k));
const byUri = (k: number) =>
  request(
    [
      `/item/${k}`,
      `/item/${k % 9}?v=${k}`,
      `/a/b${k % 5}/c/${k}`,
      `/static/${k}.css?x=1&y=${k % 3}`,
      `/a/${k % 3}/%7e${k}`,
    ][k % 5]!,
  );
const byUrlParam = (k: number) =>
  request(
    [
      `/login?userid=u${k}`,
      `/x?a=1&userid=${k}&b=2`,
      `/x?useridx=${k}`, // no parameter named exactly userid: round-robin fallback
      `/x/${k}`, // no query at all: fallback
      `/x?userid=&k=${k}`, // present but empty
      `/x?userid=${k % 4}&userid=${k}`, // the first occurrence counts
      `/x?a=${k};userid=${k % 11}`, // `;` as a parameter separator?
    ][k % 7]!,
  );
const byHost = (k: number) =>
  [
    request("/", `h${k}.example`),
    request("/", `h${k % 7}.example:8443`), // the port is part of the key
    request("/", `H${k % 5}.Example`), // raw bytes, no case folding
    request("/", undefined), // no Host header: round-robin fallback
    request("/", `www.s${k}.example.org`),
  ][k % 5]!;
const byDomain = (k: number) =>
  [
    request("/", `www.d${k}.example`),
    request("/", `d${k % 6}.example:8443`),
    request("/", `localhost${k}`),
    request("/", `a.b.d${k}.net`),
  ][k % 4]!;

interface Algorithm {
  readonly balance: string;
  readonly make: (k: number) => Request;
}

const ALGORITHMS: ReadonlyArray<Algorithm> = [
  { balance: "source", make: bySource },
  { balance: "uri", make: byUri },
  { balance: "uri whole", make: byUri },
  { balance: "uri depth 2", make: byUri },
  { balance: "uri len 6", make: byUri },
  { balance: "url_param userid", make: byUrlParam },
  { balance: "hdr(host)", make: byHost },
  { balance: "hdr(host) use_domain_only", make: byDomain },
];

const servers = (weights: ReadonlyArray<number>, ids?: ReadonlyArray<number>): ServerConfig[] =>
  weights.map((weight, i) => ({ name: `s${i + 1}`, weight, ...(ids === undefined ? {} : { id: ids[i]! }) }));

function cases(hashType: HashType): Case[] {
  return ALGORITHMS.flatMap(({ balance, make }) => {
    const steady: Step[] = keyed(150, KEYS, make);
    // A server out and back mid-sequence: consistent moves only its keys, map-based many (§8 rule 16).
    const changing: Step[] = [
      ...keyed(60, KEYS, make),
      cmd("set server be/s2 state maint"),
      ...keyed(60, KEYS, make),
      cmd("set weight be/s3 0"),
      ...keyed(20, KEYS, make),
      cmd("set server be/s2 state ready"),
      cmd("set weight be/s3 100%"),
      ...keyed(60, KEYS, make),
    ];
    const ids = hashType === "consistent" ? [1, 7, 3, 12] : undefined;
    return [
      {
        name: `${balance}, ${hashType}, weights (1,2,3)`,
        backend: { balance, hashType, servers: servers([1, 2, 3]) },
        steps: steady,
      },
      {
        name: `${balance}, ${hashType}, (1,1,1,1)${ids === undefined ? "" : " ids 1,7,3,12"}: s2 maint, s3 weight 0, both back`,
        backend: { balance, hashType, servers: servers([1, 1, 1, 1], ids) },
        steps: changing,
      },
    ];
  });
}

const mapBased: Case[] = [
  ...cases("map-based"),
  {
    name: "source, map-based, (2,2,4): weights divided by their GCD",
    backend: { balance: "source", hashType: "map-based", servers: servers([2, 2, 4]) },
    steps: keyed(100, KEYS, bySource),
  },
];

/** Every hash function, with and without `avalanche`, on URIs and on source addresses (§3.1). */
const functions: Case[] = ["sdbm", "djb2", "wt6", "crc32"].flatMap((fn) =>
  ["map-based", "consistent"].flatMap((method) =>
    ["", " avalanche"].flatMap((modifier) => {
      const hashType = `${method} ${fn}${modifier}`;
      return [
        {
          name: `uri, hash-type ${hashType}, weights (1,2,3)`,
          backend: { balance: "uri", hashType, servers: servers([1, 2, 3]) },
          steps: keyed(60, KEYS, byUri),
        },
        {
          name: `source, hash-type ${hashType}, weights (2,1,1)`,
          backend: { balance: "source", hashType, servers: servers([2, 1, 1]) },
          steps: keyed(40, KEYS, bySource),
        },
      ];
    }),
  ),
);

describeWithHaproxy("HAProxy conformance: hash-type map-based", () => conformanceCases(mapBased));
describeWithHaproxy("HAProxy conformance: hash functions", () => conformanceCases(functions));
describeWithHaproxy("HAProxy conformance: hash-type consistent", () => conformanceCases(cases("consistent")));
