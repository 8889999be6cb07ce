// shared: pieces reused by several strategies, as HAProxy reuses lb_chash and its eb32 trees.
export { KeyedHeap } from "./keyed-heap.js";
export {
  type ByteHash,
  crc32,
  djb2,
  fullHash,
  hashRange,
  hashString,
  keyBuffer,
  keyBytes,
  sdbm,
} from "./hash.js";
export { ConsistentRing } from "./ring.js";
export { Membership, type MembershipEvents } from "./membership.js";
export { StaticMap, staticMembership, weightDivisor } from "./static-map.js";
