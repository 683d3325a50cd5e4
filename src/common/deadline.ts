import { badOption } from "./errors.js";

/** Node timers fire after 1 ms for any delay above this (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Checks a user-given timeout: a finite number of milliseconds from 0 to MAX_TIMEOUT_MS. Anything else
 * (Infinity, NaN, negative, too large) is a mistake that a timer would silently turn into 1 ms.
 */
export function checkTimeoutMs(ms: number, what: string): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIMEOUT_MS) {
    throw badOption(
      "timeoutMs",
      `${what}: timeoutMs must be a finite number of milliseconds from 0 to ${MAX_TIMEOUT_MS} (got ${String(ms)}); to wait "forever", pass a large finite value such as 3_600_000`,
      { value: String(ms) },
    );
  }
  return ms;
}
