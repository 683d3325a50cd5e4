import { describe, expect } from "vitest";
import { networkTest } from "../../src/testing/vitest.js";
import { e2eTitle } from "../support/daemons.js";
import { detectMixedDaemons } from "../support/lnd.js";

const daemons = await detectMixedDaemons();

/**
 * Most a side may lose to on-chain fees in one force close (its sweeps, an anchor CPFP): seen here at
 * most 3068 sat (lnd sweeping its to_remote output after LDK closed), 111–267 sat otherwise.
 */
const FEE_BOUND_SATS = 10_000n;

// A channel alice (LDK) opened to dave (LND), with funds on both sides of it.
const test = networkTest<"alice" | "dave">({
  topology: {
    nodes: { alice: {}, dave: { kind: "lnd" } },
    channels: [{ from: "alice", to: "dave", sats: 1_000_000, push_sats: 300_000 }],
  },
});

describe.skipIf(!daemons.ok)(e2eTitle("force closes between LND and LDK Server", daemons), () => {
  test.for([
    ["dave", "alice", "LND force-closes the channel with LDK"],
    ["alice", "dave", "LDK force-closes the channel with LND"],
  ] as const)(
    "%s force-closes its channel with %s (%s): each side's channel balance back on-chain, less bounded fees; money conserved",
    { timeout: 300_000 },
    async ([closer, peer], { network: net }) => {
      const before = await net.money();
      const sides = await Promise.all(
        (["alice", "dave"] as const).map(async (name) => ({ name, ...(await net.node(name).balances()) })),
      );
      const result = await net.forceClose(closer, peer);
      expect(result.closingTxid).toMatch(/^[0-9a-f]{64}$/);
      console.info(`force close by ${closer}: resolved after ${result.blocksMined} blocks`);
      for (const side of sides) {
        const node = net.node(side.name);
        expect(await node.listChannels()).toEqual([]);
        const after = await node.balances();
        const back = after.totalOnchainSats - side.totalOnchainSats;
        console.info(
          `${side.name}: channel balance ${side.lightningSats} sat, ${back} sat back on-chain (fees ${side.lightningSats - back} sat)`,
        );
        expect(side.lightningSats).toBeGreaterThan(200_000n); // both sides had funds in the channel
        expect(back).toBeLessThanOrEqual(side.lightningSats);
        expect(back).toBeGreaterThanOrEqual(side.lightningSats - FEE_BOUND_SATS);
        expect(after.spendableOnchainSats).toBe(after.totalOnchainSats);
        expect(after.lightningSats).toBe(0n);
      }
      const report = await net.checkMoneyConserved(before);
      expect(report.feesSats).toBeGreaterThan(0n);
    },
  );
});
