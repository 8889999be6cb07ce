// shared: pieces reused by several strategies, as HAProxy reuses lb_chash and its eb32 trees.

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
  wt6,
} from "./hash.js";
export { KeyedBuckets } from "./keyed-buckets.js";
export { KeyedHeap } from "./keyed-heap.js";
export { Membership, type MembershipEvents } from "./membership.js";
export { ConsistentRing } from "./ring.js";
export { StaticMap, staticMembership, weightDivisor } from "./static-map.js";
