// url_param spec: the parameter value of §3.8 as the key, round-robin without it.
import { describe, expect, it } from "vitest";
import { hashString, sdbm } from "./shared/index.js";
import { FakeModel, request } from "./test-support.js";
import type { StrategyFactory } from "./types.js";
import { createUrlParam, parseUrlParam, urlParamHash } from "./url-param.js";

const valueHash = (path: string) => urlParamHash(request({ path }), sdbm, "userid");
const userid: StrategyFactory = (servers, context) => createUrlParam(servers, context, "userid");

describe("url_param", () => {
  it("url_param hashes the raw value of the first parameter named exactly <name>", () => {
    expect(valueHash("/x?a=1&userid=42&b=2")).toBe(hashString(sdbm, "42"));
    expect(valueHash("/x?userid=7&userid=8")).toBe(hashString(sdbm, "7"));
    expect(valueHash("/x?useridx=1&userid=%41")).toBe(hashString(sdbm, "%41"));
    expect(valueHash("/x?userid=a?b")).toBe(hashString(sdbm, "a?b"));
    expect(valueHash("/x?&userid=5")).toBe(hashString(sdbm, "5"));
    expect(valueHash("/x?userid==5")).toBe(hashString(sdbm, "=5"));
  });

  it("url_param has no key without a query, or without `<name>=` in it", () => {
    for (const path of ["/x", "/userid=5/x", "/x?USERID=5", "/x?b=userid=5", "/x?userid", "/x?useridx=5"]) {
      expect(valueHash(path), path).toBe(-1);
    }
  });

  it("url_param with an empty value hashes the empty key (0 with sdbm)", () => {
    expect(valueHash("/x?userid=&k=1")).toBe(0);
    const m = new FakeModel(userid, [1, 1, 1]);
    expect(m.pick(undefined, request({ path: "/x?userid=" }))).toBe(0);
  });

  it("url_param missing → round-robin over the map (map-based) and ring order (consistent)", () => {
    const mapBased = new FakeModel(userid, [1, 1, 1]);
    const picks = Array.from({ length: 6 }, () => mapBased.pick(undefined, request({ path: "/no/param" })));
    expect(picks).toEqual([0, 1, 2, 0, 1, 2]);
    const keyed = mapBased.pick(undefined, request({ path: "/?userid=42" }));
    expect(keyed).toBe(hashString(sdbm, "42") % 3);
    // The keyed pick did not move the walk.
    expect(mapBased.pick(undefined, request({ path: "/" }))).toBe(0);

    const consistent = new FakeModel(userid, [1, 1, 1], { hashType: "consistent" });
    const counts = [0, 0, 0];
    for (let k = 0; k < 48; k++) counts[consistent.pick(undefined, request({ path: "/" }))]!++;
    // One full turn of the ring visits each server's 16 points once.
    expect(counts).toEqual([16, 16, 16]);
  });

  it("url_param takes exactly one parameter name", () => {
    expect(parseUrlParam(["userid"])).toBe("userid");
    expect(parseUrlParam([])).toBeUndefined();
    expect(parseUrlParam(["userid", "check_post"])).toBeUndefined();
  });
});
