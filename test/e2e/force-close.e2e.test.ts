import { describe, expect } from "vitest";
import { holdPayment } from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();
const test = networkTest<"alice" | "bob">({
  topology: {
    nodes: { alice: {}, bob: {} },
    channels: [{ from: "alice", to: "bob", sats: 1_000_000, push_sats: 300_000 }],
  },
});

describe.skipIf(!daemons.ok)(e2eTitle("force-closes give both sides their funds back", daemons), () => {
  test.for([
    ["alice", "bob", "the opener"],
    ["bob", "alice", "the acceptor"],
  ] as const)(
    "force-closed by %s (%s): funds back on-chain on both sides, money conserved",
    {
      timeout: 240_000,
    },
    async ([closer, peer], { network: net }) => {
      const before = await net.money();
      const onchainBefore = { ...before.onchainSats };
      const result = await net.forceClose(closer, peer);
      expect(result.closingTxid).toMatch(/^[0-9a-f]{64}$/);
      console.info(`force close by ${closer}: resolved after ${result.blocksMined} blocks`);
      for (const name of ["alice", "bob"] as const) {
        expect(await net.nodes[name].listChannels()).toEqual([]);
        const { totalOnchainSats, spendableOnchainSats } = await net.nodes[name].balances();
        expect(totalOnchainSats).toBeGreaterThan(onchainBefore[name] ?? 0n);
        expect(spendableOnchainSats).toBe(totalOnchainSats);
      }
      const report = await net.checkMoneyConserved(before);
      expect(report.feesSats).toBeGreaterThan(0n);
    },
  );

  test.for([
    ["alice", "bob", "the payer"],
    ["bob", "alice", "the payee"],
  ] as const)(
    "force-closed by %s (%s) with an HTLC in flight: it times out back to the payer, money conserved",
    {
      timeout: 300_000,
    },
    async ([closer, peer], { network: net }) => {
      const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
      const before = await net.money();
      const held = await holdPayment(alice, bob, { amountMsat: 20_000_000n });
      const result = await net.forceClose(closer, peer);
      console.info(`force close by ${closer} with an HTLC: resolved after ${result.blocksMined} blocks`);
      expect(await alice.waitForPaymentOutcome(held.paymentId)).toBe("FAILED");
      for (const node of [alice, bob]) expect(await node.listChannels()).toEqual([]);
      await net.checkMoneyConserved(before);
    },
  );
});
