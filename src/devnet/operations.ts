import { ChannelState, PaymentStatus } from "../client/index.js";
import type { LdkServer } from "../ldk-server/ldk-server.js";
import type { Network } from "../network/network.js";
import { parseAmountMsat } from "./amount.js";
import { connectionOf } from "./devnet-files.js";

/** What the CLI can ask of a running dev network, by name: each returns a JSON-able result. */
export function devnetOperations(net: Network) {
  const node = (name: unknown): LdkServer => {
    const found = net.nodes[String(name)];
    if (!found) throw new Error(`no node "${name}" (nodes: ${Object.keys(net.nodes).join(", ")})`);
    return found;
  };
  const nameOf = (nodeId: string) =>
    Object.entries(net.nodes).find(([, n]) => n.nodeId === nodeId)?.[0] ?? nodeId;

  return {
    async status() {
      const height = await net.bitcoind.rpc.getBlockCount();
      const nodes = await Promise.all(
        Object.entries(net.nodes).map(async ([name, n]) => {
          const [balances, channels] = await Promise.all([n.client.getBalances(), n.client.listChannels()]);
          return [
            name,
            {
              ...connectionOf(n),
              alive: n.exitInfo === undefined,
              onchainSats: balances.totalOnchainBalanceSats,
              lightningSats: balances.totalLightningBalanceSats,
              channels: channels.channels.map((c) => ({
                peer: nameOf(c.counterpartyNodeId),
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

    async mine({ blocks = 1 }: { blocks?: number }) {
      await net.mine(Number(blocks));
      return { height: await net.bitcoind.rpc.getBlockCount() };
    },

    async fund({ node: name, sats }: { node: string; sats: number }) {
      const { address } = await node(name).client.onchainReceive();
      const txid = await net.fund({ [name]: { address, sats: Number(sats) } });
      return { txid, address, sats: Number(sats) };
    },

    async open({
      from,
      to,
      sats,
      push = 0,
      private: unannounced = false,
    }: {
      from: string;
      to: string;
      sats: number;
      push?: number;
      private?: boolean;
    }) {
      const channel = await net.openChannel(node(from), node(to), {
        sats: Number(sats),
        announce: !unannounced,
        ...(push ? { pushMsat: BigInt(push) * 1000n } : {}),
      });
      return {
        channelId: channel.opener.channelId,
        userChannelId: channel.opener.userChannelId,
        usable: channel.opener.isUsable && channel.acceptor.isUsable,
      };
    },

    async invoice({
      node: name,
      amount,
      description = "ldk-regtest",
    }: {
      node: string;
      amount: string;
      description?: string;
    }) {
      const receipt = await node(name).client.bolt11Receive({
        amountMsat: parseAmountMsat(amount),
        expirySecs: 3600,
        description: { kind: { case: "direct", value: description } },
      });
      return { invoice: receipt.invoice, paymentHash: receipt.paymentHash };
    },

    async pay({ node: name, target }: { node: string; target: string }) {
      const payer = node(name);
      const { paymentId } = target.toLowerCase().startsWith("lno")
        ? await payer.client.bolt12Send({ offer: target })
        : await payer.client.bolt11Send({ invoice: target });
      const outcome = await payer.events.waitForPayment(paymentId, ["paymentSuccessful", "paymentFailed"], {
        timeoutMs: 60_000,
        watch: net.daemons,
      });
      const status = outcome.case === "paymentSuccessful" ? PaymentStatus.SUCCEEDED : PaymentStatus.FAILED;
      return { paymentId, status: PaymentStatus[status] };
    },

    async close({ from, to }: { from: string; to: string }) {
      const [a, b] = [node(from), node(to)];
      const channel = (await a.client.listChannels()).channels.find((c) => c.counterpartyNodeId === b.nodeId);
      if (!channel) throw new Error(`${from} has no channel with ${to}`);
      const since = a.events.mark();
      await a.client.closeChannel({ userChannelId: channel.userChannelId, counterpartyNodeId: b.nodeId });
      await net.waitFor(
        `closing transaction of ${channel.channelId} in the mempool`,
        async () => (await net.bitcoind.rpc.getRawMempool()).length,
        { until: (n) => n > 0, timeoutMs: 30_000 },
      );
      await net.mine(1);
      await a.events.waitForChannelState({ channelId: channel.channelId }, ChannelState.CLOSED, {
        since,
        watch: net.daemons,
      });
      return { channelId: channel.channelId, state: "CLOSED" };
    },
  };
}

export type DevnetOperations = ReturnType<typeof devnetOperations>;
