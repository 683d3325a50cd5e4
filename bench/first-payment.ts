/**
 * A cached 2-node network to its first payment: `Network.start({ topology, cache: true })` of alice → bob
 * (1 channel), then bob's BOLT11 invoice, alice pays, and the payment listed SUCCEEDED on both sides.
 * The template is built once first (not timed); then N timed runs, each a whole start → first payment.
 * Prints one JSON object (per-phase medians too: start, invoice + pay + listed).
 * Usage: npm run bench:first-payment -- [runs, default 5]
 */
import { PaymentStatus } from "../src/client/index.js";
import { findLdkServer } from "../src/ldk-server/ldk-server.js";
import { isTestBuild } from "../src/ldk-server/test-knobs.js";
import { Network } from "../src/network/network.js";
import type { Topology } from "../src/node/topology-spec.js";
import { summary } from "./stats.js";

const runs = Number(process.argv[2] ?? 5);
const topology: Topology = {
  nodes: { alice: {}, bob: {} },
  channels: [{ from: "alice", to: "bob", sats: 1_000_000 }],
};

async function firstPayment(): Promise<{ totalMs: number; startMs: number; payMs: number }> {
  const t0 = performance.now();
  const net = await Network.start({ topology, cache: true });
  try {
    const t1 = performance.now();
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    const invoice = await bob.client.bolt11Receive({
      amountMsat: 10_000_000n,
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "bench" } },
    });
    const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
    const [sent, received] = await Promise.all([
      alice.waitForListedPayment(paymentId),
      bob.waitForListedPayment(invoice.paymentHash),
    ]);
    if (sent.status !== PaymentStatus.SUCCEEDED || received.status !== PaymentStatus.SUCCEEDED)
      throw new Error("the payment did not succeed on both sides");
    const t2 = performance.now();
    return { totalMs: Math.round(t2 - t0), startMs: Math.round(t1 - t0), payMs: Math.round(t2 - t1) };
  } finally {
    await net.stop();
  }
}

const ldkServer = await findLdkServer();
await (await Network.start({ topology, cache: true })).stop(); // the template, if not there yet
const results: Awaited<ReturnType<typeof firstPayment>>[] = [];
for (let i = 0; i < runs; i++) {
  const result = await firstPayment();
  results.push(result);
  process.stderr.write(
    `run ${i + 1}/${runs}: ${result.totalMs} ms (start ${result.startMs}, pay ${result.payMs})\n`,
  );
}
console.log(
  JSON.stringify({
    bench: "cached-first-payment",
    runs,
    ldkServer: ldkServer.version,
    testBuild: isTestBuild(ldkServer.version),
    totalMs: summary(results.map((r) => r.totalMs)),
    startMs: summary(results.map((r) => r.startMs)),
    payMs: summary(results.map((r) => r.payMs)),
    cpus: (await import("node:os")).cpus().length,
  }),
);
