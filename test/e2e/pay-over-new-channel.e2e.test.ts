import { readFile } from "node:fs/promises";
import { describe, expect } from "vitest";
import { PaymentDirection, PaymentStatus } from "../../src/index.js";
import { testKnobs } from "../../src/ldk-server/test-knobs.js";
import { networkTest } from "../../src/testing/vitest.js";
import { detectDaemons, e2eTitle } from "../support/daemons.js";

const daemons = await detectDaemons();

// 1–2. bitcoind on regtest, then Alice and Bob (the fixture starts them, and stops them after)
const test = networkTest<"alice" | "bob">({ nodes: ["alice", "bob"] });
const knobsTest = networkTest<"alice" | "bob">({ nodes: ["alice", "bob"] });

describe.skipIf(!daemons.ok)(e2eTitle("seed E2E on real bitcoind + ldk-server", daemons), () => {
  test("opens a channel, pays a BOLT11 invoice, and both sides see SUCCEEDED", {
    timeout: 180_000,
  }, async ({ network: net }) => {
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    // 3. Alice's on-chain address
    const { address } = await alice.client.onchainReceive();
    expect(address).toMatch(/^bcrt1/);
    // 4. fund Alice from bitcoind and confirm (Bob too, 25,000+ sat, so he accepts an anchor channel)
    const bobAddress = (await bob.client.onchainReceive()).address;
    await net.fund({ alice: { address, sats: 2_000_000 }, bob: { address: bobAddress, sats: 100_000 } });
    // 5. Alice opens a channel to Bob by node id and listening address
    const { userChannelId } = await alice.client.openChannel({
      nodePubkey: bob.nodeId,
      address: bob.p2pAddress,
      amount: { case: "channelAmountSats", value: 1_000_000n },
    });
    // 6. mine and poll ListChannels until both sides are usable
    const channel = await net.waitForUsableChannel("alice", "bob", userChannelId);
    expect(channel.opener.isUsable && channel.acceptor.isUsable).toBe(true);
    // 7. Bob creates an invoice
    const invoice = await bob.client.bolt11Receive({ amountMsat: 10_000_000n, expirySecs: 3600 });
    // 8. Alice pays it
    const { paymentId } = await alice.client.bolt11Send({ invoice: invoice.invoice });
    expect(paymentId).toBe(invoice.paymentHash);
    // 9. ListPayments: OUTBOUND + SUCCEEDED on Alice, INBOUND + SUCCEEDED on Bob
    const sent = await alice.waitForListedPayment(paymentId);
    const received = await bob.waitForListedPayment(invoice.paymentHash);
    expect([PaymentDirection[sent.direction], PaymentStatus[sent.status]]).toEqual(["OUTBOUND", "SUCCEEDED"]);
    expect([PaymentDirection[received.direction], PaymentStatus[received.status]]).toEqual([
      "INBOUND",
      "SUCCEEDED",
    ]);
    expect(received.amountMsat).toBe(10_000_000n);
  });
});

describe.skipIf(!daemons.ok || !daemons.testBuild)(
  e2eTitle("the test build's knobs", daemons, daemons.testBuild ? undefined : "ldk-server is a stock build"),
  () => {
    const knobs = testKnobs();
    knobsTest(
      "every node of a network runs with the knobs the harness sets, as its own log says",
      async ({ network: net }) => {
        for (const name of ["alice", "bob"] as const) {
          const log = await readFile(net.ldkServer(name).logPath, "utf8");
          expect(log).toContain(`ldk-regtest test knob: chain polling every ${knobs.chainPollMs}ms`);
          expect(log).toContain(
            `ldk-regtest test knob: first forwarding pass after ${knobs.firstForwardMs}ms`,
          );
          expect(log).toContain(
            `ldk-regtest test knob: sweeper and claim rebroadcast every ${knobs.sweepMs}ms`,
          );
        }
      },
    );
  },
);
