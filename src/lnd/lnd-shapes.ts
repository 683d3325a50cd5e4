import { channelIdOf } from "../node/channel-id.js";
import type { ChannelInfo } from "../node/network-node.js";
import type { LndChannel, LndPendingChannel } from "./lnd-client.js";

/** The block height in a short channel id (its top three bytes). */
export function scidHeight(chanId: string): number {
  return Number(BigInt(chanId) >> 40n);
}

/** An open lnd channel as any node kind reports it; `tip` gives its confirmations. */
export function openChannelInfo(c: LndChannel, tip: number): ChannelInfo {
  const reserve = BigInt(c.local_constraints?.chan_reserve_sat ?? 0);
  const remoteReserve = BigInt(c.remote_constraints?.chan_reserve_sat ?? 0);
  const positive = (n: bigint) => (n > 0n ? n : 0n);
  return {
    channelId: channelIdOf(c.channel_point),
    implementationId: c.channel_point,
    counterpartyNodeId: c.remote_pubkey,
    fundingTxid: c.channel_point.split(":")[0],
    fundingOutputIndex: Number(c.channel_point.split(":")[1]),
    channelValueSats: BigInt(c.capacity),
    outboundCapacityMsat: positive(BigInt(c.local_balance) - reserve) * 1000n,
    inboundCapacityMsat: positive(BigInt(c.remote_balance) - remoteReserve) * 1000n,
    confirmations: Math.max(0, tip - scidHeight(c.chan_id) + 1),
    isChannelReady: true,
    isUsable: c.active,
    isOutbound: c.initiator,
    isAnnounced: !c.private,
  };
}

/** A channel lnd has not yet locked in (its funding short of lnd's depth). */
export function pendingChannelInfo({ channel: c }: LndPendingChannel): ChannelInfo {
  return {
    channelId: channelIdOf(c.channel_point),
    implementationId: c.channel_point,
    counterpartyNodeId: c.remote_node_pub,
    fundingTxid: c.channel_point.split(":")[0],
    fundingOutputIndex: Number(c.channel_point.split(":")[1]),
    channelValueSats: BigInt(c.capacity),
    outboundCapacityMsat: 0n,
    inboundCapacityMsat: 0n,
    confirmations: 0,
    isChannelReady: false,
    isUsable: false,
    isOutbound: c.initiator === "INITIATOR_LOCAL",
    isAnnounced: !c.private,
  };
}
