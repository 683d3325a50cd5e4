import { checkTimeoutMs } from "../common/deadline.js";
import { defaultTimeout } from "../common/durations.js";
import type { Observable } from "./diagnostics.js";
import { pause, runProbe, WaitRun } from "./wait-for.js";

/**
 * How {@link waitForInvariant} probes: for how long, how often, what must hold and which daemons it watches.
 */
export interface InvariantOptions<T> {
  /** How long the condition must keep holding (default DEFAULT_TIMEOUTS.invariant). */
  durationMs?: number;
  /** Pause between probes (default DEFAULT_TIMEOUTS.pollInvariant). */
  intervalMs?: number;
  /** Whether the probed value keeps the condition (default: truthy). */
  holds?: (value: T) => boolean;
  /**
   * One probe that has not answered after this long breaks the invariant: it cannot be seen to hold
   * (default DEFAULT_TIMEOUTS.invariantProbe).
   */
  probeTimeoutMs?: number;
  /** Daemons whose death breaks it at once, and whose logs a failure shows. */
  watch?: readonly Observable[];
  /** Aborting ends the wait at once with a WaitError of reason "aborted". */
  signal?: AbortSignal;
  /** Keep the run dir holding the watched daemons' logs if it breaks (default true). */
  keepLogsOnFailure?: boolean;
}

/**
 * lnd's `wait.Invariant`: probes for `durationMs` and resolves with the last value if `holds` was true
 * at every probe. The first probe that breaks it (a value that does not hold, a throwing or hung probe,
 * a watched daemon's death) ends the wait with the same WaitError as `waitFor` (reason "violated", or
 * "daemon-exited"/"aborted"), naming when it broke and what was seen.
 */
export async function waitForInvariant<T>(
  condition: string,
  probe: (signal: AbortSignal) => Promise<T> | T,
  options: InvariantOptions<T> = {},
): Promise<T> {
  const { holds = Boolean, watch = [], signal } = options;
  const what = `waitForInvariant(${JSON.stringify(condition)})`;
  const durationMs = checkTimeoutMs(options.durationMs ?? defaultTimeout("invariant"), what);
  const probeTimeoutMs = checkTimeoutMs(options.probeTimeoutMs ?? defaultTimeout("invariantProbe"), what);
  const intervalMs = options.intervalMs ?? defaultTimeout("pollInvariant");
  const run = new WaitRun(condition, watch, options.keepLogsOnFailure);
  const end = run.started + durationMs;
  const aborted = () => run.fail("aborted", `aborted while checking that ${condition} holds`);
  const broke = (how: string) =>
    run.fail("violated", `${condition}: broken after ${run.elapsed()} ms of ${durationMs} ms (${how})`);
  for (;;) {
    if (signal?.aborted) throw await aborted();
    const outcome = await runProbe(probe, probeTimeoutMs, signal);
    if (outcome.kind === "aborted") throw await aborted();
    if (outcome.kind === "late") throw await broke(`a probe had not answered after ${probeTimeoutMs} ms`);
    if (outcome.kind === "error") {
      run.observeError(outcome.error);
      throw await broke("the probe threw");
    }
    run.observed = outcome.value;
    if (!holds(outcome.value)) throw await broke("the condition no longer held");
    const died = run.deadDaemon();
    if (died) {
      throw await run.fail(
        "daemon-exited",
        `${died} while ${condition} had to hold (after ${run.elapsed()} ms)`,
      );
    }
    const left = end - Date.now();
    if (left <= 0) return outcome.value;
    await pause(Math.min(intervalMs, left), undefined, signal);
  }
}
