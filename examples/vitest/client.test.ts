import { LdkServerClient, PaymentStatus } from "ldk-regtest/client";
import { expect } from "vitest";
import { test } from "./network.js";

// ldk-regtest/client works against any ldk-server: here Alice's node, reached by its files and address
// as a client of your own would reach it.
test("a client of its own pays Bob and sees the payment's event", async ({ network }) => {
  const alice = network.ldkServer("alice");
  const client = await LdkServerClient.fromStorageDir(alice.storageDir, {
    address: alice.grpcAddress,
    network: "regtest",
  }); // reads <storage>/regtest/api_key and <storage>/tls.crt
  try {
    const events = client.subscribeEvents(); // live only: subscribe before acting
    await events.ready;
    const { invoice } = await network.ldkServer("bob").client.bolt11Receive({
      amountMsat: 10_000_000n,
      expirySecs: 3600,
    });
    const { paymentId } = await client.bolt11Send({ invoice }, { timeoutMs: 10_000 });
    for await (const { event } of events) {
      if (event.case !== "paymentSuccessful" && event.case !== "paymentFailed") continue;
      if (event.value.payment?.id === paymentId) break;
    }
    const { payment } = await client.getPaymentDetails({ paymentId });
    expect(payment && PaymentStatus[payment.status]).toBe("SUCCEEDED");
  } finally {
    await client.close();
  }
});
