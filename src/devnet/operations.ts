import { ChannelState } from "../client/index.js";
import { defaultTimeout } from "../common/durations.js";
import { LdkRegtestError } from "../common/errors.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { Network } from "../network/network.js";
import { parseAmountMsat } from "./amount.js";
import {
  checkChannelEnds,
  checkChannelFunds,
  checkLsps2Client,
  checkNode,
  checkPayable,
  parseBlocks,
  parseChannelSats,
  parseFundSats,
  parsePushSats,
} from "./args.js";
import type { OperationContext } from "./control.js";
import { connectionOf } from "./devnet-files.js";

/**
 * What the CLI (or any program on the control socket) can ask of a running dev network, by name. Every
 * argument is checked first (the same checks as the CLI's): a bad one is refused before anything is sent
 * to bitcoind or a node. Each returns a JSON-able result.
 */
export function devnetOperations(net: Network) {
  const names = Object.keys(net.nodes);
  // The dev network drives ldk-server nodes by their own client (another kind is refused by name).
  const node = (name: string): LdkServer => net.ldkServer(name);
  const nameOf = (nodeId: string) =>
    Object.entries(net.nodes).find(([, n]) => n.nodeId === nodeId)?.[0] ?? nodeId;
  const lspOf = (name: string) => net.topology?.nodes[name]?.lsps2_client;
  const lsps2Clients = () =>
    names.flatMap((client) => {
      const lsp = lspOf(client);
      return lsp === undefined ? [] : [[client, lsp] as const];
    });
  const channelBetween = async (from: string, to: string) => {
    const peer = node(to).nodeId;
    const channel = (await node(from).client.listChannels()).channels.find(
      (c) => c.counterpartyNodeId === peer,
    );
    if (channel) return channel;
    throw new LdkRegtestError(
      "BAD_OPTION",
      `${from} has no channel with ${to}: \`ldk-regtest status\` lists the channels there are`,
      { data: { option: "to", from, to } },
    );
  };

  return {
    async status() {
      const height = await net.bitcoind.rpc.getBlockCount();
      const nodes = await Promise.all(
        names.map(async (name) => {
          const n = node(name);
          const [balances, channels] = await Promise.all([n.client.getBalances(), n.client.listChannels()]);
          return [
            name,
            {
              ...connectionOf(n),
              alive: n.exitInfo === undefined,
              onchainSats: balances.totalOnchainBalanceSats,
              spendableSats: balances.spendableOnchainBalanceSats,
              lightningSats: balances.totalLightningBalanceSats,
              channels: channels.channels.map((c) => ({
                peer: nameOf(c.counterpartyNodeId),
                channelId: c.channelId,
                sats: c.channelValueSats,
                outboundMsat: c.outboundCapacityMsat,
                inboundMsat: c.inboundCapacityMsat,
                usable: c.isUsable,
                announced: c.isAnnounced,
                outbound: c.isOutbound,
              })),
            },
          ] as const;
        }),
      );
      return {
        height,
        bitcoind: { alive: net.bitcoind.exitInfo === undefined, rpcAddress: net.bitcoind.rpcAddress },
        nodes: Object.fromEntries(nodes),
      };
    },

    /** The Network mines in short calls: a caller that goes away leaves bitcoind idle within one. */
    async mine(args: { blocks?: number }, { signal }: OperationContext) {
      const blocks = parseBlocks(args.blocks);
      await net.mine(blocks, { signal });
      return { blocks, height: await net.bitcoind.rpc.getBlockCount() };
    },

    async fund(args: { node: string; sats: number }, { signal }: OperationContext) {
      const name = checkNode(args.node, names);
      const sats = parseFundSats(args.sats);
      const { address } = await node(name).client.onchainReceive();
      const txid = await net.fund({ [name]: { address, sats } }, { signal });
      return { node: name, txid, address, sats };
    },

    async open(
      args: { from: string; to: string; sats: number; push?: number; private?: boolean },
      { signal }: OperationContext,
    ) {
      const from = checkNode(args.from, names);
      const to = checkNode(args.to, names);
      checkChannelEnds(from, to);
      const sats = parseChannelSats(args.sats);
      const push = parsePushSats(args.push, sats);
      checkChannelFunds(from, sats, (await node(from).client.getBalances()).spendableOnchainBalanceSats);
      const channel = await net.openChannel(from, to, {
        sats,
        announce: args.private !== true,
        ...(push ? { pushMsat: BigInt(push) * 1000n } : {}),
        signal,
      });
      return {
        from,
        to,
        sats,
        channelId: channel.opener.channelId,
        userChannelId: channel.opener.userChannelId,
        usable: channel.opener.isUsable && channel.acceptor.isUsable,
      };
    },

    /** `jit`: through the node's LSP, which opens a channel to it when the payment comes (LSPS2). */
    async invoice(args: { node: string; amount: string; description?: string; jit?: boolean }) {
      const name = checkNode(args.node, names);
      const amountMsat = parseAmountMsat(args.amount);
      const request = {
        amountMsat,
        expirySecs: 3600,
        description: { kind: { case: "direct" as const, value: String(args.description ?? "ldk-regtest") } },
      };
      if (args.jit) {
        checkLsps2Client(name, lspOf(name));
        const { invoice } = await node(name).client.bolt11ReceiveViaJitChannel(request);
        return { node: name, amountMsat, invoice, lsp: lspOf(name) };
      }
      const receipt = await node(name).client.bolt11Receive(request);
      return { node: name, amountMsat, invoice: receipt.invoice, paymentHash: receipt.paymentHash };
    },

    async pay(args: { node: string; target: string }, { signal }: OperationContext) {
      const name = checkNode(args.node, names);
      const target = checkPayable(args.target);
      const payer = node(name);
      // A payment to a JIT invoice waits at the LSP for the channel's confirmations: the supervisor
      // does all mining, so it confirms any channel an LSP opens to a client while this payment is out.
      // A watch that ends without a channel only means this payment needed none; a channel that cannot
      // be confirmed leaves the payment pending or failed, and that outcome is what is reported.
      const jit = new AbortController();
      const confirming = lsps2Clients().map(([client, lsp]) =>
        net
          .waitForJitChannel(lsp, client, {
            since: node(lsp).events.mark(),
            signal: AbortSignal.any([jit.signal, signal]),
          })
          .catch(() => undefined),
      );
      try {
        const { paymentId } = target.toLowerCase().startsWith("lno")
          ? await payer.client.bolt12Send({ offer: target })
          : await payer.client.bolt11Send({ invoice: target });
        const outcome = await payer.events.waitForPayment(paymentId, ["paymentSuccessful", "paymentFailed"], {
          timeoutMs: defaultTimeout("payment"),
          watch: net.daemons,
          signal,
        });
        const status = outcome.case === "paymentSuccessful" ? "SUCCEEDED" : "FAILED";
        return { node: name, paymentId, status };
      } finally {
        jit.abort("the payment has its outcome");
        await Promise.all(confirming);
      }
    },

    async close(args: { from: string; to: string }, { signal }: OperationContext) {
      const from = checkNode(args.from, names);
      const to = checkNode(args.to, names);
      checkChannelEnds(from, to);
      const channel = await channelBetween(from, to);
      const closer = node(from);
      const since = closer.events.mark();
      await closer.client.closeChannel({
        userChannelId: channel.userChannelId,
        counterpartyNodeId: node(to).nodeId,
      });
      await net.waitFor(
        `closing transaction of ${channel.channelId} in the mempool`,
        async () => (await net.bitcoind.rpc.getRawMempool()).length,
        { until: (n) => n > 0, timeoutMs: defaultTimeout("closeBroadcast"), signal },
      );
      await net.mine(1, { signal });
      await closer.events.waitForChannelState({ channelId: channel.channelId }, ChannelState.CLOSED, {
        since,
        watch: net.daemons,
        signal,
      });
      return { from, to, channelId: channel.channelId, state: "CLOSED" };
    },
  };
}

export type DevnetOperations = ReturnType<typeof devnetOperations>;
