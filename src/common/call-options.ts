/**
 * The options every call of the package takes last: a client's RPC, a harness wait, a CLI operation.
 * Each method documents its own default deadline (from DEFAULT_TIMEOUTS).
 */
export interface CallOptions {
  /** Give up after this long: a finite number of milliseconds up to 2^31 - 1. */
  timeoutMs?: number;
  /** Aborting ends the call at once (a wait fails with a `WaitError` of reason "aborted"). */
  signal?: AbortSignal;
}
