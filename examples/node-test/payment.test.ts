import assert from "node:assert/strict";
import { test } from "node:test";
import { PaymentStatus } from "ldk-regtest";
import { aliceAndBob } from "./network.js";

const ln = aliceAndBob();

test(
  "Alice pays Bob's BOLT11 invoice",
  ln.test(async (network) => {
    const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
    const invoice = await bob.client.bolt11Receive({
      amountMsat: 50_000_000n,
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "coffee" } },
    });
    const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });

    const sent = await alice.waitForListedPayment(paymentId);
    const received = await bob.waitForListedPayment(invoice.paymentHash);
    assert.equal(sent.status, PaymentStatus.SUCCEEDED);
    assert.equal(received.status, PaymentStatus.SUCCEEDED);
    assert.equal(received.amountMsat, 50_000_000n);
  }),
);
