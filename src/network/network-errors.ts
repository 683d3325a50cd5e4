import { LdkRegtestError } from "../common/errors.js";

/**
 * `Network.start` failed in `phase`: every daemon it started is stopped, and the run dir is kept at
 * `runDir` so that the logs the message names are still there. `cause` is the error of that phase.
 */
export class NetworkStartError extends LdkRegtestError {
  override name = "NetworkStartError";

  /**
   * A start that failed in `phase`; `runDir` is kept so the logs the error names exist; `cause` is the
   * phase's own error.
   */
  constructor(
    readonly phase: string,
    readonly runDir: string,
    cause: unknown,
  ) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super("START_FAILED", `${message}\n  (while ${phase}) run dir kept for inspection: ${runDir}`, {
      cause,
      data: { phase, runDir, ...(cause instanceof LdkRegtestError ? { causeCode: cause.code } : {}) },
    });
  }
}

/** `Network.start` was aborted: every daemon it started is stopped and nothing is kept. */
export function startAborted(phase: string, reason: unknown): LdkRegtestError {
  const why = reason instanceof Error ? reason.message : String(reason ?? "aborted");
  return new LdkRegtestError(
    "ABORTED",
    `the network start was interrupted (${why}) while ${phase}; every daemon it started is stopped`,
    { data: { phase, reason: why } },
  );
}
