import { describe, expect } from "vitest";
import { holdPayment } from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons();

describe.skipIf(!daemons.ok)(e2eTitle("SIGKILL with an HTLC in flight loses nothing", daemons), () => {
  const test = networkTest<"alice" | "bob">({
    topology: { nodes: { alice: {}, bob: {} }, channels: [{ from: "alice", to: "bob", sats: 1_000_000 }] },
  });

  test.for(["bob", "alice"] as const)(
    "%s SIGKILLed with a held HTLC, restarted, settled: SUCCEEDED on both sides, channel usable",
    { timeout: 180_000 },
    async (victim, { network: net }) => {
      const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
      const before = await net.money();
      const held = await holdPayment(alice, bob);
      await net.nodes[victim].kill();
      const started = performance.now();
      await net.restart(victim);
      const back = Math.round(performance.now() - started);
      // A restarted payee must see the HTLC claimable again before it can settle it.
      await bob.events.waitForPayment(held.paymentHash, ["paymentClaimable"]);
      await held.claim();
      const outcomes = await Promise.all([
        alice.waitForPaymentOutcome(held.paymentId),
        bob.waitForPaymentOutcome(held.paymentHash),
      ]);
      console.info(
        `${victim} killed with an HTLC: restarted and usable in ${back} ms, settled in ${Math.round(performance.now() - started)} ms`,
      );
      expect(outcomes).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      await pay(alice, bob);
      await net.checkMoneyConserved(before);
    },
  );
});

describe.skipIf(!daemons.ok)(e2eTitle("SIGKILL of the forwarding node mid-payment", daemons), () => {
  const test = networkTest<"alice" | "bob" | "carol">({
    topology: {
      nodes: { alice: {}, bob: {}, carol: {} },
      channels: [
        { from: "alice", to: "bob", sats: 1_000_000, announce: true },
        { from: "bob", to: "carol", sats: 1_000_000, announce: true },
      ],
    },
  });

  test("bob killed while forwarding a held payment, restarted: it resolves on both ends, money adds up", {
    timeout: 240_000,
  }, async ({ network: net }) => {
    const [alice, bob, carol] = [net.ldkServer("alice"), net.ldkServer("bob"), net.ldkServer("carol")];
    const before = await net.money();
    const held = await holdPayment(alice, carol, { amountMsat: 2_000_000n });
    await bob.kill();
    const started = performance.now();
    await held.claim(); // carol settles with bob down: the preimage waits for bob's return
    await net.restart("bob");
    const outcomes = await Promise.all([
      alice.waitForPaymentOutcome(held.paymentId),
      carol.waitForPaymentOutcome(held.paymentHash),
    ]);
    console.info(
      `forwarder killed mid-payment: resolved ${Math.round(performance.now() - started)} ms after the kill`,
    );
    expect(outcomes).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    await pay(alice, carol);
    await net.checkMoneyConserved(before);
  });
});
