import { defaultTimeout } from "../common/durations.js";
import type { Observable } from "../waits/diagnostics.js";
import { waitFor } from "../waits/wait-for.js";

/** What a readiness wait is given: the time it has, the abort signal, the daemons whose death ends it. */
export interface ReadyContext {
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** The starting daemon first, then those it depends on. */
  watch: readonly Observable[];
}

/**
 * When a daemon counts as ready, as a value (testcontainers' wait strategies): the lifecycle runs it
 * after the spawn, and a daemon kind says what "ready" means without writing the start again.
 */
export interface WaitStrategy {
  waitUntilReady(context: ReadyContext): Promise<void>;
}

/**
 * Ready once `probe` returns something other than `undefined` (an RPC or gRPC call that answers, an
 * HTTP state that says so). A probe that throws is retried until the deadline, as waitFor does.
 */
export function untilProbeAnswers(
  description: string,
  probe: (signal: AbortSignal) => Promise<unknown>,
): WaitStrategy {
  return {
    async waitUntilReady({ timeoutMs, signal, watch }) {
      await waitFor(description, probe, {
        until: (value) => value !== undefined,
        timeoutMs,
        watch,
        maxIntervalMs: defaultTimeout("pollStarting"),
        // A failed start is retried or reported by the caller, which decides what to keep.
        keepLogsOnFailure: false,
        signal,
      });
    },
  };
}

/** Each strategy in turn, all within the one deadline (e.g. "answers", then "event stream accepted"). */
export function untilAll(...strategies: readonly WaitStrategy[]): WaitStrategy {
  return {
    async waitUntilReady(context) {
      const deadline = Date.now() + context.timeoutMs;
      for (const strategy of strategies) {
        await strategy.waitUntilReady({ ...context, timeoutMs: Math.max(1, deadline - Date.now()) });
      }
    },
  };
}
