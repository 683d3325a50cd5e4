import { createHash, randomBytes } from "node:crypto";
import { describe, expect } from "vitest";
import { BalanceSource, ChannelStateChangeReasonKind } from "../../src/client/index.js";
import {
  type ChannelEnds,
  ChannelState,
  type LdkServer,
  LdkServerError,
  type Network,
  PaymentDirection,
  PaymentStatus,
} from "../../src/index.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

/*
 * Every RPC of api.LightningNode against real daemons, each with a real effect checked.
 * One network for the file: alice→bob (1,000,000 sat, announced), bob→carol (500,000 sat, announced,
 * for forwarding), and a second alice→bob (300,000 sat, unannounced) to close cooperatively. Tests run in
 * order; the ones that tie up or close channels come last.
 */
let net: Network<"alice" | "bob" | "carol">;
let alice: LdkServer;
let bob: LdkServer;
let carol: LdkServer;
let ab: ChannelEnds;
let bc: ChannelEnds;
let ab2: ChannelEnds;

/** The channel `opener` → `acceptor` of `sats`, as both ends list it. */
async function ends(opener: LdkServer, acceptor: LdkServer, sats: bigint): Promise<ChannelEnds> {
  const mine = (await opener.listChannels()).find(
    (c) => c.counterpartyNodeId === acceptor.nodeId && c.channelValueSats === sats && c.isOutbound,
  );
  const theirs = (await acceptor.listChannels()).find((c) => c.channelId === mine?.channelId);
  if (!mine || !theirs) throw new Error(`no ${sats} sat channel ${opener.nodeName} → ${acceptor.nodeName}`);
  return { opener: mine, acceptor: theirs };
}

// One network for the file, from the package's own fixture (teardown checks, log tails on failure).
const test = networkTest<"alice" | "bob" | "carol">({
  scope: "file",
  topology: {
    nodes: {
      alice: { onchain_sats: 3_000_000 },
      bob: { onchain_sats: 2_000_000 },
      carol: { onchain_sats: 200_000 },
    },
    channels: [
      { from: "alice", to: "bob", sats: 1_000_000, announce: true },
      { from: "bob", to: "carol", sats: 500_000, announce: true },
      { from: "alice", to: "bob", sats: 300_000, announce: false },
    ],
  },
}).extend<{ named: undefined }>({
  named: [
    async ({ network }, use) => {
      net = network;
      [alice, bob, carol] = [
        network.ldkServer("alice"),
        network.ldkServer("bob"),
        network.ldkServer("carol"),
      ];
      [ab, bc, ab2] = await Promise.all([
        ends(alice, bob, 1_000_000n),
        ends(bob, carol, 500_000n),
        ends(alice, bob, 300_000n),
      ]);
      await use(undefined);
    },
    { scope: "file", auto: true },
  ],
});

describe.skipIf(!daemons.ok)(e2eTitle("LdkServerClient: every RPC on real nodes", daemons), () => {
  const paid = async (payer: LdkServer, payee: LdkServer, paymentId: string) => {
    const [sent, received] = await Promise.all([
      payer.events.waitForPayment(paymentId, ["paymentSuccessful", "paymentFailed"]),
      payee.events.waitForPayment(paymentId, ["paymentReceived"]),
    ]);
    expect(sent.case).toBe("paymentSuccessful");
    return { sent: sent.value, received: received.value };
  };

  describe("node", () => {
    test("getNodeInfo: identity, listening address, regtest, synced", async () => {
      const info = await alice.client.getNodeInfo();
      expect(info.nodeId).toBe(alice.nodeId);
      expect(info.nodeAlias).toBe("alice");
      expect(info.listeningAddresses).toEqual([alice.p2pAddress]);
      expect(info.currentBestBlock?.height).toBe(await net.bitcoind.rpc.getBlockCount());
      expect(Object.keys(info.features).length).toBeGreaterThan(0);
    });

    test("getBalances: lightning balance per channel, on-chain reserve for anchors", async () => {
      const balances = await alice.client.getBalances();
      expect(balances.totalLightningBalanceSats).toBeGreaterThan(1_200_000n);
      expect(balances.lightningBalances.length).toBeGreaterThanOrEqual(2);
      expect(balances.totalAnchorChannelsReserveSats).toBe(50_000n); // 25,000 per anchor channel
    });

    test("signMessage / verifySignature: valid for the signer and message, invalid otherwise", async () => {
      const message = Buffer.from("ldk-regtest");
      const { signature } = await alice.client.signMessage({ message });
      expect(signature.length).toBeGreaterThan(50);
      const verify = (publicKey: string, msg: Buffer) =>
        bob.client.verifySignature({ message: msg, signature, publicKey }).then((r) => r.valid);
      expect(await verify(alice.nodeId, message)).toBe(true);
      expect(await verify(bob.nodeId, message)).toBe(false);
      expect(await verify(alice.nodeId, Buffer.from("tampered"))).toBe(false);
    });

    test("listPeers / disconnectPeer / connectPeer", async () => {
      const connected = async () =>
        (await alice.client.listPeers()).peers.find((p) => p.nodeId === bob.nodeId)?.isConnected ?? false;
      expect(await connected()).toBe(true);
      await alice.client.disconnectPeer({ nodePubkey: bob.nodeId });
      await net.waitFor("alice disconnected from bob", connected, { until: (c) => !c, timeoutMs: 10_000 });
      await alice.client.connectPeer({ nodePubkey: bob.nodeId, address: bob.p2pAddress, persist: true });
      const peer = (await alice.client.listPeers()).peers.find((p) => p.nodeId === bob.nodeId);
      expect(peer).toMatchObject({ isConnected: true, isPersisted: true, address: bob.p2pAddress });
      await net.waitFor(
        "alice's channels with bob usable again",
        async () =>
          (await alice.client.listChannels()).channels.filter((c) => c.counterpartyNodeId === bob.nodeId),
        { until: (cs) => cs.length === 2 && cs.every((c) => c.isUsable), timeoutMs: 30_000 },
      );
    });
  });

  describe("payments", () => {
    test("bolt11Receive / decodeInvoice / bolt11Send", async () => {
      const invoice = await bob.client.bolt11Receive({
        amountMsat: 2_000_000n,
        expirySecs: 600,
        description: { kind: { case: "direct", value: "decode me" } },
      });
      const decoded = await alice.client.decodeInvoice({ invoice: invoice.invoice });
      expect(decoded).toMatchObject({
        destination: bob.nodeId,
        paymentHash: invoice.paymentHash,
        amountMsat: 2_000_000n,
        description: "decode me",
        expiry: 600n,
        currency: "regtest",
        isExpired: false,
      });
      const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
      const { received } = await paid(alice, bob, paymentId);
      expect(received.payment?.amountMsat).toBe(2_000_000n);
    });

    test("bolt12Receive / decodeOffer / bolt12Send: an offer paid with a payer note", async () => {
      const offer = await bob.client.bolt12Receive({ description: "coffee", amountMsat: 5_000_000n });
      const decoded = await alice.client.decodeOffer({ offer: offer.offer });
      expect(decoded.offerId).toBe(offer.offerId);
      expect(decoded.description).toBe("coffee");
      expect(decoded.amount?.amount).toEqual({ case: "bitcoinAmountMsats", value: 5_000_000n });
      const { paymentId } = await alice.client.bolt12Send({ offer: offer.offer, payerNote: "thanks" });
      const { received } = await Promise.all([
        alice.events.waitForPayment(paymentId, ["paymentSuccessful"]),
        bob.events.waitFor("bob receives the offer payment", (e) =>
          e.event.case === "paymentReceived" && e.event.value.payment?.kind?.kind.case === "bolt12Offer"
            ? e.event.value
            : undefined,
        ),
      ]).then(([, r]) => ({ received: r }));
      const kind = received.payment?.kind?.kind;
      expect(kind?.case === "bolt12Offer" && kind.value).toMatchObject({
        offerId: offer.offerId,
        payerNote: "thanks",
      });
      expect(received.payment?.amountMsat).toBe(5_000_000n);
    });

    test("spontaneousSend: keysend with custom TLV records, which the payee receives", async () => {
      const { paymentId } = await alice.client.spontaneousSend({
        amountMsat: 1_000_000n,
        nodeId: bob.nodeId,
        customTlvs: [{ typeNum: 65_537n, value: Buffer.from("hello bob") }],
      });
      const { received } = await paid(alice, bob, paymentId);
      expect(received.customRecords.map((r) => [r.typeNum, Buffer.from(r.value).toString()])).toEqual([
        [65_537n, "hello bob"],
      ]);
      expect(received.payment?.kind?.kind.case).toBe("spontaneous");
    });

    test("bolt11ReceiveForHash / bolt11ClaimForHash: a hodl invoice claimed with its preimage", async () => {
      const preimage = randomBytes(32);
      const paymentHash = createHash("sha256").update(preimage).digest("hex");
      const { invoice } = await bob.client.bolt11ReceiveForHash({
        amountMsat: 3_000_000n,
        expirySecs: 600,
        paymentHash,
      });
      const { paymentId } = await alice.client.bolt11Send({ invoice });
      const claimable = await bob.events.waitForPayment(paymentHash, ["paymentClaimable"]);
      expect(claimable.value.payment?.amountMsat).toBe(3_000_000n);
      expect(claimable.value.claimDeadline).toBeGreaterThan(0);
      await bob.client.bolt11ClaimForHash({
        paymentHash,
        claimableAmountMsat: 3_000_000n,
        preimage: preimage.toString("hex"),
      });
      const sent = await alice.events.waitForPayment(paymentId, ["paymentSuccessful", "paymentFailed"]);
      expect(sent.case).toBe("paymentSuccessful");
      const kind = sent.value.payment?.kind?.kind;
      expect(kind?.case === "bolt11" && kind.value.preimage).toBe(preimage.toString("hex"));
    });

    test("bolt11FailForHash: a hodl invoice failed back to the payer", async () => {
      const paymentHash = createHash("sha256").update(randomBytes(32)).digest("hex");
      const { invoice } = await bob.client.bolt11ReceiveForHash({
        amountMsat: 1_500_000n,
        expirySecs: 600,
        paymentHash,
      });
      const { paymentId } = await alice.client.bolt11Send({ invoice });
      await bob.events.waitForPayment(paymentHash, ["paymentClaimable"]);
      await bob.client.bolt11FailForHash({ paymentHash });
      const outcome = await alice.events.waitForPayment(paymentId, ["paymentSuccessful", "paymentFailed"]);
      expect(outcome.case).toBe("paymentFailed");
    });

    test("unifiedSend: pays a BOLT11 invoice given as a URI", async () => {
      const invoice = await bob.client.bolt11Receive({ amountMsat: 1_000_000n, expirySecs: 600 });
      const { paymentResult } = await alice.client.unifiedSend({ uri: invoice.invoice });
      expect(paymentResult).toEqual({ case: "bolt11PaymentId", value: invoice.paymentHash });
      await paid(alice, bob, invoice.paymentHash);
    });

    test("getPaymentDetails: known on both sides, absent for an unknown id, INVALID_ARGUMENT for a malformed one", async () => {
      const invoice = await bob.client.bolt11Receive({ amountMsat: 1_000_000n, expirySecs: 600 });
      const pending = await bob.client.getPaymentDetails({ paymentId: invoice.paymentHash });
      expect(pending.payment).toMatchObject({
        direction: PaymentDirection.INBOUND,
        status: PaymentStatus.PENDING,
      });
      const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
      await paid(alice, bob, paymentId);
      const sent = await alice.client.getPaymentDetails({ paymentId });
      expect(sent.payment).toMatchObject({
        id: paymentId,
        direction: PaymentDirection.OUTBOUND,
        status: PaymentStatus.SUCCEEDED,
        amountMsat: 1_000_000n,
      });
      expect((await alice.client.getPaymentDetails({ paymentId: "00".repeat(32) })).payment).toBeUndefined();
      await expect(alice.client.getPaymentDetails({ paymentId: "nope" })).rejects.toMatchObject({
        codeName: "INVALID_ARGUMENT",
        method: "GetPaymentDetails",
      });
    });

    test("listPayments / iteratePayments: every recorded payment, across pages", async () => {
      const all: string[] = [];
      for await (const payment of alice.client.iteratePayments()) all.push(payment.id);
      const firstPage = await alice.client.listPayments();
      expect(firstPage.payments.map((p) => p.id)).toEqual(all); // fewer than one page of 100
      expect(firstPage.nextPageToken).toBeDefined();
      const trailing = await alice.client.listPayments({ pageToken: firstPage.nextPageToken });
      expect(trailing.payments).toEqual([]);
      expect(trailing.nextPageToken).toBeUndefined();
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeGreaterThanOrEqual(6); // the payments above, failed ones included
    });

    test("bolt11ReceiveViaJitChannel and the variable-amount variant: refused without an LSP", async () => {
      // Proving the request shape: without [liquidity.lsps2_client] the daemon names the missing LSP.
      for (const call of [
        () => carol.client.bolt11ReceiveViaJitChannel({ amountMsat: 1_000_000n, expirySecs: 600 }),
        () => carol.client.bolt11ReceiveVariableAmountViaJitChannel({ expirySecs: 600 }),
      ]) {
        const error = await call().catch((e) => e);
        expect(error).toBeInstanceOf(LdkServerError);
        expect(error.codeName).toBe("INTERNAL");
        expect(error.grpcMessage).toMatch(/liquidity source being unavailable/);
      }
    });

    test("subscribeEvents: a second subscriber sees events live and stops on break", async () => {
      const stream = bob.client.subscribeEvents();
      await stream.ready;
      const invoice = await bob.client.bolt11Receive({ amountMsat: 1_000_000n, expirySecs: 600 });
      await alice.client.bolt11Send({ invoice: invoice.invoice });
      let seen: string | undefined;
      for await (const { event } of stream) {
        if (event.case === "paymentReceived" && event.value.payment?.id === invoice.paymentHash) {
          seen = event.value.payment.id;
          break; // ends the subscription
        }
      }
      expect(seen).toBe(invoice.paymentHash);
    });
  });

  describe("routing and the graph", () => {
    const bobCarolScid = async () => {
      for (const scid of (await alice.client.graphListChannels()).shortChannelIds) {
        const { channel } = await alice.client.graphGetChannel({ shortChannelId: scid });
        const ends = [channel?.nodeOne, channel?.nodeTwo];
        if (
          ends.includes(bob.nodeId) &&
          ends.includes(carol.nodeId) &&
          channel?.oneToTwo &&
          channel.twoToOne
        ) {
          return scid;
        }
      }
      return undefined;
    };

    test("graphListChannels / graphGetChannel: both announced channels, with capacity and policies", {
      timeout: 90_000,
    }, async () => {
      await net.waitFor("alice learns bob→carol from gossip", bobCarolScid, { timeoutMs: 60_000 });
      const scids = (await alice.client.graphListChannels()).shortChannelIds;
      expect(scids).toHaveLength(2);
      const channels = await Promise.all(
        scids.map((s) => alice.client.graphGetChannel({ shortChannelId: s })),
      );
      const aliceBob = channels.find((c) => [c.channel?.nodeOne, c.channel?.nodeTwo].includes(alice.nodeId));
      expect(aliceBob?.channel?.capacitySats).toBe(1_000_000n);
      expect(aliceBob?.channel?.oneToTwo?.enabled).toBe(true);
    });

    test("graphListNodes / graphGetNode: all three nodes; bob's announcement carries his alias", {
      timeout: 120_000,
    }, async () => {
      const ids = (await alice.client.graphListNodes()).nodeIds;
      expect(new Set(ids)).toEqual(new Set([alice.nodeId, bob.nodeId, carol.nodeId]));
      const node = await net.waitFor(
        "bob's node announcement reaches alice",
        async () => (await alice.client.graphGetNode({ nodeId: bob.nodeId })).node,
        { until: (n) => n?.announcementInfo?.alias === "bob", timeoutMs: 90_000 },
      );
      expect(node?.channels).toHaveLength(2);
      expect(node?.announcementInfo?.addresses).toContain(bob.p2pAddress);
    });

    test("a payment alice→bob→carol is forwarded by bob: PaymentForwarded event and listForwardedPayments", async () => {
      const invoice = await carol.client.bolt11Receive({ amountMsat: 20_000_000n, expirySecs: 600 });
      const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
      const { sent } = await paid(alice, carol, paymentId);
      expect(sent.payment?.feePaidMsat).toBeGreaterThan(0n);
      const forwarded = await bob.events.waitFor("bob forwards", (e) =>
        e.event.case === "paymentForwarded" ? e.event.value.forwardedPayment : undefined,
      );
      expect(forwarded?.outboundAmountForwardedMsat).toBe(20_000_000n);
      expect(forwarded?.totalFeeEarnedMsat).toBe(sent.payment?.feePaidMsat);
      const listed = [];
      for await (const f of bob.client.iterateForwardedPayments()) listed.push(f);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({
        outboundAmountForwardedMsat: 20_000_000n,
        prevHtlcs: [expect.objectContaining({ channelId: ab.acceptor.channelId })],
        nextHtlcs: [expect.objectContaining({ channelId: bc.opener.channelId })],
      });
      expect((await bob.client.listForwardedPayments()).forwardedPayments).toHaveLength(1);
    });

    test("exportPathfindingScores: the scorer learned from those payments", async () => {
      const { scores } = await alice.client.exportPathfindingScores();
      expect(scores.length).toBeGreaterThan(0);
    });
  });

  describe("channels and on-chain", () => {
    const channelOn = async (node: LdkServer, channelId: string) =>
      (await node.client.listChannels()).channels.find((c) => c.channelId === channelId);

    test("updateChannelConfig: new forwarding fees show in ListChannels", async () => {
      await alice.client.updateChannelConfig({
        userChannelId: ab.opener.implementationId,
        counterpartyNodeId: bob.nodeId,
        channelConfig: {
          forwardingFeeBaseMsat: 1234,
          forwardingFeeProportionalMillionths: 567,
          cltvExpiryDelta: 80,
        },
      });
      const config = (await channelOn(alice, ab.opener.channelId))?.channelConfig;
      expect(config).toMatchObject({
        forwardingFeeBaseMsat: 1234,
        forwardingFeeProportionalMillionths: 567,
        cltvExpiryDelta: 80,
      });
    });

    test("spliceIn / spliceOut: the channel grows, then shrinks to a fresh address of alice's", {
      timeout: 150_000,
    }, async () => {
      const value = async () => (await channelOn(alice, ab.opener.channelId))?.channelValueSats ?? 0n;
      const confirmSplice = (what: string, until: (v: bigint) => boolean) =>
        net.waitFor(
          what,
          async () => {
            if ((await net.bitcoind.rpc.getRawMempool()).length > 0) await net.bitcoind.generate(6);
            return value();
          },
          { until, timeoutMs: 60_000, maxIntervalMs: 500 },
        );
      await alice.client.spliceIn({
        userChannelId: ab.opener.implementationId,
        counterpartyNodeId: bob.nodeId,
        amount: { case: "spliceAmountSats", value: 100_000n },
      });
      const grown = await confirmSplice("splice-in confirmed", (v) => v >= 1_100_000n);
      expect(grown).toBeLessThan(1_101_000n);
      const { address } = await alice.client.spliceOut({
        userChannelId: ab.opener.implementationId,
        counterpartyNodeId: bob.nodeId,
        spliceAmountSats: 50_000n,
      });
      expect(address).toMatch(/^bcrt1/);
      const after = await confirmSplice("splice-out confirmed", (v) => v < grown);
      expect(after).toBeLessThanOrEqual(grown - 50_000n); // the splice fee comes out of the channel too
      expect(after).toBeGreaterThan(grown - 60_000n);
      await net.waitFor(
        "channel usable after splicing",
        async () => (await channelOn(alice, ab.opener.channelId))?.isUsable,
        {
          timeoutMs: 30_000,
        },
      );
    });

    test("onchainSend: pays a bitcoind address; the transaction reaches the mempool", async () => {
      const address = await net.bitcoind.rpc.getNewAddress("ldk-regtest");
      const { txid } = await alice.client.onchainSend({
        address,
        amount: { case: "amountSats", value: 40_000n },
      });
      await net.bitcoind.waitForMempool(txid);
      const tx = await net.bitcoind.rpc.call<{
        vout: { value: number; scriptPubKey: { address?: string } }[];
      }>("getrawtransaction", [txid, true]);
      expect(tx.vout.find((o) => o.scriptPubKey.address === address)?.value).toBe(0.0004);
      await net.mine(1);
    });

    test("closeChannel: a cooperative close, reported CLOSED on both sides", async () => {
      const since = { alice: alice.events.mark(), bob: bob.events.mark() };
      await alice.client.closeChannel({
        userChannelId: ab2.opener.implementationId,
        counterpartyNodeId: bob.nodeId,
      });
      const closed = (node: LdkServer, since: number) =>
        node.events.waitForChannelState({ channelId: ab2.opener.channelId }, ChannelState.CLOSED, { since });
      const [onAlice, onBob] = await Promise.all([closed(alice, since.alice), closed(bob, since.bob)]);
      expect(onAlice.reason?.kind).toBe(ChannelStateChangeReasonKind.LOCALLY_INITIATED_COOPERATIVE_CLOSURE);
      expect(onBob.reason?.kind).toBe(
        ChannelStateChangeReasonKind.COUNTERPARTY_INITIATED_COOPERATIVE_CLOSURE,
      );
      expect(await channelOn(alice, ab2.opener.channelId)).toBeUndefined();
    });

    test("forceCloseChannel: reported CLOSED on both sides; the funds wait on-chain for the CSV delay", {
      timeout: 90_000,
    }, async () => {
      const since = { bob: bob.events.mark(), carol: carol.events.mark() };
      await bob.client.forceCloseChannel({
        userChannelId: bc.opener.implementationId,
        counterpartyNodeId: carol.nodeId,
        forceCloseReason: "test",
      });
      const closed = (node: LdkServer, since: number) =>
        node.events.waitForChannelState({ channelId: bc.opener.channelId }, ChannelState.CLOSED, { since });
      const onBob = await closed(bob, since.bob);
      expect(onBob.reason?.kind).toBe(ChannelStateChangeReasonKind.HOLDER_FORCE_CLOSED);
      const onCarol = await closed(carol, since.carol);
      // LDK drops the connection as it force-closes: if bob's error message is lost with it, carol learns
      // of the close from his bogus channel_reestablish on reconnect, which LDK reports as a processing error.
      if (onCarol.reason?.kind === ChannelStateChangeReasonKind.PROCESSING_ERROR) {
        expect(onCarol.reason.message).toMatch(/invalid channel_reestablish to force close/);
      } else {
        expect(onCarol.reason?.kind).toBe(ChannelStateChangeReasonKind.COUNTERPARTY_FORCE_CLOSED);
      }
      // LDK (re)broadcasts and fee-bumps the commitment on new blocks: mine until it confirms.
      const balances = await net.waitFor(
        "bob's force-closed funds claimable after the commitment confirms",
        async () => {
          await net.mine(1);
          return (await bob.client.getBalances()).lightningBalances;
        },
        {
          until: (bs) =>
            bs.some(
              (b) =>
                b.balanceType.case === "claimableAwaitingConfirmations" &&
                b.balanceType.value.channelId === bc.opener.channelId &&
                b.balanceType.value.source === BalanceSource.HOLDER_FORCE_CLOSED,
            ),
          timeoutMs: 60_000,
        },
      );
      expect(balances.length).toBeGreaterThan(0);
    });

    test("bolt11SendUnderpaying: sends less than the invoice asks; the payee holds it unclaimed", async () => {
      // An LDK payee waits for the rest of what it takes to be a partial payment, so it stays pending.
      const invoice = await bob.client.bolt11Receive({ amountMsat: 1_000_000n, expirySecs: 600 });
      const { paymentId } = await alice.client.bolt11SendUnderpaying({
        invoice: invoice.invoice,
        amountMsat: 900_000n,
      });
      expect(paymentId).toBe(invoice.paymentHash);
      const details = await net.waitFor(
        "alice's underpaying HTLC in flight",
        async () => (await alice.client.getPaymentDetails({ paymentId })).payment,
        { until: (p) => p !== undefined, timeoutMs: 10_000 },
      );
      expect(details).toMatchObject({ amountMsat: 900_000n, status: PaymentStatus.PENDING });
      expect((await bob.client.getPaymentDetails({ paymentId })).payment?.status).toBe(PaymentStatus.PENDING);
    });
  });
});
