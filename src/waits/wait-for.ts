import { describeExit } from "../processes/daemon-process.js";
import { noteFailureIn } from "../processes/run-dir.js";
import { describeDaemons, formatObservation, type Observable } from "./diagnostics.js";

export interface WaitOptions<T> {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** First pause between probes; grows ×1.5 up to `maxIntervalMs` (defaults 50 ms and 1 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** When the probed value counts as done (default: truthy). */
  until?: (value: T) => boolean;
  /** Daemons whose death ends the wait at once, and whose logs a failure shows. */
  watch?: readonly Observable[];
  /** Lets an event source cut a pause short: call the callback when something changed. */
  wake?: (callback: () => void) => () => void;
  signal?: AbortSignal;
  /** Keep the run dir holding the watched daemons' logs if this wait fails (default true). */
  keepLogsOnFailure?: boolean;
}

/** A wait ran out of time or lost a daemon; the message names the condition, what was seen and the logs. */
export class WaitError extends Error {
  override readonly name = "WaitError";
  constructor(
    message: string,
    readonly condition: string,
    readonly lastObservation: unknown,
  ) {
    super(message);
  }
}

/** Thrown by a probe when waiting longer cannot help; ends the wait at once, with the usual report. */
export class FatalWaitError extends Error {
  override readonly name = "FatalWaitError";
}

/**
 * Probes until `until(value)` holds and returns that value. A throwing probe counts as "not yet" (the
 * error is the observation) so daemons that are still starting can be waited on.
 */
export async function waitFor<T>(
  condition: string,
  probe: () => Promise<T> | T,
  options: WaitOptions<T> = {},
): Promise<T> {
  const { timeoutMs = 60_000, maxIntervalMs = 1000, until = Boolean, watch = [], wake, signal } = options;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let interval = options.intervalMs ?? 50;
  let observed: unknown;
  const failure = async (headline: string) => {
    const logs = watch.length > 0 ? `\n${await describeDaemons(watch)}` : "";
    // The report names log files: keep the run dirs they live in.
    const kept = (options.keepLogsOnFailure ?? true) ? noteFailureIn(watch.map((d) => d.logPath)) : [];
    const keptNote = kept.map((dir) => `\n  run dir kept for inspection: ${dir}`).join("");
    const message = `${headline}\n  last observed: ${formatObservation(observed)}${logs}${keptNote}`;
    return new WaitError(message, condition, observed);
  };
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      observed = value;
      if (until(value)) return value;
    } catch (error) {
      if (error instanceof FatalWaitError)
        throw await failure(`${error.message}\n  while waiting for: ${condition}`);
      observed = { error: error instanceof Error ? error.message : String(error) };
    }
    const dead = watch.find((d) => d.exitInfo);
    if (dead?.exitInfo)
      throw await failure(`${dead.name} ${describeExit(dead.exitInfo)} while waiting for: ${condition}`);
    const left = deadline - Date.now();
    if (left <= 0)
      throw await failure(`timed out after ${Date.now() - started} ms waiting for: ${condition}`);
    await pause(Math.min(interval, left), wake, signal);
    interval = Math.min(interval * 1.5, maxIntervalMs);
  }
}

function pause(
  ms: number,
  wake: WaitOptions<unknown>["wake"],
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe?.();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = wake?.(done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
