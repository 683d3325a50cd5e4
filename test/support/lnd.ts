import { findLnd } from "../../src/lnd/executable.js";
import { type Detected, detectDaemons } from "./daemons.js";

/** The daemons of a mixed network: bitcoind, ldk-server and lnd, or why the suite is SKIPPED. */
export async function detectMixedDaemons(): Promise<Detected> {
  const base = await detectDaemons();
  if (!base.ok) return base;
  try {
    await findLnd();
    return base;
  } catch (error) {
    console.warn(`\n!!! LND E2E SKIPPED: ${(error as Error).message}`);
    return {
      ...base,
      ok: false,
      reason: "lnd not usable (set LND_EXE or put lnd on PATH; see docs/mixed-networks.md)",
    };
  }
}
