import { readFile } from "node:fs/promises";
import { describe, expect } from "vitest";
import {
  type LdkServer,
  LSPS2_SERVICE_DEFAULTS,
  type Network,
  type Payment,
  PaymentDirection,
  PaymentStatus,
  type Topology,
} from "../../src/index.js";
import { LDK_SERVER_LSPS2_EXECUTABLE } from "../../src/ldk-server/executable.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";
import { pay } from "../support/pay.js";

const daemons = await detectDaemons([LDK_SERVER_LSPS2_EXECUTABLE]);

// alice pays carol through the LSP; carol has no channel until the LSP opens one just in time.
const topology: Topology = {
  nodes: {
    alice: {},
    lsp: { lsps2_service: {}, onchain_sats: 2_000_000 },
    carol: { lsps2_client: "lsp" },
  },
  // The push gives the LSP outbound liquidity beyond alice's 10,000 sat reserve, for carol to pay alice.
  channels: [{ from: "alice", to: "lsp", sats: 1_000_000, push_sats: 100_000 }],
};
const test = networkTest<"alice" | "lsp" | "carol">({ topology, cache: true });
const timeout = 180_000; // the first test builds the cached network

/** The LSPS2 opening fee from the terms the LSP advertises (the test defaults): ppm rounded up, at least the minimum. */
function advertisedFeeMsat(paymentMsat: bigint): bigint {
  const ppm = BigInt(LSPS2_SERVICE_DEFAULTS.channel_opening_fee_ppm);
  const min = BigInt(LSPS2_SERVICE_DEFAULTS.min_channel_opening_fee_msat);
  const proportional = (paymentMsat * ppm + 999_999n) / 1_000_000n;
  return proportional > min ? proportional : min;
}

/**
 * alice pays `invoice` (for `amountMsat`), the LSP opens and confirms the channel to carol, and both
 * sides list the payment as SUCCEEDED; asserts carol got the payment minus the advertised fee, on a
 * new channel sized as the LSP's terms say. Returns how long it took from the invoice.
 */
async function payJit(
  net: Network<"alice" | "lsp" | "carol">,
  invoice: string,
  amountMsat: bigint,
  fixedAmount: boolean,
  startedAt: number,
): Promise<number> {
  const [alice, carol] = [net.ldkServer("alice"), net.ldkServer("carol")];
  const since = net.ldkServer("lsp").events.mark();
  const { paymentId } = await alice.client.bolt11Send({
    invoice,
    ...(fixedAmount ? {} : { amountMsat }),
  });
  const channel = await net.waitForJitChannel("lsp", "carol", { since });
  const [sent, received] = await Promise.all([
    alice.waitForListedPayment(paymentId),
    carol.waitForListedPayment(paymentId),
  ]);
  const tookMs = Math.round(performance.now() - startedAt);
  expect([sent.direction, sent.status]).toEqual([PaymentDirection.OUTBOUND, PaymentStatus.SUCCEEDED]);
  expect([received.direction, received.status]).toEqual([PaymentDirection.INBOUND, PaymentStatus.SUCCEEDED]);
  const fee = advertisedFeeMsat(amountMsat);
  expect(sent.amountMsat).toBe(amountMsat);
  expect(received.amountMsat).toBe(amountMsat - fee);
  expect(skimmedFee(received)).toBe(fee);
  // The LSP opens for what it forwards, plus its over-provisioning.
  const forwarded = amountMsat - fee;
  const overProvisioning =
    (forwarded * BigInt(LSPS2_SERVICE_DEFAULTS.channel_over_provisioning_ppm)) / 1_000_000n;
  expect(channel.acceptor.channelValueSats).toBe((forwarded + overProvisioning) / 1000n);
  expect(channel.acceptor.isOutbound).toBe(false);
  expect(channel.acceptor.isAnnounced).toBe(false);
  return tookMs;
}

function skimmedFee(payment: Payment): bigint | undefined {
  return payment.kind?.kind.case === "bolt11"
    ? payment.kind.kind.value.counterpartySkimmedFeeMsat
    : undefined;
}

async function channelsOf(node: LdkServer) {
  return (await node.client.listChannels()).channels;
}

describe.skipIf(!daemons.ok)(e2eTitle("JIT channels through an LSP (LSPS2)", daemons), () => {
  test("a fixed-amount JIT invoice: the LSP opens a channel to carol, who gets the payment minus the opening fee", {
    timeout,
  }, async ({ network: net }) => {
    const [alice, carol] = [net.ldkServer("alice"), net.ldkServer("carol")];
    expect(await channelsOf(carol)).toEqual([]);
    const amountMsat = 10_000_000n; // 1,000 msat proportional: the 2,000 msat minimum applies
    const startedAt = performance.now();
    const { invoice } = await carol.client.bolt11ReceiveViaJitChannel({
      amountMsat,
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "jit fixed" } },
    });
    const tookMs = await payJit(net, invoice, amountMsat, true, startedAt);
    console.info(`JIT payment (fixed amount), invoice to SUCCEEDED on both sides: ${tookMs} ms`);
    await pay(carol, alice, 2_000_000n); // carol's new channel is usable: she pays back over it
    await pay(alice, carol, 1_000_000n); // and receives over it without another open
  });

  test("a variable-amount JIT invoice: alice chooses the amount; the proportional fee is withheld", {
    timeout,
  }, async ({ network: net }) => {
    const [alice, carol] = [net.ldkServer("alice"), net.ldkServer("carol")];
    expect(await channelsOf(carol)).toEqual([]);
    const amountMsat = 50_000_000n; // 5,000 msat proportional, above the minimum
    const startedAt = performance.now();
    const { invoice } = await carol.client.bolt11ReceiveVariableAmountViaJitChannel({
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "jit variable" } },
    });
    const tookMs = await payJit(net, invoice, amountMsat, false, startedAt);
    console.info(`JIT payment (variable amount), invoice to SUCCEEDED on both sides: ${tookMs} ms`);
    await pay(carol, alice, 2_000_000n);
    await pay(alice, carol, 1_000_000n); // and receives over it without another open
  });

  test("after the LSP and then carol restart (carol's config written anew from the running LSP), JIT still works", {
    timeout,
  }, async ({ network: net }) => {
    const carol = net.ldkServer("carol");
    await net.restart("lsp");
    await net.restart("carol");
    const config = await readFile(carol.configPath, "utf8");
    expect(config).toContain(`node_pubkey = "${net.node("lsp").nodeId}"`);
    expect(config).toContain(`address = "${net.node("lsp").p2pAddress}"`);
    const amountMsat = 30_000_000n;
    const startedAt = performance.now();
    const { invoice } = await carol.client.bolt11ReceiveViaJitChannel({
      amountMsat,
      expirySecs: 3600,
      description: { kind: { case: "direct", value: "jit after restarts" } },
    });
    await payJit(net, invoice, amountMsat, true, startedAt);
  });
});
