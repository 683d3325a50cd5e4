import { BITCOIND_EXECUTABLE } from "../../src/bitcoind/bitcoind.js";
import { LDK_SERVER_EXECUTABLE } from "../../src/ldk-server/ldk-server.js";
import { isTestBuild } from "../../src/ldk-server/test-knobs.js";
import { type ExecutableSpec, findExecutable } from "../../src/processes/find-executable.js";

/** `testBuild`: the ldk-server found is ldk-regtest's test build (see src/ldk-server/test-knobs.ts). */
export type Detected = ({ ok: true } | { ok: false; reason: string }) & { testBuild: boolean };

/**
 * Whether the real daemons are here. When they are not, E2E suites are skipped with the reason in
 * their name (the summary lists it) and the full how-to-install on stderr: never a silent pass. `more`:
 * daemons a suite needs beyond bitcoind and ldk-server (e.g. ldk-server's LSP build).
 */
export async function detectDaemons(more: readonly ExecutableSpec[] = []): Promise<Detected> {
  const specs = [BITCOIND_EXECUTABLE, LDK_SERVER_EXECUTABLE, ...more];
  const found = await Promise.allSettled(specs.map((spec) => findExecutable(spec)));
  const missing = specs.filter((_, i) => found[i]?.status === "rejected").map((s) => s.name);
  const ldk = found[1];
  const testBuild = ldk?.status === "fulfilled" && isTestBuild(ldk.value.version);
  if (missing.length === 0) return { ok: true, testBuild };
  for (const r of found)
    if (r.status === "rejected") console.warn(`\n!!! E2E SKIPPED: ${(r.reason as Error).message}`);
  return {
    ok: false,
    reason: `${missing.join(" and ")} not usable (see docs/install.md)`,
    testBuild,
  };
}

/** The suite title: carries the skip reason when the daemons are missing (or `other`, a reason of its own). */
export function e2eTitle(title: string, daemons: Detected, other?: string): string {
  if (!daemons.ok) return `${title} — SKIPPED: ${daemons.reason}`;
  if (other === undefined) return title;
  console.warn(`\n!!! E2E SKIPPED: ${title}: ${other}`);
  return `${title} — SKIPPED: ${other}`;
}
