/**
 * A JIT payment end to end: carol (no channel) makes a JIT invoice through the LSP, alice pays it, the
 * LSP opens a channel to carol and the harness confirms it, until both sides list the payment as
 * SUCCEEDED. Each run starts a fresh copy of one cached network (alice → lsp, carol a client of lsp).
 * Prints one JSON object: the total from the invoice (median, p95) and when each phase ended (from the
 * invoice request): invoice made, the LSP's PENDING channel, the channel usable on both sides.
 * Usage: npm run bench:jit -- [runs, default 5]
 */
import { ChannelState, PaymentStatus } from "../src/client/index.js";
import { Network } from "../src/network/network.js";
import type { Topology } from "../src/node/topology-spec.js";
import { summary } from "./stats.js";

const [runs = 5] = process.argv
  .slice(2)
  .filter((a) => /^\d+$/.test(a))
  .map(Number);

const topology: Topology = {
  nodes: { alice: {}, lsp: { lsps2_service: {}, onchain_sats: 2_000_000 }, carol: { lsps2_client: "lsp" } },
  channels: [{ from: "alice", to: "lsp", sats: 1_000_000 }],
};

async function measure() {
  const net = await Network.start<"alice" | "lsp" | "carol">({ topology, cache: true });
  try {
    const [alice, lsp, carol] = [net.ldkServer("alice"), net.ldkServer("lsp"), net.ldkServer("carol")];
    const t0 = performance.now();
    const since = (m: number) => Math.round(performance.now() - m);
    const { invoice } = await carol.client.bolt11ReceiveViaJitChannel({
      amountMsat: 20_000_000n,
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "bench" } },
    });
    const invoiceMs = since(t0);
    const mark = lsp.events.mark();
    const { paymentId } = await alice.client.bolt11Send({ invoice });
    await lsp.events.waitFor(
      "the LSP opens the JIT channel",
      ({ event }) =>
        event.case === "channelStateChanged" && event.value.state === ChannelState.PENDING ? true : undefined,
      { since: mark },
    );
    const channelOpenedMs = since(t0);
    await net.waitForJitChannel("lsp", "carol", { since: mark });
    const channelUsableMs = since(t0);
    const [sent, received] = await Promise.all([
      alice.waitForListedPayment(paymentId),
      carol.waitForListedPayment(paymentId),
    ]);
    const ok = sent.status === PaymentStatus.SUCCEEDED && received.status === PaymentStatus.SUCCEEDED;
    return { ok, totalMs: since(t0), invoiceMs, channelOpenedMs, channelUsableMs };
  } finally {
    await net.stop();
  }
}

const results: Awaited<ReturnType<typeof measure>>[] = [];
for (let i = 0; i < runs; i++) {
  const result = await measure();
  results.push(result);
  process.stderr.write(`run ${i + 1}/${runs}: ${result.ok ? "ok" : "FAILED"} ${result.totalMs} ms\n`);
}
console.log(
  JSON.stringify({
    bench: "jit",
    runs,
    passed: results.filter((r) => r.ok).length,
    totalMs: summary(results.map((r) => r.totalMs)),
    invoiceMs: summary(results.map((r) => r.invoiceMs)),
    channelOpenedMs: summary(results.map((r) => r.channelOpenedMs)),
    channelUsableMs: summary(results.map((r) => r.channelUsableMs)),
    cpus: (await import("node:os")).cpus().length,
  }),
);
