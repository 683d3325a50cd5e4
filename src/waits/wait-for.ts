import type { CallOptions } from "../common/call-options.js";
import { checkTimeoutMs } from "../common/deadline.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError, type LdkRegtestErrorOptions } from "../common/errors.js";
import { describeExit } from "../processes/daemon-process.js";
import { noteFailureIn } from "../processes/run-dir.js";
import {
  collectDaemons,
  type DaemonReport,
  formatDaemons,
  formatObservation,
  type Observable,
  toJsonValue,
} from "./diagnostics.js";

/**
 * `timeoutMs` defaults to DEFAULT_TIMEOUTS.wait (times LDK_REGTEST_TIMEOUT_SCALE), and each probe is
 * bounded by the time left; aborting `signal` ends the wait at once (a probe in flight is abandoned and
 * its signal aborted).
 */
export interface WaitOptions<T> extends CallOptions {
  /** First pause between probes; grows ×1.5 up to `maxIntervalMs` (defaults DEFAULT_TIMEOUTS.pollFirst and .pollMax). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** When the probed value counts as done (default: truthy). */
  until?: (value: T) => boolean;
  /** Daemons whose death ends the wait at once, and whose logs a failure shows. */
  watch?: readonly Observable[];
  /** Lets an event source cut a pause short: call the callback when something changed. */
  wake?: (callback: () => void) => () => void;
  /** Keep the run dir holding the watched daemons' logs if this wait fails (default true). */
  keepLogsOnFailure?: boolean;
}

/**
 * Why a wait ended without its condition: out of time, a watched daemon died, aborted, a probe gave up,
 * or (waitForInvariant) the condition that had to keep holding stopped holding.
 */
export type WaitFailureReason = "timeout" | "daemon-exited" | "aborted" | "fatal" | "violated";

/**
 * A wait ran out of time or lost a daemon (code WAIT_FAILED; why in `reason`, also `data.reason`); the
 * message names the condition, what was seen and the logs.
 */
export class WaitError extends LdkRegtestError {
  override readonly name = "WaitError";
  /** A failed wait on `condition`: what was last seen, why it ended, after how long, and the daemons then. */
  constructor(
    message: string,
    readonly condition: string,
    readonly lastObservation: unknown,
    readonly reason: WaitFailureReason = "timeout",
    readonly elapsedMs = 0,
    /** Each watched daemon's state, exit, log path and log tail when the wait failed. */
    readonly daemons: DaemonReport[] = [],
  ) {
    super("WAIT_FAILED", message, { data: { reason, condition, elapsedMs } });
  }

  /** The structured failure, for a JSON report (`failure.wait`): no message, the daemons as data. */
  override toJSON() {
    return {
      reason: this.reason,
      condition: this.condition,
      elapsedMs: this.elapsedMs,
      lastObservation: toJsonValue(this.lastObservation),
      daemons: this.daemons,
    };
  }
}

/**
 * Thrown by a probe when waiting longer cannot help (code WAIT_FAILED); ends the wait at once with a
 * WaitError of reason "fatal" and the usual report.
 */
export class FatalWaitError extends LdkRegtestError {
  override readonly name = "FatalWaitError";
  constructor(message: string, options?: LdkRegtestErrorOptions) {
    super("WAIT_FAILED", message, options);
  }
}

export type ProbeOutcome<T> =
  | { kind: "value"; value: T }
  | { kind: "error"; error: unknown }
  | { kind: "late" }
  | { kind: "aborted" };

/**
 * Probes until `until(value)` holds and returns that value. A throwing probe counts as "not yet" (the
 * error is the observation) so daemons that are still starting can be waited on. A probe that does not
 * settle within the time left is abandoned (its `signal` is aborted) and the wait times out.
 */
export async function waitFor<T>(
  condition: string,
  probe: (signal: AbortSignal) => Promise<T> | T,
  options: WaitOptions<T> = {},
): Promise<T> {
  const { maxIntervalMs = defaultTimeout("pollMax"), until = Boolean, watch = [], wake, signal } = options;
  const timeoutMs = checkTimeoutMs(
    options.timeoutMs ?? defaultTimeout("wait"),
    `waitFor(${JSON.stringify(condition)})`,
  );
  const run = new WaitRun(condition, watch, options.keepLogsOnFailure);
  const deadline = run.started + timeoutMs;
  let interval = options.intervalMs ?? defaultTimeout("pollFirst");
  const aborted = () =>
    run.fail("aborted", `aborted (${String(signal?.reason ?? "signal")}) while waiting for: ${condition}`);
  for (;;) {
    if (signal?.aborted) throw await aborted();
    const probeStarted = Date.now();
    const outcome = await runProbe(probe, Math.max(0, deadline - probeStarted), signal);
    if (outcome.kind === "aborted") throw await aborted();
    if (outcome.kind === "late") {
      throw await run.fail(
        "timeout",
        `timed out after ${run.elapsed()} ms waiting for: ${condition} (the last probe had not answered after ${Date.now() - probeStarted} ms)`,
      );
    }
    if (outcome.kind === "value") {
      run.observed = outcome.value;
      if (until(outcome.value)) return outcome.value;
    } else if (outcome.error instanceof FatalWaitError) {
      throw await run.fail("fatal", `${outcome.error.message}\n  while waiting for: ${condition}`);
    } else {
      run.observeError(outcome.error);
    }
    const died = run.deadDaemon();
    if (died) throw await run.fail("daemon-exited", `${died} while waiting for: ${condition}`);
    const left = deadline - Date.now();
    if (left <= 0)
      throw await run.fail("timeout", `timed out after ${run.elapsed()} ms waiting for: ${condition}`);
    await pause(Math.min(interval, left), wake, signal);
    interval = Math.min(interval * 1.5, maxIntervalMs);
  }
}

/** One wait in progress, as waitFor and waitForInvariant share it: what it saw, and how it fails. */
export class WaitRun {
  readonly started = Date.now();
  observed: unknown;

  constructor(
    readonly condition: string,
    readonly watch: readonly Observable[],
    readonly keepLogs: boolean | undefined,
  ) {}

  elapsed(): number {
    return Date.now() - this.started;
  }

  /** A throwing probe: its message is what was seen. */
  observeError(error: unknown): void {
    this.observed = { error: error instanceof Error ? error.message : String(error) };
  }

  /** "<name> exited …" for the first watched daemon that died, else undefined. */
  deadDaemon(): string | undefined {
    const dead = this.watch.find((d) => d.exitInfo);
    return dead?.exitInfo ? `${dead.name} ${describeExit(dead.exitInfo)}` : undefined;
  }

  fail(reason: WaitFailureReason, headline: string): Promise<WaitError> {
    return waitFailure({ ...this, reason, headline });
  }
}

/** What a failed wait knows; `waitFailure` turns it into the WaitError with the daemons' report. */
interface WaitFailure {
  condition: string;
  observed: unknown;
  reason: WaitFailureReason;
  headline: string;
  /** When the wait started (Date.now()). */
  started: number;
  watch: readonly Observable[];
  /** Keep the run dirs of the watched daemons' logs (default true; never for an aborted wait). */
  keepLogs: boolean | undefined;
}

/** The WaitError of a failed wait: headline, last observation, each watched daemon's state and log tail. */
async function waitFailure(f: WaitFailure): Promise<WaitError> {
  const daemons = await collectDaemons(f.watch);
  const logs = daemons.length > 0 ? `\n${formatDaemons(daemons)}` : "";
  // The report names log files: keep the run dirs they live in (not for a wait the user aborted).
  const keep = (f.keepLogs ?? true) && f.reason !== "aborted";
  const kept = keep ? noteFailureIn(f.watch.map((d) => d.logPath)) : [];
  const keptNote = kept.map((dir) => `\n  run dir kept for inspection: ${dir}`).join("");
  const message = `${f.headline}\n  last observed: ${formatObservation(f.observed)}${logs}${keptNote}`;
  return new WaitError(message, f.condition, f.observed, f.reason, Date.now() - f.started, daemons);
}

/** Runs one probe, settling early if the time left runs out or the wait is aborted. */
export function runProbe<T>(
  probe: (signal: AbortSignal) => Promise<T> | T,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<ProbeOutcome<T>> {
  const probeController = new AbortController();
  return new Promise<ProbeOutcome<T>>((resolve) => {
    const timer = setTimeout(() => settle({ kind: "late" }), ms);
    const onAbort = () => settle({ kind: "aborted" });
    signal?.addEventListener("abort", onAbort, { once: true });
    function settle(outcome: ProbeOutcome<T>) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (outcome.kind === "late" || outcome.kind === "aborted") probeController.abort(outcome.kind);
      resolve(outcome);
    }
    Promise.resolve()
      .then(() => probe(probeController.signal))
      .then(
        (value) => settle({ kind: "value", value }),
        (error: unknown) => settle({ kind: "error", error }),
      );
  });
}

export function pause(
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
