import { BITCOIND_EXECUTABLE } from "../../src/bitcoind/bitcoind.js";
import { LDK_SERVER_EXECUTABLE } from "../../src/ldk-server/ldk-server.js";
import { findExecutable } from "../../src/processes/find-executable.js";

/**
 * Whether the real daemons are here. When they are not, E2E suites are skipped with the reason in
 * their name (the summary lists it) and a warning on stderr: never a silent pass.
 */
export async function detectDaemons(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const found = await Promise.allSettled([
    findExecutable(BITCOIND_EXECUTABLE),
    findExecutable(LDK_SERVER_EXECUTABLE),
  ]);
  const missing = found.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
  if (missing.length === 0) return { ok: true };
  const reason = missing.join(" | ");
  console.warn(`\n!!! E2E SKIPPED — real daemons unavailable: ${reason}\n`);
  return { ok: false, reason };
}

/** The suite title: carries the skip reason when the daemons are missing. */
export function e2eTitle(title: string, daemons: Awaited<ReturnType<typeof detectDaemons>>): string {
  return daemons.ok ? title : `${title} — SKIPPED: ${daemons.reason}`;
}
