import { badOption } from "./errors.js";

/**
 * Every duration of the package in one table: deadlines, grace periods and poll intervals, in ms.
 * `LDK_REGTEST_TIMEOUT_SCALE` (e.g. 3 on a slow CI machine) multiplies them all; a `timeoutMs` passed
 * explicitly is taken as given.
 */
export const DEFAULT_TIMEOUTS = {
  // Deadlines of waits
  /** Any `waitFor` without its own deadline; chain syncs, funding, listed payments, events. */
  wait: 60_000,
  /** Until a channel is usable on both sides (funding broadcast, 6 blocks, two chain polls). */
  channel: 90_000,
  /** Several channels opened at once. */
  channels: 120_000,
  /** Channels usable again after a restart. */
  restart: 30_000,
  /** Every node's graph holding every announced channel of a topology. */
  graph: 60_000,
  /** A node's wallet seeing its own funding transaction, before the next open from it may start. */
  fundingSeen: 30_000,
  /** A funding transaction neither in the mempool nor confirmed this long counts as lost. */
  fundingBroadcastGrace: 10_000,
  /** A payment's outcome (success or failure event) after it was sent. */
  payment: 60_000,
  /** A closing transaction reaching the mempool after CloseChannel. */
  closeBroadcast: 30_000,
  /** How long a `waitForInvariant` condition must keep holding by default. */
  invariant: 5_000,
  /** One probe of an invariant: a probe that has not answered by then breaks it. */
  invariantProbe: 10_000,
  /** A reorg: every node following the new tip. */
  reorg: 60_000,
  /** A force close: mining until the closing and sweep transactions confirm and the funds are spendable. */
  forceClose: 120_000,
  // Daemon lifecycle
  /** bitcoind answering RPC after spawn. */
  bitcoindReady: 30_000,
  /**
   * A Lightning node of any kind ready after spawn, as its kind's wait strategy says (ldk-server:
   * GetNodeInfo answered and the event subscription accepted; lnd: SERVER_ACTIVE, after its wallet).
   */
  nodeReady: 60_000,
  /** An ldk-server's event subscription accepted, once it answers GetNodeInfo. */
  eventsReady: 10_000,
  /** One GetNodeInfo probe (or lnd state probe) while a node starts. */
  readyProbe: 5_000,
  /** SIGTERM to SIGKILL: a daemon stopping gracefully. */
  stopGrace: 15_000,
  /** SIGTERM to SIGKILL for a daemon that failed to start or a network being torn down after a failure. */
  failedStartGrace: 2_000,
  /** A `--version` check of an executable. */
  versionCheck: 10_000,
  // Calls
  /** One JSON-RPC call to bitcoind. */
  bitcoindRpc: 30_000,
  /** One call to a Lightning node's API, of any kind (an ldk-server's unary gRPC, an lnd's REST). */
  nodeCall: 30_000,
  /** A server stream's response headers. */
  streamReady: 10_000,
  // Dev network
  /** `up --detach`: the supervisor bringing the network up. */
  supervisorUp: 300_000,
  /** `down`: the supervisor stopping the network. */
  supervisorDown: 60_000,
  /** One operation asked of the supervisor over its control socket. */
  control: 180_000,
  /** How often an open dashboard looks for changes in the network (only while a page is open). */
  dashboardPoll: 1_000,
  // Installs
  /** Another install holding the cache lock. */
  installLock: 30 * 60_000,
  /** A download that receives no data this long fails. */
  downloadStall: 30_000,
  // ldk-server's test knobs (src/ldk-server/test-knobs.ts; a stock build keeps upstream's timers)
  /** Between two chain polls of a node. */
  chainPoll: 100,
  /** Before a node's first forwarding pass after it starts (upstream waits so peers can reconnect). */
  firstForward: 100,
  /** Between a node's sweeper passes and claim rebroadcasts (upstream 30 s: force-close sweeps wait for it). */
  sweep: 100,
  // Poll intervals
  /** Longest pause between two probes of a wait. */
  pollMax: 1_000,
  /** Longest pause between probes of a daemon that is starting. */
  pollStarting: 100,
  /** Longest pause between probes of channel states (the harness mines between them). */
  pollChannels: 500,
  /** Pause between probes of an invariant. */
  pollInvariant: 250,
  /** Polls of a lock, a supervisor, a followed log. */
  pollFile: 200,
  // Appended with the daemons' and the client's own durations
  /** First pause between two probes of a wait (it grows ×1.5 up to its longest). */
  pollFirst: 50,
  /** Longest pause between looks at a node's event history (a new event cuts it short). */
  pollEvents: 500,
  /** An HTTP/2 connection closing gracefully before it is destroyed. */
  connectionCloseGrace: 1_000,
  /** SIGTERM to SIGKILL when the watchdog stops the daemons of a process that died. */
  watchdogGrace: 5_000,
  /** A port handed out by `freePort` is not handed out again for this long. */
  portReissue: 60_000,
} as const;

/** The name of one duration in {@link DEFAULT_TIMEOUTS}. */
export type DurationName = keyof typeof DEFAULT_TIMEOUTS;

/** The default for `kind`, times LDK_REGTEST_TIMEOUT_SCALE. */
export function defaultTimeout(kind: DurationName, env: NodeJS.ProcessEnv = process.env): number {
  return Math.round(DEFAULT_TIMEOUTS[kind] * timeoutScale(env));
}

function timeoutScale(env: NodeJS.ProcessEnv): number {
  const raw = env.LDK_REGTEST_TIMEOUT_SCALE;
  if (raw === undefined || raw === "") return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw badOption(
      "LDK_REGTEST_TIMEOUT_SCALE",
      `LDK_REGTEST_TIMEOUT_SCALE must be a number above 0 and up to 100 (got "${raw}")`,
      { value: raw },
    );
  }
  return scale;
}
