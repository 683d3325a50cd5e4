import { PaymentStatus } from "ldk-regtest";
import { expect } from "vitest";
import { test } from "./network.js";

test("Alice pays Bob's BOLT11 invoice", async ({ network }) => {
  const [alice, bob] = [network.ldkServer("alice"), network.ldkServer("bob")];
  const invoice = await bob.client.bolt11Receive({
    amountMsat: 50_000_000n,
    expirySecs: 3600,
    description: { kind: { case: "direct", value: "coffee" } },
  });
  const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });

  const sent = await alice.waitForListedPayment(paymentId);
  const received = await bob.waitForListedPayment(invoice.paymentHash);
  expect(sent.status).toBe(PaymentStatus.SUCCEEDED);
  expect(received.status).toBe(PaymentStatus.SUCCEEDED);
  expect(received.amountMsat).toBe(50_000_000n);
});
