import { PaymentDirection, PaymentStatus } from "../client/index.js";
import { Network } from "../network/network.js";
import { describeDaemons } from "../waits/diagnostics.js";
import { WaitError } from "../waits/wait-for.js";
import { StepError, StepRunner, type StepTiming } from "./step-runner.js";

export const E2E_STEPS = 9;

/**
 * Amounts of the seed scenario. Bob is funded too: a node accepting an anchor channel must hold 25,000 sat
 * on-chain, or it rejects the anchor type and the channel falls back to a legacy (non-anchor) one.
 */
export const E2E_AMOUNTS = {
  aliceSats: 2_000_000,
  bobSats: 100_000,
  channelSats: 1_000_000,
  paymentMsat: 10_000_000n,
};

export interface E2eResult {
  ok: boolean;
  totalMs: number;
  steps: StepTiming[];
  nodes: Record<"alice" | "bob", { nodeId: string; logPath: string }>;
  channel?: { aliceUsable: boolean; bobUsable: boolean };
  payment?: Record<"alice" | "bob", { direction: string; status: string }>;
  /** Set when not ok; `wait` is the structured WaitError when a wait failed. */
  failure?: { step: string; message: string; wait?: ReturnType<WaitError["toJSON"]> };
  /** The run directory, when it was kept (--keep, or a failed run). */
  runDir?: string;
}

export interface E2eOptions {
  keep?: boolean;
  onProgress?: ConstructorParameters<typeof StepRunner>[1];
  /** Gets the network as soon as it exists (tests use it to inject failures). */
  onNetwork?: (network: Network<"alice" | "bob">) => void;
  /** Aborting stops every daemon at once; the run then ends as failed, its dirs not kept. */
  signal?: AbortSignal;
}

/**
 * The seed scenario: bitcoind + Alice and Bob, fund Alice, open Alice→Bob, wait until both sides are
 * usable, Bob invoices, Alice pays, and both sides list the payment as SUCCEEDED. Never throws: a failure
 * comes back as `ok: false` with the failed step, its last observation and every daemon's log tail.
 */
export async function runPayOverNewChannel(options: E2eOptions = {}): Promise<E2eResult> {
  const run = new StepRunner(E2E_STEPS, options.onProgress);
  const result: E2eResult = {
    ok: false,
    totalMs: 0,
    steps: run.steps,
    nodes: { alice: { nodeId: "", logPath: "" }, bob: { nodeId: "", logPath: "" } },
  };
  let network: Network<"alice" | "bob"> | undefined;
  let bitcoindDone: () => void = () => {};
  try {
    const starting = Network.start({
      nodes: ["alice", "bob"],
      ...(options.keep === undefined ? {} : { keep: options.keep }),
      onBitcoindReady: () => bitcoindDone(),
      signal: options.signal,
    });
    await run.step("start bitcoind (regtest)", () =>
      Promise.race([new Promise<void>((resolve) => (bitcoindDone = resolve)), starting.then(() => {})]),
    );
    const net = await run.step("start alice and bob", () => starting);
    network = net;
    options.signal?.throwIfAborted();
    options.signal?.addEventListener("abort", () => void net.stop({ discard: true }), { once: true });
    options.onNetwork?.(net);
    const [alice, bob] = [net.ldkServer("alice"), net.ldkServer("bob")];
    for (const [name, node] of [
      ["alice", alice],
      ["bob", bob],
    ] as const) {
      result.nodes[name] = { nodeId: node.nodeId, logPath: node.logPath };
    }

    const { address } = await run.step("alice OnchainReceive", () => alice.client.onchainReceive());
    await run.step("fund alice (and bob) from bitcoind and confirm", async () => {
      const bobAddress = (await bob.client.onchainReceive()).address;
      await net.fund({
        alice: { address, sats: E2E_AMOUNTS.aliceSats },
        bob: { address: bobAddress, sats: E2E_AMOUNTS.bobSats },
      });
    });
    const { userChannelId } = await run.step("alice OpenChannel to bob", () =>
      alice.client.openChannel({
        nodePubkey: bob.nodeId,
        address: bob.p2pAddress,
        amount: { case: "channelAmountSats", value: BigInt(E2E_AMOUNTS.channelSats) },
      }),
    );
    const channel = await run.step("channel usable on both sides", () =>
      net.waitForUsableChannel("alice", "bob", userChannelId),
    );
    result.channel = { aliceUsable: channel.opener.isUsable, bobUsable: channel.acceptor.isUsable };
    const invoice = await run.step("bob Bolt11Receive", () =>
      bob.client.bolt11Receive({
        amountMsat: E2E_AMOUNTS.paymentMsat,
        expirySecs: 3600,
        description: { kind: { case: "direct", value: "ldk-regtest e2e" } },
      }),
    );
    const { paymentId } = await run.step("alice Bolt11Send", () =>
      alice.client.bolt11Send({ invoice: invoice.invoice }),
    );
    const [sent, received] = await run.step("payment listed as SUCCEEDED on both sides", () =>
      Promise.all([alice.waitForListedPayment(paymentId), bob.waitForListedPayment(invoice.paymentHash)]),
    );
    result.payment = {
      alice: { direction: PaymentDirection[sent.direction], status: PaymentStatus[sent.status] },
      bob: { direction: PaymentDirection[received.direction], status: PaymentStatus[received.status] },
    };
    result.ok =
      result.channel.aliceUsable &&
      result.channel.bobUsable &&
      sent.direction === PaymentDirection.OUTBOUND &&
      sent.status === PaymentStatus.SUCCEEDED &&
      received.direction === PaymentDirection.INBOUND &&
      received.status === PaymentStatus.SUCCEEDED;
    if (!result.ok)
      result.failure = { step: "payment listed as SUCCEEDED on both sides", message: "unexpected outcome" };
  } catch (error) {
    result.failure = await describeFailure(error, network);
  } finally {
    result.totalMs = run.elapsedMs();
    if (network) {
      // A failed run keeps its dir so the log paths in the report exist; an interrupted one does not.
      const interrupted = options.signal?.aborted ?? false;
      if (!result.ok && !interrupted) network.runDir.retain();
      await network.stop({ discard: interrupted });
      if (network.runDir.keep) result.runDir = network.runDir.path;
    }
  }
  return result;
}

async function describeFailure(error: unknown, network: Network | undefined): Promise<E2eResult["failure"]> {
  const step = error instanceof StepError ? error.step : "(setup)";
  const cause = error instanceof StepError ? error.error : error;
  let message = error instanceof Error ? error.message : String(error);
  // A WaitError already carries the logs; anything else (an RPC error, say) gets them here.
  if (!(cause instanceof WaitError) && network) message += `\n${await describeDaemons(network.daemons)}`;
  return cause instanceof WaitError ? { step, message, wait: cause.toJSON() } : { step, message };
}
