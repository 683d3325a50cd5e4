import { defaultTimeout } from "../common/durations.js";
import { badOption } from "../common/errors.js";
import { type AnyNode, kindOf } from "../kinds/registry.js";
import type { Network } from "../network/network.js";
import { fundingOutpointOf } from "../node/channel-id.js";
import type { NodeConnection } from "../node/kind-driver.js";
import type { ChannelInfo, NetworkNode } from "../node/network-node.js";
import { checkChannelFunds, checkDevnetArgs, checkLsps2Client, type DevnetArgs } from "./args.js";
import type { OperationContext } from "./control.js";
import { connectionOf } from "./devnet-files.js";

/** How long an invoice of the dev network stays payable. */
const INVOICE_EXPIRY_SECS = 3600;

/** One channel as `status` lists it, its peer by name. */
export interface ChannelStatus {
  peer: string;
  channelId: string;
  sats: bigint;
  outboundMsat: bigint;
  inboundMsat: bigint;
  usable: boolean;
  announced: boolean;
  outbound: boolean;
}

/** One node in `status`: how to reach it, and its balances and channels unless it could not answer. */
export type NodeStatus = NodeConnection & {
  alive: boolean;
  /** Why its balances and channels are missing (it died, or did not answer). */
  error?: string;
  onchainSats?: bigint;
  spendableSats?: bigint;
  lightningSats?: bigint;
  channels: ChannelStatus[];
};

/**
 * What the CLI (or any program on the control socket) can ask of a running dev network, by name. Every
 * argument is checked first (`checkDevnetArgs`, which the CLI runs too): a bad one is refused before
 * anything is sent to bitcoind or a node. Each returns a JSON-able result. Nodes of every kind are driven
 * through the common node surface (`NetworkNode`); what only some kinds can do (BOLT12, JIT) asks the
 * kind's driver.
 */
export function devnetOperations(net: Network) {
  const names = Object.keys(net.nodes);
  const node = (name: string): AnyNode => net.node(name);
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
    const channel = (await node(from).listChannels()).find((c) => c.counterpartyNodeId === peer);
    if (channel) return channel;
    throw badOption(
      "to",
      `${from} has no channel with ${to}: \`ldk-regtest status\` lists the channels there are`,
      { from, to },
    );
  };
  const toChannelStatus = (c: ChannelInfo): ChannelStatus => ({
    peer: nameOf(c.counterpartyNodeId),
    channelId: c.channelId,
    sats: c.channelValueSats,
    outboundMsat: c.outboundCapacityMsat,
    inboundMsat: c.inboundCapacityMsat,
    usable: c.isUsable,
    announced: c.isAnnounced,
    outbound: c.isOutbound,
  });
  /** One node's status; a node that cannot answer is shown with why, and the others still are. */
  const nodeStatus = async (name: string): Promise<NodeStatus> => {
    const n = node(name);
    const connection = connectionOf(n);
    try {
      const [balances, channels] = await Promise.all([n.balances(), n.listChannels()]);
      return {
        ...connection,
        alive: n.exitInfo === undefined,
        onchainSats: balances.totalOnchainSats,
        spendableSats: balances.spendableOnchainSats,
        lightningSats: balances.lightningSats,
        channels: channels.map(toChannelStatus),
      };
    } catch (error) {
      const reason = n.exitInfo ? "it is not running" : (error as Error).message.split("\n")[0];
      return { ...connection, alive: false, error: reason, channels: [] };
    }
  };

  return {
    async status() {
      const height = await net.bitcoind.rpc.getBlockCount();
      const nodes = await Promise.all(names.map(async (name) => [name, await nodeStatus(name)] as const));
      return {
        height,
        bitcoind: { alive: net.bitcoind.exitInfo === undefined, rpcAddress: net.bitcoind.rpcAddress },
        nodes: Object.fromEntries(nodes),
      };
    },

    /** The Network mines in short calls: a caller that goes away leaves bitcoind idle within one. */
    async mine(args: DevnetArgs["mine"], { signal }: OperationContext) {
      const { blocks } = checkDevnetArgs.mine(args);
      await net.mine(blocks, { signal });
      return { blocks, height: await net.bitcoind.rpc.getBlockCount() };
    },

    async fund(args: DevnetArgs["fund"], { signal }: OperationContext) {
      const { node: name, sats } = checkDevnetArgs.fund(args, names);
      const address = await node(name).newAddress();
      const txid = await net.fund({ [name]: { address, sats } }, { signal });
      return { node: name, txid, address, sats };
    },

    async open(args: DevnetArgs["open"], { signal }: OperationContext) {
      const { from, to, sats, push, private: unannounced } = checkDevnetArgs.open(args, names);
      checkChannelFunds(from, sats, (await node(from).balances()).spendableOnchainSats);
      const channel = await net.openChannel(from, to, {
        sats,
        announce: !unannounced,
        ...(push ? { pushMsat: BigInt(push) * 1000n } : {}),
        signal,
      });
      return {
        from,
        to,
        sats,
        channelId: channel.opener.channelId,
        implementationId: channel.opener.implementationId,
        usable: channel.opener.isUsable && channel.acceptor.isUsable,
      };
    },

    /** `jit`: through the node's LSP, which opens a channel to it when the payment comes (LSPS2). */
    async invoice(args: DevnetArgs["invoice"]) {
      const { node: name, amountMsat, description, jit } = checkDevnetArgs.invoice(args, names);
      if (jit) {
        checkLsps2Client(name, lspOf(name));
        const client = node(name);
        const jitInvoices = kindOf(client).capabilities.jit;
        // checkLsps2Client found an LSP, and the topology check gives LSP clients only kinds with JIT
        if (!jitInvoices)
          throw badOption("jit", `${name} is a ${client.kind} node, which has no JIT invoices; drop --jit`);
        const { invoice } = await jitInvoices.invoice(client, {
          amountMsat,
          expirySecs: INVOICE_EXPIRY_SECS,
          description,
        });
        return { node: name, amountMsat, invoice, lsp: lspOf(name) };
      }
      const { invoice, paymentHash } = await node(name).createInvoice({
        amountMsat,
        description,
        expirySecs: INVOICE_EXPIRY_SECS,
      });
      return { node: name, amountMsat, invoice, paymentHash };
    },

    async pay(args: DevnetArgs["pay"], { signal }: OperationContext) {
      const { node: name, target } = checkDevnetArgs.pay(args, names);
      const payer = node(name);
      // A payment to a JIT invoice waits at the LSP for the channel's confirmations: the supervisor
      // does all mining, so it confirms any channel an LSP opens to a client while this payment is out.
      // A watch that ends without a channel only means this payment needed none; a channel that cannot
      // be confirmed leaves the payment pending or failed, and that outcome is what is reported.
      const jit = new AbortController();
      const confirming = lsps2Clients().map(([client, lsp]) =>
        net
          .waitForJitChannel(lsp, client, {
            since: kindOf(node(lsp)).capabilities.jit?.mark(node(lsp)),
            signal: AbortSignal.any([jit.signal, signal]),
          })
          .catch(() => undefined),
      );
      try {
        const { paymentId } = target.toLowerCase().startsWith("lno")
          ? await payOffer(payer, target)
          : await payer.payInvoice(target);
        const status = await payer.waitForPaymentOutcome(paymentId, {
          timeoutMs: defaultTimeout("payment"),
          signal,
        });
        return { node: name, paymentId, status };
      } finally {
        jit.abort("the payment has its outcome");
        await Promise.all(confirming);
      }
    },

    /** Cooperative close; resolves once the closing transaction is confirmed and both ends dropped it. */
    async close(args: DevnetArgs["close"], { signal }: OperationContext) {
      const { from, to } = checkDevnetArgs.close(args, names);
      const channel = await channelBetween(from, to);
      await node(from).closeChannel(channel);
      if (channel.fundingTxid) {
        const funding = fundingOutpointOf(channel.channelId, channel.fundingTxid);
        await net.waitFor(
          `closing transaction of ${channel.channelId} in bitcoind's mempool`,
          () => net.bitcoind.rpc.call<{ spendingtxid?: string }[]>("gettxspendingprevout", [[funding]]),
          {
            until: ([s]) => s?.spendingtxid !== undefined,
            timeoutMs: defaultTimeout("closeBroadcast"),
            signal,
          },
        );
      }
      await net.mine(1, { signal });
      await net.waitFor(
        `channel ${channel.channelId} gone from ${from}'s and ${to}'s channel lists`,
        async () => {
          const lists = await Promise.all([node(from).listChannels(), node(to).listChannels()]);
          return lists.flat().some((c) => c.channelId === channel.channelId);
        },
        { until: (listed) => !listed, signal },
      );
      return { from, to, channelId: channel.channelId, state: "CLOSED" };
    },
  };
}

/** BOLT12: a payer whose kind does not pay offers is refused before sending. */
async function payOffer(payer: NetworkNode, offer: string): Promise<{ paymentId: string }> {
  const bolt12 = kindOf(payer).capabilities.bolt12;
  if (bolt12) return bolt12.payOffer(payer, offer);
  throw badOption(
    "invoice-or-offer",
    `${payer.nodeName} is an ${payer.kind} node, which does not pay BOLT12 offers: pay a BOLT11 invoice instead (\`ldk-regtest invoice <node> <amount>\`)`,
    { node: payer.nodeName, kind: payer.kind },
  );
}

export type DevnetOperations = ReturnType<typeof devnetOperations>;
