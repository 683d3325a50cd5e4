import { PaymentStatus } from "ldk-regtest";
import { networkTest } from "ldk-regtest/vitest";
import { expect } from "vitest";

// The LSP runs ldk-server's LSP build (`npx ldk-regtest install ldk-server --lsps2`). Carol has no
// channel: she buys one just in time from the LSP when Alice pays her.
const test = networkTest<"alice" | "lsp" | "carol">({
  topology: {
    nodes: {
      alice: {},
      lsp: { lsps2_service: {}, onchain_sats: 2_000_000 },
      carol: { lsps2_client: "lsp" },
    },
    channels: [{ from: "alice", to: "lsp", sats: 1_000_000 }],
  },
  cache: true,
});

test("Alice pays Carol's JIT invoice: the LSP opens Carol's channel and keeps its fee", async ({
  network,
}) => {
  const carol = network.ldkServer("carol");
  const { invoice } = await carol.client.bolt11ReceiveViaJitChannel({
    amountMsat: 10_000_000n,
    expirySecs: 3600,
    description: { kind: { case: "direct", value: "jit" } },
  });
  const since = network.ldkServer("lsp").events.mark();
  const { paymentId } = await network.ldkServer("alice").client.bolt11Send({ invoice });
  await network.waitForJitChannel("lsp", "carol", { since }); // opened, confirmed, usable on both sides
  const sent = await network.ldkServer("alice").waitForListedPayment(paymentId);
  expect(sent.status).toBe(PaymentStatus.SUCCEEDED);
  const received = await carol.waitForListedPayment(paymentId); // a BOLT11 payment's id on both sides
  expect(received.amountMsat).toBe(10_000_000n - 2_000n); // the LSP's minimum opening fee, 2,000 msat
});
