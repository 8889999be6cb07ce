// The model's event kinds: the engine dispatches on these numbers (STYLE.md "The engine").
export const Kind = {
  /** An open-loop client's next arrival; payload = client index. */
  Arrival: 0,
  /** A closed-loop user sends its next request; payload = user index. */
  UserSend: 1,
  /** A client retry is sent after its backoff; payload = request slot. */
  ClientRetry: 2,
  /** A FIFO job's service ends; payload = request slot. */
  FifoDone: 3,
  /** The next processor-sharing job ends; payload = server index. */
  PsDone: 4,
  /** The client gives up; payload = request slot. */
  ClientTimeout: 5,
  /** `timeout queue`; payload = request slot. */
  QueueTimeout: 6,
  /** `timeout connect`; payload = request slot. */
  ConnectTimeout: 7,
  /** `timeout server`; payload = request slot. */
  ServerTimeout: 8,
  /** The turn-around delay before a same-server retry ends; payload = request slot. */
  TurnAround: 9,
  /** A health check starts / completes; payload = server index. */
  CheckStart: 10,
  CheckDone: 11,
  /** A slowstart ramp step; payload = server index. */
  SlowstartTick: 12,
  /** A timeline action; payload = event index. */
  Timeline: 13,
  /** The end of a time-series bucket; payload unused. */
  Bucket: 14,
  /** The end of warm-up; payload unused. */
  Warmup: 15,
  /** A delayed connection attempt (lost SYNs, one RTT) reaches the server; payload = request slot. */
  ConnectReached: 16,
  /** A response arrives one RTT after the server sent it; payload = request slot. */
  ResponseArrived: 17,
  /** The RST of a `reset` server arrives one RTT after the request was sent; payload = request slot. */
  ResetArrived: 18,
  /** A lost SYN's retransmission time (1 s, 3 s, 7 s… after the first); payload = request slot. */
  SynResent: 19,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];
