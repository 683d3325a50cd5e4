import { networkTest } from "ldk-regtest/vitest";
import { expect } from "vitest";

// Dave runs lnd (`npx ldk-regtest install lnd`); Alice and Carol run ldk-server.
const test = networkTest<"alice" | "dave" | "carol">({
  topology: {
    nodes: { alice: {}, dave: { kind: "lnd" }, carol: {} },
    channels: [
      { from: "alice", to: "dave", sats: 500_000, push_sats: 100_000 },
      { from: "dave", to: "carol", sats: 500_000, push_sats: 100_000 },
    ],
  },
  cache: true,
});

test("Alice (LDK) pays Carol (LDK) through Dave (LND)", async ({ network }) => {
  const { invoice } = await network
    .node("carol")
    .createInvoice({ amountMsat: 1_000_000n, description: "hi" });
  const { paymentId } = await network.node("alice").payInvoice(invoice);
  expect(await network.node("alice").waitForPaymentOutcome(paymentId)).toBe("SUCCEEDED");
});

test("Dave (LND) pays Alice (LDK); lnd's own REST API is typed", async ({ network }) => {
  const { invoice } = await network
    .node("alice")
    .createInvoice({ amountMsat: 5_000_000n, description: "back" });
  const { paymentId } = await network.node("dave").payInvoice(invoice);
  expect(await network.node("dave").waitForPaymentOutcome(paymentId)).toBe("SUCCEEDED");
  const info = await network.lnd("dave").client.getInfo();
  expect(info.num_active_channels).toBe(2);
});
