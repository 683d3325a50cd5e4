import type { Channel, GetBalancesResponse } from "../client/index.js";
import type { ChannelInfo, NodeBalances } from "../node/network-node.js";

/** An ldk-server `Channel` as any node kind reports it to a network. */
export function toChannelInfo(c: Channel): ChannelInfo {
  return {
    channelId: c.channelId,
    implementationId: c.userChannelId,
    counterpartyNodeId: c.counterpartyNodeId,
    fundingTxid: c.fundingTxo?.txid,
    fundingOutputIndex: c.fundingTxo?.vout,
    channelValueSats: c.channelValueSats,
    outboundCapacityMsat: c.outboundCapacityMsat,
    inboundCapacityMsat: c.inboundCapacityMsat,
    confirmations: c.confirmations ?? 0,
    isChannelReady: c.isChannelReady,
    isUsable: c.isUsable,
    isOutbound: c.isOutbound,
    isAnnounced: c.isAnnounced,
  };
}

/** ldk-server's balances as any node kind reports them. */
export function toNodeBalances(b: GetBalancesResponse): NodeBalances {
  return {
    totalOnchainSats: b.totalOnchainBalanceSats,
    spendableOnchainSats: b.spendableOnchainBalanceSats,
    lightningSats: b.totalLightningBalanceSats,
  };
}
