import type { LdkServerClient } from "../client/index.js";
import type { ChannelRef } from "../node/network-node.js";

/**
 * The most above its own fee estimate an ldk-server node pays for a cooperative close (LDK's
 * `force_close_avoidance_max_fee_satoshis`, 1,000 sat by default). On regtest bitcoind has no fee
 * estimates: LDK falls back to 1 sat/vB while lnd falls back to 25 sat/vB (about 4,100 sat for a
 * closing transaction), so with the default LDK gives up the negotiation with an lnd peer and
 * force-closes instead ("Unable to come to consensus about closing feerate").
 */
const COOPERATIVE_CLOSE_MAX_EXTRA_FEE_SATS = 10_000n;

/** CloseChannel, with the channel's closing-fee allowance raised first (see above). */
export async function closeCooperatively(client: LdkServerClient, channel: ChannelRef): Promise<void> {
  const { implementationId: userChannelId, counterpartyNodeId } = channel;
  await client.updateChannelConfig({
    userChannelId,
    counterpartyNodeId,
    channelConfig: { forceCloseAvoidanceMaxFeeSatoshis: COOPERATIVE_CLOSE_MAX_EXTRA_FEE_SATS },
  });
  await client.closeChannel({ userChannelId, counterpartyNodeId });
}
