/**
 * Every default deadline of the harness, in one place. `LDK_REGTEST_TIMEOUT_SCALE` (e.g. 3 on a slow CI
 * machine) multiplies them all; a `timeoutMs` passed explicitly is taken as given.
 */
export const DEFAULT_TIMEOUTS = {
  /** Any `waitFor` without its own deadline; chain syncs, funding, listed payments, events. */
  wait: 60_000,
  /** Until a channel is usable on both sides (funding broadcast, 6 blocks, two chain polls). */
  channel: 90_000,
  /** Several channels opened at once. */
  channels: 120_000,
  /** Channels usable again after a restart. */
  restart: 30_000,
  /** bitcoind answering RPC after spawn. */
  bitcoindReady: 30_000,
  /** An ldk-server answering GetNodeInfo and accepting the event subscription after spawn. */
  nodeReady: 60_000,
} as const;

/** The options every waiting method of the harness takes last. */
export interface WaitCallOptions {
  /** Give up after this long (each method has its default in DEFAULT_TIMEOUTS). */
  timeoutMs?: number;
  /** Aborting ends the wait at once with a `WaitError` of reason "aborted". */
  signal?: AbortSignal;
}

/** The default for `kind`, times LDK_REGTEST_TIMEOUT_SCALE. */
export function defaultTimeout(
  kind: keyof typeof DEFAULT_TIMEOUTS,
  env: NodeJS.ProcessEnv = process.env,
): number {
  return Math.round(DEFAULT_TIMEOUTS[kind] * timeoutScale(env));
}

function timeoutScale(env: NodeJS.ProcessEnv): number {
  const raw = env.LDK_REGTEST_TIMEOUT_SCALE;
  if (raw === undefined || raw === "") return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
    throw new RangeError(`LDK_REGTEST_TIMEOUT_SCALE must be a number above 0 and up to 100 (got "${raw}")`);
  }
  return scale;
}
